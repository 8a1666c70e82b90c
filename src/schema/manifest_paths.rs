//! The reverse of the lowering's placement: for every plan entry kind, which manifest
//! attribute (or block) each path of the entry's ARM body comes from.
//!
//! Built once, from the descriptors alone: every attribute at its `arm_path` (relative to its
//! enclosing blocks' paths), every nested block, the element of a repeated block (a `#`
//! segment in [`Mapping::arm`] stands for its index), `location` and `tags`, the bodies of
//! child blocks that are plan entries of their own (`managed_network.outbound_rule`), and what
//! lowering hooks place themselves, as the attributes declare it ([`super::LoweredAt`]). The
//! lowering instantiates these for each resource (labels, indices, spans); the plan shows a
//! change under the manifest attribute it maps to.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{AttrSchema, BlockSchema, KINDS, KindSchema, NestedSchema, meta};

/// The segment of [`Mapping::arm`] that stands for a repeated block's element index.
pub const ELEMENT: &str = "#";

/// The segment of a hook's [`super::LoweredAt`] path that stands for the label of a labelled
/// block it lowers into a map keyed by the labels (an online deployment's collections).
pub const LABEL: &str = "@";

/// What one ARM path of an entry's body comes from.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// This attribute, in the last block of the chain (or the entry's root).
    Attr(&'static AttrSchema),
    /// Every occurrence of this block (its whole ARM object or array).
    Block(&'static NestedSchema),
    /// One occurrence of the chain's last block (an element of a repeated block's array).
    Instance,
}

/// One ARM path of an entry's body and the manifest attribute or block behind it.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Dotted path from the root of the entry's body, with [`ELEMENT`] for the index of each
    /// repeated block of `chain`.
    pub arm: String,
    /// The nested blocks, from the entry's root down, the target sits in.
    pub chain: Vec<&'static NestedSchema>,
    pub target: Target,
    /// The manifest path from the entry's root (`managed_network.isolation_mode`) where no
    /// block of the chain repeats (so no instance needs naming).
    pub manifest: Option<String>,
}

impl Mapping {
    fn new(arm: String, chain: Vec<&'static NestedSchema>, target: Target) -> Mapping {
        let name = match target {
            Target::Attr(a) => Some(a.name),
            Target::Block(b) => Some(b.name),
            Target::Instance => None,
        };
        let manifest = match (name, chain.iter().all(|b| b.max == Some(1))) {
            (Some(name), true) => Some(
                chain
                    .iter()
                    .map(|b| b.name)
                    .chain([name])
                    .collect::<Vec<_>>()
                    .join("."),
            ),
            _ => None,
        };
        Mapping {
            arm,
            chain,
            target,
            manifest,
        }
    }

    /// Whether it changes only by replacing the resource.
    pub fn create_only(&self) -> bool {
        match self.target {
            Target::Attr(a) => a.create_only,
            Target::Block(b) => b.create_only,
            Target::Instance => self.chain.last().is_some_and(|b| b.create_only),
        }
    }
}

/// The mappings of one plan entry kind.
#[derive(Debug, Default)]
pub struct EntryMap {
    /// The block the entry is lowered from, as a chain of nested blocks from the resource
    /// (`managed_network`, `outbound_rule`); empty when the entry's root is the resource.
    pub root: Vec<&'static NestedSchema>,
    pub mappings: Vec<Mapping>,
}

/// The mappings of a plan entry kind (`workspace`, `outbound_rule`, `dns_zone_group`), if it
/// has any.
pub fn entry_map(kind: &str) -> Option<&'static EntryMap> {
    static MAPS: LazyLock<HashMap<&'static str, EntryMap>> = LazyLock::new(|| {
        let mut maps = HashMap::new();
        for kind in KINDS {
            maps.insert(kind.kind, own_entry(kind));
            for produced in kind.children {
                maps.entry(produced.kind)
                    .or_insert_with(|| produced_entry(kind, produced.kind, produced.block));
            }
        }
        maps
    });
    MAPS.get(kind)
}

fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{path}"),
    }
}

fn own_entry(kind: &'static KindSchema) -> EntryMap {
    let mut mappings = Vec::new();
    if kind.has_location {
        mappings.push(Mapping::new(
            "location".into(),
            Vec::new(),
            Target::Attr(&meta::LOCATION),
        ));
    }
    if kind.has_tags {
        mappings.push(Mapping::new(
            kind.tags_path.into(),
            Vec::new(),
            Target::Attr(&meta::TAGS),
        ));
    }
    placed(&kind.body, "", &[], &mut mappings);
    lowered(&kind.body, "", &[], &mut mappings);
    EntryMap {
        root: Vec::new(),
        mappings,
    }
}

