//! The planner: desired × prior × actual → actions.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::compare::{self, LeafChange};
use super::{Action, Drift, OldVersion, Plan, Prior, ResourceChange};
use crate::arm::{Desired, PathRule};
use crate::diagnostic::Diagnostic;
use crate::diagnostics;

/// What a refresh read: lower-cased ARM ID → the resource as ARM returned it (`None` when
/// ARM answered 404).
pub type Actual = HashMap<String, Option<Value>>;

/// The key of an ARM ID in [`Actual`] (ARM IDs are case-insensitive).
pub fn id_key(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// Properties of an asset version that may change in place.
const MUTABLE_ASSET_PATHS: &[&str] = &[
    "properties.description",
    "properties.tags",
    "properties.stage",
    "properties.isArchived",
];

#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// Only report drift; plan no actions.
    pub refresh_only: bool,
}

pub fn plan(desired: &[Desired], prior: &[Prior], actual: &Actual, options: PlanOptions) -> Plan {
    let prior_by_address: BTreeMap<&str, &Prior> =
        prior.iter().map(|p| (p.address.as_str(), p)).collect();
    let desired_addresses: std::collections::HashSet<&str> =
        desired.iter().map(|d| d.address.as_str()).collect();
    // A block renamed in the manifest whose ARM resource stays the same (same ID) is a move:
    // the state entry follows the new address and nothing is deleted.
    let mut moved: BTreeMap<&str, &Prior> = BTreeMap::new();
    for d in desired
        .iter()
        .filter(|d| !prior_by_address.contains_key(d.address.as_str()))
    {
        if let Some(p) = prior.iter().find(|p| {
            !desired_addresses.contains(p.address.as_str())
                && crate::state::deposed_base(&p.address).is_none()
                && p.id.eq_ignore_ascii_case(&d.id)
                && p.partial_of.is_some() == d.partial_of.is_some()
                && !moved.values().any(|m| m.address == p.address)
        }) {
            moved.insert(d.address.as_str(), p);
        }
    }
    let mut plan = Plan {
        refresh_only: options.refresh_only,
        ..Plan::default()
    };
    for d in desired {
        let prior = prior_by_address
            .get(d.address.as_str())
            .or_else(|| moved.get(d.address.as_str()))
            .copied();
        // Adopted from outside amlplan: the entry means the existing resource, at its ID.
        let adopted_entry;
        let d = match prior {
            Some(p) if p.adopted && !p.id.eq_ignore_ascii_case(&d.id) => {
                adopted_entry = Desired {
                    id: p.id.clone(),
                    ..d.clone()
                };
                &adopted_entry
            }
            _ => d,
        };
        let current = actual.get(&id_key(&d.id)).and_then(Option::as_ref);
        if let Some(mut drift) = prior.and_then(|p| drift_of(p, actual)) {
            drift.origins = d.origins.clone();
            plan.drift.push(drift);
        }
        if options.refresh_only {
            continue;
        }
        let mut change = change_for(d, prior, current, &mut plan.errors);
        if change.action == Action::Create
            && let Some(deleted) = d.soft_deleted_id()
            && actual.get(&id_key(&deleted)).is_some_and(Option::is_some)
        {
            change.reason = Some(recovery_reason(d));
            change.recovers = Some(deleted);
        }
        // What exists now is shown for what changes; an unchanged resource carries none
        // (copying every unchanged body costs more than the rest of the plan).
        if change.action != Action::NoOp {
            change.before = current.map(|c| compare::redact_actual(c, d));
        }
        if let Some(p) = prior.filter(|p| p.address != d.address) {
            let moved_note = format!("moved from {}", p.address);
            change.reason = Some(match change.reason.take() {
                Some(r) => format!("{moved_note}; {r}"),
                None => moved_note,
            });
        }
        plan.changes.push(change);
    }
    for p in prior.iter().filter(|p| {
        !desired_addresses.contains(p.address.as_str())
            && !moved.values().any(|m| m.address == p.address)
    }) {
        if let Some(drift) = drift_of(p, actual) {
            plan.drift.push(drift);
        }
        if options.refresh_only {
            continue;
        }
        let exists = actual.get(&id_key(&p.id)).is_none_or(|a| a.is_some());
        // An asset version no longer in the manifest is archived, not deleted (a destroy
        // with `delete_old_versions` deletes it: the command knows the manifest's lifecycle).
        let archived = exists
            && crate::schema::by_kind_name(&p.kind).is_some_and(|k| k.behavior().versioned_asset);
        plan.changes.push(ResourceChange {
            address: p.address.clone(),
            kind: p.kind.clone(),
            action: if exists { Action::Delete } else { Action::NoOp },
            exists,
            reason: Some(if let Some(base) = crate::state::deposed_base(&p.address) {
                if exists {
                    format!("the object {base} replaced; its delete did not finish")
                } else {
                    format!("the object {base} replaced, already gone; it is forgotten")
                }
            } else if archived {
                "no longer in the manifest; the version is archived, not deleted".into()
            } else if exists {
                "no longer in the manifest".into()
            } else {
                "no longer in the manifest and already gone; it is forgotten".into()
            }),
            changes: Vec::new(),
            replace_paths: Vec::new(),
            before: actual
                .get(&id_key(&p.id))
                .cloned()
                .flatten()
                .or(Some(p.applied_body.clone())),
            desired: None,
            prior: Some(p.clone()),
            old_version: archived.then_some(OldVersion::Archive),
            recovers: None,
        });
    }
    if !options.refresh_only {
        cascade_replacements(&mut plan);
        keep_versions_in_use(&mut plan, desired);
        note_rolling_updates(&mut plan, actual);
    }
    plan.changes.sort_by(|a, b| a.address.cmp(&b.address));
    plan.drift.sort_by(|a, b| a.address.cmp(&b.address));
    plan
}

