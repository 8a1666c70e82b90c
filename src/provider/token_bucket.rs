//! ARM's throttling model: a token bucket per subscription for reads and one for writes.
//!
//! ARM admits a request when its bucket holds a token; the bucket holds at most
//! `capacity` tokens and regains `refill_per_s` a second (reads 250 and 25, writes 200 and
//! 10). The emulator's HTTP front end throttles with it ([`TokenBucket::try_take`]: a 429
//! when empty) and the HTTP provider paces with the same model ([`TokenBucket::reserve`]:
//! wait for the token instead of being refused), so a large apply is slowed, not throttled.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::Method;

/// A bucket's shape.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketSpec {
    pub capacity: f64,
    pub refill_per_s: f64,
}

impl BucketSpec {
    /// ARM's per-subscription read bucket.
    pub const ARM_READS: BucketSpec = BucketSpec {
        capacity: 250.0,
        refill_per_s: 25.0,
    };
    /// ARM's per-subscription write bucket (PUT, PATCH, DELETE, POST).
    pub const ARM_WRITES: BucketSpec = BucketSpec {
        capacity: 200.0,
        refill_per_s: 10.0,
    };

    /// `CAPACITY/REFILL` (`250/25`); `None` unless both are positive finite numbers.
    pub fn parse(text: &str) -> Option<BucketSpec> {
        let (capacity, refill) = text.split_once('/')?;
        let capacity: f64 = capacity.trim().parse().ok()?;
        let refill_per_s: f64 = refill.trim().parse().ok()?;
        let ok = |x: f64| x.is_finite() && x > 0.0;
        (ok(capacity) && ok(refill_per_s)).then_some(BucketSpec {
            capacity,
            refill_per_s,
        })
    }

    /// The same bucket with capacity and refill multiplied by `factor` (a client's headroom
    /// under the service's bucket).
    pub fn scaled(self, factor: f64) -> BucketSpec {
        BucketSpec {
            capacity: (self.capacity * factor).max(1.0),
            refill_per_s: self.refill_per_s * factor,
        }
    }

    /// The shortest time `requests` requests can take through a full bucket of this shape.
    pub fn lower_bound(self, requests: usize) -> Duration {
        let beyond = (requests as f64 - self.capacity).max(0.0);
        Duration::from_secs_f64(beyond / self.refill_per_s)
    }
}

/// Which bucket a request draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    Read,
    Write,
}

impl RequestKind {
    pub fn of(method: Method) -> RequestKind {
        match method {
            Method::Get => RequestKind::Read,
            _ => RequestKind::Write,
        }
    }

    /// ARM's name for it in `x-ms-ratelimit-remaining-subscription-*` headers and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Read => "reads",
            RequestKind::Write => "writes",
        }
    }

    /// The header ARM reports the bucket's remaining tokens in.
    pub fn remaining_header(self) -> &'static str {
        match self {
            RequestKind::Read => "x-ms-ratelimit-remaining-subscription-reads",
            RequestKind::Write => "x-ms-ratelimit-remaining-subscription-writes",
        }
    }
}

#[derive(Debug, Clone)]
pub struct TokenBucket {
    spec: BucketSpec,
    /// Negative while reservations wait for tokens not yet refilled.
    tokens: f64,
    updated: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn full(spec: BucketSpec, now: Instant) -> TokenBucket {
        TokenBucket {
            spec,
            tokens: spec.capacity,
            updated: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.spec.refill_per_s).min(self.spec.capacity);
        self.updated = self.updated.max(now);
    }

    /// Takes a token if there is one: `Ok(tokens left)`, else `Err(wait until one is)`.
    pub fn try_take(&mut self, now: Instant) -> Result<u64, Duration> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(self.tokens.floor() as u64)
        } else {
            Err(self.wait_for(1.0 - self.tokens))
        }
    }

    /// Takes a token now or in the future: how long to wait before it is the caller's.
    pub fn reserve(&mut self, now: Instant) -> Duration {
        self.refill(now);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            self.wait_for(-self.tokens)
        }
    }

    /// The service said it has `remaining` tokens, with `unseen` requests of ours on their
    /// way to it: never assume more than that.
    pub fn cap_at(&mut self, remaining: f64, unseen: f64, now: Instant) {
        self.refill(now);
        self.tokens = self.tokens.min(remaining - unseen);
    }

    fn wait_for(&self, tokens: f64) -> Duration {
        Duration::from_secs_f64(tokens / self.spec.refill_per_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_admits_its_capacity_then_refills_at_its_rate() {
        let t0 = Instant::now();
        let spec = BucketSpec {
            capacity: 3.0,
            refill_per_s: 10.0,
        };
        let mut b = TokenBucket::full(spec, t0);
        assert_eq!(b.try_take(t0), Ok(2));
        assert_eq!(b.try_take(t0), Ok(1));
        assert_eq!(b.try_take(t0), Ok(0));
        let wait = b.try_take(t0).unwrap_err();
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9, "{wait:?}");
        assert_eq!(b.try_take(t0 + Duration::from_millis(100)), Ok(0));
        // It never holds more than its capacity.
        assert_eq!(b.try_take(t0 + Duration::from_secs(60)), Ok(2));
    }

    #[test]
    fn reservations_queue_behind_each_other() {
        let t0 = Instant::now();
        let mut b = TokenBucket::full(
            BucketSpec {
                capacity: 1.0,
                refill_per_s: 4.0,
            },
            t0,
        );
        assert_eq!(b.reserve(t0), Duration::ZERO);
        assert_eq!(b.reserve(t0), Duration::from_millis(250));
        assert_eq!(b.reserve(t0), Duration::from_millis(500));
        // The service reports fewer tokens than we thought: later reservations wait longer.
        let mut c = TokenBucket::full(BucketSpec::ARM_WRITES, t0);
        c.cap_at(0.0, 0.0, t0);
        assert_eq!(c.reserve(t0), Duration::from_millis(100));
    }

    #[test]
    fn specs_parse_and_bound() {
        assert_eq!(BucketSpec::parse("250/25"), Some(BucketSpec::ARM_READS));
        assert_eq!(BucketSpec::parse("0/25"), None);
        assert_eq!(BucketSpec::parse("25"), None);
        assert_eq!(BucketSpec::parse("x/1"), None);
        assert_eq!(
            BucketSpec::ARM_READS.lower_bound(10_000),
            Duration::from_secs(390)
        );
        assert_eq!(BucketSpec::ARM_WRITES.lower_bound(100), Duration::ZERO);
    }
}
