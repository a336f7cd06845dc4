//! The schema's migrations, embedded and applied at start, recorded in `tco_migrations`. One SQL
//! text per migration for both databases. A database migrated by earlier versions (sqlx's
//! `_sqlx_migrations`) is adopted as it is.

use rusqlite::Connection;
use sqlx::PgConnection;

/// Version, name, and the SQL for SQLite and for PostgreSQL (the same text but where they differ).
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (1, "init", include_str!("../migrations/0001_init.sql"), include_str!("../migrations/0001_init.sql")),
    (
        2,
        "session order",
        include_str!("../migrations/0002_session_order.sql"),
        include_str!("../migrations/0002_session_order.sql"),
    ),
    (
        3,
        "catalog",
        include_str!("../migrations/0003_catalog.sql"),
        include_str!("../migrations/0003_catalog.sql"),
    ),
    (
        4,
        "orders",
        include_str!("../migrations/0004_orders.sql"),
        include_str!("../migrations/0004_orders.sql"),
    ),
    (5, "sequences", "", include_str!("../migrations/0005_sequences.postgres.sql")),
    (
        6,
        "subscriptions",
        include_str!("../migrations/0006_subscriptions.sql"),
        concat!(
            include_str!("../migrations/0006_subscriptions.sql"),
            include_str!("../migrations/0006_instr.postgres.sql")
        ),
    ),
    (
        7,
        "campaigns",
        include_str!("../migrations/0007_campaigns.sql"),
        include_str!("../migrations/0007_campaigns.sql"),
    ),
    (
        8,
        "partners",
        include_str!("../migrations/0008_partners.sql"),
        include_str!("../migrations/0008_partners.sql"),
    ),
    (9, "clock", include_str!("../migrations/0009_clock.sql"), include_str!("../migrations/0009_clock.sql")),
    (
        10,
        "promotion_uses",
        include_str!("../migrations/0010_promotion_uses.sql"),
        include_str!("../migrations/0010_promotion_uses.sql"),
    ),
    (
        11,
        "order_test",
        include_str!("../migrations/0011_order_test.sql"),
        include_str!("../migrations/0011_order_test.sql"),
    ),
    (
        12,
        "subscription_import",
        include_str!("../migrations/0012_subscription_import.sql"),
        include_str!("../migrations/0012_subscription_import.sql"),
    ),
    (
        13,
        "search_indexes",
        include_str!("../migrations/0013_search_indexes.sql"),
        include_str!("../migrations/0013_search_indexes.sql"),
    ),
    (
        14,
        "notifications",
        concat!(
            include_str!("../migrations/0014_notifications.sql"),
            include_str!("../migrations/0014_notifications.sqlite.sql")
        ),
        concat!(
            include_str!("../migrations/0014_notifications.sql"),
            include_str!("../migrations/0014_notifications.postgres.sql")
        ),
    ),
    (
        15,
        "refunds",
        include_str!("../migrations/0015_refunds.sql"),
        include_str!("../migrations/0015_refunds.sql"),
    ),
    (
        16,
        "subscription_details",
        include_str!("../migrations/0016_subscription_details.sql"),
        include_str!("../migrations/0016_subscription_details.sql"),
    ),
    (
        17,
        "subscription_upgrades",
        include_str!("../migrations/0017_subscription_upgrades.sql"),
        include_str!("../migrations/0017_subscription_upgrades.sql"),
    ),
    (
        18,
        "order_comments",
        include_str!("../migrations/0018_order_comments.sql"),
        include_str!("../migrations/0018_order_comments.sql"),
    ),
];

const TABLE: &str = "CREATE TABLE IF NOT EXISTS tco_migrations \
    (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub(crate) fn sqlite(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(TABLE)?;
    let adopted: bool = connection.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        [],
        |row| row.get(0),
    )?;
    if adopted {
        connection.execute(
            "INSERT OR IGNORE INTO tco_migrations SELECT version, description, 0 FROM _sqlx_migrations WHERE success",
            [],
        )?;
    }
    for (version, name, sql, _) in MIGRATIONS {
        let applied: bool = connection.query_row(
            "SELECT COUNT(*) > 0 FROM tco_migrations WHERE version = ?1",
            [version],
            |row| row.get(0),
        )?;
        if !applied {
            connection.execute_batch(&format!("BEGIN IMMEDIATE; {sql};"))?;
            connection.execute(
                "INSERT INTO tco_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                rusqlite::params![version, name, now()],
            )?;
            connection.execute_batch("COMMIT")?;
        }
    }
    Ok(())
}

/// Under an advisory lock, so instances starting together do not race.
pub(crate) async fn postgres(connection: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_lock(7301463)").execute(&mut *connection).await?;
    let result = async {
        sqlx::raw_sql(TABLE).execute(&mut *connection).await?;
        let adopted: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
            .fetch_one(&mut *connection)
            .await?;
        if adopted {
            sqlx::query(
                "INSERT INTO tco_migrations SELECT version, description, 0 FROM _sqlx_migrations \
                 WHERE success ON CONFLICT DO NOTHING",
            )
            .execute(&mut *connection)
            .await?;
        }
        for (version, name, _, sql) in MIGRATIONS {
            let applied: bool =
                sqlx::query_scalar("SELECT COUNT(*) > 0 FROM tco_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_one(&mut *connection)
                    .await?;
            if !applied {
                sqlx::raw_sql("BEGIN").execute(&mut *connection).await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(*sql)).execute(&mut *connection).await?;
                sqlx::query("INSERT INTO tco_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                    .bind(version)
                    .bind(name)
                    .bind(now())
                    .execute(&mut *connection)
                    .await?;
                sqlx::raw_sql("COMMIT").execute(&mut *connection).await?;
            }
        }
        Ok::<_, sqlx::Error>(())
    }
    .await;
    if result.is_err() {
        let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *connection).await;
    }
    sqlx::query("SELECT pg_advisory_unlock(7301463)").execute(&mut *connection).await?;
    result
}

/// The schema version this build migrates to: a snapshot records it.
pub(crate) fn schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |migration| migration.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_migrated_by_sqlx_is_adopted() -> rusqlite::Result<()> {
        let connection = Connection::open_in_memory()?;
        connection.execute_batch(MIGRATIONS[0].2)?;
        connection.execute_batch(
            "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
             installed_on TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB, execution_time BIGINT); \
             INSERT INTO _sqlx_migrations (version, description, success) VALUES (1, 'init', 1);",
        )?;
        sqlite(&connection)?;
        sqlite(&connection)?;
        let versions: Vec<i64> = connection
            .prepare("SELECT version FROM tco_migrations ORDER BY version")?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let every: Vec<i64> = MIGRATIONS.iter().map(|migration| migration.0).collect();
        assert_eq!(versions, every);
        Ok(())
    }
}
