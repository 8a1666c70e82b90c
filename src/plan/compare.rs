//! Comparing a desired ARM body with what ARM returns.
//!
//! ARM answers a GET with much more than was PUT: read-only properties, defaults the service
//! filled in, rules it added by itself. amlplan owns only what it sends, so the comparison
//! walks the *desired* body and looks each leaf up in the actual one; everything else in the
//! actual body is ignored. Leaves are compared the way ARM treats them: ARM IDs, VM sizes and
//! locations case-insensitively, durations by their length (`PT2M` = `PT120S`), numbers by
//! value, and a value known only after apply (a path in [`Desired::unknown`]) matches anything.

use serde_json::Value;

use crate::arm::{Behavior, Desired};
use crate::azure::arm_id;
use crate::json_path;
use crate::lang::duration;

/// One leaf that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct LeafChange {
    /// Dotted path (`properties.properties.scaleSettings.maxNodeCount`).
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// The new value is known only after apply (`after` then reads
    /// [`crate::arm::UNKNOWN_TEXT`]).
    pub after_unknown: bool,
}

/// Properties ARM compares (and may rewrite) case-insensitively, wherever they appear.
const CASE_INSENSITIVE_LEAVES: &[&str] = &["location", "vmSize", "instanceType"];

/// Maps whose keys are the user's (tags, traffic shares, environment variables): compared
/// as a whole rather than key by key.
const WHOLE_MAPS: &[&str] = &[
    "tags",
    "traffic",
    "mirrorTraffic",
    "environmentVariables",
    "userAssignedIdentities",
];

/// The leaves of `desired` that `actual` does not match, skipping `ignore` paths (and
/// everything below them).
pub fn diff(desired: &Desired, actual: &Value, ignore: &[String]) -> Vec<LeafChange> {
    // Unknown values match anything: they are skipped like ignored paths.
    // (Almost every entry has no unknowns: no copy of the ignore list then.)
    let skip: std::borrow::Cow<'_, [String]> = match desired.unknown.is_empty() {
        true => ignore.into(),
        false => ignore.iter().chain(&desired.unknown).cloned().collect(),
    };
    diff_body(&desired.body, &desired.behavior, actual, &skip)
}

/// [`diff`] of a body that is not (or no longer) a whole `Desired` (what was last applied,
/// for drift).
pub fn diff_body(
    body: &Value,
    behavior: &Behavior,
    actual: &Value,
    ignore: &[String],
) -> Vec<LeafChange> {
    let mut out = Vec::new();
    walk(
        body,
        Some(actual),
        &mut String::new(),
        behavior,
        ignore,
        &mut out,
    );
    out
}

/// Leaf changes between two bodies that both came from amlplan (the last applied request
/// and the new desired one, whose values at `unknown` paths are known only after apply),
/// for creates and for updates where the resource was not read. An unknown value is a
/// change: nothing says it will equal the old one.
pub fn diff_bodies(before: &Value, after: &Value, unknown: &[String]) -> Vec<LeafChange> {
    let mut out = Vec::new();
    let mut paths = std::collections::BTreeSet::new();
    leaves(before, "", &mut paths);
    leaves(after, "", &mut paths);
    for path in paths {
        let b = get_path(before, &path).cloned();
        let whole_unknown = unknown.iter().any(|u| json_path::is_within(&path, u));
        let holds_unknown = unknown.iter().any(|u| json_path::is_within(u, &path));
        let a = match (whole_unknown, holds_unknown) {
            (true, _) => Some(Value::String(crate::arm::UNKNOWN_TEXT.into())),
            (false, true) => get_path(after, &path).cloned().map(|mut v| {
                for u in unknown.iter().filter(|u| json_path::is_within(u, &path)) {
                    let inner = &u[path.len() + 1..];
                    json_path::replace(
                        &mut v,
                        inner,
                        Value::String(crate::arm::UNKNOWN_TEXT.into()),
                    );
                }
                v
            }),
            (false, false) => get_path(after, &path).cloned(),
        };
        if whole_unknown || holds_unknown || b != a {
            out.push(LeafChange {
                path,
                before: b,
                after: a,
                after_unknown: whole_unknown,
            });
        }
    }
    out
}

