//! The state browser's endpoints: `GET /_admin/merchants` and
//! `POST /_admin/merchants/{code}/{operation}` — a read operation (`searchCustomers`, `getOrder`…)
//! run as the merchant with the JSON body as its parameters, answering the vendor's objects.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tco_api::browse::{READS, read as run_read};

use super::AdminState;
use super::error::AdminError;
use crate::config::DEMO_MERCHANT_CODE;

pub(crate) async fn merchants(State(state): State<AdminState>) -> Json<Value> {
    let merchants: Vec<Value> = state
        .merchants
        .iter()
        .map(|merchant| json!({ "code": merchant.code, "demo": merchant.code == DEMO_MERCHANT_CODE }))
        .collect();
    let grace_period_days = state.gateway.settings().grace_period.num_days();
    Json(json!({ "merchants": merchants, "reads": READS, "grace_period_days": grace_period_days }))
}

pub(crate) async fn read(
    State(state): State<AdminState>,
    Path((code, operation)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    if !state.merchants.iter().any(|merchant| merchant.code == code) {
        let message = format!("merchant {code} is not served by this gateway");
        return AdminError::invalid(&message).into_response();
    }
    let params = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(params) => params,
            Err(error) => {
                let message = format!("the body must be the operation's parameters as JSON: {error}");
                return AdminError::invalid(&message).into_response();
            }
        }
    };
    match run_read(&state.gateway, &code, &operation, &params).await {
        Ok(result) => ([(axum::http::header::CONTENT_TYPE, "application/json")], result).into_response(),
        Err(error) => AdminError::from(error).into_response(),
    }
}
