//! The legacy API's one mapping of the core's error catalogue: `{"errors": [{"code",
//! "message"}]}` with the legacy codes (`PARAMETER_MISSING`, `PARAMETER_INVALID`,
//! `RECORD_NOT_FOUND`, `FORBIDDEN`, `NOTHING_TO_DO`, `FAILED`) and an HTTP status for each.

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tco_core::{Error, ErrorCode};

/// A legacy error answer.
#[derive(Debug)]
pub struct LegacyError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// The catalogue code behind it, for the edge's metrics and fault log.
    catalogue: ErrorCode,
}

impl LegacyError {
    pub(crate) fn unauthorized() -> Self {
        LegacyError {
            status: StatusCode::UNAUTHORIZED,
            code: "FORBIDDEN",
            message: "Access denied to API: wrong API username or password.".into(),
            catalogue: ErrorCode::AuthenticationError,
        }
    }

    pub(crate) fn forbidden(message: &str) -> Self {
        LegacyError {
            status: StatusCode::FORBIDDEN,
            code: "FORBIDDEN",
            message: message.to_owned(),
            catalogue: ErrorCode::InvalidField,
        }
    }

    /// A write sent other than as a POST.
    pub(crate) fn method_not_allowed(call: &str) -> Self {
        LegacyError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "PARAMETER_INVALID",
            message: format!("{call} changes something: send it as a POST with form fields."),
            catalogue: ErrorCode::MethodNotAllowed,
        }
    }

    pub(crate) fn not_found(call: &str) -> Self {
        LegacyError {
            status: StatusCode::NOT_FOUND,
            code: "RECORD_NOT_FOUND",
            message: format!("{call} is not a call of the legacy API."),
            catalogue: ErrorCode::UnknownOperation,
        }
    }

    /// A call the upgrade guide marks "Deprecated": answered, never a 404.
    pub(crate) fn deprecated(call: &str) -> Self {
        LegacyError {
            status: StatusCode::BAD_REQUEST,
            code: "FORBIDDEN",
            message: format!(
                "{call} is deprecated: API 6.0 has no replacement for it (see the 2Checkout API methods status table)."
            ),
            catalogue: ErrorCode::UnknownOperation,
        }
    }
}

impl From<Error> for LegacyError {
    fn from(error: Error) -> Self {
        let catalogue = error.code();
        let message = error.to_string();
        let (status, code) = match catalogue {
            ErrorCode::MissingRequiredField => (StatusCode::BAD_REQUEST, "PARAMETER_MISSING"),
            ErrorCode::OrderNotFound
            | ErrorCode::ProductNotFound
            | ErrorCode::SubscriptionNotFound
            | ErrorCode::PromotionNotFound
            | ErrorCode::PriceOptionGroupNotFound => (StatusCode::NOT_FOUND, "RECORD_NOT_FOUND"),
            ErrorCode::RefundNotAllowed | ErrorCode::InvalidSubscriptionOperation => {
                (StatusCode::BAD_REQUEST, "NOTHING_TO_DO")
            }
            ErrorCode::AuthenticationError => (StatusCode::UNAUTHORIZED, "FORBIDDEN"),
            code if code.is_server_fault() => (StatusCode::INTERNAL_SERVER_ERROR, "FAILED"),
            ErrorCode::RequestTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "PARAMETER_INVALID"),
            ErrorCode::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "PARAMETER_INVALID"),
            _ => (StatusCode::BAD_REQUEST, "PARAMETER_INVALID"),
        };
        let message = match catalogue {
            ErrorCode::MissingRequiredField => match &error {
                Error::MissingField(field) => format!("Required parameter missing: {field}"),
                _ => message,
            },
            ErrorCode::OrderNotFound | ErrorCode::ProductNotFound | ErrorCode::PromotionNotFound => {
                "Unable to find record.".to_owned()
            }
            // A server fault's details stay in the log.
            code if code.is_server_fault() => "The request failed; try again.".to_owned(),
            _ => message,
        };
        LegacyError { status, code, message, catalogue }
    }
}

impl IntoResponse for LegacyError {
    fn into_response(self) -> Response {
        let body = json!({"errors": [{"code": self.code, "message": self.message}]}).to_string();
        let mut response = (self.status, [(CONTENT_TYPE, "application/json")], body).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            let (name, value) = crate::basic_challenge();
            response.headers_mut().insert(name, value);
        }
        response.extensions_mut().insert(self.catalogue);
        response
    }
}
