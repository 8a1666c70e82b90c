//! Generated per-kind update and replace tests: for every kind in [`KINDS`] and every
//! attribute of its descriptor (nested blocks included), a minimal instance of the kind is
//! applied on the mock provider, that one attribute is changed to another valid value
//! generated from its type, and the plan is checked against the descriptor: an updatable
//! attribute plans an in-place update whose ARM body differs exactly under the attribute's
//! ARM path, a create-only one plans a replacement that names it, and the emulator accepts
//! what the planner chose (the variant applies and then plans no changes).
//!
//! The minimal instances are `tests/fixtures/kinds/<kind>/main.hcl` (with the shared parents
//! its `includes` names, see `support::copy_fixture`): the resource under test
//! is every block of the kind there (a second block of the kind holds attributes that
//! exclude the first one's). Each attribute is varied in the first block of the kind (and
//! the first occurrence of its nested block) that writes it, else in the first that has
//! its nested block. Adding a kind without its fixture fails
//! [`every_kind_has_a_fixture`]; attributes that cannot be varied in isolation are in
//! [`EXCEPTIONS`], each with its reason, and [`the_generated_cases_hold`] fails on an entry
//! that has gone stale.
//!
//! Everything runs in-process over the library (compile, lower, engine, mock provider), so
//! the whole set takes seconds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use amlplan::arm::Desired;
use amlplan::azure::{roles, vm_sizes};
use amlplan::engine::lowered::Lowered;
use amlplan::engine::{Engine, StateConfig};
use amlplan::lang::duration;
use amlplan::lang::instantiate::Inputs;
use amlplan::plan::planner::PlanOptions;
use amlplan::plan::{Action, Plan};
use amlplan::provider::Provider;
use amlplan::provider::client::ClientOptions;
use amlplan::provider::emulator::{Emulator, EmulatorOptions, MockCloud};
use amlplan::provider::mock::MockProvider;
use amlplan::schema::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, IdTemplate, KINDS, KindSchema, NestedSchema,
    meta,
};
use hcl::{Block, Body, Expression, Identifier, ObjectKey, Structure};

use crate::support::{copy_fixture, copy_tree, fixture_dir};

