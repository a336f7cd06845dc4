//! Configuration: command-line flags (and their `TCO_*` environment variables) over an
//! optional TOML file over defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;
use tco_core::Merchant;

use crate::serve::ServeLimits;

/// The demo merchant served when none is configured. The README states both values.
pub const DEMO_MERCHANT_CODE: &str = "TCODEMO";
pub const DEMO_MERCHANT_SECRET: &str = "tco-demo-secret";

pub const DEFAULT_DATABASE: &str = "data/tco-gateway.db";

#[derive(Debug, Parser)]
#[command(
    name = "tco-gateway",
    version,
    about = "A local 2Checkout (Avangate) API 6.0 server: REST, JSON-RPC and SOAP"
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Serving is the default: `tco-gateway --listen …` means `tco-gateway serve --listen …`.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default when no command is given).
    Serve(Box<ServeArgs>),
    /// Print the X-Avangate-Authentication header for now (or, with --login, the JSON-RPC
    /// login params), e.g. for curl: -H "$(tco-gateway sign --merchant CODE:SECRET)".
    Sign(crate::sign::SignArgs),
    /// Add generated orders to a database for benchmarks (each by a new customer, with a
    /// subscription), through the store; run it while no gateway serves the database.
    Generate(Box<crate::generate::GenerateArgs>),
    /// Write a merchant's whole state as a data file (settings, customers, catalog, orders,
    /// subscriptions, campaigns, notifications; no secret), from a database no gateway serves.
    Snapshot(Box<crate::snapshot::SnapshotArgs>),
}

#[derive(Debug, Default, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "TCO_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// SQLite file path or sqlite:// URL, or a postgres:// URL [default: data/tco-gateway.db].
    #[arg(long, env = "TCO_DATABASE")]
    pub database: Option<String>,
    /// A merchant as CODE:SECRET, or CODE:SECRET:SECRET_WORD with its buy-link secret word (the
    /// key of cart signatures); repeat for several. Without any, the demo merchant is served.
    #[arg(
        long = "merchant",
        value_name = "CODE:SECRET[:SECRET_WORD]",
        env = "TCO_MERCHANTS",
        value_delimiter = ','
    )]
    pub merchants: Vec<String>,
    /// TOML configuration file; flags and environment variables override it.
    #[arg(long, env = "TCO_CONFIG")]
    pub config: Option<PathBuf>,
    /// JSON file of customers (with cards) to load at start; loading is idempotent.
    #[arg(long, env = "TCO_FIXTURES")]
    pub fixtures: Option<PathBuf>,
    /// Session lifetime in seconds [default: 600].
    #[arg(long, env = "TCO_SESSION_TTL_SECS")]
    pub session_ttl_secs: Option<u32>,
    /// Seconds an authorized (AUTHRECEIVED) order takes to become COMPLETE; 0 completes it at
    /// once [default: 5].
    #[arg(long, env = "TCO_ORDER_COMPLETION_SECS")]
    pub order_completion_secs: Option<u32>,
    /// Days a subscription past its expiration stays past due (renewable) before it expires
    /// [default: 5].
    #[arg(long, env = "TCO_GRACE_PERIOD_DAYS")]
    pub grace_period_days: Option<u32>,
    /// Where shoppers reach the gateway, for the hosted cart's links (manual renewal links)
    /// [default: http://<the address it listens on>].
    #[arg(long, env = "TCO_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// How far a request's date may be from the server's clock, in seconds [default: 600].
    #[arg(long, env = "TCO_AUTH_WINDOW_SECS")]
    pub auth_window_secs: Option<u32>,
    /// Largest request body in bytes [default: 1048576].
    #[arg(long, env = "TCO_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Database connection pool size [default: 8].
    #[arg(long, env = "TCO_DB_CONNECTIONS")]
    pub db_connections: Option<u32>,
    /// Log filter, e.g. info, warn, tco_rest=debug [default: info; RUST_LOG also works].
    #[arg(long, env = "TCO_LOG")]
    pub log: Option<String>,
    /// Most bytes the journal keeps (argument values over 256 bytes are cut) [default: 4194304].
    #[arg(long, env = "TCO_JOURNAL_BYTES")]
    pub journal_bytes: Option<usize>,
    /// Sessions kept per merchant, expired ones included; a login beyond it removes the oldest
    /// [default: 10000].
    #[arg(long, env = "TCO_MAX_SESSIONS_PER_MERCHANT")]
    pub max_sessions_per_merchant: Option<u32>,
    /// How many API calls the journal keeps (0 turns it off) [default: 1000].
    #[arg(long, env = "TCO_JOURNAL_SIZE")]
    pub journal_size: Option<usize>,
    /// Most concurrent connections; one more gets 503 [default: 1024].
    #[arg(long, env = "TCO_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Seconds a client has to send a request's headers [default: 10].
    #[arg(long, env = "TCO_HEADER_TIMEOUT_SECS")]
    pub header_timeout_secs: Option<u64>,
    /// Seconds a client has to send a request's body [default: 30].
    #[arg(long, env = "TCO_BODY_TIMEOUT_SECS")]
    pub body_timeout_secs: Option<u64>,
    /// Bearer token for /_admin/ endpoints; without one they are off.
    #[arg(long, env = "TCO_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
}

