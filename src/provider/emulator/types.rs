//! The request's ARM type, looked up in the kind descriptors: what ARM enforces on it
//! ([`ArmSemantics`]), the family of emulator code it gets, and its canonical casing.

use super::path::ArmPath;
use crate::schema::ArmSemantics;
use crate::schema::semantics::{Family, Lro, LroStyle};

/// The semantics of the type at `path`, if the descriptors know it.
pub(crate) fn semantics(path: &ArmPath) -> Option<&'static ArmSemantics> {
    crate::schema::arm_semantics(&path.resource_type())
}

/// The family of emulator code of the type at `path`: [`Family::Plain`] for a type nobody
/// describes, which is stored and returned as sent.
pub(crate) fn family(path: &ArmPath) -> Family {
    semantics(path).map_or(Family::Plain, |s| s.family)
}

/// How writes to the type at `path` are answered (synchronously for an unknown type).
pub(crate) fn lro(path: &ArmPath) -> LroStyle {
    semantics(path).map_or(LroStyle::SYNC, |s| s.lro)
}

/// Whether a DELETE of the type at `path` is long-running.
pub(crate) fn delete_is_lro(path: &ArmPath) -> bool {
    lro(path).delete != Lro::Sync
}

/// The type as ARM reports it: the canonical casing for known types, else as sent.
pub(crate) fn canonical_type(path: &ArmPath) -> String {
    semantics(path).map_or_else(|| path.resource_type(), |s| s.arm_type.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_found_by_the_request_path() {
        let ws = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w";
        let f = |p: &str| family(&ArmPath::parse(p).unwrap());
        assert_eq!(f(ws), Family::Workspace);
        assert_eq!(f(&format!("{ws}/computes/c")), Family::Compute);
        assert_eq!(
            f(&format!("{ws}/environments/e/versions/1")),
            Family::EnvironmentVersion
        );
        assert_eq!(
            f(&format!("{ws}/models/m/versions/1")),
            Family::AssetVersion
        );
        assert_eq!(f(&format!("{ws}/data/d")), Family::AssetContainer);
        assert_eq!(
            f(&format!(
                "{ws}/providers/Microsoft.Authorization/roleAssignments/x"
            )),
            Family::RoleAssignment
        );
        assert_eq!(
            f(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z/A/r"
            ),
            Family::DnsRecord
        );
        assert_eq!(
            f("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Foo/bars/b"),
            Family::Plain
        );
        let l = |p: &str| lro(&ArmPath::parse(p).unwrap());
        assert_eq!(l(ws).put, Lro::Location);
        assert_eq!(l(&format!("{ws}/computes/c")).put, Lro::AsyncOperation);
        assert_eq!(l(&format!("{ws}/onlineEndpoints/e")).patch, Lro::Location);
        assert_eq!(
            l(&format!(
                "{ws}/providers/Microsoft.Authorization/roleAssignments/x"
            ))
            .put,
            Lro::Sync
        );
        assert_eq!(
            canonical_type(&ArmPath::parse(&ws.to_ascii_lowercase()).unwrap()),
            "Microsoft.MachineLearningServices/workspaces"
        );
    }
}
