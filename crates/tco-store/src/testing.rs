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

/// Fills the fresh schema with `customers` customers of merchant `M` (a card, a session and an
/// SSO grant each), as many products, product groups, price option groups, orders and
/// subscriptions, one statement per table, with autovacuum off and no `ANALYZE`: the planner has
/// no statistics, only the tables' sizes.
async fn fill_postgres(connection: &mut sqlx::PgConnection, customers: u32) -> Result<(), String> {
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
         ALTER TABLE tco_orders SET (autovacuum_enabled = false); \
         ALTER TABLE tco_subscriptions SET (autovacuum_enabled = false); \
         INSERT INTO tco_orders (ref_no, merchant_code, external_reference, customer_reference, status, \
         approve_status, placed_at, complete_at, document, test) SELECT (700000000 + n)::text, 'M', 'E' || n, \
         200000000 + n, 'COMPLETE', 'OK', n * 60000, n * 60000, '{{}}', 0 FROM generate_series(1, {customers}) n; \
         INSERT INTO tco_subscriptions (reference, merchant_code, customer_reference, product_code, product_name, \
         quantity, order_ref_no, line_item_reference, purchase_date, start_date, expiration_date, enabled, trial, \
         recurring_enabled, email, country_code, latest_order_ref_no, modified_at) SELECT 'S' || n, 'M', \
         200000000 + n, 'P' || (n % 100), 'Product', 1, (700000000 + n)::text, 'L', n * 60000, n * 60000, \
         n * 60000 + 2592000000, 1, 0, 1, 'e' || n || '@x', 'us', (700000000 + n)::text, 0 \
         FROM generate_series(1, {customers}) n; \
         SET plan_cache_mode = force_generic_plan;"
    );
    sqlx::raw_sql(AssertSqlSafe(fill)).execute(connection).await.map_err(|error| error.to_string())?;
    Ok(())
}

/// Makes [`fill_postgres`]'s rows look like a shared sandbox's: merchant `M`'s values varied
/// (countries, languages, statuses, dates of the last weeks up to 2027-01-15) and nineteen other
/// merchants holding as many rows each, so that `M` has a twentieth of each table.
fn spread(rows: u32) -> String {
    let others = 19;
    format!(
        "UPDATE tco_customers SET country_code = (ARRAY['us','gb','de','fr','ro','nl','it','es'])[1 + reference % 8], \
         language = (ARRAY['en','de','fr','ro'])[1 + reference % 4], phone = '555' || reference, \
         enabled = reference % 2, trial = CASE WHEN reference % 10 = 0 THEN 1 ELSE 0 END; \
         UPDATE tco_orders SET placed_at = 1800000000000 - ({rows} - customer_reference + 200000000) * 600000, \
         status = CASE WHEN customer_reference % 7 = 0 THEN 'REFUND' ELSE 'COMPLETE' END, \
         test = customer_reference % 2; \
         UPDATE tco_subscriptions SET purchase_date = 1800000000000 - ({rows} - customer_reference + 200000000) * 600000, \
         country_code = (ARRAY['us','gb','de','fr','ro','nl','it','es'])[1 + customer_reference % 8], \
         enabled = customer_reference % 2, recurring_enabled = CASE WHEN customer_reference % 3 = 0 THEN 0 ELSE 1 END, \
         expiration_date = CASE WHEN customer_reference % 50 = 0 THEN NULL \
         ELSE 1800000000000 + (customer_reference % 1000) * 86400000 END, \
         renewed_at = CASE WHEN customer_reference % 4 = 0 THEN 1790000000000 + customer_reference % 1000 END; \
         INSERT INTO tco_customers (reference, merchant_code, external_reference, first_name, last_name, address1, \
         city, zip, country_code, email, email_key, created_at, updated_at) \
         SELECT 300000000 + k * {rows} + n, 'X' || k, 'EXT' || n, 'F', 'L', 'A', 'C', 'Z', 'us', 'e' || n || '@x', \
         'e' || n || '@x', 0, 0 FROM generate_series(1, {rows}) n, generate_series(1, {others}) k; \
         INSERT INTO tco_orders (ref_no, merchant_code, external_reference, customer_reference, status, \
         approve_status, placed_at, complete_at, document, test) SELECT (800000000 + k * {rows} + n)::text, 'X' || k, \
         'E' || n, 300000000 + k * {rows} + n, 'COMPLETE', 'OK', 1800000000000 - n::bigint * 600000, NULL, '{{}}', 0 \
         FROM generate_series(1, {rows}) n, generate_series(1, {others}) k; \
         INSERT INTO tco_subscriptions (reference, merchant_code, customer_reference, product_code, product_name, \
         quantity, order_ref_no, line_item_reference, purchase_date, start_date, expiration_date, enabled, trial, \
         recurring_enabled, email, country_code, latest_order_ref_no, modified_at) SELECT 'X' || k || 'S' || n, \
         'X' || k, 300000000 + k * {rows} + n, 'P' || (n % 100), 'Product', 1, (800000000 + k * {rows} + n)::text, \
         'L', 1800000000000 - n::bigint * 600000, 0, 1802592000000, 1, 0, 1, 'e' || n || '@x', 'us', '', 0 \
         FROM generate_series(1, {rows}) n, generate_series(1, {others}) k; \
         INSERT INTO tco_product_groups (merchant_code, code, name, name_key, template_name, enabled) \
         SELECT 'X' || k, 'G' || n, 'Group ' || n, 'group ' || n, 'Default Template', 1 \
         FROM generate_series(1, {rows}) n, generate_series(1, {others}) k; \
         INSERT INTO tco_products (id, merchant_code, code, name, name_key, product_type, enabled, group_code, \
         document, created_at, updated_at) SELECT 5000000 + k * {rows} + n, 'X' || k, 'P' || n, 'Product ' || n, \
         'product ' || n, 'REGULAR', 1, 'G' || n, '{{}}', 0, 0 FROM generate_series(1, {rows}) n, generate_series(1, {others}) k;"
    )
}

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
    fill_postgres(&mut connection, customers).await?;
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

