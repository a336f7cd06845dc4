//! Orders as stored and read: the buyer's details, the payment (never a full card number),
//! priced items, and the subscriptions a paid order created.

use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;

use crate::catalog::Recurrence;
use crate::customers::CustomerReference;

/// `RefNo`: a 9-digit numeric string.
pub type RefNo = String;

/// Billing or delivery details, validated (country lower-case, as the vendor answers it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub fiscal_code: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub zip: String,
    pub country_code: String,
}

/// How the order was paid: the card's safe parts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub payment_type: PaymentType,
    pub currency: String,
    pub customer_ip: Option<String>,
    pub card: Option<CardSummary>,
    pub recurring_enabled: bool,
    /// For `PREVIOUS_ORDER`: the order it reused.
    pub previous_ref_no: Option<RefNo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSummary {
    pub first_digits: String,
    pub last_digits: String,
    pub card_type: String,
    pub expiration_month: String,
    pub expiration_year: String,
    pub holder_name: String,
}

impl CardSummary {
    /// Whether the card's last valid month (`ExpirationMonth`/`ExpirationYear`, a two-digit year
    /// being this century's) ended before `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        let (Ok(month), Ok(year)) =
            (self.expiration_month.parse::<u32>(), self.expiration_year.parse::<i32>())
        else {
            return false;
        };
        let year = if year < 100 { 2000 + year } else { year };
        (year, month) < (now.year(), now.month())
    }
}

vendor_enum! {
    /// `TEST` and `CC` take a card; `PREVIOUS_ORDER` reuses the payment of an earlier order.
    /// `PAYPAL` orders come from the data file only: paying one needs the shopper's redirect.
    pub enum PaymentType { Test = "TEST", Card = "CC", PreviousOrder = "PREVIOUS_ORDER", PayPal = "PAYPAL" }
}

vendor_enum! {
    pub enum OrderStatus {
        Pending = "PENDING",
        AuthReceived = "AUTHRECEIVED",
        Complete = "COMPLETE",
        Canceled = "CANCELED",
        Refund = "REFUND",
        Reversed = "REVERSED",
    }
}

impl OrderStatus {
    /// The status in IPN's words (`PAYMENT_AUTHORIZED` for `AUTHRECEIVED`): the export's
    /// `ORDERSTATUS` too.
    pub fn in_ipn(self) -> crate::notifications::IpnStatus {
        use crate::notifications::IpnStatus;
        match self {
            OrderStatus::Pending => IpnStatus::Pending,
            OrderStatus::AuthReceived => IpnStatus::PaymentAuthorized,
            OrderStatus::Complete => IpnStatus::Complete,
            OrderStatus::Canceled => IpnStatus::Canceled,
            OrderStatus::Refund => IpnStatus::Refund,
            OrderStatus::Reversed => IpnStatus::Reversed,
        }
    }

    /// The status of an invoice in the legacy API's words (its sales and its INS): paid,
    /// authorized, waiting or declined.
    pub fn in_legacy_invoice(self) -> &'static str {
        match self {
            OrderStatus::Complete | OrderStatus::Refund => "deposited",
            OrderStatus::AuthReceived => "approved",
            OrderStatus::Pending => "pending",
            OrderStatus::Canceled | OrderStatus::Reversed => "declined",
        }
    }
}

vendor_enum! {
    pub enum ApproveStatus { Waiting = "WAITING", Ok = "OK", Fraud = "FRAUD", InvalidData = "INVALIDDATA" }
}

vendor_enum! {
    /// What an order line is: a product, or the shipping of the order's tangible products.
    #[derive(Default)]
    pub enum PurchaseType { #[default] Product = "PRODUCT", Shipping = "SHIPPING" }
}

/// An item with its price, as the order shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderItem {
    pub line_item_reference: String,
    /// For a shipping line, the product code is the shipping method's and the name its name.
    pub purchase_type: PurchaseType,
    pub product_code: String,
    pub product_id: i64,
    pub product_name: String,
    pub short_description: Option<String>,
    pub tangible: bool,
    pub quantity: u32,
    pub price_options: Vec<String>,
    pub trial: bool,
    pub price: ItemPrice,
    /// For a renewal: the subscription the item renews.
    pub renews: Option<String>,
    /// The promotion that discounted it.
    pub promotion: Option<String>,
    /// A dynamic product's price, options and billing cycle, as sent.
    pub dynamic: Option<DynamicItem>,
}

