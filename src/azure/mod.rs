//! Facts about Azure that checks need: ARM resource IDs, built-in roles, VM sizes, name rules,
//! private-link sub-resources.

pub mod arm_id;
pub mod collections;
pub mod managed_network;
pub mod names;
pub mod roles;
pub mod subresources;
pub mod vm_sizes;
