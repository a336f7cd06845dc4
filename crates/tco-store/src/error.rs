//! Database errors as the core's [`StoreError`]: a duplicate external reference, a database that
//! is away or out of space (worth retrying later), a lost conflict, or anything else — and
//! [`classify`], which tells the PostgreSQL store whether running a failed request again can help.

use rusqlite::ffi;
use tco_core::{StoreError, Unique};

/// Each unique rule: the PostgreSQL index enforcing it, and the `table.column` SQLite names when
/// it is broken.
const UNIQUE: &[(&str, &str, Unique)] = &[
    ("tco_customers_external", "tco_customers.external_reference", Unique::ExternalReference),
    ("tco_products_code", "tco_products.code", Unique::ProductCode),
    ("tco_product_groups_name", "tco_product_groups.name_key", Unique::ProductGroupName),
    ("tco_product_groups_pkey", "tco_product_groups.code", Unique::ProductGroupCode),
    ("tco_price_option_groups_pkey", "tco_price_option_groups.code", Unique::PriceOptionGroupCode),
    ("tco_orders_external", "tco_orders.external_reference", Unique::OrderExternalReference),
    ("tco_orders_pkey", "tco_orders.ref_no", Unique::OrderRefNo),
    ("tco_subscriptions_pkey", "tco_subscriptions.reference", Unique::SubscriptionReference),
    ("tco_upsell_campaigns_pkey", "tco_upsell_campaigns.code", Unique::UpsellCampaignCode),
    ("tco_promotions_pkey", "tco_promotions.code", Unique::PromotionCode),
    ("tco_coupons_pkey", "tco_coupons.coupon_key", Unique::CouponCode),
];

/// SQLite's primary result codes that mean "the database cannot take this now": BUSY and
/// LOCKED that outlasted the busy timeout, an I/O error, a full disk, a file that cannot be
/// opened. Extended codes carry the primary one in their low byte.
const SQLITE_UNAVAILABLE: [i32; 5] =
    [ffi::SQLITE_BUSY, ffi::SQLITE_LOCKED, ffi::SQLITE_IOERR, ffi::SQLITE_FULL, ffi::SQLITE_CANTOPEN];

pub(crate) fn sqlite_error(error: &rusqlite::Error) -> StoreError {
    match error {
        rusqlite::Error::SqliteFailure(failure, message) => {
            let message = message.as_deref().unwrap_or_default();
            let unique = [ffi::SQLITE_CONSTRAINT_UNIQUE, ffi::SQLITE_CONSTRAINT_PRIMARYKEY]
                .contains(&failure.extended_code);
            let broken = UNIQUE.iter().find(|(_, column, _)| unique && message.contains(column));
            if let Some((_, _, rule)) = broken {
                StoreError::Duplicate(*rule)
            } else if SQLITE_UNAVAILABLE.contains(&(failure.extended_code & 0xff)) {
                StoreError::Unavailable(error.to_string())
            } else {
                StoreError::Failure(error.to_string())
            }
        }
        _ => StoreError::Failure(error.to_string()),
    }
}

/// What a failed PostgreSQL statement says about running the request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection is broken (a database restart, a failover): nothing it sent after its
    /// last commit took effect, and a fresh connection may well work.
    Broken,
    /// PostgreSQL chose this transaction as a deadlock victim or found a serialization
    /// conflict; it was rolled back and may simply be run again.
    Conflict,
    Other,
}

pub(crate) fn classify(error: &sqlx::Error) -> Failure {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => {
            Failure::Broken
        }
        sqlx::Error::Database(database) => {
            let code = database.code().unwrap_or_default();
            if code == "40P01" || code == "40001" {
                Failure::Conflict
            } else if code.starts_with("08") || code == "57P01" || code == "57P02" || code == "57P03" {
                Failure::Broken
            } else {
                Failure::Other
            }
        }
        _ => Failure::Other,
    }
}

pub(crate) fn postgres_error(error: &sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::Database(database) => {
            if database.is_unique_violation()
                && let Some((_, _, rule)) =
                    UNIQUE.iter().find(|(index, _, _)| database.constraint() == Some(*index))
            {
                return StoreError::Duplicate(*rule);
            }
            let code = database.code().unwrap_or_default();
            if classify(error) == Failure::Conflict {
                StoreError::Conflict(error.to_string())
            } else if code.starts_with("08") || code.starts_with("57P") || code == "53100" {
                // 53100: disk full.
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