/// What a dynamic product's item carries instead of a catalog product.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicItem {
    /// `Price.Amount`: the net unit price before the options' surcharges.
    pub amount: Decimal,
    pub option_groups: Vec<OptionGroup>,
    pub recurring: Option<RecurringOptions>,
}

impl DynamicItem {
    /// The net unit price: the amount and every option's surcharge.
    pub fn unit_price(&self) -> Decimal {
        let surcharges =
            self.option_groups.iter().flat_map(|group| &group.options).map(|option| option.surcharge);
        self.amount + surcharges.sum::<Decimal>()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionGroup {
    pub name: String,
    pub options: Vec<DynamicOption>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DynamicOption {
    pub name: String,
    pub value: Option<String>,
    pub option_text: Option<String>,
    pub surcharge: Decimal,
}

/// A recurring dynamic product's cycle: renewed every `cycle` for `cycle_amount`, for a
/// contract of `contract` if given.
#[derive(Debug, Clone, PartialEq)]
pub struct RecurringOptions {
    pub cycle: Recurrence,
    pub cycle_amount: Decimal,
    pub contract: Option<Recurrence>,
}

/// An item's price, in the order's currency: the list price per unit and for the quantity, net
/// and gross; the net discount a promotion gave (per unit, and for the quantity); and the VAT
/// charged — on the discounted net. So the discounted net is `net - discount` and the amount
/// paid `net - discount + vat`, which is `gross` when nothing is discounted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemPrice {
    pub currency: String,
    pub vat_percent: Decimal,
    pub unit_net: Decimal,
    pub unit_vat: Decimal,
    pub unit_gross: Decimal,
    pub unit_discount: Decimal,
    pub net: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    pub discount: Decimal,
}

/// An order as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub ref_no: RefNo,
    pub external_reference: Option<String>,
    pub customer_reference: CustomerReference,
    pub external_customer_reference: Option<String>,
    /// As stored; [`Order::status`] is what the order shows at a given moment.
    pub stored_status: OrderStatus,
    pub approve_status: ApproveStatus,
    pub language: String,
    pub country: String,
    pub source: Option<String>,
    pub affiliate_code: Option<String>,
    pub affiliate_source: Option<String>,
    pub billing: Address,
    pub delivery: Option<Address>,
    pub payment: Payment,
    pub items: Vec<OrderItem>,
    pub currency: String,
    pub totals: ItemPrice,
    /// The promotions that discounted items.
    pub promotions: Vec<AppliedPromotion>,
    /// The shipping method chosen for the tangible items (its line is among the items).
    pub shipping_method: Option<ShippingChoice>,
    pub test: bool,
    /// The payment failure, for a `PENDING` order.
    pub error: Option<(String, String)>,
    pub placed_at: DateTime<Utc>,
    /// When an `AUTHRECEIVED` order completes.
    pub complete_at: Option<DateTime<Utc>>,
    /// The subscriptions the order created, as they are now.
    pub subscriptions: Vec<Subscription>,
    /// Its refunds and chargeback.
    pub adjustments: crate::orders::refunds::Adjustments,
}

/// A promotion as an order shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedPromotion {
    pub code: String,
    pub name: String,
    /// The coupon code the shopper gave; none for an instant discount.
    pub coupon: Option<String>,
    /// `10%` or `5 USD`.
    pub discount_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingChoice {
    pub code: String,
    pub name: String,
    pub tracking_url: Option<String>,
}

impl ItemPrice {
    pub fn unit_net_discounted(&self) -> Decimal {
        self.unit_net - self.unit_discount
    }

    pub fn unit_gross_discounted(&self) -> Decimal {
        self.unit_net - self.unit_discount + self.unit_vat
    }

