//! `tco-legacy` is the legacy 2Checkout API (API v1, "2CO") front end of tco-gateway:
//! `/api/{group}/{call}` as `https://www.2checkout.com/api/sales/detail_sale` served it, beside
//! API 6.0 on the same state. Calls authenticate with the merchant's legacy API user (HTTP
//! Basic), read GET query parameters or POST form fields, and answer the legacy JSON envelope
//! (`{"response_code": "OK", "response_message": …}` with every number as a string) or
//! `{"errors": [{"code", "message"}]}`. The identity mapping: a sale is an order (`sale_id` =
//! `RefNo`), its invoices the order and its subscriptions' renewal and upgrade orders, a
//! lineitem an order line (`lineitem_id` = the invoice's `RefNo` and the line's two-digit
//! position).
//!
//! It depends on `tco-core` (and `tco-api` for the catalog's product conversions) and axum:
//! never on another front end or on a store. It holds no business rule: each call translates to
//! the core's operations.

pub mod calls;
mod error;
pub mod openapi;
mod options;
mod products;
mod sales;
mod wire;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Map, Value};
use tco_core::{Call, Error, Gateway, MerchantContext, Protocol, Result};

pub use calls::{CALLS, LegacyCall};
pub use error::LegacyError;

/// Where the legacy API lives.
pub const PREFIX: &str = "/api";

/// Every legacy call, under [`PREFIX`].
pub fn router(gateway: Arc<Gateway>, body_limit: usize) -> Router {
    Router::new()
        .route(&format!("{PREFIX}/openapi.json"), axum::routing::get(openapi_json))
        .route(&format!("{PREFIX}/{{group}}/{{call}}"), axum::routing::any(handle))
        .with_state(LegacyState { gateway, body_limit })
}

#[derive(Debug, Clone)]
struct LegacyState {
    gateway: Arc<Gateway>,
    body_limit: usize,
}

/// One legacy request: its parameters (the query's, then a form body's) and who made it.
pub(crate) struct LegacyRequest {
    pub(crate) parameters: Vec<(String, String)>,
    pub(crate) username: String,
    pub(crate) seller_id: String,
}

impl LegacyRequest {
    /// A parameter's value, trimmed; empty counts as absent.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.parameters
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    }

    /// Every value of a repeated parameter (`product_id=1&product_id=2`, or `product_id[]`).
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        let bracketed = format!("{name}[]");
        self.parameters
            .iter()
            .filter(|(key, _)| *key == name || *key == bracketed)
            .map(|(_, value)| value.trim().to_owned())
            .filter(|value| !value.is_empty())
            .collect()
    }

    pub(crate) fn required(&self, name: &'static str) -> Result<String> {
        self.get(name).ok_or(Error::MissingField(name))
    }
}

async fn handle(
    State(state): State<LegacyState>,
    Path((group, call)): Path<(String, String)>,
    request: Request,
) -> Response {
    let name = format!("{group}/{call}");
    let Some(&LegacyCall { name: known, successor, writes, .. }) = calls::find(&name) else {
        return LegacyError::not_found(&name).into_response();
    };
    tracing::Span::current().record("operation", known);
    let (parts, body) = request.into_parts();
    let journal_call = Call::new(Protocol::Legacy, known);
    let (username, password) = match basic_credentials(&parts.headers) {
        Some(credentials) => credentials,
        None => {
            state.gateway.record_refusal(journal_call, None, &Error::AuthenticationFailed);
            return LegacyError::unauthorized().into_response();
        }
    };
    let merchant = match state.gateway.authenticate_legacy(&username, &password, journal_call) {
        Ok(merchant) => merchant,
        Err(_) => return LegacyError::unauthorized().into_response(),
    };
    if successor.is_none() {
        return LegacyError::deprecated(known).into_response();
    }
    if writes && parts.method != axum::http::Method::POST {
        return LegacyError::method_not_allowed(known).into_response();
    }
    let parameters = match parameters(&parts.uri, &parts.headers, body, state.body_limit).await {
        Ok(parameters) => parameters,
        Err(error) => return LegacyError::from(error).into_response(),
    };
    let seller_id = state.gateway.legacy_user(merchant.code()).map(|user| user.seller_id).unwrap_or_default();
    let request = LegacyRequest { parameters, username, seller_id };
    if known.starts_with("sales/refund_")
        && request.get("category").as_deref() == Some(sales::INTERNAL_CATEGORY)
    {
        return LegacyError::forbidden("Access denied to refund category 7: it is internal to 2Checkout.")
            .into_response();
    }
    let arguments = request.parameters.clone();
    let run = dispatch(&state.gateway, &merchant, known, &request);
    let (result, injected) = state.gateway.with_faults(merchant.call(), Some(merchant.code()), run).await;
    let outcome = result.as_ref().map(|(message, _)| (*message).to_owned()).map_err(Error::code);
    state.gateway.journal_call(&merchant, arguments, outcome, injected);
    match result {
        Ok((message, payload)) => ok(message, payload),
        Err(error) => LegacyError::from(error).into_response(),
    }
}

