//! A subscription's status on the clock, the search filters, the changes a call can make, and
//! the churn reasons the vendor documents.

use chrono::{DateTime, Duration, Utc};

use rust_decimal::Decimal;

use crate::orders::{Address, CardSummary, Order, PaymentType, Subscription};

vendor_enum! {
    /// What the subscription is at a moment: `PASTDUE` from its expiration for the grace
    /// period, then `EXPIRED`; `DISABLED` whenever it is disabled.
    pub enum SubscriptionStatus { Active = "ACTIVE", PastDue = "PASTDUE", Expired = "EXPIRED", Disabled = "DISABLED" }
}

vendor_enum! {
    /// Why recurring billing was turned off (`disableRecurringBilling`).
    pub enum ChurnReason {
        NotSatisfiedProduct = "CHURN_REASON_NOT_SATISFIED_PRODUCT",
        EnabledByMistake = "CHURN_REASON_ENABLED_BY_MISTAKE",
        PreferManual = "CHURN_REASON_PREFER_MANUAL",
        AlreadyRenewed = "CHURN_REASON_ALREADY_RENEWED",
        DontNeed = "CHURN_REASON_DONT_NEED",
        WantPause = "CHURN_REASON_WANT_PAUSE",
        Covid = "CHURN_REASON_COVID",
        HighPrice = "CHURN_REASON_HIGH_PRICE",
        NotSatisfiedSupport = "CHURN_REASON_NOT_SATISFIED_SUPPORT",
        Extraordinary = "CHURN_REASON_EXTRAORDINARY",
        Other = "CHURN_REASON_OTHER",
    }
}

impl Subscription {
    pub fn status(&self, now: DateTime<Utc>, grace: Duration) -> SubscriptionStatus {
        match self.expiration_date {
            _ if !self.enabled => SubscriptionStatus::Disabled,
            Some(expiration) if now >= crate::kernel::dates::shifted(expiration, grace) => {
                SubscriptionStatus::Expired
            }
            Some(expiration) if now >= expiration => SubscriptionStatus::PastDue,
            _ => SubscriptionStatus::Active,
        }
    }

    pub fn lifetime(&self) -> bool {
        self.expiration_date.is_none()
    }
}

/// A subscription with where it came from: the order that created it (its end user, item and
/// payment), or its import.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionRecord {
    pub subscription: Subscription,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Order(Box<Order>),
    /// `addSubscription`: bought elsewhere, so it carries what an order would.
    Import(Box<SubscriptionImport>),
}

/// What an imported subscription carries instead of an order.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionImport {
    pub end_user: Address,
    pub language: String,
    /// The currency it renews in.
    pub currency: String,
    pub price_options: Vec<String>,
    pub product_id: i64,
    pub external_subscription_reference: Option<String>,
    pub external_customer_reference: Option<String>,
    /// What its next renewal costs, net, when the merchant set it.
    pub next_renewal_price: Option<Decimal>,
    /// The card it renews with, if one came with it.
    pub card: Option<CardSummary>,
    pub test: bool,
}

impl SubscriptionRecord {
    /// Who uses it: as `updateSubscription` last set it, else the order's billing details or
    /// the imported end user.
    pub fn end_user(&self) -> &Address {
        if let Some(end_user) = &self.subscription.end_user {
            return end_user;
        }
        match &self.origin {
            Origin::Order(order) => &order.billing,
            Origin::Import(import) => &import.end_user,
        }
    }

    pub fn language(&self) -> &str {
        match &self.origin {
            Origin::Order(order) => &order.language,
            Origin::Import(import) => &import.language,
        }
    }

    /// The currency it was paid in and renews in.
    pub fn currency(&self) -> &str {
        match &self.origin {
            Origin::Order(order) => &order.currency,
            Origin::Import(import) => &import.currency,
        }
    }

    /// The net unit price its automatic renewals charge instead of the catalog's: an imported
    /// subscription's `NextRenewalPrice` (the price it was migrated with), until an upgrade moves
    /// it to another product.
    pub fn agreed_renewal_price(&self) -> Option<rust_decimal::Decimal> {
        match &self.origin {
            Origin::Import(import) if self.subscription.upgraded.is_none() => import.next_renewal_price,
            _ => None,
        }
    }

    /// The price options its item chose, or its upgrade did.
    pub fn price_options(&self) -> Vec<String> {
        if let Some(upgraded) = &self.subscription.upgraded {
            return upgraded.price_options.clone();
        }
        match &self.origin {
            Origin::Order(order) => order
                .items
                .iter()
                .find(|item| item.line_item_reference == self.subscription.line_item_reference)
                .map(|item| item.price_options.clone())
                .unwrap_or_default(),
            Origin::Import(import) => import.price_options.clone(),
        }
    }

    /// The catalog product's id; `None` for a dynamic product.
    pub fn product_id(&self) -> Option<i64> {
        if let Some(upgraded) = &self.subscription.upgraded {
            return Some(upgraded.product_id);
        }
        match &self.origin {
            Origin::Order(order) => order
                .items
                .iter()
                .find(|item| item.line_item_reference == self.subscription.line_item_reference)
                .filter(|item| item.dynamic.is_none())
                .map(|item| item.product_id),
            Origin::Import(import) => Some(import.product_id),
        }
    }

