//! ARM request paths, parsed: resource IDs (top-level, nested and extension resources),
//! collection paths (LIST), action paths (POST) and operation-status paths.
//!
//! ARM IDs are case-insensitive: [`ArmPath::key`] is the lower-cased path the emulator
//! indexes by, while [`ArmPath::path`] keeps the casing the caller used.

/// A parsed ARM path.
///
/// `/subscriptions/s/resourceGroups/rg/providers/Microsoft.X/a/n1/b/n2` has scope
/// `/subscriptions/s/resourceGroups/rg`, namespace `Microsoft.X`, types `[a, b]` and names
/// `[n1, n2]`. A path with one type more than names (`.../a/n1/b`) is a collection (or, for
/// POST, an action on the resource before it). An extension resource
/// (`{resource id}/providers/Microsoft.Authorization/roleAssignments/{guid}`) is parsed at its
/// last `providers` segment, so its scope is the resource it extends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArmPath {
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
pub(crate) fn is_at_or_under(key: &str, prefix: &str) -> bool {
    key.len() >= prefix.len()
        && key.starts_with(prefix)
        && (key.len() == prefix.len() || key.as_bytes()[prefix.len()] == b'/')
}

#[cfg(test)]
mod tests {
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
}