/// Why an attribute is not (or not yet) covered by its generated case.
#[derive(Debug, Clone, Copy)]
enum Why {
    /// Another value needs another resource in the manifest (a reference to a second
    /// workspace, endpoint or cluster): no value can be generated from the type alone.
    NeedsAnother(&'static str),
    /// ARM or the manifest's own rules allow no other value in isolation; the case is run
    /// and must fail.
    Forbidden(&'static str),
    /// The valid values are Azure's names that the checker looks up (sub-resources, service
    /// tags) and the attribute's type does not carry; the case is run and must fail.
    OutsideType(&'static str),
    /// The attribute does not go to ARM (the cost forecast's inputs): its change must
    /// change no body and plan nothing.
    NotSent(&'static str),
    /// The attribute is the content of an asset version of its own (a `code` directory): its
    /// change moves that entry to a new version ID, and the resource updates in place exactly
    /// where it refers to the version.
    NewVersion(&'static str),
}

impl Why {
    fn reason(&self) -> &'static str {
        match *self {
            Why::NeedsAnother(r)
            | Why::Forbidden(r)
            | Why::OutsideType(r)
            | Why::NotSent(r)
            | Why::NewVersion(r) => r,
        }
    }
}

/// `(kind, dotted attribute, why)`: the attributes whose generated case is not expected to
/// pass. Every entry must name an attribute of the kind, and every entry but `NeedsAnother`
/// is run: an entry whose case passes (or, for `NotSent`, changes a body) is stale.
const EXCEPTIONS: &[(&str, &str, Why)] = &[
    (
        "workspace",
        "managed_network.outbound_rule.type",
        Why::Forbidden(RULE_TYPE),
    ),
    (
        "workspace",
        "managed_network.outbound_rule.subresource",
        Why::OutsideType(AZURE_NAME),
    ),
    (
        "workspace",
        "managed_network.outbound_rule.service_tag",
        Why::OutsideType(AZURE_NAME),
    ),
    (
        "workspace",
        "managed_network.outbound_rule.address_prefixes",
        Why::Forbidden(
            "the generated value lands on the fixture's first rule, a private_endpoint one, where only service_tag rules take it: E0710 (a service_tag rule's prefixes are changed in the emulator's descriptor test)",
        ),
    ),
    (
        "workspace",
        "location",
        Why::Forbidden(
            "it moves the workspace's purge-protected key vault, whose name Azure keeps reserved after the delete: E0716",
        ),
    ),
    ("workspace", "usage.storage_gb", Why::NotSent(COST)),
    (
        "workspace",
        "usage.firewall_data_gb_per_month",
        Why::NotSent(COST),
    ),
    (
        "feature_store",
        "offline_store",
        Why::Forbidden(
            "the connection's target updates in place, but the role assignment on the offline store is scoped to it: another store is another assignment, so the old one is replaced",
        ),
    ),
    ("compute_cluster", "workspace", Why::NeedsAnother(PARENT)),
    (
        "compute_cluster",
        "usage.node_hours_per_month",
        Why::NotSent(COST),
    ),
    ("compute_cluster", "usage.reservation", Why::NotSent(COST)),
    ("compute_instance", "workspace", Why::NeedsAnother(PARENT)),
    (
        "compute_instance",
        "usage.running_hours_per_month",
        Why::NotSent(COST),
    ),
    ("compute_instance", "usage.reservation", Why::NotSent(COST)),
    ("environment", "workspace", Why::NeedsAnother(PARENT)),
    ("data_asset", "workspace", Why::NeedsAnother(PARENT)),
    ("model", "workspace", Why::NeedsAnother(PARENT)),
    ("online_endpoint", "workspace", Why::NeedsAnother(PARENT)),
    ("online_endpoint", "location", Why::Forbidden(SAME_REGION)),
    (
        "online_endpoint",
        "traffic",
        Why::Forbidden(
            "the shares sum to 100 over the endpoint's deployments: one cannot change alone",
        ),
    ),
    ("online_deployment", "endpoint", Why::NeedsAnother(PARENT)),
    ("online_deployment", "location", Why::Forbidden(SAME_REGION)),
    (
        "online_deployment",
        "name",
        Why::Forbidden(
            "the endpoint's `traffic` names the deployment: a new name needs new traffic too",
        ),
    ),
    (
        "online_deployment",
        "code.path",
        Why::NewVersion(CODE_UPLOAD),
    ),
    (
        "online_deployment",
        "usage.hours_per_month",
        Why::NotSent(COST),
    ),
    ("online_deployment", "usage.reservation", Why::NotSent(COST)),
    ("batch_endpoint", "workspace", Why::NeedsAnother(PARENT)),
    ("batch_endpoint", "location", Why::Forbidden(SAME_REGION)),
    (
        "batch_endpoint",
        "default_deployment",
        Why::Forbidden(
            "another name is a deployment the endpoint does not have, which ARM refuses",
        ),
    ),
    (
        "serverless_endpoint",
        "workspace",
        Why::NeedsAnother(PARENT),
    ),
    ("datastore", "workspace", Why::NeedsAnother(PARENT)),
    ("kubernetes_compute", "workspace", Why::NeedsAnother(PARENT)),
    ("model", "registry", Why::NeedsAnother(PARENT)),
    ("component", "workspace", Why::NeedsAnother(PARENT)),
    ("schedule", "workspace", Why::NeedsAnother(PARENT)),
    ("monitor", "workspace", Why::NeedsAnother(PARENT)),
    (
        "monitor",
        "deployment",
        Why::NeedsAnother("another value is a reference to a second online deployment"),
    ),
    (
        "monitor",
        "signal.type",
        Why::Forbidden(
            "each signal type has metrics of its own (E0744), and prediction drift takes no features (E0745)",
        ),
    ),
    (
        "component",
        "command",
        Why::Forbidden(
            "its placeholders name the declared inputs and outputs (E0732): another text names others",
        ),
    ),
    ("component", "registry", Why::NeedsAnother(PARENT)),
    (
        "component",
        "type",
        Why::NeedsAnother("`command` is the only type a component is written inline with"),
    ),
    (
        "component",
        "environment",
        Why::NeedsAnother("another value is a reference to a second environment block"),
    ),
    (
        "component",
        "input.default",
        Why::NeedsAnother("any value: the type gives none to vary to"),
    ),
    (
        "registry",
        "location",
        Why::Forbidden(
            "the primary location is also the first region of `regionDetails`: the body changes beyond `location`",
        ),
    ),
    ("environment", "registry", Why::NeedsAnother(PARENT)),
    (
        "kubernetes_compute",
        "default_instance_type",
        Why::Forbidden("it names one of the cluster's `instance_type` blocks (E0727)"),
    ),
    (
        "online_deployment",
        "compute",
        Why::NeedsAnother("another value is a reference to an attached Kubernetes cluster"),
    ),
    (
        "datastore",
        "type",
        Why::Forbidden(
            "the container moves with it to the type's own property (containerName, filesystem, fileShareName)",
        ),
    ),
    (
        "datastore",
        "credentials",
        Why::Forbidden("each credentials type needs its own secret beside it (E0725)"),
    ),
    (
        "serverless_endpoint",
        "usage.tokens_per_month",
        Why::NotSent(COST),
    ),
    (
        "batch_endpoint",
        "auth_mode",
        Why::Forbidden("`aad_token` is its only value"),
    ),
    ("batch_deployment", "endpoint", Why::NeedsAnother(PARENT)),
    ("batch_deployment", "location", Why::Forbidden(SAME_REGION)),
    (
        "batch_deployment",
        "compute",
        Why::NeedsAnother("another value is a reference to a second cluster"),
    ),
    (
        "batch_deployment",
        "code.path",
        Why::NewVersion(CODE_UPLOAD),
    ),
    (
        "private_endpoint",
        "group",
        Why::Forbidden("a workspace has one private-link sub-resource, `amlworkspace`"),
    ),
    (
        "private_endpoint",
        "usage.data_gb_per_month",
        Why::NotSent(COST),
    ),
];

const PARENT: &str =
    "another value is a reference to a second parent block; the parent is part of the ARM ID";
const SAME_REGION: &str =
    "an endpoint is in its workspace's region and a deployment in its endpoint's (E0714)";
const COST: &str = "an input of the cost forecast only";
const CODE_UPLOAD: &str = "the directory is a code asset version named by its content hash: new content is a new version, and the deployment updates its `codeId`";
const RULE_TYPE: &str =
    "each rule type has attributes of its own: another type is another rule, not another value";
const AZURE_NAME: &str =
    "one of Azure's names for the target type, which the checker knows and the type does not";

#[test]
fn every_kind_has_a_fixture() {
    let root = fixtures_root();
    let mut missing = Vec::new();
    for kind in KINDS {
        if !root.join(kind.kind).join("main.hcl").is_file() {
            missing.push(kind.kind);
        }
    }
    assert!(
        missing.is_empty(),
        "kinds without a fixture in tests/fixtures/kinds/: {missing:?}"
    );
    let mut unknown = Vec::new();
    for entry in std::fs::read_dir(&root).expect("tests/fixtures/kinds") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if amlplan::schema::kind(&name).is_none() {
            unknown.push(name);
        }
    }
    assert!(
        unknown.is_empty(),
        "fixtures for no kind in KINDS: {unknown:?}"
    );
}

#[test]
fn the_generated_cases_hold() {
    let mut failures = Vec::new();
    let mut stale = Vec::new();
    let mut ran = 0;
    for kind in KINDS {
        let Some(applied) = Applied::fixture(kind).unwrap_or_else(|e| {
            failures.push(format!("{}: the fixture does not apply: {e}", kind.kind));
            None
        }) else {
            continue;
        };
        for attr in attributes(kind) {
            let exception = exception(kind.kind, &attr.dotted());
            let outcome = run_case(&applied, &attr, exception);
            ran += 1;
            let label = format!("{}.{}", kind.kind, attr.dotted());
            match (exception, outcome) {
                (None, Ok(())) => {}
                (None, Err(e)) => failures.push(format!("{label}: {e}")),
                (Some(Why::NeedsAnother(_)), Err(e)) if e == NO_VALUE => {}
                (Some(Why::NotSent(_) | Why::NewVersion(_)), Ok(())) => {}
                (Some(Why::NewVersion(_)), Err(e)) => failures.push(format!("{label}: {e}")),
                (Some(Why::NotSent(_)), Err(e)) => {
                    stale.push(format!("{label} is listed as not sent to ARM, but: {e}"))
                }
                (Some(why), Ok(())) => stale.push(format!(
                    "{label} is an exception ({}) but its case passes",
                    why.reason()
                )),
                (Some(Why::NeedsAnother(_)), Err(e)) => stale.push(format!(
                    "{label} is listed as needing another resource, but a value was generated: {e}"
                )),
                (Some(_), Err(_)) => {}
            }
        }
    }
    for (kind, attr, _) in EXCEPTIONS {
        let known = amlplan::schema::kind(kind)
            .is_some_and(|k| attributes(k).iter().any(|a| a.dotted() == *attr));
        if !known {
            stale.push(format!("the exception {kind}.{attr} names no attribute"));
        }
    }
    assert!(
        failures.is_empty() && stale.is_empty(),
        "{} generated cases failed:\n\n{}\n\nstale exceptions:\n{}",
        failures.len(),
        failures.join("\n\n"),
        stale.join("\n")
    );
    assert!(ran > 100, "only {ran} generated cases");
}

/// The exception of `kind`'s attribute `dotted`: its own entry, else (a feature store being
/// a workspace with the workspace's attributes) the workspace's for the same attribute.
fn exception(kind: &str, dotted: &str) -> Option<Why> {
    let find = |k: &str| {
        EXCEPTIONS
            .iter()
            .find(|(ek, a, _)| *ek == k && *a == dotted)
            .map(|(_, _, why)| *why)
    };
    find(kind).or_else(|| {
        (kind == "feature_store")
            .then(|| find("workspace"))
            .flatten()
    })
}

// ---- the attributes of a kind --------------------------------------------------------------

/// One attribute of a kind, where it sits in the block tree.
struct Attr {
    kind: &'static KindSchema,
    /// The nested blocks from the resource down to the attribute's block.
    blocks: Vec<&'static NestedSchema>,
    attr: &'static AttrSchema,
}

impl Attr {
    /// `ssh.admin_username`, as the lowering names attributes in nested blocks.
    fn dotted(&self) -> String {
        let mut parts: Vec<&str> = self.blocks.iter().map(|b| b.name).collect();
        parts.push(self.attr.name);
        parts.join(".")
    }

    /// Changing it forces a replacement (the attribute's flag, or a block's around it).
    fn create_only(&self) -> bool {
        self.attr.create_only || self.blocks.iter().any(|b| b.create_only)
    }

    /// Where it lands in the resource's own ARM body, when the descriptor says so all the
    /// way down (`None` where the kind's hook lowers it or a block becomes an entry of its
    /// own).
    fn arm_path(&self) -> Option<String> {
        let mut parts = Vec::new();
        for b in &self.blocks {
            if b.arm_path.is_empty() {
                return None;
            }
            parts.push(b.arm_path);
        }
        let own = if self.blocks.is_empty() && self.attr.name == meta::TAGS.name {
            self.kind.tags_path
        } else {
            self.attr.arm_path
        };
        if own.is_empty() {
            return None;
        }
        parts.push(own);
        Some(parts.join("."))
    }
}

/// Every attribute of `kind` that can reach ARM: its own (nested blocks too), `tags` and
/// `location` where ARM has them, and the meta-arguments that are part of the ARM ID.
fn attributes(kind: &'static KindSchema) -> Vec<Attr> {
    fn walk(
        kind: &'static KindSchema,
        blocks: &[&'static NestedSchema],
        body: &'static BlockSchema,
        out: &mut Vec<Attr>,
    ) {
        for attr in body.attrs {
            out.push(Attr {
                kind,
                blocks: blocks.to_vec(),
                attr,
            });
        }
        for nested in body.blocks {
            let mut inner = blocks.to_vec();
            inner.push(nested);
            walk(kind, &inner, nested.body, out);
        }
    }
    let mut out = Vec::new();
    walk(kind, &[], &kind.body, &mut out);
    // The meta-arguments that are part of the ID where the template puts them there: the
    // name (not where the kind derives it) and the resource group (only resources directly
    // in a group; a child lives in its parent's).
    let mut top: Vec<&'static AttrSchema> = meta::META_ATTRS
        .iter()
        .filter(|a| match a.name {
            "name" => !matches!(kind.id, IdTemplate::Scoped { .. }),
            "resource_group" => matches!(kind.id, IdTemplate::ResourceGroup),
            _ => false,
        })
        .collect();
    if kind.has_tags {
        top.push(&meta::TAGS);
    }
    if kind.has_location {
        top.push(&meta::LOCATION);
    }
    for attr in top {
        if kind.body.attr(attr.name).is_none() {
            out.push(Attr {
                kind,
                blocks: Vec::new(),
                attr,
            });
        }
    }
    out
}

// ---- generating another valid value --------------------------------------------------------

/// The outcome of a case whose attribute has no generated value.
const NO_VALUE: &str = "no other value can be generated from the attribute's type";

/// Another valid value of type `ty` than `current` (what the manifest writes, else the
/// default), as an expression; `None` where the type alone gives none (a reference to
/// another block). Files and directories are made in `dir`.
fn another(ty: &AttrType, current: Option<&Expression>, dir: &Path) -> Option<Expression> {
    let text = current.and_then(as_text);
    Some(match ty {
        AttrType::Bool => Expression::Bool(!matches!(current, Some(Expression::Bool(true)))),
        AttrType::Number => Expression::from(as_int(current).unwrap_or(0) + 1),
        AttrType::Integer { min, max } => {
            let n = as_int(current);
            let up = n.map_or(min.unwrap_or(0).max(1), |n| n + 1);
            let value = if max.is_some_and(|m| up > m) {
                n.map_or(min.unwrap_or(0), |n| n - 1)
            } else {
                up
            };
            Expression::from(value)
        }
        AttrType::Duration { min_secs, max_secs } => {
            let secs = text
                .and_then(|t| duration::parse_duration(t).ok())
                .map(|d| d.as_secs());
            let up = secs.map_or(min_secs.unwrap_or(60).max(60), |s| s + 60);
            let value = if max_secs.is_some_and(|m| up > m) {
                secs.unwrap_or(60)
                    .saturating_sub(60)
                    .max(min_secs.unwrap_or(0))
            } else {
                up
            };
            Expression::String(format!("{value}s"))
        }
        AttrType::Enum(values) => {
            // The next allowed value after the current one (the first if there is none)
            // that ARM spells differently.
            let at = text.and_then(|t| values.iter().position(|v| v.hcl == t));
            let arm = at.map(|i| values[i].arm);
            let start = at.map_or(0, |i| i + 1);
            let other = (0..values.len())
                .map(|k| &values[(start + k) % values.len()])
                .find(|v| !v.deprecated && Some(v.arm) != arm)?;
            Expression::String(other.hcl.into())
        }
        AttrType::String => Expression::String(text.map_or_else(|| "generated".into(), vary_text)),
        AttrType::Guid => Expression::String(match text {
            Some(t) => vary_guid(t),
            None => "3f2504e0-4f89-41d3-9a0c-0305e82c3301".into(),
        }),
        AttrType::ArmId(types) => Expression::String(match text {
            Some(t) => vary_arm_id(t),
            None => arm_id_of(types.first().copied()),
        }),
        AttrType::RefOrArmId { arm_types, .. } => Expression::String(match text {
            Some(t) => vary_arm_id(t),
            // In place of a reference, the ID of a resource of the referenced block's type.
            None => {
                let referenced = current
                    .and_then(referenced_kind)
                    .map(|k| k.arm_type)
                    .filter(|t| arm_types.is_empty() || arm_types.contains(t));
                arm_id_of(referenced.or(arm_types.first().copied()))
            }
        }),
        AttrType::RoleScope => Expression::String(match text {
            Some(t) => vary_arm_id(t),
            None => format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/generated"),
        }),
        AttrType::VmSize => {
            let sizes = vm_sizes::VM_SIZES;
            let at = text.and_then(|t| sizes.iter().position(|s| s.name.eq_ignore_ascii_case(t)));
            Expression::String(sizes[at.map_or(0, |i| (i + 1) % sizes.len())].name.into())
        }
        AttrType::Role => {
            let all = roles::BUILT_IN_ROLES;
            let at = text.and_then(|t| all.iter().position(|r| r.name == t));
            Expression::String(all[at.map_or(0, |i| (i + 1) % all.len())].name.into())
        }
        AttrType::FilePath => {
            let name = "varied.file";
            let content = text
                .and_then(|t| std::fs::read_to_string(dir.join(t)).ok())
                .unwrap_or_default();
            // A key, not only a comment: YAML files (conda) compare by meaning.
            std::fs::write(
                dir.join(name),
                format!("{content}\n# varied\nvaried: true\n"),
            )
            .ok()?;
            Expression::String(name.into())
        }
        AttrType::DirPath => {
            let name = "varied-dir";
            let target = dir.join(name);
            if let Some(t) = text {
                copy_tree(&dir.join(t), &target);
            }
            std::fs::create_dir_all(&target).ok()?;
            std::fs::write(target.join("varied.txt"), "varied\n").ok()?;
            Expression::String(name.into())
        }
        AttrType::List(inner) => {
            let mut items = match current {
                Some(Expression::Array(items)) => items.clone(),
                _ => Vec::new(),
            };
            let last = items.pop();
            let varied = another(inner, last.as_ref(), dir)?;
            items.push(varied);
            Expression::Array(items)
        }
        AttrType::Map(inner) => {
            let mut map = match current {
                Some(Expression::Object(map)) => map.clone(),
                _ => hcl::Object::new(),
            };
            let (key, last) = match map.pop() {
                Some((k, v)) => (k, Some(v)),
                None => (
                    ObjectKey::Identifier(Identifier::unchecked("generated")),
                    None,
                ),
            };
            let varied = another(inner, last.as_ref(), dir)?;
            map.insert(key, varied);
            Expression::Object(map)
        }
        AttrType::Ref(_) | AttrType::Any => return None,
    })
}

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// The kind of the block a reference (`workspace.mlw`) names.
fn referenced_kind(e: &Expression) -> Option<&'static KindSchema> {
    match e {
        Expression::Traversal(t) => match &t.expr {
            Expression::Variable(v) => amlplan::schema::kind(v.as_str()),
            _ => None,
        },
        _ => None,
    }
}

fn as_text(e: &Expression) -> Option<&str> {
    match e {
        Expression::String(s) => Some(s),
        _ => None,
    }
}

fn as_int(e: Option<&Expression>) -> Option<i64> {
    match e {
        Some(Expression::Number(n)) => n.as_i64(),
        _ => None,
    }
}

/// A different text of the same shape: the last digit moves by one (versions, ports,
/// addresses and cron fields stay well-formed), else the last letter.
fn vary_text(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let pick = chars
        .iter()
        .rposition(char::is_ascii_digit)
        .or_else(|| chars.iter().rposition(char::is_ascii_alphabetic));
    match pick {
        Some(i) => {
            chars[i] = match chars[i] {
                '9' => '8',
                'z' => 'y',
                'Z' => 'Y',
                c => char::from(c as u8 + 1),
            };
            chars.into_iter().collect()
        }
        None => format!("{text}generated"),
    }
}

/// Another GUID: the first hex digit moves by one.
fn vary_guid(guid: &str) -> String {
    let mut chars: Vec<char> = guid.chars().collect();
    if let Some(first) = chars.first_mut() {
        *first = if *first == 'f' {
            '0'
        } else {
            char::from_digit(first.to_digit(16).unwrap_or(0) + 1, 16).unwrap_or('1')
        };
    }
    chars.into_iter().collect()
}

/// Another ARM ID of the same type: the last name changes.
fn vary_arm_id(id: &str) -> String {
    match id.rsplit_once('/') {
        Some((head, name)) => format!("{head}/{}", vary_text(name)),
        None => vary_text(id),
    }
}

/// An ARM ID of `arm_type` (`Microsoft.Network/virtualNetworks/subnets`), any type if none.
fn arm_id_of(arm_type: Option<&str>) -> String {
    let arm_type = arm_type.unwrap_or("Microsoft.Storage/storageAccounts");
    let mut segments = arm_type.split('/');
    let namespace = segments.next().unwrap_or_default();
    let mut id =
        format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/generated/providers/{namespace}");
    for (i, segment) in segments.enumerate() {
        id.push_str(&format!("/{segment}/generated{i}"));
    }
    id
}

fn default_expression(d: DefaultValue) -> Expression {
    match d {
        DefaultValue::Bool(b) => Expression::Bool(b),
        DefaultValue::Int(i) => Expression::from(i),
        DefaultValue::Str(s) => Expression::String(s.into()),
    }
}

// ---- editing the manifest ------------------------------------------------------------------

fn fixtures_root() -> PathBuf {
    fixture_dir("kinds")
}

/// The blocks of a body with this identifier, mutably.
fn blocks_mut<'b>(body: &'b mut Body, name: &str) -> std::vec::IntoIter<&'b mut Block> {
    body.0
        .iter_mut()
        .filter_map(|s| match s {
            Structure::Block(b) if b.identifier.as_str() == name => Some(b),
            _ => None,
        })
        .collect::<Vec<_>>()
        .into_iter()
}

fn attr_of<'b>(body: &'b Body, name: &str) -> Option<&'b Expression> {
    body.0.iter().find_map(|s| match s {
        Structure::Attribute(a) if a.key.as_str() == name => Some(&a.expr),
        _ => None,
    })
}

