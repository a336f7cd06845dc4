//! What no API call does to an order: a chargeback (`POST /_admin/orders/{RefNo}/chargeback`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::AdminState;
use super::control::json_body;
use super::error::AdminError;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChargebackBody {
    /// The order's merchant; every served merchant is tried without it.
    merchant: Option<String>,
    reason_code: Option<String>,
}

/// Marks the order `REVERSED` and announces it (IPN `REVERSED` with the reason code).
pub(crate) async fn chargeback(
    State(state): State<AdminState>,
    Path(ref_no): Path<String>,
    body: Bytes,
) -> Response {
    let body: ChargebackBody = match body.iter().all(u8::is_ascii_whitespace) {
        true => ChargebackBody::default(),
        false => match json_body(&body, r#"{"merchant": "TCODEMO", "reason_code": "FRAUD"}"#) {
            Ok(body) => body,
            Err(message) => return AdminError::invalid(message).into_response(),
        },
    };
    let merchants: Vec<String> = match body.merchant {
        Some(code) => vec![code],
        None => state.merchants.iter().map(|merchant| merchant.code.clone()).collect(),
    };
    let reason = body.reason_code.unwrap_or_default();
    let mut outcome = Err(tco_core::Error::OrderNotFound);
    for code in &merchants {
        outcome = state.gateway.chargeback(code, &ref_no, &reason).await;
        if !matches!(outcome, Err(tco_core::Error::OrderNotFound)) {
            return match outcome {
                Ok(()) => {
                    Json(json!({ "RefNo": ref_no, "merchant": code, "Status": "REVERSED" })).into_response()
                }
                Err(error) => AdminError::from(error).into_response(),
            };
        }
    }
    match outcome {
        Ok(()) => Json(json!({ "RefNo": ref_no })).into_response(),
        Err(error) => AdminError::from(error).into_response(),
    }
}
