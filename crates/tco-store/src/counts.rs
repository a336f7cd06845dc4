//! Kept counts of a merchant's customers, subscriptions and orders (`tco_counts`), so that a search
//! with no filter answers its `Count` without walking a million index entries. Each insert adds
//! one to one of [`SHARDS`] rows, chosen by the new row's key, in the insert's transaction: two
//! concurrent writers rarely wait on the same row. A count sums the shards. The admin erase
//! deletes a merchant's counts with its rows.

use crate::db::{Conn, DbError, Param};

const SHARDS: u64 = 16;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counted {
    Customers,
    Subscriptions,
    Orders,
}

impl Counted {
    fn name(self) -> &'static str {
        match self {
            Counted::Customers => "customers",
            Counted::Subscriptions => "subscriptions",
            Counted::Orders => "orders",
        }
    }
}

/// Counts one more row, whose key is `key`.
pub(crate) async fn add(
    conn: &mut dyn Conn,
    merchant_code: &str,
    counted: Counted,
    key: &str,
) -> Result<(), DbError> {
    let shard =
        key.bytes().fold(0u64, |hash, byte| hash.wrapping_mul(31).wrapping_add(u64::from(byte))) % SHARDS;
    conn.execute(
        "INSERT INTO tco_counts (merchant_code, name, shard, value) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (merchant_code, name, shard) DO UPDATE SET value = tco_counts.value + 1",
        &[
            Param::from(merchant_code),
            Param::from(counted.name()),
            Param::Integer(i64::try_from(shard).unwrap_or(0)),
        ],
    )
    .await?;
    Ok(())
}

/// Counts `many` more rows at once (in shard 0).
pub(crate) async fn add_many(
    conn: &mut dyn Conn,
    merchant_code: &str,
    counted: Counted,
    many: i64,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO tco_counts (merchant_code, name, shard, value) VALUES ($1, $2, 0, $3) \
         ON CONFLICT (merchant_code, name, shard) DO UPDATE SET value = tco_counts.value + excluded.value",
        &[Param::from(merchant_code), Param::from(counted.name()), Param::Integer(many)],
    )
    .await?;
    Ok(())
}

/// How many the merchant has.
pub(crate) async fn count(
    conn: &mut dyn Conn,
    merchant_code: &str,
    counted: Counted,
) -> Result<u64, DbError> {
    let row = conn
        .one(
            "SELECT CAST(COALESCE(SUM(value), 0) AS BIGINT) AS count FROM tco_counts WHERE merchant_code = $1 AND name = $2",
            &[Param::from(merchant_code), Param::from(counted.name())],
        )
        .await?;
    Ok(u64::try_from(row.integer("count")?).unwrap_or_default())
}
