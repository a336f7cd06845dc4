//! `tco-store` implements `tco-core`'s [`Store`] port on sqlx, for SQLite (the embedded
//! default: one file, WAL, `synchronous=FULL`, so an acknowledged write survives `kill -9`)
//! and PostgreSQL (shared sandboxes: several gateway instances on one database). Both run
//! the same embedded migrations and the same SQL through sqlx's `Any` driver; uniqueness and
//! single use are enforced by the database, so concurrent instances cannot both win.
//!
//! It depends on `tco-core` and sqlx only: no web or wire-format crate.

mod error;
mod location;
mod rows;
mod sql_store;
pub mod testing;

pub use location::{DatabaseLocation, LocationError};
pub use sql_store::{ConnectError, SqlStore};

#[doc(no_inline)]
pub use tco_core::Store;
