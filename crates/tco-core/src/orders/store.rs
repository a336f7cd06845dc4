//! The orders' store port, and an order as it is stored with everything it changes.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::customers::{Card, CustomerFields, CustomerReference};
use crate::error::StoreResult;
use crate::notifications::NewEvent;
use crate::orders::{Order, OrderQuery};

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
    /// What it announces, stored in its transaction (those with no subject are about it).
    pub events: Vec<NewEvent>,
    /// For the customer's status, derived from its subscriptions at this moment.
    pub now: DateTime<Utc>,
}

/// A promotion an order used, and how many orders it may discount in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionUse {
    pub code: String,
    pub maximum_orders: Option<u32>,
}

/// A renewal's or an upgrade's change to its subscription: the expiration moves from
/// `expiration_date` (the store refuses with [`StoreError::Conflict`] if another renewal moved it
/// first) to `new_expiration_date`; an upgrade also moves it to another product — or, `replaced`,
/// disables it, its expiration kept, since the order's new subscription takes its place
/// (`SubscriptionUpgradeType` 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewal {
    pub reference: String,
    pub expiration_date: DateTime<Utc>,
    pub new_expiration_date: DateTime<Utc>,
    pub upgrade: Option<UpgradedTo>,
    pub replaced: bool,
}

/// The product an upgrade moves a subscription to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradedTo {
    pub product_code: String,
    pub product_name: String,
    pub upgraded: crate::orders::Upgraded,
}

/// A refund or chargeback recorded on an order, with what it changes, in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderAdjustment {
    pub ref_no: String,
    /// The order's adjustments as read; the store refuses with [`crate::StoreError::Conflict`]
    /// if they changed meanwhile (two refunds at once cannot both pass the rules).
    pub before: crate::orders::Adjustments,
    pub after: crate::orders::Adjustments,
    /// The order's new stored status, if it changes.
    pub status: Option<crate::orders::OrderStatus>,
    /// Subscriptions the change disables (a total refund's).
    pub disable_subscriptions: Vec<String>,
    pub events: Vec<NewEvent>,
    pub now: DateTime<Utc>,
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
    /// Records a refund or chargeback (see [`OrderAdjustment`]).
    async fn adjust_order(&self, merchant_code: &str, adjustment: OrderAdjustment) -> StoreResult<()>;
    /// One page, newest first; `now` decides which authorized orders are complete.
    async fn search_orders(
        &self,
        merchant_code: &str,
        query: &OrderQuery,
        now: DateTime<Utc>,
    ) -> StoreResult<(Vec<Order>, u64)>;
    /// Adds a comment after the order's others.
    async fn add_order_comment(
        &self,
        merchant_code: &str,
        ref_no: &str,
        comment: &OrderComment,
    ) -> StoreResult<()>;
    /// The order's comments, oldest first.
    async fn order_comments(&self, merchant_code: &str, ref_no: &str) -> StoreResult<Vec<OrderComment>>;
}

/// A comment on an order: what, by whom, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderComment {
    pub comment: String,
    pub username: String,
    pub created_at: DateTime<Utc>,
}
