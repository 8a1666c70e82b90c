//! How the plans name a change: after the manifest attribute behind its ARM path
//! (`max_nodes`, `scale.min_instances`, `schedule["nightly-stop"].time_zone`,
//! `tags["owner"]`), with the value in the manifest's form (`true` for `"Enabled"`, `"30m"`
//! for `PT30M`), and by its ARM path only where nothing in the manifest maps to it (what
//! amlplan or ARM sets itself). The names come from the entry's origins
//! ([`crate::arm::Desired::origins`], copied onto drift), which the lowering built from the
//! descriptors.

use serde_json::Value;

use crate::arm::{Behavior, Origin, origin_of};
use crate::plan::LeafChange;
use crate::plan::compare::leaf_equal;
use crate::schema::{AttrType, Wire};
use crate::source::Span;

/// One changed value, as a plan line shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// The manifest path, or the ARM path where no manifest attribute maps to it.
    pub name: String,
    /// `name` is a manifest path.
    pub in_manifest: bool,
    /// The ARM path of the change (for `# forces replacement`).
    pub arm_path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// The new value is known only after apply.
    pub after_unknown: bool,
}

/// The manifest path of a change's ARM path and where the manifest sets it (the attribute, or
/// its block where the attribute is absent); `None` where nothing in the manifest maps to it.
pub fn manifest_path(origins: &[Origin], path: &str) -> Option<(String, Span)> {
    let (origin, rest) = origin_of(origins, path)?;
    Some((name_of(origin, rest), origin.span))
}

/// The lines of one entry's changes: each under its manifest name, values in manifest form,
/// a change of a whole block (an array of repeated blocks, created or changed in length)
/// shown per attribute of each block instance. Named lines come first, then the ARM paths,
/// each group sorted.
///
/// `behavior` is how ARM compares the entry's values (so an expanded leaf ARM re-cased is
/// not a change); `unknown` are the entry's paths known only after apply.
pub fn lines(
    origins: &[Origin],
    behavior: &Behavior,
    unknown: &[String],
    changes: &[LeafChange],
) -> Vec<Named> {
    let mut out = Vec::new();
    for change in changes {
        let mut expanded = Vec::new();
        if covers_mapped(origins, &change.path) {
            expand(
                behavior,
                &change.path,
                change.before.as_ref(),
                change.after.as_ref(),
                &mut expanded,
            );
        }
        let mark = |mut line: Named| {
            line.after_unknown = line.after_unknown
                || unknown
                    .iter()
                    .any(|u| crate::json_path::is_within(&line.arm_path, u));
            line
        };
        if expanded.is_empty() {
            out.push(mark(named(origins, change)));
        } else {
            out.extend(expanded.iter().map(|leaf| mark(named(origins, leaf))));
        }
    }
    out.sort_by(|a, b| (!a.in_manifest, &a.name).cmp(&(!b.in_manifest, &b.name)));
    out
}

/// Whether the change is a whole object or array that attributes inside it map to (a block,
/// or the structure a hook builds from several attributes).
fn covers_mapped(origins: &[Origin], path: &str) -> bool {
    origins.iter().any(|o| {
        o.schema.is_some()
            && (path.is_empty()
                || o.path
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.')))
    })
}

/// The leaves of a changed object or array that differ: every leaf of `after` (arrays of
/// objects element by element) unequal to the same leaf of `before`, and the elements of
/// `before` beyond the end of `after` (removed). What ARM holds besides (read-only
/// properties it added) is not amlplan's, as in the comparison.
fn expand(
    behavior: &Behavior,
    path: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    out: &mut Vec<LeafChange>,
) {
    let child = |key: &str| crate::json_path::join(path, key);
    match after {
        Some(Value::Object(map)) if !map.is_empty() => {
            for (k, v) in map {
                expand(
                    behavior,
                    &child(k),
                    before.and_then(|b| b.get(k)),
                    Some(v),
                    out,
                );
            }
        }
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_object) => {
            let old = before.and_then(Value::as_array);
            for (i, v) in items.iter().enumerate() {
                expand(
                    behavior,
                    &child(&i.to_string()),
                    old.and_then(|o| o.get(i)),
                    Some(v),
                    out,
                );
            }
            for (i, v) in old.into_iter().flatten().enumerate().skip(items.len()) {
                out.push(LeafChange {
                    path: child(&i.to_string()),
                    before: Some(v.clone()),
                    after: None,
                    after_unknown: false,
                });
            }
        }
        Some(v) => {
            if before.is_none_or(|b| !leaf_equal(v, b, path, behavior)) {
                out.push(LeafChange {
                    path: path.to_string(),
                    before: before.cloned(),
                    after: Some(v.clone()),
                    after_unknown: false,
                });
            }
        }
        None => {
            if let Some(b) = before {
                out.push(LeafChange {
                    path: path.to_string(),
                    before: Some(b.clone()),
                    after: None,
                    after_unknown: false,
                });
            }
        }
    }
}

