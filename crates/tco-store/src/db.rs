//! What the families' SQL runs on, whatever the database: [`Param`]s in, [`Row`]s out, through a
//! [`Conn`] — a SQLite connection called inline, or a PostgreSQL one — inside a read or a write
//! transaction the [`Backend`] opens. One SQL text serves both databases (`$1`-style parameters,
//! portable types: integers, doubles, text; booleans as 0/1, times as epoch milliseconds).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use async_trait::async_trait;
use tco_core::{StoreError, StoreResult};

use crate::postgres::{Postgres, PostgresTransaction};
use crate::sqlite::{Sqlite, SqliteTransaction};

/// A parameter or a column value. A null keeps its type: PostgreSQL needs one for a parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Null(Kind),
    Integer(i64),
    Real(f64),
    Text(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Integer,
    Real,
    Text,
}

/// For the SQLite read cache's keys (a real by its bits).
impl std::hash::Hash for Param {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Param::Null(_) => 0u8.hash(state),
            Param::Integer(value) => (1u8, value).hash(state),
            Param::Real(value) => (2u8, value.to_bits()).hash(state),
            Param::Text(text) => (3u8, text).hash(state),
        }
    }
}

impl Param {
    /// The value as an SQL literal (for `EXECUTE` in plan tests; never for a request's values).
    pub(crate) fn literal(&self) -> String {
        match self {
            Param::Null(_) => "NULL".into(),
            Param::Integer(value) => value.to_string(),
            Param::Real(value) => value.to_string(),
            Param::Text(text) => format!("'{}'", text.replace('\'', "''")),
        }
    }

    pub(crate) fn size(&self) -> usize {
        match self {
            Param::Text(text) => 24 + text.len(),
            _ => 24,
        }
    }
}

impl From<i64> for Param {
    fn from(value: i64) -> Self {
        Param::Integer(value)
    }
}

impl From<bool> for Param {
    fn from(value: bool) -> Self {
        Param::Integer(i64::from(value))
    }
}

impl From<f64> for Param {
    fn from(value: f64) -> Self {
        Param::Real(value)
    }
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Param::Text(value.to_owned())
    }
}

impl From<String> for Param {
    fn from(value: String) -> Self {
        Param::Text(value)
    }
}

impl From<&String> for Param {
    fn from(value: &String) -> Self {
        Param::Text(value.clone())
    }
}

impl From<&Option<String>> for Param {
    fn from(value: &Option<String>) -> Self {
        value.as_deref().into()
    }
}

/// `Option`s as typed nulls.
macro_rules! nullable {
    ($($type:ty => $kind:ident),*) => {$(
        impl From<Option<$type>> for Param {
            fn from(value: Option<$type>) -> Self {
                value.map_or(Param::Null(Kind::$kind), Into::into)
            }
        }
    )*};
}

nullable!(
    i64 => Integer,
    bool => Integer,
    f64 => Real,
    String => Text,
    &String => Text,
    &str => Text,
    chrono::DateTime<chrono::Utc> => Integer
);

impl From<chrono::DateTime<chrono::Utc>> for Param {
    fn from(time: chrono::DateTime<chrono::Utc>) -> Self {
        Param::Integer(time.timestamp_millis())
    }
}

/// `[p1, p2, …]` as parameters.
macro_rules! params {
    ($($value:expr),* $(,)?) => { vec![$($crate::db::Param::from($value)),*] };
}
pub(crate) use params;

/// One row of a result, its columns by name.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) columns: Arc<[String]>,
    /// Shared, so that a cached row is handed out without copying it.
    pub(crate) values: Arc<[Param]>,
}

impl Row {
    fn value(&self, column: &str) -> Result<&Param, DbError> {
        self.columns
            .iter()
            .position(|name| name == column)
            .and_then(|index| self.values.get(index))
            .ok_or_else(|| DbError::Decode(format!("no column {column}")))
    }

    pub(crate) fn integer(&self, column: &str) -> Result<i64, DbError> {
        self.optional_integer(column)?.ok_or_else(|| DbError::Decode(format!("{column} is null")))
    }

    pub(crate) fn optional_integer(&self, column: &str) -> Result<Option<i64>, DbError> {
        match self.value(column)? {
            Param::Null(_) => Ok(None),
            Param::Integer(value) => Ok(Some(*value)),
            other => Err(DbError::Decode(format!("{column} is not an integer: {other:?}"))),
        }
    }

    pub(crate) fn flag(&self, column: &str) -> Result<bool, DbError> {
        Ok(self.integer(column)? != 0)
    }

    pub(crate) fn optional_real(&self, column: &str) -> Result<Option<f64>, DbError> {
        match self.value(column)? {
            Param::Null(_) => Ok(None),
            Param::Real(value) => Ok(Some(*value)),
            Param::Integer(value) => Ok(Some(*value as f64)),
            other => Err(DbError::Decode(format!("{column} is not a number: {other:?}"))),
        }
    }