    pub fn net_discounted(&self) -> Decimal {
        self.net - self.discount
    }

    pub fn gross_discounted(&self) -> Decimal {
        self.net - self.discount + self.vat
    }
}

impl Order {
    /// The order that bought what this one renews or upgrades (the legacy API's sale of this
    /// invoice); itself when it renews nothing.
    pub fn original_ref_no(&self) -> &str {
        self.items
            .iter()
            .find_map(|item| item.renews.as_ref())
            .and_then(|renewed| {
                self.subscriptions.iter().find(|subscription| &subscription.reference == renewed)
            })
            .map_or(self.ref_no.as_str(), |subscription| subscription.order_ref_no.as_str())
    }

    /// The subscriptions an item created.
    pub fn item_subscriptions<'a>(&'a self, item: &'a OrderItem) -> impl Iterator<Item = &'a Subscription> {
        self.subscriptions.iter().filter(move |subscription| {
            subscription.line_item_reference == item.line_item_reference
                || item.renews.as_ref() == Some(&subscription.reference)
        })
    }

    /// Whether something is shipped: a shipping method was chosen, or tangible items have a
    /// delivery address.
    pub fn has_shipping(&self) -> bool {
        self.shipping_method.is_some()
            || (self.delivery.is_some() && self.items.iter().any(|item| item.tangible))
    }

    /// The status at `now`: an authorized order completes at its time; a totally refunded one
    /// shows `REFUND` once the refund settles.
    pub fn status(&self, now: DateTime<Utc>) -> OrderStatus {
        let refund_pending = || self.adjustments.refunds.iter().any(|refund| refund.settles_at > now);
        match (self.stored_status, self.complete_at) {
            (OrderStatus::AuthReceived, Some(at)) if now >= at => OrderStatus::Complete,
            (OrderStatus::Refund, _) if refund_pending() => OrderStatus::Complete,
            (status, _) => status,
        }
    }

    pub fn approve_status(&self, now: DateTime<Utc>) -> ApproveStatus {
        match self.status(now) {
            OrderStatus::Complete if self.approve_status == ApproveStatus::Waiting => ApproveStatus::Ok,
            _ => self.approve_status,
        }
    }

    /// When it completed, once it has.
    pub fn finish_date(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (self.status(now) == OrderStatus::Complete).then_some(self.complete_at.unwrap_or(self.placed_at))
    }

    /// Whether a later order may reuse its payment (`PREVIOUS_ORDER`): paid (authorized or
    /// complete), not fraudulent, by card (or by an earlier reuse of one), or by PayPal with
    /// automatic renewal.
    pub fn reusable(&self, now: DateTime<Utc>) -> Result<(), Unusable> {
        if !matches!(self.status(now), OrderStatus::AuthReceived | OrderStatus::Complete)
            || self.approve_status(now) == ApproveStatus::Fraud
        {
            return Err(Unusable::NotPaid);
        }
        let reusable = match self.payment.payment_type {
            PaymentType::PayPal => self.payment.recurring_enabled,
            _ => self.payment.card.is_some(),
        };
        if reusable { Ok(()) } else { Err(Unusable::PaymentMethod) }
    }
}

/// Why an order's payment cannot be reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    NotPaid,
    PaymentMethod,
}

/// A subscription, as an order creates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub reference: String,
    pub customer_reference: CustomerReference,
    pub order_ref_no: RefNo,
    pub product_code: String,
    pub product_name: String,
    pub quantity: u32,
    pub line_item_reference: String,
    pub purchase_date: DateTime<Utc>,
    pub start_date: DateTime<Utc>,
    /// `None`: lifetime.
    pub expiration_date: Option<DateTime<Utc>>,
    pub trial: bool,
    pub enabled: bool,
    pub recurring_enabled: bool,
    /// The end user's e-mail (the creating order's billing e-mail, lower-case) and country.
    pub email: String,
    pub country_code: String,
    /// The last renewal, and the latest order that paid for the subscription.
    pub renewed_at: Option<DateTime<Utc>>,
    pub latest_order_ref_no: RefNo,
    /// What an upgrade made it (`setSubscriptionUpgrade`); `None` while it is what it was bought as.
    pub upgraded: Option<Upgraded>,
    /// Who uses it since `updateSubscription` said so; `None`: its purchase's billing details.
    pub end_user: Option<Box<Address>>,
}

