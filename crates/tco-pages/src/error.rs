//! The signature service's errors: the catalogue's HTTP status and `{"error_code", "message"}`,
//! the body the vendor's REST API answers with, which the SDKs calling the service read.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tco_core::Error;

/// A core error answered by the signature service.
#[derive(Debug)]
pub(crate) struct ServiceError(pub(crate) Error);

impl From<Error> for ServiceError {
    fn from(error: Error) -> Self {
        ServiceError(error)
    }
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        let code = self.0.code();
        let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response =
            (status, Json(json!({ "error_code": code.as_str(), "message": self.0.to_string() })))
                .into_response();
        // For the edge's span and its one log line of a server fault.
        response.extensions_mut().insert(code);
        response
    }
}