/// An old asset version the manifest still names by ID elsewhere (a deployment pinned to
/// `.../models/m/versions/1` while the model block moved on) is kept as it is, not archived.
fn keep_versions_in_use(plan: &mut Plan, desired: &[Desired]) {
    if !plan.changes.iter().any(|c| c.archives().is_some()) {
        return;
    }
    let bodies: Vec<(&str, String)> = desired
        .iter()
        .map(|d| (d.address.as_str(), d.body.to_string().to_ascii_lowercase()))
        .collect();
    for c in &mut plan.changes {
        let Some(old) = c
            .archives()
            .map(|p| format!("\"{}\"", p.id.to_ascii_lowercase()))
        else {
            continue;
        };
        if let Some((user, _)) = bodies
            .iter()
            .find(|(a, body)| *a != c.address && body.contains(&old))
        {
            c.old_version = Some(OldVersion::Keep {
                used_by: user.to_string(),
            });
            let reason = c.reason.take().unwrap_or_default();
            c.reason = Some(format!(
                "{} is created; the old version is kept: {user} still uses it",
                reason
                    .split_once(" is created; ")
                    .map_or(reason.as_str(), |(head, _)| head)
            ));
        }
    }
}

/// An update that rolls a resource's instances (a deployment's new code version) says so,
/// with the share of live traffic its parent routes to it now (what the refresh read).
fn note_rolling_updates(plan: &mut Plan, actual: &Actual) {
    for c in plan
        .changes
        .iter_mut()
        .filter(|c| c.action == Action::Update)
    {
        let Some(rolling) = crate::schema::by_kind_name(&c.kind).and_then(|k| k.behavior().rolling)
        else {
            continue;
        };
        let rolls = c.changes.iter().any(|l| {
            rolling
                .paths
                .iter()
                .any(|p| crate::json_path::is_within(&l.path, p))
        });
        let Some(d) = c.desired.as_ref().filter(|_| rolls) else {
            continue;
        };
        // `{parent}/{collection}/{name}`
        let mut parts = d.id.rsplitn(3, '/');
        let (Some(name), Some(_), Some(parent)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let share = actual
            .get(&id_key(parent))
            .and_then(Option::as_ref)
            .and_then(|p| compare::get_path(p, rolling.parent_traffic))
            .and_then(Value::as_object)
            .and_then(|t| {
                t.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .and_then(|(_, v)| v.as_u64())
            })
            .unwrap_or(0);
        let note = match share {
            0 => "its instances roll to the new version; it takes no live traffic now".to_string(),
            n => format!(
                "its instances roll to the new version while it serves {n}% of live traffic"
            ),
        };
        c.reason = Some(match c.reason.take() {
            Some(r) => format!("{r}; {note}"),
            None => note,
        });
    }
}

/// Deleting a resource deletes what lives inside it (a workspace's computes, assets and
/// endpoints; role assignments scoped to it), so a replacement replaces those too, and the
/// partial entries of a replaced resource (an endpoint's traffic) are written again.
fn cascade_replacements(plan: &mut Plan) {
    let mut cascaded: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        let replaced: Vec<(String, String)> = plan
            .changes
            .iter()
            .filter(|c| c.action.is_replace())
            .filter_map(|c| {
                let old = c.prior.as_ref().map_or_else(
                    || c.desired.as_ref().map(|d| d.id.clone()),
                    |p| Some(p.id.clone()),
                )?;
                Some((c.address.clone(), old.to_ascii_lowercase()))
            })
            .collect();
        let mut changed = false;
        for c in plan.changes.iter_mut() {
            if !matches!(c.action, Action::NoOp | Action::Update) || cascaded.contains(&c.address) {
                continue;
            }
            let Some(d) = &c.desired else { continue };
            let id = d.id.to_ascii_lowercase();
            let inside = replaced.iter().find(|(addr, old)| {
                *addr != c.address
                    && (id.starts_with(&format!("{old}/"))
                        || d.partial_of.as_deref() == Some(addr.as_str()))
            });
            let Some((parent, _)) = inside else { continue };
            if c.prior.is_none() && !c.exists {
                continue;
            }
            cascaded.insert(c.address.clone());
            if d.partial_of.is_some() {
                c.action = Action::Update;
                c.reason = Some(format!(
                    "{parent} is replaced; its properties are set again"
                ));
            } else {
                c.action = Action::DeleteThenCreate;
                c.reason = Some(format!("it lives in {parent}, which is replaced"));
            }
            changed = true;
        }
        if !changed {
            break;
        }
    }
}

