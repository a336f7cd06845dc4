//! Helpers for tests that need a real database: a fresh SQLite file, or a fresh schema on
//! the PostgreSQL server named by `TCO_TEST_POSTGRES_URL` (the test script sets it, starting
//! a server when the machine has none).

use std::path::Path;

use sqlx::{AssertSqlSafe, Connection};

use crate::location::DatabaseLocation;

pub const POSTGRES_URL_VAR: &str = "TCO_TEST_POSTGRES_URL";
pub const SKIP_POSTGRES_VAR: &str = "TCO_SKIP_POSTGRES";

/// A SQLite database file inside `directory`.
pub fn sqlite_location(directory: &Path) -> DatabaseLocation {
    DatabaseLocation::Sqlite(directory.join("tco-test.db"))
}

/// A location on a schema of its own, so tests running at once (and runs after a failed
/// one) never see each other's rows. `Ok(None)` only when `TCO_SKIP_POSTGRES=1` says the
/// PostgreSQL tests are deliberately skipped; a missing server is an error, not a skip.
pub async fn fresh_postgres_location() -> Result<Option<DatabaseLocation>, String> {
    let Ok(base) = std::env::var(POSTGRES_URL_VAR) else {
        if std::env::var(SKIP_POSTGRES_VAR).as_deref() == Ok("1") {
            return Ok(None);
        }
        return Err(format!(
            "{POSTGRES_URL_VAR} is not set: run the tests with scripts/test.sh (which finds or starts \
             PostgreSQL), or set {SKIP_POSTGRES_VAR}=1 to skip the PostgreSQL tests knowingly"
        ));
    };
    let mut suffix = [0u8; 8];
    getrandom_fill(&mut suffix)?;
    let schema = format!("tco_test_{}", suffix.iter().map(|b| format!("{b:02x}")).collect::<String>());
    let mut connection = sqlx::PgConnection::connect(&base)
        .await
        .map_err(|error| format!("cannot connect to {POSTGRES_URL_VAR}: {error}"))?;
    sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut connection)
        .await
        .map_err(|error| format!("cannot create schema {schema}: {error}"))?;
    let separator = if base.contains('?') { '&' } else { '?' };
    Ok(Some(DatabaseLocation::Postgres(format!("{base}{separator}options[search_path]={schema}"))))
}

fn getrandom_fill(buffer: &mut [u8]) -> Result<(), String> {
    use tco_core::RandomSource;
    tco_core::OsRandom.fill(buffer).map_err(|error| error.to_string())
}
