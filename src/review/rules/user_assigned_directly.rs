//! AML-IAM-003: a role granted to a user directly rather than to a group.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-IAM-003",
    area: Area::Identity,
    severity: Severity::Low,
    title: "Role assigned to a user directly",
    rationale: "Access granted person by person is not removed when people change teams, and \
                cannot be reviewed in one place; a group makes joiners and leavers one change.",
    remediation: "Grant the role to a Microsoft Entra group (`principal_type = \"group\"`) and \
                  manage its members there.",
    policy: &[],
    checkov: &[],
    applies: ctx::is_role_assignment,
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    if r.body.str("principal_type") == Some("user") {
        out.push(Hit::attr(
            r,
            "principal_type",
            format!(
                "role assignment {} grants a role to a user directly",
                r.address
            ),
        ));
    }
}