fn change_for(
    d: &Desired,
    prior: Option<&Prior>,
    current: Option<&Value>,
    errors: &mut Vec<Diagnostic>,
) -> ResourceChange {
    let mut change = ResourceChange {
        address: d.address.clone(),
        kind: d.kind.clone(),
        action: Action::NoOp,
        reason: None,
        changes: Vec::new(),
        replace_paths: Vec::new(),
        before: None,
        exists: current.is_some(),
        desired: Some(d.clone()),
        prior: prior.cloned(),
        old_version: None,
        recovers: None,
    };
    // The resource moved to another ARM ID (renamed, new parent, resource group or
    // location): the old one goes, the new one is created.
    if let Some(p) = prior
        && !p.id.eq_ignore_ascii_case(&d.id)
        && d.partial_of.is_none()
    {
        // Old and new have different IDs, so both can exist for a moment: create the
        // replacement first, then delete the old one (nothing is missing in between).
        change.action = Action::CreateThenDelete;
        let body_changes = compare::diff_bodies(&p.applied_body, &d.body, &d.unknown);
        // The attributes the ID is built from that moved it come first: a new `version` or
        // `resource_group` was named `name` when nothing in the body changed.
        let mut forcing: Vec<PathRule> = crate::schema::kind(&d.kind)
            .map(|k| k.id.moved_attributes(&p.id, &d.id))
            .unwrap_or_default()
            .into_iter()
            .map(|attribute| PathRule {
                path: "id".into(),
                attribute: attribute.into(),
            })
            .collect();
        forcing.extend(
            d.create_only
                .iter()
                .filter(|rule| {
                    body_changes.iter().any(|c| {
                        c.path == rule.path || c.path.starts_with(&format!("{}.", rule.path))
                    })
                })
                .cloned(),
        );
        if forcing.is_empty() {
            // Nothing in the body moved: the name (or the parent, group or location) did.
            forcing.push(PathRule {
                path: "id".into(),
                attribute: "name".into(),
            });
        }
        let names: Vec<String> = forcing
            .iter()
            .map(|r| format!("`{}`", r.attribute))
            .collect();
        change.reason = Some(format!(
            "{} changes its ARM ID (from {})",
            names.join(", "),
            p.id
        ));
        change.replace_paths = forcing;
        change.changes = redact_changes(body_changes, d);
        if d.behavior.versioned_asset && !d.lifecycle.delete_old_versions {
            // A new version: created, and the old one archived for lineage, not deleted.
            change.action = Action::Create;
            change.old_version = Some(OldVersion::Archive);
            let what = if d.upload.is_some() {
                // The version is the content hash of the uploaded files.
                "the uploaded files changed".to_string()
            } else {
                format!("{} changes its ARM ID", names.join(", "))
            };
            change.reason = Some(format!(
                "{what}: {} is created; {} is archived once nothing in the manifest uses it",
                version_label(&d.id),
                version_label(&p.id)
            ));
            return change;
        }
        check_prevent_destroy(d, &change, errors);
        return change;
    }
    let Some(current) = current else {
        change.action = Action::Create;
        change.changes = redact_changes(compare::diff_bodies(&Value::Null, &d.body, &d.unknown), d);
        return change;
    };
    // A resource ARM reports as failed is written again, whatever its properties say.
    if current
        .pointer("/properties/provisioningState")
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("Failed"))
    {
        change.action = Action::Update;
        change.reason = Some("ARM reports its provisioning failed; it is written again".into());
        change.changes = redact_changes(compare::diff(d, current, &[]), d);
        return change;
    }
    let mut ignore = d.lifecycle.ignore_paths.clone();
    // ARM never reads server paths back, so they are never compared with its answer (that
    // planned a replacement of every cluster with a password on every plan); with a prior
    // they are compared with what amlplan last sent instead.
    ignore.extend(d.behavior.server_paths.iter().cloned());
    let mut leaf_changes = compare::diff(d, current, &ignore);
    if let Some(p) = prior {
        leaf_changes.extend(server_path_changes(d, p));
    }
    if leaf_changes.is_empty() {
        return change;
    }
    let forcing: Vec<PathRule> = d
        .create_only
        .iter()
        .filter(|rule| {
            leaf_changes
                .iter()
                .any(|c| c.path == rule.path || c.path.starts_with(&format!("{}.", rule.path)))
        })
        .cloned()
        .collect();
    change.changes = redact_changes(leaf_changes, d);
    if d.behavior.versioned_asset {
        let content: Vec<&LeafChange> = change
            .changes
            .iter()
            .filter(|c| {
                !MUTABLE_ASSET_PATHS
                    .iter()
                    .any(|m| c.path == *m || c.path.starts_with(&format!("{m}.")))
            })
            .collect();
        if !content.is_empty() {
            if d.lifecycle.replace_versions {
                change.action = Action::DeleteThenCreate;
                change.reason =
                    Some("the version's content changed and `replace_versions` is set".into());
                change.replace_paths = d
                    .create_only
                    .iter()
                    .filter(|r| content.iter().any(|c| c.path.starts_with(&r.path)))
                    .cloned()
                    .collect();
                check_prevent_destroy(d, &change, errors);
            } else {
                let paths: Vec<&str> = content.iter().map(|c| c.path.as_str()).collect();
                errors.push(diagnostics::plan::asset_version_changed(
                    &d.address, &paths, d.span,
                ));
                change.action = Action::Update;
                change.reason =
                    Some("the version's content changed (refused: bump the version)".into());
            }
            return change;
        }
    }
    if forcing.is_empty() {
        change.action = Action::Update;
    } else {
        change.action = replace_action(d);
        let names: Vec<String> = forcing
            .iter()
            .map(|r| format!("`{}`", r.attribute))
            .collect();
        change.reason = Some(format!("{} cannot be changed in place", names.join(", ")));
        change.replace_paths = forcing;
        check_prevent_destroy(d, &change, errors);
        check_purge_protection(d, &change, errors);
    }
    change
}

