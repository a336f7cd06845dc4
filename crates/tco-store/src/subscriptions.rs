//! Subscriptions: the [`SubscriptionStore`] port. A subscription is read with the order that
//! created it (one join), or with what its import carries; searches are built from the filters
//! given ([`subscription_search`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tco_core::{
    NewSubscriptionImport, Origin, StoreResult, Subscription, SubscriptionChange, SubscriptionQuery,
    SubscriptionRecord, SubscriptionStore,
};

use crate::SqlStore;
use crate::counts::{self, Counted};
use crate::db::{Conn, DbError, Param, Row, params};
use crate::imports::{import, insert_import};
use crate::orders::{CUSTOMER_STATUS, order, subscription, subscription_columns};
use crate::query::{Query, Search, in_order};

macro_rules! with_order {
    () => {
        concat!(
            "SELECT ",
            subscription_columns!(),
            ", o.ref_no, o.merchant_code, o.external_reference, o.status, o.approve_status, o.placed_at, \
             o.complete_at, o.document, o.adjustments, s.import_document \
             FROM tco_subscriptions s LEFT JOIN tco_orders o ON o.ref_no = s.order_ref_no"
        )
    };
}

const BY_REFERENCE: &str = concat!(with_order!(), " WHERE s.reference = $1 AND s.merchant_code = $2");

/// A subscription search: the filters it has — equalities its own index serves with the order
/// (`purchase_date DESC, reference`) after it; ranges on the expiration and the renewal by their
/// index, then sorted — and whether it has any (else its count is kept). A partial e-mail
/// (`ExactMatchEmail` false) can only be looked for in each of the merchant's subscriptions.
pub(crate) fn subscription_search(merchant_code: &str, query: &SubscriptionQuery) -> (Search, bool) {
    let mut filter =
        Query::new("FROM tco_subscriptions s WHERE s.merchant_code = ?", [Param::from(merchant_code)]);
    let mut filtered = false;
    let mut and = |condition: &str, values: Vec<Param>| {
        filter.and(condition, values);
        filtered = true;
    };
    match (&query.email, query.exact_email) {
        (Some(email), true) => and("s.email = ?", params![email]),
        (Some(email), false) => and("instr(s.email, ?) > 0", params![email]),
        (None, _) => {}
    }
    if let Some(customer) = query.customer_reference {
        and("s.customer_reference = ?", params![customer]);
    }
    if let Some(enabled) = query.enabled {
        and("s.enabled = ?", params![enabled]);
    }
    if let Some(recurring) = query.recurring_enabled {
        and("s.recurring_enabled = ?", params![recurring]);
    }
    for (column, values) in
        [("s.product_code", &query.product_codes), ("s.country_code", &query.country_codes)]
    {
        if !values.is_empty() {
            let marks = vec!["?"; values.len()].join(", ");
            and(&format!("{column} IN ({marks})"), values.iter().map(Param::from).collect());
        }
    }
    let ranges = [
        ("s.purchase_date", query.purchased),
        ("s.expiration_date", query.expires),
        ("s.renewed_at", query.renewed),
    ];
    for (column, (from, to)) in ranges {
        if let Some(from) = from {
            and(&format!("{column} >= ?"), params![from]);
        }
        if let Some(to) = to {
            and(&format!("{column} <= ?"), params![to]);
        }
    }
    match query.lifetime {
        Some(true) => and("s.expiration_date IS NULL", Vec::new()),
        Some(false) => and("s.expiration_date IS NOT NULL", Vec::new()),
        None => {}
    }
    (Search { filter, order: "s.purchase_date DESC, s.reference", key: "s.reference" }, filtered)
}

