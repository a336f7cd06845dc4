//! The admin controls: reset and data loading, time travel, fault injection.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use tco_core::{ClockChange, ClockSetting, ErrorCode, Fault, FaultAction, FaultRule, Gateway, Protocol};

use tco_api::data_file::{self, DataFile};

use super::AdminState;
use super::error::AdminError;
use crate::data;

/// The body as JSON whatever its declared type (curl's `-d` says form data), or why not.
pub(super) fn json_body<T: serde::de::DeserializeOwned>(body: &Bytes, example: &str) -> Result<T, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("send a JSON object, e.g. {example}"));
    }
    serde_json::from_slice(body).map_err(|error| format!("the body is not {example}-like JSON: {error}"))
}

// ----- reset and data -----

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ResetQuery {
    merchant: Option<String>,
}

/// `POST /_admin/reset[?merchant=CODE]`: erases the merchant's state (every served merchant's
/// without one) and loads the demo data and the data file again, in one transaction.
pub(crate) async fn reset(State(state): State<AdminState>, Query(query): Query<ResetQuery>) -> Response {
    let merchants: Vec<_> = match query.merchant.as_deref().filter(|code| !code.is_empty()) {
        Some(code) => match state.merchants.iter().find(|merchant| merchant.code == code) {
            Some(merchant) => vec![merchant.clone()],
            None => {
                return AdminError::invalid(format!("merchant {code} is not served by this gateway"))
                    .into_response();
            }
        },
        None => state.merchants.to_vec(),
    };
    let reloaded = data::starting_data(&merchants, state.data_file.as_deref(), true);
    let codes: Vec<&str> = merchants.iter().map(|merchant| merchant.code.as_str()).collect();
    let reset = match reloaded {
        Ok(files) => data_file::reset(&state.gateway, &codes, &files).await,
        Err(error) => Err(error),
    };
    let (erased, loaded) = match reset {
        Ok(counts) => counts,
        Err(error) => {
            return AdminError::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", error.to_string())
                .into_response();
        }
    };
    if query.merchant.is_none() {
        state.gateway.journal().clear();
    }
    tracing::info!(merchants = ?codes, erased, loaded, "state reset");
    Json(json!({ "merchants": codes, "erased": erased, "loaded": loaded })).into_response()
}

/// `POST /_admin/data`: loads the body as a data file (the `--fixtures` format), whole or not at
/// all; what exists already is left as it is.
pub(crate) async fn load(State(state): State<AdminState>, body: Bytes) -> Response {
    let Ok(text) = std::str::from_utf8(&body) else {
        return AdminError::invalid("the data file must be UTF-8 JSON").into_response();
    };
    // A snapshot replaces its merchant's state: erased, then loaded, in one transaction.
    let loaded = match DataFile::parse(text, "the posted data file", &state.merchants, false) {
        Ok(file) => {
            let replaced: Vec<String> = file.snapshot_codes().map(str::to_owned).collect();
            let replaced: Vec<&str> = replaced.iter().map(String::as_str).collect();
            data_file::reset(&state.gateway, &replaced, &[file]).await.map(|(_, loaded)| loaded)
        }
        Err(error) => Err(error),
    };
    match loaded {
        Ok(loaded) => Json(json!({ "loaded": loaded })).into_response(),
        Err(error) => AdminError::invalid(error.to_string()).into_response(),
    }
}

