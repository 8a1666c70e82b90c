//! ARM resource IDs: parsing, type checks and canonical rendering.
//!
//! Manifests name resources outside the manifest (an existing storage account, a subnet, a role
//! definition) by their ARM ID. Checking the shape and the resource type of those strings before
//! anything is sent to Azure turns a 400 from ARM minutes into a plan into an error on the line
//! that holds the typo.
//!
//! An ID is a `/`-separated path: an optional `subscriptions/{id}`, an optional
//! `resourceGroups/{name}` (only under a subscription), then an optional
//! `providers/{Namespace}/{type}/{name}[/{type}/{name}…]`. The fixed segments are matched without
//! regard to case, because ARM itself returns them in mixed case (`resourcegroups` is common in
//! IDs copied from the portal). `/` on its own is the tenant root, a valid role-assignment scope.
//!
//! Extension resources (a second `providers` segment, as in
//! `{resource}/providers/Microsoft.Authorization/roleAssignments/{guid}`) are rejected: nothing a
//! manifest writes needs one, and [`ArmId`] keeps a single provider section.
//!
//! This is the one ARM ID module. [`ArmId`] is the strict form for IDs a user writes;
//! [`ArmPath`] is the lenient view of any path ARM serves (extension resources, collections,
//! actions), which the emulator indexes by; [`same_id`] is the case-insensitive comparison
//! everything else uses. [`ArmId::path`] and [`ArmPath::id`] convert between the two.

use std::fmt;

/// A parsed ARM resource ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArmId {
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    /// The resource provider namespace, e.g. `Microsoft.Network`.
    pub provider: Option<String>,
    /// The resource type segments below the namespace, e.g. `["virtualNetworks", "subnets"]`.
    pub types: Vec<String>,
    /// One name per entry of `types`, e.g. `["hub", "pe"]`.
    pub names: Vec<String>,
}

/// Why a string is not a usable ARM ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArmIdError {
    Empty,
    /// Leading or trailing whitespace; ARM would treat it as part of a name.
    SurroundingWhitespace,
    NoLeadingSlash,
    TrailingSlash,
    /// Two slashes in a row. `position` counts segments from 1.
    EmptySegment {
        position: usize,
    },
    /// A fixed segment (`subscriptions`, `resourceGroups`, `providers`) was expected.
    UnexpectedSegment {
        found: String,
        expected: &'static str,
    },
    /// A fixed segment is the last one, so its value is missing.
    MissingValue {
        segment: &'static str,
    },
    /// `providers` is followed by a namespace but no resource type.
    MissingResourceType {
        namespace: String,
    },
    /// The namespace after `providers` has no dot, so it cannot be a provider namespace.
    InvalidNamespace {
        found: String,
    },
    /// A resource type segment with no name after it (the ID has an odd number of segments).
    MissingName {
        resource_type: String,
    },
    /// A second `providers` section (an extension resource).
    ExtensionResource,
    /// The ID parsed but names a different resource type.
    WrongType {
        expected: Vec<String>,
        found: Option<String>,
    },
}

impl fmt::Display for ArmIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArmIdError::Empty => write!(f, "the ARM ID is empty"),
            ArmIdError::SurroundingWhitespace => {
                write!(f, "the ARM ID has leading or trailing whitespace")
            }
            ArmIdError::NoLeadingSlash => write!(
                f,
                "an ARM ID must start with `/` (e.g. `/subscriptions/<id>/resourceGroups/<name>/…`)"
            ),
            ArmIdError::TrailingSlash => write!(f, "the ARM ID must not end with `/`"),
            ArmIdError::EmptySegment { position } => write!(
                f,
                "segment {position} of the ARM ID is empty (two `/` in a row)"
            ),
            ArmIdError::UnexpectedSegment { found, expected } => {
                write!(f, "expected {expected} in the ARM ID, found `{found}`")
            }
            ArmIdError::MissingValue { segment } => {
                let what = match *segment {
                    "subscriptions" => "a subscription ID",
                    "resourceGroups" => "a resource group name",
                    _ => "a provider namespace",
                };
                write!(
                    f,
                    "the ARM ID ends after `{segment}`; {what} must follow it"
                )
            }
            ArmIdError::MissingResourceType { namespace } => write!(
                f,
                "the ARM ID ends after provider namespace `{namespace}`; a resource type and name must follow it"
            ),
            ArmIdError::InvalidNamespace { found } => write!(
                f,
                "`{found}` is not a provider namespace (expected something like `Microsoft.Network` after `providers`)"
            ),
            ArmIdError::MissingName { resource_type } => write!(
                f,
                "resource type `{resource_type}` has no name after it (an ARM ID alternates type and name segments, so its segment count is off by one)"
            ),
            ArmIdError::ExtensionResource => write!(
                f,
                "extension resource IDs (a second `providers` section) are not supported here"
            ),
            ArmIdError::WrongType { expected, found } => {
                let expected = match expected.as_slice() {
                    [one] => format!("a `{one}` ID"),
                    many => format!(
                        "an ID of one of the types {}",
                        many.iter()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                match found {
                    Some(found) => write!(f, "expected {expected}, found a `{found}` ID"),
                    None => write!(f, "expected {expected}, found the tenant root `/`"),
                }
            }
        }
    }
}

