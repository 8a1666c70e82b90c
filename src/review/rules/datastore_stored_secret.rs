//! AML-DAT-006: a datastore that keeps an account key or a SAS token.

use super::prelude::*;

fn secret(f: &ReviewFact) -> Option<(&'static str, &'static [&'static str])> {
    match f {
        ReviewFact::StoredSecret { attr, values } => Some((*attr, *values)),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-DAT-006",
    area: Area::DataProtection,
    severity: Severity::Medium,
    title: "Datastore keeps an account key or SAS token",
    rationale: "The workspace stores the secret in its key vault and every job and user of the \
                datastore reads data through it: access is no longer per identity, storage logs \
                cannot say who read what, an account key grants everything in the account, and \
                the secret lasts until someone rotates it.",
    remediation: "Leave `credentials` at `identity` (identity-based access) and grant the \
                  workspace's and the users' identities `Storage Blob Data Reader` (or \
                  Contributor) on the container.",
    policy: &[],
    checkov: &[],
    applies: |k| fact(k, secret).is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some((attr, values)) = fact(r.schema, secret) else {
        return;
    };
    let Some(mode) = str_attr(&r.body, &r.schema.body, attr) else {
        return;
    };
    if values.contains(&mode) {
        let what = if mode == "sas" {
            "a SAS token"
        } else {
            "the storage account key"
        };
        out.push(Hit::attr(
            r,
            attr,
            format!("{} {} reaches its storage with {what}", r.kind(), r.address),
        ));
    }
}
