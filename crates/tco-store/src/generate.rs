//! Generated orders for benchmarks and plan tests: copies of one of a merchant's orders (its
//! stored document, its subscription), each by a new customer, placed a fixed time apart up to a
//! moment. They go through the store's own tables a batch per transaction — the numbering,
//! the kept counts and every index maintained as an order placed through the API would — but
//! many rows per statement, so that a million load in minutes. Run it on a store nothing else
//! writes to (the numbers are reserved by batch).

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use tco_core::StoreResult;

use crate::SqlStore;
use crate::counts::Counted;
use crate::db::{Conn, Counter, DbError, Param};
use crate::query::Query;

/// Orders a statement inserts at most (under both databases' limits on parameters).
const BATCH: u64 = 1000;

const COUNTRIES: &[&str] = &["us", "gb", "de", "fr", "ro", "nl", "it", "es"];

/// What to generate.
#[derive(Debug, Clone)]
pub struct Generation {
    pub merchant_code: String,
    /// The order copied: its document, and its one subscription.
    pub template_ref_no: String,
    pub orders: u64,
    /// The last order's time; the others are `spacing` apart before it.
    pub until: DateTime<Utc>,
    pub spacing: Duration,
}

/// The template: the order row's document and status, its subscription's product and cycle.
#[derive(Debug, Clone)]
struct Template {
    document: Value,
    product_code: String,
    product_name: String,
    line_item_reference: String,
    cycle: Duration,
}

impl SqlStore {
    /// Generates `generation.orders` orders; `progress` hears how many are in after each batch.
    /// Buyers are numbered on from the ones an earlier generation made (`buyer{n}@example.com`,
    /// `GEN-{n}`).
    pub async fn generate(&self, generation: &Generation, progress: impl Fn(u64)) -> StoreResult<()> {
        let template = self.template(generation).await?;
        let earlier = self.generated_buyers(&generation.merchant_code).await?;
        let mut done = 0;
        while done < generation.orders {
            let size = BATCH.min(generation.orders - done);
            let (generation, template) = (generation.clone(), template.clone());
            self.backend
                .write(move |conn| {
                    let (generation, template) = (generation.clone(), template.clone());
                    Box::pin(
                        async move { insert_batch(conn, &generation, &template, earlier, done, size).await },
                    )
                })
                .await?;
            done += size;
            progress(done);
        }
        Ok(())
    }

    /// How many buyers earlier generations made for the merchant.
    async fn generated_buyers(&self, merchant_code: &str) -> StoreResult<u64> {
        let merchant_code = merchant_code.to_owned();
        self.backend
            .read(move |conn| {
                let merchant_code = merchant_code.clone();
                Box::pin(async move {
                    let row = conn
                        .one(
                            "SELECT COUNT(*) AS count FROM tco_customers WHERE merchant_code = $1 \
                             AND external_reference >= 'GEN-' AND external_reference < 'GEN.'",
                            &[Param::from(&merchant_code)],
                        )
                        .await?;
                    Ok(u64::try_from(row.integer("count")?).unwrap_or_default())
                })
            })
            .await
    }

    async fn template(&self, generation: &Generation) -> StoreResult<Template> {
        let (merchant_code, ref_no) = (generation.merchant_code.clone(), generation.template_ref_no.clone());
        self.backend
            .read(move |conn| {
                let (merchant_code, ref_no) = (merchant_code.clone(), ref_no.clone());
                Box::pin(async move {
                    let order = conn
                        .optional(
                            "SELECT document FROM tco_orders WHERE ref_no = $1 AND merchant_code = $2",
                            &[Param::from(&ref_no), Param::from(&merchant_code)],
                        )
                        .await?
                        .ok_or_else(|| DbError::Decode(format!("no order {ref_no} of {merchant_code} to copy")))?;
                    let subscription = conn
                        .optional(
                            "SELECT product_code, product_name, line_item_reference, purchase_date, expiration_date \
                             FROM tco_subscriptions WHERE order_ref_no = $1",
                            &[Param::from(&ref_no)],
                        )
                        .await?
                        .ok_or_else(|| DbError::Decode(format!("order {ref_no} created no subscription to copy")))?;
                    let document = serde_json::from_str(&order.text("document")?)
                        .map_err(|error| DbError::Decode(error.to_string()))?;
                    let purchased = subscription.integer("purchase_date")?;
                    let expires = subscription.optional_integer("expiration_date")?.unwrap_or(purchased);
                    Ok(Template {
                        document,
                        product_code: subscription.text("product_code")?,
                        product_name: subscription.text("product_name")?,
                        line_item_reference: subscription.text("line_item_reference")?,
                        cycle: Duration::milliseconds(expires.saturating_sub(purchased)),
                    })
                })
            })
            .await
    }
}

