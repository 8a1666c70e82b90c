//! AML-CST-001: a cluster that keeps nodes running when idle.

use super::prelude::*;

fn attr(f: &ReviewFact) -> Option<&'static str> {
    match f {
        ReviewFact::MinNodes(a) => Some(*a),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-CST-001",
    area: Area::Cost,
    severity: Severity::Low,
    title: "Compute cluster keeps nodes running when idle",
    rationale: "Nodes kept by `min_nodes` are billed every hour of the month whether jobs run or \
                not, and are idle machines attached to the network.",
    remediation: "Set `min_nodes = 0` so the cluster scales to nothing between jobs.",
    policy: &[],
    checkov: &["CKV_AZURE_150"],
    applies: |k| fact(k, attr).is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(a) = fact(r.schema, attr) else {
        return;
    };
    if let Some(n) = int_attr(&r.body, &r.schema.body, a)
        && n > 0
    {
        let n = if ctx::is_sensitive(&r.body, a) {
            crate::sensitive::SHOWN.to_string()
        } else {
            n.to_string()
        };
        out.push(Hit::attr(
            r,
            a,
            format!(
                "{} {} keeps {n} node(s) running when idle",
                r.kind(),
                r.address
            ),
        ));
    }
}
