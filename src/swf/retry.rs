//! When to try again: AWS "standard" retry mode's backoff (exponential, full jitter) and
//! the clock-skew correction, the reference that pkg/call.js ports (which failures are
//! retried is decided there, on the error records). Pure functions: the caller passes in
//! the random number and the times.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Attempts per call unless configured (1 = no retries).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Backoff base: the first retry waits up to this long.
pub const BACKOFF_BASE_MS: f64 = 100.0;
/// Backoff cap: no retry waits longer.
pub const BACKOFF_CAP_MS: f64 = 20_000.0;
/// A server clock this far from the corrected one (either way) is corrected for.
pub const MAX_CLOCK_SKEW_MS: f64 = 5.0 * 60.0 * 1000.0;
/// The largest clock offset ever applied (24 h, either way): a `Date` further from the
/// local clock is ignored as broken or hostile (SigV4 tolerates 15 minutes; real skews
/// are minutes, a wrong time zone hours).
pub const MAX_CLOCK_OFFSET_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

/// How many attempts, and how long to wait between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, at least 1.
    pub max_attempts: u32,
    /// The first retry waits up to this long (ms).
    pub base_ms: f64,
    /// No retry waits longer than this (ms).
    pub cap_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base_ms: BACKOFF_BASE_MS,
            cap_ms: BACKOFF_CAP_MS,
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `failed_attempt + 1`: full jitter,
    /// `random × min(cap, base × 2^(failed_attempt − 1))`, with `random` in [0, 1).
    pub fn backoff_ms(&self, failed_attempt: u32, random: f64) -> f64 {
        let exponent = failed_attempt.saturating_sub(1).min(30) as i32;
        let ceiling = (self.base_ms * 2f64.powi(exponent)).min(self.cap_ms);
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        random * ceiling
    }
}

/// The new offset (ms) to add to the local clock so that it matches the server's `Date`
/// (parsed by the caller; NaN when unparsable), when one is needed: after a skew error,
/// or when the server's time is more than [`MAX_CLOCK_SKEW_MS`] from the clock as
/// currently corrected (`current_offset_ms`), so a wrong offset is undone by the next
/// answer with a good `Date`. A `Date` more than [`MAX_CLOCK_OFFSET_MS`] from the local
/// clock, or one SigV4 cannot express (before 1970, after 9999), is ignored. `None` keeps
/// the current offset.
pub fn clock_correction(
    server_ms: Option<f64>,
    local_ms: f64,
    current_offset_ms: f64,
    skew_error: bool,
) -> Option<f64> {
    let last_ms = crate::sign::LAST_SIGNABLE_SECOND as f64 * 1000.0;
    let offset = server_ms.filter(|t| (0.0..=last_ms).contains(t))? - local_ms;
    if offset.abs() > MAX_CLOCK_OFFSET_MS {
        return None;
    }
    (skew_error || (offset - current_offset_ms).abs() > MAX_CLOCK_SKEW_MS).then_some(offset)
}

/// `local_ms + offset_ms` as a time to sign with.
pub fn corrected_time(local_ms: f64, offset_ms: f64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis((local_ms + offset_ms).max(0.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_full_jitter_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ms(1, 0.0), 0.0);
        assert_eq!(p.backoff_ms(1, 0.5), 50.0);
        assert_eq!(p.backoff_ms(2, 0.5), 100.0);
        assert_eq!(p.backoff_ms(3, 0.999), 399.6);
        assert_eq!(p.backoff_ms(20, 0.5), 10_000.0);
        assert_eq!(p.backoff_ms(u32::MAX, 1.0), 20_000.0);
        assert_eq!(p.backoff_ms(1, f64::NAN), 0.0);
    }

    #[test]
    fn clock_correction_from_the_server_time() {
        let server_ms = 1_795_627_513_000.0;
        let at = Some(server_ms);
        assert_eq!(
            clock_correction(at, server_ms - 600_000.0, 0.0, false),
            Some(600_000.0)
        );
        assert_eq!(
            clock_correction(at, server_ms + 301_000.0, 0.0, false),
            Some(-301_000.0)
        );
        assert_eq!(
            clock_correction(at, server_ms - 1_000.0, 0.0, false),
            None,
            "small skew"
        );
        assert_eq!(
            clock_correction(at, server_ms - 1_000.0, 0.0, true),
            Some(1_000.0),
            "skew error"
        );
        assert_eq!(clock_correction(None, 0.0, 0.0, true), None);
        assert_eq!(
            clock_correction(Some(f64::NAN), 0.0, 0.0, true),
            None,
            "unparsable Date"
        );
        assert_eq!(
            clock_correction(at, server_ms - 600_000.0, 599_000.0, false),
            None,
            "already corrected"
        );
    }

    #[test]
    fn a_hostile_date_is_ignored_and_a_bad_offset_is_undone() {
        let local = 1_795_627_513_000.0;
        // Fri, 31 Dec 9999 23:59:59 GMT, and other far-off or broken times.
        for server in [253_402_300_799_000.0, 0.0, -1e15, f64::INFINITY, 8.64e15] {
            assert_eq!(
                clock_correction(Some(server), local, 0.0, true),
                None,
                "{server}"
            );
            assert_eq!(
                clock_correction(Some(server), local, 0.0, false),
                None,
                "{server}"
            );
        }
        let day = MAX_CLOCK_OFFSET_MS;
        assert_eq!(
            clock_correction(Some(local + day), local, 0.0, false),
            Some(day)
        );
        assert_eq!(
            clock_correction(Some(local + day + 1.0), local, 0.0, false),
            None
        );
        assert_eq!(
            clock_correction(Some(local - day - 1.0), local, 0.0, true),
            None
        );
        // An offset of 20 h (a hostile but in-bounds Date) is undone by a good Date,
        // with or without a skew error.
        let bad = 20.0 * 3_600_000.0;
        assert_eq!(
            clock_correction(Some(local + 50.0), local, bad, false),
            Some(50.0)
        );
        assert_eq!(clock_correction(Some(local), local, bad, true), Some(0.0));
    }

    #[test]
    fn corrected_time_adds_the_offset() {
        let t = corrected_time(1_000.0, 500.0);
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_millis(), 1_500);
        assert_eq!(corrected_time(0.0, -5_000.0), UNIX_EPOCH);
    }
}