/// Orders `first + 1` to `first + size` of this generation (buyers numbered after `earlier`):
/// their customers, orders and subscriptions, and counts.
async fn insert_batch(
    conn: &mut dyn Conn,
    generation: &Generation,
    template: &Template,
    earlier: u64,
    first: u64,
    size: u64,
) -> Result<(), DbError> {
    let merchant = generation.merchant_code.as_str();
    let customers = Counter::CustomerReference.reserve(conn, size).await?;
    let ref_nos = Counter::OrderRefNo.reserve(conn, size).await?;
    let mut customer_rows = Query::new(
        "INSERT INTO tco_customers (reference, merchant_code, external_reference, first_name, last_name, address1, \
         city, zip, country_code, email, email_key, language, enabled, trial, end_user_update, created_at, \
         updated_at) VALUES ",
        [],
    );
    let mut order_rows = Query::new(
        "INSERT INTO tco_orders (ref_no, merchant_code, external_reference, customer_reference, status, \
         approve_status, placed_at, complete_at, document, test) VALUES ",
        [],
    );
    let mut subscription_rows = Query::new(
        "INSERT INTO tco_subscriptions (reference, merchant_code, customer_reference, product_code, product_name, \
         quantity, order_ref_no, line_item_reference, purchase_date, start_date, expiration_date, enabled, trial, \
         recurring_enabled, email, country_code, latest_order_ref_no, modified_at) VALUES ",
        [],
    );
    for index in 0..size {
        let n = first + index + 1;
        let before = i32::try_from(generation.orders - n).unwrap_or(i32::MAX);
        let n = earlier + n;
        let back = generation.spacing.checked_mul(before).unwrap_or(Duration::MAX);
        let placed = generation.until.checked_sub_signed(back).unwrap_or(DateTime::<Utc>::MIN_UTC);
        let expires = placed.checked_add_signed(template.cycle).unwrap_or(placed);
        let customer = customers + i64::try_from(index).unwrap_or(0);
        let ref_no = (ref_nos + i64::try_from(index).unwrap_or(0)).to_string();
        let email = format!("buyer{n}@example.com");
        let external = format!("GEN-{n}");
        let country = COUNTRIES[usize::try_from(n).unwrap_or(0) % COUNTRIES.len()];
        let separator = if index == 0 { "" } else { ", " };
        customer_rows.push(
            &format!("{separator}(?, ?, ?, 'Generated', ?, '1 Bench Way', 'Springfield', '12345', ?, ?, ?, 'en', 1, 0, 0, ?, ?)"),
            [
                Param::Integer(customer),
                Param::from(merchant),
                Param::from(&external),
                Param::from(format!("Buyer {n}")),
                Param::from(country),
                Param::from(&email),
                Param::from(&email),
                Param::from(placed),
                Param::from(placed),
            ],
        );
        let mut document = template.document.clone();
        if let Some(object) = document.as_object_mut() {
            object.insert("external_customer_reference".into(), Value::String(external.clone()));
            if let Some(billing) = object.get_mut("billing").and_then(Value::as_object_mut) {
                billing.insert("email".into(), Value::String(email.clone()));
                billing.insert("country_code".into(), Value::String(country.into()));
            }
        }
        order_rows.push(
            &format!("{separator}(?, ?, NULL, ?, 'COMPLETE', 'OK', ?, ?, ?, 0)"),
            [
                Param::from(&ref_no),
                Param::from(merchant),
                Param::Integer(customer),
                Param::from(placed),
                Param::from(placed),
                Param::from(document.to_string()),
            ],
        );
        subscription_rows.push(
            &format!("{separator}(?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 1, 0, 1, ?, ?, ?, ?)"),
            [
                Param::from(format!("S{customer}")),
                Param::from(merchant),
                Param::Integer(customer),
                Param::from(&template.product_code),
                Param::from(&template.product_name),
                Param::from(&ref_no),
                Param::from(&template.line_item_reference),
                Param::from(placed),
                Param::from(placed),
                Param::from(expires),
                Param::from(&email),
                Param::from(country),
                Param::from(&ref_no),
                Param::from(placed),
            ],
        );
    }
    for rows in [customer_rows, order_rows, subscription_rows] {
        let (sql, params) = rows.finish();
        conn.execute(sql, &params).await?;
    }
    for counted in [Counted::Customers, Counted::Orders, Counted::Subscriptions] {
        crate::counts::add_many(conn, merchant, counted, i64::try_from(size).unwrap_or(0)).await?;
    }
    Ok(())
}