/// A produced entry: the body of the block it is lowered from (when `block` names a nested
/// block), plus what the kind's hook places in it.
fn produced_entry(kind: &'static KindSchema, entry: &str, block: &str) -> EntryMap {
    let mut root = Vec::new();
    let mut schema = &kind.body;
    for name in block.split('.').filter(|n| !n.is_empty()) {
        match schema.block(name) {
            Some(nested) => {
                root.push(nested);
                schema = nested.body;
            }
            // An attribute (`dns_zones`): the hook places it (declared by `lowered`).
            None => {
                root.clear();
                break;
            }
        }
    }
    let mut mappings = Vec::new();
    if !root.is_empty() {
        placed(schema, "", &[], &mut mappings);
    }
    lowered(&kind.body, entry, &[], &mut mappings);
    EntryMap { root, mappings }
}

/// Every attribute and block of `schema` the generic lowering places, at `prefix`.
fn placed(
    schema: &'static BlockSchema,
    prefix: &str,
    chain: &[&'static NestedSchema],
    out: &mut Vec<Mapping>,
) {
    for attr in schema.attrs.iter().filter(|a| !a.arm_path.is_empty()) {
        out.push(Mapping::new(
            join(prefix, attr.arm_path),
            chain.to_vec(),
            Target::Attr(attr),
        ));
    }
    for block in schema.blocks.iter().filter(|b| !b.arm_path.is_empty()) {
        let path = join(prefix, block.arm_path);
        out.push(Mapping::new(
            path.clone(),
            chain.to_vec(),
            Target::Block(block),
        ));
        let mut inner = chain.to_vec();
        inner.push(block);
        let inner_prefix = if block.max == Some(1) {
            path
        } else {
            let element = join(&path, ELEMENT);
            out.push(Mapping::new(
                element.clone(),
                inner.clone(),
                Target::Instance,
            ));
            element
        };
        placed(block.body, &inner_prefix, &inner, out);
    }
}

/// What the kind's hook places in entry `entry` (empty: the own entry), as the attributes of
/// `schema` and its nested blocks declare it.
fn lowered(
    schema: &'static BlockSchema,
    entry: &str,
    chain: &[&'static NestedSchema],
    out: &mut Vec<Mapping>,
) {
    for attr in schema.attrs {
        for at in attr.lowered.iter().filter(|at| at.entry == entry) {
            out.push(Mapping::new(
                at.path.to_string(),
                chain.to_vec(),
                Target::Attr(attr),
            ));
        }
    }
    for block in schema.blocks {
        let mut inner = chain.to_vec();
        inner.push(block);
        lowered(block.body, entry, &inner, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'m>(map: &'m EntryMap, arm: &str) -> &'m Mapping {
        map.mappings
            .iter()
            .find(|m| m.arm == arm)
            .unwrap_or_else(|| panic!("no mapping for {arm}: {map:#?}"))
    }

    fn attr_name(m: &Mapping) -> &str {
        match m.target {
            Target::Attr(a) => a.name,
            Target::Block(b) => b.name,
            Target::Instance => "(instance)",
        }
    }

    #[test]
    fn attributes_nested_and_repeated_blocks_map_back() {
        let cluster = entry_map("compute_cluster").expect("compute_cluster");
        let max = find(cluster, "properties.properties.scaleSettings.maxNodeCount");
        assert_eq!(attr_name(max), "max_nodes");
        let instance = entry_map("compute_instance").expect("compute_instance");
        let tz = find(
            instance,
            "properties.properties.schedules.computeStartStop.#.cron.timeZone",
        );
        assert_eq!(attr_name(tz), "time_zone");
        assert_eq!(
            tz.chain.iter().map(|b| b.name).collect::<Vec<_>>(),
            ["schedule"]
        );
        let element = find(
            instance,
            "properties.properties.schedules.computeStartStop.#",
        );
        assert!(matches!(element.target, Target::Instance));
        assert_eq!(attr_name(find(instance, "tags")), "tags");
    }

    #[test]
    fn child_entries_and_hook_placements_map_back() {
        let rule = entry_map("outbound_rule").expect("outbound_rule");
        assert_eq!(
            rule.root.iter().map(|b| b.name).collect::<Vec<_>>(),
            ["managed_network", "outbound_rule"]
        );
        assert_eq!(
            attr_name(find(rule, "properties.destination")),
            "destination"
        );
        let ws = entry_map("workspace").expect("workspace");
        let primary = find(ws, "properties.primaryUserAssignedIdentity");
        assert_eq!(attr_name(primary), "primary_user_assigned_id");
        assert_eq!(primary.chain[0].name, "identity");
        let group = entry_map("dns_zone_group").expect("dns_zone_group");
        assert!(group.root.is_empty());
        assert_eq!(
            attr_name(find(group, "properties.privateDnsZoneConfigs")),
            "dns_zones"
        );
        let traffic = entry_map("endpoint_traffic").expect("endpoint_traffic");
        assert_eq!(attr_name(find(traffic, "properties.traffic")), "traffic");
        let role = entry_map("role_assignment").expect("role_assignment");
        assert_eq!(attr_name(find(role, "properties.roleDefinitionId")), "role");
    }

    #[test]
    fn wire_values_go_back_to_the_manifest_form() {
        use crate::schema::{AttrType, EnumValue, Wire};
        use serde_json::json;
        static PRIORITIES: &[EnumValue] = &[EnumValue::new("spot", "LowPriority")];
        let ids = AttrType::List(&AttrType::String);
        let cases = [
            (
                AttrType::Bool,
                Wire::EnabledDisabled,
                json!("Disabled"),
                json!(false),
            ),
            (AttrType::Bool, Wire::Negated, json!(true), json!(false)),
            (
                AttrType::Duration {
                    min_secs: None,
                    max_secs: None,
                },
                Wire::IsoDuration,
                json!("PT1H30M"),
                json!("1h30m"),
            ),
            (
                AttrType::Enum(PRIORITIES),
                Wire::Plain,
                json!("lowpriority"),
                json!("spot"),
            ),
            (
                ids,
                Wire::IdMap,
                json!({"/a": {}, "/b": {}}),
                json!(["/a", "/b"]),
            ),
            (
                ids,
                Wire::Wrapped("ipv4Address"),
                json!([{"ipv4Address": "10.0.0.4"}]),
                json!(["10.0.0.4"]),
            ),
            (
                AttrType::String,
                Wire::Wrapped("ipv4Address"),
                json!([{"ipv4Address": "10.0.0.4"}]),
                json!("10.0.0.4"),
            ),
            // The markers are no wire values: they stay.
            (
                AttrType::Bool,
                Wire::EnabledDisabled,
                json!("(sensitive)"),
                json!("(sensitive)"),
            ),
            (
                AttrType::Duration {
                    min_secs: None,
                    max_secs: None,
                },
                Wire::IsoDuration,
                json!("(known after apply)"),
                json!("(known after apply)"),
            ),
        ];
        for (ty, wire, sent, shown) in cases {
            assert_eq!(wire.manifest_form(&ty, &sent), shown, "{wire:?} {sent}");
        }
    }

    /// Every attribute a kind's hook lowers itself (no `arm_path`) either declares where it
    /// goes or is not sent at all (IDs, names, cost inputs): the list below is the whole of
    /// the second group, so a new hook-lowered attribute cannot silently lose its mapping.
    #[test]
    fn hook_lowered_attributes_declare_their_paths() {
        fn walk(kind: &str, schema: &BlockSchema, prefix: &str, out: &mut Vec<String>) {
            for a in schema.attrs {
                if a.arm_path.is_empty() && a.lowered.is_empty() {
                    out.push(format!("{kind}.{}", join(prefix, a.name)));
                }
            }
            for b in schema.blocks.iter().filter(|b| b.name != "usage") {
                walk(kind, b.body, &join(prefix, b.name), out);
            }
        }
        let mut unmapped = Vec::new();
        for k in KINDS {
            walk(k.kind, &k.body, "", &mut unmapped);
        }
        let expected_unsent = |s: &String| {
            let attr = s.rsplit('.').next().unwrap_or_default();
            // An online deployment's `compute` has no property of its own: it makes the
            // deployment a Kubernetes one and its endpoint name the cluster.
            matches!(
                attr,
                "workspace"
                    | "registry"
                    | "endpoint"
                    | "version"
                    | "scope"
                    | "path"
                    | "name"
                    | "compute"
            )
        };
        let surprising: Vec<&String> = unmapped.iter().filter(|s| !expected_unsent(s)).collect();
        assert!(surprising.is_empty(), "{surprising:#?}");
    }
}
