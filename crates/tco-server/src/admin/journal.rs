//! `GET /_admin/journal` (filters `merchant`, `protocol`, `operation`, `since`),
//! `DELETE /_admin/journal`, and `GET /_admin/calls`: the calls of the last minutes counted.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use tco_core::{JournalEntry, JournalFilter, Outcome, Protocol};

use super::AdminState;
use super::error::AdminError;
use crate::recent_calls::{BUCKET, BUCKETS};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct JournalQuery {
    merchant: Option<String>,
    protocol: Option<String>,
    operation: Option<String>,
    /// RFC 3339, e.g. `2026-11-22T10:00:00Z`.
    since: Option<String>,
}

pub(crate) async fn read(State(state): State<AdminState>, Query(query): Query<JournalQuery>) -> Response {
    let protocol = match blank(query.protocol).as_deref().map(|name| Protocol::parse(name).ok_or(name)) {
        None => None,
        Some(Ok(protocol)) => Some(protocol),
        Some(Err(name)) => {
            let message = format!("unknown protocol {name:?}: use rest, jsonrpc or soap");
            return AdminError::invalid(&message).into_response();
        }
    };
    let since = match blank(query.since).as_deref().map(DateTime::parse_from_rfc3339) {
        None => None,
        Some(Ok(since)) => Some(since.with_timezone(&Utc)),
        Some(Err(_)) => {
            let message = "since must be an RFC 3339 time, e.g. 2026-11-22T10:00:00Z";
            return AdminError::invalid(message).into_response();
        }
    };
    let filter =
        JournalFilter { merchant: blank(query.merchant), protocol, operation: blank(query.operation), since };
    let journal = state.gateway.journal();
    let entries: Vec<Value> = journal.entries(&filter).iter().map(entry_json).collect();
    let (bytes, byte_budget) = journal.bytes();
    Json(json!({ "capacity": journal.capacity(), "bytes": bytes, "byte_budget": byte_budget, "entries": entries }))
        .into_response()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CallsQuery {
    merchant: Option<String>,
}

/// Every protocol and operation called in the last ten minutes (by `?merchant=`, or by anyone),
/// its calls and failures per ten-second bucket, oldest first (the last bucket is filling now).
pub(crate) async fn calls(State(state): State<AdminState>, Query(query): Query<CallsQuery>) -> Json<Value> {
    let merchant = blank(query.merchant);
    let series: Vec<Value> = state
        .metrics
        .recent_calls()
        .series(merchant.as_deref())
        .into_iter()
        .map(|series| {
            json!({
                "protocol": series.protocol,
                "operation": series.operation,
                "calls": series.calls,
                "failures": series.failures,
            })
        })
        .collect();
    Json(json!({ "bucket_seconds": BUCKET.as_secs(), "buckets": BUCKETS, "series": series }))
}

/// A query parameter given empty is no filter.
fn blank(value: Option<String>) -> Option<String> {
    value.filter(|value| !value.trim().is_empty())
}

pub(crate) async fn clear(State(state): State<AdminState>) -> StatusCode {
    state.gateway.journal().clear();
    StatusCode::NO_CONTENT
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
        "injected": entry.injected,
    })
}
