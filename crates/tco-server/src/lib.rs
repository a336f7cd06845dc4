//! `tco-server` wires tco-gateway together: it reads the configuration, opens the store,
//! builds the core [`Gateway`], mounts the protocol adapters on one axum router, and serves
//! it with graceful shutdown. The `tco-gateway` binary is a thin `main` over this library,
//! which tests also use to start a real server on a loopback port.
//!
//! This is the only crate that knows every other crate; none of them depends on it. It holds
//! no API behaviour of its own beyond `/health`; it renders the hosted cart's pages (`cart.rs`)
//! over the core's cart rules, the landing page, the dashboard and admin API (`admin/`, over the
//! core's admin controls) and `/metrics`.

mod admin;
pub mod config;
mod data;
mod edge;
pub mod generate;
mod landing;
mod metrics;
mod recent_calls;
pub mod serve;
pub mod sign;
pub mod snapshot;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use tco_core::{Clock, Error, Gateway, Journal, Merchants, Settings, SystemClock};
use tco_rest::RestState;
use tco_rest::error::RestError;
use tco_store::{DatabaseLocation, SqlStore};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use admin::openapi::document as openapi_document;
pub use config::Config;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Location(#[from] tco_store::LocationError),
    #[error(transparent)]
    Store(#[from] tco_store::ConnectError),
    #[error("the data file was refused, and nothing of it loaded: {0}")]
    Data(#[from] tco_api::data_file::DataFileError),
    #[error("cannot read the shared clock setting: {0}")]
    Clock(tco_core::Error),
    #[error("cannot listen on {address}: {source}")]
    Listen { address: SocketAddr, source: std::io::Error },
}

/// Everything a running gateway needs, before it listens.
#[derive(Debug, Clone)]
pub struct App {
    pub gateway: Arc<Gateway>,
    pub store: SqlStore,
    pub router: Router,
    pub limits: serve::ServeLimits,
    /// Counts notification attempts, among the rest.
    pub metrics: Arc<metrics::Metrics>,
}

/// Opens the store (applying migrations), loads fixtures and builds the router.
pub async fn build(config: &Config) -> Result<App, StartError> {
    build_with_clock(config, Arc::new(SystemClock)).await
}

/// [`build`] with the gateway's clock given (tests move a [`tco_core::ManualClock`]).
pub async fn build_with_clock(config: &Config, clock: Arc<dyn Clock>) -> Result<App, StartError> {
    let location = DatabaseLocation::parse(&config.database)?;
    let store = SqlStore::connect(&location, config.db_connections).await?;
    let settings = Settings {
        session_ttl: chrono::Duration::seconds(i64::from(config.session_ttl_secs)),
        auth_window: chrono::Duration::seconds(i64::from(config.auth_window_secs)),
        max_sessions_per_merchant: config.max_sessions_per_merchant,
        order_completion: chrono::Duration::seconds(i64::from(config.order_completion_secs)),
        grace_period: chrono::Duration::days(i64::from(config.grace_period_days)),
        ..Settings::default()
    };
    let merchants = Merchants::new(config.merchants.iter().cloned());
    let journal = Arc::new(Journal::new(config.journal_size, config.journal_bytes));
    let metrics = Arc::new(metrics::Metrics::default());
    let gateway = Arc::new(
        Gateway::new(Arc::new(store.clone()), merchants, settings)
            .with_journal(journal)
            .with_clock(clock)
            .with_observer(metrics.clone()),
    );
    if let Some(url) = &config.public_url {
        gateway.set_public_url(url);
    }
    gateway.sync_clock().await.map_err(StartError::Clock)?;
    let files = data::starting_data(&config.merchants, config.fixtures.as_deref(), false)?;
    let added = tco_api::data_file::load(&gateway, &files).await?;
    if added > 0 {
        tracing::info!(added, "demo data and data file loaded");
    }
    tracing::info!(database = %location, merchants = config.merchants.len(), "store ready");
    let router = router(gateway.clone(), config, metrics.clone())?
        .merge(metrics::router(metrics.clone(), gateway.clone(), store.clone()))
        .merge(landing::router(gateway.clone(), config, &location));
    Ok(App { gateway, store, router, limits: config.limits, metrics })
}

/// The API surface: each protocol under its prefix, `/health`, the admin API and dashboard, the
/// hosted pages, and a JSON 404 elsewhere.
pub(crate) fn router(
    gateway: Arc<Gateway>,
    config: &Config,
    metrics: Arc<metrics::Metrics>,
) -> Result<Router, StartError> {
    let body_limit = config.limits.max_body_bytes;
    let openapi = admin::openapi::document();
    let rest = tco_rest::router(RestState { gateway: gateway.clone(), body_limit, openapi });
    let rpc = tco_jsonrpc::router(gateway.clone(), body_limit);
    let soap = tco_soap::router(gateway.clone(), body_limit);
    let legacy = tco_legacy::router(gateway.clone(), body_limit);
    Ok(Router::new()
        .route("/health", get(health))
        .with_state(gateway.clone())
        .merge(rest)
        .merge(rpc)
        .merge(soap)
        .merge(legacy)
        .merge(admin::router(gateway.clone(), config, metrics))
        .merge(tco_pages::router(gateway.clone()))
        .fallback(|uri: axum::http::Uri| async move {
            RestError::from(Error::UnknownOperation(format!("nothing is served at {}.", uri.path())))
        }))
}

async fn health(State(gateway): State<Arc<Gateway>>) -> Result<Json<serde_json::Value>, RestError> {
    gateway.health().await?;
    Ok(Json(serde_json::json!({ "status": "ok" })))
}

/// Serves until `shutdown` completes, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(address) = listener.local_addr() {
        // Unless configured, shoppers reach the gateway where it listens.
        app.gateway.set_public_url(&format!("http://{address}"));
    }
    let purger = tokio::spawn(upkeep(app.gateway.clone(), app.store.clone()));
    let clock = tokio::spawn(follow_clock(app.gateway.clone()));
    let observer: Arc<dyn tco_notify::DeliveryObserver> = app.metrics.clone();
    let notifier = match tco_notify::Dispatcher::new((*app.gateway).clone(), Some(observer)) {
        Ok(dispatcher) => Some(tokio::spawn(dispatcher.run())),
        Err(error) => {
            tracing::error!(%error, "notifications cannot be sent: no HTTP client");
            None
        }
    };
    let served = serve::serve(listener, app.router, app.limits, shutdown).await;
    purger.abort();
    clock.abort();
    if let Some(notifier) = notifier {
        notifier.abort();
    }
    app.store.close().await;
    served
}