/// One of the store's search statements, as a plan test sees it.
#[derive(Debug)]
pub struct SearchPlan {
    /// The search and the one filter it has (`orders by status`).
    pub name: String,
    pub sql: &'static str,
    pub plan: String,
    /// Why this statement may walk or sort what its index range holds, if it may.
    pub allowed: Option<&'static str>,
}

impl SearchPlan {
    /// What is wrong with the plan: a table read whole, or a sort no index serves (SQLite's
    /// `SCAN`/`TEMP B-TREE`, PostgreSQL's `Seq Scan`/`Sort`).
    pub fn fault(&self) -> Option<&'static str> {
        let lines =
            || self.plan.lines().map(str::trim_start).map(|line| line.trim_start_matches("->").trim_start());
        if lines().any(|line| line.starts_with("SCAN ") || line.starts_with("Seq Scan")) {
            return Some("reads a whole table or index");
        }
        if self.allowed.is_none()
            && lines().any(|line| line.contains("TEMP B-TREE") || line.starts_with("Sort"))
        {
            return Some("sorts without an index");
        }
        None
    }
}

/// Why the sorts the plan test allows are fine: each sorts only what the filter's index found.
const RANGE_SORT: &str =
    "a range on another column than the order: its index finds the rows, which are then sorted";
const UNIQUE_SORT: &str = "a unique key: at most one row to sort";
const CUSTOMER_SORT: &str =
    "one customer's subscriptions, found by an index on the customer, are few to sort";
const GROUP_SORT: &str = "a group's unique name: that one group's products, found by their index, are sorted";

/// Every search statement the store issues, with each filter alone (sample values), keys and
/// count statements both.
fn search_statements(merchant: &str) -> Vec<(String, crate::query::Search, Option<&'static str>)> {
    use tco_core::{
        ApproveStatus, OrderQuery, OrderStatus, ProductQuery, ProductType, SearchQuery, SubscriptionQuery,
    };
    let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
    let week = now - chrono::Duration::days(7);
    let customer = |name: &str, adjust: &dyn Fn(&mut SearchQuery)| {
        let mut query = SearchQuery {
            email_key: None,
            phone: None,
            country_code: None,
            language: None,
            trial: None,
            enabled: None,
            page: 1,
            limit: 10,
        };
        adjust(&mut query);
        (format!("customers {name}"), crate::customers::customer_search(merchant, &query).0, None)
    };
    let subscription =
        |name: &str, allowed: Option<&'static str>, adjust: &dyn Fn(&mut SubscriptionQuery)| {
            let mut query = SubscriptionQuery { page: 1, limit: 10, ..SubscriptionQuery::default() };
            adjust(&mut query);
            (
                format!("subscriptions {name}"),
                crate::subscriptions::subscription_search(merchant, &query).0,
                allowed,
            )
        };
    let order = |name: &str, allowed: Option<&'static str>, adjust: &dyn Fn(&mut OrderQuery)| {
        let mut query = OrderQuery { start: Some(week), page: 1, limit: 10, ..OrderQuery::default() };
        adjust(&mut query);
        let search = crate::query::Search {
            filter: crate::orders::order_filter(merchant, &query, now),
            order: "placed_at DESC, ref_no DESC",
            key: "ref_no",
        };
        (format!("orders {name}"), search, allowed)
    };
    let product = |name: &str, allowed: Option<&'static str>, adjust: &dyn Fn(&mut ProductQuery)| {
        let mut query = ProductQuery { page: 1, limit: 10, ..ProductQuery::default() };
        adjust(&mut query);
        (format!("products {name}"), crate::catalog::product_search(merchant, &query), allowed)
    };
    vec![
        customer("page", &|_| {}),
        customer("by e-mail", &|q| q.email_key = Some("e7@x".into())),
        customer("by phone", &|q| q.phone = Some("555".into())),
        customer("by country", &|q| q.country_code = Some("us".into())),
        customer("by language", &|q| q.language = Some("en".into())),
        customer("by trial", &|q| q.trial = Some(true)),
        customer("by status", &|q| q.enabled = Some(true)),
        subscription("page", None, &|_| {}),
        subscription("by exact e-mail", None, &|q| {
            q.email = Some("e7@x".into());
            q.exact_email = true;
        }),
        subscription("by part of an e-mail", None, &|q| q.email = Some("e7".into())),
        subscription("by customer", Some(CUSTOMER_SORT), &|q| q.customer_reference = Some(200000007)),
        subscription("by enabled", None, &|q| q.enabled = Some(true)),
        subscription("by recurring", None, &|q| q.recurring_enabled = Some(true)),
        subscription("by product", None, &|q| q.product_codes = vec!["P7".into()]),
        subscription("by country", None, &|q| q.country_codes = vec!["us".into()]),
        subscription("by purchase", None, &|q| q.purchased = (Some(week), Some(now))),
        subscription("by expiration", Some(RANGE_SORT), &|q| q.expires = (Some(week), Some(now))),
        subscription("by renewal", Some(RANGE_SORT), &|q| q.renewed = (Some(week), Some(now))),
        subscription("lifetime", Some(RANGE_SORT), &|q| q.lifetime = Some(true)),
        order("of the last 7 days", None, &|_| {}),
        order("between dates", None, &|q| q.end = Some(now)),
        order("by RefNo", Some(UNIQUE_SORT), &|q| q.ref_no = Some("700000007".into())),
        order("by status", None, &|q| q.status = Some(OrderStatus::Complete)),
        order("by approval", None, &|q| q.approve_status = Some(ApproveStatus::Ok)),
        order("by external reference", Some(UNIQUE_SORT), &|q| q.external_reference = Some("E7".into())),
        order("test orders", None, &|q| q.test = Some(true)),
        product("page", None, &|_| {}),
        product("by name", None, &|q| q.name = Some("duct 7".into())),
        product("by type", None, &|q| q.types = vec![ProductType::Regular]),
        product("by enabled", None, &|q| q.enabled = Some(true)),
        product("by group", Some(GROUP_SORT), &|q| q.group_name = Some("group 7".into())),
    ]
}

