//! The subscriptions' store port.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::StoreResult;
use crate::orders::Subscription;
use crate::subscriptions::{
    FieldRefusal, FieldWrite, NewSubscriptionImport, RenewalRecord, SubscriptionChange, SubscriptionQuery,
    SubscriptionRecord,
};

/// Subscriptions, which orders create (and renewals extend, in [`OrderStore::insert_order`]),
/// or imports.
#[async_trait]
pub trait SubscriptionStore: Send + Sync + fmt::Debug {
    /// Those of `references` the merchant has, each with the order that created it.
    async fn find_subscriptions(
        &self,
        merchant_code: &str,
        references: &[String],
    ) -> StoreResult<Vec<SubscriptionRecord>>;
    /// One page, newest purchase first, and how many match.
    async fn search_subscriptions(
        &self,
        merchant_code: &str,
        query: &SubscriptionQuery,
    ) -> StoreResult<(Vec<SubscriptionRecord>, u64)>;
    /// Applies `change` and recomputes the customer's `Enabled`/`Trial` at `now`, in one
    /// transaction; false when the merchant has no such subscription.
    async fn update_subscription(
        &self,
        merchant_code: &str,
        reference: &str,
        change: &SubscriptionChange,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Stores an imported subscription with its customer (created when new, given the card),
    /// and recomputes the customer's `Enabled`/`Trial`, in one transaction; answers the
    /// subscription as stored. Fails with [`crate::StoreError::Duplicate`] when a new customer's
    /// external reference was taken meanwhile.
    async fn import_subscription(
        &self,
        merchant_code: &str,
        import: NewSubscriptionImport,
    ) -> StoreResult<Subscription>;
    /// The subscription's renewals, oldest first.
    async fn renewals(&self, merchant_code: &str, reference: &str) -> StoreResult<Vec<RenewalRecord>>;
    /// Its additional information fields, in the order they were added.
    async fn subscription_fields(
        &self,
        merchant_code: &str,
        reference: &str,
    ) -> StoreResult<Vec<(String, String)>>;
    /// Adds or updates a field, in one transaction (at most `max` fields); why not, if not.
    async fn write_subscription_field(
        &self,
        merchant_code: &str,
        reference: &str,
        field: (&str, &str),
        write: FieldWrite,
        max: usize,
    ) -> StoreResult<Result<(), FieldRefusal>>;
    /// Removes a field; false if there was none.
    async fn delete_subscription_field(
        &self,
        merchant_code: &str,
        reference: &str,
        name: &str,
    ) -> StoreResult<bool>;
    /// Recomputes the customer's `Enabled`/`Trial` from its subscriptions at `now` (the clock
    /// made one past due or expired).
    async fn refresh_customer_status(&self, customer_reference: i64, now: DateTime<Utc>) -> StoreResult<()>;
}
