//! Orders and 1-click purchase: `placeOrder` (test and card payments, `PREVIOUS_ORDER`),
//! `getOrder`, `isValidOrderReference` and `searchOrders`. An item is a catalog product or a
//! dynamic one (described and priced by the item). A paid order creates a subscription per item
//! of a product that generates one (a recurring dynamic product does), and links or creates its customer,
//! all in one transaction.
//!
//! Here are the family's types, rules and store port; its operations are `Gateway` methods in
//! `gateway/orders.rs`.

mod store;
pub use store::{
    NewOrder, OrderAdjustment, OrderComment, OrderCustomer, OrderStore, PromotionUse, Renewal, UpgradedTo,
};
pub(crate) mod discounts;
pub(crate) mod dynamic;
pub(crate) mod input;
pub(crate) mod model;
pub(crate) mod pricing;
pub(crate) mod refunds;
pub(crate) mod validation;

use chrono::{DateTime, Duration, Months, Utc};

pub use input::{
    AddressInput, DynamicOptionInput, ItemInput, OptionGroupInput, OrderInput, OrderSearchInput,
    PaymentInput, RecurringInput,
};
pub use model::{
    Address, AppliedPromotion, ApproveStatus, CardSummary, DynamicItem, DynamicOption, ItemPrice,
    OptionGroup, Order, OrderItem, OrderQuery, OrderStatus, Payment, PaymentType, PurchaseType,
    RecurringOptions, RefNo, ShippingChoice, Subscription, Upgraded,
};
pub use refunds::{Adjustments, Chargeback, Refund, RefundInput, RefundKind, RefundLine, RefundLineInput};
pub use validation::{AUTHORIZED_CARDS, DECLINED_CARDS, RENEWAL_DECLINED_CARDS};

use crate::catalog::CycleUnit;

/// The largest quantity of one item (the vendor's limit).
pub(crate) const MAX_QUANTITY: i64 = 99_999;
/// What drives every placement: the order as sent (`input`), and what only a data file or the
/// hosted cart sets on it.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub input: OrderInput,
    pub ref_no: Option<RefNo>,
    /// Placed this long ago.
    pub age: Option<Duration>,
    /// A status other than a payment's (AUTHRECEIVED, or PENDING for a declined card).
    pub status: Option<OrderStatus>,
    pub approve_status: Option<ApproveStatus>,
    pub subscription_references: Vec<String>,
    /// Paid with a card the customer stored (the hosted cart), rather than a card number.
    pub stored_card: Option<CardSummary>,
    /// A renewal of this subscription: priced at renewal prices, it creates no subscription
    /// and extends this one by a billing cycle.
    pub renews: Option<Subscription>,
    /// `renewSubscription`'s terms instead of the catalog's: the days it extends by and the net
    /// unit price it charges.
    pub renewal_terms: Option<RenewalTerms>,
    /// `setSubscriptionUpgrade`'s terms: the subscription `renews` names moves to the ordered
    /// product instead of renewing.
    pub upgrade_terms: Option<UpgradeTerms>,
}

/// An upgrade's own terms: the net unit price it charges and the expiration it leaves — or,
/// `replaces`, a new subscription of the new product in place of the upgraded one, which is
/// disabled (`SubscriptionUpgradeType` 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpgradeTerms {
    pub unit_price: rust_decimal::Decimal,
    pub new_expiration_date: DateTime<Utc>,
    pub replaces: bool,
}

/// A renewal's own terms: `renewSubscription`'s days and price, or an imported subscription's
/// agreed price for a cycle of its product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenewalTerms {
    /// How far it extends the subscription; `None`: a cycle of the product.
    pub days: Option<i64>,
    pub unit_price: rust_decimal::Decimal,
}

pub(crate) fn add_cycle(from: DateTime<Utc>, length: u32, unit: CycleUnit) -> DateTime<Utc> {
    match unit {
        CycleUnit::Day => crate::kernel::dates::shifted(from, Duration::days(i64::from(length))),
        CycleUnit::Month => from.checked_add_months(Months::new(length)).unwrap_or(from),
        CycleUnit::Year => from.checked_add_months(Months::new(length.saturating_mul(12))).unwrap_or(from),
    }
}
