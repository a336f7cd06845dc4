//! Fault injection: rules the admin API sets so that chosen calls fail on purpose — with a
//! catalogue error, after added latency, or by a dropped connection — for the next N calls or a
//! share of them, so a client's error handling can be tested. Rules live in this instance only.
//!
//! A percentage is applied deterministically: 25 % fires on the 4th, 8th, 12th… matching call,
//! so a test that makes a known number of calls knows how many fail.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::error::ErrorCode;
use crate::journal::{Call, Protocol};

/// What an injected fault does to the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    /// Answer with this catalogue error, in each protocol's own form.
    Error(ErrorCode),
    /// Wait this long, then run the call as usual.
    Latency(Duration),
    /// Close the connection without an answer.
    Drop,
}

impl FaultAction {
    /// How the journal marks a call this fault hit.
    pub fn describe(&self) -> String {
        match self {
            FaultAction::Error(code) => format!("error {code}"),
            FaultAction::Latency(delay) => format!("latency {} ms", delay.as_millis()),
            FaultAction::Drop => "dropped connection".to_owned(),
        }
    }
}

/// Which calls a fault hits and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// The vendor's operation name in any case, or `*` for every operation.
    pub operation: String,
    /// `None`: every protocol.
    pub protocol: Option<Protocol>,
    /// `None`: every merchant.
    pub merchant: Option<String>,
    pub action: FaultAction,
    /// Hit this many calls, then go away; `None`: until cleared.
    pub times: Option<u32>,
    /// Hit this share of the matching calls, 1–100; `None`: all of them.
    pub percent: Option<u8>,
}

/// A fault in force: its rule, and how many calls it has seen and hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub id: u64,
    pub rule: FaultRule,
    pub seen: u64,
    pub hit: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultError {
    #[error("percent must be between 1 and 100")]
    Percent,
    #[error("times must be at least 1")]
    Times,
    #[error("operation must name an operation, or be * for all")]
    Operation,
    #[error("at most {MAX_FAULTS} faults may be in force: remove some first")]
    TooMany,
}

/// The most faults in force at once. A test needs a handful; without a bound, a script adding
/// faults in a loop grows memory and the time of every call.
pub const MAX_FAULTS: usize = 100;

/// The faults of this instance.
#[derive(Debug, Default)]
pub struct Faults {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    next_id: u64,
    /// By id, which is the order they were added in (the order they are tried in).
    faults: BTreeMap<u64, Fault>,
    /// The ids of the faults for each operation (lower-case, or `*`), so a call looks at its own
    /// operation's faults and the wildcard ones only.
    by_operation: HashMap<String, Vec<u64>>,
}

impl State {
    fn remove(&mut self, id: u64) -> bool {
        let Some(fault) = self.faults.remove(&id) else { return false };
        let key = fault.rule.operation.to_ascii_lowercase();
        if let Some(ids) = self.by_operation.get_mut(&key) {
            ids.retain(|kept| *kept != id);
            if ids.is_empty() {
                self.by_operation.remove(&key);
            }
        }
        true
    }

    /// The faults that may hit `operation`, in the order they were added.
    fn candidates(&self, operation: &str) -> Vec<u64> {
        let own = self.by_operation.get(&operation.to_ascii_lowercase());
        let wildcard = self.by_operation.get("*");
        let mut ids: Vec<u64> = own.into_iter().chain(wildcard).flatten().copied().collect();
        ids.sort_unstable();
        ids
    }
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn add(&self, rule: FaultRule) -> Result<Fault, FaultError> {
        if rule.percent.is_some_and(|percent| !(1..=100).contains(&percent)) {
            return Err(FaultError::Percent);
        }
        if rule.times == Some(0) {
            return Err(FaultError::Times);
        }
        if rule.operation.trim().is_empty() {
            return Err(FaultError::Operation);
        }
        let mut state = self.lock();
        if state.faults.len() >= MAX_FAULTS {
            return Err(FaultError::TooMany);
        }
        state.next_id += 1;
        let id = state.next_id;
        let fault = Fault { id, rule, seen: 0, hit: 0 };
        state.by_operation.entry(fault.rule.operation.to_ascii_lowercase()).or_default().push(id);
        state.faults.insert(id, fault.clone());
        Ok(fault)
    }

    pub fn list(&self) -> Vec<Fault> {
        self.lock().faults.values().cloned().collect()
    }

    /// Removes one fault; false when there was none with this id.
    pub fn remove(&self, id: u64) -> bool {
        self.lock().remove(id)
    }

    pub fn clear(&self) {
        let mut state = self.lock();
        state.faults.clear();
        state.by_operation.clear();
    }

