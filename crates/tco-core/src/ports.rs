//! The ports the core needs from the outside: storage, time and randomness. Tests plug in a
//! manual clock and a seeded random source; the server plugs in the database.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::campaigns::{CrossSellText, Promotion, UpsellCampaign};
use crate::catalog::{
    PriceOptionGroup, Product, ProductFields, ProductGroup, ProductId, ProductKey, ProductQuery,
    UpgradeSchema,
};
use crate::customers::{Card, Customer, CustomerFields, CustomerReference, SearchQuery};
use crate::error::StoreError;
use crate::orders::{Order, OrderQuery};
use crate::partners::PartnerGrant;
use crate::subscriptions::{SubscriptionChange, SubscriptionQuery, SubscriptionRecord};
use crate::time_travel::ClockSetting;

pub type StoreResult<T> = Result<T, StoreError>;

/// A stored session. The store sees only a digest of the session id, never the id itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub digest: String,
    pub merchant_code: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

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

/// Products, price option groups, product groups and upgrade schemas, per merchant like every
/// family. Codes are unique per merchant (the database says so: [`StoreError::Duplicate`]).
#[async_trait]
pub trait CatalogStore: Send + Sync + fmt::Debug {
    /// Inserts a product and returns its new id, unique across merchants.
    async fn insert_product(
        &self,
        merchant_code: &str,
        fields: &ProductFields,
        now: DateTime<Utc>,
    ) -> StoreResult<ProductId>;
    /// Replaces the product `fields.code` names (keeping its upgrade schema); `Ok(false)` when
    /// there is none.
    async fn update_product(
        &self,
        merchant_code: &str,
        fields: &ProductFields,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// With its group's name.
    async fn find_product(&self, merchant_code: &str, key: &ProductKey) -> StoreResult<Option<Product>>;
    /// One page of matches ordered by id, and the number of matches.
    async fn search_products(
        &self,
        merchant_code: &str,
        query: &ProductQuery,
    ) -> StoreResult<(Vec<Product>, u64)>;
    async fn set_product_group(
        &self,
        merchant_code: &str,
        product_code: &str,
        group_code: &str,
    ) -> StoreResult<bool>;
    async fn set_upgrade_schema(
        &self,
        merchant_code: &str,
        product_code: &str,
        schema: &UpgradeSchema,
    ) -> StoreResult<bool>;
    async fn upgrade_schema(
        &self,
        merchant_code: &str,
        product_code: &str,
    ) -> StoreResult<Option<UpgradeSchema>>;

    async fn insert_price_option_group(
        &self,
        merchant_code: &str,
        group: &PriceOptionGroup,
    ) -> StoreResult<()>;
    /// Replaces the group `group.code` names; `Ok(false)` when there is none.
    async fn update_price_option_group(
        &self,
        merchant_code: &str,
        group: &PriceOptionGroup,
    ) -> StoreResult<bool>;
    /// Those of `codes` the merchant has, in no particular order.
    async fn find_price_option_groups(
        &self,
        merchant_code: &str,
        codes: &[String],
    ) -> StoreResult<Vec<PriceOptionGroup>>;

    /// Names are unique per merchant whatever their case.
    async fn insert_product_group(&self, merchant_code: &str, group: &ProductGroup) -> StoreResult<()>;
    async fn update_product_group(&self, merchant_code: &str, group: &ProductGroup) -> StoreResult<bool>;
    async fn find_product_group(&self, merchant_code: &str, code: &str) -> StoreResult<Option<ProductGroup>>;
    /// Ordered by name.
    async fn product_groups(&self, merchant_code: &str) -> StoreResult<Vec<ProductGroup>>;
}

/// The customer an order is for.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderCustomer {
    Existing(CustomerReference),
    /// Created with the order.
    New(Box<CustomerFields>),
}

/// An order to store with everything it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    /// Its `RefNo` is allocated by the store when empty; its subscriptions are stored with it.
    pub order: Order,
    pub customer: OrderCustomer,
    /// A card the payment adds to the customer's stored cards.
    pub card: Option<Card>,
    /// The subscription a renewal order extends.
    pub renewal: Option<Renewal>,
    /// The promotions that discounted it, each counted once: the store refuses with
    /// [`StoreError::LimitReached`] when one has discounted its `MaximumOrdersNumber` already.
    pub promotion_uses: Vec<PromotionUse>,
    /// For the customer's status, derived from its subscriptions at this moment.
    pub now: DateTime<Utc>,
}

