//! The call journal: every API call in protocol-neutral form — when, which merchant, over which
//! protocol, which operation, its arguments (secrets redacted), its outcome and latency — in
//! bounded in-memory rings. Two clients that made the same calls leave the same entries, but for
//! the protocol and the volatile fields.
//!
//! Bounded in entries and in bytes: long argument values are cut to [`MAX_VALUE_BYTES`] with a
//! marker, and calls that never authenticated (a bad hash, an unknown session) go to a ring of
//! their own, an eighth of the size, so a flood of them cannot push out the calls a developer
//! wants to see.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::error::ErrorCode;

/// The wire a call came over. The core only labels calls with it; it knows nothing of formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    Rest,
    JsonRpc,
    Soap,
    /// The legacy 2Checkout API (`/api/{group}/{call}`).
    Legacy,
}

impl Protocol {
    pub const fn as_str(self) -> &'static str {
        match self {
            Protocol::Rest => "rest",
            Protocol::JsonRpc => "jsonrpc",
            Protocol::Soap => "soap",
            Protocol::Legacy => "legacy",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "rest" => Some(Protocol::Rest),
            "jsonrpc" | "json-rpc" | "rpc" => Some(Protocol::JsonRpc),
            "soap" => Some(Protocol::Soap),
            "legacy" => Some(Protocol::Legacy),
            _ => None,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which call a request is: the protocol it came over and the vendor's operation name. Adapters
/// name the call when they authenticate it, so the journal can record it, refused or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub protocol: Protocol,
    pub operation: &'static str,
}

impl Call {
    pub const fn new(protocol: Protocol, operation: &'static str) -> Self {
        Call { protocol, operation }
    }
}

/// Shown in place of hashes, session ids and tokens.
pub const REDACTED: &str = "<redacted>";

/// The longest argument value kept whole; longer ones keep this much and a marker.
pub const MAX_VALUE_BYTES: usize = 256;

/// What an entry costs besides its argument text (times, names, the outcome), for the budget.
const ENTRY_OVERHEAD_BYTES: usize = 160;

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A short description of the result: a reference, `true`, a count…
    Success(String),
    Failure(ErrorCode),
}

#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub time: DateTime<Utc>,
    /// The merchant the call was authenticated as, or the code presented to a failed login;
    /// `None` when the call never got that far (an unknown session).
    pub merchant: Option<String>,
    pub protocol: Protocol,
    /// The vendor's method name, the same on every protocol (`createCustomer`, …).
    pub operation: &'static str,
    /// Argument names (the vendor's, with a path for nested fields: `Credit.Limit`) and values,
    /// in order; secrets are [`REDACTED`].
    pub arguments: Vec<(String, String)>,
    pub outcome: Outcome,
    pub latency_us: u64,
    /// The fault the admin API injected into this call, described (`error INVALID_SESSION`,
    /// `latency 200 ms`, `dropped connection`).
    pub injected: Option<String>,
}

/// Sees every call as it is journaled (even with the journal off): the server's metrics.
pub trait CallObserver: Send + Sync + fmt::Debug {
    fn observe(&self, entry: &JournalEntry);
}

/// Which entries to read; `None` matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalFilter {
    pub merchant: Option<String>,
    pub protocol: Option<Protocol>,
    pub operation: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

impl JournalFilter {
    fn matches(&self, entry: &JournalEntry) -> bool {
        self.merchant.as_ref().is_none_or(|merchant| entry.merchant.as_ref() == Some(merchant))
            && self.protocol.is_none_or(|protocol| entry.protocol == protocol)
            && self.operation.as_ref().is_none_or(|operation| operation.eq_ignore_ascii_case(entry.operation))
            && self.since.is_none_or(|since| entry.time >= since)
    }
}

/// The most recent calls: a ring for authenticated calls and a smaller one for refusals, each
/// bounded in entries and in bytes; the oldest fall out first. Capacity 0 keeps nothing.
#[derive(Debug)]
pub struct Journal {
    calls: Mutex<Ring>,
    refusals: Mutex<Ring>,
}

#[derive(Debug)]
struct Ring {
    capacity: usize,
    budget_bytes: usize,
    bytes: usize,
    entries: VecDeque<(JournalEntry, usize)>,
}

impl Ring {
    fn new(capacity: usize, budget_bytes: usize) -> Self {
        Ring { capacity, budget_bytes, bytes: 0, entries: VecDeque::new() }
    }

    fn push(&mut self, mut entry: JournalEntry) {
        if self.capacity == 0 {
            return;
        }
        for (_, value) in &mut entry.arguments {
            truncate(value);
        }
        let size = ENTRY_OVERHEAD_BYTES
            + entry.arguments.iter().map(|(name, value)| name.len() + value.len()).sum::<usize>();
        while !self.entries.is_empty()
            && (self.entries.len() >= self.capacity || self.bytes + size > self.budget_bytes)
        {
            if let Some((_, freed)) = self.entries.pop_front() {
                self.bytes -= freed;
            }
        }
        self.bytes += size;
        self.entries.push_back((entry, size));
    }
}

/// Cuts a value longer than [`MAX_VALUE_BYTES`] at a character boundary and says so. The cut
/// value is a new, small allocation: `String::truncate` keeps the whole capacity, so a journaled
/// megabyte would stay a megabyte however short it reads.
fn truncate(value: &mut String) {
    if value.len() <= MAX_VALUE_BYTES {
        if value.capacity() > value.len() {
            value.shrink_to_fit();
        }
        return;
    }
    let total = value.len();
    let mut end = MAX_VALUE_BYTES;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    *value = format!("{}…[truncated: {total} bytes]", &value[..end]);
}

