//! Subscriptions: the [`SubscriptionStore`] port. A subscription is read with the order that
//! created it (one join); searches filter in SQL, lists as `,a,b,` texts matched with `instr`
//! (which migration 6 gives PostgreSQL).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tco_core::{
    NewSubscriptionImport, Origin, StoreResult, Subscription, SubscriptionChange, SubscriptionQuery,
    SubscriptionRecord, SubscriptionStore,
};

use crate::SqlStore;
use crate::db::{Conn, DbError, Param, Row, params};
use crate::imports::{import, insert_import};
use crate::orders::{CUSTOMER_STATUS, order, subscription, subscription_columns};

macro_rules! with_order {
    () => {
        concat!(
            "SELECT ",
            subscription_columns!(),
            ", o.ref_no, o.merchant_code, o.external_reference, o.status, o.approve_status, o.placed_at, \
             o.complete_at, o.document, s.import_document \
             FROM tco_subscriptions s LEFT JOIN tco_orders o ON o.ref_no = s.order_ref_no"
        )
    };
}

const BY_REFERENCE: &str = concat!(with_order!(), " WHERE s.reference = $1 AND s.merchant_code = $2");

/// Search filters: `$1` merchant, `$2` e-mail (`$3` = 1: exact), `$4` customer, `$5` enabled,
/// `$6` recurring, `$7` product codes and `$8` countries as `,a,b,`, `$9`–`$14` purchase,
/// expiration and renewal ranges, `$15` lifetime.
macro_rules! subscription_filter {
    () => {
        " WHERE s.merchant_code = $1 \
          AND ($2 IS NULL OR ($3 = 1 AND s.email = $2) OR ($3 = 0 AND instr(s.email, $2) > 0)) \
          AND ($4 IS NULL OR s.customer_reference = $4) \
          AND ($5 IS NULL OR s.enabled = $5) AND ($6 IS NULL OR s.recurring_enabled = $6) \
          AND ($7 IS NULL OR instr($7, ',' || s.product_code || ',') > 0) \
          AND ($8 IS NULL OR instr($8, ',' || s.country_code || ',') > 0) \
          AND ($9 IS NULL OR s.purchase_date >= $9) AND ($10 IS NULL OR s.purchase_date <= $10) \
          AND ($11 IS NULL OR s.expiration_date >= $11) AND ($12 IS NULL OR s.expiration_date <= $12) \
          AND ($13 IS NULL OR s.renewed_at >= $13) AND ($14 IS NULL OR s.renewed_at <= $14) \
          AND ($15 IS NULL OR (CASE WHEN s.expiration_date IS NULL THEN 1 ELSE 0 END) = $15)"
    };
}

fn record(row: &Row) -> Result<SubscriptionRecord, DbError> {
    let origin = match row.optional_text("import_document")? {
        Some(document) => Origin::Import(Box::new(import(&document)?)),
        None => Origin::Order(Box::new(order(row)?)),
    };
    Ok(SubscriptionRecord { subscription: subscription(row)?, origin })
}

fn list(values: &[String]) -> Option<String> {
    (!values.is_empty()).then(|| format!(",{},", values.join(",")))
}

#[async_trait]
impl SubscriptionStore for SqlStore {
    async fn find_subscriptions(
        &self,
        merchant_code: &str,
        references: &[String],
    ) -> StoreResult<Vec<SubscriptionRecord>> {
        let keys: Vec<Vec<Param>> =
            references.iter().map(|reference| params![reference, merchant_code]).collect();
        self.backend
            .read(move |conn| {
                let keys = keys.clone();
                Box::pin(async move {
                    let mut found = Vec::with_capacity(keys.len());
                    for key in keys {
                        if let Some(row) = conn.optional(BY_REFERENCE, &key).await? {
                            found.push(record(&row)?);
                        }
                    }
                    Ok(found)
                })
            })
            .await
    }

    async fn search_subscriptions(
        &self,
        merchant_code: &str,
        query: &SubscriptionQuery,
    ) -> StoreResult<(Vec<SubscriptionRecord>, u64)> {
        let filter = params![
            merchant_code,
            query.email.as_deref(),
            i64::from(query.exact_email),
            query.customer_reference,
            query.enabled,
            query.recurring_enabled,
            list(&query.product_codes),
            list(&query.country_codes),
            query.purchased.0,
            query.purchased.1,
            query.expires.0,
            query.expires.1,
            query.renewed.0,
            query.renewed.1,
            query.lifetime,
        ];
        let page = params![i64::from(query.limit), i64::try_from(query.offset()).unwrap_or(i64::MAX)];
        self.backend
            .read(move |conn| {
                let filter = filter.clone();
                let mut paged = filter.clone();
                paged.extend(page.iter().cloned());
                Box::pin(async move {
                    let count = conn
                        .one(
                            concat!(
                                "SELECT COUNT(*) AS count FROM tco_subscriptions s",
                                subscription_filter!()
                            ),
                            &filter,
                        )
                        .await?;
                    let rows = conn
                        .query(
                            concat!(
                                with_order!(),
                                subscription_filter!(),
                                " ORDER BY s.purchase_date DESC, s.reference LIMIT $16 OFFSET $17"
                            ),
                            &paged,
                        )
                        .await?;
                    let items = rows.iter().map(record).collect::<Result<Vec<_>, _>>()?;
                    Ok((items, u64::try_from(count.integer("count")?).unwrap_or_default()))
                })
            })
            .await
    }

    async fn update_subscription(
        &self,
        merchant_code: &str,
        reference: &str,
        change: &SubscriptionChange,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let values = params![
            reference,
            merchant_code,
            change.enabled,
            change.recurring_enabled,
            change.expiration_date,
            change.churn.as_deref(),
            now,
        ];
        self.backend
            .write(move |conn| {
                let values = values.clone();
                Box::pin(async move { update(conn, values).await })
            })
            .await
    }

    async fn import_subscription(
        &self,
        merchant_code: &str,
        new: NewSubscriptionImport,
    ) -> StoreResult<Subscription> {
        let merchant_code = merchant_code.to_owned();
        let postgres = !self.backend.is_sqlite();
        self.backend
            .write(move |conn| {
                let (merchant_code, new) = (merchant_code.clone(), new.clone());
                Box::pin(async move { insert_import(conn, &merchant_code, new, postgres).await })
            })
            .await
    }
}

async fn update(conn: &mut dyn Conn, values: Vec<Param>) -> Result<bool, DbError> {
    let row = conn
        .optional(
            "SELECT customer_reference FROM tco_subscriptions WHERE reference = $1 AND merchant_code = $2",
            &values[..2],
        )
        .await?;
    let Some(row) = row else { return Ok(false) };
    let customer = row.integer("customer_reference")?;
    conn.execute(
        "UPDATE tco_subscriptions SET enabled = COALESCE($3, enabled), \
         recurring_enabled = COALESCE($4, recurring_enabled), expiration_date = COALESCE($5, expiration_date), \
         churn = COALESCE($6, churn), modified_at = $7 WHERE reference = $1 AND merchant_code = $2",
        &values,
    )
    .await?;
    let now = values.last().cloned().unwrap_or(Param::Integer(0));
    conn.execute(CUSTOMER_STATUS, &[Param::Integer(customer), now]).await?;
    Ok(true)
}