/// Why a create recovers: ARM keeps a deleted resource of the type under its name, and a
/// PUT of the name takes it back with the type's recover property.
fn recovery_reason(d: &Desired) -> String {
    let property = crate::schema::by_kind_name(&d.kind)
        .and_then(|e| e.semantics().soft_deleted)
        .map(|s| {
            format!(
                "`{}: {}`",
                s.recover.0.rsplit('.').next().unwrap_or(s.recover.0),
                s.recover.1
            )
        })
        .unwrap_or_default();
    format!(
        "recovered from soft delete: a deleted copy keeps the name, and the PUT takes it back with {property}"
    )
}

/// `version 2 of model m` for `.../models/m/versions/2`.
fn version_label(id: &str) -> String {
    let mut parts = id.rsplit('/');
    let version = parts.next().unwrap_or_default();
    let name = parts.nth(1).unwrap_or_default();
    format!("version {version} of {name}")
}

/// A replacement at the same ID deletes first; a purge-protected resource's name is then
/// taken until its retention period ends, so the re-create would fail.
fn check_purge_protection(d: &Desired, change: &ResourceChange, errors: &mut Vec<Diagnostic>) {
    let Some(soft) = crate::schema::by_kind_name(&d.kind).and_then(|e| e.semantics().soft_deleted)
    else {
        return;
    };
    let protected = |body: Option<&Value>| {
        body.and_then(|b| compare::get_path(b, soft.purge_protection)) == Some(&Value::Bool(true))
    };
    if !protected(Some(&d.body)) && !protected(change.before.as_ref()) {
        return;
    }
    let retention =
        compare::get_path(&d.body, "properties.softDeleteRetentionInDays").and_then(Value::as_u64);
    errors.push(diagnostics::plan::purge_protected_replacement(
        &d.address,
        change.reason.as_deref().unwrap_or_default(),
        retention,
        d.span,
    ));
}