fn leaves(value: &Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                leaves(v, &join(prefix, k), out);
            }
        }
        _ if !prefix.is_empty() => {
            out.insert(prefix.to_string());
        }
        _ => {}
    }
}

/// Whether the last segment of a dotted path is `name` (checked without allocating: it runs
/// for every node of every body compared).
fn is_leaf_named(path: &str, name: &str) -> bool {
    path == name
        || (path.len() > name.len()
            && path.ends_with(name)
            && path.as_bytes()[path.len() - name.len() - 1] == b'.')
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Appends `.key` (or `key` at the root) to `path`, returning the length to truncate back to.
/// The walk extends one buffer instead of formatting a new path string at every node.
fn push_key(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if len > 0 {
        path.push('.');
    }
    path.push_str(key);
    len
}

fn walk(
    desired: &Value,
    actual: Option<&Value>,
    path: &mut String,
    d: &Behavior,
    ignore: &[String],
    out: &mut Vec<LeafChange>,
) {
    if ignore.iter().any(|i| json_path::is_within(path, i)) {
        return;
    }
    let whole_map = WHOLE_MAPS.iter().any(|m| is_leaf_named(path, m));
    let path_len = path.len();
    match desired {
        Value::Object(map) if whole_map => {
            // User maps are owned whole: a key ARM still has but the manifest dropped is a
            // change too.
            let actual_map = actual.and_then(Value::as_object);
            let same_keys = actual_map
                .is_some_and(|a| a.len() == map.len() && map.keys().all(|k| a.contains_key(k)))
                || (map.is_empty()
                    && actual.is_none_or(|a| {
                        a.is_null() || a.as_object().is_some_and(|m| m.is_empty())
                    }));
            // An identity is attached by its ID with `{}`; ARM answers with its principal
            // and client IDs filled in, which are ARM's, not a difference.
            let identities =
                path == "userAssignedIdentities" || path.ends_with(".userAssignedIdentities");
            let same_values = map.iter().all(|(k, v)| {
                let key_path = join(path, k);
                ignore.iter().any(|i| json_path::is_within(&key_path, i))
                    || actual.and_then(|a| a.get(k)).is_some_and(|a| {
                        leaf_equal(v, a, &path[..path_len], d)
                            || (identities
                                && v.as_object().is_some_and(|o| o.is_empty())
                                && a.is_object())
                    })
            });
            if !(same_keys && same_values) {
                out.push(LeafChange {
                    path: path.to_string(),
                    before: actual.cloned(),
                    after: Some(desired.clone()),
                    after_unknown: false,
                });
            }
        }
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let child = actual.and_then(|a| a.get(k));
                let len = push_key(path, k);
                walk(v, child, path, d, ignore, out);
                path.truncate(len);
            }
        }
        // Arrays of objects of the same length are compared element by element (path
        // `connections.0.properties.groupIds`), so create-only rules inside them can match.
        Value::Array(items)
            if !items.is_empty()
                && items.iter().all(Value::is_object)
                && actual
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.len() == items.len()) =>
        {
            let actual_items = actual.and_then(Value::as_array).expect("checked above");
            for (i, (x, y)) in items.iter().zip(actual_items).enumerate() {
                let len = push_key(path, &i.to_string());
                walk(x, Some(y), path, d, ignore, out);
                path.truncate(len);
            }
        }
        _ => {
            let equal = match actual {
                Some(a) => leaf_equal(desired, a, path, d),
                // ARM omits empty objects and nulls it was sent.
                None => desired.is_null() || desired.as_object().is_some_and(|m| m.is_empty()),
            };
            if !equal {
                out.push(LeafChange {
                    path: path.to_string(),
                    before: actual.cloned(),
                    after: Some(desired.clone()),
                    after_unknown: false,
                });
            }
        }
    }
}

