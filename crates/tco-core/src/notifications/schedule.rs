//! The vendor's retry schedule: the first attempt at once, two more within five minutes, four
//! fifteen minutes apart, then hourly until two days after the first.

use chrono::{DateTime, Duration, Utc};

/// How long after the first attempt the vendor stops trying.
const GIVE_UP_AFTER: Duration = Duration::days(2);

/// When to try again after `failed` failed attempts, the first at `first`; `None`: give up.
/// The schedule counts from the first attempt, so after a jump of the clock the missed attempts
/// are due at once, one after another.
pub fn next_attempt(first: DateTime<Utc>, failed: usize, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let failed = i64::try_from(failed).ok()?;
    let after_first = match failed {
        0 => Duration::zero(),
        1 | 2 => Duration::seconds(150 * failed),
        3..=6 => Duration::minutes(5 + 15 * (failed - 2)),
        _ => Duration::minutes(65).checked_add(&Duration::hours(failed - 6))?,
    };
    let due = first.checked_add_signed(after_first)?;
    (due <= first.checked_add_signed(GIVE_UP_AFTER)?).then_some(due.max(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_vendors_stages_and_gives_up_after_two_days() {
        let first = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let mut at = first;
        let mut times = vec![at];
        while let Some(next) = next_attempt(first, times.len(), at) {
            at = next;
            times.push(at);
        }
        let minutes: Vec<i64> = times.iter().map(|t| (*t - first).num_minutes()).collect();
        // 1 at once; 2 within 5 minutes; 4 at 15-minute intervals; then hourly.
        assert_eq!(&minutes[..7], &[0, 2, 5, 20, 35, 50, 65]);
        assert_eq!(minutes[7], 125);
        assert!(*minutes.last().unwrap_or(&0) <= 48 * 60);
        assert!(times.len() > 40, "hourly for about two days: {}", times.len());
    }
}