/// The TOML file's shape; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub database: Option<String>,
    #[serde(default)]
    pub merchants: Vec<FileMerchant>,
    pub fixtures: Option<PathBuf>,
    pub session_ttl_secs: Option<u32>,
    pub order_completion_secs: Option<u32>,
    pub grace_period_days: Option<u32>,
    pub public_url: Option<String>,
    pub auth_window_secs: Option<u32>,
    pub max_body_bytes: Option<usize>,
    pub db_connections: Option<u32>,
    pub log: Option<String>,
    pub journal_size: Option<usize>,
    pub journal_bytes: Option<usize>,
    pub max_sessions_per_merchant: Option<u32>,
    pub admin_token: Option<String>,
    pub max_connections: Option<usize>,
    pub header_timeout_secs: Option<u64>,
    pub body_timeout_secs: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileMerchant {
    pub code: String,
    pub secret: String,
    /// The buy-link secret word (else the merchant's data file's).
    #[serde(default)]
    pub secret_word: Option<String>,
    /// The legacy 2Checkout API's user, password and seller id (else the data file's `LegacyApi`).
    #[serde(default)]
    pub legacy_user: Option<String>,
    #[serde(default)]
    pub legacy_password: Option<String>,
    #[serde(default)]
    pub seller_id: Option<String>,
}

/// The resolved configuration the server runs with. `Debug` hides the admin token.
#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database: String,
    pub merchants: Vec<Merchant>,
    pub fixtures: Option<PathBuf>,
    pub session_ttl_secs: u32,
    pub order_completion_secs: u32,
    pub grace_period_days: u32,
    pub public_url: Option<String>,
    pub auth_window_secs: u32,
    pub db_connections: u32,
    pub log: String,
    pub journal_size: usize,
    pub journal_bytes: usize,
    pub max_sessions_per_merchant: u32,
    pub admin_token: Option<String>,
    pub limits: ServeLimits,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("merchants", &self.merchants)
            .field("fixtures", &self.fixtures)
            .field("session_ttl_secs", &self.session_ttl_secs)
            .field("journal_size", &self.journal_size)
            .field("limits", &self.limits)
            .field("admin_token", &self.admin_token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("invalid configuration file {path}: {source}")]
    Parse { path: PathBuf, source: Box<toml::de::Error> },
    #[error("invalid merchant {0:?}: expected CODE:SECRET or CODE:SECRET:SECRET_WORD")]
    Merchant(String),
    #[error("{0} must be greater than zero")]
    Zero(&'static str),
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: DEFAULT_DATABASE.to_owned(),
            merchants: vec![Merchant::new(DEMO_MERCHANT_CODE, DEMO_MERCHANT_SECRET)],
            fixtures: None,
            session_ttl_secs: 600,
            order_completion_secs: 5,
            grace_period_days: 5,
            public_url: None,
            auth_window_secs: 600,
            db_connections: 8,
            log: "info".to_owned(),
            journal_size: 1000,
            journal_bytes: 4 * 1024 * 1024,
            max_sessions_per_merchant: 10_000,
            admin_token: None,
            limits: ServeLimits::default(),
        }
    }
}

