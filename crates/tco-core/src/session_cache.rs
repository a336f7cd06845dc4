//! Sessions already seen, kept in memory so a call does not need a database round trip to
//! check its session. This is safe with several instances because a session never changes once
//! stored and is never revoked early: it is valid until its fixed expiry, everywhere.

use std::collections::HashMap;
use std::sync::RwLock;

use chrono::{DateTime, Utc};

#[derive(Debug)]
pub(crate) struct SessionCache {
    capacity: usize,
    /// Session digest → (merchant code, expiry).
    entries: RwLock<HashMap<String, (String, DateTime<Utc>)>>,
}

impl SessionCache {
    pub(crate) fn new(capacity: usize) -> Self {
        SessionCache { capacity, entries: RwLock::new(HashMap::new()) }
    }

    /// The merchant of a session still valid at `now`.
    pub(crate) fn get(&self, digest: &str, now: DateTime<Utc>) -> Option<String> {
        let entries = self.entries.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(digest).filter(|(_, expires_at)| now < *expires_at).map(|(merchant, _)| merchant.clone())
    }

    /// Forgets sessions the store removed.
    pub(crate) fn remove(&self, digests: &[String]) {
        if digests.is_empty() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        for digest in digests {
            entries.remove(digest);
        }
    }

    /// Forgets every session of a merchant whose state was erased.
    pub(crate) fn forget_merchant(&self, merchant_code: &str) {
        let mut entries = self.entries.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.retain(|_, (merchant, _)| merchant != merchant_code);
    }

    pub(crate) fn insert(
        &self,
        digest: String,
        merchant: String,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        let mut entries = self.entries.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= self.capacity {
            entries.retain(|_, (_, expires)| now < *expires);
            if entries.len() >= self.capacity {
                // Still full of live sessions: start over; the store still has them all.
                entries.clear();
            }
        }
        entries.insert(digest, (merchant, expires_at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_cache_stays_bounded() {
        let now = Utc::now();
        let cache = SessionCache::new(2);
        cache.insert("a".into(), "M".into(), now + chrono::Duration::seconds(10), now);
        assert_eq!(cache.get("a", now).as_deref(), Some("M"));
        assert_eq!(cache.get("a", now + chrono::Duration::seconds(10)), None);
        cache.insert("b".into(), "M".into(), now + chrono::Duration::seconds(1), now);
        cache.insert(
            "c".into(),
            "M".into(),
            now + chrono::Duration::seconds(10),
            now + chrono::Duration::seconds(5),
        );
        assert_eq!(cache.entries.read().unwrap().len(), 2, "the expired entry made room");
    }
}
