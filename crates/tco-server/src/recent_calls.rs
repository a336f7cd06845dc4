//! Calls per protocol and operation over the last ten minutes, in ten-second buckets: what the
//! dashboard's chart draws (`GET /_admin/calls`), counted beside `/metrics`' counters as the core
//! journals each call. Bucketed on the process's monotonic clock, not the gateway's: moving the
//! gateway's clock a month does not empty the chart.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One bar of the chart.
pub(crate) const BUCKET: Duration = Duration::from_secs(10);
/// Bars in the chart: ten minutes.
pub(crate) const BUCKETS: usize = 60;

/// Calls and failures of one protocol and operation, one count per bucket, oldest first; the
/// last bucket is the one filling now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Series {
    pub protocol: &'static str,
    pub operation: &'static str,
    pub calls: Vec<u64>,
    pub failures: Vec<u64>,
}

#[derive(Debug)]
struct Bucket {
    /// Buckets since the start.
    index: u64,
    /// (calls, failures) by (protocol, operation).
    counts: BTreeMap<(&'static str, &'static str), (u64, u64)>,
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
    pub(crate) fn record(&self, protocol: &'static str, operation: &'static str, failed: bool) {
        self.record_at(self.started.elapsed(), protocol, operation, failed);
    }

    /// Every protocol and operation called in the window, by protocol then operation.
    pub(crate) fn series(&self) -> Vec<Series> {
        self.series_at(self.started.elapsed())
    }

    fn record_at(&self, elapsed: Duration, protocol: &'static str, operation: &'static str, failed: bool) {
        let index = index_of(elapsed);
        let mut buckets = self.lock();
        if buckets.back().is_none_or(|bucket| bucket.index != index) {
            buckets.push_back(Bucket { index, counts: BTreeMap::new() });
        }
        while buckets.front().is_some_and(|bucket| bucket.index.saturating_add(BUCKETS as u64) <= index) {
            buckets.pop_front();
        }
        if let Some(bucket) = buckets.back_mut() {
            let (calls, failures) = bucket.counts.entry((protocol, operation)).or_default();
            *calls = calls.saturating_add(1);
            if failed {
                *failures = failures.saturating_add(1);
            }
        }
    }

    fn series_at(&self, elapsed: Duration) -> Vec<Series> {
        let now = index_of(elapsed);
        let mut series: BTreeMap<(&'static str, &'static str), Series> = BTreeMap::new();
        for bucket in self.lock().iter() {
            // The newest bucket is the last, however long the gateway has run.
            let Some(age) = now.checked_sub(bucket.index) else { continue };
            let Some(position) = usize::try_from(age).ok().and_then(|age| (BUCKETS - 1).checked_sub(age))
            else {
                continue;
            };
            for (&(protocol, operation), &(calls, failures)) in &bucket.counts {
                let line = series.entry((protocol, operation)).or_insert_with(|| Series {
                    protocol,
                    operation,
                    calls: vec![0; BUCKETS],
                    failures: vec![0; BUCKETS],
                });
                if let (Some(slot), Some(failed)) =
                    (line.calls.get_mut(position), line.failures.get_mut(position))
                {
                    *slot = calls;
                    *failed = failures;
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

    #[test]
    fn calls_fall_in_their_bucket_and_the_newest_is_last() {
        let recent = RecentCalls::default();
        recent.record_at(SECOND * 5, "soap", "login", false);
        recent.record_at(SECOND * 25, "soap", "login", false);
        recent.record_at(SECOND * 27, "soap", "login", true);
        recent.record_at(SECOND * 27, "rest", "getOrder", false);
        let series = recent.series_at(SECOND * 29);
        assert_eq!(series.len(), 2);
        let login = series.iter().find(|s| s.protocol == "soap").unwrap();
        assert_eq!(login.calls.len(), BUCKETS);
        assert_eq!(&login.calls[BUCKETS - 3..], &[1, 0, 2]);
        assert_eq!(&login.failures[BUCKETS - 3..], &[0, 0, 1]);
        assert_eq!(series[0].operation, "getOrder", "by protocol, then operation");
    }

    #[test]
    fn buckets_older_than_the_window_go() {
        let recent = RecentCalls::default();
        recent.record_at(SECOND * 5, "rest", "getOrder", false);
        recent.record_at(BUCKET * BUCKETS as u32 - SECOND, "rest", "getOrder", false);
        let series = recent.series_at(BUCKET * BUCKETS as u32);
        assert_eq!(series[0].calls.iter().sum::<u64>(), 1, "the first call is out of the window");
        assert_eq!(series[0].calls[BUCKETS - 2], 1);
        recent.record_at(BUCKET * (BUCKETS as u32 + 1), "jsonrpc", "login", false);
        assert_eq!(recent.lock().len(), 2, "the expired bucket was dropped");
        assert!(recent.series_at(BUCKET * 500).is_empty(), "a quiet window draws nothing");
    }
}
