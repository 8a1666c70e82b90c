//! Seeded fault injection.
//!
//! Every decision is a pure function of the seed, a label, the request's method and
//! (lower-cased) path, and how many times that method and path have been seen: the `n`-th
//! request to a given URL gets the same fault whatever the interleaving of concurrent
//! requests to other URLs. The generator is splitmix64 over an FNV-1a hash.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Random faults. Rates are probabilities in `[0, 1]`; `rate_429 + rate_500` applies to
/// every request (operation polls included), `rate_lro_failed` to every long-running
/// operation when it starts (it then ends `Failed`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultPlan {
    pub seed: u64,
    pub rate_429: f64,
    pub rate_500: f64,
    pub rate_lro_failed: f64,
}

impl FaultPlan {
    pub fn none() -> FaultPlan {
        FaultPlan::default()
    }

    pub fn is_active(&self) -> bool {
        self.rate_429 > 0.0 || self.rate_500 > 0.0 || self.rate_lro_failed > 0.0
    }
}

/// What a request draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Draw {
    None,
    Throttle,
    ServerError,
}

/// Per-URL counters; not persisted (a new process starts a new schedule).
#[derive(Debug, Default, Clone)]
pub(crate) struct FaultCounters {
    seen: HashMap<String, u64>,
}

impl FaultCounters {
    /// A uniform number in `[0, 1)` for the next occurrence of (`label`, `key`).
    pub fn next_unit(&mut self, seed: u64, label: &str, key: &str) -> f64 {
        let full = format!("{label} {key}");
        let n = self.seen.entry(full.clone()).or_insert(0);
        let count = *n;
        *n += 1;
        unit(seed, &full, count)
    }

    pub fn request(&mut self, plan: &FaultPlan, method: &str, path_key: &str) -> Draw {
        if plan.rate_429 <= 0.0 && plan.rate_500 <= 0.0 {
            return Draw::None;
        }
        let u = self.next_unit(plan.seed, method, path_key);
        if u < plan.rate_429 {
            Draw::Throttle
        } else if u < plan.rate_429 + plan.rate_500 {
            Draw::ServerError
        } else {
            Draw::None
        }
    }

    pub fn lro_fails(&mut self, plan: &FaultPlan, resource_key: &str) -> bool {
        if plan.rate_lro_failed <= 0.0 {
            return false;
        }
        self.next_unit(plan.seed, "lro", resource_key) < plan.rate_lro_failed
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn unit(seed: u64, key: &str, n: u64) -> f64 {
    let x = splitmix64(splitmix64(seed ^ fnv1a(key.as_bytes())) ^ n);
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_seed_dependent() {
        let plan = FaultPlan {
            seed: 7,
            rate_429: 0.3,
            rate_500: 0.2,
            rate_lro_failed: 0.0,
        };
        let run = |plan: &FaultPlan| {
            let mut c = FaultCounters::default();
            (0..200)
                .map(|i| c.request(plan, "GET", &format!("/x/{}", i % 7)))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(&plan), run(&plan));
        let other = FaultPlan {
            seed: 8,
            ..plan.clone()
        };
        assert_ne!(run(&plan), run(&other));
        let draws = run(&plan);
        let throttled = draws.iter().filter(|d| **d == Draw::Throttle).count();
        let errors = draws.iter().filter(|d| **d == Draw::ServerError).count();
        assert!((30..=90).contains(&throttled), "{throttled}");
        assert!((15..=65).contains(&errors), "{errors}");
    }
}
