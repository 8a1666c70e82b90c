//! The rule registry: one file per rule, listed here in ID order.

mod prelude {
    pub use super::super::ctx::{self, Ctx, bool_attr, fact, flag_set, int_attr, str_attr};
    pub use super::super::hit::Hit;
    pub use super::super::rule::{Area, Rule};
    pub use super::super::severity::Severity;
    pub use crate::model::Resource;
    pub use crate::schema::KindSchema;
    pub use crate::schema::descriptor::ReviewFact;
}

pub mod cluster_min_nodes;
pub mod compute_idle_shutdown;
pub mod compute_local_auth;
pub mod compute_outside_subnet;
pub mod compute_public_ip;
pub mod compute_public_ssh;
pub mod conda_unpinned;
pub mod datastore_stored_secret;
pub mod deployment_public_egress;
pub mod dns_zone_mismatch;
pub mod dns_zone_unlinked;
pub mod endpoint_key_auth;
pub mod endpoint_public_access;
pub mod environment_image_unpinned;
pub mod fqdn_broad;
pub mod fqdn_public_host;
pub mod hbi_isolation;
pub mod hbi_storage_public;
pub mod hbi_without_cmk;
pub mod kubernetes_outside_managed_network;
pub mod private_endpoint_without_dns;
pub mod privileged_role_broad_scope;
pub mod privileged_role_to_user;
pub mod registry_public_access;
pub mod secret_in_plain_text;
pub mod service_tag_broad;
pub mod suppression_without_reason;
pub mod system_datastores_key;
pub mod training_serving_skew;
pub mod user_assigned_directly;
pub mod workspace_isolation_not_approved;
pub mod workspace_no_private_endpoint;
pub mod workspace_no_private_endpoint_rule;
pub mod workspace_public_access;
pub mod workspace_system_identity;
pub mod workspace_without_cmk;

use super::Rule;

/// Every rule, by ID.
pub static RULES: &[&Rule] = &[
    &workspace_public_access::RULE,
    &hbi_isolation::RULE,
    &fqdn_broad::RULE,
    &fqdn_public_host::RULE,
    &service_tag_broad::RULE,
    &endpoint_public_access::RULE,
    &deployment_public_egress::RULE,
    &compute_public_ip::RULE,
    &compute_public_ssh::RULE,
    &compute_outside_subnet::RULE,
    &private_endpoint_without_dns::RULE,
    &dns_zone_mismatch::RULE,
    &dns_zone_unlinked::RULE,
    &workspace_no_private_endpoint::RULE,
    &workspace_no_private_endpoint_rule::RULE,
    &workspace_isolation_not_approved::RULE,
    &registry_public_access::RULE,
    &kubernetes_outside_managed_network::RULE,
    &privileged_role_to_user::RULE,
    &privileged_role_broad_scope::RULE,
    &user_assigned_directly::RULE,
    &endpoint_key_auth::RULE,
    &compute_local_auth::RULE,
    &workspace_system_identity::RULE,
    &hbi_without_cmk::RULE,
    &workspace_without_cmk::RULE,
    &secret_in_plain_text::RULE,
    &hbi_storage_public::RULE,
    &system_datastores_key::RULE,
    &datastore_stored_secret::RULE,
    &compute_idle_shutdown::RULE,
    &cluster_min_nodes::RULE,
    &environment_image_unpinned::RULE,
    &conda_unpinned::RULE,
    &training_serving_skew::RULE,
    &suppression_without_reason::RULE,
];

#[cfg(test)]
mod tests {
    use super::RULES;

    #[test]
    fn rule_ids_are_unique_well_formed_and_documented() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule IDs");
        for r in RULES {
            let parts: Vec<&str> = r.id.split('-').collect();
            assert!(
                parts.len() == 3 && parts[0] == "AML" && parts[2].len() == 3,
                "{}",
                r.id
            );
            assert!(!r.title.is_empty() && !r.rationale.is_empty() && !r.remediation.is_empty());
            assert!(
                r.id == "AML-REV-001" || !r.kinds().is_empty(),
                "{} applies to no kind",
                r.id
            );
        }
    }
}
