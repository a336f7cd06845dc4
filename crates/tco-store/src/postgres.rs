//! PostgreSQL, for shared sandboxes: several gateway instances on one database, so nothing is
//! cached here and every rule (uniqueness, single use) is the database's.
//!
//! - Connections come from [`Pool`]: a request that found its connection broken (a database
//!   restart) runs once more on a fresh one (nothing it sent was committed).
//! - A write that PostgreSQL rolled back as a deadlock victim runs again a few times.
//! - Lookups go by a unique column alone and check the merchant after, so that the plan each
//!   connection freezes after five executions uses the unique index at every table size; and
//!   [`Postgres::analyze`] keeps the planner's statistics current where autovacuum is slow or off.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{Column, Executor, PgConnection, Row as _, TypeInfo};
use tco_core::StoreResult;

use crate::db::{Conn, DbError, Kind, Param, Row, Work};
use crate::error::{Failure, classify, postgres_error};
use crate::pgpool::Pool;

/// How often a transaction PostgreSQL rolled back as a deadlock victim (or for a serialization
/// conflict) is run in all, before the caller is told to retry.
const CONFLICT_ATTEMPTS: u32 = 6;

/// The tables the gateway writes.
const ANALYZE: &str = "ANALYZE tco_customers, tco_cards, tco_sessions, tco_sso_grants";

#[derive(Debug)]
pub(crate) struct Postgres {
    pool: Arc<Pool>,
    /// Writes committed, and how many there were at the last `ANALYZE`.
    writes: AtomicU64,
    analyzed_at: AtomicU64,
}

impl Postgres {
    pub(crate) async fn connect(url: &str, max_connections: u32) -> Result<Postgres, sqlx::Error> {
        let pool = Arc::new(Pool::new(url, max_connections)?);
        let mut connection = pool.acquire().await?;
        crate::migrate::postgres(&mut connection).await?;
        connection.end(true);
        drop(connection);
        Ok(Postgres { pool, writes: AtomicU64::new(0), analyzed_at: AtomicU64::new(0) })
    }

    pub(crate) fn usage(&self) -> (usize, usize) {
        self.pool.usage()
    }

    pub(crate) fn connections_opened(&self) -> u64 {
        self.pool.opened_total()
    }

    /// Runs a read; one that found its connection broken runs once more on a fresh one.
    pub(crate) async fn read<T>(&self, work: &impl Work<T>) -> StoreResult<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = async {
                let mut connection = self.pool.acquire().await?;
                let result = work(&mut PgConn(&mut connection)).await;
                connection.end(!broke(&result));
                result
            }
            .await;
            match result {
                Err(DbError::Postgres(error)) if classify(&error) == Failure::Broken => {
                    self.pool.mark_broken();
                    if attempt > 1 {
                        return Err(postgres_error(&error));
                    }
                }
                result => return result.map_err(DbError::into_store),
            }
        }
    }

    /// Runs `work` in a transaction and commits it. A run that found its connection broken runs
    /// once more on a fresh connection, one that lost a deadlock a few more times; a failure
    /// while committing is not retried, since the commit may have taken effect.
    pub(crate) async fn write<T>(&self, work: &impl Work<T>) -> StoreResult<T> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let (error, committing) = match self.transaction(work).await {
                Ok(value) => {
                    self.writes.fetch_add(1, Ordering::Relaxed);
                    return Ok(value);
                }
                Err(Ended::Before(DbError::Postgres(error))) => (error, false),
                Err(Ended::Committing(error)) => (error, true),
                Err(Ended::Before(error)) => return Err(error.into_store()),
            };
            match classify(&error) {
                Failure::Broken => {
                    self.pool.mark_broken();
                    if attempt > 1 || committing {
                        return Err(postgres_error(&error));
                    }
                }
                Failure::Conflict if attempt < CONFLICT_ATTEMPTS => {
                    // A short, growing pause with some spread, so the contenders do not meet again.
                    let pause = u64::from(attempt) * 2_000 + self.pool.jitter();
                    tokio::time::sleep(Duration::from_micros(pause)).await;
                }
                _ => return Err(postgres_error(&error)),
            }
        }
    }

    /// One run of a write transaction. The connection goes back to the pool only if the
    /// transaction ended (committed or rolled back): a request cancelled half-way closes it.
    async fn transaction<T>(&self, work: &impl Work<T>) -> Result<T, Ended> {
        let mut connection = self.pool.acquire().await.map_err(|error| Ended::Before(error.into()))?;
        connection.execute("BEGIN").await.map_err(|error| Ended::Before(error.into()))?;
        match work(&mut PgConn(&mut connection)).await {
            Ok(value) => match connection.execute("COMMIT").await {
                Ok(_) => {
                    connection.end(true);
                    Ok(value)
                }
                Err(error) => {
                    connection.end(false);
                    Err(Ended::Committing(error))
                }
            },
            Err(error) => {
                let rolled_back = connection.execute("ROLLBACK").await.is_ok();
                connection.end(rolled_back);
                Err(Ended::Before(error))
            }
        }
    }

    /// Updates the planner's statistics of the gateway's tables when `min_writes` were written
    /// since the last time (always on the first call), so that estimates follow the data even
    /// where autovacuum is slow or off.
    pub(crate) async fn analyze(&self, min_writes: u64) -> StoreResult<bool> {
        let writes = self.writes.load(Ordering::Relaxed);
        let last = self.analyzed_at.load(Ordering::Relaxed);
        if last != 0 && writes.saturating_sub(last) < min_writes {
            return Ok(false);
        }
        let mut connection = self.pool.acquire().await.map_err(|error| postgres_error(&error))?;
        connection.execute(ANALYZE).await.map_err(|error| postgres_error(&error))?;
        connection.end(true);
        self.analyzed_at.store(writes.max(1), Ordering::Relaxed);
        Ok(true)
    }

    pub(crate) fn close(&self) {
        self.pool.close();
    }

    /// Begins a transaction of many steps on a connection of its own.
    pub(crate) async fn begin(&self) -> StoreResult<PostgresTransaction> {
        let mut connection = self.pool.connect_alone().await.map_err(|error| postgres_error(&error))?;
        connection.execute("BEGIN").await.map_err(|error| postgres_error(&error))?;
        Ok(PostgresTransaction { connection: tokio::sync::Mutex::new(Some(connection)) })
    }
}