fn set_attr(body: &mut Body, name: &str, value: Expression) {
    for s in body.0.iter_mut() {
        if let Structure::Attribute(a) = s
            && a.key.as_str() == name
        {
            a.expr = value;
            return;
        }
    }
    body.0.insert(
        0,
        Structure::Attribute(hcl::Attribute::new(Identifier::unchecked(name), value)),
    );
}

/// The block at `path` (block names) inside `body`: the first occurrence writing `attr`,
/// else the first occurrence.
fn find_block<'b>(body: &'b mut Body, path: &[&str], attr: &str) -> Option<&'b mut Body> {
    fn has(body: &Body, path: &[&str], attr: &str, writes: bool) -> bool {
        match path.split_first() {
            None => !writes || attr_of(body, attr).is_some(),
            Some((first, rest)) => body.0.iter().any(|s| match s {
                Structure::Block(b) if b.identifier.as_str() == *first => {
                    has(&b.body, rest, attr, writes)
                }
                _ => false,
            }),
        }
    }
    fn descend<'b>(
        body: &'b mut Body,
        path: &[&str],
        attr: &str,
        writes: bool,
    ) -> Option<&'b mut Body> {
        let Some((first, rest)) = path.split_first() else {
            return Some(body);
        };
        let block = blocks_mut(body, first).find(|b| has(&b.body, rest, attr, writes))?;
        descend(&mut block.body, rest, attr, writes)
    }
    if has(body, path, attr, true) {
        descend(body, path, attr, true)
    } else {
        descend(body, path, attr, false)
    }
}

