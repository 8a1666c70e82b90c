//! AML-DAT-005: a workspace whose built-in datastores authenticate with the account key.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-DAT-005",
    area: Area::DataProtection,
    severity: Severity::Medium,
    title: "Workspace datastores use the storage account key",
    rationale: "With `access_key`, the workspace keeps the storage account's key and every job \
                reads data with it: no per-identity access, no audit of who read what, and a key \
                that grants everything in the account.",
    remediation: "Set `system_datastores_auth_mode = \"identity\"` and grant the workspace's \
                  identity (and users) data roles on the storage account.",
    policy: &[],
    checkov: &[],
    applies: |k| k.body.attr("system_datastores_auth_mode").is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    if str_attr(&r.body, &r.schema.body, "system_datastores_auth_mode") == Some("access_key") {
        out.push(Hit::attr(
            r,
            "system_datastores_auth_mode",
            format!(
                "the datastores of workspace {} authenticate with the storage account key",
                r.address
            ),
        ));
    }
}
