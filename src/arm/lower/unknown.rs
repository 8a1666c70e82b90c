//! Values known only after apply, while a kind is being lowered and once it is.
//!
//! Inside the lowering a value that cannot be known yet (an attribute of a resource that does
//! not exist, a principal ID ARM will assign) is written as [`marker`]: a string that holds a
//! random nonce drawn once per process, so no manifest value, variable or file can spell it.
//! Lowering hooks build bodies and IDs with plain JSON and `format!`, and the marker travels
//! through them as any string would, also inside a longer string (an ARM ID with an unknown
//! segment).
//!
//! When a kind's entries are complete, [`extract`] takes every marker out: each body value
//! that holds one becomes `null` and its path goes into [`Desired::unknown`], an ID that holds
//! one reads [`crate::arm::UNKNOWN_TEXT`] there and is flagged [`Desired::id_unknown`]. From
//! then on nothing looks for unknowns by their text, and a user's string that happens to read
//! `(known after apply)` is only that string.

use std::sync::LazyLock;

use serde_json::Value;

use crate::arm::{Desired, UNKNOWN_TEXT};

static MARKER: LazyLock<String> = LazyLock::new(|| {
    use std::hash::{BuildHasher, Hasher};
    let mut nonce = String::new();
    for _ in 0..2 {
        // Each RandomState is seeded from the OS; two make a 128-bit nonce.
        let mut h = std::hash::RandomState::new().build_hasher();
        h.write_u8(0);
        nonce.push_str(&format!("{:016x}", h.finish()));
    }
    format!("\u{1}unknown-{nonce}\u{1}")
});

/// The in-lowering stand-in for a value known only after apply.
pub fn marker() -> &'static str {
    MARKER.as_str()
}

/// Whether a lowered string holds a value known only after apply.
pub fn holds(text: &str) -> bool {
    text.contains(marker())
}

/// Moves every unknown value of a finished entry out of its body and ID into the entry's
/// typed fields (see the module's documentation).
pub fn extract(d: &mut Desired) {
    let mut paths = Vec::new();
    take(&mut d.body, &mut Vec::new(), &mut paths);
    paths.sort();
    paths.dedup();
    d.unknown = paths;
    if holds(&d.id) {
        d.id_unknown = true;
        d.id = d.id.replace(marker(), UNKNOWN_TEXT);
    }
    if let Some(p) = d.partial_of.as_mut()
        && holds(p)
    {
        *p = p.replace(marker(), UNKNOWN_TEXT);
    }
}

/// One step of the path [`take`] is at.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Walks `value` keeping the path as a stack of borrowed steps, so a path string is only
/// built where a marker is found (most bodies hold none).
fn take<'a>(value: &'a mut Value, at: &mut Vec<Step<'a>>, out: &mut Vec<String>) {
    match value {
        Value::String(s) if holds(s) => {
            *value = Value::Null;
            let parts: Vec<String> = at
                .iter()
                .map(|step| match step {
                    Step::Key(k) => (*k).to_string(),
                    Step::Index(i) => i.to_string(),
                })
                .collect();
            out.push(parts.join("."));
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                at.push(Step::Index(i));
                take(item, at, out);
                at.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                at.push(Step::Key(k));
                take(item, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn desired(id: &str, body: Value) -> Desired {
        Desired {
            address: "x.y".into(),
            kind: "x".into(),
            id: id.into(),
            api_version: "2025-01-01".into(),
            body,
            create_only: vec![],
            sensitive: vec![],
            unknown: vec![],
            id_unknown: false,
            depends_on: vec![],
            span: None,
            implicit: false,
            lifecycle: Default::default(),
            behavior: Default::default(),
            partial_of: None,
            origins: Vec::new(),
            upload: None,
        }
    }

    #[test]
    fn markers_become_typed_paths_and_user_text_stays() {
        let m = marker();
        let mut d = desired(
            &format!("/subscriptions/s/roleAssignments/{m}"),
            json!({
                "tags": {"note": UNKNOWN_TEXT},
                "properties": {"principalId": m, "list": [1, format!("/a/{m}/b")]}
            }),
        );
        extract(&mut d);
        assert_eq!(d.unknown, ["properties.list.1", "properties.principalId"]);
        assert!(d.id_unknown);
        assert_eq!(
            d.id,
            format!("/subscriptions/s/roleAssignments/{UNKNOWN_TEXT}")
        );
        assert_eq!(d.body["tags"]["note"], json!(UNKNOWN_TEXT));
        assert_eq!(d.body["properties"]["principalId"], Value::Null);
        assert!(!d.body.to_string().contains("unknown-"));
    }

    #[test]
    fn the_marker_cannot_be_guessed_from_its_text() {
        assert!(!holds(UNKNOWN_TEXT));
        assert!(marker().len() > 32);
    }
}
