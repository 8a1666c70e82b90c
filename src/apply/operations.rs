//! Turning a plan's resource changes into ARM operations with the dependencies between them.
//!
//! Orderings ARM needs come from the graph: a resource is written after everything it
//! depends on; a resource is deleted after everything that depended on it was deleted or
//! rewritten not to (an endpoint's traffic moves off a deployment before the deployment is
//! deleted); a replacement deletes first unless `create_before_destroy` is set.

use std::collections::HashMap;

use serde_json::Value;

use crate::arm::Desired;
use crate::plan::{Action, OldVersion, Plan, Prior};

/// One ARM operation.
#[derive(Debug, Clone)]
pub enum OpKind {
    /// PUT the whole resource.
    Put(Box<Desired>),
    /// GET the resource, set the properties this entry owns, PUT it back.
    PutPartial(Box<Desired>),
    /// DELETE.
    Delete(Box<Prior>, Vec<(String, String)>),
    /// Reset the properties a removed partial entry owned (traffic to nobody) before what it
    /// referred to is deleted.
    ClearPartial(Box<Prior>),
    /// Drop the state entry of a resource ARM deletes along with its parent (a workspace's
    /// computes), once the parent's DELETE is done. No ARM call.
    Forget(Box<Prior>),
    /// GET an asset version, PUT it back with `isArchived: true`, and drop it from the state
    /// (kept for lineage instead of deleted).
    Archive(Box<Prior>),
}

#[derive(Debug, Clone)]
pub struct Op {
    pub address: String,
    pub kind: OpKind,
    pub deps: Vec<usize>,
}

impl Op {
    pub fn verb(&self) -> (&'static str, &'static str) {
        match &self.kind {
            OpKind::Put(_) | OpKind::PutPartial(_) => ("Writing", "Write"),
            OpKind::Delete(..) => ("Destroying", "Destruction"),
            OpKind::ClearPartial(_) => ("Clearing", "Clearing"),
            OpKind::Forget(_) => ("Forgetting", "Forgetting"),
            OpKind::Archive(_) => ("Archiving", "Archive"),
        }
    }
}

/// Whether deleting an entry of this kind also deletes what lives inside it (ARM cascades;
/// the kind's descriptor says so: `KindBehavior::cascades_delete`).
fn cascades_delete(kind: &str) -> bool {
    crate::schema::by_kind_name(kind).is_some_and(|k| k.behavior().cascades_delete)
}

