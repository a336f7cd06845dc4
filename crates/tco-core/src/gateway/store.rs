//! The store the gateway runs on: every family's port, the sessions' and the admin controls'.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::campaigns::CampaignStore;
use crate::catalog::CatalogStore;
use crate::customers::CustomerStore;
use crate::error::StoreResult;
use crate::notifications::NotificationStore;
use crate::orders::OrderStore;
use crate::partners::PartnerStore;
use crate::snapshot::StoredState;
use crate::subscriptions::SubscriptionStore;
use crate::time_travel::ClockSetting;

/// A stored session. The store sees only a digest of the session id, never the id itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub digest: String,
    pub merchant_code: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Sessions: stored by digest, shared by every instance on the database.
#[async_trait]
pub trait SessionStore: Send + Sync + fmt::Debug {
    async fn ping(&self) -> StoreResult<()>;

    /// Stores a session and keeps only the merchant's `keep` newest ones (expired ones
    /// included); returns the digests of those it removed.
    async fn insert_session(&self, session: &SessionRecord, keep: u32) -> StoreResult<Vec<String>>;
    async fn find_session(&self, digest: &str) -> StoreResult<Option<SessionRecord>>;
    /// Removes sessions that expired before `before`; returns how many.
    async fn purge_sessions(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// What the admin API needs of the store: erasing a merchant's state, and the clock setting
/// several instances on one database share.
#[async_trait]
pub trait AdminStore: Send + Sync + fmt::Debug {
    /// Deletes every row of the merchant (customers, cards, catalog, orders, subscriptions,
    /// campaigns, sessions, grants); the number of rows deleted.
    async fn erase_merchant(&self, merchant_code: &str) -> StoreResult<u64>;
    async fn clock_setting(&self) -> StoreResult<ClockSetting>;
    async fn save_clock_setting(&self, setting: &ClockSetting) -> StoreResult<()>;
    /// Sessions not yet expired at `now`, over every merchant.
    async fn live_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;
    /// Begins a transaction of many steps (loading a data file whole or not at all): its store
    /// reads its own writes, others see none of them until it commits; dropped uncommitted, it is
    /// rolled back. Other writes may wait while it is open: keep it short.
    async fn begin(&self) -> StoreResult<Box<dyn Transaction>>;
    /// The merchant's stored state (customers and cards, catalog, orders, subscriptions and their
    /// details, campaigns, notification settings, events and undelivered notifications).
    async fn export_merchant(&self, merchant_code: &str) -> StoreResult<StoredState>;
    /// Puts `state` back for the merchant, in one transaction, and moves the numbering past what
    /// it holds; `false` (nothing done) when the merchant has state already;
    /// [`crate::StoreError::Conflict`] when another merchant holds one of its references or the
    /// schema differs.
    async fn import_merchant(&self, merchant_code: &str, state: &StoredState) -> StoreResult<bool>;
}

/// An open transaction (see [`AdminStore::begin`]).
#[async_trait]
pub trait Transaction: Send + Sync + fmt::Debug {
    /// The store as seen from inside the transaction.
    fn store(&self) -> Arc<dyn Store>;
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

pub trait Store:
    SessionStore
    + CustomerStore
    + CatalogStore
    + OrderStore
    + SubscriptionStore
    + CampaignStore
    + PartnerStore
    + NotificationStore
    + AdminStore
{
}

impl<
    T: SessionStore
        + CustomerStore
        + CatalogStore
        + OrderStore
        + SubscriptionStore
        + CampaignStore
        + PartnerStore
        + NotificationStore
        + AdminStore,
> Store for T
{
}
