//! sqlx errors as the core's [`StoreError`]: a duplicate external reference, a database that
//! is away (worth retrying), or anything else.

use tco_core::StoreError;

const EXTERNAL_REFERENCE_INDEX: &str = "tco_customers_external";

pub(crate) fn store_error(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(database) => {
            if database.is_unique_violation()
                && (database.constraint() == Some(EXTERNAL_REFERENCE_INDEX)
                    || database.message().contains("external_reference"))
            {
                return StoreError::DuplicateExternalReference;
            }
            let code = database.code().unwrap_or_default();
            // PostgreSQL: class 08 connection exceptions, 57P0x shutdown; SQLite: BUSY and
            // LOCKED that outlasted the busy timeout.
            if code.starts_with("08") || code.starts_with("57P") || code == "5" || code == "6" {
                StoreError::Unavailable(error.to_string())
            } else {
                StoreError::Failure(error.to_string())
            }
        }
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(error.to_string()),
        _ => StoreError::Failure(error.to_string()),
    }
}