fn replace_action(d: &Desired) -> Action {
    if d.lifecycle.create_before_destroy {
        Action::CreateThenDelete
    } else {
        Action::DeleteThenCreate
    }
}

fn check_prevent_destroy(d: &Desired, change: &ResourceChange, errors: &mut Vec<Diagnostic>) {
    if !d.lifecycle.prevent_destroy {
        return;
    }
    errors.push(diagnostics::plan::protected_replacement(
        &d.address,
        change.reason.as_deref().unwrap_or_default(),
        d.span,
    ));
}

/// Drift: what ARM has now versus what amlplan last applied.
/// The server paths of `d` whose value differs from what amlplan last sent. A value the
/// state holds redacted is compared through the state's request hash: the applied body with
/// the desired values at its redacted paths hashes to it exactly when none of them changed.
fn server_path_changes(d: &Desired, prior: &Prior) -> Vec<LeafChange> {
    if d.behavior.server_paths.is_empty() {
        return Vec::new();
    }
    let redacted = prior.redacted_paths();
    let secrets_changed = || {
        let mut sent = prior.applied_body.clone();
        for path in &redacted {
            if let Some(v) = compare::get_path(&d.body, path) {
                compare::set_path(&mut sent, path, v.clone());
            }
        }
        // A state written before salted hashes hashed the body as sent.
        let legacy = crate::state::request_hash(&sent);
        let salted = || {
            let mut with_sent = d.clone();
            with_sent.body = sent.clone();
            crate::state::salted_request_hash(&with_sent, &prior.salt)
        };
        !prior.request_hash.is_empty()
            && legacy != prior.request_hash
            && salted() != prior.request_hash
    };
    let mut out = Vec::new();
    for path in &d.behavior.server_paths {
        let ignored = d
            .lifecycle
            .ignore_paths
            .iter()
            .any(|i| path == i || path.starts_with(&format!("{i}.")));
        let after = compare::get_path(&d.body, path);
        let before = compare::get_path(&prior.applied_body, path);
        let digest = prior.secret_digests.get(path);
        let changed = match (before, after) {
            _ if ignored => false,
            (_, None) => false,
            // A write-only value: compared through the state's salted digest of what was sent.
            (_, Some(a)) if digest.is_some() => {
                digest.is_some_and(|d| *d != crate::state::secret_digest(&prior.salt, path, a))
            }
            (Some(_), Some(_)) if redacted.contains(path) => secrets_changed(),
            (Some(b), Some(a)) => !compare::leaf_equal(a, b, path, &d.behavior),
            (None, Some(_)) => true,
        };
        if changed {
            out.push(LeafChange {
                path: path.clone(),
                before: before.cloned(),
                after: after.cloned(),
                after_unknown: false,
            });
        }
    }
    out
}

