//! ARM's per-subscription request throttling, for the emulator's HTTP front end: a read and a
//! write [`TokenBucket`] per subscription; an empty bucket answers 429 with `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::provider::token_bucket::{BucketSpec, RequestKind, TokenBucket};

/// The buckets' shapes (ARM's by default).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottleSpec {
    pub reads: BucketSpec,
    pub writes: BucketSpec,
}

impl Default for ThrottleSpec {
    fn default() -> Self {
        ThrottleSpec {
            reads: BucketSpec::ARM_READS,
            writes: BucketSpec::ARM_WRITES,
        }
    }
}

impl ThrottleSpec {
    pub fn bucket(&self, kind: RequestKind) -> BucketSpec {
        match kind {
            RequestKind::Read => self.reads,
            RequestKind::Write => self.writes,
        }
    }

    /// `reads=250/25,writes=200/10` (either may be left out: ARM's); `None` if malformed.
    pub fn parse(text: &str) -> Option<ThrottleSpec> {
        let mut spec = ThrottleSpec::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, bucket) = part.split_once('=')?;
            let bucket = BucketSpec::parse(bucket)?;
            match name.trim() {
                "reads" => spec.reads = bucket,
                "writes" => spec.writes = bucket,
                _ => return None,
            }
        }
        Some(spec)
    }
}

/// What one request drew.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Admission {
    /// Admitted; this many tokens are left.
    Admitted(u64),
    /// Refused: a token is back after this long.
    Throttled(Duration),
}

#[derive(Debug)]
pub struct Throttle {
    spec: ThrottleSpec,
    buckets: Mutex<HashMap<(String, RequestKind), TokenBucket>>,
}

impl Throttle {
    pub fn new(spec: ThrottleSpec) -> Throttle {
        Throttle {
            spec,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Draws a token for a request to `path` (the subscription is its
    /// `/subscriptions/{id}` segment; paths outside one share a bucket).
    pub fn admit(&self, path: &str, kind: RequestKind, now: Instant) -> Admission {
        let subscription = subscription_of(path);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets
            .entry((subscription, kind))
            .or_insert_with(|| TokenBucket::full(self.spec.bucket(kind), now));
        match bucket.try_take(now) {
            Ok(left) => Admission::Admitted(left),
            Err(wait) => Admission::Throttled(wait),
        }
    }
}

fn subscription_of(path: &str) -> String {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    while let Some(s) = segments.next() {
        if s.eq_ignore_ascii_case("subscriptions") {
            return segments.next().unwrap_or_default().to_ascii_lowercase();
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_per_subscription_and_kind() {
        let spec = ThrottleSpec::parse("reads=2/1,writes=1/1").unwrap();
        let t = Throttle::new(spec);
        let now = Instant::now();
        let a = "/subscriptions/A/resourceGroups/rg";
        let b = "/SUBSCRIPTIONS/b/x";
        assert_eq!(t.admit(a, RequestKind::Read, now), Admission::Admitted(1));
        assert_eq!(t.admit(a, RequestKind::Read, now), Admission::Admitted(0));
        assert!(matches!(
            t.admit("/subscriptions/a/y", RequestKind::Read, now),
            Admission::Throttled(_)
        ));
        assert_eq!(t.admit(a, RequestKind::Write, now), Admission::Admitted(0));
        assert_eq!(t.admit(b, RequestKind::Write, now), Admission::Admitted(0));
        assert_eq!(ThrottleSpec::parse(""), Some(ThrottleSpec::default()));
        assert_eq!(ThrottleSpec::parse("deletes=1/1"), None);
    }
}