/// The manifest with `attr` changed in the first resource of its kind that writes it (or
/// has its block); the address of that resource; `Err` where no value can be generated or
/// the fixture lacks the block.
fn variant(fixture: &Body, attr: &Attr, dir: &Path) -> Result<(Body, String), String> {
    let mut body = fixture.clone();
    let path: Vec<&str> = attr.blocks.iter().map(|b| b.name).collect();
    let kind = attr.kind.kind;
    let label = |b: &Block| {
        b.labels
            .first()
            .map(|l| l.as_str().to_string())
            .unwrap_or_default()
    };
    let instances: Vec<String> = body
        .0
        .iter()
        .filter_map(|s| match s {
            Structure::Block(b) if b.identifier.as_str() == kind => Some(label(b)),
            _ => None,
        })
        .collect();
    // The first instance writing the attribute, else the first with its block.
    let mut chosen = None;
    for writes in [true, false] {
        for name in &instances {
            let block = blocks_mut(&mut body, kind)
                .find(|b| label(b) == *name)
                .expect("instance");
            let ok = if writes {
                find_block(&mut block.body, &path, attr.attr.name)
                    .is_some_and(|b| attr_of(b, attr.attr.name).is_some())
            } else {
                find_block(&mut block.body, &path, attr.attr.name).is_some()
            };
            if ok && chosen.is_none() {
                chosen = Some(name.clone());
            }
        }
    }
    let Some(name) = chosen else {
        return Err(format!(
            "the fixture has no `{}` block in a `{kind}` to vary `{}` in",
            path.join("."),
            attr.attr.name
        ));
    };
    let block = blocks_mut(&mut body, kind)
        .find(|b| label(b) == name)
        .expect("instance");
    if attr.kind.behavior.versioned_asset {
        // Asset versions are immutable: a content change is a replacement only when the
        // lifecycle allows it (without, it is refused with E0901; tests/plan.rs covers that).
        let lifecycle = Block::builder("lifecycle")
            .add_attribute(("replace_versions", true))
            .build();
        block.body.0.push(Structure::Block(lifecycle));
    }
    let target = find_block(&mut block.body, &path, attr.attr.name).expect("block found above");
    let current = attr_of(target, attr.attr.name)
        .cloned()
        .or_else(|| attr.attr.default.map(default_expression));
    let value = another(&attr.attr.ty, current.as_ref(), dir).ok_or(NO_VALUE)?;
    set_attr(target, attr.attr.name, value);
    Ok((body, format!("{kind}.{name}")))
}

