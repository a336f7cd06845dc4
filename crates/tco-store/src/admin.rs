//! The admin API's needs: the [`AdminStore`] port — erasing a merchant, the shared clock
//! setting, live sessions.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

use tco_core::{AdminStore, ClockSetting, Store, StoreError, StoreResult, StoredState, Transaction};

use crate::SqlStore;
use crate::db::{Backend, Engine};
use crate::db::{Param, params};

/// Every table holding a merchant's rows, children first (`$1` the merchant code).
const ERASE: &[&str] = &[
    "DELETE FROM tco_cards WHERE customer_reference IN \
     (SELECT reference FROM tco_customers WHERE merchant_code = $1)",
    "DELETE FROM tco_customers WHERE merchant_code = $1",
    "DELETE FROM tco_sso_grants WHERE merchant_code = $1",
    "DELETE FROM tco_partner_grants WHERE merchant_code = $1",
    "DELETE FROM tco_sessions WHERE merchant_code = $1",
    "DELETE FROM tco_products WHERE merchant_code = $1",
    "DELETE FROM tco_product_groups WHERE merchant_code = $1",
    "DELETE FROM tco_price_option_groups WHERE merchant_code = $1",
    "DELETE FROM tco_subscriptions WHERE merchant_code = $1",
    "DELETE FROM tco_orders WHERE merchant_code = $1",
    "DELETE FROM tco_upsell_campaigns WHERE merchant_code = $1",
    "DELETE FROM tco_cross_sell_texts WHERE merchant_code = $1",
    "DELETE FROM tco_coupons WHERE merchant_code = $1",
    "DELETE FROM tco_promotions WHERE merchant_code = $1",
    "DELETE FROM tco_events WHERE merchant_code = $1",
    "DELETE FROM tco_deliveries WHERE merchant_code = $1",
    "DELETE FROM tco_notification_settings WHERE merchant_code = $1",
    "DELETE FROM tco_renewals WHERE merchant_code = $1",
    "DELETE FROM tco_subscription_fields WHERE merchant_code = $1",
    "DELETE FROM tco_order_comments WHERE merchant_code = $1",
];

const SAVE_CLOCK: &str = "INSERT INTO tco_clock (id, offset_ms, frozen_at) VALUES (1, $1, $2) \
    ON CONFLICT (id) DO UPDATE SET offset_ms = excluded.offset_ms, frozen_at = excluded.frozen_at";

#[async_trait]
impl AdminStore for SqlStore {
    async fn erase_merchant(&self, merchant_code: &str) -> StoreResult<u64> {
        let merchant = params![merchant_code];
        self.backend
            .write(move |conn| {
                let merchant = merchant.clone();
                Box::pin(async move {
                    let mut erased = 0;
                    for sql in ERASE {
                        erased += conn.execute(sql, &merchant).await?;
                    }
                    // Its counts go with its rows (not themselves rows it had).
                    conn.execute("DELETE FROM tco_counts WHERE merchant_code = $1", &merchant).await?;
                    Ok(erased)
                })
            })
            .await
    }

    async fn clock_setting(&self) -> StoreResult<ClockSetting> {
        self.backend
            .read(|conn| {
                Box::pin(async move {
                    let row =
                        conn.optional("SELECT offset_ms, frozen_at FROM tco_clock WHERE id = 1", &[]).await?;
                    let Some(row) = row else {
                        return Ok(ClockSetting::default());
                    };
                    let frozen_at = row.optional_integer("frozen_at")?.map(|millis| {
                        DateTime::from_timestamp_millis(millis).unwrap_or(DateTime::<Utc>::MAX_UTC)
                    });
                    // Out of range (the core ignores such a setting) rather than a panic.
                    let offset =
                        Duration::try_milliseconds(row.integer("offset_ms")?).unwrap_or(Duration::MAX);
                    Ok(ClockSetting { offset, frozen_at })
                })
            })
            .await
    }

    async fn save_clock_setting(&self, setting: &ClockSetting) -> StoreResult<()> {
        let values = vec![Param::Integer(setting.offset.num_milliseconds()), Param::from(setting.frozen_at)];
        self.backend.execute(SAVE_CLOCK, values).await.map(drop)
    }

    async fn begin(&self) -> StoreResult<Box<dyn Transaction>> {
        let engine = match &self.backend.engine {
            Engine::Sqlite(sqlite) => Engine::SqliteTransaction(sqlite.begin().await?),
            Engine::Postgres(postgres) => Engine::PostgresTransaction(postgres.begin().await?),
            Engine::SqliteTransaction(_) | Engine::PostgresTransaction(_) => {
                return Err(StoreError::Failure("transactions do not nest".into()));
            }
        };
        Ok(Box::new(SqlTransaction(SqlStore { backend: Arc::new(Backend::new(engine)) })))
    }

    async fn export_merchant(&self, merchant_code: &str) -> StoreResult<StoredState> {
        let merchant_code = merchant_code.to_owned();
        let schema = crate::migrate::schema_version();
        self.backend
            .read(move |conn| {
                let merchant_code = merchant_code.clone();
                Box::pin(async move { crate::snapshot::export(conn, &merchant_code, schema).await })
            })
            .await
    }

    async fn import_merchant(&self, merchant_code: &str, state: &StoredState) -> StoreResult<bool> {
        let (merchant_code, state) = (merchant_code.to_owned(), state.clone());
        let schema = crate::migrate::schema_version();
        self.backend
            .write(move |conn| {
                let (merchant_code, state) = (merchant_code.clone(), state.clone());
                Box::pin(async move { crate::snapshot::import(conn, &merchant_code, &state, schema).await })
            })
            .await
    }

    async fn live_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let now = params![now];
        self.backend
            .read(move |conn| {
                let now = now.clone();
                Box::pin(async move {
                    let sql = "SELECT COUNT(*) AS value FROM tco_sessions WHERE expires_at > $1";
                    let count = conn.one(sql, &now).await?.integer("value")?;
                    Ok(u64::try_from(count).unwrap_or_default())
                })
            })
            .await
    }
}

/// A transaction of many steps: the store inside it, and its commit.
#[derive(Debug)]
struct SqlTransaction(SqlStore);

#[async_trait]
impl Transaction for SqlTransaction {
    fn store(&self) -> Arc<dyn Store> {
        Arc::new(self.0.clone())
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        match &self.0.backend.engine {
            Engine::SqliteTransaction(transaction) => transaction.commit().await,
            Engine::PostgresTransaction(transaction) => transaction.commit().await,
            Engine::Sqlite(_) | Engine::Postgres(_) => Ok(()),
        }
    }
}
