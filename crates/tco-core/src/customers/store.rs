//! The customers' store port: customers, their stored cards and single sign-on grants.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::customers::{Card, Customer, CustomerFields, CustomerReference, SearchQuery};
use crate::error::StoreResult;

/// A single sign-on grant: a customer the bearer of the token may be signed in as. Stored by
/// digest too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoGrant {
    pub digest: String,
    pub merchant_code: String,
    pub customer_reference: CustomerReference,
    pub validation_ip: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// What the gateway derives about a customer rather than letting clients set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CustomerStatus {
    pub enabled: bool,
    pub trial: bool,
}

/// Customers, their stored cards and single sign-on grants. Every method takes the merchant
/// code and must behave as if other merchants' rows did not exist. Implementations must be
/// safe to share between gateway instances: uniqueness and single use are enforced by the
/// database, not by memory.
#[async_trait]
pub trait CustomerStore: Send + Sync + fmt::Debug {
    /// Inserts a customer (and, for fixtures, its cards) atomically and returns the new,
    /// unique reference. Fails with [`StoreError::Duplicate`] when the
    /// merchant already uses the external reference.
    async fn insert_customer(
        &self,
        merchant_code: &str,
        fields: &CustomerFields,
        status: CustomerStatus,
        cards: &[Card],
        now: DateTime<Utc>,
    ) -> StoreResult<CustomerReference>;
    /// Customers come back with `cards` empty; [`Store::cards`] loads them.
    async fn find_customer(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
    ) -> StoreResult<Option<Customer>>;
    async fn find_customer_by_external(
        &self,
        merchant_code: &str,
        external_reference: &str,
    ) -> StoreResult<Option<Customer>>;
    /// Replaces every editable field in one statement; `Ok(false)` when there is no such
    /// customer.
    async fn update_customer(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
        fields: &CustomerFields,
        end_user_update: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// One page of matches, ordered by reference, and the total number of matches.
    async fn search_customers(
        &self,
        merchant_code: &str,
        query: &SearchQuery,
    ) -> StoreResult<(Vec<Customer>, u64)>;

    /// The customer's cards in the order they were stored, with their transient tokens.
    async fn cards(&self, merchant_code: &str, reference: CustomerReference) -> StoreResult<Vec<Card>>;
    /// `Ok(false)` when the customer has no card with this token.
    async fn delete_card(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
        transient_token: &str,
    ) -> StoreResult<bool>;

    /// Stores a grant and keeps only the merchant's `keep` that expire last.
    async fn insert_sso_grant(&self, grant: &SsoGrant, keep: u32) -> StoreResult<()>;
    /// Removes and returns the merchant's grant with this digest, atomically, so a token is
    /// used at most once even with several instances.
    async fn take_sso_grant(&self, merchant_code: &str, digest: &str) -> StoreResult<Option<SsoGrant>>;
    async fn purge_sso_grants(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}
