//! The dashboard (`GET /_admin/`) and the admin API (`/_admin/…`, JSON): the call journal and
//! the recent call counts, reset
//! and data loading, time travel, fault injection, and the state browser. Described in the
//! OpenAPI document ([`openapi`]).
//!
//! The access rule ([`access`]): on a loopback listen address everything here is open unless an
//! admin token is configured — open only to requests addressed to a loopback or the public host —
//! and on any other address it exists only with a token, which every JSON call must present as
//! `Authorization: Bearer <token>` (the dashboard page asks for it); a state-changing request must
//! be JSON from the gateway's own origin. Nothing here answers a merchant's secret key, a session
//! id, an SSO token or a card token.

pub(crate) mod access;
mod browse;
mod control;
mod error;
mod journal;
mod notifications;
pub(crate) mod openapi;
mod orders;

use std::path::PathBuf;
use std::sync::Arc;

use access::{Access, Guard};
use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use tco_core::{Gateway, Merchant};

use crate::Config;
use crate::metrics::Metrics;

#[derive(Clone)]
pub(crate) struct AdminState {
    gateway: Arc<Gateway>,
    /// The merchants served, for reset and data loading.
    merchants: Arc<[Merchant]>,
    /// The data file given at start, loaded again by a reset.
    data_file: Option<PathBuf>,
    /// The counters the call chart reads.
    metrics: Arc<Metrics>,
}

pub(crate) fn router(gateway: Arc<Gateway>, config: &Config, metrics: Arc<Metrics>) -> Router {
    let Some(guard) = Guard::of(config) else {
        return Router::new();
    };
    let state = AdminState {
        gateway,
        merchants: config.merchants.clone().into(),
        data_file: config.fixtures.clone(),
        metrics,
    };
    let api = Router::new()
        .route("/_admin/journal", get(journal::read).delete(journal::clear))
        .route("/_admin/calls", get(journal::calls))
        .route("/_admin/reset", post(control::reset))
        .route("/_admin/data", post(control::load))
        .route("/_admin/snapshot", get(control::snapshot))
        .route("/_admin/clock", get(control::clock).post(control::move_clock).delete(control::reset_clock))
        .route("/_admin/faults", get(control::faults).post(control::add_fault).delete(control::clear_faults))
        .route("/_admin/faults/{id}", delete(control::remove_fault))
        .route("/_admin/merchants", get(browse::merchants))
        .route(
            "/_admin/merchants/{code}/notifications",
            get(notifications::settings).put(notifications::set_settings),
        )
        .route("/_admin/merchants/{code}/{operation}", post(browse::read))
        .route("/_admin/orders/{ref_no}/chargeback", post(orders::chargeback))
        .route("/_admin/notifications", get(notifications::list))
        .route("/_admin/notifications/trigger", post(notifications::trigger))
        .route("/_admin/notifications/{id}/resend", post(notifications::resend))
        .route_layer(middleware::from_fn_with_state(guard.clone(), access::guard_api))
        .with_state(state);
    let token_required = matches!(guard.access, Access::Token(_));
    Router::new()
        .route("/_admin", get(move || dashboard(token_required)))
        .route("/_admin/", get(move || dashboard(token_required)))
        .route_layer(middleware::from_fn_with_state(guard, access::guard_page))
        .merge(api)
}

/// The dashboard: one page, its script inline; no build step, nothing fetched from elsewhere.
async fn dashboard(token_required: bool) -> Response {
    let page = include_str!("dashboard.html")
        .replace("__TOKEN_REQUIRED__", if token_required { "true" } else { "false" });
    ([(CONTENT_TYPE, "text/html; charset=utf-8"), (CACHE_CONTROL, "no-store")], page).into_response()
}