fn drift_of(prior: &Prior, actual: &Actual) -> Option<Drift> {
    let current = actual.get(&id_key(&prior.id))?;
    let Some(current) = current else {
        return Some(Drift {
            address: prior.address.clone(),
            kind: prior.kind.clone(),
            deleted: true,
            changes: Vec::new(),
            origins: Vec::new(),
        });
    };
    let typed = prior.sensitive_paths.as_deref();
    let changes: Vec<LeafChange> =
        compare::diff_body(&prior.applied_body, &Default::default(), current, &[])
            .into_iter()
            // A redacted value cannot be compared; never report it (nor reveal the new one).
            .filter(|c| match typed {
                Some(paths) => !paths
                    .iter()
                    .any(|p| crate::json_path::is_within(&c.path, p)),
                None => c.after.as_ref().and_then(Value::as_str) != Some(compare::SENSITIVE),
            })
            .collect();
    if changes.is_empty() {
        return None;
    }
    // What was redacted when it was applied stays redacted in what ARM holds now (an array
    // that changed as a whole). Found only for drifted resources: walking every applied
    // body on every plan would cost more than the comparison itself.
    let redacted = prior.redacted_paths();
    let changes: Vec<LeafChange> = changes
        .into_iter()
        .map(|c| compare::redact_change(c, &redacted, &[]))
        .collect();
    Some(Drift {
        address: prior.address.clone(),
        kind: prior.kind.clone(),
        deleted: false,
        changes,
        origins: Vec::new(),
    })
}