/// A transaction run step by step on its own connection; dropped before
/// [`PostgresTransaction::commit`], its connection closes and PostgreSQL rolls it back.
#[derive(Debug)]
pub(crate) struct PostgresTransaction {
    connection: tokio::sync::Mutex<Option<PgConnection>>,
}

impl PostgresTransaction {
    /// Runs `work` inside the transaction under a savepoint: a failed step changes nothing and
    /// leaves the transaction usable (PostgreSQL would otherwise refuse every later statement).
    pub(crate) async fn run<T>(&self, work: &impl Work<T>) -> StoreResult<T> {
        let mut guard = self.connection.lock().await;
        let connection = guard.as_mut().ok_or_else(ended)?;
        connection.execute("SAVEPOINT step").await.map_err(|error| postgres_error(&error))?;
        let result = work(&mut PgConn(connection)).await;
        let end = if result.is_ok() { "RELEASE SAVEPOINT step" } else { "ROLLBACK TO SAVEPOINT step" };
        connection.execute(end).await.map_err(|error| postgres_error(&error))?;
        result.map_err(DbError::into_store)
    }

    pub(crate) async fn commit(&self) -> StoreResult<()> {
        let mut connection = self.connection.lock().await.take().ok_or_else(ended)?;
        connection.execute("COMMIT").await.map_err(|error| postgres_error(&error))?;
        let _ = sqlx::Connection::close(connection).await;
        Ok(())
    }
}

fn ended() -> tco_core::StoreError {
    tco_core::StoreError::Failure("the transaction has ended".into())
}

/// Whether a result says the connection is broken.
fn broke<T>(result: &Result<T, DbError>) -> bool {
    matches!(result, Err(DbError::Postgres(error)) if classify(error) == Failure::Broken)
}

/// How a write transaction failed.
enum Ended {
    /// Before COMMIT was sent: nothing took effect.
    Before(DbError),
    /// While committing: it may or may not have taken effect.
    Committing(sqlx::Error),
}

struct PgConn<'a>(&'a mut PgConnection);

fn query<'q>(
    sql: &'static str,
    params: &'q [Param],
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    let mut query = sqlx::query(sql);
    for param in params {
        query = match param {
            Param::Null(Kind::Integer) => query.bind(None::<i64>),
            Param::Null(Kind::Real) => query.bind(None::<f64>),
            Param::Null(Kind::Text) => query.bind(None::<&str>),
            Param::Integer(value) => query.bind(*value),
            Param::Real(value) => query.bind(*value),
            Param::Text(text) => query.bind(text.as_str()),
        };
    }
    query
}

#[async_trait]
impl Conn for PgConn<'_> {
    fn is_postgres(&self) -> bool {
        true
    }

    async fn query(&mut self, sql: &'static str, params: &[Param]) -> Result<Vec<Row>, DbError> {
        tracing::trace!(sql, "PostgreSQL query");
        let found = query(sql, params).fetch_all(&mut *self.0).await?;
        let Some(first) = found.first() else { return Ok(Vec::new()) };
        let columns: Arc<[String]> = first.columns().iter().map(|column| column.name().to_owned()).collect();
        found.iter().map(|row| Ok(Row { columns: columns.clone(), values: values(row)?.into() })).collect()
    }

    async fn execute(&mut self, sql: &'static str, params: &[Param]) -> Result<u64, DbError> {
        tracing::trace!(sql, "PostgreSQL statement");
        Ok(query(sql, params).execute(&mut *self.0).await?.rows_affected())
    }
}

/// A row's values by their PostgreSQL types (the schema uses only these).
fn values(row: &PgRow) -> Result<Vec<Param>, DbError> {
    row.columns()
        .iter()
        .map(|column| {
            let index = column.ordinal();
            Ok(match column.type_info().name() {
                "INT8" => {
                    row.try_get::<Option<i64>, _>(index)?.map_or(Param::Null(Kind::Integer), Param::Integer)
                }
                "INT4" => row
                    .try_get::<Option<i32>, _>(index)?
                    .map_or(Param::Null(Kind::Integer), |value| Param::Integer(value.into())),
                "INT2" => row
                    .try_get::<Option<i16>, _>(index)?
                    .map_or(Param::Null(Kind::Integer), |value| Param::Integer(value.into())),
                "BOOL" => row
                    .try_get::<Option<bool>, _>(index)?
                    .map_or(Param::Null(Kind::Integer), |value| Param::Integer(value.into())),
                "FLOAT8" => {
                    row.try_get::<Option<f64>, _>(index)?.map_or(Param::Null(Kind::Real), Param::Real)
                }
                "FLOAT4" => row
                    .try_get::<Option<f32>, _>(index)?
                    .map_or(Param::Null(Kind::Real), |value| Param::Real(value.into())),
                "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => {
                    row.try_get::<Option<String>, _>(index)?.map_or(Param::Null(Kind::Text), Param::Text)
                }
                other => return Err(DbError::Decode(format!("column {} has type {other}", column.name()))),
            })
        })
        .collect()
}
