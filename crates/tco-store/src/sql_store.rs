//! [`SqlStore`]: the [`Store`] port over an sqlx `Any` pool, one SQL text for both databases.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, SqlSafeStr};
use tco_core::{
    Card, Customer, CustomerFields, CustomerReference, CustomerStatus, SearchQuery, SessionRecord, SsoGrant,
    Store, StoreResult,
};
use tokio::sync::{Mutex, MutexGuard};

use crate::error::store_error;
use crate::location::DatabaseLocation;
use crate::rows::{self, bit, customer_columns, millis};

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot create the directory {path} for the SQLite database: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("cannot open the database {location}: {source}")]
    Open { location: String, source: sqlx::Error },
    #[error("cannot migrate the database {location}: {source}")]
    Migrate { location: String, source: sqlx::migrate::MigrateError },
}

#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
    /// SQLite allows one writer at a time and makes the others sleep and retry; queueing writers
    /// here instead keeps commits back to back (close to the disk's fsync rate) and latency flat.
    writes: Option<Arc<Mutex<()>>>,
}

/// The migrations, embedded in the binary and applied at start (under a lock on
/// PostgreSQL, so instances starting together do not race).
fn migrator() -> Migrator {
    Migrator::with_migrations(vec![Migration::new(
        1,
        Cow::Borrowed("init"),
        MigrationType::Simple,
        include_str!("../migrations/0001_init.sql").into_sql_str(),
        false,
    )])
}

impl SqlStore {
    /// Opens (creating if needed) the database and applies the migrations. `max_connections`
    /// bounds the pool.
    pub async fn connect(location: &DatabaseLocation, max_connections: u32) -> Result<Self, ConnectError> {
        sqlx::any::install_default_drivers();
        let open_error = |source| ConnectError::Open { location: location.to_string(), source };
        let url = match location {
            DatabaseLocation::Postgres(url) => url.clone(),
            DatabaseLocation::Sqlite(path) => sqlite_url(path)?,
        };
        let options: AnyConnectOptions = url.parse().map_err(open_error)?;
        let is_sqlite = location.sqlite_path().is_some();
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            // Long enough to queue behind busy connections, short enough that an outage is
            // answered (SERVICE_UNAVAILABLE) rather than left hanging.
            .acquire_timeout(Duration::from_secs(2))
            // A ping before every use costs a round trip per query. A connection broken by a
            // database restart fails its next query (SERVICE_UNAVAILABLE) and is dropped.
            .test_before_acquire(false)
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if is_sqlite {
                        // FULL makes every commit durable; the busy timeout queues writers
                        // instead of failing them.
                        connection.execute("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(open_error)?;
        if is_sqlite {
            // WAL is a property of the file; set once, before any other use.
            pool.execute("PRAGMA journal_mode = WAL").await.map_err(open_error)?;
        }
        migrator()
            .run(&pool)
            .await
            .map_err(|source| ConnectError::Migrate { location: location.to_string(), source })?;
        Ok(SqlStore { pool, writes: is_sqlite.then(|| Arc::new(Mutex::new(()))) })
    }

    /// Runs a query for at most one row and converts it.
    async fn optional_row<T>(
        &self,
        query: AnyQuery<'_>,
        convert: fn(&AnyRow) -> Result<T, sqlx::Error>,
    ) -> StoreResult<Option<T>> {
        let row = query.fetch_optional(&self.pool).await.map_err(store_error)?;
        row.as_ref().map(convert).transpose().map_err(store_error)
    }

    /// Deletes what expired before `before` with `sql` (`… WHERE expires_at < $1`).
    async fn delete_expired(&self, sql: &'static str, before: DateTime<Utc>) -> StoreResult<u64> {
        let _turn = self.write_turn().await;
        let result = sqlx::query(sql).bind(millis(before)).execute(&self.pool).await.map_err(store_error)?;
        Ok(result.rows_affected())
    }

    /// Holds the SQLite write queue for the duration of a write (nothing on PostgreSQL).
    async fn write_turn(&self) -> Option<MutexGuard<'_, ()>> {
        match &self.writes {
            Some(writes) => Some(writes.lock().await),
            None => None,
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn sqlite_url(path: &Path) -> Result<String, ConnectError> {
    let directory_error = |source| ConnectError::Directory { path: path.display().to_string(), source };
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(directory_error)?;
    let parent = parent.canonicalize().map_err(directory_error)?;
    let file_name = path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default();
    let absolute = parent.join(file_name.as_ref());
    Ok(format!("sqlite://{}?mode=rwc", encode_path(&absolute.to_string_lossy())))
}

/// Percent-encodes the few characters that would end or alter the path part of the URL.
fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' => encoded.push_str("%25"),
            '?' => encoded.push_str("%3F"),
            '#' => encoded.push_str("%23"),
            ' ' => encoded.push_str("%20"),
            _ => encoded.push(c),
        }
    }
    encoded
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds a customer's editable fields as the next 19 parameters, in the order both `INSERT` and
/// `UPDATE` list them (`external_reference` … `credit_currency`).
fn bind_fields<'q>(query: AnyQuery<'q>, fields: &CustomerFields) -> AnyQuery<'q> {
    let credit = fields.credit.as_ref();
    query
        .bind(&fields.external_reference)
        .bind(&fields.first_name)
        .bind(&fields.last_name)
        .bind(&fields.company)
        .bind(&fields.fiscal_code)
        .bind(&fields.address1)
        .bind(&fields.address2)
        .bind(&fields.city)
        .bind(&fields.state)
        .bind(&fields.zip)
        .bind(&fields.country_code)
        .bind(&fields.phone)
        .bind(&fields.fax)
        .bind(&fields.email)
        .bind(fields.email_key())
        .bind(&fields.language)
        .bind(credit.map(|credit| credit.limit))
        .bind(credit.map(|credit| credit.remaining))
        .bind(credit.map(|credit| credit.currency.clone()))
}

