//! Customers, their stored cards and single sign-on grants: the [`CustomerStore`] port.
//!
//! Every lookup goes by a unique key alone — the reference, a card's token, a grant's digest —
//! and compares the merchant afterwards: with the merchant in the same `WHERE`, PostgreSQL may
//! freeze a plan that walks all the merchant's customers by its `(merchant_code, …)` index.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tco_core::{
    Card, Customer, CustomerFields, CustomerReference, CustomerStatus, CustomerStore, SearchQuery, SsoGrant,
    StoreResult,
};

use crate::SqlStore;
use crate::counts::{self, Counted};
use crate::db::{Conn, Counter, DbError, Param, Row, params};
use crate::query::{Query, Search, in_order};
use crate::rows::{self, customer_columns};
use crate::sessions::evict_oldest;

/// A customer search: the filters it has, each an equality its own index serves with the
/// search's order (`reference`) after it; whether it has any (else its count is kept).
pub(crate) fn customer_search(merchant_code: &str, query: &SearchQuery) -> (Search, bool) {
    let mut filter = Query::new("FROM tco_customers WHERE merchant_code = ?", [Param::from(merchant_code)]);
    let equal = [
        ("email_key", query.email_key.clone().map(Param::from)),
        ("phone", query.phone.clone().map(Param::from)),
        ("country_code", query.country_code.clone().map(Param::from)),
        ("language", query.language.clone().map(Param::from)),
        ("trial", query.trial.map(Param::from)),
        ("enabled", query.enabled.map(Param::from)),
    ];
    let mut filtered = false;
    for (column, value) in equal {
        if let Some(value) = value {
            filter.and(&format!("{column} = ?"), [value]);
            filtered = true;
        }
    }
    (Search { filter, order: "reference", key: "reference" }, filtered)
}

pub(crate) const CUSTOMER_BY_REFERENCE: &str =
    concat!("SELECT ", customer_columns!(), " FROM tco_customers WHERE reference = $1");

/// The `(merchant_code, external_reference)` unique index.
pub(crate) const CUSTOMER_BY_EXTERNAL: &str = concat!(
    "SELECT ",
    customer_columns!(),
    " FROM tco_customers WHERE merchant_code = $1 AND external_reference = $2"
);

/// Keeps the merchant's `$2 + 1` grants that expire last.
const EVICT_GRANTS: &str = "DELETE FROM tco_sso_grants WHERE merchant_code = $1 AND expires_at < \
    (SELECT expires_at FROM tco_sso_grants WHERE merchant_code = $1 ORDER BY expires_at DESC LIMIT 1 OFFSET $2) \
    RETURNING digest";

/// A customer's owner, by the primary key.
pub(crate) const CUSTOMER_OWNER: &str =
    "SELECT reference, merchant_code FROM tco_customers WHERE reference = $1";

/// On PostgreSQL, locks the customer and the one holding the external reference it wants.
pub(crate) const LOCK_FOR_UPDATE: &str = "SELECT reference, merchant_code FROM tco_customers WHERE reference = $1 \
    OR (merchant_code = $2 AND external_reference = $3) ORDER BY reference FOR UPDATE";

pub(crate) const UPDATE_CUSTOMER: &str = "UPDATE tco_customers SET external_reference = $2, first_name = $3, \
    last_name = $4, company = $5, fiscal_code = $6, address1 = $7, address2 = $8, city = $9, state = $10, \
    zip = $11, country_code = $12, phone = $13, fax = $14, email = $15, email_key = $16, language = $17, \
    credit_limit = $18, credit_remaining = $19, credit_currency = $20, end_user_update = $21, \
    updated_at = $22 WHERE reference = $1";

/// A customer's cards, each with the customer's merchant.
pub(crate) const CARDS: &str = "SELECT customer.merchant_code, card.transient_token, card.card_type, \
    card.last_digits, card.expiration_month, card.expiration_year, card.name_on_card \
    FROM tco_cards card JOIN tco_customers customer ON customer.reference = card.customer_reference \
    WHERE card.customer_reference = $1 ORDER BY card.position";

pub(crate) const DELETE_CARD: &str =
    "DELETE FROM tco_cards WHERE transient_token = $1 AND customer_reference = $2";

pub(crate) const GRANT_HOLDER: &str = "SELECT merchant_code FROM tco_sso_grants WHERE digest = $1";

pub(crate) const TAKE_GRANT: &str = "DELETE FROM tco_sso_grants WHERE digest = $1 \
    RETURNING digest, merchant_code, customer_reference, validation_ip, expires_at";

/// Whether `rows` (with `reference` and `merchant_code` columns) hold customer `reference` of
/// `merchant_code`.
fn holds(rows: &[Row], reference: i64, merchant_code: &str) -> bool {
    rows.iter().any(|row| {
        row.integer("reference").ok() == Some(reference)
            && row.text("merchant_code").is_ok_and(|owner| owner == merchant_code)
    })
}