/// Whether a desired leaf matches the actual value at the same path.
pub fn leaf_equal(desired: &Value, actual: &Value, path: &str, d: &Behavior) -> bool {
    match (desired, actual) {
        (Value::String(x), Value::String(y)) => {
            if x == y {
                return true;
            }
            let insensitive = d.case_insensitive_paths.iter().any(|p| p == path)
                || CASE_INSENSITIVE_LEAVES
                    .iter()
                    .any(|leaf| is_leaf_named(path, leaf))
                || (arm_id::looks_like_arm_id(x) && arm_id::looks_like_arm_id(y));
            if insensitive && x.eq_ignore_ascii_case(y) {
                return true;
            }
            if d.yaml_paths.iter().any(|p| p == path) && same_yaml(x, y) {
                return true;
            }
            if x.starts_with('P')
                && y.starts_with('P')
                && let (Ok(a), Ok(b)) = (duration::parse_iso8601(x), duration::parse_iso8601(y))
            {
                return a == b;
            }
            false
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len()
                && xs.iter().zip(ys).all(|(x, y)| match (x, y) {
                    // Objects inside arrays: compare what we sent, like top-level bodies.
                    (Value::Object(_), Value::Object(_)) => {
                        let mut inner = Vec::new();
                        walk(x, Some(y), &mut path.to_string(), d, &[], &mut inner);
                        inner.is_empty()
                    }
                    _ => leaf_equal(x, y, path, d),
                })
        }
        (Value::Object(x), Value::Object(y)) if x.is_empty() => {
            y.is_empty() || path.ends_with("tags") && y.is_empty()
        }
        _ => desired == actual,
    }
}

/// Whether two YAML documents mean the same: equal once parsed (mappings compare without
/// their key order, scalars by their YAML type). Text that does not parse is not the same
/// as anything it is not byte-equal to.
fn same_yaml(a: &str, b: &str) -> bool {
    let parse = |text: &str| serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).ok();
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The value at a dotted path (array-aware: `connections.0.properties`).
pub fn get_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    json_path::get(value, path)
}

/// Sets the value at a dotted path, creating objects on the way.
pub fn set_path(value: &mut Value, path: &str, new: Value) {
    json_path::set(value, path, new);
}

/// What a redacted value reads as, in plans, plan files and the state.
pub const SENSITIVE: &str = "(sensitive)";

/// A copy of `body` with the given paths replaced by `"(sensitive)"` (only where the body
/// holds a value: redaction never adds a property).
pub fn redact(body: &Value, sensitive: &[String]) -> Value {
    let mut out = body.clone();
    redact_in_place(&mut out, sensitive);
    out
}

fn redact_in_place(body: &mut Value, sensitive: &[String]) {
    for path in sensitive {
        json_path::replace(body, path, Value::String(SENSITIVE.into()));
    }
}

/// One changed leaf with every sensitive value in it redacted: the whole change when its path
/// is (or lies below) a sensitive path; the sensitive paths inside it when it is an object or
/// array holding them (an array of schedules changed as a whole). `secrets` are the sensitive
/// values themselves: a value ARM returned is scrubbed of them wherever they sit (ARM may hold
/// an array in another order than the one sent).
pub fn redact_change(mut change: LeafChange, sensitive: &[String], secrets: &[&str]) -> LeafChange {
    let whole = sensitive
        .iter()
        .any(|s| json_path::is_within(&change.path, s));
    if whole {
        change.before = change.before.map(|_| Value::String(SENSITIVE.into()));
        change.after = change.after.map(|_| Value::String(SENSITIVE.into()));
        return change;
    }
    let inner: Vec<String> = sensitive
        .iter()
        .filter(|s| json_path::is_within(s, &change.path))
        .map(|s| match change.path.is_empty() {
            true => s.clone(),
            false => s[change.path.len() + 1..].to_string(),
        })
        .collect();
    for value in [&mut change.before, &mut change.after]
        .into_iter()
        .flatten()
    {
        redact_in_place(value, &inner);
        scrub(value, secrets);
    }
    change
}