/// The `WHERE` clause of a customer search; `$1` is the merchant, `$2`–`$7` the optional
/// filters (NULL = no filter).
macro_rules! search_filter {
    () => {
        " FROM tco_customers WHERE merchant_code = $1 \
         AND ($2 IS NULL OR email_key = $2) \
         AND ($3 IS NULL OR phone = $3) \
         AND ($4 IS NULL OR country_code = $4) \
         AND ($5 IS NULL OR language = $5) \
         AND ($6 IS NULL OR trial = $6) \
         AND ($7 IS NULL OR enabled = $7)"
    };
}

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(store_error)?;
        Ok(())
    }

    async fn insert_session(&self, session: &SessionRecord) -> StoreResult<()> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "INSERT INTO tco_sessions (digest, merchant_code, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&session.digest)
        .bind(&session.merchant_code)
        .bind(millis(session.created_at))
        .bind(millis(session.expires_at))
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn find_session(&self, digest: &str) -> StoreResult<Option<SessionRecord>> {
        let query = sqlx::query(
            "SELECT digest, merchant_code, created_at, expires_at FROM tco_sessions WHERE digest = $1",
        );
        self.optional_row(query.bind(digest), rows::session).await
    }

    async fn purge_sessions(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.delete_expired("DELETE FROM tco_sessions WHERE expires_at < $1", before).await
    }

    async fn insert_customer(
        &self,
        merchant_code: &str,
        fields: &CustomerFields,
        status: CustomerStatus,
        cards: &[Card],
        now: DateTime<Utc>,
    ) -> StoreResult<CustomerReference> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let reference: i64 = sqlx::query_scalar(
            "UPDATE tco_counters SET value = value + 1 WHERE name = 'customer_reference' RETURNING value",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(store_error)?;
        let query = sqlx::query(
            "INSERT INTO tco_customers (reference, merchant_code, external_reference, first_name, \
             last_name, company, fiscal_code, address1, address2, city, state, zip, country_code, phone, \
             fax, email, email_key, language, credit_limit, credit_remaining, credit_currency, enabled, \
             trial, end_user_update, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, 0, $24, $24)",
        )
        .bind(reference)
        .bind(merchant_code);
        bind_fields(query, fields)
            .bind(bit(status.enabled))
            .bind(bit(status.trial))
            .bind(millis(now))
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        for (position, card) in cards.iter().enumerate() {
            sqlx::query(
                "INSERT INTO tco_cards (transient_token, customer_reference, position, card_type, \
                 last_digits, expiration_month, expiration_year, name_on_card) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(card.transient_token.clone().unwrap_or_default())
            .bind(reference)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(&card.card_type)
            .bind(&card.last_digits)
            .bind(&card.expiration_month)
            .bind(&card.expiration_year)
            .bind(&card.name_on_card)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        tx.commit().await.map_err(store_error)?;
        Ok(reference)
    }

    async fn find_customer(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
    ) -> StoreResult<Option<Customer>> {
        let query = sqlx::query(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM tco_customers WHERE merchant_code = $1 AND reference = $2"
        ));
        self.optional_row(query.bind(merchant_code).bind(reference), rows::customer).await
    }

    async fn find_customer_by_external(
        &self,
        merchant_code: &str,
        external_reference: &str,
    ) -> StoreResult<Option<Customer>> {
        let query = sqlx::query(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM tco_customers WHERE merchant_code = $1 AND external_reference = $2"
        ));
        self.optional_row(query.bind(merchant_code).bind(external_reference), rows::customer).await
    }

    async fn update_customer(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
        fields: &CustomerFields,
        end_user_update: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let _turn = self.write_turn().await;
        let query = sqlx::query(
            "UPDATE tco_customers SET external_reference = $3, first_name = $4, last_name = $5, \
             company = $6, fiscal_code = $7, address1 = $8, address2 = $9, city = $10, state = $11, \
             zip = $12, country_code = $13, phone = $14, fax = $15, email = $16, email_key = $17, \
             language = $18, credit_limit = $19, credit_remaining = $20, credit_currency = $21, \
             end_user_update = $22, updated_at = $23 \
             WHERE merchant_code = $1 AND reference = $2",
        )
        .bind(merchant_code)
        .bind(reference);
        let result = bind_fields(query, fields)
            .bind(bit(end_user_update))
            .bind(millis(now))
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(result.rows_affected() > 0)
    }

    async fn search_customers(
        &self,
        merchant_code: &str,
        query: &SearchQuery,
    ) -> StoreResult<(Vec<Customer>, u64)> {
        let trial = query.trial.map(bit);
        let enabled = query.enabled.map(bit);
        let count: i64 = sqlx::query_scalar(concat!("SELECT COUNT(*)", search_filter!()))
            .bind(merchant_code)
            .bind(&query.email_key)
            .bind(&query.phone)
            .bind(&query.country_code)
            .bind(&query.language)
            .bind(trial)
            .bind(enabled)
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        let found = sqlx::query(concat!(
            "SELECT ",
            customer_columns!(),
            search_filter!(),
            " ORDER BY reference LIMIT $8 OFFSET $9"
        ))
        .bind(merchant_code)
        .bind(&query.email_key)
        .bind(&query.phone)
        .bind(&query.country_code)
        .bind(&query.language)
        .bind(trial)
        .bind(enabled)
        .bind(i64::from(query.limit))
        .bind(i64::try_from(query.offset()).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        let items = found.iter().map(rows::customer).collect::<Result<Vec<_>, _>>().map_err(store_error)?;
        Ok((items, u64::try_from(count).unwrap_or_default()))
    }

    async fn cards(&self, merchant_code: &str, reference: CustomerReference) -> StoreResult<Vec<Card>> {
        let found = sqlx::query(
            // The merchant check looks the customer up by its key: a join on merchant_code alone
            // lets PostgreSQL's generic plan scan every customer of the merchant.
            "SELECT transient_token, card_type, last_digits, expiration_month, expiration_year, name_on_card \
             FROM tco_cards WHERE customer_reference = $2 AND EXISTS \
             (SELECT 1 FROM tco_customers WHERE reference = $2 AND merchant_code = $1) ORDER BY position",
        )
        .bind(merchant_code)
        .bind(reference)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        found.iter().map(rows::card).collect::<Result<Vec<_>, _>>().map_err(store_error)
    }

    async fn delete_card(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
        transient_token: &str,
    ) -> StoreResult<bool> {
        let _turn = self.write_turn().await;
        let result = sqlx::query(
            "DELETE FROM tco_cards WHERE transient_token = $1 AND customer_reference = $2 \
             AND EXISTS (SELECT 1 FROM tco_customers WHERE reference = $2 AND merchant_code = $3)",
        )
        .bind(transient_token)
        .bind(reference)
        .bind(merchant_code)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(result.rows_affected() > 0)
    }

    async fn insert_sso_grant(&self, grant: &SsoGrant) -> StoreResult<()> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "INSERT INTO tco_sso_grants (digest, merchant_code, customer_reference, validation_ip, \
             expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&grant.digest)
        .bind(&grant.merchant_code)
        .bind(grant.customer_reference)
        .bind(&grant.validation_ip)
        .bind(millis(grant.expires_at))
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn take_sso_grant(&self, merchant_code: &str, digest: &str) -> StoreResult<Option<SsoGrant>> {
        let _turn = self.write_turn().await;
        let query = sqlx::query(
            "DELETE FROM tco_sso_grants WHERE digest = $1 AND merchant_code = $2 \
             RETURNING digest, merchant_code, customer_reference, validation_ip, expires_at",
        );
        self.optional_row(query.bind(digest).bind(merchant_code), rows::sso_grant).await
    }

    async fn purge_sso_grants(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.delete_expired("DELETE FROM tco_sso_grants WHERE expires_at < $1", before).await
    }
}