/// A new customer's values after its reference: `$2` … `$24` of [`insert_customer`].
pub(crate) fn customer_values(
    merchant_code: &str,
    fields: &CustomerFields,
    status: CustomerStatus,
    now: DateTime<Utc>,
) -> Vec<Param> {
    let mut values = params![merchant_code];
    values.extend(rows::customer_fields(fields));
    values.extend(params![status.enabled, status.trial, now]);
    values
}

/// Inserts a customer with a new reference, which it returns.
/// Inserts a customer of `merchant_code` with `values` (from [`customer_values`]) and counts it.
pub(crate) async fn insert_customer(
    conn: &mut dyn Conn,
    merchant_code: &str,
    values: Vec<Param>,
) -> Result<i64, DbError> {
    let reference = Counter::CustomerReference.next(conn).await?;
    let mut insert = vec![Param::Integer(reference)];
    insert.extend(values);
    conn.execute(
        "INSERT INTO tco_customers (reference, merchant_code, external_reference, first_name, \
         last_name, company, fiscal_code, address1, address2, city, state, zip, country_code, \
         phone, fax, email, email_key, language, credit_limit, credit_remaining, \
         credit_currency, enabled, trial, end_user_update, created_at, updated_at) VALUES ($1, \
         $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
         $21, $22, $23, 0, $24, $24)",
        &insert,
    )
    .await?;
    counts::add(conn, merchant_code, Counted::Customers, &reference.to_string()).await?;
    Ok(reference)
}

/// A card's values after its customer: `$2` … `$8` of [`insert_card`].
pub(crate) fn card_values(position: usize, card: &Card) -> Vec<Param> {
    params![
        card.transient_token.clone().unwrap_or_default(),
        i64::try_from(position).unwrap_or(i64::MAX),
        &card.card_type,
        &card.last_digits,
        &card.expiration_month,
        &card.expiration_year,
        &card.name_on_card,
    ]
}

pub(crate) async fn insert_card(
    conn: &mut dyn Conn,
    customer: i64,
    values: Vec<Param>,
) -> Result<(), DbError> {
    let mut insert = vec![Param::Integer(customer)];
    insert.extend(values);
    conn.execute(
        "INSERT INTO tco_cards (customer_reference, transient_token, position, card_type, last_digits, \
         expiration_month, expiration_year, name_on_card) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &insert,
    )
    .await?;
    Ok(())
}

#[async_trait]
impl CustomerStore for SqlStore {
    async fn insert_customer(
        &self,
        merchant_code: &str,
        fields: &CustomerFields,
        status: CustomerStatus,
        cards: &[Card],
        now: DateTime<Utc>,
    ) -> StoreResult<CustomerReference> {
        let customer = customer_values(merchant_code, fields, status, now);
        let cards: Vec<Vec<Param>> =
            cards.iter().enumerate().map(|(position, card)| card_values(position, card)).collect();
        let merchant_code = merchant_code.to_owned();
        self.backend
            .write(move |conn| {
                let (customer, cards, merchant_code) =
                    (customer.clone(), cards.clone(), merchant_code.clone());
                Box::pin(async move {
                    let reference = insert_customer(conn, &merchant_code, customer).await?;
                    for card in cards {
                        insert_card(conn, reference, card).await?;
                    }
                    Ok(reference)
                })
            })
            .await
    }

    async fn find_customer(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
    ) -> StoreResult<Option<Customer>> {
        let merchant_code = merchant_code.to_owned();
        self.backend
            .read(move |conn| {
                let merchant_code = merchant_code.clone();
                Box::pin(async move {
                    let found = conn.optional(CUSTOMER_BY_REFERENCE, &[Param::Integer(reference)]).await?;
                    match found {
                        Some(row) if row.text("merchant_code")? == merchant_code => {
                            rows::customer(&row).map(Some)
                        }
                        _ => Ok(None),
                    }
                })
            })
            .await
    }