impl std::error::Error for ArmIdError {}

/// The ARM type of a subscription ID (`/subscriptions/{id}`).
pub const SUBSCRIPTION_TYPE: &str = "Microsoft.Resources/subscriptions";
/// The ARM type of a resource group ID.
pub const RESOURCE_GROUP_TYPE: &str = "Microsoft.Resources/resourceGroups";

impl ArmId {
    /// Parses an ARM ID. See the module documentation for the accepted shapes.
    pub fn parse(s: &str) -> Result<ArmId, ArmIdError> {
        if s.is_empty() {
            return Err(ArmIdError::Empty);
        }
        if s.trim() != s {
            return Err(ArmIdError::SurroundingWhitespace);
        }
        let Some(rest) = s.strip_prefix('/') else {
            return Err(ArmIdError::NoLeadingSlash);
        };
        let mut id = ArmId {
            subscription: None,
            resource_group: None,
            provider: None,
            types: Vec::new(),
            names: Vec::new(),
        };
        if rest.is_empty() {
            // The tenant root scope.
            return Ok(id);
        }
        if rest.ends_with('/') {
            return Err(ArmIdError::TrailingSlash);
        }
        let segments: Vec<&str> = rest.split('/').collect();
        if let Some(i) = segments.iter().position(|s| s.is_empty()) {
            return Err(ArmIdError::EmptySegment { position: i + 1 });
        }

        let mut i = 0;
        if segments[i].eq_ignore_ascii_case("subscriptions") {
            id.subscription = Some(value_after(&segments, i, "subscriptions")?);
            i += 2;
            if i < segments.len() && segments[i].eq_ignore_ascii_case("resourceGroups") {
                id.resource_group = Some(value_after(&segments, i, "resourceGroups")?);
                i += 2;
            }
        }
        if i == segments.len() {
            return Ok(id);
        }
        if !segments[i].eq_ignore_ascii_case("providers") {
            let expected = match (&id.subscription, &id.resource_group) {
                (None, _) => "`subscriptions` or `providers`",
                (Some(_), None) => "`resourceGroups` or `providers`",
                (Some(_), Some(_)) => "`providers`",
            };
            return Err(ArmIdError::UnexpectedSegment {
                found: segments[i].to_string(),
                expected,
            });
        }
        let namespace = value_after(&segments, i, "providers")?;
        if !namespace.contains('.') {
            return Err(ArmIdError::InvalidNamespace { found: namespace });
        }
        i += 2;
        if i == segments.len() {
            return Err(ArmIdError::MissingResourceType { namespace });
        }
        id.provider = Some(namespace);
        while i < segments.len() {
            let ty = segments[i];
            if ty.eq_ignore_ascii_case("providers") {
                return Err(ArmIdError::ExtensionResource);
            }
            let Some(name) = segments.get(i + 1) else {
                return Err(ArmIdError::MissingName {
                    resource_type: ty.to_string(),
                });
            };
            id.types.push(ty.to_string());
            id.names.push(name.to_string());
            i += 2;
        }
        Ok(id)
    }