/// The operations of a plan, with dependencies.
pub fn operations(plan: &Plan) -> Vec<Op> {
    let mut ops: Vec<Op> = Vec::new();
    let mut put: HashMap<&str, usize> = HashMap::new();
    let mut del: HashMap<&str, usize> = HashMap::new();
    let delete_query = |d: Option<&Desired>, kind: &str| -> Vec<(String, String)> {
        match d {
            Some(d) => d.behavior.delete_query.clone(),
            // Only in the state (its block is gone): the kind's descriptor still knows.
            None => crate::schema::by_kind_name(kind)
                .map(|k| {
                    k.behavior()
                        .delete_query
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    };
    // IDs deleted by this plan (deletions and replacements): ARM deletes what lives inside
    // them, so their children are not deleted one by one (which could fail, e.g. a
    // deployment still taking traffic) but forgotten once the parent is gone.
    let deleted: Vec<(String, &str)> = plan
        .changes
        .iter()
        .filter(|c| c.action.deletes())
        .filter_map(|c| {
            let id = c
                .prior
                .as_ref()
                .map(|p| (p.id.clone(), p.partial_of.is_some()))
                .or_else(|| {
                    c.desired
                        .as_ref()
                        .map(|d| (d.id.clone(), d.partial_of.is_some()))
                })?;
            (!id.1 && cascades_delete(&c.kind))
                .then(|| (id.0.to_ascii_lowercase(), c.address.as_str()))
        })
        .collect();
    // Resources this plan deletes or replaces (for partial entries of theirs).
    let going: std::collections::HashSet<&str> = plan
        .changes
        .iter()
        .filter(|c| c.action.deletes())
        .map(|c| c.address.as_str())
        .collect();
    let ancestor_deleted = |id: &str, address: &str| -> Option<&str> {
        let id = id.to_ascii_lowercase();
        deleted
            .iter()
            .filter(|(other, a)| *a != address && id.starts_with(&format!("{other}/")))
            .max_by_key(|(other, _)| other.len())
            .map(|(_, a)| *a)
    };
    let mut after_ancestor: Vec<(usize, &str)> = Vec::new();
    // The DELETEs of replacements at the same ID, by address.
    let mut deleted_in_place: HashMap<&str, usize> = HashMap::new();
    for c in &plan.changes {
        let prior_for_delete = || -> Option<Prior> {
            c.prior.clone().or_else(|| {
                c.desired.as_ref().map(|d| Prior {
                    address: d.address.clone(),
                    kind: d.kind.clone(),
                    id: d.id.clone(),
                    api_version: d.api_version.clone(),
                    applied_body: Value::Null,
                    request_hash: String::new(),
                    depends_on: d.depends_on.clone(),
                    partial_of: d.partial_of.clone(),
                    secret_digests: Default::default(),
                    salt: String::new(),
                    adopted: false,
                    sensitive_paths: None,
                })
            })
        };
        let push = |kind: OpKind, ops: &mut Vec<Op>| -> usize {
            ops.push(Op {
                address: c.address.clone(),
                kind,
                deps: Vec::new(),
            });
            ops.len() - 1
        };
        let put_kind = |d: &Desired| {
            if d.partial_of.is_some() {
                OpKind::PutPartial(Box::new(d.clone()))
            } else {
                OpKind::Put(Box::new(d.clone()))
            }
        };
        match c.action {
            Action::NoOp => {}
            Action::Create | Action::Update => {
                if let Some(d) = &c.desired {
                    let i = push(put_kind(d), &mut ops);
                    put.insert(c.address.as_str(), i);
                    // A new asset version: the old one is archived (after everything that
                    // used it is rewritten, as a DELETE would wait) or kept, and forgotten.
                    if let (Some(old), Some(p)) = (&c.old_version, &c.prior) {
                        let kind = match old {
                            OldVersion::Archive => OpKind::Archive(Box::new(p.clone())),
                            OldVersion::Keep { .. } => OpKind::Forget(Box::new(p.clone())),
                        };
                        let ai = push(kind, &mut ops);
                        ops[ai].deps.push(i);
                        del.insert(c.address.as_str(), ai);
                    }
                }
            }
            Action::Delete => {
                if let Some(p) = &c.prior {
                    let ancestor = ancestor_deleted(&p.id, &c.address);
                    let target_going = p.partial_of.as_deref().is_some_and(|t| going.contains(t));
                    let kind = if (ancestor.is_some() && p.partial_of.is_none()) || target_going {
                        // Gone with its parent, or a part of a resource that is itself going.
                        OpKind::Forget(Box::new(p.clone()))
                    } else if let Some(old) = &c.old_version {
                        match old {
                            OldVersion::Archive => OpKind::Archive(Box::new(p.clone())),
                            OldVersion::Keep { .. } => OpKind::Forget(Box::new(p.clone())),
                        }
                    } else if p.partial_of.is_some() {
                        OpKind::ClearPartial(Box::new(p.clone()))
                    } else {
                        OpKind::Delete(Box::new(p.clone()), delete_query(None, &p.kind))
                    };
                    let forget = matches!(kind, OpKind::Forget(_));
                    let i = push(kind, &mut ops);
                    if let (true, Some(a)) = (forget, ancestor) {
                        after_ancestor.push((i, a));
                    } else {
                        del.insert(c.address.as_str(), i);
                    }
                }
            }
            Action::DeleteThenCreate | Action::CreateThenDelete => {
                let (Some(d), Some(p)) = (&c.desired, prior_for_delete()) else {
                    continue;
                };
                let same_id = d.id.eq_ignore_ascii_case(&p.id);
                let delete_first = c.action == Action::DeleteThenCreate || same_id;
                let mut query = delete_query(Some(d), &d.kind);
                if d.behavior.soft_delete && same_id {
                    // Re-creating a soft-deleted workspace's name needs the old one purged.
                    query.push(("forceToPurge".into(), "true".into()));
                }
                if let Some(a) = ancestor_deleted(&p.id, &c.address) {
                    // Deleted with its parent: at the same ID, written again after the parent
                    // is re-created; at a new one (the parent was renamed), only written, the
                    // old one going with the old parent (deleting it alone first failed for a
                    // deployment the old endpoint still sent traffic to).
                    let pi = push(put_kind(d), &mut ops);
                    if delete_first {
                        after_ancestor.push((pi, a));
                    } else {
                        // The write deposes the old object; it is forgotten once the old
                        // parent's DELETE took it along.
                        let fi = push(OpKind::Forget(Box::new(p)), &mut ops);
                        after_ancestor.push((fi, a));
                    }
                    put.insert(c.address.as_str(), pi);
                    continue;
                }
                let di = push(OpKind::Delete(Box::new(p), query), &mut ops);
                let pi = push(put_kind(d), &mut ops);
                if delete_first {
                    ops[pi].deps.push(di);
                    deleted_in_place.insert(c.address.as_str(), di);
                } else {
                    ops[di].deps.push(pi);
                }
                put.insert(c.address.as_str(), pi);
                del.insert(c.address.as_str(), di);
            }
        }
    }
    // A partial entry that depends on a resource replaced at the same ID (the traffic of the
    // endpoint of a replaced deployment) is cleared before that resource's DELETE and written
    // again after: ARM refuses to delete a deployment that still takes traffic.
    for c in &plan.changes {
        let (Some(d), Some(p)) = (&c.desired, &c.prior) else {
            continue;
        };
        let Some(owner) = d.partial_of.as_deref() else {
            continue;
        };
        let deletes: Vec<usize> = d
            .depends_on
            .iter()
            .filter_map(|dep| deleted_in_place.get(dep.as_str()).copied())
            .collect();
        if deletes.is_empty() || going.contains(owner) || c.action.deletes() {
            continue;
        }
        ops.push(Op {
            address: c.address.clone(),
            kind: OpKind::ClearPartial(Box::new(p.clone())),
            deps: Vec::new(),
        });
        let clear = ops.len() - 1;
        for di in deletes {
            ops[di].deps.push(clear);
        }
        let write = match put.get(c.address.as_str()) {
            Some(&i) => i,
            None => {
                ops.push(Op {
                    address: c.address.clone(),
                    kind: OpKind::PutPartial(Box::new(d.clone())),
                    deps: Vec::new(),
                });
                put.insert(c.address.as_str(), ops.len() - 1);
                ops.len() - 1
            }
        };
        ops[write].deps.push(clear);
    }
    // Writes wait for what they depend on.
    let mut extra: Vec<(usize, usize)> = Vec::new();
    for (i, ancestor) in after_ancestor {
        if let Some(&j) = del.get(ancestor) {
            extra.push((i, j));
        }
    }
    for (i, op) in ops.iter().enumerate() {
        if let OpKind::Put(d) | OpKind::PutPartial(d) = &op.kind {
            for dep in &d.depends_on {
                if let Some(&j) = put.get(dep.as_str())
                    && j != i
                {
                    extra.push((i, j));
                }
            }
        }
    }
    // Deletes wait for everything that depended on the deleted resource to be deleted or
    // rewritten.
    for c in &plan.changes {
        let Some(p) = &c.prior else { continue };
        for dep in &p.depends_on {
            let Some(&target_delete) = del.get(dep.as_str()) else {
                continue;
            };
            if let Some(&j) = del.get(c.address.as_str())
                && j != target_delete
            {
                extra.push((target_delete, j));
            }
            if let Some(&j) = put.get(c.address.as_str())
                && j != target_delete
                && !ops[j].deps.contains(&target_delete)
            {
                extra.push((target_delete, j));
            }
        }
    }
    for (i, j) in extra {
        if !ops[i].deps.contains(&j) && !creates_cycle(&ops, i, j) {
            ops[i].deps.push(j);
        }
    }
    serialize_under_parents(&mut ops);
    ops
}

/// Writes of a type ARM takes one at a time under a parent (`serial_under_parent`: a
/// workspace's outbound rules) run one after another: deletes first, then PUTs, each in
/// address order, every one waiting for the one before.
fn serialize_under_parents(ops: &mut [Op]) {
    let mut groups: std::collections::BTreeMap<String, Vec<(bool, usize)>> = Default::default();
    for (i, op) in ops.iter().enumerate() {
        let (kind, id, is_put) = match &op.kind {
            OpKind::Put(d) | OpKind::PutPartial(d) => (&d.kind, &d.id, true),
            OpKind::Delete(p, _) => (&p.kind, &p.id, false),
            OpKind::Archive(p) => (&p.kind, &p.id, true),
            OpKind::ClearPartial(_) | OpKind::Forget(_) => continue,
        };
        let serial =
            crate::schema::by_kind_name(kind).is_some_and(|e| e.semantics().serial_under_parent);
        let Some((parent, _)) = id.rsplit_once('/').and_then(|(p, _)| p.rsplit_once('/')) else {
            continue;
        };
        if serial {
            groups
                .entry(format!("{}#{kind}", parent.to_ascii_lowercase()))
                .or_default()
                .push((is_put, i));
        }
    }
    for mut group in groups.into_values() {
        // Deletes (false) before PUTs (true); op order (address order) within each.
        group.sort();
        for pair in group.windows(2) {
            let (before, after) = (pair[0].1, pair[1].1);
            if !ops[after].deps.contains(&before) && !creates_cycle(ops, after, before) {
                ops[after].deps.push(before);
            }
        }
    }
}

/// Whether making `from` wait for `to` would close a cycle (`to` already waits for `from`).
fn creates_cycle(ops: &[Op], from: usize, to: usize) -> bool {
    let mut stack = vec![to];
    let mut seen = vec![false; ops.len()];
    while let Some(n) = stack.pop() {
        if n == from {
            return true;
        }
        if std::mem::replace(&mut seen[n], true) {
            continue;
        }
        stack.extend(ops[n].deps.iter().copied());
    }
    false
}
