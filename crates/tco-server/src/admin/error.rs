//! The admin API's error body — `{"error_code", "message"}` with an HTTP status, the `AdminError`
//! schema of the OpenAPI document's admin part. A core error keeps its catalogue code and status;
//! the admin API's own refusals (the access rule, an unknown fault) have codes of their own.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub(crate) struct AdminError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl AdminError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AdminError { status, code, message: message.into() }
    }

    /// A request the admin API cannot take: `INVALID_FIELD`, 400.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        AdminError::new(StatusCode::BAD_REQUEST, "INVALID_FIELD", message)
    }
}

impl From<tco_core::Error> for AdminError {
    fn from(error: tco_core::Error) -> Self {
        let code = error.code();
        let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        AdminError { status, code: code.as_str(), message: error.to_string() }
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error_code": self.code, "message": self.message }))).into_response()
    }
}
