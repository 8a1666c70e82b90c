//! AML-REV-001: a suppression that gives no reason. Raised by the engine from the
//! suppressions themselves ([`super::super::suppress`]), not by a resource check.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-REV-001",
    area: Area::Suppression,
    severity: Severity::Low,
    title: "Suppression without a reason",
    rationale: "An accepted finding is an audit record: without a reason (who approved it, and \
                why), nobody can later tell an accepted risk from a silenced one. A suppression \
                without a reason is therefore not applied.",
    remediation: "Give the reason: `reason = \"approved by sec-ops, ticket 1234\"` in the `ignore` \
                  block, or text after the rule ID in `# amlplan:ignore RULE reason`.",
    policy: &[],
    checkov: &[],
    applies: super::super::rule::no_kind,
    check: super::super::rule::no_check,
};
