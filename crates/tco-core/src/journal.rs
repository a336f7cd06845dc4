//! The call journal: every API call in protocol-neutral form — when, which merchant, over which
//! protocol, which operation, its arguments (secrets redacted), its outcome and latency — in a
//! bounded in-memory ring. Two clients that made the same calls leave the same entries, but for
//! the protocol and the volatile fields.

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
}

impl Protocol {
    pub const fn as_str(self) -> &'static str {
        match self {
            Protocol::Rest => "rest",
            Protocol::JsonRpc => "jsonrpc",
            Protocol::Soap => "soap",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "rest" => Some(Protocol::Rest),
            "jsonrpc" | "json-rpc" | "rpc" => Some(Protocol::JsonRpc),
            "soap" => Some(Protocol::Soap),
            _ => None,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Shown in place of hashes, session ids and tokens.
pub const REDACTED: &str = "<redacted>";

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
    /// Argument names (the vendor's) and values, in order; secrets are [`REDACTED`].
    pub arguments: Vec<(&'static str, String)>,
    pub outcome: Outcome,
    pub latency_us: u64,
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

/// A ring of the most recent entries; the oldest fall out when it is full. Capacity 0 keeps
/// nothing.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    entries: Mutex<VecDeque<JournalEntry>>,
}

impl Journal {
    pub fn new(capacity: usize) -> Self {
        Journal { capacity, entries: Mutex::new(VecDeque::with_capacity(capacity.min(4096))) }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn record(&self, entry: JournalEntry) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// Matching entries, oldest first.
    pub fn entries(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.iter().filter(|entry| filter.matches(entry)).cloned().collect()
    }

    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }
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
        }
    }

    #[test]
    fn the_ring_keeps_the_newest() {
        let journal = Journal::new(2);
        for operation in ["a", "b", "c"] {
            journal.record(entry(operation, Protocol::Rest));
        }
        let kept: Vec<_> = journal.entries(&JournalFilter::default()).iter().map(|e| e.operation).collect();
        assert_eq!(kept, ["b", "c"]);
        journal.clear();
        assert!(journal.entries(&JournalFilter::default()).is_empty());
        let off = Journal::new(0);
        off.record(entry("a", Protocol::Rest));
        assert!(off.entries(&JournalFilter::default()).is_empty());
    }

    #[test]
    fn filters() {
        let journal = Journal::new(10);
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
}
