//! `tco-gateway snapshot`: a merchant's whole state as a data file, from a database no gateway
//! serves (the admin API's `GET /_admin/snapshot` does it for a running one).

use std::path::PathBuf;

use clap::Args;

use crate::StartError;
use crate::config::{Config, ConfigError, ServeArgs};

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot take the snapshot: {0}")]
    Gateway(#[from] tco_core::Error),
    #[error("cannot write the snapshot: {0}")]
    Write(#[from] std::io::Error),
}

#[derive(Debug, Clone, Args)]
pub struct SnapshotArgs {
    /// The database: an SQLite file path or sqlite:// URL, or a postgres:// URL.
    #[arg(long, env = "TCO_DATABASE")]
    pub database: String,
    /// The merchant's code.
    #[arg(long)]
    pub merchant: String,
    /// The data file the gateway serving the database was started with (the merchant's settings
    /// are in it rather than in the database).
    #[arg(long)]
    pub fixtures: Option<PathBuf>,
    /// Where to write it [default: standard output].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Opens the store as serving would (migrations, the data files), then writes the snapshot.
pub async fn snapshot(args: SnapshotArgs) -> Result<(), SnapshotError> {
    // The secret only signs API calls, which a snapshot makes none of.
    let serve = ServeArgs {
        database: Some(args.database.clone()),
        merchants: vec![format!("{}:snapshot", args.merchant)],
        fixtures: args.fixtures.clone(),
        ..ServeArgs::default()
    };
    let config = Config::load(serve)?;
    let app = crate::build(&config).await?;
    let state = app.gateway.merchant_state(&args.merchant).await?;
    let settings = app.gateway.merchant_config(&args.merchant);
    let document = tco_api::snapshot::document(&args.merchant, &settings, &state);
    let text = serde_json::to_string_pretty(&document).unwrap_or_default() + "\n";
    match &args.out {
        Some(path) => std::fs::write(path, text)?,
        None => print!("{text}"),
    }
    Ok(())
}