    pub(crate) fn text(&self, column: &str) -> Result<String, DbError> {
        self.optional_text(column)?.ok_or_else(|| DbError::Decode(format!("{column} is null")))
    }

    pub(crate) fn optional_text(&self, column: &str) -> Result<Option<String>, DbError> {
        match self.value(column)? {
            Param::Null(_) => Ok(None),
            Param::Text(text) => Ok(Some(text.clone())),
            other => Err(DbError::Decode(format!("{column} is not text: {other:?}"))),
        }
    }

    pub(crate) fn time(&self, column: &str) -> Result<chrono::DateTime<chrono::Utc>, DbError> {
        let millis = self.integer(column)?;
        chrono::DateTime::from_timestamp_millis(millis)
            .ok_or_else(|| DbError::Decode(format!("{column}: {millis} ms is out of range")))
    }
}

/// A failed statement, with what it means for the request.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DbError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] sqlx::Error),
    /// A row did not hold what the code expects.
    #[error("unexpected row: {0}")]
    Decode(String),
    /// The store refuses the write (the disk is full, the writer is gone).
    #[error("{0}")]
    Store(StoreError),
}

impl DbError {
    pub(crate) fn into_store(self) -> StoreError {
        match self {
            DbError::Sqlite(error) => crate::error::sqlite_error(&error),
            DbError::Postgres(error) => crate::error::postgres_error(&error),
            DbError::Decode(detail) => StoreError::Failure(detail),
            DbError::Store(error) => error,
        }
    }
}

/// The store's numbering.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Counter {
    CustomerReference,
    ProductId,
    OrderRefNo,
    NotificationId,
}

impl Counter {
    /// The next number. PostgreSQL takes it from a sequence (`0005_sequences.postgres.sql` says
    /// why), SQLite from a counter row.
    pub(crate) async fn next(self, conn: &mut dyn Conn) -> Result<i64, DbError> {
        let sql = match (conn.is_postgres(), self) {
            (true, Counter::CustomerReference) => "SELECT nextval('tco_customer_reference') AS value",
            (true, Counter::ProductId) => "SELECT nextval('tco_product_id') AS value",
            (true, Counter::OrderRefNo) => "SELECT nextval('tco_order_ref_no') AS value",
            (true, Counter::NotificationId) => "SELECT nextval('tco_notification_id') AS value",
            (false, Counter::CustomerReference) => {
                "UPDATE tco_counters SET value = value + 1 WHERE name = 'customer_reference' RETURNING value"
            }
            (false, Counter::ProductId) => {
                "UPDATE tco_counters SET value = value + 1 WHERE name = 'product_id' RETURNING value"
            }
            (false, Counter::OrderRefNo) => {
                "UPDATE tco_counters SET value = value + 1 WHERE name = 'order_ref_no' RETURNING value"
            }
            (false, Counter::NotificationId) => {
                "UPDATE tco_counters SET value = value + 1 WHERE name = 'notification_id' RETURNING value"
            }
        };
        conn.one(sql, &[]).await?.integer("value")
    }

    /// Reserves `many` numbers at once and answers the first (for generated data: nothing else
    /// may number meanwhile).
    pub(crate) async fn reserve(self, conn: &mut dyn Conn, many: u64) -> Result<i64, DbError> {
        let many = i64::try_from(many).unwrap_or(i64::MAX);
        let sql = match (conn.is_postgres(), self) {
            (true, Counter::CustomerReference) => {
                "SELECT setval('tco_customer_reference', nextval('tco_customer_reference') + $1 - 1) AS value"
            }
            (true, Counter::ProductId) => {
                "SELECT setval('tco_product_id', nextval('tco_product_id') + $1 - 1) AS value"
            }
            (true, Counter::OrderRefNo) => {
                "SELECT setval('tco_order_ref_no', nextval('tco_order_ref_no') + $1 - 1) AS value"
            }
            (true, Counter::NotificationId) => {
                "SELECT setval('tco_notification_id', nextval('tco_notification_id') + $1 - 1) AS value"
            }
            (false, Counter::CustomerReference) => {
                "UPDATE tco_counters SET value = value + $1 WHERE name = 'customer_reference' RETURNING value"
            }
            (false, Counter::ProductId) => {
                "UPDATE tco_counters SET value = value + $1 WHERE name = 'product_id' RETURNING value"
            }
            (false, Counter::OrderRefNo) => {
                "UPDATE tco_counters SET value = value + $1 WHERE name = 'order_ref_no' RETURNING value"
            }
            (false, Counter::NotificationId) => {
                "UPDATE tco_counters SET value = value + $1 WHERE name = 'notification_id' RETURNING value"
            }
        };
        let last = conn.one(sql, &[Param::Integer(many)]).await?.integer("value")?;
        Ok(last.saturating_sub(many).saturating_add(1))
    }
}

