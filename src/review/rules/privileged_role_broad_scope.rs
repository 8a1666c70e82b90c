//! AML-IAM-002: a broad role granted at subscription or resource-group scope.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-IAM-002",
    area: Area::Identity,
    severity: Severity::High,
    title: "Broad role granted at subscription or resource-group scope",
    rationale: "Owner, Contributor or User Access Administrator on a subscription or resource \
                group reaches every resource in it, not only the workspace the manifest is about.",
    remediation: "Scope the assignment to the workspace (`scope = workspace.NAME`) or the one \
                  resource that needs it.",
    policy: &[],
    checkov: &[],
    applies: ctx::is_role_assignment,
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(role) = ctx::role_name(r).filter(|_| !ctx::is_sensitive(&r.body, "role")) else {
        return;
    };
    if !ctx::BROAD_ROLES.contains(&role) {
        return;
    }
    let Some(scope) = r.body.str("scope") else {
        return;
    };
    let Ok(id) = crate::azure::arm_id::ArmId::parse(scope) else {
        return;
    };
    let level = match id.resource_type().as_deref() {
        Some(crate::azure::arm_id::SUBSCRIPTION_TYPE) => "subscription",
        Some(crate::azure::arm_id::RESOURCE_GROUP_TYPE) => "resource group",
        _ => return,
    };
    out.push(Hit::attr(
        r,
        "scope",
        format!(
            "role assignment {} grants `{role}` on a whole {level}",
            r.address
        ),
    ));
}
