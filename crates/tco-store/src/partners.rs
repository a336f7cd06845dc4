//! Channel Manager state: the [`PartnerStore`] port.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tco_core::{PartnerGrant, PartnerStore, StoreResult};

use crate::SqlStore;
use crate::db::{DbError, Param, Row, params};
use crate::sessions::evict_oldest;

/// Keeps the merchant's `$2 + 1` grants that expire last (as for the customers' grants).
const EVICT_GRANTS: &str = "DELETE FROM tco_partner_grants WHERE merchant_code = $1 AND expires_at < \
    (SELECT expires_at FROM tco_partner_grants WHERE merchant_code = $1 ORDER BY expires_at DESC LIMIT 1 OFFSET $2) \
    RETURNING digest";

const TAKE_GRANT: &str = "DELETE FROM tco_partner_grants WHERE digest = $1 AND merchant_code = $2 \
    RETURNING digest, merchant_code, partner_code, email, access_page, validation_ip, expires_at";

fn grant(row: &Row) -> Result<PartnerGrant, DbError> {
    Ok(PartnerGrant {
        digest: row.text("digest")?,
        merchant_code: row.text("merchant_code")?,
        partner_code: row.text("partner_code")?,
        email: row.text("email")?,
        access_page: row.text("access_page")?,
        validation_ip: row.optional_text("validation_ip")?,
        expires_at: row.time("expires_at")?,
    })
}

#[async_trait]
impl PartnerStore for SqlStore {
    async fn set_session_partner(&self, digest: &str, partner_code: &str) -> StoreResult<bool> {
        let update = params![digest, partner_code];
        self.backend
            .write(move |conn| {
                let update = update.clone();
                Box::pin(async move {
                    let sql = "UPDATE tco_sessions SET partner_code = $2 WHERE digest = $1";
                    Ok(conn.execute(sql, &update).await? > 0)
                })
            })
            .await
    }

    async fn session_partner(&self, digest: &str) -> StoreResult<Option<String>> {
        let key = params![digest];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move {
                    let sql = "SELECT partner_code FROM tco_sessions WHERE digest = $1";
                    let found = conn.optional(sql, &key).await?;
                    Ok(found.map(|row| row.optional_text("partner_code")).transpose()?.flatten())
                })
            })
            .await
    }

    async fn insert_partner_grant(&self, grant: &PartnerGrant, keep: u32) -> StoreResult<()> {
        let insert = params![
            &grant.digest,
            &grant.merchant_code,
            &grant.partner_code,
            &grant.email,
            &grant.access_page,
            &grant.validation_ip,
            grant.expires_at,
        ];
        let digest = grant.digest.clone();
        self.backend
            .write(move |conn| {
                let (insert, digest) = (insert.clone(), digest.clone());
                Box::pin(async move {
                    conn.execute(
                        "INSERT INTO tco_partner_grants (digest, merchant_code, partner_code, email, \
                         access_page, validation_ip, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        &insert,
                    )
                    .await?;
                    evict_oldest(conn, EVICT_GRANTS, insert[1].clone(), keep, &digest).await?;
                    Ok(())
                })
            })
            .await
    }

    async fn take_partner_grant(
        &self,
        merchant_code: &str,
        digest: &str,
    ) -> StoreResult<Option<PartnerGrant>> {
        let key = [Param::from(digest), Param::from(merchant_code)];
        self.backend
            .write(move |conn| {
                let key = key.clone();
                // Keyed by the merchant too: another merchant's link leaves the grant in place.
                Box::pin(
                    async move { conn.optional(TAKE_GRANT, &key).await?.as_ref().map(grant).transpose() },
                )
            })
            .await
    }

    async fn purge_partner_grants(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.delete_expired("DELETE FROM tco_partner_grants WHERE expires_at < $1", before).await
    }
}