fn named(origins: &[Origin], change: &LeafChange) -> Named {
    let Some((origin, rest)) = origin_of(origins, &change.path) else {
        if let Some(name) = removed_instance(origins, &change.path) {
            return Named {
                name,
                in_manifest: true,
                arm_path: change.path.clone(),
                before: change.before.clone(),
                after: change.after.clone(),
                after_unknown: change.after_unknown,
            };
        }
        return Named {
            name: change.path.clone(),
            in_manifest: false,
            arm_path: change.path.clone(),
            before: change.before.clone(),
            after: change.after.clone(),
            after_unknown: change.after_unknown,
        };
    };
    let shown = |v: &Option<Value>| v.as_ref().map(|v| manifest_value(origin, rest, v));
    Named {
        name: name_of(origin, rest),
        in_manifest: true,
        arm_path: change.path.clone(),
        before: shown(&change.before),
        after: match change.after_unknown {
            true => change.after.clone(),
            false => shown(&change.after),
        },
        after_unknown: change.after_unknown,
    }
}

/// An element of a repeated block's array that the manifest no longer has (so no origin):
/// the block by index, `schedule[1]`.
fn removed_instance(origins: &[Origin], path: &str) -> Option<String> {
    let (array, index) = path.rsplit_once('.')?;
    if !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let block = origins
        .iter()
        .find(|o| o.schema.is_none() && o.path == array)?;
    Some(format!("{}[{index}]", block.attribute))
}

/// The manifest path of `origin` and the part of the ARM path below it: a list's element by
/// index (`ipv4[0]`, whatever ARM wraps it in), a map's key (`tags["owner"]`, an ID map's
/// ID).
fn name_of(origin: &Origin, rest: &str) -> String {
    if rest.is_empty() {
        return origin.attribute.to_string();
    }
    if let Some(index) = list_index(origin, rest) {
        return format!("{}[{index}]", origin.attribute);
    }
    let key = serde_json::to_string(rest).unwrap_or_else(|_| format!("\"{rest}\""));
    format!("{}[{key}]", origin.attribute)
}

/// The element index `rest` starts with, for a list attribute sent as an array.
fn list_index<'r>(origin: &Origin, rest: &'r str) -> Option<&'r str> {
    let schema = origin.schema?;
    if !matches!(schema.ty, AttrType::List(_)) || schema.wire == Wire::IdMap {
        return None;
    }
    let index = rest.split('.').next()?;
    index.bytes().all(|b| b.is_ascii_digit()).then_some(index)
}