fn redact_changes(changes: Vec<LeafChange>, d: &Desired) -> Vec<LeafChange> {
    let secrets = compare::secrets_of(&d.body, &d.sensitive);
    changes
        .into_iter()
        .map(|c| compare::redact_change(c, &d.sensitive, &secrets))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::{Behavior, Lifecycle};
    use crate::diagnostic::Code;
    use serde_json::json;

    const ID: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/computes/gpu";

    fn cluster(max: u32, vm: &str) -> Desired {
        Desired {
            address: "compute_cluster.gpu".into(),
            kind: "compute_cluster".into(),
            id: ID.into(),
            api_version: "2025-09-01".into(),
            body: json!({"properties": {"properties": {"vmSize": vm, "scaleSettings": {"maxNodeCount": max}}}}),
            create_only: vec![PathRule {
                path: "properties.properties.vmSize".into(),
                attribute: "vm_size".into(),
            }],
            sensitive: Vec::new(),
            unknown: Vec::new(),
            id_unknown: false,
            depends_on: Vec::new(),
            span: None,
            implicit: false,
            lifecycle: Lifecycle::default(),
            behavior: Behavior::default(),
            partial_of: None,
            origins: Vec::new(),
            upload: None,
        }
    }

    fn prior_of(d: &Desired) -> Prior {
        Prior {
            address: d.address.clone(),
            kind: d.kind.clone(),
            id: d.id.clone(),
            api_version: d.api_version.clone(),
            applied_body: d.body.clone(),
            request_hash: crate::state::request_hash(&d.body),
            depends_on: Vec::new(),
            partial_of: None,
            secret_digests: Default::default(),
            salt: String::new(),
            adopted: false,
            sensitive_paths: None,
        }
    }

    fn actual(body: Value) -> Actual {
        HashMap::from([(id_key(ID), Some(body))])
    }

    /// A cluster with a password ARM never reads back, applied (the state holds it
    /// redacted) and read back without it.
    fn with_password(password: &str) -> Desired {
        let mut d = cluster(4, "Standard_DS3_v2");
        let path = "properties.properties.userAccountCredentials.adminUserPassword";
        crate::json_path::set(&mut d.body, path, json!(password));
        d.sensitive = vec![path.into()];
        d.behavior.server_paths = vec![path.into()];
        d.create_only.push(PathRule {
            path: "properties.properties.userAccountCredentials".into(),
            attribute: "ssh".into(),
        });
        d
    }

    #[test]
    fn a_server_path_is_compared_with_what_was_applied_not_with_arm() {
        let applied = with_password("first");
        let mut prior = prior_of(&applied);
        prior.applied_body = compare::redact(&applied.body, &applied.sensitive);
        let arm = actual(cluster(4, "Standard_DS3_v2").body);
        let same = plan(
            std::slice::from_ref(&applied),
            std::slice::from_ref(&prior),
            &arm,
            PlanOptions::default(),
        );
        assert_eq!(
            same.changes[0].action,
            Action::NoOp,
            "{:?}",
            same.changes[0]
        );
        let changed = plan(
            &[with_password("second")],
            &[prior],
            &arm,
            PlanOptions::default(),
        );
        assert_eq!(changed.changes[0].action, Action::DeleteThenCreate);
        let shown = format!("{:?}", changed.changes[0].changes);
        assert!(
            !shown.contains("second") && !shown.contains("first"),
            "{shown}"
        );
    }

    #[test]
    fn a_write_only_secret_is_compared_through_the_states_salted_digest() {
        let applied = with_password("first");
        let mut state = crate::state::State::new();
        let salt = state.salt().to_string();
        state.record_applied(crate::state::ResourceState::from_desired(
            &applied,
            compare::redact(&applied.body, &applied.sensitive),
            &salt,
        ));
        let text = String::from_utf8(state.to_json_bytes()).unwrap_or_default();
        let path = "properties.properties.userAccountCredentials.adminUserPassword";
        assert!(text.contains(path), "the digest is kept by path: {text}");
        for leak in [
            "first".to_string(),
            crate::state::sha256_hex(b"first"),
            crate::state::sha256_hex(b"\"first\""),
            crate::state::request_hash(&applied.body),
        ] {
            assert!(!text.contains(&leak), "the state holds {leak}");
        }
        let priors = crate::engine::refresh::priors(&state);
        assert_eq!(priors[0].secret_digests.len(), 1);
        let arm = actual(cluster(4, "Standard_DS3_v2").body);
        let same = plan(
            std::slice::from_ref(&applied),
            &priors,
            &arm,
            PlanOptions::default(),
        );
        assert_eq!(
            same.changes[0].action,
            Action::NoOp,
            "{:?}",
            same.changes[0]
        );
        let changed = plan(
            &[with_password("second")],
            &priors,
            &arm,
            PlanOptions::default(),
        );
        assert_eq!(changed.changes[0].action, Action::DeleteThenCreate);
        // Another state file salts the same password differently.
        let other = crate::state::State::new();
        assert_ne!(
            crate::state::secret_digest(&salt, path, &json!("first")),
            crate::state::secret_digest(other.salt(), path, &json!("first"))
        );
    }

    #[test]
    fn redactions_are_read_from_the_states_typed_list_not_from_the_placeholder_text() {
        let mut d = cluster(4, "x");
        d.body = json!({"properties": {"description": "(sensitive)", "secret": "s"}});
        d.sensitive = vec!["properties.secret".into()];
        let mut state = crate::state::State::new();
        let salt = state.salt().to_string();
        state.record_applied(crate::state::ResourceState::from_desired(
            &d,
            compare::redact(&d.body, &d.sensitive),
            &salt,
        ));
        let priors = crate::engine::refresh::priors(&state);
        assert_eq!(
            priors[0].sensitive_paths,
            Some(vec!["properties.secret".to_string()])
        );
        // Both changed in ARM: the secret is not compared, the description (a user's text
        // that reads like the placeholder) is drift.
        let now = actual(json!({"properties": {"description": "changed", "secret": "t"}}));
        let p = plan(&[], &priors, &now, PlanOptions::default());
        let paths: Vec<&str> = p.drift[0].changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["properties.description"]);
        // A state written before the list reads the placeholders.
        let mut legacy = priors[0].clone();
        legacy.sensitive_paths = None;
        let p = plan(&[], &[legacy], &now, PlanOptions::default());
        assert!(p.drift.is_empty(), "{:?}", p.drift);
    }

    #[test]
    fn create_update_replace_noop_delete() {
        let d = cluster(4, "Standard_DS3_v2");
        let p = plan(
            std::slice::from_ref(&d),
            &[],
            &HashMap::new(),
            PlanOptions::default(),
        );
        assert_eq!(p.changes[0].action, Action::Create);

        let same = actual(d.body.clone());
        let p = plan(
            std::slice::from_ref(&d),
            &[prior_of(&d)],
            &same,
            PlanOptions::default(),
        );
        assert_eq!(p.changes[0].action, Action::NoOp);
        assert!(!p.has_changes());

        let p = plan(
            &[cluster(8, "Standard_DS3_v2")],
            &[prior_of(&d)],
            &same,
            PlanOptions::default(),
        );
        assert_eq!(p.changes[0].action, Action::Update);
        assert_eq!(
            p.changes[0].changes[0].path,
            "properties.properties.scaleSettings.maxNodeCount"
        );

        let p = plan(
            &[cluster(4, "Standard_NC6s_v3")],
            &[prior_of(&d)],
            &same,
            PlanOptions::default(),
        );
        assert_eq!(p.changes[0].action, Action::DeleteThenCreate);
        assert_eq!(p.changes[0].replace_paths[0].attribute, "vm_size");
        assert_eq!(
            p.changes[0].reason.as_deref(),
            Some("`vm_size` cannot be changed in place")
        );

        let p = plan(&[], &[prior_of(&d)], &same, PlanOptions::default());
        assert_eq!(p.changes[0].action, Action::Delete);
        assert_eq!(p.summary().destroy, 1);
    }

    #[test]
    fn drift_is_reported_separately() {
        let d = cluster(4, "Standard_DS3_v2");
        let changed = actual(
            json!({"properties": {"properties": {"vmSize": "Standard_DS3_v2", "scaleSettings": {"maxNodeCount": 2}}}}),
        );
        let p = plan(
            std::slice::from_ref(&d),
            &[prior_of(&d)],
            &changed,
            PlanOptions::default(),
        );
        assert_eq!(p.drift.len(), 1);
        assert_eq!(p.changes[0].action, Action::Update);
        let p = plan(
            std::slice::from_ref(&d),
            &[prior_of(&d)],
            &changed,
            PlanOptions { refresh_only: true },
        );
        assert_eq!(p.drift.len(), 1);
        assert!(p.changes.is_empty());
        let gone: Actual = HashMap::from([(id_key(ID), None)]);
        let p = plan(
            std::slice::from_ref(&d),
            &[prior_of(&d)],
            &gone,
            PlanOptions::default(),
        );
        assert!(p.drift[0].deleted);
        assert_eq!(p.changes[0].action, Action::Create);
    }

    #[test]
    fn prevent_destroy_blocks_replacement_and_ignore_changes_hides_a_change() {
        let d = cluster(4, "Standard_DS3_v2");
        let same = actual(d.body.clone());
        let mut protected = cluster(4, "Standard_NC6s_v3");
        protected.lifecycle.prevent_destroy = true;
        let p = plan(&[protected], &[prior_of(&d)], &same, PlanOptions::default());
        assert_eq!(p.errors[0].code, Code::E0902);
        let mut ignoring = cluster(9, "Standard_DS3_v2");
        ignoring.lifecycle.ignore_paths = vec!["properties.properties.scaleSettings".into()];
        let p = plan(&[ignoring], &[prior_of(&d)], &same, PlanOptions::default());
        assert_eq!(p.changes[0].action, Action::NoOp);
    }

    #[test]
    fn an_asset_version_leaving_the_manifest_is_archived_not_deleted() {
        let model = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/models/m/versions/1";
        let mut d = cluster(4, "x");
        d.address = "model.m".into();
        d.kind = "model".into();
        d.id = model.into();
        let current = HashMap::from([(id_key(model), Some(d.body.clone()))]);
        let p = plan(&[], &[prior_of(&d)], &current, PlanOptions::default());
        assert_eq!(p.changes[0].action, Action::Delete);
        assert_eq!(p.changes[0].old_version, Some(OldVersion::Archive));
        let s = p.summary();
        assert_eq!((s.destroy, s.archive), (0, 1));
        // Any other kind is deleted.
        let p = plan(
            &[],
            &[prior_of(&cluster(4, "x"))],
            &actual(json!({})),
            PlanOptions::default(),
        );
        assert_eq!(p.changes[0].old_version, None);
        assert_eq!(p.summary().destroy, 1);
    }

    #[test]
    fn asset_version_content_change_is_refused_unless_replace_versions() {
        let mut d = cluster(4, "x");
        d.behavior.versioned_asset = true;
        let current = actual(
            json!({"properties": {"properties": {"vmSize": "y", "scaleSettings": {"maxNodeCount": 4}}}}),
        );
        let p = plan(
            std::slice::from_ref(&d),
            &[prior_of(&d)],
            &current,
            PlanOptions::default(),
        );
        assert_eq!(p.errors[0].code, Code::E0901);
        d.lifecycle.replace_versions = true;
        let p = plan(
            std::slice::from_ref(&d),
            &[prior_of(&d)],
            &current,
            PlanOptions::default(),
        );
        assert!(p.errors.is_empty());
        assert_eq!(p.changes[0].action, Action::DeleteThenCreate);
    }
}
