//! AML-CMP-001: a compute instance that never stops when idle.

use super::prelude::*;

fn attr(f: &ReviewFact) -> Option<&'static str> {
    match f {
        ReviewFact::IdleShutdown(a) => Some(*a),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-CMP-001",
    area: Area::Compute,
    severity: Severity::Medium,
    title: "Compute instance has no idle shutdown",
    rationale: "An instance without idle shutdown runs (and bills) around the clock once \
                started, and stays a reachable, logged-in machine nobody watches.",
    remediation: "Set `idle_shutdown = \"30m\"` (15m to 3d), and a stop `schedule` if it fits.",
    policy: &["Azure Machine Learning Compute Instance should have idle shutdown."],
    checkov: &[],
    applies: |k| fact(k, attr).is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(a) = fact(r.schema, attr) else {
        return;
    };
    if r.body.attr(a).is_none() {
        out.push(Hit::block(
            r,
            format!("{} {} has no `{a}`", r.kind(), r.address),
        ));
    }
}
