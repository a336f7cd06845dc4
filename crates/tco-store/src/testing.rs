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

/// A lookup of the store, the indexes its plan must use, and sample arguments.
struct Lookup {
    name: &'static str,
    sql: &'static str,
    arguments: &'static str,
    indexes: &'static [&'static str],
}

const LOOKUPS: &[Lookup] = &[
    Lookup {
        name: "find_session",
        sql: crate::sessions::FIND_SESSION,
        arguments: "('d7')",
        indexes: &["tco_sessions_pkey"],
    },
    Lookup {
        name: "find_customer",
        sql: crate::customers::CUSTOMER_BY_REFERENCE,
        arguments: "(200000007)",
        indexes: &["tco_customers_pkey"],
    },
    Lookup {
        name: "find_customer_by_external",
        sql: crate::customers::CUSTOMER_BY_EXTERNAL,
        arguments: "('M', 'EXT7')",
        indexes: &["tco_customers_external"],
    },
    Lookup {
        name: "customer_owner",
        sql: crate::customers::CUSTOMER_OWNER,
        arguments: "(200000007)",
        indexes: &["tco_customers_pkey"],
    },
    Lookup {
        name: "lock_for_update",
        sql: crate::customers::LOCK_FOR_UPDATE,
        arguments: "(200000007, 'M', 'EXT8')",
        indexes: &["tco_customers_pkey", "tco_customers_external"],
    },
    Lookup {
        name: "update_customer",
        sql: crate::customers::UPDATE_CUSTOMER,
        arguments: "(200000007, NULL, 'F', 'L', NULL, NULL, 'A', NULL, 'C', NULL, 'Z', 'US', NULL, NULL, 'e@x', \
                    'e@x', NULL, NULL, NULL, NULL, 0, 0)",
        indexes: &["tco_customers_pkey"],
    },
    Lookup {
        name: "cards",
        sql: crate::customers::CARDS,
        arguments: "(200000007)",
        indexes: &["tco_customers_pkey", "tco_cards_customer"],
    },
    Lookup {
        name: "delete_card",
        sql: crate::customers::DELETE_CARD,
        arguments: "('tok7', 200000007)",
        indexes: &["tco_cards_pkey"],
    },
    Lookup {
        name: "grant_holder",
        sql: crate::customers::GRANT_HOLDER,
        arguments: "('g7')",
        indexes: &["tco_sso_grants_pkey"],
    },
    Lookup {
        name: "take_grant",
        sql: crate::customers::TAKE_GRANT,
        arguments: "('g7')",
        indexes: &["tco_sso_grants_pkey"],
    },
    Lookup {
        name: "product_by_code",
        sql: crate::catalog::PRODUCT_BY_CODE,
        arguments: "('M', 'P7')",
        indexes: &["tco_products_code", "tco_product_groups_pkey"],
    },
    Lookup {
        name: "product_by_id",
        sql: crate::catalog::PRODUCT_BY_ID,
        arguments: "(4600007)",
        indexes: &["tco_products_pkey", "tco_product_groups_pkey"],
    },
    Lookup {
        name: "product_group",
        sql: crate::catalog::GROUP_BY_CODE,
        arguments: "('M', 'G7')",
        indexes: &["tco_product_groups_pkey"],
    },
    Lookup {
        name: "price_option_group",
        sql: crate::catalog::OPTION_GROUP_BY_CODE,
        arguments: "('M', 'O7')",
        indexes: &["tco_price_option_groups_pkey"],
    },
];

/// The plan PostgreSQL freezes for one of the store's lookups.
#[derive(Debug)]
pub struct LookupPlan {
    pub name: &'static str,
    /// The unique indexes the lookup must go through.
    pub indexes: &'static [&'static str],
    pub plan: String,
}

