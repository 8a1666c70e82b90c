//! AML-IAM-006: a workspace without a user-assigned managed identity.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-IAM-006",
    area: Area::Identity,
    severity: Severity::Info,
    title: "Workspace does not use a user-assigned managed identity",
    rationale: "A system-assigned identity lives and dies with the workspace, so its role \
                assignments cannot be prepared, reviewed or kept apart from it; a user-assigned \
                identity can be granted least privilege ahead of time.",
    remediation: "Set `identity { type = \"user_assigned\", user_assigned_ids = [...], \
                  primary_user_assigned_id = ... }`.",
    policy: &["Azure Machine Learning workspaces should use user-assigned managed identity"],
    checkov: &[],
    applies: |k| {
        k.body
            .block("identity")
            .is_some_and(|b| b.body.attr("primary_user_assigned_id").is_some())
    },
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let primary = r
        .body
        .block("identity")
        .and_then(|b| b.body.attr("primary_user_assigned_id"));
    if primary.is_none() {
        let message = format!(
            "workspace {} has no primary user-assigned identity",
            r.address
        );
        out.push(match r.body.block("identity") {
            Some(block) => {
                Hit::nested(block, r.address.clone(), "identity".into(), "type", message)
            }
            None => Hit::block(r, message),
        });
    }
}
