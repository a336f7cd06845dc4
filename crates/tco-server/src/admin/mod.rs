//! The dashboard (`GET /_admin/`) and the admin API (`/_admin/…`, JSON): the call journal, reset
//! and data loading, time travel, fault injection, and the state browser. Described in the
//! OpenAPI document ([`openapi`]).
//!
//! The access rule: on a loopback listen address everything here is open unless an admin token
//! is configured; on any other address it exists only with a token, which every JSON call must
//! present as `Authorization: Bearer <token>` (the dashboard page asks for it). Nothing here
//! answers a merchant's secret key, a session id, an SSO token or a card token.

mod browse;
mod control;
mod journal;
pub(crate) mod openapi;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::json;
use tco_core::{Gateway, Merchant};

use crate::Config;

/// Who may use the admin endpoints.
#[derive(Debug, Clone)]
pub(crate) enum Access {
    /// Anyone who reaches the (loopback) address.
    Open,
    /// Only with this bearer token.
    Token(Arc<str>),
}

impl Access {
    /// The rule for `config`; `None` when the admin endpoints must not exist.
    pub(crate) fn of(config: &Config) -> Option<Access> {
        match &config.admin_token {
            Some(token) => Some(Access::Token(token.as_str().into())),
            None if config.listen.ip().is_loopback() => Some(Access::Open),
            None => None,
        }
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
        let Access::Token(token) = self else {
            return true;
        };
        let presented = headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or_default();
        presented.len() == token.len()
            && presented.bytes().zip(token.bytes()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
    }
}

#[derive(Clone)]
pub(crate) struct AdminState {
    gateway: Arc<Gateway>,
    /// The merchants served, for reset and data loading.
    merchants: Arc<[Merchant]>,
    /// The data file given at start, loaded again by a reset.
    data_file: Option<PathBuf>,
}

pub(crate) fn router(gateway: Arc<Gateway>, config: &Config) -> Router {
    let Some(access) = Access::of(config) else {
        return Router::new();
    };
    let state = AdminState {
        gateway,
        merchants: config.merchants.clone().into(),
        data_file: config.fixtures.clone(),
    };
    let api = Router::new()
        .route("/_admin/journal", get(journal::read).delete(journal::clear))
        .route("/_admin/reset", post(control::reset))
        .route("/_admin/data", post(control::load))
        .route("/_admin/clock", get(control::clock).post(control::move_clock).delete(control::reset_clock))
        .route("/_admin/faults", get(control::faults).post(control::add_fault).delete(control::clear_faults))
        .route("/_admin/faults/{id}", delete(control::remove_fault))
        .route("/_admin/merchants", get(browse::merchants))
        .route("/_admin/merchants/{code}/{operation}", post(browse::read))
        .route_layer(middleware::from_fn_with_state(access.clone(), guard))
        .with_state(state);
    let token_required = matches!(access, Access::Token(_));
    Router::new()
        .route("/_admin", get(move || dashboard(token_required)))
        .route("/_admin/", get(move || dashboard(token_required)))
        .merge(api)
}

async fn guard(State(access): State<Access>, request: Request, next: Next) -> Response {
    if access.allows(request.headers()) {
        next.run(request).await
    } else {
        problem(
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_ERROR",
            "admin endpoints need Authorization: Bearer <admin token>",
        )
    }
}

/// The dashboard: one page, its script inline; no build step, nothing fetched from elsewhere.
async fn dashboard(token_required: bool) -> Response {
    let page = include_str!("dashboard.html")
        .replace("__TOKEN_REQUIRED__", if token_required { "true" } else { "false" });
    ([(CONTENT_TYPE, "text/html; charset=utf-8"), (CACHE_CONTROL, "no-store")], page).into_response()
}

/// A refused admin request: `INVALID_FIELD` through the catalogue's REST mapping.
pub(crate) fn invalid(message: &str) -> Response {
    tco_rest::error::RestError::from(tco_core::Error::InvalidValue(message.to_owned())).into_response()
}

/// An admin API answer the catalogue has no code for (a missing token, an unknown fault, a
/// data file that no longer loads): `{"error_code", "message"}` as on REST.
pub(crate) fn problem(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "error_code": code, "message": message }))).into_response()
}
