//! `amlplan fmt` (being written).

use crate::cli::FmtArgs;

pub fn run(_args: &FmtArgs) -> u8 {
    0
}
