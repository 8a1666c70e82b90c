//! Client-side pacing under ARM's per-subscription token buckets: each request waits for a
//! token of a bucket shaped like ARM's (with some headroom), so a large refresh or apply
//! runs at the rate ARM admits instead of being answered 429 and retried.
//!
//! ARM reports what its bucket still holds (`x-ms-ratelimit-remaining-subscription-reads`
//! and `-writes`); [`Pacer::after`] lowers the local bucket to that, less the requests still
//! on their way, so another client of the same subscription slows this one down too.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::token_bucket::{BucketSpec, RequestKind, TokenBucket};
use super::{ArmResponse, Method};

/// The buckets a client paces under.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PacingSpec {
    pub reads: BucketSpec,
    pub writes: BucketSpec,
}

impl Default for PacingSpec {
    /// ARM's buckets at 95%: clocks and latency differ a little between the client and ARM.
    fn default() -> Self {
        PacingSpec {
            reads: BucketSpec::ARM_READS.scaled(0.95),
            writes: BucketSpec::ARM_WRITES.scaled(0.95),
        }
    }
}

#[derive(Debug)]
pub struct Pacer {
    reads: Mutex<TokenBucket>,
    writes: Mutex<TokenBucket>,
    reads_in_flight: AtomicU64,
    writes_in_flight: AtomicU64,
}

impl Pacer {
    pub fn new(spec: PacingSpec) -> Pacer {
        let now = Instant::now();
        Pacer {
            reads: Mutex::new(TokenBucket::full(spec.reads, now)),
            writes: Mutex::new(TokenBucket::full(spec.writes, now)),
            reads_in_flight: AtomicU64::new(0),
            writes_in_flight: AtomicU64::new(0),
        }
    }

    fn parts(&self, kind: RequestKind) -> (&Mutex<TokenBucket>, &AtomicU64) {
        match kind {
            RequestKind::Read => (&self.reads, &self.reads_in_flight),
            RequestKind::Write => (&self.writes, &self.writes_in_flight),
        }
    }

    /// Waits until a request of `method` may be sent.
    pub async fn before(&self, method: Method) {
        let kind = RequestKind::of(method);
        let (bucket, in_flight) = self.parts(kind);
        let wait = bucket
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .reserve(Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        in_flight.fetch_add(1, Ordering::Relaxed);
    }

    /// Records the answer (or the failure: `None`) to a request sent after [`Pacer::before`].
    pub fn after(&self, method: Method, response: Option<&ArmResponse>) {
        let kind = RequestKind::of(method);
        let (bucket, in_flight) = self.parts(kind);
        let unseen = in_flight.fetch_sub(1, Ordering::Relaxed).saturating_sub(1);
        let remaining = response
            .and_then(|r| r.header(kind.remaining_header()))
            .and_then(|v| v.trim().parse::<f64>().ok());
        if let Some(remaining) = remaining {
            bucket.lock().unwrap_or_else(|e| e.into_inner()).cap_at(
                remaining,
                unseen as f64,
                Instant::now(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_reported_empty_bucket_slows_the_next_request() {
        let spec = PacingSpec {
            reads: BucketSpec {
                capacity: 10.0,
                refill_per_s: 20.0,
            },
            writes: BucketSpec::ARM_WRITES,
        };
        let pacer = Pacer::new(spec);
        pacer.before(Method::Get).await;
        let answer = ArmResponse {
            status: 200,
            headers: vec![(
                "x-ms-ratelimit-remaining-subscription-reads".into(),
                "0".into(),
            )],
            body: None,
        };
        pacer.after(Method::Get, Some(&answer));
        let started = Instant::now();
        pacer.before(Method::Get).await;
        assert!(started.elapsed() >= Duration::from_millis(45));
        // Writes have their own bucket.
        let started = Instant::now();
        pacer.before(Method::Put).await;
        assert!(started.elapsed() < Duration::from_millis(45));
    }
}