/// The plans SQLite chooses for every search statement of `merchant`'s, on `store`'s data.
pub async fn sqlite_search_plans(store: &crate::SqlStore, merchant: &str) -> Result<Vec<SearchPlan>, String> {
    let mut plans = Vec::new();
    for (name, search, allowed) in search_statements(merchant) {
        for (kind, (sql, params)) in [("keys", search.keys(10, 0)), ("count", search.count())] {
            let explain = crate::query::Query::new(&format!("EXPLAIN QUERY PLAN {sql}"), []).finish().0;
            let lines = store
                .backend
                .read(move |conn| {
                    let params = params.clone();
                    Box::pin(async move {
                        let rows = conn.query(explain, &params).await?;
                        rows.iter().map(|row| row.text("detail")).collect::<Result<Vec<_>, _>>()
                    })
                })
                .await
                .map_err(|error| error.to_string())?;
            plans.push(SearchPlan { name: format!("{name} ({kind})"), sql, plan: lines.join("\n"), allowed });
        }
    }
    Ok(plans)
}

/// The generic plans PostgreSQL freezes for every search statement of merchant `M` (prepared,
/// `force_generic_plan`), on a fresh schema at `location` filled with `rows` rows per table and
/// analyzed.
pub async fn postgres_search_plans(
    location: &DatabaseLocation,
    rows: u32,
) -> Result<Vec<SearchPlan>, String> {
    let merchant = "M";
    let DatabaseLocation::Postgres(url) = location else { return Err("not a PostgreSQL location".into()) };
    let failed = |error: sqlx::Error| error.to_string();
    let mut connection = sqlx::PgConnection::connect(url).await.map_err(failed)?;
    fill_postgres(&mut connection, rows).await?;
    sqlx::raw_sql(AssertSqlSafe(spread(rows))).execute(&mut connection).await.map_err(failed)?;
    // As autovacuum leaves a table after its first thousands of rows.
    sqlx::raw_sql("ANALYZE").execute(&mut connection).await.map_err(failed)?;
    let mut plans = Vec::new();
    for (index, (name, search, allowed)) in search_statements(merchant).into_iter().enumerate() {
        for (kind, (sql, params)) in [("keys", search.keys(10, 0)), ("count", search.count())] {
            let statement = format!("search_{index}_{kind}");
            let arguments: Vec<String> = params.iter().map(crate::db::Param::literal).collect();
            sqlx::raw_sql(AssertSqlSafe(format!("PREPARE {statement} AS {sql}")))
                .execute(&mut connection)
                .await
                .map_err(failed)?;
            let execute = match arguments.is_empty() {
                true => format!("EXPLAIN EXECUTE {statement}"),
                false => format!("EXPLAIN EXECUTE {statement}({})", arguments.join(", ")),
            };
            let lines: Vec<String> = sqlx::query_scalar(AssertSqlSafe(execute))
                .fetch_all(&mut connection)
                .await
                .map_err(failed)?;
            plans.push(SearchPlan { name: format!("{name} ({kind})"), sql, plan: lines.join("\n"), allowed });
        }
    }
    Ok(plans)
}
