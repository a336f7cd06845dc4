//! REST-only shapes; the objects REST shares with JSON-RPC are in `tco-json`.

use serde::Serialize;

/// The body of `DELETE …/credit-card/{token}`, as the vendor's OpenAPI describes it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CardDeletionDto {
    pub deleted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<CardDeletionErrorDto>>,
    /// Beside the vendor's shape, so every REST error body carries `error_code` and `message`.
    #[serde(rename = "error_code", skip_serializing_if = "Option::is_none")]
    pub error_code: Option<&'static str>,
    #[serde(rename = "message", skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CardDeletionErrorDto {
    pub subscription_reference: Option<String>,
    pub message: String,
    pub error_code: &'static str,
}