/// A value at (or below, `rest`) an origin's path, in the manifest's form.
fn manifest_value(origin: &Origin, rest: &str, value: &Value) -> Value {
    let Some(schema) = origin.schema else {
        return value.clone();
    };
    match (&schema.ty, rest.is_empty()) {
        (ty, true) => schema.wire.manifest_form(ty, value),
        (AttrType::Map(inner), false) => Wire::default_for(inner).manifest_form(inner, value),
        // One element, itself (not what ARM wraps it in).
        (AttrType::List(inner), false) if list_index(origin, rest) == Some(rest) => {
            Wire::default_for(inner).manifest_form(inner, value)
        }
        _ => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn origin(
        path: &str,
        attribute: &str,
        schema: Option<&'static crate::schema::AttrSchema>,
    ) -> Origin {
        Origin {
            path: path.to_string().into(),
            attribute: attribute.to_string().into(),
            span: Span::new(crate::source::FileId(0), 0..0),
            schema,
        }
    }

    fn instance() -> crate::arm::Desired {
        let kind = &crate::schema::compute_instance::SCHEMA;
        let schedule = kind.body.block("schedule").expect("schedule").body;
        let arr = "properties.properties.schedules.computeStartStop";
        let mut d = crate::arm::lower::entry(crate::arm::lower::EntryInit {
            address: "compute_instance.dev".into(),
            kind: "compute_instance",
            id: String::new(),
            api_version: "2025-09-01",
            span: Span::new(crate::source::FileId(0), 0..0),
        });
        d.origins = vec![
            origin(
                "properties.properties.sshSettings.sshPublicAccess",
                "ssh_public_access",
                kind.body.attr("ssh_public_access"),
            ),
            origin(
                "properties.properties.idleTimeBeforeShutdown",
                "idle_shutdown",
                kind.body.attr("idle_shutdown"),
            ),
            origin("tags", "tags", Some(&crate::schema::meta::TAGS)),
            origin(arr, "schedule", None),
            origin(&format!("{arr}.0"), "schedule[\"stop\"]", None),
            origin(
                &format!("{arr}.0.cron.timeZone"),
                "schedule[\"stop\"].time_zone",
                schedule.attr("time_zone"),
            ),
            origin(
                &format!("{arr}.0.status"),
                "schedule[\"stop\"].enabled",
                schedule.attr("enabled"),
            ),
        ];
        d
    }

    fn change(path: &str, before: Option<Value>, after: Option<Value>) -> LeafChange {
        LeafChange {
            path: path.into(),
            before,
            after,
            after_unknown: false,
        }
    }

    #[test]
    fn wire_forms_read_as_the_manifest_writes_them() {
        let d = instance();
        let shown = lines(
            &d.origins,
            &d.behavior,
            &[],
            &[
                change(
                    "properties.properties.sshSettings.sshPublicAccess",
                    Some(json!("Disabled")),
                    Some(json!("Enabled")),
                ),
                change(
                    "properties.properties.idleTimeBeforeShutdown",
                    Some(json!("PT30M")),
                    Some(json!("PT1H30M")),
                ),
                change("tags.owner", None, Some(json!("ml"))),
                change(
                    "properties.computeType",
                    None,
                    Some(json!("ComputeInstance")),
                ),
            ],
        );
        let text: Vec<String> = shown
            .iter()
            .map(|n| format!("{} {:?} {:?}", n.name, n.before, n.after))
            .collect();
        assert_eq!(
            text,
            [
                "idle_shutdown Some(String(\"30m\")) Some(String(\"1h30m\"))",
                "ssh_public_access Some(Bool(false)) Some(Bool(true))",
                "tags[\"owner\"] None Some(String(\"ml\"))",
                "properties.computeType None Some(String(\"ComputeInstance\"))",
            ]
        );
    }

    #[test]
    fn a_changed_array_of_blocks_is_shown_per_block_instance() {
        let d = instance();
        let arr = "properties.properties.schedules.computeStartStop";
        let shown = lines(
            &d.origins,
            &d.behavior,
            &[],
            &[change(
                arr,
                Some(
                    json!([{"cron": {"timeZone": "UTC"}, "status": "Enabled", "id": "x"}, {"status": "Enabled"}]),
                ),
                Some(
                    json!([{"cron": {"timeZone": "CET"}, "status": "Disabled", "triggerType": "Cron"}]),
                ),
            )],
        );
        let names: Vec<&str> = shown.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "schedule[\"stop\"].enabled",
                "schedule[\"stop\"].time_zone",
                "schedule[1]",
                &format!("{arr}.0.triggerType"),
            ]
        );
        assert_eq!(shown[0].after, Some(json!(false)));
        assert_eq!(shown[1].before, Some(json!("UTC")));
        // Nothing inside differs where it can be seen (a sensitive leaf both sides): the
        // change is shown whole, under the block's name.
        let hidden = lines(
            &d.origins,
            &d.behavior,
            &[],
            &[change(
                arr,
                Some(json!([{"cron": {"timeZone": "(sensitive)"}}])),
                Some(json!([{"cron": {"timeZone": "(sensitive)"}}])),
            )],
        );
        assert_eq!(hidden.len(), 1);
        assert_eq!(hidden[0].name, "schedule");
    }

    #[test]
    fn a_list_sent_wrapped_is_named_by_element() {
        let record = crate::schema::private_dns_zone::SCHEMA
            .body
            .block("a_record")
            .expect("a_record")
            .body;
        let origins = [origin(
            "properties.aRecords",
            "a_record[\"api\"].ipv4",
            record.attr("ipv4"),
        )];
        let shown = lines(
            &origins,
            &Behavior::default(),
            &[],
            &[
                change(
                    "properties.aRecords.1.ipv4Address",
                    Some(json!("10.0.0.5")),
                    Some(json!("10.0.0.6")),
                ),
                change(
                    "properties.aRecords",
                    None,
                    Some(json!([{"ipv4Address": "10.0.0.4"}])),
                ),
            ],
        );
        let text: Vec<String> = shown
            .iter()
            .map(|n| format!("{} {:?}", n.name, n.after))
            .collect();
        assert_eq!(
            text,
            [
                "a_record[\"api\"].ipv4 Some(Array [String(\"10.0.0.4\")])",
                "a_record[\"api\"].ipv4[1] Some(String(\"10.0.0.6\"))",
            ]
        );
    }

    #[test]
    fn json_names_each_change_or_none() {
        let d = instance();
        let arr = "properties.properties.schedules.computeStartStop";
        assert_eq!(
            manifest_path(&d.origins, &format!("{arr}.0.cron.timeZone")).map(|(n, _)| n),
            Some("schedule[\"stop\"].time_zone".to_string())
        );
        // A block matches only its own path: what amlplan sets inside it is not the block.
        assert_eq!(
            manifest_path(&d.origins, &format!("{arr}.0.triggerType")),
            None
        );
        assert_eq!(
            manifest_path(&d.origins, arr).map(|(n, _)| n),
            Some("schedule".to_string())
        );
        assert_eq!(manifest_path(&[], arr), None);
    }
}
