//! `tco-gateway generate`: fills a database with a merchant's orders for benchmarks — copies of
//! one of its orders (the demo merchant's `670174996` by default), each by a new customer with a
//! subscription, spread over the days before now — through the store, not the API, so that a
//! million load in minutes. Run it while no gateway serves the database.

use clap::Args;
use tco_store::Generation;

use crate::StartError;
use crate::config::{Config, ConfigError, ServeArgs};

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot generate the orders: {0}")]
    Store(#[from] tco_core::StoreError),
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// How many orders to add.
    #[arg(long)]
    pub orders: u64,
    /// The merchant whose orders they are [default: the demo merchant, TCODEMO].
    #[arg(long, default_value = "TCODEMO")]
    pub merchant_code: String,
    /// The order copied (it must have created a subscription).
    #[arg(long, default_value = "670174996")]
    pub template: String,
    /// The days the orders spread over, up to now.
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Opens the store as serving would (migrations, demo data), then generates.
pub async fn generate(args: GenerateArgs) -> Result<(), GenerateError> {
    let config = Config::load(args.serve.clone())?;
    let app = crate::build(&config).await?;
    let orders = i64::try_from(args.orders.max(1)).unwrap_or(i64::MAX);
    let span = chrono::Duration::days(i64::from(args.days));
    let generation = Generation {
        merchant_code: args.merchant_code.clone(),
        template_ref_no: args.template.clone(),
        orders: args.orders,
        until: app.gateway.now(),
        spacing: (span / i32::try_from(orders).unwrap_or(i32::MAX)).max(chrono::Duration::milliseconds(1)),
    };
    let started = std::time::Instant::now();
    let step = (args.orders / 20).max(1000);
    app.store
        .generate(&generation, |done| {
            if done % step < 1000 || done == args.orders {
                eprintln!("{done} orders ({:.0} s)", started.elapsed().as_secs_f64());
            }
        })
        .await?;
    app.store.close().await;
    eprintln!(
        "generated {} orders of {} in {:.1} s",
        args.orders,
        args.merchant_code,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
