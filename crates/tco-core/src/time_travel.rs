//! Time travel: the gateway's clock as the admin API moves it — the real clock plus an offset,
//! or frozen at an instant. Everything that ages (sessions, SSO tokens, orders, subscriptions,
//! campaigns) reads [`TravelClock::now`]; a request's signed `date` is checked against the real
//! clock ([`TravelClock::wall`]), so clients keep signing with their own clock while the gateway
//! lives in another time.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};

use crate::error::Error;
use crate::kernel::clock::Clock;

/// How far the gateway's time may be from the real time, either way: about 100 years. Beyond it
/// every date the gateway computes could overflow, so a move past it is refused, and a stored
/// setting past it is ignored.
pub const MAX_TRAVEL: Duration = Duration::days(36_525);

/// Where the gateway's time stands relative to the real clock. The default is real time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClockSetting {
    /// Added to the real clock while running.
    pub offset: Duration,
    /// When set, the gateway's time stands still at this instant.
    pub frozen_at: Option<DateTime<Utc>>,
}

/// A move of the gateway's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockChange {
    /// Run at this offset from the real clock (and unfreeze).
    Offset(Duration),
    /// Stand still at this instant, or where the clock is now.
    Freeze(Option<DateTime<Utc>>),
    /// Run again from where the clock stands.
    Unfreeze,
    /// Move forward (or, negative, back) by this much, frozen or not.
    Advance(Duration),
    /// Back to real time.
    Reset,
}

impl ClockSetting {
    /// The gateway's time when the real clock reads `real` (the real time itself for a setting
    /// out of range, which [`ClockSetting::in_range`] keeps from being applied).
    pub fn time(&self, real: DateTime<Utc>) -> DateTime<Utc> {
        self.frozen_at.or_else(|| real.checked_add_signed(self.offset)).unwrap_or(real)
    }

    /// The setting keeps the gateway's time within [`MAX_TRAVEL`] of `real`.
    pub fn in_range(&self, real: DateTime<Utc>) -> bool {
        let within = |distance: Option<Duration>| distance.is_some_and(|d| d.abs() <= MAX_TRAVEL);
        within(Some(self.offset))
            && self.frozen_at.is_none_or(|at| within(at.signed_duration_since(real).into()))
    }

    /// The setting after `change`, the real clock reading `real`; refused when it would take the
    /// gateway's time more than [`MAX_TRAVEL`] from the real time.
    pub fn changed(self, change: ClockChange, real: DateTime<Utc>) -> Result<ClockSetting, Error> {
        let out_of_range = || {
            Error::InvalidValue(format!(
                "the gateway's time may be at most {} days from the real time, either way",
                MAX_TRAVEL.num_days()
            ))
        };
        let changed = match change {
            ClockChange::Offset(offset) => ClockSetting { offset, frozen_at: None },
            ClockChange::Freeze(at) => {
                ClockSetting { frozen_at: Some(at.unwrap_or(self.time(real))), ..self }
            }
            ClockChange::Unfreeze => {
                ClockSetting { offset: self.time(real).signed_duration_since(real), frozen_at: None }
            }
            ClockChange::Advance(by) => match self.frozen_at {
                Some(at) => ClockSetting {
                    frozen_at: Some(at.checked_add_signed(by).ok_or_else(out_of_range)?),
                    ..self
                },
                None => {
                    ClockSetting { offset: self.offset.checked_add(&by).ok_or_else(out_of_range)?, ..self }
                }
            },
            ClockChange::Reset => ClockSetting::default(),
        };
        if changed.in_range(real) { Ok(changed) } else { Err(out_of_range()) }
    }
}

/// A clock that follows a [`ClockSetting`] over a base clock (the system's, or a test's).
#[derive(Debug)]
pub struct TravelClock {
    base: Arc<dyn Clock>,
    /// The setting, and how many times it was changed here (so that a setting read from the
    /// store before a change is not applied after it).
    setting: RwLock<(ClockSetting, u64)>,
}

impl TravelClock {
    pub fn new(base: Arc<dyn Clock>) -> Self {
        TravelClock { base, setting: RwLock::new((ClockSetting::default(), 0)) }
    }

    /// The real time, which signed request dates are checked against.
    pub fn wall(&self) -> DateTime<Utc> {
        self.base.now()
    }

    pub fn setting(&self) -> ClockSetting {
        self.read().0
    }

    /// The number of changes so far, for [`TravelClock::apply_unless_changed`].
    pub fn version(&self) -> u64 {
        self.read().1
    }

    pub fn apply(&self, setting: ClockSetting) {
        let mut current = self.setting.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        *current = (setting, current.1 + 1);
    }

    /// Applies `setting` unless the clock changed since `version`.
    pub fn apply_unless_changed(&self, setting: ClockSetting, version: u64) {
        let mut current = self.setting.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if current.1 == version && current.0 != setting {
            *current = (setting, version + 1);
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, (ClockSetting, u64)> {
        self.setting.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clock for TravelClock {
    fn now(&self) -> DateTime<Utc> {
        self.setting().time(self.base.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::clock::ManualClock;

    #[test]
    fn moves_freezes_and_comes_back() {
        let start = Utc::now();
        let real = Arc::new(ManualClock::new(start));
        let clock = TravelClock::new(real.clone());
        let change = |change| clock.apply(clock.setting().changed(change, real.now()).unwrap());
        change(ClockChange::Advance(Duration::minutes(11)));
        assert_eq!(clock.now(), start + Duration::minutes(11));
        assert_eq!(clock.wall(), start, "the real clock is untouched");
        change(ClockChange::Freeze(None));
        real.advance(Duration::hours(1));
        assert_eq!(clock.now(), start + Duration::minutes(11), "frozen");
        change(ClockChange::Advance(Duration::days(2)));
        assert_eq!(clock.now(), start + Duration::minutes(11) + Duration::days(2));
        change(ClockChange::Unfreeze);
        real.advance(Duration::seconds(5));
        assert_eq!(clock.now(), start + Duration::minutes(11) + Duration::days(2) + Duration::seconds(5));
        change(ClockChange::Offset(Duration::hours(-1)));
        assert_eq!(clock.now(), real.now() - Duration::hours(1));
        change(ClockChange::Reset);
        assert_eq!(clock.now(), real.now());
    }

    #[test]
    fn travels_at_most_a_century_and_never_overflows() {
        let real = Utc::now();
        let setting = ClockSetting::default();
        let far = MAX_TRAVEL + Duration::seconds(1);
        for change in [
            ClockChange::Offset(far),
            ClockChange::Offset(-far),
            ClockChange::Advance(Duration::MAX),
            ClockChange::Advance(Duration::MIN),
            ClockChange::Freeze(Some(DateTime::<Utc>::MAX_UTC)),
            ClockChange::Freeze(Some(real - far)),
        ] {
            assert!(matches!(setting.changed(change, real), Err(Error::InvalidValue(_))), "{change:?}");
        }
        let edge = setting.changed(ClockChange::Offset(MAX_TRAVEL), real).unwrap();
        assert!(edge.changed(ClockChange::Advance(Duration::seconds(1)), real).is_err());
        let wild = ClockSetting { offset: Duration::MAX, frozen_at: None };
        assert!(!wild.in_range(real));
        assert_eq!(wild.time(real), real, "an out-of-range offset reads as real time rather than panicking");
    }
}
