//! ARM request paths in the emulator: the [`ArmPath`] view of `crate::azure::arm_id`, the one
//! ARM ID module (resource IDs, nested and extension resources, collection, action and
//! operation-status paths).

pub(crate) use crate::azure::arm_id::{ArmPath, is_at_or_under};