    /// What happens to `call` by `merchant`: the first matching fault that fires, if any.
    pub fn decide(&self, call: Call, merchant: Option<&str>) -> Option<FaultAction> {
        let mut state = self.lock();
        if state.faults.is_empty() {
            return None;
        }
        for id in state.candidates(call.operation) {
            let Some(fault) = state.faults.get_mut(&id) else { continue };
            let rule = &fault.rule;
            let matches = rule.protocol.is_none_or(|protocol| protocol == call.protocol)
                && rule.merchant.as_deref().is_none_or(|wanted| merchant == Some(wanted));
            if !matches {
                continue;
            }
            fault.seen += 1;
            let fires = rule.percent.is_none_or(|percent| {
                let percent = u64::from(percent);
                fault.seen * percent / 100 > (fault.seen - 1) * percent / 100
            });
            if fires {
                fault.hit += 1;
                let action = rule.action;
                if rule.times.is_some_and(|times| fault.hit >= u64::from(times)) {
                    state.remove(id);
                }
                return Some(action);
            }
        }
        None
    }
}

/// Waits `delay` without a runtime: a short-lived thread wakes the task. Injected latency is
/// rare, so a thread per delay costs nothing that matters, and the core stays runtime-free.
pub(crate) fn delay(delay: Duration) -> impl Future<Output = ()> + Send {
    let shared = Arc::new(Mutex::new((false, None::<Waker>)));
    let sleeper = shared.clone();
    let spawned = std::thread::Builder::new().name("tco-fault-latency".into()).spawn(move || {
        std::thread::sleep(delay);
        let mut state = sleeper.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.0 = true;
        if let Some(waker) = state.1.take() {
            waker.wake();
        }
    });
    if spawned.is_err() {
        // No thread to be had: no delay rather than a stuck call.
        shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).0 = true;
    }
    Delay(shared)
}

struct Delay(Arc<Mutex<(bool, Option<Waker>)>>);

impl Future for Delay {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if state.0 {
            Poll::Ready(())
        } else {
            state.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(action: FaultAction) -> FaultRule {
        FaultRule {
            operation: "getCustomerInformation".into(),
            protocol: Some(Protocol::Soap),
            merchant: None,
            action,
            times: Some(2),
            percent: None,
        }
    }

    const CALL: Call = Call::new(Protocol::Soap, "getCustomerInformation");

    #[test]
    fn hits_the_next_n_matching_calls_then_goes() {
        let faults = Faults::default();
        faults.add(rule(FaultAction::Error(ErrorCode::InvalidSession))).unwrap();
        assert_eq!(faults.decide(Call::new(Protocol::Rest, "getCustomerInformation"), None), None);
        assert_eq!(faults.decide(Call::new(Protocol::Soap, "login"), None), None);
        assert_eq!(faults.decide(CALL, Some("A")), Some(FaultAction::Error(ErrorCode::InvalidSession)));
        assert_eq!(faults.decide(CALL, Some("B")), Some(FaultAction::Error(ErrorCode::InvalidSession)));
        assert_eq!(faults.decide(CALL, Some("A")), None);
        assert!(faults.list().is_empty());
    }

    #[test]
    fn a_percentage_is_deterministic_and_merchants_filter() {
        let faults = Faults::default();
        let fault = faults
            .add(FaultRule {
                percent: Some(25),
                times: None,
                merchant: Some("A".into()),
                operation: "*".into(),
                ..rule(FaultAction::Drop)
            })
            .unwrap();
        let hits: Vec<bool> = (0..8).map(|_| faults.decide(CALL, Some("A")).is_some()).collect();
        assert_eq!(hits, [false, false, false, true, false, false, false, true]);
        assert_eq!(faults.decide(CALL, Some("B")), None);
        assert_eq!(faults.list()[0].hit, 2);
        assert!(faults.remove(fault.id));
        assert!(!faults.remove(fault.id));
        assert_eq!(
            faults.add(FaultRule { percent: Some(0), ..rule(FaultAction::Drop) }),
            Err(FaultError::Percent)
        );
        assert_eq!(
            faults.add(FaultRule { times: Some(0), ..rule(FaultAction::Drop) }),
            Err(FaultError::Times)
        );
    }

    #[test]
    fn at_most_max_faults_and_wildcards_keep_their_order() {
        let faults = Faults::default();
        let wildcard = FaultRule { operation: "*".into(), times: None, ..rule(FaultAction::Drop) };
        faults.add(wildcard.clone()).unwrap();
        let own = FaultRule {
            operation: "GETCUSTOMERINFORMATION".into(),
            times: None,
            ..rule(FaultAction::Error(ErrorCode::InvalidSession))
        };
        for _ in 1..MAX_FAULTS {
            faults.add(own.clone()).unwrap();
        }
        assert_eq!(faults.add(own.clone()), Err(FaultError::TooMany));
        assert_eq!(faults.decide(CALL, None), Some(FaultAction::Drop), "the first added fires first");
        faults.remove(1);
        assert_eq!(faults.decide(CALL, None), Some(FaultAction::Error(ErrorCode::InvalidSession)));
        assert_eq!(faults.decide(Call::new(Protocol::Soap, "login"), None), None);
        faults.clear();
        assert!(faults.add(wildcard).is_ok(), "room again once cleared");
    }

    #[tokio::test]
    async fn a_delay_waits() {
        let started = std::time::Instant::now();
        delay(Duration::from_millis(30)).await;
        assert!(started.elapsed() >= Duration::from_millis(30));
    }
}