/// Fills the fresh schema at `location` with `customers` customers of merchant `M` (a card, a
/// session and an SSO grant each, and as many products, product groups and price option groups) in one statement per table, with autovacuum off and no
/// `ANALYZE` — so the planner has no statistics — and returns the generic plan (the one each
/// pooled connection freezes after five executions) of each of the store's lookups.
pub async fn postgres_lookup_plans(
    location: &DatabaseLocation,
    customers: u32,
) -> Result<Vec<LookupPlan>, String> {
    let DatabaseLocation::Postgres(url) = location else { return Err("not a PostgreSQL location".into()) };
    let failed = |error: sqlx::Error| error.to_string();
    let mut connection = sqlx::PgConnection::connect(url).await.map_err(failed)?;
    let fill = format!(
        "ALTER TABLE tco_customers SET (autovacuum_enabled = false); \
         ALTER TABLE tco_cards SET (autovacuum_enabled = false); \
         ALTER TABLE tco_sessions SET (autovacuum_enabled = false); \
         ALTER TABLE tco_sso_grants SET (autovacuum_enabled = false); \
         INSERT INTO tco_customers (reference, merchant_code, external_reference, first_name, last_name, \
         address1, city, zip, country_code, email, email_key, created_at, updated_at) \
         SELECT 200000000 + n, 'M', 'EXT' || n, 'F', 'L', 'A', 'C', 'Z', 'US', 'e' || n || '@x', \
         'e' || n || '@x', 0, 0 FROM generate_series(1, {customers}) n; \
         INSERT INTO tco_cards (transient_token, customer_reference, position, card_type, last_digits, \
         expiration_month, expiration_year, name_on_card) \
         SELECT 'tok' || n, 200000000 + n, 0, 'visa', '1111', '12', '2030', 'N' FROM generate_series(1, {customers}) n; \
         INSERT INTO tco_sessions (digest, merchant_code, created_at, expires_at) \
         SELECT 'd' || n, 'M', n, n + 1000 FROM generate_series(1, {customers}) n; \
         INSERT INTO tco_sso_grants (digest, merchant_code, customer_reference, validation_ip, expires_at) \
         SELECT 'g' || n, 'M', 200000000 + n, NULL, n FROM generate_series(1, {customers}) n; \
         ALTER TABLE tco_products SET (autovacuum_enabled = false); \
         ALTER TABLE tco_product_groups SET (autovacuum_enabled = false); \
         ALTER TABLE tco_price_option_groups SET (autovacuum_enabled = false); \
         INSERT INTO tco_product_groups (merchant_code, code, name, name_key, template_name, enabled) \
         SELECT 'M', 'G' || n, 'Group ' || n, 'group ' || n, 'Default Template', 1 FROM generate_series(1, {customers}) n; \
         INSERT INTO tco_products (id, merchant_code, code, name, name_key, product_type, enabled, group_code, \
         document, created_at, updated_at) SELECT 4600000 + n, 'M', 'P' || n, 'Product ' || n, 'product ' || n, \
         'REGULAR', 1, 'G' || n, '{{}}', 0, 0 FROM generate_series(1, {customers}) n; \
         INSERT INTO tco_price_option_groups (merchant_code, code, document) \
         SELECT 'M', 'O' || n, '{{}}' FROM generate_series(1, {customers}) n; \
         SET plan_cache_mode = force_generic_plan;"
    );
    sqlx::raw_sql(AssertSqlSafe(fill)).execute(&mut connection).await.map_err(failed)?;
    let mut plans = Vec::new();
    for (index, lookup) in LOOKUPS.iter().enumerate() {
        sqlx::raw_sql(AssertSqlSafe(format!("PREPARE lookup{index} AS {}", lookup.sql)))
            .execute(&mut connection)
            .await
            .map_err(failed)?;
        let lines: Vec<String> =
            sqlx::query_scalar(AssertSqlSafe(format!("EXPLAIN EXECUTE lookup{index}{}", lookup.arguments)))
                .fetch_all(&mut connection)
                .await
                .map_err(failed)?;
        plans.push(LookupPlan { name: lookup.name, indexes: lookup.indexes, plan: lines.join("\n") });
    }
    Ok(plans)
}
