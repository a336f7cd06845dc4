//! Core errors as JSON-RPC error objects: `{"code": <int>, "message": "…", "data":
//! {"error_code": "<CODE>"}}`. [`code`] is the one mapping from the catalogue to JSON-RPC
//! codes (the JSON-RPC column of `docs/errors.md`). Application codes stay outside
//! −32768…−32000, which JSON-RPC reserves.

use jsonrpsee::types::ErrorObjectOwned;
use serde_json::json;
use tco_core::{Error, ErrorCode};

pub const PARSE_ERROR: i32 = -32700;
pub const INVALID_REQUEST: i32 = -32600;
pub const METHOD_NOT_FOUND: i32 = -32601;
pub const INVALID_PARAMS: i32 = -32602;
pub const INTERNAL_ERROR: i32 = -32603;

/// The JSON-RPC code for each catalogue code.
pub fn code(code: ErrorCode) -> i32 {
    match code {
        // The vendor's own codes (GermanKingYT/Avangate-Smart-Api-Client).
        ErrorCode::AuthenticationError => 10000,
        ErrorCode::InvalidSession => 10001,
        ErrorCode::SessionExpired => 10002,
        // Project decisions: the vendor documents no codes for customer methods.
        ErrorCode::MissingRequiredField => 40001,
        ErrorCode::InvalidField => 40002,
        ErrorCode::FiscalCodeWithoutCompany => 40003,
        ErrorCode::DuplicateExternalReference => 40004,
        ErrorCode::ReferenceMismatch => 40005,
        ErrorCode::NotFoundCard => 40006,
        ErrorCode::InvalidSsoToken => 40007,
        ErrorCode::NotFoundCustomer => 40401,
        ErrorCode::ServiceUnavailable => 50003,
        // Protocol-level failures keep the standard codes.
        ErrorCode::MalformedRequest => INVALID_PARAMS,
        ErrorCode::RequestTooLarge | ErrorCode::UnsupportedMediaType | ErrorCode::MethodNotAllowed => {
            INVALID_REQUEST
        }
        ErrorCode::UnknownOperation => METHOD_NOT_FOUND,
        ErrorCode::InternalError => INTERNAL_ERROR,
    }
}

/// The catalogue code of a standard error jsonrpsee produced by itself (parse errors,
/// invalid requests, unknown methods), so those carry `data.error_code` too.
pub fn catalogue_code_of_standard(code: i32) -> Option<ErrorCode> {
    match code {
        PARSE_ERROR | INVALID_REQUEST | INVALID_PARAMS => Some(ErrorCode::MalformedRequest),
        METHOD_NOT_FOUND => Some(ErrorCode::UnknownOperation),
        // jsonrpsee's "request too big" and "too big batch", in its implementation range.
        -32007 | -32010 | -32011 => Some(ErrorCode::RequestTooLarge),
        INTERNAL_ERROR => Some(ErrorCode::InternalError),
        _ => None,
    }
}

pub fn error_object(error: &Error) -> ErrorObjectOwned {
    let catalogue = error.code();
    tracing::Span::current().record("error_code", catalogue.as_str());
    if catalogue.is_server_fault() {
        tracing::error!(error_code = catalogue.as_str(), "call failed on the server side");
    }
    ErrorObjectOwned::owned(
        code(catalogue),
        error.to_string(),
        Some(json!({ "error_code": catalogue.as_str() })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_codes_avoid_the_reserved_range() {
        for catalogue in ErrorCode::ALL {
            let value = code(catalogue);
            let standard = [PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR];
            assert!(standard.contains(&value) || !(-32768..=-32000).contains(&value), "{catalogue}: {value}");
            if standard.contains(&value) {
                assert!(catalogue_code_of_standard(value).is_some(), "{catalogue}");
            }
        }
    }
}