fn record(row: &Row) -> Result<SubscriptionRecord, DbError> {
    let origin = match row.optional_text("import_document")? {
        Some(document) => Origin::Import(Box::new(import(&document)?)),
        None => Origin::Order(Box::new(order(row)?)),
    };
    Ok(SubscriptionRecord { subscription: subscription(row)?, origin })
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
        let (search, filtered) = subscription_search(merchant_code, query);
        let (count_sql, count_params) = search.count();
        let (keys_sql, keys_params) = search.keys(query.limit, query.offset());
        let merchant_code = merchant_code.to_owned();
        self.backend
            .read(move |conn| {
                let (search, merchant_code) = (search.clone(), merchant_code.clone());
                let (count_params, keys_params) = (count_params.clone(), keys_params.clone());
                Box::pin(async move {
                    let count = match filtered {
                        true => u64::try_from(conn.one(count_sql, &count_params).await?.integer("count")?)
                            .unwrap_or_default(),
                        false => counts::count(conn, &merchant_code, Counted::Subscriptions).await?,
                    };
                    let keys: Vec<Param> = conn
                        .query(keys_sql, &keys_params)
                        .await?
                        .iter()
                        .map(|row| row.text("reference").map(Param::Text))
                        .collect::<Result<_, _>>()?;
                    if keys.is_empty() {
                        return Ok((Vec::new(), count));
                    }
                    let (rows_sql, rows_params) = search.rows(with_order!(), &keys);
                    let rows = conn.query(rows_sql, &rows_params).await?;
                    let items = rows.iter().map(record).collect::<Result<Vec<_>, _>>()?;
                    let key =
                        |record: &SubscriptionRecord| Param::Text(record.subscription.reference.clone());
                    Ok((in_order(&keys, items, key), count))
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
        let end_user = match &change.end_user {
            Some(end_user) => Some(
                serde_json::to_string(&crate::orders::AddressDocument::from(end_user))
                    .map_err(|error| DbError::Decode(error.to_string()).into_store())?,
            ),
            None => None,
        };
        let values = params![
            reference,
            merchant_code,
            change.enabled,
            change.recurring_enabled,
            change.expiration_date,
            change.churn.as_deref(),
            now,
            change.customer,
            end_user,
            change.end_user.as_ref().map(|end_user| end_user.email.to_lowercase()),
            change.end_user.as_ref().map(|end_user| end_user.country_code.clone()),
        ];
        let (merchant_code, reference, events) =
            (merchant_code.to_owned(), reference.to_owned(), change.events.clone());
        self.backend
            .write(move |conn| {
                let (values, merchant_code, reference, events) =
                    (values.clone(), merchant_code.clone(), reference.clone(), events.clone());
                Box::pin(async move {
                    let updated = update(conn, values).await?;
                    if updated {
                        crate::notifications::insert_events(conn, &merchant_code, &events, &reference)
                            .await?;
                    }
                    Ok(updated)
                })
            })
            .await
    }

    async fn renewals(
        &self,
        merchant_code: &str,
        reference: &str,
    ) -> StoreResult<Vec<tco_core::RenewalRecord>> {
        crate::subscription_details::renewals(self, merchant_code, reference).await
    }

    async fn subscription_fields(
        &self,
        merchant_code: &str,
        reference: &str,
    ) -> StoreResult<Vec<(String, String)>> {
        crate::subscription_details::subscription_fields(self, merchant_code, reference).await
    }

    async fn write_subscription_field(
        &self,
        merchant_code: &str,
        reference: &str,
        field: (&str, &str),
        write: tco_core::FieldWrite,
        max: usize,
    ) -> StoreResult<Result<(), tco_core::FieldRefusal>> {
        crate::subscription_details::write_field(self, merchant_code, reference, field, write, max).await
    }

    async fn delete_subscription_field(
        &self,
        merchant_code: &str,
        reference: &str,
        name: &str,
    ) -> StoreResult<bool> {
        crate::subscription_details::delete_field(self, merchant_code, reference, name).await
    }

    async fn refresh_customer_status(&self, customer_reference: i64, now: DateTime<Utc>) -> StoreResult<()> {
        self.backend
            .execute(CUSTOMER_STATUS, vec![Param::Integer(customer_reference), Param::from(now)])
            .await
            .map(drop)
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
         churn = COALESCE($6, churn), modified_at = $7, customer_reference = COALESCE($8, customer_reference), \
         end_user = COALESCE($9, end_user), email = COALESCE($10, email), country_code = COALESCE($11, country_code) \
         WHERE reference = $1 AND merchant_code = $2",
        &values,
    )
    .await?;
    let now = values.get(6).cloned().unwrap_or(Param::Integer(0));
    conn.execute(CUSTOMER_STATUS, &[Param::Integer(customer), now.clone()]).await?;
    // Moved to another customer: that one's status follows too.
    if let Some(Param::Integer(moved_to)) = values.get(7).filter(|moved| **moved != Param::Integer(customer))
    {
        conn.execute(CUSTOMER_STATUS, &[Param::Integer(*moved_to), now]).await?;
    }
    Ok(true)
}
