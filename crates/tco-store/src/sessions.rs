//! Sessions: the [`SessionStore`] port.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tco_core::{SessionRecord, SessionStore, StoreResult};

use crate::SqlStore;
use crate::db::{Conn, DbError, Param, params};
use crate::rows;

/// Keeps the merchant's `$2 + 1` newest sessions; rows that tie with the oldest kept one stay,
/// so a few more than the bound may remain.
const EVICT_SESSIONS: &str = "DELETE FROM tco_sessions WHERE merchant_code = $1 AND created_at < \
    (SELECT created_at FROM tco_sessions WHERE merchant_code = $1 ORDER BY created_at DESC LIMIT 1 OFFSET $2) \
    RETURNING digest";

pub(crate) const FIND_SESSION: &str =
    "SELECT digest, merchant_code, created_at, expires_at FROM tco_sessions WHERE digest = $1";

/// Whether the insert of `digest` checks the merchant's bound. The check walks `keep` index
/// entries, so one in `keep / 100` inserts (at most 64, chosen by the digest, which is uniformly
/// random) makes it: a merchant may hold about 1 % more than the bound for a while, and a login
/// does not cost O(`keep`).
pub(crate) fn checks_bound(digest: &str, keep: u32) -> bool {
    let period = (keep / 100).clamp(1, 64);
    let sample = digest.get(..4).and_then(|prefix| u32::from_str_radix(prefix, 16).ok()).unwrap_or(0);
    sample % period == 0
}

/// Runs an eviction statement (`$1` the merchant, `$2` the rows to keep less one) when the insert
/// of `digest` checks the bound, and returns the digests it removed.
pub(crate) async fn evict_oldest(
    conn: &mut dyn Conn,
    sql: &'static str,
    merchant_code: Param,
    keep: u32,
    digest: &str,
) -> Result<Vec<String>, DbError> {
    if !checks_bound(digest, keep) {
        return Ok(Vec::new());
    }
    let evicted = conn.query(sql, &[merchant_code, Param::Integer(i64::from(keep.max(1) - 1))]).await?;
    evicted.iter().map(|row| row.text("digest")).collect()
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        self.backend.read(|conn| Box::pin(async move { conn.query("SELECT 1", &[]).await.map(drop) })).await
    }

    async fn insert_session(&self, session: &SessionRecord, keep: u32) -> StoreResult<Vec<String>> {
        let insert = params![&session.digest, &session.merchant_code, session.created_at, session.expires_at];
        let digest = session.digest.clone();
        self.backend
            .write(move |conn| {
                let (insert, digest) = (insert.clone(), digest.clone());
                Box::pin(async move {
                    conn.execute(
                        "INSERT INTO tco_sessions (digest, merchant_code, created_at, expires_at) \
                         VALUES ($1, $2, $3, $4)",
                        &insert,
                    )
                    .await?;
                    evict_oldest(conn, EVICT_SESSIONS, insert[1].clone(), keep, &digest).await
                })
            })
            .await
    }

    async fn find_session(&self, digest: &str) -> StoreResult<Option<SessionRecord>> {
        let key = params![digest];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move {
                    let found = conn.optional(FIND_SESSION, &key).await?;
                    found.as_ref().map(rows::session).transpose()
                })
            })
            .await
    }

    async fn purge_sessions(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.delete_expired("DELETE FROM tco_sessions WHERE expires_at < $1", before).await
    }
}

impl SqlStore {
    /// Deletes what expired before `before` with `sql` (`… WHERE expires_at < $1`).
    pub(crate) async fn delete_expired(&self, sql: &'static str, before: DateTime<Utc>) -> StoreResult<u64> {
        let before = Param::from(before);
        self.backend
            .write(move |conn| {
                let before = [before.clone()];
                Box::pin(async move { conn.execute(sql, &before).await })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::checks_bound;

    #[test]
    fn about_one_insert_in_a_hundredth_of_the_bound_checks_it() {
        assert!(
            (0..1000).all(|index| checks_bound(&format!("{index:064x}"), 3)),
            "small bounds: every insert"
        );
        let digests = (0..6400u32).map(|index| format!("{index:04x}{}", "0".repeat(60)));
        assert_eq!(digests.filter(|digest| checks_bound(digest, 10_000)).count(), 100);
    }
}
