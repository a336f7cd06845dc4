//! Core errors on REST: an HTTP status and `{"error_code": "<CODE>", "message": "<text>"}`.
//! [`status`] is the one mapping from the catalogue to HTTP (the REST column of
//! `docs/errors.md`).

use axum::Json;
use axum::http::header::CONNECTION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tco_core::{Error, ErrorCode};

/// The HTTP status for each catalogue code (the catalogue's REST column).
pub fn status(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub error_code: &'static str,
    pub message: String,
}

/// The vendor's REST message for every authentication failure, which its own PHP REST client
/// tests assert; the reason goes to the log instead.
pub const AUTHENTICATION_MESSAGE: &str = "Authentication needed for this resource";

impl ErrorBody {
    pub fn new(error: &Error) -> Self {
        let message = match error.code() {
            ErrorCode::AuthenticationError => {
                tracing::debug!(reason = %error, "authentication failed");
                AUTHENTICATION_MESSAGE.to_owned()
            }
            _ => error.to_string(),
        };
        ErrorBody { error_code: error.code().as_str(), message }
    }
}

/// A core error on its way to becoming a REST response.
#[derive(Debug)]
pub struct RestError(pub Error);

impl From<Error> for RestError {
    fn from(error: Error) -> Self {
        RestError(error)
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        let code = self.0.code();
        let mut response = (status(code), Json(ErrorBody::new(&self.0))).into_response();
        // For the edge's span and its one log line of a server fault.
        response.extensions_mut().insert(code);
        if code == ErrorCode::RequestTooLarge {
            // The rest of the body was never read: the connection cannot carry another request.
            response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_error_status() {
        for &code in ErrorCode::ALL {
            let status = status(code);
            assert!(status.is_client_error() || status.is_server_error(), "{code}");
            assert_eq!(status.is_server_error(), code.is_server_fault(), "{code}");
        }
    }
}
