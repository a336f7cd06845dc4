//! Time travel: the gateway's clock as the admin API moves it — the real clock plus an offset,
//! or frozen at an instant. Everything that ages (sessions, SSO tokens, orders, subscriptions,
//! campaigns) reads [`TravelClock::now`]; a request's signed `date` is checked against the real
//! clock ([`TravelClock::wall`]), so clients keep signing with their own clock while the gateway
//! lives in another time.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};

use crate::ports::Clock;

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
    /// The gateway's time when the real clock reads `real`.
    pub fn time(&self, real: DateTime<Utc>) -> DateTime<Utc> {
        self.frozen_at.unwrap_or(real + self.offset)
    }

    /// The setting after `change`, the real clock reading `real`.
    pub fn changed(self, change: ClockChange, real: DateTime<Utc>) -> ClockSetting {
        match change {
            ClockChange::Offset(offset) => ClockSetting { offset, frozen_at: None },
            ClockChange::Freeze(at) => {
                ClockSetting { frozen_at: Some(at.unwrap_or(self.time(real))), ..self }
            }
            ClockChange::Unfreeze => ClockSetting { offset: self.time(real) - real, frozen_at: None },
            ClockChange::Advance(by) => match self.frozen_at {
                Some(at) => ClockSetting { frozen_at: Some(at + by), ..self },
                None => ClockSetting { offset: self.offset + by, ..self },
            },
            ClockChange::Reset => ClockSetting::default(),
        }
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
    use crate::ports::ManualClock;

    #[test]
    fn moves_freezes_and_comes_back() {
        let start = Utc::now();
        let real = Arc::new(ManualClock::new(start));
        let clock = TravelClock::new(real.clone());
        let change = |change| clock.apply(clock.setting().changed(change, real.now()));
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
}