/// The dotted paths of the leaves where `a` and `b` differ (array elements by index where
/// both have as many). Map keys may hold dots (identity IDs): the paths are only compared
/// by prefix.
fn leaf_diff(a: &serde_json::Value, b: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if !x.is_empty() || !y.is_empty() => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => leaf_diff(p, q, &join(k), out),
                    _ => out.push(join(k)),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                leaf_diff(p, q, &join(&i.to_string()), out);
            }
        }
        _ if a != b => out.push(path.to_string()),
        _ => {}
    }
}

/// `path` without its array indexes (`schedules.computeStartStop.0.action` →
/// `schedules.computeStartStop.action`): a repeated block's attributes sit in an element.
fn without_indexes(path: &str) -> String {
    path.split('.')
        .filter(|s| s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(".")
}

// ---- running on the mock provider ----------------------------------------------------------

/// A kind's fixture applied on a fresh mock cloud: the cloud and state to start each case
/// from.
struct Applied {
    fixture: Body,
    /// The fixture folder (`kinds/workspace`).
    case: String,
    cloud: Vec<u8>,
    state: Vec<u8>,
    desired: Vec<Desired>,
}

/// One case's world: a copy of the fixture's files, the applied cloud and state.
struct World {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    engine: Engine,
    provider: Arc<dyn Provider>,
    cloud: MockCloud,
}

impl World {
    fn new(case: &str, cloud: Option<&[u8]>, state: Option<&[u8]>) -> Result<World, String> {
        // The state is saved with an fsync per journal entry: on a memory file system
        // where there is one, so the cases' hundreds of applies take no disk syncs.
        let shm = Path::new("/dev/shm");
        let tmp = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .map_err(|e| e.to_string())?;
        let dir = tmp.path().join("manifest");
        copy_fixture(case, &dir);
        let emulator = match cloud {
            Some(json) => Emulator::from_json(
                &String::from_utf8_lossy(json),
                Path::new("mock-cloud.json"),
                EmulatorOptions::default(),
            )
            .map_err(|e| format!("{e:?}"))?,
            None => Emulator::new(EmulatorOptions::default()),
        };
        let cloud = MockCloud::from_emulator(emulator, None);
        let provider: Arc<dyn Provider> =
            Arc::new(MockProvider::over(cloud.clone(), ClientOptions::instant()));
        let state_path = tmp.path().join("state.json");
        if let Some(state) = state {
            std::fs::write(&state_path, state).map_err(|e| e.to_string())?;
        }
        let engine = Engine::open(
            provider.clone(),
            &StateConfig {
                path: state_path,
                lock_for: Some("generated kind tests".into()),
            },
        )
        .map_err(|d| d.message)?;
        Ok(World {
            _tmp: tmp,
            dir,
            engine,
            provider,
            cloud,
        })
    }

    /// Compiles and lowers `body` as the manifest.
    fn lower(&self, body: &Body) -> Result<Lowered, String> {
        let text = hcl::format::to_string(body).map_err(|e| e.to_string())?;
        std::fs::write(self.dir.join("main.hcl"), &text).map_err(|e| e.to_string())?;
        let compilation = amlplan::compile::compile(&self.dir, &Inputs::default());
        if compilation.has_errors() {
            return Err(format!(
                "the manifest does not compile: {}\n{text}",
                messages(&compilation.diagnostics)
            ));
        }
        Lowered::lower(
            self.dir.clone(),
            Inputs::default(),
            compilation,
            Vec::new(),
            self.provider.defaults(),
        )
        .map_err(|f| format!("lowering failed: {}", messages(&f.errors)))
    }

    fn plan(&self, lowered: &mut Lowered) -> Result<Plan, String> {
        let plan = self
            .engine
            .plan_manifest(lowered, PlanOptions::default())
            .map_err(|d| d.message)?;
        if !plan.errors.is_empty() {
            return Err(format!("the plan has errors: {}", messages(&plan.errors)));
        }
        Ok(plan)
    }

    /// Applies `plan`; then the manifest must plan no changes.
    fn apply(&mut self, plan: &Plan, lowered: &mut Lowered) -> Result<(), String> {
        self.engine.reconcile(plan);
        let results = self.engine.apply(plan, lowered, 4);
        let failed: Vec<String> = results
            .iter()
            .filter(|r| !matches!(r.outcome, amlplan::apply::scheduler::Outcome::Done))
            .map(|r| format!("{r:?}"))
            .collect();
        if !failed.is_empty() {
            return Err(format!("apply failed: {}", failed.join("; ")));
        }
        let again = self.plan(lowered)?;
        let left: Vec<String> = again
            .changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| {
                let paths: Vec<String> = c
                    .changes
                    .iter()
                    .map(|l| format!("{} {:?} -> {:?}", l.path, l.before, l.after))
                    .collect();
                format!("{} {:?} ({:?}): {paths:?}", c.address, c.action, c.reason)
            })
            .collect();
        if !left.is_empty() {
            return Err(format!("after apply, the plan still changes {left:#?}"));
        }
        // Nor does what amlplan just applied read as changed outside it.
        if !again.drift.is_empty() {
            let drift: Vec<String> = again
                .drift
                .iter()
                .map(|d| {
                    let paths: Vec<&str> = d.changes.iter().map(|c| c.path.as_str()).collect();
                    format!("{} {paths:?}", d.address)
                })
                .collect();
            return Err(format!("after apply, the plan reports drift: {drift:?}"));
        }
        Ok(())
    }
}