    /// The full resource type, e.g. `Microsoft.Network/virtualNetworks/subnets`.
    ///
    /// Subscription and resource group IDs have the types ARM reports for them
    /// ([`SUBSCRIPTION_TYPE`], [`RESOURCE_GROUP_TYPE`]); the tenant root `/` has none.
    pub fn resource_type(&self) -> Option<String> {
        match &self.provider {
            Some(ns) => {
                let mut t = ns.clone();
                for ty in &self.types {
                    t.push('/');
                    t.push_str(ty);
                }
                Some(t)
            }
            None if self.resource_group.is_some() => Some(RESOURCE_GROUP_TYPE.to_string()),
            None if self.subscription.is_some() => Some(SUBSCRIPTION_TYPE.to_string()),
            None => None,
        }
    }

    /// The name of the resource the ID points at: the last name segment, else the resource
    /// group name, else the subscription ID. `None` for the tenant root.
    pub fn name(&self) -> Option<&str> {
        self.names
            .last()
            .or(self.resource_group.as_ref())
            .or(self.subscription.as_ref())
            .map(String::as_str)
    }

    /// The ID one level up: a subnet's virtual network, a top-level resource's resource group
    /// (or subscription, or the tenant root for tenant-level resources), a resource group's
    /// subscription. `None` for subscription IDs and the tenant root.
    pub fn parent(&self) -> Option<ArmId> {
        let mut parent = self.clone();
        if !parent.types.is_empty() {
            parent.types.pop();
            parent.names.pop();
            if parent.types.is_empty() {
                parent.provider = None;
            }
            return Some(parent);
        }
        if parent.resource_group.take().is_some() {
            return Some(parent);
        }
        None
    }

    /// True for the tenant root `/`.
    pub fn is_tenant_root(&self) -> bool {
        self.subscription.is_none() && self.provider.is_none()
    }
}

/// Parses `s` and checks that its resource type is one of `expected` (compared without regard
/// to case, as ARM does).
pub fn expect_type(s: &str, expected: &[&str]) -> Result<ArmId, ArmIdError> {
    let id = ArmId::parse(s)?;
    let found = id.resource_type();
    let matches = found
        .as_deref()
        .is_some_and(|t| expected.iter().any(|e| e.eq_ignore_ascii_case(t)));
    if matches {
        Ok(id)
    } else {
        Err(ArmIdError::WrongType {
            expected: expected.iter().map(|e| e.to_string()).collect(),
            found,
        })
    }
}

/// True if `s` is a GUID in the 8-4-4-4-12 hex form ARM uses (either case, no braces).
pub fn is_guid(s: &str) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let mut parts = s.split('-');
    for len in GROUPS {
        match parts.next() {
            Some(p) if p.len() == len && p.bytes().all(|b| b.is_ascii_hexdigit()) => {}
            _ => return false,
        }
    }
    parts.next().is_none()
}

fn value_after(segments: &[&str], i: usize, segment: &'static str) -> Result<String, ArmIdError> {
    segments
        .get(i + 1)
        .map(|v| v.to_string())
        .ok_or(ArmIdError::MissingValue { segment })
}