/// A promotion an order used, and how many orders it may discount in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionUse {
    pub code: String,
    pub maximum_orders: Option<u32>,
}

/// A renewal's change to its subscription: the expiration moves from `expiration_date` (the
/// store refuses with [`StoreError::Conflict`] if another renewal moved it first) to
/// `new_expiration_date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewal {
    pub reference: String,
    pub expiration_date: DateTime<Utc>,
    pub new_expiration_date: DateTime<Utc>,
}

/// Orders and the subscriptions they create. `insert_order` is one transaction: the order, its
/// subscriptions, the new customer or the card added to the existing one, and the customer's
/// `Enabled`/`Trial` recomputed from its subscriptions — all or nothing.
#[async_trait]
pub trait OrderStore: Send + Sync + fmt::Debug {
    /// Returns the order as stored, with its `RefNo` and customer. Fails with
    /// [`StoreError::Duplicate`] for an `ExternalReference` the merchant already used.
    async fn insert_order(&self, merchant_code: &str, order: NewOrder) -> StoreResult<Order>;
    async fn find_order(&self, merchant_code: &str, ref_no: &str) -> StoreResult<Option<Order>>;
    /// One page, newest first; `now` decides which authorized orders are complete.
    async fn search_orders(
        &self,
        merchant_code: &str,
        query: &OrderQuery,
        now: DateTime<Utc>,
    ) -> StoreResult<(Vec<Order>, u64)>;
}

/// Subscriptions, which orders create (and renewals extend, in [`OrderStore::insert_order`]).
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
}

/// Upsell campaigns, cross-sell texts and promotions with their coupon codes. A merchant has
/// few: lists are whole, and the core filters them.
#[async_trait]
pub trait CampaignStore: Send + Sync + fmt::Debug {
    /// Fails with [`StoreError::Duplicate`] for a code the merchant already uses.
    async fn insert_upsell_campaign(&self, merchant_code: &str, campaign: &UpsellCampaign)
    -> StoreResult<()>;
    /// Replaces the campaign `campaign.code` names; `Ok(false)` when there is none.
    async fn replace_upsell_campaign(
        &self,
        merchant_code: &str,
        campaign: &UpsellCampaign,
    ) -> StoreResult<bool>;
    async fn delete_upsell_campaign(&self, merchant_code: &str, code: &str) -> StoreResult<bool>;
    async fn find_upsell_campaign(
        &self,
        merchant_code: &str,
        code: &str,
    ) -> StoreResult<Option<UpsellCampaign>>;
    async fn upsell_campaigns(&self, merchant_code: &str) -> StoreResult<Vec<UpsellCampaign>>;

    /// Stores each text in place of the merchant's text in its language, in one transaction;
    /// returns all of the merchant's texts, by language.
    async fn upsert_cross_sell_texts(
        &self,
        merchant_code: &str,
        texts: &[CrossSellText],
    ) -> StoreResult<Vec<CrossSellText>>;
    async fn cross_sell_texts(&self, merchant_code: &str) -> StoreResult<Vec<CrossSellText>>;

    /// The promotion and its coupon codes in one transaction; fails with
    /// [`StoreError::Duplicate`] for a promotion code, or a coupon code (whatever its case) of
    /// another promotion of the merchant.
    async fn insert_promotion(&self, merchant_code: &str, promotion: &Promotion) -> StoreResult<()>;
    /// Replaces the promotion `promotion.code` names and its coupon codes; `Ok(false)` when there
    /// is none.
    async fn replace_promotion(&self, merchant_code: &str, promotion: &Promotion) -> StoreResult<bool>;
    async fn find_promotion(&self, merchant_code: &str, code: &str) -> StoreResult<Option<Promotion>>;
    /// The promotion holding this coupon code, whatever its case.
    async fn find_promotion_by_coupon(
        &self,
        merchant_code: &str,
        coupon: &str,
    ) -> StoreResult<Option<Promotion>>;
    async fn promotions(&self, merchant_code: &str) -> StoreResult<Vec<Promotion>>;
}

/// Every port of the store, one per family.
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
        + AdminStore,
> Store for T
{
}
