//! AML-IAM-004: an endpoint whose callers authenticate with keys.

use super::prelude::*;

fn auth(f: &ReviewFact) -> Option<(&'static str, &'static str)> {
    match f {
        ReviewFact::AuthMode { attr, key } => Some((*attr, *key)),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-IAM-004",
    area: Area::Identity,
    severity: Severity::Medium,
    title: "Endpoint uses key authentication",
    rationale: "Endpoint keys are shared secrets: they do not expire, cannot be scoped to a \
                caller, and anyone who copies one can call the model until it is regenerated.",
    remediation: "Set `auth_mode = \"aad_token\"` and grant callers a role on the endpoint.",
    policy: &[],
    checkov: &[],
    applies: |k| fact(k, auth).is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some((attr, key)) = fact(r.schema, auth) else {
        return;
    };
    if str_attr(&r.body, &r.schema.body, attr) == Some(key) {
        let how = if r.body.attr(attr).is_some() {
            ""
        } else {
            " (the default)"
        };
        out.push(Hit::attr(
            r,
            attr,
            format!(
                "{} {} authenticates callers with keys{how}",
                r.kind(),
                r.address
            ),
        ));
    }
}