fn messages(diags: &[amlplan::diagnostic::Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| format!("[{}] {}", d.code.as_str(), d.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `(address, action)` of every change that is not a no-op.
fn changed(plan: &Plan) -> Vec<(String, Action)> {
    plan.changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| (c.address.clone(), c.action))
        .collect()
}

impl Applied {
    fn fixture(kind: &KindSchema) -> Result<Option<Applied>, String> {
        let case = format!("kinds/{}", kind.kind);
        let Ok(text) = std::fs::read_to_string(fixture_dir(&case).join("main.hcl")) else {
            // every_kind_has_a_fixture reports it.
            return Ok(None);
        };
        let fixture = hcl::parse(&text).map_err(|e| e.to_string())?;
        let mut world = World::new(&case, None, None)?;
        let mut lowered = world.lower(&fixture)?;
        let plan = world.plan(&mut lowered)?;
        world.apply(&plan, &mut lowered)?;
        let state = std::fs::read(world.engine_state_path()).map_err(|e| e.to_string())?;
        let cloud = world.cloud_json();
        Ok(Some(Applied {
            fixture,
            case,
            cloud,
            state,
            desired: lowered.desired,
        }))
    }
}

impl World {
    fn engine_state_path(&self) -> PathBuf {
        self._tmp.path().join("state.json")
    }

    fn cloud_json(&self) -> Vec<u8> {
        self.cloud.lock().to_json()
    }
}

/// A [`Why::NewVersion`] case: the resource updates only where it names the version, the
/// version's entry moves to a new ID (created; the old version archived), and nothing else is
/// planned.
fn new_version_case(
    address: &str,
    body_paths: &[(String, Vec<String>)],
    moved: &BTreeSet<String>,
    actions: &[(String, Action)],
) -> Result<(), String> {
    let own: Vec<&Vec<String>> = body_paths
        .iter()
        .filter(|(a, _)| a == address)
        .map(|(_, p)| p)
        .collect();
    if own != [&vec!["properties.codeConfiguration.codeId".to_string()]] {
        return Err(format!(
            "{address} should change only its codeId, but changes {body_paths:?}"
        ));
    }
    let version = format!("{address}.code");
    if !moved.contains(&version) {
        return Err(format!("{version} keeps its ID: {body_paths:?}"));
    }
    let expected = [
        (address.to_string(), Action::Update),
        (version, Action::Create),
    ];
    if actions != expected {
        return Err(format!("plans {actions:?}, expected {expected:?}"));
    }
    Ok(())
}

/// One case: vary `attr`, plan, check the plan against the descriptor, apply.
fn run_case(applied: &Applied, attr: &Attr, exception: Option<Why>) -> Result<(), String> {
    let mut world = World::new(&applied.case, Some(&applied.cloud), Some(&applied.state))?;
    let (body, address) = variant(&applied.fixture, attr, &world.dir)?;
    let mut lowered = world.lower(&body)?;
    let plan = world.plan(&mut lowered)?;

    // What the lowering changed: entries whose body or ID differ, or that come or go.
    let before: std::collections::BTreeMap<&str, &Desired> = applied
        .desired
        .iter()
        .map(|d| (d.address.as_str(), d))
        .collect();
    let mut moved = BTreeSet::new();
    let mut body_paths: Vec<(String, Vec<String>)> = Vec::new();
    for d in &lowered.desired {
        match before.get(d.address.as_str()) {
            Some(b) => {
                let mut paths = Vec::new();
                leaf_diff(&b.body, &d.body, "", &mut paths);
                if !b.id.eq_ignore_ascii_case(&d.id) {
                    moved.insert(d.address.clone());
                }
                if !paths.is_empty() || moved.contains(&d.address) {
                    body_paths.push((d.address.clone(), paths));
                }
            }
            None => body_paths.push((d.address.clone(), vec!["(new entry)".into()])),
        }
    }
    let now: BTreeSet<&str> = lowered.desired.iter().map(|d| d.address.as_str()).collect();
    for gone in before.keys().filter(|a| !now.contains(*a)) {
        body_paths.push((gone.to_string(), vec!["(entry gone)".into()]));
    }
    let actions = changed(&plan);

    if let Some(Why::NotSent(_)) = exception {
        return if body_paths.is_empty() && actions.is_empty() {
            Ok(())
        } else {
            Err(format!("it changes {body_paths:?} and plans {actions:?}"))
        };
    }
    if let Some(Why::NewVersion(_)) = exception {
        new_version_case(&address, &body_paths, &moved, &actions)?;
        return world.apply(&plan, &mut lowered);
    }
    if body_paths.is_empty() {
        return Err(format!(
            "the change reaches no ARM body (and plans {actions:?})"
        ));
    }
    // The planner agrees with the lowering: what changed is planned, nothing else is
    // (but what a replacement cascades to).
    for (entry, paths) in &body_paths {
        if !actions.iter().any(|(a, _)| a == entry) {
            return Err(format!("{entry} changes {paths:?} but plans no change"));
        }
    }
    // A replacement cascades (what lives in the replaced resource is replaced, its partial
    // entries written again); otherwise only what the lowering changed is planned.
    let replaces = actions.iter().any(|(_, a)| a.is_replace());
    for (entry, action) in &actions {
        let lowered_change = body_paths.iter().any(|(a, _)| a == entry);
        if !lowered_change && !replaces && *action != Action::Delete {
            return Err(format!(
                "{entry} plans {action:?} though its body did not change"
            ));
        }
    }
    // The entry the attribute lands in: the resource's own where the descriptor maps it, or
    // a partial entry of the same ARM resource (an endpoint's traffic).
    let partial_of_resource = |entry: &str| {
        lowered
            .desired
            .iter()
            .any(|d| d.address == entry && d.partial_of.as_deref() == Some(address.as_str()))
    };
    let own = body_paths
        .iter()
        .find(|(a, _)| *a == address)
        .or_else(|| body_paths.iter().find(|(a, _)| partial_of_resource(a)));
    if let Some(expected) = attr.arm_path() {
        let Some((_, paths)) = own else {
            return Err(format!(
                "{address} does not change, though `{}` maps to `{expected}` (changed: {body_paths:?})",
                attr.dotted()
            ));
        };
        let stray: Vec<&String> = paths
            .iter()
            .filter(|p| {
                let p = without_indexes(p);
                p != expected && !p.starts_with(&format!("{expected}."))
            })
            .collect();
        if !stray.is_empty() || (paths.is_empty() && !moved.contains(&address)) {
            return Err(format!(
                "{address}'s body changes at {paths:?}, expected only under `{expected}`"
            ));
        }
    }
    let subject = own
        .map(|(a, _)| a.clone())
        .unwrap_or_else(|| body_paths[0].0.clone());
    let change = plan
        .changes
        .iter()
        .find(|c| c.address == subject)
        .expect("planned above");
    // An asset version whose ID moves is a new version: created, the old one archived.
    let new_version = attr.kind.behavior.versioned_asset
        && change.action == Action::Create
        && change.old_version == Some(amlplan::plan::OldVersion::Archive);
    if attr.create_only() {
        if !change.action.is_replace() && !new_version {
            return Err(format!(
                "{subject} plans {:?} ({:?}), expected a replacement",
                change.action, change.reason
            ));
        }
        // The attribute, or the create-only block around it (`identity`).
        let dotted = attr.dotted();
        let mut names = vec![dotted.clone(), attr.attr.name.to_string()];
        for (i, b) in attr.blocks.iter().enumerate() {
            if b.create_only {
                names.push(
                    attr.blocks[..=i]
                        .iter()
                        .map(|b| b.name)
                        .collect::<Vec<_>>()
                        .join("."),
                );
            }
        }
        let named = change.replace_paths.iter().any(|r| {
            names.contains(&r.attribute) || dotted.ends_with(&format!(".{}", r.attribute))
        });
        if !named {
            return Err(format!(
                "{subject} is replaced, but its replace paths {:?} do not name `{dotted}` ({:?})",
                change.replace_paths, change.reason
            ));
        }
        // The reason says it too (for an asset version, the lifecycle rule that allows it).
        let reason = change.reason.as_deref().unwrap_or_default();
        let says_it = names.iter().any(|n| reason.contains(&format!("`{n}`")))
            || (attr.kind.behavior.versioned_asset && reason.contains("`replace_versions`"));
        if !says_it {
            return Err(format!(
                "{subject}'s reason {reason:?} does not name `{dotted}`"
            ));
        }
    } else {
        for (entry, action) in &actions {
            if *action != Action::Update {
                return Err(format!(
                    "{entry} plans {action:?}, expected an in-place update (changes {body_paths:?})"
                ));
            }
        }
        if !change.replace_paths.is_empty() {
            return Err(format!(
                "{subject} updates but names replace paths {:?}",
                change.replace_paths
            ));
        }
        let planned: Vec<&str> = change.changes.iter().map(|c| c.path.as_str()).collect();
        let (_, paths) = body_paths
            .iter()
            .find(|(a, _)| *a == subject)
            .expect("subject");
        for p in paths {
            if !planned.iter().any(|q| {
                p == q || p.starts_with(&format!("{q}.")) || q.starts_with(&format!("{p}."))
            }) {
                return Err(format!(
                    "{subject}'s body changes at {p}, but the update's changed paths are {planned:?}"
                ));
            }
        }
    }
    // The emulator accepts what the planner chose.
    world.apply(&plan, &mut lowered)
}