impl fmt::Display for ArmId {
    /// Renders the canonical form: fixed segments in ARM's casing, everything else as parsed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_tenant_root() {
            return write!(f, "/");
        }
        if let Some(sub) = &self.subscription {
            write!(f, "/subscriptions/{sub}")?;
        }
        if let Some(rg) = &self.resource_group {
            write!(f, "/resourceGroups/{rg}")?;
        }
        if let Some(ns) = &self.provider {
            write!(f, "/providers/{ns}")?;
            for (ty, name) in self.types.iter().zip(&self.names) {
                write!(f, "/{ty}/{name}")?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Request paths: any path ARM serves, leniently parsed.

/// Whether two ARM IDs name the same resource: ARM IDs compare without regard to case (and a
/// trailing `/` or query string is not part of the ID).
pub fn same_id(a: &str, b: &str) -> bool {
    let strip = |s: &str| -> usize {
        let s = s.split('?').next().unwrap_or_default();
        s.trim_end_matches('/').len()
    };
    let (la, lb) = (strip(a), strip(b));
    la == lb && a[..la].eq_ignore_ascii_case(&b[..lb])
}

/// Whether a string has the start of an ARM ID (`/subscriptions/...` or `/providers/...`).
pub fn looks_like_arm_id(s: &str) -> bool {
    s.len() > 15
        && (s
            .get(..15)
            .is_some_and(|p| p.eq_ignore_ascii_case("/subscriptions/"))
            || s.starts_with("/providers/"))
}

impl ArmId {
    /// The same ID as a request path.
    pub fn path(&self) -> Option<ArmPath> {
        ArmPath::parse(&self.to_string())
    }
}

/// A parsed ARM path.
///
/// `/subscriptions/s/resourceGroups/rg/providers/Microsoft.X/a/n1/b/n2` has scope
/// `/subscriptions/s/resourceGroups/rg`, namespace `Microsoft.X`, types `[a, b]` and names
/// `[n1, n2]`. A path with one type more than names (`.../a/n1/b`) is a collection (or, for
/// POST, an action on the resource before it). An extension resource
/// (`{resource id}/providers/Microsoft.Authorization/roleAssignments/{guid}`) is parsed at its
/// last `providers` segment, so its scope is the resource it extends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmPath {
    /// Leading `/`, no trailing `/`, original casing.
    pub path: String,
    /// Everything before `/providers/{namespace}` (original casing; `""` at tenant level).
    pub scope: String,
    pub namespace: String,
    pub types: Vec<String>,
    pub names: Vec<String>,
}

impl ArmPath {
    /// Parses a request path. `None` for an empty path or one with empty segments.
    pub fn parse(raw: &str) -> Option<ArmPath> {
        let raw = raw.split('?').next().unwrap_or_default();
        let trimmed = raw.trim_matches('/');
        if trimmed.is_empty() {
            return None;
        }
        let segments: Vec<&str> = trimmed.split('/').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return None;
        }
        let path = format!("/{trimmed}");
        let providers = segments
            .iter()
            .rposition(|s| s.eq_ignore_ascii_case("providers"))
            .filter(|&i| i + 1 < segments.len());
        let (scope_segments, namespace, rest): (&[&str], String, &[&str]) = match providers {
            Some(i) => (
                &segments[..i],
                segments[i + 1].to_string(),
                &segments[i + 2..],
            ),
            None => {
                // `/subscriptions/s/resourceGroups/rg` and friends: Microsoft.Resources.
                let n = segments.len();
                let split = if n.is_multiple_of(2) { n - 2 } else { n - 1 };
                (
                    &segments[..split],
                    "Microsoft.Resources".to_string(),
                    &segments[split..],
                )
            }
        };
        let mut types = Vec::new();
        let mut names = Vec::new();
        for (i, s) in rest.iter().enumerate() {
            if i % 2 == 0 {
                types.push(s.to_string());
            } else {
                names.push(s.to_string());
            }
        }
        let scope = if scope_segments.is_empty() {
            String::new()
        } else {
            format!("/{}", scope_segments.join("/"))
        };
        Some(ArmPath {
            path,
            scope,
            namespace,
            types,
            names,
        })
    }

    /// The case-insensitive identity of the path.
    pub fn key(&self) -> String {
        self.path.to_ascii_lowercase()
    }

    /// A collection (`.../workspaces/w/outboundRules`) or an action path, not a resource.
    pub fn is_collection(&self) -> bool {
        self.types.len() > self.names.len()
    }

    /// `Microsoft.MachineLearningServices/workspaces/computes`, lower-cased.
    pub fn type_key(&self) -> String {
        self.resource_type().to_ascii_lowercase()
    }

    /// The resource type as the caller spelled it.
    pub fn resource_type(&self) -> String {
        let mut t = self.namespace.clone();
        for ty in &self.types {
            t.push('/');
            t.push_str(ty);
        }
        t
    }

    /// The last name (the resource's own name); empty for a collection without names.
    pub fn name(&self) -> &str {
        if self.is_collection() {
            ""
        } else {
            self.names.last().map(String::as_str).unwrap_or_default()
        }
    }

    /// The last type segment, lower-cased (`computes`, or the action of an action path).
    pub fn last_type(&self) -> String {
        self.types
            .last()
            .map(|t| t.to_ascii_lowercase())
            .unwrap_or_default()
    }

    /// For a collection or action path: the resource it is under (dropping the last type).
    pub fn owner(&self) -> Option<ArmPath> {
        if !self.is_collection() {
            return None;
        }
        let cut = self.path.rfind('/')?;
        ArmPath::parse(&self.path[..cut])
    }

    /// The resource this one cannot exist without: for a nested resource the resource one
    /// level up; for an extension resource whose scope is itself a resource, that resource.
    /// `None` for a resource directly under a resource group or subscription.
    pub fn parent(&self) -> Option<ArmPath> {
        if self.is_collection() {
            return self.owner().and_then(|o| {
                if o.is_resource_in_provider() {
                    Some(o)
                } else {
                    None
                }
            });
        }
        if self.types.len() > 1 {
            let mut p = self.path.clone();
            for _ in 0..2 {
                let cut = p.rfind('/')?;
                p.truncate(cut);
            }
            return ArmPath::parse(&p);
        }
        ArmPath::parse(&self.scope).filter(ArmPath::is_resource_in_provider)
    }

    /// A resource under a `providers` segment (not a resource group or subscription).
    pub fn is_resource_in_provider(&self) -> bool {
        !self.is_collection()
            && !self.namespace.eq_ignore_ascii_case("Microsoft.Resources")
            && !self.types.is_empty()
    }

    pub fn subscription(&self) -> Option<&str> {
        segment_after(&self.path, "subscriptions")
    }

    pub fn resource_group(&self) -> Option<&str> {
        segment_after(&self.path, "resourceGroups")
    }
}

