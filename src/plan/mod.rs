//! Planning: comparing the desired ARM state with what exists, and the resulting actions.

pub mod compare;
