//! Calls per merchant, protocol and operation over the last ten minutes, in ten-second buckets:
//! what the dashboard's chart draws (`GET /_admin/calls`), counted beside `/metrics`' counters as
//! the core journals each call. Bucketed on the process's monotonic clock, not the gateway's:
//! moving the gateway's clock a month does not empty the chart.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One bar of the chart.
pub(crate) const BUCKET: Duration = Duration::from_secs(10);
/// Bars in the chart: ten minutes.
pub(crate) const BUCKETS: usize = 60;
/// The merchants a bucket counts apart. A failed login journals the merchant code it presented,
/// so a flood of made-up codes would grow the counts without bound: beyond these, calls are
/// counted without their merchant (in every total, in no merchant's).
const MAX_MERCHANTS: usize = 256;

/// Calls and failures of one protocol and operation, one count per bucket, oldest first; the
/// last bucket is the one filling now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Series {
    pub protocol: &'static str,
    pub operation: &'static str,
    pub calls: Vec<u64>,
    pub failures: Vec<u64>,
}

/// (calls, failures) by (protocol, operation).
type Counts = BTreeMap<(&'static str, &'static str), (u64, u64)>;

#[derive(Debug)]
struct Bucket {
    /// Buckets since the start.
    index: u64,
    /// By merchant code; `""` for calls of no merchant (or beyond [`MAX_MERCHANTS`]).
    merchants: BTreeMap<String, Counts>,
}

/// One journaled call, as the chart counts it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    pub merchant: Option<&'a str>,
    pub protocol: &'static str,
    pub operation: &'static str,
    pub failed: bool,
}

#[derive(Debug)]
pub(crate) struct RecentCalls {
    started: Instant,
    buckets: Mutex<VecDeque<Bucket>>,
}

impl Default for RecentCalls {
    fn default() -> Self {
        RecentCalls { started: Instant::now(), buckets: Mutex::new(VecDeque::with_capacity(BUCKETS)) }
    }
}

fn index_of(elapsed: Duration) -> u64 {
    elapsed.as_secs() / BUCKET.as_secs()
}

impl RecentCalls {
    pub(crate) fn record(&self, call: Call<'_>) {
        self.record_at(self.started.elapsed(), call);
    }

    /// Every protocol and operation called in the window — by `merchant`, or by anyone — by
    /// protocol then operation.
    pub(crate) fn series(&self, merchant: Option<&str>) -> Vec<Series> {
        self.series_at(self.started.elapsed(), merchant)
    }

    fn record_at(&self, elapsed: Duration, call: Call<'_>) {
        let index = index_of(elapsed);
        let mut buckets = self.lock();
        if buckets.back().is_none_or(|bucket| bucket.index != index) {
            buckets.push_back(Bucket { index, merchants: BTreeMap::new() });
        }
        while buckets.front().is_some_and(|bucket| bucket.index.saturating_add(BUCKETS as u64) <= index) {
            buckets.pop_front();
        }
        if let Some(bucket) = buckets.back_mut() {
            let mut merchant = call.merchant.unwrap_or_default();
            if !bucket.merchants.contains_key(merchant) && bucket.merchants.len() >= MAX_MERCHANTS {
                merchant = "";
            }
            let counts = match bucket.merchants.get_mut(merchant) {
                Some(counts) => counts,
                None => bucket.merchants.entry(merchant.to_owned()).or_default(),
            };
            let (calls, failures) = counts.entry((call.protocol, call.operation)).or_default();
            *calls = calls.saturating_add(1);
            if call.failed {
                *failures = failures.saturating_add(1);
            }
        }
    }

