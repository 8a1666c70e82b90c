//! AML-IAM-001: Owner, Contributor or User Access Administrator granted to a user.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-IAM-001",
    area: Area::Identity,
    severity: Severity::High,
    title: "Broad role granted to a user",
    rationale: "A user holding Owner, Contributor or User Access Administrator can read every \
                secret, change the network isolation or grant themselves data access; personal \
                accounts are also the ones phished.",
    remediation: "Grant a task role (`AzureML Data Scientist`, `AzureML Compute Operator`) to a \
                  group instead, and keep broad roles for break-glass or deployment identities.",
    policy: &[],
    checkov: &[],
    applies: ctx::is_role_assignment,
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(role) = ctx::role_name(r).filter(|_| !ctx::is_sensitive(&r.body, "role")) else {
        return;
    };
    if ctx::BROAD_ROLES.contains(&role) && r.body.str("principal_type") == Some("user") {
        out.push(Hit::attr(
            r,
            "role",
            format!("role assignment {} grants `{role}` to a user", r.address),
        ));
    }
}
