//! Core errors as JSON-RPC error objects: `{"code": <int>, "message": "…", "data":
//! {"error_code": "<CODE>"}}`. [`code`] is the one mapping from the catalogue to JSON-RPC
//! codes (the JSON-RPC column of `docs/errors.md`). Application codes stay outside
//! −32768…−32000, which JSON-RPC reserves.

use tco_core::{Error, ErrorCode};

pub const PARSE_ERROR: i32 = -32700;
pub const INVALID_REQUEST: i32 = -32600;
pub const METHOD_NOT_FOUND: i32 = -32601;
pub const INVALID_PARAMS: i32 = -32602;
pub const INTERNAL_ERROR: i32 = -32603;

/// The JSON-RPC code for each catalogue code (the catalogue's JSON-RPC column).
pub fn code(code: ErrorCode) -> i32 {
    code.jsonrpc_code()
}

/// A core error as a JSON-RPC error object.
pub fn error_object(error: &Error) -> String {
    let catalogue = error.code();
    object(code(catalogue), &error.to_string(), catalogue)
}

/// JSON-RPC's own refusals (not JSON, not a call), with the catalogue code they belong to.
pub(crate) fn refusal_object(refusal: &crate::framing::Refusal) -> String {
    object(refusal.code(), &refusal.message(), refusal.catalogue_code())
}

/// `{"code":…,"message":…,"data":{"error_code":…}}`, as JSON text.
fn object(code: i32, message: &str, catalogue: ErrorCode) -> String {
    let message = serde_json::Value::from(message);
    format!(r#"{{"code":{code},"message":{message},"data":{{"error_code":"{}"}}}}"#, catalogue.as_str())
}
