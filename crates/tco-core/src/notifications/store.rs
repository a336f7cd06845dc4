//! The notifications' store port: settings, the events' outbox and the deliveries.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::StoreResult;
use crate::notifications::{
    Attempt, Delivery, DeliveryFilter, DeliveryState, DueEvent, Message, NewEvent, NotificationSettings,
};

/// Events are written with the change that causes them (an order's or a subscription's
/// transaction) or by [`NotificationStore::add_events`]; each is fanned out once, to every
/// listener its merchant has when it falls due. Deliveries are leased to one instance at a time.
#[async_trait]
pub trait NotificationStore: Send + Sync + fmt::Debug {
    async fn notification_settings(&self, merchant_code: &str) -> StoreResult<NotificationSettings>;
    async fn save_notification_settings(
        &self,
        merchant_code: &str,
        settings: &NotificationSettings,
    ) -> StoreResult<()>;
    /// Adds events (a scheduled one already stored is not stored twice); their ids.
    async fn add_events(&self, merchant_code: &str, events: &[NewEvent]) -> StoreResult<Vec<i64>>;
    /// Events due at `now`, oldest first.
    async fn due_events(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<DueEvent>>;
    /// Removes the event and, if it was still there (no other instance took it), stores its
    /// messages as deliveries to each of its merchant's listeners of its kind, due at `now`;
    /// the new deliveries' ids.
    async fn fan_out(
        &self,
        event: &DueEvent,
        messages: &[Message],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    /// Leases up to `limit` deliveries due at `now` to `owner` until `lease_until` (real time),
    /// skipping those another instance holds.
    async fn lease_deliveries(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        wall: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>>;
    /// Records an attempt and the delivery's new state, and ends `owner`'s lease.
    async fn record_attempt(
        &self,
        id: i64,
        owner: &str,
        attempt: &Attempt,
        state: DeliveryState,
        next_attempt_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    /// Deliveries, newest first.
    async fn deliveries(&self, filter: &DeliveryFilter) -> StoreResult<Vec<Delivery>>;
    async fn delivery(&self, id: i64) -> StoreResult<Option<Delivery>>;
    /// Makes a delivery due again at `now`, as if new (its attempts kept); false if there is none.
    async fn resend_delivery(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool>;
}
