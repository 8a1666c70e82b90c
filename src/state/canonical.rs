//! Canonical JSON (object keys sorted, no insignificant whitespace) and the request hash
//! built on it.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The canonical JSON text of `value`: object keys sorted by their UTF-8 bytes, no
/// whitespace, strings and numbers as `serde_json` writes them. Two values that are equal
/// as JSON (whatever their key order) have the same canonical text.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::String(s) => write_string(s, out),
        // Null, booleans and numbers have a single rendering.
        other => out.push_str(&other.to_string()),
    }
}

fn write_string(s: &str, out: &mut String) {
    // Serialising a string cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// The SHA-256 (lower-case hex) of the canonical JSON of an ARM request body: what the
/// state records as `request_hash`. Hash the body actually sent (before redaction), so a
/// change of a sensitive value changes the hash.
pub fn request_hash(body: &Value) -> String {
    sha256_hex(canonical_json(body).as_bytes())
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// `value` with every object's keys in sorted order (arrays keep their order), so that its
/// serialisation does not depend on how it was built.
pub fn sorted_keys(value: Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.into_iter().map(sorted_keys).collect()),
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut sorted = Map::with_capacity(entries.len());
            for (key, item) in entries {
                sorted.insert(key, sorted_keys(item));
            }
            Value::Object(sorted)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_text_sorts_keys_at_every_level() {
        let a = json!({"b": 1, "a": {"y": [3, {"q": true, "p": null}], "x": "s\"t"}});
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"x":"s\"t","y":[3,{"p":null,"q":true}]},"b":1}"#
        );
    }

    #[test]
    fn key_order_does_not_change_the_hash_but_values_do() {
        let a = json!({"location": "westeurope", "properties": {"a": 1, "b": 2}});
        let b = json!({"properties": {"b": 2, "a": 1}, "location": "westeurope"});
        let c = json!({"properties": {"b": 2, "a": 1}, "location": "eastus"});
        assert_eq!(request_hash(&a), request_hash(&b));
        assert_ne!(request_hash(&a), request_hash(&c));
        assert_eq!(request_hash(&a).len(), 64);
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn sorted_keys_reorders_without_changing_content() {
        let v = json!({"b": [{"d": 1, "c": 2}], "a": 0});
        let s = sorted_keys(v.clone());
        assert_eq!(s, v);
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"a":0,"b":[{"c":2,"d":1}]}"#
        );
    }
}