    async fn find_customer_by_external(
        &self,
        merchant_code: &str,
        external_reference: &str,
    ) -> StoreResult<Option<Customer>> {
        let key = params![merchant_code, external_reference];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move {
                    let found = conn.optional(CUSTOMER_BY_EXTERNAL, &key).await?;
                    found.as_ref().map(rows::customer).transpose()
                })
            })
            .await
    }

    async fn update_customer(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
        fields: &CustomerFields,
        end_user_update: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        // On PostgreSQL, the customer and the one holding the external reference it wants are
        // locked in reference order: two updates swapping references then queue instead of
        // deadlocking in the unique index (which PostgreSQL takes a second to detect). SQLite's
        // one writer needs no lock.
        let lock = if self.backend.is_sqlite() { CUSTOMER_OWNER } else { LOCK_FOR_UPDATE };
        let merchant_code = merchant_code.to_owned();
        let mut update = params![reference];
        update.extend(rows::customer_fields(fields));
        update.extend(params![end_user_update, now]);
        self.backend
            .write(move |conn| {
                let (merchant_code, update) = (merchant_code.clone(), update.clone());
                let lock_keys = [Param::Integer(reference), Param::from(&merchant_code), update[1].clone()];
                Box::pin(async move {
                    let locked = conn.query(lock, &lock_keys).await?;
                    if !holds(&locked, reference, &merchant_code) {
                        return Ok(false);
                    }
                    let changed = conn.execute(UPDATE_CUSTOMER, &update).await?;
                    Ok(changed > 0)
                })
            })
            .await
    }

    async fn search_customers(
        &self,
        merchant_code: &str,
        query: &SearchQuery,
    ) -> StoreResult<(Vec<Customer>, u64)> {
        let (search, filtered) = customer_search(merchant_code, query);
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
                        false => counts::count(conn, &merchant_code, Counted::Customers).await?,
                    };
                    let keys: Vec<Param> = conn
                        .query(keys_sql, &keys_params)
                        .await?
                        .iter()
                        .map(|row| row.integer("reference").map(Param::Integer))
                        .collect::<Result<_, _>>()?;
                    if keys.is_empty() {
                        return Ok((Vec::new(), count));
                    }
                    let (rows_sql, rows_params) =
                        search.rows(concat!("SELECT ", customer_columns!(), " FROM tco_customers"), &keys);
                    let found = conn.query(rows_sql, &rows_params).await?;
                    let items = found.iter().map(rows::customer).collect::<Result<Vec<_>, _>>()?;
                    Ok((in_order(&keys, items, |customer| Param::Integer(customer.reference)), count))
                })
            })
            .await
    }

    async fn cards(&self, merchant_code: &str, reference: CustomerReference) -> StoreResult<Vec<Card>> {
        let merchant_code = merchant_code.to_owned();
        self.backend
            .read(move |conn| {
                let merchant_code = merchant_code.clone();
                Box::pin(async move {
                    let found = conn.query(CARDS, &[Param::Integer(reference)]).await?;
                    let mut cards = Vec::with_capacity(found.len());
                    for row in &found {
                        if row.text("merchant_code")? != merchant_code {
                            return Ok(Vec::new());
                        }
                        cards.push(rows::card(row)?);
                    }
                    Ok(cards)
                })
            })
            .await
    }

    async fn delete_card(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
        transient_token: &str,
    ) -> StoreResult<bool> {
        let merchant_code = merchant_code.to_owned();
        let token = Param::from(transient_token);
        self.backend
            .write(move |conn| {
                let (merchant_code, token) = (merchant_code.clone(), token.clone());
                Box::pin(async move {
                    let owner = conn.query(CUSTOMER_OWNER, &[Param::Integer(reference)]).await?;
                    if !holds(&owner, reference, &merchant_code) {
                        return Ok(false);
                    }
                    let deleted = conn.execute(DELETE_CARD, &[token, Param::Integer(reference)]).await?;
                    Ok(deleted > 0)
                })
            })
            .await
    }

    async fn insert_sso_grant(&self, grant: &SsoGrant, keep: u32) -> StoreResult<()> {
        let insert = params![
            &grant.digest,
            &grant.merchant_code,
            grant.customer_reference,
            &grant.validation_ip,
            grant.expires_at,
        ];
        let digest = grant.digest.clone();
        self.backend
            .write(move |conn| {
                let (insert, digest) = (insert.clone(), digest.clone());
                Box::pin(async move {
                    conn.execute(
                        "INSERT INTO tco_sso_grants (digest, merchant_code, customer_reference, \
                         validation_ip, expires_at) VALUES ($1, $2, $3, $4, $5)",
                        &insert,
                    )
                    .await?;
                    evict_oldest(conn, EVICT_GRANTS, insert[1].clone(), keep, &digest).await?;
                    Ok(())
                })
            })
            .await
    }

    async fn take_sso_grant(&self, merchant_code: &str, digest: &str) -> StoreResult<Option<SsoGrant>> {
        let merchant_code = merchant_code.to_owned();
        let digest = Param::from(digest);
        self.backend
            .write(move |conn| {
                let (merchant_code, digest) = (merchant_code.clone(), [digest.clone()]);
                Box::pin(async move {
                    // The DELETE hands the grant to one request only; the merchant is compared
                    // first, so another merchant's request leaves it in place.
                    let holder = conn.optional(GRANT_HOLDER, &digest).await?;
                    match holder {
                        Some(row) if row.text("merchant_code")? == merchant_code => {}
                        _ => return Ok(None),
                    }
                    let taken = conn.optional(TAKE_GRANT, &digest).await?;
                    taken.as_ref().map(rows::sso_grant).transpose()
                })
            })
            .await
    }

    async fn purge_sso_grants(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.delete_expired("DELETE FROM tco_sso_grants WHERE expires_at < $1", before).await
    }
}
