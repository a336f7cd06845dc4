//! Administration endpoints, off the API paths: `GET /_admin/journal` (filters `merchant`,
//! `protocol`, `operation`, `since`) and `DELETE /_admin/journal`. They need
//! `Authorization: Bearer <admin token>`; with no token configured they do not exist.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use tco_core::{Gateway, JournalEntry, JournalFilter, Outcome, Protocol};

#[derive(Clone)]
struct AdminState {
    gateway: Arc<Gateway>,
    token: Arc<str>,
}

pub(crate) fn router(gateway: Arc<Gateway>, token: Option<String>) -> Router {
    let Some(token) = token else {
        return Router::new();
    };
    let state = AdminState { gateway, token: token.into() };
    Router::new().route("/_admin/journal", get(read).delete(clear)).with_state(state)
}

#[derive(Debug, Default, Deserialize)]
struct JournalQuery {
    merchant: Option<String>,
    protocol: Option<String>,
    operation: Option<String>,
    /// RFC 3339, e.g. `2026-11-22T10:00:00Z`.
    since: Option<String>,
}

async fn read(
    State(state): State<AdminState>,
    headers: HeaderMap,
    Query(query): Query<JournalQuery>,
) -> Response {
    if let Some(refusal) = refuse(&state, &headers) {
        return refusal;
    }
    let protocol = match query.protocol.as_deref().map(|name| Protocol::parse(name).ok_or(name)) {
        None => None,
        Some(Ok(protocol)) => Some(protocol),
        Some(Err(name)) => {
            return problem(
                StatusCode::BAD_REQUEST,
                &format!("unknown protocol {name:?}: use rest, jsonrpc or soap"),
            );
        }
    };
    let since = match query.since.as_deref().map(DateTime::parse_from_rfc3339) {
        None => None,
        Some(Ok(since)) => Some(since.with_timezone(&Utc)),
        Some(Err(_)) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "since must be an RFC 3339 time, e.g. 2026-11-22T10:00:00Z",
            );
        }
    };
    let filter = JournalFilter { merchant: query.merchant, protocol, operation: query.operation, since };
    let entries: Vec<Value> = state.gateway.journal().entries(&filter).iter().map(entry_json).collect();
    let journal = state.gateway.journal();
    let (bytes, byte_budget) = journal.bytes();
    Json(json!({ "capacity": journal.capacity(), "bytes": bytes, "byte_budget": byte_budget, "entries": entries }))
        .into_response()
}

async fn clear(State(state): State<AdminState>, headers: HeaderMap) -> Response {
    if let Some(refusal) = refuse(&state, &headers) {
        return refusal;
    }
    state.gateway.journal().clear();
    StatusCode::NO_CONTENT.into_response()
}

fn refuse(state: &AdminState, headers: &HeaderMap) -> Option<Response> {
    let presented = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    let matches = presented.len() == state.token.len()
        && presented.bytes().zip(state.token.bytes()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0;
    (!matches).then(|| {
        problem(StatusCode::UNAUTHORIZED, "admin endpoints need Authorization: Bearer <admin token>")
    })
}

fn problem(status: StatusCode, message: &str) -> Response {
    let code = if status == StatusCode::UNAUTHORIZED { "AUTHENTICATION_ERROR" } else { "INVALID_FIELD" };
    (status, Json(json!({ "error_code": code, "message": message }))).into_response()
}

fn entry_json(entry: &JournalEntry) -> Value {
    let arguments: serde_json::Map<String, Value> = entry
        .arguments
        .iter()
        .map(|(name, value)| ((*name).to_owned(), Value::String(value.clone())))
        .collect();
    let outcome = match &entry.outcome {
        Outcome::Success(result) => json!({ "result": result }),
        Outcome::Failure(code) => json!({ "error_code": code.as_str() }),
    };
    json!({
        "time": entry.time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "merchant": entry.merchant,
        "protocol": entry.protocol.as_str(),
        "operation": entry.operation,
        "arguments": arguments,
        "outcome": outcome,
        "latency_us": entry.latency_us,
    })
}