/// `GET /_admin/snapshot?merchant=CODE` (the only merchant served when there is one): the
/// merchant's whole state as a data file — its settings and its stored state — which
/// `--fixtures` or `POST /_admin/data` load back. No secret is in it.
pub(crate) async fn snapshot(State(state): State<AdminState>, Query(query): Query<ResetQuery>) -> Response {
    let code = match (query.merchant.filter(|code| !code.is_empty()), state.merchants.as_ref()) {
        (Some(code), _) => code,
        (None, [only]) => only.code.clone(),
        (None, _) => return AdminError::invalid("name the merchant: ?merchant=CODE").into_response(),
    };
    match state.gateway.merchant_state(&code).await {
        Ok(stored) => {
            let config = state.gateway.merchant_config(&code);
            let document = tco_api::snapshot::document(&code, &config, &stored);
            let disposition = format!("attachment; filename=\"{code}-snapshot.json\"");
            let mut response = Json(document).into_response();
            if let Ok(value) = axum::http::HeaderValue::from_str(&disposition) {
                response.headers_mut().insert(axum::http::header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => AdminError::from(error).into_response(),
    }
}

// ----- time travel -----

fn clock_json(gateway: &Gateway, setting: ClockSetting) -> Value {
    let time = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Millis, true);
    let real = gateway.wall_clock();
    json!({
        "now": time(setting.time(real)),
        "real_now": time(real),
        "offset_seconds": setting.offset.num_milliseconds() as f64 / 1000.0,
        "frozen": setting.frozen_at.is_some(),
        "frozen_at": setting.frozen_at.map(time),
    })
}

/// `GET /_admin/clock`.
pub(crate) async fn clock(State(state): State<AdminState>) -> Json<Value> {
    Json(clock_json(&state.gateway, state.gateway.clock_setting()))
}

/// A duration as seconds (`660`) or with a unit (`"11m"`, `"90s"`, `"2h"`, `"3d"`, `"-1h"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum TimeSpan {
    Seconds(i64),
    Text(String),
}

impl TimeSpan {
    fn duration(&self) -> Option<Duration> {
        match self {
            TimeSpan::Seconds(seconds) => Duration::try_seconds(*seconds),
            TimeSpan::Text(text) => {
                let text = text.trim();
                let units = [('s', 1), ('m', 60), ('h', 3600), ('d', 86_400)];
                let (number, unit) = units
                    .iter()
                    .find_map(|(suffix, seconds)| Some((text.strip_suffix(*suffix)?, *seconds)))
                    .unwrap_or((text, 1));
                Duration::try_seconds(number.trim().parse::<i64>().ok()?.checked_mul(unit)?)
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClockMove {
    advance: Option<TimeSpan>,
    offset: Option<TimeSpan>,
    freeze: Option<bool>,
    /// Where to freeze (RFC 3339); the clock's current time without it.
    at: Option<String>,
}

/// `POST /_admin/clock` with one of `{"advance": "11m"}`, `{"offset": "-1h"}`,
/// `{"freeze": true[, "at": "2027-01-01T00:00:00Z"]}`, `{"freeze": false}`.
pub(crate) async fn move_clock(State(state): State<AdminState>, body: Bytes) -> Response {
    let body: ClockMove = match json_body(&body, r#"{"advance": "11m"}"#) {
        Ok(body) => body,
        Err(message) => return AdminError::invalid(&message).into_response(),
    };
    let change = match (&body.advance, &body.offset, body.freeze) {
        (Some(span), None, None) => span.duration().map(ClockChange::Advance),
        (None, Some(span), None) => span.duration().map(ClockChange::Offset),
        (None, None, Some(true)) => match body.at.as_deref().map(DateTime::parse_from_rfc3339) {
            None => Some(ClockChange::Freeze(None)),
            Some(Ok(at)) => Some(ClockChange::Freeze(Some(at.with_timezone(&Utc)))),
            Some(Err(_)) => {
                return AdminError::invalid("at must be an RFC 3339 time, e.g. 2027-01-01T00:00:00Z")
                    .into_response();
            }
        },
        (None, None, Some(false)) => Some(ClockChange::Unfreeze),
        _ => return AdminError::invalid("give exactly one of advance, offset or freeze").into_response(),
    };
    let Some(change) = change else {
        return AdminError::invalid("a duration is seconds (660) or a number with s, m, h or d (\"11m\")")
            .into_response();
    };
    change_clock(&state.gateway, change).await
}

/// `DELETE /_admin/clock`: back to real time.
pub(crate) async fn reset_clock(State(state): State<AdminState>) -> Response {
    change_clock(&state.gateway, ClockChange::Reset).await
}

async fn change_clock(gateway: &Gateway, change: ClockChange) -> Response {
    match gateway.change_clock(change).await {
        Ok(setting) => {
            tracing::info!(?change, "clock moved");
            Json(clock_json(gateway, setting)).into_response()
        }
        Err(error) => AdminError::from(error).into_response(),
    }
}

// ----- fault injection -----

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultBody {
    operation: Option<String>,
    protocol: Option<String>,
    merchant: Option<String>,
    /// A catalogue code to answer with.
    error: Option<String>,
    latency_ms: Option<u64>,
    drop: Option<bool>,
    times: Option<u32>,
    percent: Option<u8>,
}

fn fault_json(fault: &Fault) -> Value {
    let rule = &fault.rule;
    let (kind, value) = match rule.action {
        FaultAction::Error(code) => ("error", json!(code.as_str())),
        FaultAction::Latency(delay) => ("latency_ms", json!(delay.as_millis() as u64)),
        FaultAction::Drop => ("drop", json!(true)),
    };
    let mut fault_json = json!({
        "id": fault.id,
        "operation": rule.operation,
        "protocol": rule.protocol.map(Protocol::as_str),
        "merchant": rule.merchant,
        "times": rule.times,
        "percent": rule.percent,
        "seen": fault.seen,
        "hit": fault.hit,
    });
    fault_json[kind] = value;
    fault_json
}

/// `GET /_admin/faults`.
pub(crate) async fn faults(State(state): State<AdminState>) -> Json<Value> {
    Json(json!({ "faults": state.gateway.faults().list().iter().map(fault_json).collect::<Vec<_>>() }))
}

/// `POST /_admin/faults`: `{"operation", "protocol"?, "merchant"?, one of "error" | "latency_ms" |
/// "drop", "times"?, "percent"?}`.
pub(crate) async fn add_fault(State(state): State<AdminState>, body: Bytes) -> Response {
    let example = r#"{"operation": "getCustomerInformation", "error": "INVALID_SESSION", "times": 1}"#;
    let body: FaultBody = match json_body(&body, example) {
        Ok(body) => body,
        Err(message) => return AdminError::invalid(&message).into_response(),
    };
    let action = match (&body.error, body.latency_ms, body.drop) {
        (Some(code), None, None | Some(false)) => match ErrorCode::parse(code) {
            Some(ErrorCode::ConnectionDropped) => FaultAction::Drop,
            Some(code) => FaultAction::Error(code),
            None => {
                return AdminError::invalid(format!("{code} is not a code of docs/errors.md"))
                    .into_response();
            }
        },
        (None, Some(ms), None | Some(false)) => {
            FaultAction::Latency(std::time::Duration::from_millis(ms.min(600_000)))
        }
        (None, None, Some(true)) => FaultAction::Drop,
        _ => return AdminError::invalid("give exactly one of error, latency_ms or drop").into_response(),
    };
    let protocol = match body.protocol.as_deref().filter(|name| !name.is_empty()) {
        None => None,
        Some(name) => match Protocol::parse(name) {
            Some(protocol) => Some(protocol),
            None => {
                return AdminError::invalid(format!("unknown protocol {name:?}: use rest, jsonrpc or soap"))
                    .into_response();
            }
        },
    };
    let operation = body.operation.unwrap_or_default();
    if operation != "*"
        && tco_api::descriptors().iter().all(|known| !known.name.eq_ignore_ascii_case(&operation))
    {
        return AdminError::invalid(format!(
            "operation {operation:?} is not an operation of the API (or * for all)"
        ))
        .into_response();
    }
    let rule = FaultRule {
        operation,
        protocol,
        merchant: body.merchant.filter(|code| !code.is_empty()),
        action,
        times: body.times,
        percent: body.percent,
    };
    match state.gateway.faults().add(rule) {
        Ok(fault) => {
            tracing::info!(id = fault.id, operation = %fault.rule.operation, "fault injected");
            (StatusCode::CREATED, Json(fault_json(&fault))).into_response()
        }
        Err(error) => AdminError::invalid(error.to_string()).into_response(),
    }
}

/// `DELETE /_admin/faults`.
pub(crate) async fn clear_faults(State(state): State<AdminState>) -> StatusCode {
    state.gateway.faults().clear();
    StatusCode::NO_CONTENT
}

/// `DELETE /_admin/faults/{id}`.
pub(crate) async fn remove_fault(State(state): State<AdminState>, Path(id): Path<u64>) -> Response {
    if state.gateway.faults().remove(id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        AdminError::new(StatusCode::NOT_FOUND, "INVALID_FIELD", format!("there is no fault {id}"))
            .into_response()
    }
}
