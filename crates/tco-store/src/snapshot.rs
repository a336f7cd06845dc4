//! A merchant's stored state as rows (`AdminStore::export_merchant`) and back
//! (`import_merchant`): every table that holds it, parents first, without the merchant's code;
//! put back in one transaction with the numbering moved past what it holds.

use tco_core::{Cell, StoreError, StoredState, TableRows};

use crate::db::{Conn, DbError, Kind, Param};
use crate::query::intern;

/// The tables of a merchant's state, parents first, each with the rows that are the merchant's
/// (`$1` its code). Sessions and sign-on grants are not state worth taking along; delivered
/// notifications are history.
const TABLES: &[(&str, &str)] = &[
    ("tco_customers", "merchant_code = $1"),
    ("tco_cards", "customer_reference IN (SELECT reference FROM tco_customers WHERE merchant_code = $1)"),
    ("tco_product_groups", "merchant_code = $1"),
    ("tco_price_option_groups", "merchant_code = $1"),
    ("tco_products", "merchant_code = $1"),
    ("tco_orders", "merchant_code = $1"),
    ("tco_subscriptions", "merchant_code = $1"),
    ("tco_renewals", "merchant_code = $1"),
    ("tco_subscription_fields", "merchant_code = $1"),
    ("tco_order_comments", "merchant_code = $1"),
    ("tco_upsell_campaigns", "merchant_code = $1"),
    ("tco_cross_sell_texts", "merchant_code = $1"),
    ("tco_promotions", "merchant_code = $1"),
    ("tco_coupons", "merchant_code = $1"),
    ("tco_notification_settings", "merchant_code = $1"),
    ("tco_events", "merchant_code = $1"),
    ("tco_deliveries", "merchant_code = $1 AND state <> 'delivered'"),
    ("tco_counts", "merchant_code = $1"),
];

/// The numbering a state's rows use, and where each number is.
const NUMBERING: &[(&str, &str, &str)] = &[
    ("customer_reference", "tco_customers", "reference"),
    ("product_id", "tco_products", "id"),
    ("order_ref_no", "tco_orders", "ref_no"),
    ("notification_id", "tco_events", "id"),
    ("notification_id", "tco_deliveries", "id"),
];

fn cell(value: &Param) -> Cell {
    match value {
        Param::Null(_) => Cell::Null,
        Param::Integer(value) => Cell::Integer(*value),
        Param::Real(value) => Cell::Real(*value),
        Param::Text(value) => Cell::Text(value.clone()),
    }
}

pub(crate) async fn export(
    conn: &mut dyn Conn,
    merchant_code: &str,
    schema: i64,
) -> Result<StoredState, DbError> {
    let mut tables = Vec::with_capacity(TABLES.len());
    for (table, filter) in TABLES {
        let rows = conn
            .query(intern(format!("SELECT * FROM {table} WHERE {filter}")), &[Param::from(merchant_code)])
            .await?;
        let mut columns: Vec<String> = Vec::new();
        let mut cells = Vec::with_capacity(rows.len());
        for row in &rows {
            let kept: Vec<usize> =
                (0..row.columns.len()).filter(|index| row.columns[*index] != "merchant_code").collect();
            if columns.is_empty() {
                columns = kept.iter().map(|index| row.columns[*index].clone()).collect();
            }
            cells.push(kept.iter().map(|index| cell(&row.values[*index])).collect());
        }
        tables.push(TableRows { table: (*table).to_owned(), columns, rows: cells });
    }
    Ok(StoredState { schema, tables })
}

/// A column's kind in this database, for a null of it.
async fn kinds(conn: &mut dyn Conn, table: &str) -> Result<Vec<(String, Kind)>, DbError> {
    let kind = |declared: &str| {
        let declared = declared.to_ascii_lowercase();
        if declared.contains("int") || declared.contains("bool") {
            Kind::Integer
        } else if declared.contains("double") || declared.contains("real") || declared.contains("float") {
            Kind::Real
        } else {
            Kind::Text
        }
    };
    let rows = if conn.is_postgres() {
        conn.query(
            "SELECT column_name AS name, data_type AS declared FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            &[Param::from(table)],
        )
        .await?
    } else {
        conn.query(
            intern(format!("SELECT name, type AS declared FROM pragma_table_info('{table}') ORDER BY cid")),
            &[],
        )
        .await?
    };
    rows.iter().map(|row| Ok((row.text("name")?, kind(&row.text("declared")?)))).collect()
}

