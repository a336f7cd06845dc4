//! Orders and their subscriptions: the [`OrderStore`] port. An order is stored in one write
//! with everything it changes; the buyer, payment and priced items are a JSON document in the
//! store's own format (amounts as decimal strings).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tco_core::{
    Address, AppliedPromotion, ApproveStatus, Card, CardSummary, CustomerStatus, CycleUnit, DynamicItem,
    DynamicOption, HistoryKind, ItemPrice, NewOrder, OptionGroup, Order, OrderAdjustment, OrderComment,
    OrderCustomer, OrderItem, OrderQuery, OrderStatus, OrderStore, Payment, PaymentType, PurchaseType,
    Recurrence, RecurringOptions, Renewal, ShippingChoice, StoreError, StoreResult, Subscription, Upgraded,
};

use crate::SqlStore;
use crate::counts::{self, Counted};
use crate::customers::{card_values, customer_values, insert_card, insert_customer};
use crate::db::{Conn, Counter, DbError, Param, Row, params};
use crate::query::{Query, Search, in_order};

pub(crate) const ORDER_BY_REF_NO: &str = "SELECT ref_no, merchant_code, external_reference, customer_reference, \
    status, approve_status, placed_at, complete_at, document, adjustments FROM tco_orders WHERE ref_no = $1";

/// A customer locked for the order (on PostgreSQL: two orders of one customer queue here).
const LOCK_CUSTOMER_SQLITE: &str =
    "SELECT reference, merchant_code, external_reference FROM tco_customers WHERE reference = $1";
const LOCK_CUSTOMER_POSTGRES: &str =
    "SELECT reference, merchant_code, external_reference FROM tco_customers WHERE reference = $1 FOR UPDATE";