/// Runs a call: its success message and payload members.
async fn dispatch(
    gateway: &Gateway,
    merchant: &MerchantContext,
    call: &str,
    request: &LegacyRequest,
) -> Result<(&'static str, Map<String, Value>)> {
    match call {
        "sales/detail_sale" => sales::detail_sale(gateway, merchant, request).await,
        "sales/list_sales" => sales::list_sales(gateway, merchant, request).await,
        "sales/refund_invoice" => sales::refund_invoice(gateway, merchant, request).await,
        "sales/refund_lineitem" => sales::refund_lineitem(gateway, merchant, request).await,
        "sales/stop_lineitem_recurring" => sales::stop_lineitem_recurring(gateway, merchant, request).await,
        "sales/create_comment" => sales::create_comment(gateway, merchant, request).await,
        "acct/detail_pending_payment" => sales::detail_pending_payment(gateway, merchant, request).await,
        "products/list_products" => products::list_products(gateway, merchant, request).await,
        "products/detail_product" => products::detail_product(gateway, merchant, request).await,
        "products/create_product" => products::create_product(gateway, merchant, request).await,
        "products/update_product" => products::update_product(gateway, merchant, request).await,
        "products/list_coupons" => products::list_coupons(gateway, merchant, request).await,
        "products/detail_coupon" => products::detail_coupon(gateway, merchant, request).await,
        "products/create_coupon" => products::create_coupon(gateway, merchant, request).await,
        "products/update_coupon" => products::update_coupon(gateway, merchant, request).await,
        "products/delete_coupon" => products::delete_coupon(gateway, merchant, request).await,
        "products/list_options" => options::list_options(gateway, merchant, request).await,
        "products/detail_option" => options::detail_option(gateway, merchant, request).await,
        "products/create_option" => options::create_option(gateway, merchant, request).await,
        "products/update_option" => options::update_option(gateway, merchant, request).await,
        _ => Err(Error::UnknownOperation(format!("{call} is not a call of the legacy API."))),
    }
}

/// `GET /api/openapi.json`: the legacy API's own OpenAPI document.
async fn openapi_json() -> Response {
    let body = serde_json::to_string_pretty(&openapi::document()).unwrap_or_default();
    ([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

/// The legacy envelope of a success.
fn ok(message: &str, payload: Map<String, Value>) -> Response {
    let mut body = Map::new();
    body.insert("response_code".into(), Value::String("OK".into()));
    body.insert("response_message".into(), Value::String(message.into()));
    body.extend(payload);
    (
        StatusCode::OK,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        Value::Object(body).to_string(),
    )
        .into_response()
}

/// The user and password of an `Authorization: Basic` header.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// The query's parameters, then a form body's (`application/x-www-form-urlencoded`).
async fn parameters(
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Vec<(String, String)>> {
    let mut parameters: Vec<(String, String)> =
        serde_urlencoded::from_str(uri.query().unwrap_or_default())
            .map_err(|error| Error::MalformedRequest(format!("the query string is invalid: {error}")))?;
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|error| {
        let too_large = std::error::Error::source(&error)
            .is_some_and(|source| source.is::<http_body_util::LengthLimitError>());
        match too_large {
            true => Error::RequestTooLarge { limit_bytes: limit },
            false => Error::MalformedRequest(format!("the body could not be read: {error}")),
        }
    })?;
    if bytes.is_empty() {
        return Ok(parameters);
    }
    let content_type = headers.get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "" | "application/x-www-form-urlencoded" => {
            let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
                .map_err(|error| Error::MalformedRequest(format!("the form body is invalid: {error}")))?;
            parameters.extend(fields);
        }
        // PHP's curl posts an array of fields this way (the legacy 2checkout-php library does).
        "multipart/form-data" => parameters.extend(multipart_fields(content_type, bytes).await?),
        _ => {
            return Err(Error::UnsupportedMediaType(
                "the legacy API reads form fields: send application/x-www-form-urlencoded or multipart/form-data."
                    .into(),
            ));
        }
    }
    Ok(parameters)
}

/// The text fields of a `multipart/form-data` body.
async fn multipart_fields(content_type: &str, bytes: axum::body::Bytes) -> Result<Vec<(String, String)>> {
    let malformed =
        |error: multer::Error| Error::MalformedRequest(format!("the form body is invalid: {error}"));
    let boundary = multer::parse_boundary(content_type).map_err(malformed)?;
    let body = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes) });
    let mut form = multer::Multipart::new(body, boundary);
    let mut fields = Vec::new();
    while let Some(field) = form.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        fields.push((name, field.text().await.map_err(malformed)?));
    }
    Ok(fields)
}

/// The answer to a body over `limit_bytes` bytes, for the server to send before reading it.
pub fn too_large(limit_bytes: usize) -> Response {
    LegacyError::from(Error::RequestTooLarge { limit_bytes }).into_response()
}

/// What a 401 carries so clients may ask the user.
pub(crate) fn basic_challenge() -> (axum::http::HeaderName, HeaderValue) {
    (WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"2Checkout API\""))
}