pub(crate) async fn import(
    conn: &mut dyn Conn,
    merchant_code: &str,
    state: &StoredState,
    schema: i64,
) -> Result<bool, DbError> {
    let conflict = |message: String| DbError::Store(StoreError::Conflict(message));
    if state.schema != schema {
        return Err(conflict(format!(
            "the snapshot was taken at schema {} and this gateway is at {schema}",
            state.schema
        )));
    }
    for (table, filter) in TABLES.iter().take(6) {
        let held = conn
            .query(
                intern(format!("SELECT 1 AS held FROM {table} WHERE {filter} LIMIT 1")),
                &[Param::from(merchant_code)],
            )
            .await?;
        if !held.is_empty() {
            return Ok(false);
        }
    }
    for rows in &state.tables {
        let Some((table, _)) = TABLES.iter().find(|(table, _)| *table == rows.table) else {
            return Err(conflict(format!("the snapshot holds an unknown table {}", rows.table)));
        };
        if rows.rows.is_empty() {
            continue;
        }
        let kinds = kinds(conn, table).await?;
        // Each of the file's columns must be the table's; the statement names the table's own
        // columns in its order (one text per table, whatever the file's order).
        let mut positions = Vec::with_capacity(kinds.len());
        for column in &rows.columns {
            if !kinds.iter().any(|(name, _)| name == column) || column == "merchant_code" {
                return Err(conflict(format!("{table} has no column {column}")));
            }
        }
        for (name, _) in &kinds {
            positions.push(rows.columns.iter().position(|column| column == name));
        }
        let names: Vec<&str> = kinds.iter().map(|(name, _)| name.as_str()).collect();
        let placeholders: Vec<String> = (1..=names.len()).map(|index| format!("${index}")).collect();
        let sql = intern(format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            placeholders.join(", ")
        ));
        for row in &rows.rows {
            if row.len() != rows.columns.len() {
                return Err(conflict(format!(
                    "a row of {table} has {} values for {} columns",
                    row.len(),
                    rows.columns.len()
                )));
            }
            let values: Vec<Param> = kinds
                .iter()
                .zip(&positions)
                .map(|((name, kind), position)| match position.and_then(|index| row.get(index)) {
                    _ if name == "merchant_code" => Param::from(merchant_code),
                    None | Some(Cell::Null) => Param::Null(*kind),
                    Some(Cell::Integer(value)) if *kind == Kind::Real => Param::Real(*value as f64),
                    Some(Cell::Integer(value)) => Param::Integer(*value),
                    Some(Cell::Real(value)) => Param::Real(*value),
                    Some(Cell::Text(value)) => Param::Text(value.clone()),
                })
                .collect();
            conn.execute(sql, &values).await.map_err(|error| match error {
                DbError::Store(StoreError::Duplicate(_)) => conflict(format!(
                    "a row of {table} is another merchant's already (its reference is taken)"
                )),
                other => other,
            })?;
        }
    }
    // New rows are numbered after the loaded ones.
    for (counter, table, column) in NUMBERING {
        let highest = match conn.is_postgres() {
            true => format!(
                "SELECT COALESCE(MAX(CAST({column} AS BIGINT)), 0) AS highest FROM {table} WHERE merchant_code = $1"
            ),
            false => format!(
                "SELECT COALESCE(MAX(CAST({column} AS INTEGER)), 0) AS highest FROM {table} WHERE merchant_code = $1"
            ),
        };
        let highest = conn.one(intern(highest), &[Param::from(merchant_code)]).await?.integer("highest")?;
        if conn.is_postgres() {
            let sequence = format!("tco_{counter}");
            conn.query(
                intern(format!(
                    "SELECT setval('{sequence}', GREATEST((SELECT last_value FROM {sequence}), $1)) AS value"
                )),
                &[Param::Integer(highest)],
            )
            .await?;
        } else {
            conn.execute(
                "UPDATE tco_counters SET value = MAX(value, $2) WHERE name = $1",
                &[Param::from(*counter), Param::Integer(highest)],
            )
            .await?;
        }
    }
    Ok(true)
}
