//! The one retry policy: how many times a failed request is tried again and how long to wait
//! before each retry.
//!
//! The client retries throttling, server errors and transport failures with
//! [`RetryPolicy::transient`]; apply retries a role assignment whose principal Entra has not
//! replicated yet (`PrincipalNotFound`) with [`RetryPolicy::principal_replication`]. Nothing
//! else retries, so every wait a run makes is one of these two, scaled by the same
//! `time_scale`.

use std::time::Duration;

/// How the wait grows from one retry to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Growth {
    /// `first_wait_ms * 2^retry`.
    Exponential,
    /// `first_wait_ms * (retry + 1)`.
    Linear,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries of one request (so at most `max_retries + 1` attempts).
    pub max_retries: u32,
    /// The wait before the first retry when the service does not say (`Retry-After`).
    pub first_wait_ms: u64,
    /// No wait is longer than this.
    pub max_wait_ms: u64,
    pub growth: Growth,
    /// Multiplies every wait before sleeping (0 in tests and for the mock provider, whose
    /// waits are logical; 1 against real ARM).
    pub time_scale: f64,
}

impl RetryPolicy {
    /// Throttling (429), timeouts and server errors: ARM asks for a wait or the backoff
    /// doubles, from 0.8 s up to a minute, six retries.
    pub fn transient(time_scale: f64) -> RetryPolicy {
        RetryPolicy {
            max_retries: 6,
            first_wait_ms: 800,
            max_wait_ms: 60_000,
            growth: Growth::Exponential,
            time_scale,
        }
    }

    /// A role assignment for a principal Entra has not replicated to ARM yet: ARM answers
    /// `PrincipalNotFound` for a few seconds after the identity was created. Five retries,
    /// 2 s more each time.
    pub fn principal_replication(time_scale: f64) -> RetryPolicy {
        RetryPolicy {
            max_retries: 5,
            first_wait_ms: 2_000,
            max_wait_ms: 60_000,
            growth: Growth::Linear,
            time_scale,
        }
    }

    /// Whether retry number `retry` (0 for the first retry) is still allowed.
    pub fn allows(&self, retry: u32) -> bool {
        retry < self.max_retries
    }

    /// The unscaled wait before retry number `retry` when the service gives none.
    pub fn wait_ms(&self, retry: u32) -> u64 {
        let wait = match self.growth {
            Growth::Exponential => {
                let factor = 1u64.checked_shl(retry.min(30)).unwrap_or(u64::MAX);
                self.first_wait_ms.saturating_mul(factor)
            }
            Growth::Linear => self.first_wait_ms.saturating_mul(u64::from(retry) + 1),
        };
        wait.min(self.max_wait_ms)
    }

    /// [`RetryPolicy::wait_ms`] with equal jitter: between half of it and all of it, so the
    /// many requests a throttled or failing service refused together do not all retry at the
    /// same moment. Used where the service gives no `Retry-After`.
    pub fn jittered_wait_ms(&self, retry: u32) -> u64 {
        let wait = self.wait_ms(retry);
        let half = wait / 2;
        half + fastrand::u64(0..=wait - half)
    }

    /// Sleeps `ms` milliseconds scaled by `time_scale`; a wait that scales to less than a
    /// millisecond only yields, so other requests in flight run.
    pub async fn sleep(&self, ms: u64) {
        let scaled = ms as f64 * self.time_scale;
        if scaled >= 1.0 {
            tokio::time::sleep(Duration::from_secs_f64(scaled / 1000.0)).await;
        } else {
            tokio::task::yield_now().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_waits_double_up_to_the_cap() {
        let p = RetryPolicy::transient(1.0);
        assert_eq!(p.wait_ms(0), 800);
        assert_eq!(p.wait_ms(1), 1_600);
        assert_eq!(p.wait_ms(3), 6_400);
        assert_eq!(p.wait_ms(40), 60_000);
        assert!(p.allows(5));
        assert!(!p.allows(6));
    }

    #[test]
    fn jittered_waits_stay_between_half_and_the_whole_wait() {
        let p = RetryPolicy::transient(1.0);
        let waits: Vec<u64> = (0..200).map(|_| p.jittered_wait_ms(2)).collect();
        assert!(
            waits.iter().all(|w| (1_600..=3_200).contains(w)),
            "{waits:?}"
        );
        assert!(waits.iter().any(|w| *w != waits[0]), "no jitter: {waits:?}");
    }

    #[test]
    fn principal_replication_waits_grow_linearly() {
        let p = RetryPolicy::principal_replication(1.0);
        assert_eq!(
            (0..5).map(|r| p.wait_ms(r)).collect::<Vec<_>>(),
            [2_000, 4_000, 6_000, 8_000, 10_000]
        );
        assert!(p.allows(4));
        assert!(!p.allows(5));
    }
}