/// What ARM returned for a resource, as plans show it: the desired body's sensitive paths
/// redacted and its sensitive values scrubbed wherever else they appear.
pub fn redact_actual(actual: &Value, desired: &Desired) -> Value {
    let mut out = redact(actual, &desired.sensitive);
    scrub(&mut out, &secrets_of(&desired.body, &desired.sensitive));
    out
}

/// The sensitive string values of `body` (those at `sensitive` paths, and the strings inside
/// them), for [`redact_change`].
pub fn secrets_of<'b>(body: &'b Value, sensitive: &[String]) -> Vec<&'b str> {
    fn strings<'b>(v: &'b Value, out: &mut Vec<&'b str>) {
        match v {
            Value::String(s) if s != SENSITIVE => out.push(s),
            Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
            Value::Object(map) => map.values().for_each(|i| strings(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for path in sensitive {
        if let Some(v) = json_path::get(body, path) {
            strings(v, &mut out);
        }
    }
    out
}

/// The paths of `body` that hold the redaction marker (a body as the state stores it).
pub fn redacted_paths(body: &Value) -> Vec<String> {
    fn find(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s == SENSITIVE => out.push(path.to_string()),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    find(item, &json_path::join(path, &i.to_string()), out);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    find(item, &json_path::join(path, k), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    find(body, "", &mut out);
    out
}

/// Replaces every string equal to (or containing) one of `secrets` by the redaction marker.
fn scrub(value: &mut Value, secrets: &[&str]) {
    if secrets.is_empty() {
        return;
    }
    match value {
        // Equal ignoring case (ARM may normalise it), or holding a secret long enough not to
        // be an accident.
        Value::String(s)
            if secrets.iter().any(|x| {
                !x.is_empty() && (s.eq_ignore_ascii_case(x) || (x.len() >= 6 && s.contains(x)))
            }) =>
        {
            *s = SENSITIVE.into()
        }
        Value::Array(items) => items.iter_mut().for_each(|i| scrub(i, secrets)),
        Value::Object(map) => map.values_mut().for_each(|i| scrub(i, secrets)),
        _ => {}
    }
}

/// Merges `patch` into `base` (objects recursively, everything else replaced): how a partial
/// entry (an endpoint's traffic) is applied onto the resource ARM returned.
pub fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                match b.get_mut(k) {
                    Some(existing)
                        if existing.is_object()
                            && v.is_object()
                            && !v.as_object().is_some_and(|m| m.is_empty()) =>
                    {
                        merge(existing, v)
                    }
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn desired(body: Value) -> Desired {
        Desired {
            address: "compute_cluster.gpu".into(),
            kind: "compute_cluster".into(),
            id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/computes/gpu".into(),
            api_version: "2025-09-01".into(),
            body,
            create_only: Vec::new(),
            sensitive: Vec::new(),
            unknown: Vec::new(),
            id_unknown: false,
            depends_on: Vec::new(),
            span: None,
            implicit: false,
            lifecycle: Default::default(),
            behavior: crate::arm::Behavior {
                case_insensitive_paths: vec!["properties.properties.vmSize".into()],
                ..Default::default()
            },
            partial_of: None,
            origins: Vec::new(),
            upload: None,
        }
    }

    #[test]
    fn yaml_paths_compare_by_meaning() {
        let sent = "name: fraud\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip:\n      - scikit-learn==1.5.0\n";
        let mut d = desired(json!({"properties": {"condaFile": sent}}));
        d.behavior.yaml_paths = vec!["properties.condaFile".into()];
        // As `az ml` writes it back: other key order, flow style, quoting, a comment.
        let reserialised = "# exported\ndependencies: [\"python=3.11\", {pip: [scikit-learn==1.5.0]}]\nname: 'fraud'\nchannels: [conda-forge]\n";
        let actual = json!({"properties": {"condaFile": reserialised}});
        assert_eq!(diff(&d, &actual, &[]), Vec::new());
        // Another package version is a change.
        let changed = reserialised.replace("1.5.0", "1.6.0");
        let actual = json!({"properties": {"condaFile": changed}});
        assert_eq!(diff(&d, &actual, &[]).len(), 1);
        // Elsewhere, and without the mark, text compares as text.
        d.behavior.yaml_paths.clear();
        let actual = json!({"properties": {"condaFile": reserialised}});
        assert_eq!(diff(&d, &actual, &[]).len(), 1);
        // Text that is not YAML is never equal to other text.
        assert!(!same_yaml("a: [", "a: ["));
    }

    #[test]
    fn only_desired_leaves_are_compared() {
        let d = desired(
            json!({"location": "eastus", "properties": {"properties": {"vmSize": "Standard_DS3_v2", "scaleSettings": {"maxNodeCount": 4, "nodeIdleTimeBeforeScaleDown": "PT2M"}}}}),
        );
        let actual = json!({"id": "x", "location": "EastUS", "properties": {"provisioningState": "Succeeded", "properties": {"vmSize": "STANDARD_DS3_V2", "allocationState": "Steady", "scaleSettings": {"maxNodeCount": 4.0, "minNodeCount": 0, "nodeIdleTimeBeforeScaleDown": "PT120S"}}}});
        assert_eq!(diff(&d, &actual, &[]), Vec::new());
    }

    #[test]
    fn changed_and_missing_leaves_are_reported() {
        let d = desired(
            json!({"properties": {"properties": {"scaleSettings": {"maxNodeCount": 4}, "subnet": {"id": "/subscriptions/s/x"}}}}),
        );
        let actual = json!({"properties": {"properties": {"scaleSettings": {"maxNodeCount": 2}}}});
        let changes = diff(&d, &actual, &[]);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "properties.properties.scaleSettings.maxNodeCount",
                "properties.properties.subnet.id"
            ]
        );
        assert_eq!(changes[0].before, Some(json!(2)));
        assert_eq!(changes[0].after, Some(json!(4)));
    }

    #[test]
    fn ignored_paths_and_unknowns_are_skipped() {
        let mut d = desired(json!({"tags": {"team": "a"}, "properties": {"x": null}}));
        d.unknown = vec!["properties.x".into()];
        let actual = json!({"tags": {"team": "b"}, "properties": {"x": "anything"}});
        assert!(diff(&d, &actual, &["tags".to_string()]).is_empty());
        assert_eq!(diff(&d, &actual, &[]).len(), 1);
        // A user's value that reads like the unknown text is compared as the string it is.
        let d = desired(json!({"tags": {"note": crate::arm::UNKNOWN_TEXT}}));
        assert_eq!(diff(&d, &json!({"tags": {"note": "other"}}), &[]).len(), 1);
        assert!(
            diff(
                &d,
                &json!({"tags": {"note": crate::arm::UNKNOWN_TEXT}}),
                &[]
            )
            .is_empty()
        );
    }

    #[test]
    fn arrays_of_objects_compare_what_was_sent() {
        let d = desired(
            json!({"properties": {"configs": [{"name": "a", "properties": {"id": "/subscriptions/S/x"}}]}}),
        );
        let actual = json!({"properties": {"configs": [{"name": "a", "etag": "1", "properties": {"id": "/subscriptions/s/X", "extra": 1}}]}});
        assert!(diff(&d, &actual, &[]).is_empty());
    }

    #[test]
    fn arrays_of_objects_are_walked_by_index() {
        let d = desired(
            json!({"properties": {"c": [{"properties": {"groupIds": ["a"], "msg": "x"}}]}}),
        );
        let actual =
            json!({"properties": {"c": [{"properties": {"groupIds": ["b"], "msg": "x"}}]}});
        let paths: Vec<String> = diff(&d, &actual, &[]).into_iter().map(|c| c.path).collect();
        assert_eq!(paths, ["properties.c.0.properties.groupIds"]);
    }

    #[test]
    fn user_maps_compare_whole() {
        let d = desired(json!({"properties": {"traffic": {"blue": 100}}}));
        let actual = json!({"properties": {"traffic": {"blue": 100, "green": 0}}});
        assert_eq!(diff(&d, &actual, &[]).len(), 1);
        let actual = json!({"properties": {"traffic": {"blue": 100}}});
        assert!(diff(&d, &actual, &[]).is_empty());
    }

    #[test]
    fn redact_and_merge() {
        let body = json!({"properties": {"secret": "hunter2", "other": 1}});
        let r = redact(
            &body,
            &["properties.secret".into(), "properties.absent".into()],
        );
        assert_eq!(
            r,
            json!({"properties": {"secret": "(sensitive)", "other": 1}})
        );
        let mut base = json!({"properties": {"authMode": "Key", "traffic": {"blue": 100}}});
        merge(
            &mut base,
            &json!({"properties": {"traffic": {"blue": 90, "green": 10}}}),
        );
        assert_eq!(
            base,
            json!({"properties": {"authMode": "Key", "traffic": {"blue": 90, "green": 10}}})
        );
    }

    #[test]
    fn redaction_reaches_into_arrays() {
        let sensitive = vec!["properties.schedules.computeStartStop.0.cron.timeZone".to_string()];
        let body = json!({"properties": {"schedules": {"computeStartStop": [
            {"cron": {"timeZone": "Secret Standard Time"}, "action": "Stop"}
        ]}}});
        let r = redact(&body, &sensitive);
        assert_eq!(
            r["properties"]["schedules"]["computeStartStop"][0]["cron"]["timeZone"],
            "(sensitive)"
        );
        assert_eq!(
            r["properties"]["schedules"]["computeStartStop"][0]["action"],
            "Stop"
        );
        assert_eq!(redacted_paths(&r), sensitive);

        // A change of the whole array redacts the sensitive leaf inside it, and a value ARM
        // returned in another order is scrubbed of the secret all the same.
        let secrets = secrets_of(&body, &sensitive);
        assert_eq!(secrets, vec!["Secret Standard Time"]);
        let change = LeafChange {
            path: "properties.schedules".into(),
            before: Some(json!({"computeStartStop": [
                {"cron": {"timeZone": "UTC"}},
                {"cron": {"timeZone": "secret standard time"}}
            ]})),
            after: Some(body["properties"]["schedules"].clone()),
            after_unknown: false,
        };
        let shown = redact_change(change, &sensitive, &secrets);
        let text = serde_json::to_string(&shown.before).unwrap()
            + &serde_json::to_string(&shown.after).unwrap();
        assert!(
            !text.to_lowercase().contains("secret standard time"),
            "{text}"
        );
        assert!(text.contains("Stop"), "{text}");

        // A change at or below a sensitive path is redacted whole.
        let leaf = LeafChange {
            path: sensitive[0].clone(),
            before: Some(json!("a")),
            after: Some(json!("b")),
            after_unknown: false,
        };
        let shown = redact_change(leaf, &sensitive, &[]);
        assert_eq!(shown.before, Some(json!("(sensitive)")));
        assert_eq!(shown.after, Some(json!("(sensitive)")));
    }

    #[test]
    fn diff_bodies_lists_every_changed_leaf() {
        let a = json!({"x": {"y": 1, "z": 2}});
        let b = json!({"x": {"y": 1, "z": 3, "w": 4}});
        let paths: Vec<String> = diff_bodies(&a, &b, &[])
            .into_iter()
            .map(|c| c.path)
            .collect();
        assert_eq!(paths, ["x.w", "x.z"]);
        // An unknown value is a change, shown as such, also inside an array.
        let b = json!({"x": {"y": null, "z": 2, "l": [1, null]}});
        let changes = diff_bodies(&a, &b, &["x.y".into(), "x.l.1".into()]);
        let shown: Vec<(&str, Option<&Value>, bool)> = changes
            .iter()
            .map(|c| (c.path.as_str(), c.after.as_ref(), c.after_unknown))
            .collect();
        assert_eq!(
            shown,
            [
                ("x.l", Some(&json!([1, "(known after apply)"])), false),
                ("x.y", Some(&json!("(known after apply)")), true)
            ]
        );
    }
}