/// A connection inside a read or a write transaction.
#[async_trait]
pub(crate) trait Conn: Send {
    fn is_postgres(&self) -> bool;

    async fn query(&mut self, sql: &'static str, params: &[Param]) -> Result<Vec<Row>, DbError>;
    async fn execute(&mut self, sql: &'static str, params: &[Param]) -> Result<u64, DbError>;

    async fn optional(&mut self, sql: &'static str, params: &[Param]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    async fn one(&mut self, sql: &'static str, params: &[Param]) -> Result<Row, DbError> {
        self.optional(sql, params).await?.ok_or_else(|| DbError::Decode("no row".into()))
    }
}

pub(crate) type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = Result<T, DbError>> + Send + 'c>>;

/// Work on a connection. `Fn`, not `FnOnce`: PostgreSQL runs it again after a lost deadlock or a
/// broken connection. (The [`Backend`]'s methods spell the bound out, so that closures passed to
/// them get their signature from it.)
pub(crate) trait Work<T>:
    for<'c> Fn(&'c mut dyn Conn) -> BoxFuture<'c, T> + Send + Sync + 'static
{
}

impl<T, F> Work<T> for F where F: for<'c> Fn(&'c mut dyn Conn) -> BoxFuture<'c, T> + Send + Sync + 'static {}

/// The database behind the store, and how many of its requests failed (for the metrics).
#[derive(Debug)]
pub(crate) struct Backend {
    pub(crate) engine: Engine,
    errors: AtomicU64,
}

#[derive(Debug)]
pub(crate) enum Engine {
    Sqlite(Sqlite),
    Postgres(Box<Postgres>),
    /// Inside a transaction of many steps: reads and writes alike run in it.
    SqliteTransaction(SqliteTransaction),
    PostgresTransaction(PostgresTransaction),
}

impl Backend {
    pub(crate) fn new(engine: Engine) -> Self {
        Backend { engine, errors: AtomicU64::new(0) }
    }

    /// Requests that failed since the start, whatever the reason.
    pub(crate) fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }

    fn counted<T>(&self, result: StoreResult<T>) -> StoreResult<T> {
        if result.is_err() {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    /// Runs `work` as a read: on SQLite inline on a read connection (and its cache), on PostgreSQL
    /// on a pooled connection.
    pub(crate) async fn read<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> Fn(&'c mut dyn Conn) -> BoxFuture<'c, T> + Send + Sync + 'static,
    {
        let result = match &self.engine {
            Engine::Sqlite(sqlite) => sqlite.read(&work),
            Engine::Postgres(postgres) => postgres.read(&work).await,
            Engine::SqliteTransaction(transaction) => transaction.run(work).await,
            Engine::PostgresTransaction(transaction) => transaction.run(&work).await,
        };
        self.counted(result)
    }

    /// Runs `work` in a write transaction; it returns once that transaction is committed.
    pub(crate) async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> Fn(&'c mut dyn Conn) -> BoxFuture<'c, T> + Send + Sync + 'static,
    {
        let result = match &self.engine {
            Engine::Sqlite(sqlite) => sqlite.write(work).await,
            Engine::Postgres(postgres) => postgres.write(&work).await,
            Engine::SqliteTransaction(transaction) => transaction.run(work).await,
            Engine::PostgresTransaction(transaction) => transaction.run(&work).await,
        };
        self.counted(result)
    }

    /// Runs one query as a read; each row it answers, mapped.
    pub(crate) async fn rows<T>(
        &self,
        sql: &'static str,
        values: Vec<Param>,
        map: fn(&Row) -> Result<T, DbError>,
    ) -> StoreResult<Vec<T>>
    where
        T: Send + 'static,
    {
        self.read(move |conn| {
            let values = values.clone();
            Box::pin(async move { conn.query(sql, &values).await?.iter().map(map).collect() })
        })
        .await
    }

    /// Runs one statement in a write transaction; the rows it changed.
    pub(crate) async fn execute(&self, sql: &'static str, values: Vec<Param>) -> StoreResult<u64> {
        self.write(move |conn| {
            let values = values.clone();
            Box::pin(async move { conn.execute(sql, &values).await })
        })
        .await
    }

    pub(crate) fn is_sqlite(&self) -> bool {
        matches!(self.engine, Engine::Sqlite(_) | Engine::SqliteTransaction(_))
    }
}

/// The value of a future that never waits: SQLite's [`Conn`] does its work synchronously, so the
/// families' code, written once as async for both databases, completes in one poll there.
pub(crate) fn completed<T>(future: BoxFuture<'_, T>) -> Result<T, DbError> {
    let mut future = future;
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(result) => result,
        Poll::Pending => Err(DbError::Decode("SQLite work waited for something".into())),
    }
}