impl Journal {
    /// Keeps up to `capacity` calls in `budget_bytes`, plus an eighth of each for refusals.
    pub fn new(capacity: usize, budget_bytes: usize) -> Self {
        let refusals = if capacity == 0 { 0 } else { (capacity / 8).max(16) };
        Journal {
            calls: Mutex::new(Ring::new(capacity, budget_bytes)),
            refusals: Mutex::new(Ring::new(refusals, budget_bytes / 8)),
        }
    }

    pub fn capacity(&self) -> usize {
        lock(&self.calls).capacity
    }

    /// The bytes both rings hold now and may hold at most.
    pub fn bytes(&self) -> (usize, usize) {
        let (calls, refusals) = (lock(&self.calls), lock(&self.refusals));
        (calls.bytes + refusals.bytes, calls.budget_bytes + refusals.budget_bytes)
    }

    /// The entries both rings hold now.
    pub fn len(&self) -> usize {
        lock(&self.calls).entries.len() + lock(&self.refusals).entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records an authenticated call.
    pub fn record(&self, entry: JournalEntry) {
        lock(&self.calls).push(entry);
    }

    /// Records a call refused before it authenticated.
    pub fn record_refusal(&self, entry: JournalEntry) {
        lock(&self.refusals).push(entry);
    }

    /// Matching entries of both rings, oldest first.
    pub fn entries(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let (calls, refusals) = (lock(&self.calls), lock(&self.refusals));
        let mut entries: Vec<JournalEntry> = calls
            .entries
            .iter()
            .chain(&refusals.entries)
            .map(|(entry, _)| entry)
            .filter(|entry| filter.matches(entry))
            .cloned()
            .collect();
        entries.sort_by_key(|entry| entry.time);
        entries
    }

    pub fn clear(&self) {
        for ring in [&self.calls, &self.refusals] {
            let mut ring = lock(ring);
            ring.entries.clear();
            ring.bytes = 0;
        }
    }

    /// Drops the entries of one merchant (whose state was reset).
    pub fn forget_merchant(&self, merchant_code: &str) {
        for ring in [&self.calls, &self.refusals] {
            let mut ring = lock(ring);
            ring.entries.retain(|(entry, _)| entry.merchant.as_deref() != Some(merchant_code));
            ring.bytes = ring.entries.iter().map(|(_, size)| size).sum();
        }
    }
}

fn lock(ring: &Mutex<Ring>) -> std::sync::MutexGuard<'_, Ring> {
    ring.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(operation: &'static str, protocol: Protocol) -> JournalEntry {
        JournalEntry {
            time: Utc::now(),
            merchant: Some("M".into()),
            protocol,
            operation,
            arguments: vec![],
            outcome: Outcome::Success("true".into()),
            latency_us: 1,
            injected: None,
        }
    }

    #[test]
    fn the_ring_keeps_the_newest() {
        let journal = Journal::new(2, 1 << 20);
        for operation in ["a", "b", "c"] {
            journal.record(entry(operation, Protocol::Rest));
        }
        let kept: Vec<_> = journal.entries(&JournalFilter::default()).iter().map(|e| e.operation).collect();
        assert_eq!(kept, ["b", "c"]);
        journal.clear();
        assert!(journal.entries(&JournalFilter::default()).is_empty());
        let off = Journal::new(0, 1 << 20);
        off.record(entry("a", Protocol::Rest));
        assert!(off.entries(&JournalFilter::default()).is_empty());
    }

    #[test]
    fn filters() {
        let journal = Journal::new(10, 1 << 20);
        journal.record(entry("login", Protocol::Soap));
        journal.record(entry("createCustomer", Protocol::Rest));
        let soap = JournalFilter { protocol: Some(Protocol::Soap), ..JournalFilter::default() };
        assert_eq!(journal.entries(&soap).len(), 1);
        let create = JournalFilter { operation: Some("CREATECUSTOMER".into()), ..JournalFilter::default() };
        assert_eq!(journal.entries(&create)[0].protocol, Protocol::Rest);
        let other = JournalFilter { merchant: Some("X".into()), ..JournalFilter::default() };
        assert!(journal.entries(&other).is_empty());
        assert_eq!(Protocol::parse("JSON-RPC"), Some(Protocol::JsonRpc));
    }

    #[test]
    fn bytes_are_bounded_and_refusals_evict_only_refusals() {
        let journal = Journal::new(1000, 64 * 1024);
        for _ in 0..100 {
            let mut big = entry("createCustomer", Protocol::Rest);
            big.arguments.push(("FirstName".into(), "é".repeat(500_000)));
            journal.record(big);
        }
        let (bytes, budget) = journal.bytes();
        assert!(bytes <= budget, "{bytes} > {budget}");
        let kept = journal.entries(&JournalFilter::default());
        assert_eq!(kept.len(), 100, "truncated entries are small enough to all fit");
        let value = &kept[0].arguments[0].1;
        assert!(value.len() < 300 && value.ends_with("…[truncated: 1000000 bytes]"), "{value}");
        let ring = journal.calls.lock().unwrap();
        let held: usize =
            ring.entries.iter().flat_map(|(entry, _)| &entry.arguments).map(|(_, v)| v.capacity()).sum();
        assert!(held <= 100 * 1024, "the cut values still hold {held} bytes");
        drop(ring);
        for _ in 0..5000 {
            journal.record_refusal(entry("login", Protocol::Soap));
        }
        let calls = JournalFilter { operation: Some("createCustomer".into()), ..JournalFilter::default() };
        assert_eq!(journal.entries(&calls).len(), 100, "refusals did not push out calls");
        assert!(journal.bytes().0 <= journal.bytes().1);
    }
}
