//! Notifications in the admin API: a merchant's listeners, the deliveries with their payloads,
//! attempts and verdicts, resending one, and triggering an IPN or LCN on a real order or
//! subscription (optionally with the listener edge cases).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use tco_core::{Delivery, DeliveryFilter, DeliveryState, NotificationKind, NotificationSettings};

use super::AdminState;
use super::control::json_body;
use super::error::AdminError;

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn settings_json(settings: &NotificationSettings) -> Value {
    json!({
        "ipn": settings.ipn,
        "lcn": settings.lcn,
        "ins": settings.ins,
        "pending_orders": settings.pending_orders,
        "ipn_fields": settings.ipn_fields,
    })
}

pub(crate) fn delivery_json(delivery: &Delivery) -> Value {
    json!({
        "id": delivery.id,
        "event_id": delivery.event_id,
        "merchant": delivery.merchant_code,
        "kind": delivery.kind.as_str(),
        "event": delivery.event,
        "subject": delivery.subject,
        "case": delivery.case,
        "url": delivery.url,
        "state": delivery.state.as_str(),
        "attempts": delivery.attempts.iter().map(|attempt| json!({
            "at": time(attempt.at),
            "http_status": attempt.http_status,
            "verdict": attempt.verdict,
        })).collect::<Vec<_>>(),
        "created_at": time(delivery.created_at),
        "next_attempt_at": delivery.next_attempt_at.map(time),
        "fields": delivery.fields.iter().map(|(name, value)| json!([name, value])).collect::<Vec<_>>(),
    })
}

/// `GET /_admin/merchants/{code}/notifications`.
pub(crate) async fn settings(State(state): State<AdminState>, Path(code): Path<String>) -> Response {
    match state.gateway.notification_settings(&code).await {
        Ok(settings) => Json(settings_json(&settings)).into_response(),
        Err(error) => AdminError::from(error).into_response(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsBody {
    #[serde(default)]
    ipn: Vec<String>,
    #[serde(default)]
    lcn: Vec<String>,
    #[serde(default)]
    ins: Vec<String>,
    #[serde(default)]
    pending_orders: bool,
    #[serde(default)]
    ipn_fields: Option<Vec<String>>,
}

/// `PUT /_admin/merchants/{code}/notifications` with `{"ipn": [url…], "lcn": [url…]}` (and
/// optionally `ins` — the legacy API's listeners —, `pending_orders`, `ipn_fields`): replaces them.
pub(crate) async fn set_settings(
    State(state): State<AdminState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Response {
    let body: SettingsBody = match json_body(&body, r#"{"ipn": ["http://127.0.0.1:8000/ipn"], "lcn": []}"#) {
        Ok(body) => body,
        Err(message) => return AdminError::invalid(message).into_response(),
    };
    let settings = NotificationSettings {
        ipn: body.ipn,
        lcn: body.lcn,
        ins: body.ins,
        pending_orders: body.pending_orders,
        ipn_fields: body.ipn_fields,
    };
    match state.gateway.set_notification_settings(&code, settings).await {
        Ok(settings) => Json(settings_json(&settings)).into_response(),
        Err(error) => AdminError::from(error).into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    merchant: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    event: Option<i64>,
    limit: Option<u32>,
}

/// `GET /_admin/notifications?merchant=&kind=ipn|lcn&state=&event=`: deliveries, newest first.
pub(crate) async fn list(State(state): State<AdminState>, Query(query): Query<ListQuery>) -> Response {
    let nonempty = |value: Option<String>| value.filter(|value| !value.trim().is_empty());
    let kind = match nonempty(query.kind) {
        None => None,
        Some(kind) => match NotificationKind::parse(&kind) {
            Some(kind) => Some(kind),
            None => return AdminError::invalid(format!("kind {kind:?} is ipn or lcn")).into_response(),
        },
    };
    let delivery_state = match nonempty(query.state) {
        None => None,
        Some(text) => match DeliveryState::parse(&text) {
            Some(delivery_state) => Some(delivery_state),
            None => {
                return AdminError::invalid(format!(
                    "state {text:?} is one of {}",
                    DeliveryState::NAMES.join(", ")
                ))
                .into_response();
            }
        },
    };
    let filter = DeliveryFilter {
        merchant_code: nonempty(query.merchant),
        kind,
        state: delivery_state,
        event_id: query.event,
        limit: query.limit.unwrap_or(200),
    };
    match state.gateway.deliveries(filter).await {
        Ok(deliveries) => Json(deliveries.iter().map(delivery_json).collect::<Vec<_>>()).into_response(),
        Err(error) => AdminError::from(error).into_response(),
    }
}

/// `POST /_admin/notifications/{id}/resend` → 202.
pub(crate) async fn resend(State(state): State<AdminState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return AdminError::new(
            StatusCode::NOT_FOUND,
            "INVALID_FIELD",
            format!("there is no notification {id}"),
        )
        .into_response();
    };
    match state.gateway.resend_delivery(id).await {
        Ok(()) => (StatusCode::ACCEPTED, Json(json!({ "id": id, "state": "pending" }))).into_response(),
        Err(error) => {
            AdminError::new(StatusCode::NOT_FOUND, "INVALID_FIELD", error.to_string()).into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerBody {
    merchant: String,
    order: Option<String>,
    status: Option<String>,
    subscription: Option<String>,
    reason: Option<String>,
    #[serde(default)]
    conformance: bool,
}

/// `POST /_admin/notifications/trigger` with `{"merchant", "order", "status"}` or
/// `{"merchant", "subscription", "reason"}` (and `"conformance": true` for the edge cases) →
/// 202 and the new event's ids; its deliveries follow within a moment.
pub(crate) async fn trigger(State(state): State<AdminState>, body: Bytes) -> Response {
    let example = r#"{"merchant": "CODE", "order": "RefNo", "status": "COMPLETE"}"#;
    let body: TriggerBody = match json_body(&body, example) {
        Ok(body) => body,
        Err(message) => return AdminError::invalid(message).into_response(),
    };
    let gateway = &state.gateway;
    let triggered = match (&body.order, &body.subscription) {
        (Some(order), None) => {
            let status = body.status.as_deref().unwrap_or("COMPLETE");
            gateway.trigger_order_notification(&body.merchant, order, status, body.conformance).await
        }
        (None, Some(subscription)) => {
            let reason = body.reason.as_deref().unwrap_or("LICENCE_CHANGE");
            gateway.trigger_licence_notification(&body.merchant, subscription, reason, body.conformance).await
        }
        _ => {
            return AdminError::invalid(format!("name an order or a subscription, e.g. {example}"))
                .into_response();
        }
    };
    match triggered {
        Ok(events) => (StatusCode::ACCEPTED, Json(json!({ "events": events }))).into_response(),
        Err(error) => AdminError::from(error).into_response(),
    }
}
