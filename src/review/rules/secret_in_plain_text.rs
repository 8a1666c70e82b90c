//! AML-DAT-003: a value that looks like a secret in a plain-text attribute.

use super::prelude::*;
use crate::lang::value::Value;

fn attr(f: &ReviewFact) -> Option<&'static str> {
    match f {
        ReviewFact::PlainText(a) => Some(*a),
        _ => None,
    }
}

pub static RULE: Rule = Rule {
    id: "AML-DAT-003",
    area: Area::DataProtection,
    severity: Severity::High,
    title: "Secret-looking value in a plain-text attribute",
    rationale: "Environment variables are stored in the resource's definition: anyone who can \
                read the deployment (Reader on the workspace) reads the value, and it lands in \
                ARM deployment history and logs.",
    remediation: "Keep the secret in the workspace's key vault and read it at run time with the \
                  deployment's managed identity, or connect with the identity itself.",
    policy: &[],
    checkov: &[],
    applies: |k| fact(k, attr).is_some(),
    check,
};

fn check(r: &Resource, _: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(a) = fact(r.schema, attr) else {
        return;
    };
    let Some(value) = r.body.value(a) else { return };
    let mut found: Vec<(String, &'static str)> = Vec::new();
    match value {
        Value::Map(map) => {
            for (key, v) in map {
                if let Some(what) = v
                    .as_str()
                    .and_then(|s| super::super::secrets::looks_like(key, s))
                {
                    found.push((key.clone(), what));
                }
            }
        }
        other => {
            if let Some(what) = other
                .as_str()
                .and_then(|s| super::super::secrets::looks_like(a, s))
            {
                found.push((a.to_string(), what));
            }
        }
    }
    let hidden = ctx::is_sensitive(&r.body, a);
    for (key, what) in found {
        // A sensitive map's keys are not named either.
        let key = if hidden {
            crate::sensitive::SHOWN.to_string()
        } else {
            key
        };
        // The key is named; the value never is.
        out.push(Hit {
            path: format!("{a}.{key}"),
            ..Hit::attr(
                r,
                a,
                format!(
                    "`{a}` of {} holds {what} under `{key}` (value not shown)",
                    r.address
                ),
            )
        });
    }
}