fn segment_after<'a>(path: &'a str, name: &str) -> Option<&'a str> {
    let mut it = path.split('/');
    while let Some(s) = it.next() {
        if s.eq_ignore_ascii_case(name) {
            return it.next().filter(|s| !s.is_empty());
        }
    }
    None
}

/// Whether `key` (lower-cased) is `prefix` itself or lies under it.
pub fn is_at_or_under(key: &str, prefix: &str) -> bool {
    key.len() >= prefix.len()
        && key.starts_with(prefix)
        && (key.len() == prefix.len() || key.as_bytes()[prefix.len()] == b'/')
}

impl ArmPath {
    /// The path as a strictly checked [`ArmId`] (extension resources and collections are not).
    pub fn id(&self) -> Result<ArmId, ArmIdError> {
        ArmId::parse(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBNET: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/pe";

    fn err(s: &str) -> ArmIdError {
        ArmId::parse(s).expect_err(s)
    }

    #[test]
    fn parses_nested_child_resource() {
        let id = ArmId::parse(SUBNET).unwrap();
        assert_eq!(id.subscription.as_deref(), Some("s"));
        assert_eq!(id.resource_group.as_deref(), Some("rg"));
        assert_eq!(id.provider.as_deref(), Some("Microsoft.Network"));
        assert_eq!(id.types, ["virtualNetworks", "subnets"]);
        assert_eq!(id.names, ["hub", "pe"]);
        assert_eq!(
            id.resource_type().as_deref(),
            Some("Microsoft.Network/virtualNetworks/subnets")
        );
        assert_eq!(id.name(), Some("pe"));
        assert_eq!(id.to_string(), SUBNET);
    }

    #[test]
    fn parses_subscription_and_resource_group_ids() {
        let sub = ArmId::parse("/subscriptions/x").unwrap();
        assert_eq!(sub.subscription.as_deref(), Some("x"));
        assert_eq!(sub.resource_group, None);
        assert_eq!(sub.provider, None);
        assert!(sub.types.is_empty() && sub.names.is_empty());
        assert_eq!(sub.resource_type().as_deref(), Some(SUBSCRIPTION_TYPE));
        assert_eq!(sub.name(), Some("x"));
        assert_eq!(sub.to_string(), "/subscriptions/x");

        let rg = ArmId::parse("/subscriptions/x/resourceGroups/my-rg").unwrap();
        assert_eq!(rg.resource_group.as_deref(), Some("my-rg"));
        assert_eq!(rg.resource_type().as_deref(), Some(RESOURCE_GROUP_TYPE));
        assert_eq!(rg.name(), Some("my-rg"));
        assert_eq!(rg.to_string(), "/subscriptions/x/resourceGroups/my-rg");
    }

    #[test]
    fn parses_tenant_and_subscription_level_provider_ids() {
        let guid = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
        let tenant = ArmId::parse(&format!(
            "/providers/Microsoft.Authorization/roleDefinitions/{guid}"
        ))
        .unwrap();
        assert_eq!(tenant.subscription, None);
        assert_eq!(tenant.resource_group, None);
        assert_eq!(
            tenant.resource_type().as_deref(),
            Some("Microsoft.Authorization/roleDefinitions")
        );
        assert_eq!(tenant.name(), Some(guid));

        let sub_level = ArmId::parse(&format!(
            "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{guid}"
        ))
        .unwrap();
        assert_eq!(sub_level.subscription.as_deref(), Some("s"));
        assert_eq!(sub_level.resource_group, None);
        assert_eq!(sub_level.types, ["roleDefinitions"]);
        assert_eq!(sub_level.names, [guid]);
        assert_eq!(
            sub_level.to_string(),
            format!("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{guid}")
        );

        let mg = ArmId::parse("/providers/Microsoft.Management/managementGroups/root").unwrap();
        assert_eq!(
            mg.resource_type().as_deref(),
            Some("Microsoft.Management/managementGroups")
        );
    }

    #[test]
    fn parses_tenant_root() {
        let root = ArmId::parse("/").unwrap();
        assert!(root.is_tenant_root());
        assert_eq!(root.resource_type(), None);
        assert_eq!(root.name(), None);
        assert_eq!(root.parent(), None);
        assert_eq!(root.to_string(), "/");
    }

    #[test]
    fn fixed_segments_are_case_insensitive_and_rendered_canonically() {
        let id = ArmId::parse(
            "/SUBSCRIPTIONS/s/resourcegroups/RG/Providers/Microsoft.MachineLearningServices/workspaces/ws",
        )
        .unwrap();
        assert_eq!(id.resource_group.as_deref(), Some("RG"));
        assert_eq!(
            id.to_string(),
            "/subscriptions/s/resourceGroups/RG/providers/Microsoft.MachineLearningServices/workspaces/ws"
        );
        // Variable segments keep their casing.
        let lower = ArmId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/microsoft.storage/storageaccounts/sa",
        )
        .unwrap();
        assert_eq!(
            lower.resource_type().as_deref(),
            Some("microsoft.storage/storageaccounts")
        );
    }

    #[test]
    fn display_round_trips() {
        for s in [
            SUBNET,
            "/subscriptions/s",
            "/subscriptions/s/resourceGroups/rg",
            "/providers/Microsoft.Authorization/roleDefinitions/g",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms",
        ] {
            assert_eq!(ArmId::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn parent_walks_up_one_level() {
        let subnet = ArmId::parse(SUBNET).unwrap();
        let vnet = subnet.parent().unwrap();
        assert_eq!(
            vnet.to_string(),
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"
        );
        let rg = vnet.parent().unwrap();
        assert_eq!(rg.to_string(), "/subscriptions/s/resourceGroups/rg");
        assert_eq!(rg.provider, None);
        let sub = rg.parent().unwrap();
        assert_eq!(sub.to_string(), "/subscriptions/s");
        assert_eq!(sub.parent(), None);

        let role =
            ArmId::parse("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/g")
                .unwrap();
        assert_eq!(role.parent().unwrap().to_string(), "/subscriptions/s");
        let tenant_level =
            ArmId::parse("/providers/Microsoft.Authorization/roleDefinitions/g").unwrap();
        assert!(tenant_level.parent().unwrap().is_tenant_root());
    }

    #[test]
    fn rejects_empty_and_whitespace() {
        assert_eq!(err(""), ArmIdError::Empty);
        assert_eq!(err(" /subscriptions/s"), ArmIdError::SurroundingWhitespace);
        assert_eq!(err("/subscriptions/s\n"), ArmIdError::SurroundingWhitespace);
    }

    #[test]
    fn rejects_missing_leading_slash() {
        assert_eq!(err("subscriptions/s"), ArmIdError::NoLeadingSlash);
        assert!(
            err("subscriptions/s")
                .to_string()
                .contains("must start with `/`")
        );
    }

    #[test]
    fn rejects_trailing_slash_and_empty_segments() {
        assert_eq!(err("/subscriptions/s/"), ArmIdError::TrailingSlash);
        assert_eq!(
            err("/subscriptions//resourceGroups/rg"),
            ArmIdError::EmptySegment { position: 2 }
        );
        assert_eq!(
            err("/subscriptions//resourceGroups/rg").to_string(),
            "segment 2 of the ARM ID is empty (two `/` in a row)"
        );
        assert_eq!(err("//"), ArmIdError::TrailingSlash);
    }

    #[test]
    fn rejects_missing_values() {
        assert_eq!(
            err("/subscriptions"),
            ArmIdError::MissingValue {
                segment: "subscriptions"
            }
        );
        assert!(
            err("/subscriptions")
                .to_string()
                .contains("a subscription ID")
        );
        assert_eq!(
            err("/subscriptions/s/resourceGroups"),
            ArmIdError::MissingValue {
                segment: "resourceGroups"
            }
        );
        assert!(
            err("/subscriptions/s/resourceGroups")
                .to_string()
                .contains("a resource group name")
        );
        assert_eq!(
            err("/subscriptions/s/resourceGroups/rg/providers"),
            ArmIdError::MissingValue {
                segment: "providers"
            }
        );
        assert_eq!(
            err("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network"),
            ArmIdError::MissingResourceType {
                namespace: "Microsoft.Network".into()
            }
        );
    }

    #[test]
    fn rejects_missing_name_on_odd_segment_count() {
        let e =
            err("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks");
        assert_eq!(
            e,
            ArmIdError::MissingName {
                resource_type: "virtualNetworks".into()
            }
        );
        assert!(e.to_string().contains("`virtualNetworks` has no name"));
        assert_eq!(
            err(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets"
            ),
            ArmIdError::MissingName {
                resource_type: "subnets".into()
            }
        );
    }

    #[test]
    fn rejects_unexpected_segments() {
        assert_eq!(
            err("/foo/bar"),
            ArmIdError::UnexpectedSegment {
                found: "foo".into(),
                expected: "`subscriptions` or `providers`"
            }
        );
        assert_eq!(
            err("/subscriptions/s/resourcegroup/rg").to_string(),
            "expected `resourceGroups` or `providers` in the ARM ID, found `resourcegroup`"
        );
        assert_eq!(
            err("/subscriptions/s/resourceGroups/rg/Microsoft.Network/virtualNetworks/hub"),
            ArmIdError::UnexpectedSegment {
                found: "Microsoft.Network".into(),
                expected: "`providers`"
            }
        );
        // A resource group with no subscription is not an ID.
        assert!(matches!(
            err("/resourceGroups/rg"),
            ArmIdError::UnexpectedSegment { .. }
        ));
    }

    #[test]
    fn rejects_namespace_without_dot() {
        let e = err("/subscriptions/s/resourceGroups/rg/providers/virtualNetworks/hub");
        assert_eq!(
            e,
            ArmIdError::InvalidNamespace {
                found: "virtualNetworks".into()
            }
        );
        assert!(e.to_string().contains("Microsoft.Network"));
    }

    #[test]
    fn rejects_extension_resources() {
        assert_eq!(
            err(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa/providers/Microsoft.Authorization/roleAssignments/g"
            ),
            ArmIdError::ExtensionResource
        );
    }

    #[test]
    fn expect_type_accepts_matching_types_case_insensitively() {
        let id = expect_type(SUBNET, &["microsoft.network/VIRTUALNETWORKS/subnets"]).unwrap();
        assert_eq!(id.name(), Some("pe"));
        let id = expect_type(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
            &[
                "Microsoft.Storage/storageAccounts",
                "Microsoft.KeyVault/vaults",
            ],
        )
        .unwrap();
        assert_eq!(id.name(), Some("kv"));
        assert!(expect_type("/subscriptions/s/resourceGroups/rg", &[RESOURCE_GROUP_TYPE]).is_ok());
    }

    #[test]
    fn expect_type_names_expected_and_found_types() {
        let e = expect_type(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
            &["Microsoft.Storage/storageAccounts"],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "expected a `Microsoft.Storage/storageAccounts` ID, found a `Microsoft.KeyVault/vaults` ID"
        );
        let e = expect_type(
            SUBNET,
            &[
                "Microsoft.Network/virtualNetworks",
                "Microsoft.Network/privateEndpoints",
            ],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "expected an ID of one of the types `Microsoft.Network/virtualNetworks`, `Microsoft.Network/privateEndpoints`, found a `Microsoft.Network/virtualNetworks/subnets` ID"
        );
        let e = expect_type("/", &["Microsoft.Network/virtualNetworks"]).unwrap_err();
        assert!(e.to_string().ends_with("found the tenant root `/`"));
        // Parse errors pass through unchanged.
        assert_eq!(
            expect_type("nope", &["Microsoft.Network/virtualNetworks"]).unwrap_err(),
            ArmIdError::NoLeadingSlash
        );
    }

    #[test]
    fn guid_shape() {
        assert!(is_guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"));
        assert!(is_guid("8E3AF657-A8FF-443C-A75C-2FE8C4BCB635"));
        assert!(is_guid("00000000-0000-0000-0000-000000000000"));
        assert!(!is_guid(""));
        assert!(!is_guid("8e3af657a8ff443ca75c2fe8c4bcb635"));
        assert!(!is_guid("{8e3af657-a8ff-443c-a75c-2fe8c4bcb635}"));
        assert!(!is_guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb63"));
        assert!(!is_guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb6355"));
        assert!(!is_guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb635-"));
        assert!(!is_guid("ge3af657-a8ff-443c-a75c-2fe8c4bcb635"));
        assert!(!is_guid("8e3af657-a8ff-443c-a75c2-fe8c4bcb635"));
        assert!(!is_guid(" 8e3af657-a8ff-443c-a75c-2fe8c4bcb635"));
    }
}

#[cfg(test)]
mod path_tests {
    use super::*;

    const WS: &str = "/subscriptions/s1/resourceGroups/RG/providers/Microsoft.MachineLearningServices/workspaces/Ws";

    #[test]
    fn parses_nested_resource() {
        let p = ArmPath::parse(&format!("{WS}/computes/cpu/")).unwrap();
        assert_eq!(p.namespace, "Microsoft.MachineLearningServices");
        assert_eq!(p.types, ["workspaces", "computes"]);
        assert_eq!(p.names, ["Ws", "cpu"]);
        assert_eq!(p.scope, "/subscriptions/s1/resourceGroups/RG");
        assert_eq!(
            p.type_key(),
            "microsoft.machinelearningservices/workspaces/computes"
        );
        assert_eq!(p.parent().unwrap().path, WS);
        assert_eq!(p.subscription(), Some("s1"));
        assert_eq!(p.resource_group(), Some("RG"));
        assert!(ArmPath::parse(WS).unwrap().parent().is_none());
    }

    #[test]
    fn parses_extension_and_collection() {
        let ra = format!("{WS}/providers/Microsoft.Authorization/roleAssignments/abc");
        let p = ArmPath::parse(&ra).unwrap();
        assert_eq!(p.type_key(), "microsoft.authorization/roleassignments");
        assert_eq!(p.scope, WS);
        assert_eq!(p.parent().unwrap().path, WS);
        let rg_ra = ArmPath::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/x",
        )
        .unwrap();
        assert!(rg_ra.parent().is_none());

        let c = ArmPath::parse(&format!("{WS}/outboundRules")).unwrap();
        assert!(c.is_collection());
        assert_eq!(c.owner().unwrap().path, WS);
        assert_eq!(c.parent().unwrap().path, WS);
        let top = ArmPath::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces",
        )
        .unwrap();
        assert!(top.is_collection());
        assert!(top.parent().is_none());

        let rg = ArmPath::parse("/subscriptions/s/resourceGroups/rg").unwrap();
        assert_eq!(rg.type_key(), "microsoft.resources/resourcegroups");
        assert_eq!(rg.name(), "rg");
    }

    #[test]
    fn prefix_test_respects_segments() {
        assert!(is_at_or_under("/a/ws1/x", "/a/ws1"));
        assert!(is_at_or_under("/a/ws1", "/a/ws1"));
        assert!(!is_at_or_under("/a/ws10", "/a/ws1"));
    }

    #[test]
    fn ids_compare_without_case_and_views_agree() {
        assert!(same_id(
            "/subscriptions/S/resourceGroups/RG/providers/Microsoft.X/a/N",
            "/subscriptions/s/resourcegroups/rg/providers/microsoft.x/a/n/"
        ));
        assert!(!same_id(
            "/subscriptions/s/resourceGroups/rg1",
            "/subscriptions/s/resourceGroups/rg"
        ));
        assert!(looks_like_arm_id("/SUBSCRIPTIONS/s/resourceGroups/rg"));
        assert!(!looks_like_arm_id("/subscriptions"));
        let id = ArmId::parse(&format!("{WS}/computes/cpu")).unwrap();
        let path = id.path().unwrap();
        assert_eq!(path.name(), id.name().unwrap());
        assert_eq!(Some(path.resource_type()), id.resource_type());
        assert_eq!(path.parent().unwrap().id().unwrap(), id.parent().unwrap());
    }
}