    pub fn external_customer_reference(&self) -> Option<&str> {
        match &self.origin {
            Origin::Order(order) => order.external_customer_reference.as_deref(),
            Origin::Import(import) => import.external_customer_reference.as_deref(),
        }
    }

    pub fn test(&self) -> bool {
        match &self.origin {
            Origin::Order(order) => order.test,
            Origin::Import(import) => import.test,
        }
    }

    /// The card it was paid with (an order's) or came with (an import's).
    pub fn card(&self) -> Option<&CardSummary> {
        match &self.origin {
            Origin::Order(order) => order.payment.card.as_ref(),
            Origin::Import(import) => import.card.as_ref(),
        }
    }

    /// Whether a card paid for it (so one renews it): an order's card payment, or an import.
    pub fn paid_by_card(&self) -> bool {
        match &self.origin {
            Origin::Order(order) => {
                matches!(
                    order.payment.payment_type,
                    PaymentType::Card | PaymentType::Test | PaymentType::PreviousOrder
                ) && order.payment.card.is_some()
            }
            Origin::Import(_) => true,
        }
    }
}

/// `searchSubscriptions` filters, as clients send them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionSearchInput {
    pub customer_email: Option<String>,
    pub exact_match_email: Option<bool>,
    pub avangate_customer_reference: Option<i64>,
    pub external_customer_reference: Option<String>,
    pub subscription_enabled: Option<bool>,
    pub recurring_enabled: Option<bool>,
    pub product_codes: Vec<String>,
    pub country_codes: Vec<String>,
    pub purchased_after: Option<String>,
    pub purchased_before: Option<String>,
    pub expire_after: Option<String>,
    pub expire_before: Option<String>,
    pub renewed_after: Option<String>,
    pub renewed_before: Option<String>,
    pub lifetime_subscription: Option<bool>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// Validated search filters, for the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionQuery {
    /// Lower-case; with `exact_email` the whole address, else a part of it.
    pub email: Option<String>,
    pub exact_email: bool,
    pub customer_reference: Option<i64>,
    pub enabled: Option<bool>,
    pub recurring_enabled: Option<bool>,
    pub product_codes: Vec<String>,
    /// Lower-case ISO codes.
    pub country_codes: Vec<String>,
    pub purchased: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    pub expires: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    pub renewed: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    pub lifetime: Option<bool>,
    pub page: u32,
    pub limit: u32,
}

impl SubscriptionQuery {
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.limit)
    }
}

/// What a call changes on a subscription; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionChange {
    pub enabled: Option<bool>,
    pub recurring_enabled: Option<bool>,
    pub expiration_date: Option<DateTime<Utc>>,
    /// The churn reasons (and the shopper's own words) of a `disableRecurringBilling`.
    pub churn: Option<String>,
    /// The customer it moves to (`updateSubscription`'s `ExternalCustomerReference`).
    pub customer: Option<crate::customers::CustomerReference>,
    /// Who uses it from now on (`updateSubscription`'s `EndUser`).
    pub end_user: Option<Address>,
    /// What the change announces, stored in its transaction.
    pub events: Vec<crate::notifications::NewEvent>,
}

/// `updateSubscription`, as clients send it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionUpdateInput {
    pub recurring_enabled: Option<bool>,
    pub subscription_enabled: Option<bool>,
    /// `YYYY-MM-DD` (or with a time).
    pub expiration_date: Option<String>,
    /// Moves the subscription to the merchant's customer with this external reference.
    pub external_customer_reference: Option<String>,
    /// Who uses it.
    pub end_user: Option<crate::orders::AddressInput>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscription(expiration: Option<DateTime<Utc>>, enabled: bool) -> Subscription {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        Subscription {
            reference: "ABCDEF1234".into(),
            customer_reference: 1,
            order_ref_no: "700000001".into(),
            product_code: "PLAN".into(),
            product_name: "Plan".into(),
            quantity: 1,
            line_item_reference: "00".into(),
            purchase_date: start,
            start_date: start,
            expiration_date: expiration,
            trial: false,
            enabled,
            recurring_enabled: true,
            email: "a@example.com".into(),
            country_code: "us".into(),
            renewed_at: None,
            latest_order_ref_no: "700000001".into(),
            upgraded: None,
            end_user: None,
        }
    }

    #[test]
    fn status_follows_the_clock_and_the_grace_period() {
        let expiration = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let grace = Duration::days(5);
        let monthly = subscription(Some(expiration), true);
        assert_eq!(monthly.status(expiration - Duration::seconds(1), grace), SubscriptionStatus::Active);
        assert_eq!(monthly.status(expiration, grace), SubscriptionStatus::PastDue);
        assert_eq!(
            monthly.status(expiration + grace - Duration::seconds(1), grace),
            SubscriptionStatus::PastDue
        );
        assert_eq!(monthly.status(expiration + grace, grace), SubscriptionStatus::Expired);
        let lifetime = subscription(None, true);
        assert_eq!(lifetime.status(expiration + Duration::days(9999), grace), SubscriptionStatus::Active);
        assert_eq!(
            subscription(Some(expiration), false).status(expiration, grace),
            SubscriptionStatus::Disabled
        );
    }
}
