//! The Channel Manager's store port.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::StoreResult;
use crate::partners::PartnerGrant;

/// Channel Manager state: the partner each session works for, partner sign-on grants.
#[async_trait]
pub trait PartnerStore: Send + Sync + fmt::Debug {
    /// Sets the partner of the session `digest`; false when there is no such session.
    async fn set_session_partner(&self, digest: &str, partner_code: &str) -> StoreResult<bool>;
    async fn session_partner(&self, digest: &str) -> StoreResult<Option<String>>;
    /// Stores a grant and keeps only the merchant's `keep` that expire last.
    async fn insert_partner_grant(&self, grant: &PartnerGrant, keep: u32) -> StoreResult<()>;
    /// Removes and returns the merchant's grant with this digest: one caller gets it.
    async fn take_partner_grant(
        &self,
        merchant_code: &str,
        digest: &str,
    ) -> StoreResult<Option<PartnerGrant>>;
    async fn purge_partner_grants(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}
