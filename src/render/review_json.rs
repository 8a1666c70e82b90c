//! The security review as JSON (`amlplan review --format json`, and the `review` member of a
//! JSON plan). Versioned; documented in `docs/review.md`:
//! `{"version":1,"fail_on","findings":[{"rule","severity","title","message","address","file",
//! "line","column","end_line","end_column","area","suppressed","reason","fingerprint"}],
//! "egress":[{"workspace","isolation_mode","allowed":[{"destination","type","ports","rule"}],
//! "required":[...],"inbound":[{"path","via","dns_zones"}],"verdict"}],"summary":{...}}`.

use serde_json::{Value, json};

use crate::review::{Review, Severity};

/// The version of this document's shape; bumped on any change that is not an addition.
pub const VERSION: u32 = 1;

pub fn to_value(review: &Review) -> Value {
    let findings: Vec<Value> = review
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule.id,
                "severity": f.severity().as_str(),
                "title": f.rule.title,
                "message": f.message,
                "address": f.address,
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "end_line": f.end_line,
                "end_column": f.end_column,
                "area": f.rule.area.as_str(),
                "suppressed": f.suppressed,
                "reason": f.reason,
                "fingerprint": f.fingerprint,
            })
        })
        .collect();
    let allowed = |list: &[crate::review::egress::Allowed]| -> Vec<Value> {
        list.iter()
            .map(|a| {
                json!({
                    "destination": a.destination,
                    "type": a.kind,
                    "ports": a.ports,
                    "rule": a.rule,
                })
            })
            .collect()
    };
    let egress: Vec<Value> = review
        .egress
        .iter()
        .map(|e| {
            let inbound: Vec<Value> = e
                .inbound
                .iter()
                .map(|i| json!({"path": i.path, "via": i.via, "dns_zones": i.dns_zones}))
                .collect();
            json!({
                "workspace": e.workspace,
                "isolation_mode": e.isolation_mode,
                "allowed": allowed(&e.allowed),
                "required": allowed(&e.required),
                "inbound": inbound,
                "verdict": e.verdict,
            })
        })
        .collect();
    let mut counts = serde_json::Map::new();
    for s in Severity::ALL {
        let n = review.unsuppressed().filter(|f| f.severity() == s).count();
        counts.insert(s.as_str().into(), n.into());
    }
    counts.insert(
        "suppressed".into(),
        review
            .findings
            .iter()
            .filter(|f| f.suppressed)
            .count()
            .into(),
    );
    json!({
        "version": VERSION,
        "fail_on": review.fail_on.map(Severity::as_str),
        "findings": findings,
        "egress": egress,
        "summary": counts,
    })
}

pub fn render(review: &Review) -> String {
    serde_json::to_string_pretty(&to_value(review)).unwrap_or_default() + "\n"
}