/// `Enabled` and `Trial` from the customer's subscriptions: `$1` the customer, `$2` now.
pub(crate) const CUSTOMER_STATUS: &str = "UPDATE tco_customers SET \
    enabled = CASE WHEN EXISTS (SELECT 1 FROM tco_subscriptions WHERE customer_reference = $1 AND enabled = 1 \
        AND (expiration_date IS NULL OR expiration_date > $2)) THEN 1 ELSE 0 END, \
    trial = CASE WHEN EXISTS (SELECT 1 FROM tco_subscriptions WHERE customer_reference = $1 AND enabled = 1 \
        AND trial = 1 AND (expiration_date IS NULL OR expiration_date > $2)) THEN 1 ELSE 0 END \
    WHERE reference = $1";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct OrderDocument {
    external_customer_reference: Option<String>,
    language: String,
    country: String,
    source: Option<String>,
    affiliate_code: Option<String>,
    #[serde(default)]
    affiliate_source: Option<String>,
    billing: AddressDocument,
    delivery: Option<AddressDocument>,
    payment: PaymentDocument,
    items: Vec<ItemDocument>,
    currency: String,
    totals: PriceDocument,
    test: bool,
    error: Option<(String, String)>,
    /// Code, name, coupon, discount label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    promotions: Vec<(String, String, Option<String>, String)>,
    /// Code, name, tracking URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shipping_method: Option<(String, String, Option<String>)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AddressDocument {
    first_name: String,
    last_name: String,
    company: Option<String>,
    fiscal_code: Option<String>,
    email: String,
    phone: Option<String>,
    address1: String,
    address2: Option<String>,
    city: String,
    state: Option<String>,
    zip: String,
    country_code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct PaymentDocument {
    payment_type: String,
    currency: String,
    customer_ip: Option<String>,
    card: Option<CardDocument>,
    recurring_enabled: bool,
    previous_ref_no: Option<String>,
}

/// A card's first digits, last digits, type, month, year and holder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CardDocument(String, String, String, String, String, String);

impl From<&CardSummary> for CardDocument {
    fn from(c: &CardSummary) -> Self {
        CardDocument(
            c.first_digits.clone(),
            c.last_digits.clone(),
            c.card_type.clone(),
            c.expiration_month.clone(),
            c.expiration_year.clone(),
            c.holder_name.clone(),
        )
    }
}

impl CardDocument {
    pub(crate) fn into_model(self) -> CardSummary {
        let CardDocument(
            first_digits,
            last_digits,
            card_type,
            expiration_month,
            expiration_year,
            holder_name,
        ) = self;
        CardSummary { first_digits, last_digits, card_type, expiration_month, expiration_year, holder_name }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ItemDocument {
    line_item_reference: String,
    product_code: String,
    product_id: i64,
    product_name: String,
    short_description: Option<String>,
    tangible: bool,
    quantity: u32,
    price_options: Vec<String>,
    trial: bool,
    price: PriceDocument,
    /// A renewal's subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    renews: Option<String>,
    /// `SHIPPING` for a shipping line; absent for a product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    purchase_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    promotion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dynamic: Option<DynamicDocument>,
}

/// A dynamic product's amount, option groups and recurring options.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DynamicDocument {
    amount: String,
    option_groups: Vec<(String, Vec<OptionDocument>)>,
    recurring: Option<RecurringDocument>,
}

/// An option's name, value, text and surcharge.
type OptionDocument = (String, Option<String>, Option<String>, String);

/// The cycle's length and unit, its amount, the contract's length and unit.
type RecurringDocument = (u32, String, String, Option<(u32, String)>);

impl From<&DynamicItem> for DynamicDocument {
    fn from(item: &DynamicItem) -> Self {
        DynamicDocument {
            amount: item.amount.to_string(),
            option_groups: item
                .option_groups
                .iter()
                .map(|group| {
                    let options = group.options.iter().map(|option| {
                        (
                            option.name.clone(),
                            option.value.clone(),
                            option.option_text.clone(),
                            option.surcharge.to_string(),
                        )
                    });
                    (group.name.clone(), options.collect())
                })
                .collect(),
            recurring: item.recurring.as_ref().map(|recurring| {
                (
                    recurring.cycle.length,
                    recurring.cycle.unit.as_str().to_owned(),
                    recurring.cycle_amount.to_string(),
                    recurring.contract.map(|contract| (contract.length, contract.unit.as_str().to_owned())),
                )
            }),
        }
    }
}

impl DynamicDocument {
    fn into_model(self) -> Result<DynamicItem, DbError> {
        let amount = |text: &str| decode("amount", text.parse::<Decimal>().ok());
        let recurrence = |length: u32, unit: &str| {
            Ok::<_, DbError>(Recurrence { length, unit: decode("cycle unit", CycleUnit::parse(unit))? })
        };
        let mut option_groups = Vec::with_capacity(self.option_groups.len());
        for (name, options) in self.option_groups {
            let mut group = OptionGroup { name, options: Vec::with_capacity(options.len()) };
            for (name, value, option_text, surcharge) in options {
                group.options.push(DynamicOption {
                    name,
                    value,
                    option_text,
                    surcharge: amount(&surcharge)?,
                });
            }
            option_groups.push(group);
        }
        let recurring = match self.recurring {
            Some((length, unit, cycle_amount, contract)) => Some(RecurringOptions {
                cycle: recurrence(length, &unit)?,
                cycle_amount: amount(&cycle_amount)?,
                contract: contract.map(|(length, unit)| recurrence(length, &unit)).transpose()?,
            }),
            None => None,
        };
        Ok(DynamicItem { amount: amount(&self.amount)?, option_groups, recurring })
    }
}

/// Currency, VAT percent, then unit net, VAT, gross, discount and the item's net, VAT, gross,
/// discount, as decimal strings.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PriceDocument(String, String, [String; 8]);

impl From<&Address> for AddressDocument {
    fn from(a: &Address) -> Self {
        AddressDocument {
            first_name: a.first_name.clone(),
            last_name: a.last_name.clone(),
            company: a.company.clone(),
            fiscal_code: a.fiscal_code.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            address1: a.address1.clone(),
            address2: a.address2.clone(),
            city: a.city.clone(),
            state: a.state.clone(),
            zip: a.zip.clone(),
            country_code: a.country_code.clone(),
        }
    }
}

impl From<AddressDocument> for Address {
    fn from(a: AddressDocument) -> Self {
        Address {
            first_name: a.first_name,
            last_name: a.last_name,
            company: a.company,
            fiscal_code: a.fiscal_code,
            email: a.email,
            phone: a.phone,
            address1: a.address1,
            address2: a.address2,
            city: a.city,
            state: a.state,
            zip: a.zip,
            country_code: a.country_code,
        }
    }
}

impl From<&ItemPrice> for PriceDocument {
    fn from(p: &ItemPrice) -> Self {
        let amounts =
            [p.unit_net, p.unit_vat, p.unit_gross, p.unit_discount, p.net, p.vat, p.gross, p.discount];
        PriceDocument(p.currency.clone(), p.vat_percent.to_string(), amounts.map(|amount| amount.to_string()))
    }
}

impl PriceDocument {
    fn into_model(self) -> Result<ItemPrice, DbError> {
        let parse = |text: &str| -> Result<Decimal, DbError> {
            text.parse().map_err(|_| DbError::Decode(format!("a stored amount: {text}")))
        };
        let [unit_net, unit_vat, unit_gross, unit_discount, net, vat, gross, discount] = &self.2;
        Ok(ItemPrice {
            currency: self.0,
            vat_percent: parse(&self.1)?,
            unit_net: parse(unit_net)?,
            unit_vat: parse(unit_vat)?,
            unit_gross: parse(unit_gross)?,
            unit_discount: parse(unit_discount)?,
            net: parse(net)?,
            vat: parse(vat)?,
            gross: parse(gross)?,
            discount: parse(discount)?,
        })
    }
}

impl OrderDocument {
    fn of(order: &Order) -> Self {
        let payment = &order.payment;
        OrderDocument {
            external_customer_reference: order.external_customer_reference.clone(),
            language: order.language.clone(),
            country: order.country.clone(),
            source: order.source.clone(),
            affiliate_code: order.affiliate_code.clone(),
            affiliate_source: order.affiliate_source.clone(),
            billing: (&order.billing).into(),
            delivery: order.delivery.as_ref().map(Into::into),
            payment: PaymentDocument {
                payment_type: payment.payment_type.as_str().to_owned(),
                currency: payment.currency.clone(),
                customer_ip: payment.customer_ip.clone(),
                card: payment.card.as_ref().map(CardDocument::from),
                recurring_enabled: payment.recurring_enabled,
                previous_ref_no: payment.previous_ref_no.clone(),
            },
            items: order
                .items
                .iter()
                .map(|item| ItemDocument {
                    line_item_reference: item.line_item_reference.clone(),
                    product_code: item.product_code.clone(),
                    product_id: item.product_id,
                    product_name: item.product_name.clone(),
                    short_description: item.short_description.clone(),
                    tangible: item.tangible,
                    quantity: item.quantity,
                    price_options: item.price_options.clone(),
                    trial: item.trial,
                    price: (&item.price).into(),
                    renews: item.renews.clone(),
                    purchase_type: (item.purchase_type != PurchaseType::Product)
                        .then(|| item.purchase_type.as_str().to_owned()),
                    promotion: item.promotion.clone(),
                    dynamic: item.dynamic.as_ref().map(DynamicDocument::from),
                })
                .collect(),
            currency: order.currency.clone(),
            totals: (&order.totals).into(),
            test: order.test,
            error: order.error.clone(),
            promotions: order
                .promotions
                .iter()
                .map(|p| (p.code.clone(), p.name.clone(), p.coupon.clone(), p.discount_label.clone()))
                .collect(),
            shipping_method: order
                .shipping_method
                .as_ref()
                .map(|m| (m.code.clone(), m.name.clone(), m.tracking_url.clone())),
        }
    }
}

fn decode<T>(what: &str, value: Option<T>) -> Result<T, DbError> {
    value.ok_or_else(|| DbError::Decode(format!("a stored {what} is not valid")))
}

pub(crate) fn order(row: &Row) -> Result<Order, DbError> {
    let document: OrderDocument = serde_json::from_str(&row.text("document")?)
        .map_err(|error| DbError::Decode(format!("a stored order: {error}")))?;
    let payment = document.payment;
    let items = document
        .items
        .into_iter()
        .map(|item| {
            Ok(OrderItem {
                line_item_reference: item.line_item_reference,
                product_code: item.product_code,
                product_id: item.product_id,
                product_name: item.product_name,
                short_description: item.short_description,
                tangible: item.tangible,
                quantity: item.quantity,
                price_options: item.price_options,
                trial: item.trial,
                price: item.price.into_model()?,
                renews: item.renews,
                purchase_type: match item.purchase_type {
                    Some(text) => decode("purchase type", PurchaseType::parse(&text))?,
                    None => PurchaseType::Product,
                },
                promotion: item.promotion,
                dynamic: item.dynamic.map(DynamicDocument::into_model).transpose()?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let complete_at = row.optional_integer("complete_at")?.and_then(DateTime::from_timestamp_millis);
    Ok(Order {
        ref_no: row.text("ref_no")?,
        external_reference: row.optional_text("external_reference")?,
        customer_reference: row.integer("customer_reference")?,
        external_customer_reference: document.external_customer_reference,
        stored_status: decode("order status", OrderStatus::parse(&row.text("status")?))?,
        approve_status: decode("approve status", ApproveStatus::parse(&row.text("approve_status")?))?,
        language: document.language,
        country: document.country,
        source: document.source,
        affiliate_code: document.affiliate_code,
        affiliate_source: document.affiliate_source,
        billing: document.billing.into(),
        delivery: document.delivery.map(Into::into),
        payment: Payment {
            payment_type: decode("payment type", PaymentType::parse(&payment.payment_type))?,
            currency: payment.currency,
            customer_ip: payment.customer_ip,
            card: payment.card.map(CardDocument::into_model),
            recurring_enabled: payment.recurring_enabled,
            previous_ref_no: payment.previous_ref_no,
        },
        items,
        currency: document.currency,
        totals: document.totals.into_model()?,
        promotions: document
            .promotions
            .into_iter()
            .map(|(code, name, coupon, discount_label)| AppliedPromotion {
                code,
                name,
                coupon,
                discount_label,
            })
            .collect(),
        shipping_method: document.shipping_method.map(|(code, name, tracking_url)| ShippingChoice {
            code,
            name,
            tracking_url,
        }),
        test: document.test,
        error: document.error,
        placed_at: row.time("placed_at")?,
        complete_at,
        subscriptions: Vec::new(),
        adjustments: crate::adjustments::decode(row.optional_text("adjustments")?.as_deref())?,
    })
}

/// A subscription's columns (as `s`).
macro_rules! subscription_columns {
    () => {
        "s.reference, s.customer_reference, s.order_ref_no, s.product_code, s.product_name, s.quantity, \
         s.line_item_reference, s.purchase_date, s.start_date, s.expiration_date, s.trial, s.enabled, \
         s.recurring_enabled, s.email, s.country_code, s.renewed_at, s.latest_order_ref_no, \
         s.upgraded_product_id, s.upgraded_price_options, s.end_user"
    };
}
pub(crate) use subscription_columns;

const SUBSCRIPTIONS_OF_ORDER: &str = concat!(
    "SELECT ",
    subscription_columns!(),
    " FROM tco_subscriptions s WHERE s.order_ref_no = $1 ORDER BY s.purchase_date, s.reference"
);
const SUBSCRIPTION_BY_REFERENCE: &str =
    concat!("SELECT ", subscription_columns!(), " FROM tco_subscriptions s WHERE s.reference = $1");

pub(crate) fn subscription(row: &Row) -> Result<Subscription, DbError> {
    Ok(Subscription {
        reference: row.text("reference")?,
        customer_reference: row.integer("customer_reference")?,
        order_ref_no: row.text("order_ref_no")?,
        product_code: row.text("product_code")?,
        product_name: row.text("product_name")?,
        quantity: u32::try_from(row.integer("quantity")?).unwrap_or(1),
        line_item_reference: row.text("line_item_reference")?,
        purchase_date: row.time("purchase_date")?,
        start_date: row.time("start_date")?,
        expiration_date: row.optional_integer("expiration_date")?.and_then(DateTime::from_timestamp_millis),
        trial: row.flag("trial")?,
        enabled: row.flag("enabled")?,
        recurring_enabled: row.flag("recurring_enabled")?,
        email: row.text("email")?,
        country_code: row.text("country_code")?,
        renewed_at: row.optional_integer("renewed_at")?.and_then(DateTime::from_timestamp_millis),
        latest_order_ref_no: row.text("latest_order_ref_no")?,
        upgraded: match row.optional_integer("upgraded_product_id")? {
            Some(product_id) => Some(Upgraded {
                product_id,
                price_options: match row.optional_text("upgraded_price_options")? {
                    Some(options) => serde_json::from_str(&options)
                        .map_err(|error| DbError::Decode(format!("upgraded_price_options: {error}")))?,
                    None => Vec::new(),
                },
            }),
            None => None,
        },
        end_user: match row.optional_text("end_user")? {
            Some(document) => Some(Box::new(Address::from(
                serde_json::from_str::<AddressDocument>(&document)
                    .map_err(|error| DbError::Decode(format!("end_user: {error}")))?,
            ))),
            None => None,
        },
    })
}

/// An order row with its subscriptions.
async fn order_with_subscriptions(conn: &mut dyn Conn, row: &Row) -> Result<Order, DbError> {
    let mut order = order(row)?;
    let rows = conn.query(SUBSCRIPTIONS_OF_ORDER, &[Param::from(&order.ref_no)]).await?;
    order.subscriptions = rows.iter().map(subscription).collect::<Result<_, _>>()?;
    add_renewed(conn, &mut order).await?;
    Ok(order)
}

/// Order rows with their subscriptions, read in one statement for all of them (a page).
async fn orders_with_subscriptions(conn: &mut dyn Conn, rows: &[Row]) -> Result<Vec<Order>, DbError> {
    let mut orders = rows.iter().map(order).collect::<Result<Vec<_>, _>>()?;
    if orders.is_empty() {
        return Ok(orders);
    }
    let refs: Vec<Param> = orders.iter().map(|order| Param::from(&order.ref_no)).collect();
    let marks = vec!["?"; refs.len()].join(", ");
    let (sql, params) = Query::new(
        &format!(
            "SELECT {} FROM tco_subscriptions s WHERE s.order_ref_no IN ({marks}) ORDER BY s.purchase_date, s.reference",
            subscription_columns!()
        ),
        refs,
    )
    .finish();
    for row in conn.query(sql, &params).await? {
        let subscription = subscription(&row)?;
        if let Some(order) = orders.iter_mut().find(|order| order.ref_no == subscription.order_ref_no) {
            order.subscriptions.push(subscription);
        }
    }
    for order in &mut orders {
        add_renewed(conn, order).await?;
    }
    Ok(orders)
}

/// A renewal shows the subscription it renewed.
async fn add_renewed(conn: &mut dyn Conn, order: &mut Order) -> Result<(), DbError> {
    let renewed: Vec<String> = order.items.iter().filter_map(|item| item.renews.clone()).collect();
    for reference in renewed {
        if let Some(row) = conn.optional(SUBSCRIPTION_BY_REFERENCE, &[Param::from(&reference)]).await? {
            order.subscriptions.push(subscription(&row)?);
        }
    }
    Ok(())
}

/// The reference and external reference of the customer an order or import is for: the
/// existing one (locked), or the new one inserted.
pub(crate) async fn resolve_customer(
    conn: &mut dyn Conn,
    merchant_code: &str,
    customer: &OrderCustomer,
    now: DateTime<Utc>,
    postgres: bool,
) -> Result<(i64, Option<String>), DbError> {
    match customer {
        OrderCustomer::Existing(reference) => {
            let lock = if postgres { LOCK_CUSTOMER_POSTGRES } else { LOCK_CUSTOMER_SQLITE };
            let row = conn.optional(lock, &[Param::Integer(*reference)]).await?;
            let row = row.filter(|row| row.text("merchant_code").is_ok_and(|owner| owner == merchant_code));
            let row = row.ok_or_else(|| DbError::Decode(format!("customer {reference} is gone")))?;
            Ok((*reference, row.optional_text("external_reference")?))
        }
        OrderCustomer::New(fields) => {
            let values = customer_values(merchant_code, fields, CustomerStatus::default(), now);
            Ok((insert_customer(conn, merchant_code, values).await?, fields.external_reference.clone()))
        }
    }
}

/// Adds `card` to the customer's stored cards, unless it has that card (its last digits, type
/// and expiry) already.
pub(crate) async fn add_card(conn: &mut dyn Conn, customer: i64, card: &Card) -> Result<(), DbError> {
    let stored = conn
        .one(
            "SELECT COUNT(*) AS count, SUM(CASE WHEN card_type = $2 AND last_digits = $3 AND expiration_month = $4 \
             AND expiration_year = $5 THEN 1 ELSE 0 END) AS same FROM tco_cards WHERE customer_reference = $1",
            &[
                Param::Integer(customer),
                Param::from(&card.card_type),
                Param::from(&card.last_digits),
                Param::from(&card.expiration_month),
                Param::from(&card.expiration_year),
            ],
        )
        .await?;
    if stored.optional_integer("same")?.unwrap_or(0) == 0 {
        let position = usize::try_from(stored.integer("count")?).unwrap_or(0);
        insert_card(conn, customer, card_values(position, card)).await?;
    }
    Ok(())
}

/// Inserts a subscription: an order's (its reference in `order_ref_no`), or an import's with
/// what it carries (`import_document`).
pub(crate) async fn insert_subscription(
    conn: &mut dyn Conn,
    merchant_code: &str,
    subscription: &Subscription,
    import_document: Option<String>,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO tco_subscriptions (reference, merchant_code, customer_reference, product_code, product_name, \
         quantity, order_ref_no, line_item_reference, purchase_date, start_date, expiration_date, enabled, trial, \
         recurring_enabled, email, country_code, latest_order_ref_no, modified_at, import_document) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $7, $9, $17)",
        &params![
            &subscription.reference,
            merchant_code,
            subscription.customer_reference,
            &subscription.product_code,
            &subscription.product_name,
            i64::from(subscription.quantity),
            &subscription.order_ref_no,
            &subscription.line_item_reference,
            subscription.purchase_date,
            subscription.start_date,
            subscription.expiration_date,
            subscription.enabled,
            subscription.trial,
            subscription.recurring_enabled,
            &subscription.email,
            &subscription.country_code,
            import_document,
        ],
    )
    .await?;
    counts::add(conn, merchant_code, Counted::Subscriptions, &subscription.reference).await
}

/// Stores `new` (the work of one write transaction).
async fn insert(
    conn: &mut dyn Conn,
    merchant_code: &str,
    mut new: NewOrder,
    postgres: bool,
) -> Result<Order, DbError> {
    let order = &mut new.order;
    if order.ref_no.is_empty() {
        order.ref_no = Counter::OrderRefNo.next(conn).await?.to_string();
    }
    let (customer, external) =
        resolve_customer(conn, merchant_code, &new.customer, new.now, postgres).await?;
    order.customer_reference = customer;
    order.external_customer_reference = external;
    if let Some(card) = &new.card {
        add_card(conn, customer, card).await?;
    }
    let document = serde_json::to_string(&OrderDocument::of(order))
        .map_err(|error| DbError::Decode(error.to_string()))?;
    conn.execute(
        "INSERT INTO tco_orders (ref_no, merchant_code, external_reference, customer_reference, status, \
         approve_status, placed_at, complete_at, document, test) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            Param::from(&order.ref_no),
            Param::from(merchant_code),
            Param::from(&order.external_reference),
            Param::Integer(customer),
            Param::from(order.stored_status.as_str()),
            Param::from(order.approve_status.as_str()),
            Param::from(order.placed_at),
            Param::from(order.complete_at),
            Param::from(document),
            Param::from(order.test),
        ],
    )
    .await?;
    counts::add(conn, merchant_code, Counted::Orders, &order.ref_no).await?;
    for subscription in &mut order.subscriptions {
        subscription.customer_reference = customer;
        subscription.order_ref_no = order.ref_no.clone();
        subscription.latest_order_ref_no = order.ref_no.clone();
        insert_subscription(conn, merchant_code, subscription, None).await?;
    }
    if let Some(renewal) = new.renewal.as_ref().filter(|renewal| renewal.replaced) {
        replace_subscription(conn, merchant_code, renewal, &order.ref_no, new.now).await?;
    } else if let Some(renewal) = &new.renewal {
        let mut moved = conn
            .execute(
                "UPDATE tco_subscriptions SET expiration_date = $1, renewed_at = $2, latest_order_ref_no = $3, \
                 modified_at = $2 WHERE reference = $4 AND merchant_code = $5 AND expiration_date = $6",
                &[
                    Param::from(renewal.new_expiration_date),
                    Param::from(new.now),
                    Param::from(&order.ref_no),
                    Param::from(&renewal.reference),
                    Param::from(merchant_code),
                    Param::from(renewal.expiration_date),
                ],
            )
            .await?;
        if let (1, Some(upgrade)) = (moved, &renewal.upgrade) {
            let options = serde_json::to_string(&upgrade.upgraded.price_options)
                .map_err(|error| DbError::Decode(error.to_string()))?;
            moved = conn
                .execute(
                    "UPDATE tco_subscriptions SET product_code = $1, product_name = $2, upgraded_product_id = $3, \
                     upgraded_price_options = $4 WHERE reference = $5 AND merchant_code = $6",
                    &[
                        Param::from(&upgrade.product_code),
                        Param::from(&upgrade.product_name),
                        Param::Integer(upgrade.upgraded.product_id),
                        Param::from(options),
                        Param::from(&renewal.reference),
                        Param::from(merchant_code),
                    ],
                )
                .await?;
        }
        if moved != 1 {
            return Err(DbError::Store(StoreError::Conflict(format!(
                "subscription {} was renewed by another order meanwhile",
                renewal.reference
            ))));
        }
        let kind = if renewal.upgrade.is_some() { HistoryKind::Upgrade } else { HistoryKind::Renewal };
        add_history(conn, merchant_code, renewal, &order.ref_no, new.now, kind).await?;
    }
    for used in &new.promotion_uses {
        let maximum = used.maximum_orders.map_or(i64::MAX, i64::from);
        let counted = conn
            .execute(
                "UPDATE tco_promotions SET orders_used = orders_used + 1 \
                 WHERE merchant_code = $1 AND code = $2 AND orders_used < $3",
                &[Param::from(merchant_code), Param::from(&used.code), Param::Integer(maximum)],
            )
            .await?;
        if counted != 1 {
            return Err(DbError::Store(StoreError::LimitReached(used.code.clone())));
        }
    }
    conn.execute(CUSTOMER_STATUS, &[Param::Integer(customer), Param::from(new.now)]).await?;
    crate::notifications::insert_events(conn, merchant_code, &new.events, &new.order.ref_no).await?;
    Ok(new.order)
}

#[async_trait]
impl OrderStore for SqlStore {
    async fn insert_order(&self, merchant_code: &str, order: NewOrder) -> StoreResult<Order> {
        let merchant_code = merchant_code.to_owned();
        let postgres = !self.backend.is_sqlite();
        self.backend
            .write(move |conn| {
                let (merchant_code, order) = (merchant_code.clone(), order.clone());
                Box::pin(async move { insert(conn, &merchant_code, order, postgres).await })
            })
            .await
    }

    async fn adjust_order(&self, merchant_code: &str, adjustment: OrderAdjustment) -> StoreResult<()> {
        let merchant_code = merchant_code.to_owned();
        self.backend
            .write(move |conn| {
                let (merchant_code, adjustment) = (merchant_code.clone(), adjustment.clone());
                Box::pin(async move { crate::adjustments::adjust(conn, &merchant_code, &adjustment).await })
            })
            .await
    }

    async fn add_order_comment(
        &self,
        merchant_code: &str,
        ref_no: &str,
        comment: &OrderComment,
    ) -> StoreResult<()> {
        let values = params![merchant_code, ref_no, &comment.comment, &comment.username, comment.created_at];
        self.backend
            .write(move |conn| {
                let values = values.clone();
                Box::pin(async move {
                    conn.execute(
                        "INSERT INTO tco_order_comments (merchant_code, ref_no, position, comment, username, created_at) \
                         SELECT $1, $2, COALESCE(MAX(position), 0) + 1, $3, $4, $5 FROM tco_order_comments \
                         WHERE merchant_code = $1 AND ref_no = $2",
                        &values,
                    )
                    .await
                    .map(drop)
                })
            })
            .await
    }

    async fn order_comments(&self, merchant_code: &str, ref_no: &str) -> StoreResult<Vec<OrderComment>> {
        self.backend
            .rows(
                "SELECT comment, username, created_at FROM tco_order_comments \
                 WHERE merchant_code = $1 AND ref_no = $2 ORDER BY position",
                params![merchant_code, ref_no],
                |row| {
                    Ok(OrderComment {
                        comment: row.text("comment")?,
                        username: row.text("username")?,
                        created_at: row.time("created_at")?,
                    })
                },
            )
            .await
    }

    async fn find_order(&self, merchant_code: &str, ref_no: &str) -> StoreResult<Option<Order>> {
        let (merchant_code, key) = (merchant_code.to_owned(), params![ref_no]);
        self.backend
            .read(move |conn| {
                let (merchant_code, key) = (merchant_code.clone(), key.clone());
                Box::pin(async move {
                    match conn.optional(ORDER_BY_REF_NO, &key).await? {
                        Some(row) if row.text("merchant_code")? == merchant_code => {
                            order_with_subscriptions(conn, &row).await.map(Some)
                        }
                        _ => Ok(None),
                    }
                })
            })
            .await
    }

    async fn search_orders(
        &self,
        merchant_code: &str,
        query: &OrderQuery,
        now: DateTime<Utc>,
    ) -> StoreResult<(Vec<Order>, u64)> {
        let search = Search {
            filter: order_filter(merchant_code, query, now),
            order: "placed_at DESC, ref_no DESC",
            key: "ref_no",
        };
        let (count_sql, count_params) = search.count();
        let (keys_sql, keys_params) = search.keys(query.limit, query.offset());
        // Only a date range: every order is counted when it starts before the first.
        let counted = query.end.is_none() && only_dates(query);
        let (merchant_code, start) = (merchant_code.to_owned(), query.start);
        self.backend
            .read(move |conn| {
                let (search, merchant_code) = (search.clone(), merchant_code.clone());
                let (count_params, keys_params) = (count_params.clone(), keys_params.clone());
                Box::pin(async move {
                    let count = match counted && covers_every_order(conn, &merchant_code, start).await? {
                        true => counts::count(conn, &merchant_code, Counted::Orders).await?,
                        false => u64::try_from(conn.one(count_sql, &count_params).await?.integer("count")?)
                            .unwrap_or_default(),
                    };
                    let keys: Vec<Param> = conn
                        .query(keys_sql, &keys_params)
                        .await?
                        .iter()
                        .map(|row| row.text("ref_no").map(Param::Text))
                        .collect::<Result<_, _>>()?;
                    if keys.is_empty() {
                        return Ok((Vec::new(), count));
                    }
                    let (rows_sql, rows_params) = search.rows(
                        "SELECT ref_no, merchant_code, external_reference, customer_reference, status, \
                         approve_status, placed_at, complete_at, document, adjustments FROM tco_orders",
                        &keys,
                    );
                    let rows = conn.query(rows_sql, &rows_params).await?;
                    let items = orders_with_subscriptions(conn, &rows).await?;
                    Ok((in_order(&keys, items, |order| Param::Text(order.ref_no.clone())), count))
                })
            })
            .await
    }
}

/// Whether a search filters by its dates alone.
fn only_dates(query: &OrderQuery) -> bool {
    query.ref_no.is_none()
        && query.status.is_none()
        && query.approve_status.is_none()
        && query.partner_orders != Some(true)
        && query.external_reference.is_none()
        && query.test.is_none()
}

/// Whether a search from `start` takes in every order of the merchant's (the first one's date is
/// the index's first entry).
/// An upgrade by a new subscription (`SubscriptionUpgradeType` 1): the upgraded one is disabled,
/// its expiration kept — unless another order changed it meanwhile — and its history records the
/// upgrade's order.
async fn replace_subscription(
    conn: &mut dyn Conn,
    merchant_code: &str,
    renewal: &Renewal,
    ref_no: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let disabled = conn
        .execute(
            "UPDATE tco_subscriptions SET enabled = 0, modified_at = $1 WHERE reference = $2 AND merchant_code = $3 \
             AND expiration_date = $4 AND enabled = 1",
            &[
                Param::from(now),
                Param::from(&renewal.reference),
                Param::from(merchant_code),
                Param::from(renewal.expiration_date),
            ],
        )
        .await?;
    if disabled != 1 {
        return Err(DbError::Store(StoreError::Conflict(format!(
            "subscription {} was changed by another order meanwhile",
            renewal.reference
        ))));
    }
    add_history(conn, merchant_code, renewal, ref_no, now, HistoryKind::Upgrade).await
}

/// A renewal's or upgrade's record in the subscription's history (`getSubscriptionHistory`).
async fn add_history(
    conn: &mut dyn Conn,
    merchant_code: &str,
    renewal: &Renewal,
    ref_no: &str,
    now: DateTime<Utc>,
    kind: HistoryKind,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO tco_renewals (merchant_code, reference, ref_no, renewed_at, expiration_from, expiration_to, \
         kind) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            Param::from(merchant_code),
            Param::from(&renewal.reference),
            Param::from(ref_no),
            Param::from(now),
            Param::from(renewal.expiration_date),
            Param::from(renewal.new_expiration_date),
            Param::from(kind.as_str()),
        ],
    )
    .await?;
    Ok(())
}

async fn covers_every_order(
    conn: &mut dyn Conn,
    merchant_code: &str,
    start: Option<DateTime<Utc>>,
) -> Result<bool, DbError> {
    let Some(start) = start else { return Ok(true) };
    let first = conn
        .optional(
            "SELECT placed_at FROM tco_orders WHERE merchant_code = $1 ORDER BY placed_at LIMIT 1",
            &[Param::from(merchant_code)],
        )
        .await?;
    Ok(match first {
        Some(row) => start.timestamp_millis() <= row.integer("placed_at")?,
        None => true,
    })
}

/// The search's conditions, only those it has. An authorized order whose completion time has
/// passed is `COMPLETE` (and its approval `OK`), as every read shows it.
pub(crate) fn order_filter(merchant_code: &str, query: &OrderQuery, now: DateTime<Utc>) -> Query {
    // Never NULL, so that `NOT` it is exact.
    const COMPLETE: &str =
        "(status = 'COMPLETE' OR (status = 'AUTHRECEIVED' AND complete_at IS NOT NULL AND complete_at <= ?))";
    let mut filter = Query::new("FROM tco_orders WHERE merchant_code = ?", params![merchant_code]);
    if let Some(ref_no) = &query.ref_no {
        filter.and("ref_no = ?", params![ref_no]);
    }
    match query.status {
        None => {}
        Some(OrderStatus::Complete) => {
            filter.and(COMPLETE, params![now]);
        }
        Some(OrderStatus::AuthReceived) => {
            filter.and("status = 'AUTHRECEIVED' AND (complete_at IS NULL OR complete_at > ?)", params![now]);
        }
        Some(status) => {
            filter.and("status = ?", params![status.as_str()]);
        }
    }
    match query.approve_status {
        None => {}
        Some(ApproveStatus::Ok) => {
            filter.and(
                &format!("(approve_status = 'OK' OR (approve_status = 'WAITING' AND {COMPLETE}))"),
                params![now],
            );
        }
        Some(ApproveStatus::Waiting) => {
            filter.and(&format!("approve_status = 'WAITING' AND NOT {COMPLETE}"), params![now]);
        }
        Some(approve_status) => {
            filter.and("approve_status = ?", params![approve_status.as_str()]);
        }
    }
    if let Some(start) = query.start {
        filter.and("placed_at >= ?", params![start]);
    }
    if let Some(end) = query.end {
        filter.and("placed_at <= ?", params![end]);
    }
    if query.partner_orders == Some(true) {
        // No order is placed through a partner here.
        filter.and("1 = 0", params![]);
    }
    if let Some(external) = &query.external_reference {
        filter.and("external_reference = ?", params![external]);
    }
    if let Some(test) = query.test {
        filter.and("test = ?", params![test]);
    }
    filter
}