impl Config {
    pub fn load(args: ServeArgs) -> Result<Self, ConfigError> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        Config::resolve(args, file)
    }

    fn resolve(args: ServeArgs, file: FileConfig) -> Result<Self, ConfigError> {
        let mut merchants = Vec::new();
        for pair in &args.merchants {
            merchants.push(Merchant::parse_pair(pair).ok_or_else(|| ConfigError::Merchant(pair.clone()))?);
        }
        if merchants.is_empty() {
            merchants = file
                .merchants
                .into_iter()
                .map(|m| {
                    let mut merchant = Merchant::new(m.code, m.secret);
                    if let Some(word) = m.secret_word {
                        merchant = merchant.with_buy_link_secret(word);
                    }
                    if let (Some(username), Some(password)) = (m.legacy_user, m.legacy_password) {
                        merchant = merchant.with_legacy_api(tco_core::LegacyApiUser {
                            username,
                            password: tco_core::SecretKey::new(password),
                            seller_id: m.seller_id.unwrap_or_default(),
                        });
                    }
                    merchant
                })
                .collect();
        }
        let defaults = Config::default();
        let config = Config {
            listen: args.listen.or(file.listen).unwrap_or(defaults.listen),
            database: args.database.or(file.database).unwrap_or(defaults.database),
            merchants: if merchants.is_empty() { defaults.merchants } else { merchants },
            fixtures: args.fixtures.or(file.fixtures),
            session_ttl_secs: args
                .session_ttl_secs
                .or(file.session_ttl_secs)
                .unwrap_or(defaults.session_ttl_secs),
            order_completion_secs: args
                .order_completion_secs
                .or(file.order_completion_secs)
                .unwrap_or(defaults.order_completion_secs),
            grace_period_days: args
                .grace_period_days
                .or(file.grace_period_days)
                .unwrap_or(defaults.grace_period_days),
            public_url: args.public_url.or(file.public_url),
            auth_window_secs: args
                .auth_window_secs
                .or(file.auth_window_secs)
                .unwrap_or(defaults.auth_window_secs),
            db_connections: args.db_connections.or(file.db_connections).unwrap_or(defaults.db_connections),
            log: args.log.or(file.log).unwrap_or(defaults.log),
            journal_size: args.journal_size.or(file.journal_size).unwrap_or(defaults.journal_size),
            journal_bytes: args.journal_bytes.or(file.journal_bytes).unwrap_or(defaults.journal_bytes),
            max_sessions_per_merchant: args
                .max_sessions_per_merchant
                .or(file.max_sessions_per_merchant)
                .unwrap_or(defaults.max_sessions_per_merchant),
            admin_token: args.admin_token.or(file.admin_token).filter(|token| !token.is_empty()),
            limits: ServeLimits {
                max_connections: args
                    .max_connections
                    .or(file.max_connections)
                    .unwrap_or(defaults.limits.max_connections),
                header_timeout: args
                    .header_timeout_secs
                    .or(file.header_timeout_secs)
                    .map_or(defaults.limits.header_timeout, Duration::from_secs),
                body_timeout: args
                    .body_timeout_secs
                    .or(file.body_timeout_secs)
                    .map_or(defaults.limits.body_timeout, Duration::from_secs),
                max_body_bytes: args
                    .max_body_bytes
                    .or(file.max_body_bytes)
                    .unwrap_or(defaults.limits.max_body_bytes),
                ..defaults.limits
            },
        };
        for (name, value) in [
            ("session_ttl_secs", config.session_ttl_secs as usize),
            ("max_body_bytes", config.limits.max_body_bytes),
            ("db_connections", config.db_connections as usize),
            ("max_sessions_per_merchant", config.max_sessions_per_merchant as usize),
            ("max_connections", config.limits.max_connections),
            ("header_timeout_secs", config.limits.header_timeout.as_secs() as usize),
            ("body_timeout_secs", config.limits.body_timeout.as_secs() as usize),
        ] {
            if value == 0 {
                return Err(ConfigError::Zero(name));
            }
        }
        Ok(config)
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
    toml::from_str(&text)
        .map_err(|source| ConfigError::Parse { path: path.to_owned(), source: Box::new(source) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_serve_the_demo_merchant() {
        let config = Config::resolve(ServeArgs::default(), FileConfig::default()).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database, DEFAULT_DATABASE);
        assert_eq!(config.merchants, vec![Merchant::new(DEMO_MERCHANT_CODE, DEMO_MERCHANT_SECRET)]);
    }

    #[test]
    fn flags_override_the_file() {
        let file: FileConfig = toml::from_str(
            "listen = \"0.0.0.0:9000\"\ndatabase = \"x.db\"\nsession_ttl_secs = 60\n\
             [[merchants]]\ncode = \"FILE\"\nsecret = \"s\"\n",
        )
        .unwrap();
        let args = ServeArgs { database: Some("y.db".into()), ..ServeArgs::default() };
        let config = Config::resolve(args, file).unwrap();
        assert_eq!(config.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(config.database, "y.db");
        assert_eq!(config.session_ttl_secs, 60);
        assert_eq!(config.merchants[0].code, "FILE");
        let args = ServeArgs { merchants: vec!["CLI:secret".into()], ..ServeArgs::default() };
        assert_eq!(Config::resolve(args, FileConfig::default()).unwrap().merchants[0].code, "CLI");
    }

    #[test]
    fn a_file_merchant_may_have_a_legacy_api_user() {
        let file: FileConfig = toml::from_str(
            "[[merchants]]\ncode = \"FILE\"\nsecret = \"s\"\nlegacy_user = \"api\"\nlegacy_password = \"pw\"\n\
             seller_id = \"901\"\n",
        )
        .unwrap();
        let config = Config::resolve(ServeArgs::default(), file).unwrap();
        let user = config.merchants[0].legacy_api.clone().unwrap();
        assert_eq!(
            (user.username.as_str(), user.password.expose(), user.seller_id.as_str()),
            ("api", "pw", "901")
        );
    }

    #[test]
    fn bad_values_are_refused() {
        let args = ServeArgs { merchants: vec!["nocolon".into()], ..ServeArgs::default() };
        assert!(matches!(Config::resolve(args, FileConfig::default()), Err(ConfigError::Merchant(_))));
        let args = ServeArgs { max_body_bytes: Some(0), ..ServeArgs::default() };
        assert!(matches!(Config::resolve(args, FileConfig::default()), Err(ConfigError::Zero(_))));
        assert!(toml::from_str::<FileConfig>("unknown = 1").is_err());
    }
}
