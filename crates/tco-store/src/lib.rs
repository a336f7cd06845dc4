//! `tco-store` implements `tco-core`'s store ports (one per family: `sessions.rs`,
//! `customers.rs`, `catalog/`, `orders.rs`, `subscriptions.rs`, `campaigns.rs`) for SQLite — the embedded default: one file, one writer thread committing
//! queued writes together, reads inline from memory — and PostgreSQL, for shared sandboxes where
//! several gateway instances use one database. Each family's SQL is written once for both
//! (`db.rs`); uniqueness and single use are the database's rules, so concurrent requests or
//! instances cannot both win.
//!
//! It depends on `tco-core`, rusqlite and sqlx only: no web or wire-format crate.

mod adjustments;
mod admin;
mod campaigns;
mod catalog;
mod counts;
mod customers;
mod db;
mod error;
mod generate;
mod imports;
mod location;
mod migrate;
mod notifications;
mod orders;
mod partners;
mod pgpool;
mod postgres;
mod query;
mod rows;
mod sessions;
mod snapshot;
mod sqlite;
mod subscription_details;
mod subscriptions;
pub mod testing;

use std::sync::Arc;

use tco_core::StoreResult;

use crate::db::{Backend, Engine};
pub use generate::Generation;
pub use location::{DatabaseLocation, LocationError};
pub use sqlite::OpenError;

#[doc(no_inline)]
pub use tco_core::Store;

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot create the directory {path} for the SQLite database: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error(transparent)]
    Sqlite(#[from] OpenError),
    #[error("cannot open the database {location}: {source}")]
    Postgres { location: String, source: sqlx::Error },
}

/// The store: every family's port, on the database the location names.
#[derive(Debug, Clone)]
pub struct SqlStore {
    backend: Arc<Backend>,
}

impl SqlStore {
    /// Opens (creating if needed) the database and applies the migrations. On SQLite,
    /// `connections` read connections are opened beside the writer and the file is locked for
    /// this store alone; on PostgreSQL they bound the pool.
    pub async fn connect(location: &DatabaseLocation, connections: u32) -> Result<Self, ConnectError> {
        let backend = match location {
            DatabaseLocation::Sqlite(path) => {
                let path = sqlite::prepare_path(path)
                    .map_err(|source| ConnectError::Directory { path: path.display().to_string(), source })?;
                Engine::Sqlite(sqlite::Sqlite::open(&path, connections as usize)?)
            }
            DatabaseLocation::Postgres(url) => Engine::Postgres(Box::new(
                postgres::Postgres::connect(url, connections)
                    .await
                    .map_err(|source| ConnectError::Postgres { location: location.to_string(), source })?,
            )),
        };
        Ok(SqlStore { backend: Arc::new(Backend::new(backend)) })
    }

    /// Periodic upkeep: on PostgreSQL, fresh planner statistics once enough was written.
    pub async fn maintain(&self) -> StoreResult<()> {
        if let Engine::Postgres(postgres) = &self.backend.engine
            && postgres.analyze(1_000).await?
        {
            tracing::debug!("PostgreSQL statistics updated");
        }
        Ok(())
    }

    /// Database connections in use now and the most there may be (on SQLite, the read
    /// connections; its one writer is always there).
    pub fn connections(&self) -> (usize, usize) {
        match &self.backend.engine {
            Engine::Sqlite(sqlite) => sqlite.usage(),
            Engine::Postgres(postgres) => postgres.usage(),
            Engine::SqliteTransaction(_) | Engine::PostgresTransaction(_) => (1, 1),
        }
    }

    /// Store requests that failed since the start.
    pub fn errors(&self) -> u64 {
        self.backend.errors()
    }

    /// Database connections opened since the start: on PostgreSQL few, when they are reused; on
    /// SQLite the file's connections, opened once.
    pub fn connections_opened(&self) -> u64 {
        match &self.backend.engine {
            Engine::Sqlite(sqlite) => sqlite.usage().1 as u64 + 1,
            Engine::Postgres(postgres) => postgres.connections_opened(),
            Engine::SqliteTransaction(_) | Engine::PostgresTransaction(_) => 0,
        }
    }

    /// Finishes the queued writes and closes the database (on SQLite, releasing its lock).
    pub async fn close(&self) {
        match &self.backend.engine {
            Engine::Sqlite(sqlite) => sqlite.close().await,
            Engine::Postgres(postgres) => postgres.close(),
            Engine::SqliteTransaction(_) | Engine::PostgresTransaction(_) => {}
        }
    }
}
