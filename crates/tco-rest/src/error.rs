//! Core errors on REST: an HTTP status and `{"error_code": "<CODE>", "message": "<text>"}`.
//! [`status`] is the one mapping from the catalogue to HTTP (the REST column of
//! `docs/errors.md`).

use axum::Json;
use axum::http::header::CONNECTION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tco_core::{Error, ErrorCode};

/// The HTTP status for each catalogue code.
pub fn status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::AuthenticationError | ErrorCode::InvalidSession | ErrorCode::SessionExpired => {
            StatusCode::UNAUTHORIZED
        }
        ErrorCode::MissingRequiredField
        | ErrorCode::InvalidField
        | ErrorCode::FiscalCodeWithoutCompany
        | ErrorCode::DuplicateExternalReference
        | ErrorCode::ReferenceMismatch
        | ErrorCode::NotFoundCard
        | ErrorCode::InvalidSsoToken
        | ErrorCode::MalformedRequest => StatusCode::BAD_REQUEST,
        ErrorCode::NotFoundCustomer | ErrorCode::UnknownOperation => StatusCode::NOT_FOUND,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::RequestTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub error_code: &'static str,
    pub message: String,
}

impl ErrorBody {
    pub fn new(error: &Error) -> Self {
        ErrorBody { error_code: error.code().as_str(), message: error.to_string() }
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
        record(code);
        let mut response = (status(code), Json(ErrorBody::new(&self.0))).into_response();
        if code == ErrorCode::RequestTooLarge {
            // The rest of the body was never read: the connection cannot carry another request.
            response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// Notes the code in the request span; server faults are logged there, once.
pub(crate) fn record(code: ErrorCode) {
    tracing::Span::current().record("error_code", code.as_str());
    if code.is_server_fault() {
        tracing::error!(error_code = code.as_str(), "request failed on the server side");
    }
}

pub type RestResult<T> = Result<T, RestError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_error_status() {
        for code in ErrorCode::ALL {
            let status = status(code);
            assert!(status.is_client_error() || status.is_server_error(), "{code}");
            assert_eq!(status.is_server_error(), code.is_server_fault(), "{code}");
        }
    }
}