/// The product and options a subscription renews as after an upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgraded {
    pub product_id: i64,
    pub price_options: Vec<String>,
}

/// Order search filters (REST `GET /orders/`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderQuery {
    pub ref_no: Option<String>,
    pub status: Option<OrderStatus>,
    pub approve_status: Option<ApproveStatus>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// Orders placed through a Channel Manager partner (the gateway places none), or only the others.
    pub partner_orders: Option<bool>,
    pub external_reference: Option<String>,
    /// `Some(true)`: test orders only; `Some(false)`: none; `None`: both.
    pub test: Option<bool>,
    pub page: u32,
    pub limit: u32,
}

impl OrderQuery {
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn order(status: OrderStatus, payment_type: PaymentType, card: bool, recurring: bool) -> Order {
        let placed_at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        Order {
            ref_no: "700000001".into(),
            external_reference: None,
            customer_reference: 1,
            external_customer_reference: None,
            stored_status: status,
            approve_status: ApproveStatus::Waiting,
            language: "en".into(),
            country: "us".into(),
            source: None,
            affiliate_code: None,
            affiliate_source: None,
            billing: Address::default(),
            delivery: None,
            payment: Payment {
                payment_type,
                currency: "USD".into(),
                customer_ip: None,
                card: card.then(|| CardSummary {
                    first_digits: "4111".into(),
                    last_digits: "1111".into(),
                    card_type: "visa".into(),
                    expiration_month: "12".into(),
                    expiration_year: "2030".into(),
                    holder_name: "A".into(),
                }),
                recurring_enabled: recurring,
                previous_ref_no: None,
            },
            items: Vec::new(),
            currency: "USD".into(),
            totals: ItemPrice::default(),
            promotions: Vec::new(),
            shipping_method: None,
            test: false,
            error: None,
            placed_at,
            complete_at: (status == OrderStatus::AuthReceived).then(|| placed_at + Duration::seconds(5)),
            subscriptions: Vec::new(),
            adjustments: Default::default(),
        }
    }

    #[test]
    fn an_authorized_order_completes_at_its_time() {
        let order = order(OrderStatus::AuthReceived, PaymentType::Card, true, false);
        let before = order.placed_at + Duration::seconds(4);
        let after = order.placed_at + Duration::seconds(5);
        assert_eq!(
            (order.status(before), order.approve_status(before)),
            (OrderStatus::AuthReceived, ApproveStatus::Waiting)
        );
        assert_eq!(
            (order.status(after), order.approve_status(after)),
            (OrderStatus::Complete, ApproveStatus::Ok)
        );
        assert_eq!((order.finish_date(before), order.finish_date(after)), (None, Some(after)));
    }

    #[test]
    fn only_paid_orders_with_a_reusable_payment_may_pay_again() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let reusable = |order: Order| order.reusable(now);
        assert_eq!(reusable(order(OrderStatus::Complete, PaymentType::Card, true, false)), Ok(()));
        assert_eq!(reusable(order(OrderStatus::AuthReceived, PaymentType::Test, true, false)), Ok(()));
        assert_eq!(reusable(order(OrderStatus::Complete, PaymentType::PayPal, false, true)), Ok(()));
        assert_eq!(
            reusable(order(OrderStatus::Complete, PaymentType::PayPal, false, false)),
            Err(Unusable::PaymentMethod)
        );
        for status in [OrderStatus::Pending, OrderStatus::Refund, OrderStatus::Canceled] {
            assert_eq!(reusable(order(status, PaymentType::Card, true, false)), Err(Unusable::NotPaid));
        }
        let mut fraud = order(OrderStatus::Complete, PaymentType::Card, true, false);
        fraud.approve_status = ApproveStatus::Fraud;
        assert_eq!(reusable(fraud), Err(Unusable::NotPaid));
    }
}