/// Every minute: expired sessions and SSO grants go, and the store keeps its statistics current.
async fn upkeep(gateway: Arc<Gateway>, store: SqlStore) {
    let mut interval = tokio::time::interval(Duration::from_secs(60));
    loop {
        interval.tick().await;
        match gateway.purge_expired().await {
            Ok(0) => {}
            Ok(purged) => tracing::debug!(purged, "expired sessions and SSO grants purged"),
            Err(error) => tracing::warn!(%error, "purging expired sessions failed"),
        }
        if let Err(error) = store.maintain().await {
            tracing::warn!(%error, "store upkeep failed");
        }
    }
}

/// Every second: takes up the clock setting another instance on the database may have saved (a
/// one-row read, served from SQLite's cache when nothing changed).
async fn follow_clock(gateway: Arc<Gateway>) {
    let mut interval = tokio::time::interval(Duration::from_secs(1));
    loop {
        interval.tick().await;
        if let Err(error) = gateway.sync_clock().await {
            tracing::debug!(%error, "reading the shared clock setting failed");
        }
    }
}

/// A gateway serving in the background, for tests and embedding: stop it with
/// [`RunningServer::stop`] (graceful) or by dropping it.
#[derive(Debug)]
pub struct RunningServer {
    pub address: SocketAddr,
    pub gateway: Arc<Gateway>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        (&mut self.task).await.unwrap_or_else(|join| Err(std::io::Error::other(join)))
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Builds the app and serves it on `config.listen` (port 0 picks a free port).
pub async fn spawn(config: &Config) -> Result<RunningServer, StartError> {
    spawn_with_clock(config, Arc::new(SystemClock)).await
}

/// [`spawn`] with the gateway's clock given.
pub async fn spawn_with_clock(config: &Config, clock: Arc<dyn Clock>) -> Result<RunningServer, StartError> {
    let app = build_with_clock(config, clock).await?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartError::Listen { address: config.listen, source })?;
    let address =
        listener.local_addr().map_err(|source| StartError::Listen { address: config.listen, source })?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let gateway = app.gateway.clone();
    let task = tokio::spawn(serve(listener, app, async move {
        let _ = stopped.await;
    }));
    Ok(RunningServer { address, gateway, shutdown: Some(shutdown), task })
}
