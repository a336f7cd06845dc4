//! Date arithmetic that cannot panic. chrono's `+` panics past its range (about ±262,000 years);
//! a date on a request path may come from a client or a data file, so every sum saturates
//! instead.

use chrono::{DateTime, Duration, Utc};

/// `at` moved by `by`, clamped to chrono's range.
pub(crate) fn shifted(at: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
    at.checked_add_signed(by).unwrap_or(if by < Duration::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturates_at_the_ends() {
        let now = Utc::now();
        assert_eq!(shifted(now, Duration::seconds(5)), now + Duration::seconds(5));
        assert_eq!(shifted(DateTime::<Utc>::MAX_UTC, Duration::days(5)), DateTime::<Utc>::MAX_UTC);
        assert_eq!(shifted(now, Duration::MIN), DateTime::<Utc>::MIN_UTC);
    }
}
