//! `GET /metrics`: the gateway's metrics in the OpenMetrics text format (which Prometheus
//! scrapes): API calls by protocol, operation and outcome, their latency, store failures and
//! connections, live sessions and the journal's size; and, for the dashboard's chart, the same
//! calls over the last minutes ([`RecentCalls`]). Calls are counted as the core journals
//! them ([`CallObserver`]), so a call counts once whatever its protocol, even with the journal
//! off; the gauges are read at each scrape.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tco_core::{CallObserver, Gateway, JournalEntry, Outcome};
use tco_store::SqlStore;

use crate::recent_calls::{Call, RecentCalls};

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CallLabels {
    protocol: &'static str,
    operation: &'static str,
    /// `ok`, or the catalogue error code.
    outcome: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct DeliveryLabels {
    kind: &'static str,
    /// The delivery's state after the attempt.
    state: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct OperationLabels {
    protocol: &'static str,
    operation: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ConnectionLabels {
    state: &'static str,
}

/// Every metric, and the registry that writes them.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    calls: Family<CallLabels, Counter>,
    latency: Family<OperationLabels, Histogram>,
    injected: Family<OperationLabels, Counter>,
    store_errors: Counter,
    connections: Family<ConnectionLabels, Gauge>,
    connections_opened: Counter,
    live_sessions: Gauge,
    journal_bytes: Gauge,
    journal_entries: Gauge,
    deliveries: Family<DeliveryLabels, Counter>,
    /// The same calls over the last minutes, for the dashboard's chart.
    recent: RecentCalls,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("tco");
        let calls = Family::<CallLabels, Counter>::default();
        registry.register("api_calls", "API calls by protocol, operation and outcome", calls.clone());
        // 100 µs … ~3.3 s.
        let latency = Family::<OperationLabels, Histogram>::new_with_constructor(
            (|| Histogram::new(exponential_buckets(0.0001, 2.0, 16))) as fn() -> Histogram,
        );
        registry.register(
            "api_call_duration_seconds",
            "API call latency, from authentication to the answer",
            latency.clone(),
        );
        let injected = Family::<OperationLabels, Counter>::default();
        registry.register("injected_faults", "Calls an injected fault hit", injected.clone());
        let store_errors = Counter::default();
        registry.register("store_errors", "Store requests that failed", store_errors.clone());
        let connections = Family::<ConnectionLabels, Gauge>::default();
        registry.register(
            "store_connections",
            "Database connections: in use now, and the most there may be",
            connections.clone(),
        );
        let connections_opened = Counter::default();
        registry.register(
            "store_connections_opened",
            "Database connections opened since the start",
            connections_opened.clone(),
        );
        let live_sessions = Gauge::default();
        registry.register("live_sessions", "Sessions not yet expired, all merchants", live_sessions.clone());
        let journal_bytes = Gauge::default();
        registry.register("journal_bytes", "Bytes the call journal holds", journal_bytes.clone());
        let journal_entries = Gauge::default();
        registry.register("journal_entries", "Calls the call journal holds", journal_entries.clone());
        let deliveries = Family::<DeliveryLabels, Counter>::default();
        registry.register(
            "notification_attempts",
            "Notification delivery attempts by kind (ipn, lcn) and the state they left the delivery in",
            deliveries.clone(),
        );
        Metrics {
            recent: RecentCalls::default(),
            deliveries,
            registry,
            calls,
            latency,
            injected,
            store_errors,
            connections,
            connections_opened,
            live_sessions,
            journal_bytes,
            journal_entries,
        }
    }
}

impl CallObserver for Metrics {
    fn observe(&self, entry: &JournalEntry) {
        let outcome = match &entry.outcome {
            Outcome::Success(_) => "ok",
            Outcome::Failure(code) => code.as_str(),
        };
        let (protocol, operation) = (entry.protocol.as_str(), entry.operation);
        self.calls.get_or_create(&CallLabels { protocol, operation, outcome }).inc();
        let merchant = entry.merchant.as_deref();
        self.recent.record(Call { merchant, protocol, operation, failed: outcome != "ok" });
        let labels = OperationLabels { protocol, operation };
        self.latency.get_or_create(&labels).observe(entry.latency_us as f64 / 1e6);
        if entry.injected.is_some() {
            self.injected.get_or_create(&labels).inc();
        }
    }
}

impl tco_notify::DeliveryObserver for Metrics {
    fn attempted(&self, delivery: &tco_core::Delivery, state: tco_core::DeliveryState, _verdict: &str) {
        self.deliveries
            .get_or_create(&DeliveryLabels { kind: delivery.kind.as_str(), state: state.as_str() })
            .inc();
    }
}

impl Metrics {
    pub(crate) fn recent_calls(&self) -> &RecentCalls {
        &self.recent
    }

    /// The text a scrape answers, with the gauges read now.
    async fn render(&self, gateway: &Gateway, store: &SqlStore) -> Result<String, tco_core::Error> {
        let failed = store.errors();
        let counted = self.store_errors.get();
        if failed > counted {
            self.store_errors.inc_by(failed - counted);
        }
        let opened = store.connections_opened();
        let counted = self.connections_opened.get();
        if opened > counted {
            self.connections_opened.inc_by(opened - counted);
        }
        let (in_use, size) = store.connections();
        self.connections.get_or_create(&ConnectionLabels { state: "in_use" }).set(gauge(in_use));
        self.connections.get_or_create(&ConnectionLabels { state: "max" }).set(gauge(size));
        let live = gateway.live_sessions().await?;
        self.live_sessions.set(i64::try_from(live).unwrap_or(i64::MAX));
        let journal = gateway.journal();
        self.journal_bytes.set(gauge(journal.bytes().0));
        self.journal_entries.set(gauge(journal.len()));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .map_err(|_| tco_core::Error::Internal)?;
        Ok(text)
    }
}

fn gauge(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[derive(Clone)]
struct MetricsState {
    metrics: Arc<Metrics>,
    gateway: Arc<Gateway>,
    store: SqlStore,
}

pub(crate) fn router(metrics: Arc<Metrics>, gateway: Arc<Gateway>, store: SqlStore) -> Router {
    Router::new().route("/metrics", get(scrape)).with_state(MetricsState { metrics, gateway, store })
}

async fn scrape(State(state): State<MetricsState>) -> Response {
    match state.metrics.render(&state.gateway, &state.store).await {
        Ok(text) => ([(CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text)
            .into_response(),
        // A scrape is read by Prometheus, not by an API client: the reason as plain text.
        Err(error) => {
            let status = axum::http::StatusCode::from_u16(error.code().http_status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, format!("{}: {error}\n", error.code())).into_response()
        }
    }
}