    fn series_at(&self, elapsed: Duration, merchant: Option<&str>) -> Vec<Series> {
        let now = index_of(elapsed);
        let mut series: BTreeMap<(&'static str, &'static str), Series> = BTreeMap::new();
        for bucket in self.lock().iter() {
            // The newest bucket is the last, however long the gateway has run.
            let Some(age) = now.checked_sub(bucket.index) else { continue };
            let Some(position) = usize::try_from(age).ok().and_then(|age| (BUCKETS - 1).checked_sub(age))
            else {
                continue;
            };
            let counted = bucket
                .merchants
                .iter()
                .filter(|(code, _)| merchant.is_none_or(|wanted| wanted == code.as_str()))
                .flat_map(|(_, counts)| counts);
            for (&(protocol, operation), &(calls, failures)) in counted {
                let line = series.entry((protocol, operation)).or_insert_with(|| Series {
                    protocol,
                    operation,
                    calls: vec![0; BUCKETS],
                    failures: vec![0; BUCKETS],
                });
                if let (Some(slot), Some(failed)) =
                    (line.calls.get_mut(position), line.failures.get_mut(position))
                {
                    *slot = slot.saturating_add(calls);
                    *failed = failed.saturating_add(failures);
                }
            }
        }
        series.into_values().collect()
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<Bucket>> {
        // Counts are plain numbers: a panic elsewhere cannot leave them half-written.
        self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn call<'a>(
        merchant: &'a str,
        protocol: &'static str,
        operation: &'static str,
        failed: bool,
    ) -> Call<'a> {
        Call { merchant: Some(merchant).filter(|code| !code.is_empty()), protocol, operation, failed }
    }

    #[test]
    fn calls_fall_in_their_bucket_and_the_newest_is_last() {
        let recent = RecentCalls::default();
        recent.record_at(SECOND * 5, call("A", "soap", "login", false));
        recent.record_at(SECOND * 25, call("A", "soap", "login", false));
        recent.record_at(SECOND * 27, call("B", "soap", "login", true));
        recent.record_at(SECOND * 27, call("A", "rest", "getOrder", false));
        let series = recent.series_at(SECOND * 29, None);
        assert_eq!(series.len(), 2);
        let login = series.iter().find(|s| s.protocol == "soap").unwrap();
        assert_eq!(login.calls.len(), BUCKETS);
        assert_eq!(&login.calls[BUCKETS - 3..], &[1, 0, 2], "both merchants' calls");
        assert_eq!(&login.failures[BUCKETS - 3..], &[0, 0, 1]);
        assert_eq!(series[0].operation, "getOrder", "by protocol, then operation");
        let of_b = recent.series_at(SECOND * 29, Some("B"));
        assert_eq!((of_b.len(), &of_b[0].calls[BUCKETS - 3..]), (1, &[0, 0, 1][..]), "one merchant's");
    }

    #[test]
    fn buckets_older_than_the_window_go() {
        let recent = RecentCalls::default();
        recent.record_at(SECOND * 5, call("A", "rest", "getOrder", false));
        recent.record_at(BUCKET * BUCKETS as u32 - SECOND, call("A", "rest", "getOrder", false));
        let series = recent.series_at(BUCKET * BUCKETS as u32, None);
        assert_eq!(series[0].calls.iter().sum::<u64>(), 1, "the first call is out of the window");
        assert_eq!(series[0].calls[BUCKETS - 2], 1);
        recent.record_at(BUCKET * (BUCKETS as u32 + 1), call("", "jsonrpc", "login", false));
        assert_eq!(recent.lock().len(), 2, "the expired bucket was dropped");
        assert!(recent.series_at(BUCKET * 500, None).is_empty(), "a quiet window draws nothing");
    }

    #[test]
    fn made_up_merchants_are_counted_in_bounded_memory() {
        let recent = RecentCalls::default();
        for n in 0..MAX_MERCHANTS * 4 {
            let code = format!("FAKE{n}");
            recent.record_at(SECOND, call(&code, "jsonrpc", "login", true));
        }
        assert_eq!(
            recent.lock()[0].merchants.len(),
            MAX_MERCHANTS + 1,
            "the rest counted without a merchant"
        );
        let all = recent.series_at(SECOND, None);
        assert_eq!(all[0].failures[BUCKETS - 1], (MAX_MERCHANTS * 4) as u64, "every call in the total");
    }
}
