//! `tco-rest` is the REST adapter of tco-gateway: the vendor's `/rest/6.0/` resources, routed
//! by the table the operation registry's routes make ([`routes`]). Every request is
//! authenticated by its `X-Avangate-Authentication` header; bodies and answers are the vendor's
//! PascalCase JSON; errors are `{"error_code","message"}` with the status of the catalogue's
//! table. `GET /rest/6.0/openapi.json` serves the OpenAPI document generated from the registry.
//!
//! It depends on `tco-core`, `tco-api` and axum only: never on another adapter or on a store.
//! It holds no business rule and nothing per operation.

pub mod auth;
pub mod error;
pub mod openapi;
pub mod routes;

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tco_api::RestRequest;
use tco_core::{Call, Error, Gateway, Protocol};

use crate::error::RestError;

/// Where the REST resources live.
pub const PREFIX: &str = "/rest/6.0";

#[derive(Debug, Clone)]
pub struct RestState {
    pub gateway: Arc<Gateway>,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// The OpenAPI document served at `openapi.json`: [`openapi::document`], or the server's
    /// with its own paths added.
    pub openapi: &'static str,
}

/// Every REST resource, under [`PREFIX`]: routes of the server's own router (one level, no
/// nesting), each request matched once against the registry's route table.
pub fn router(state: RestState) -> Router {
    let handler = axum::routing::any(handle);
    Router::new()
        .route(PREFIX, handler.clone())
        .route(&format!("{PREFIX}/"), handler.clone())
        .route(&format!("{PREFIX}/{{*resource}}"), handler)
        .with_state(state)
}

/// The answer to a body over `limit_bytes` bytes, for the server to send before reading it.
pub fn too_large(limit_bytes: usize) -> Response {
    RestError::from(Error::RequestTooLarge { limit_bytes }).into_response()
}

async fn handle(State(state): State<RestState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = match parts.uri.path().strip_prefix(PREFIX) {
        Some("") | None => "/",
        Some(path) => path,
    };
    if path.trim_end_matches('/') == "/openapi.json" && parts.method == axum::http::Method::GET {
        return openapi::response(state.openapi);
    }
    let query: Result<Vec<(String, String)>, Error> =
        serde_urlencoded::from_str(parts.uri.query().unwrap_or_default())
            .map_err(|error| Error::MalformedRequest(format!("the query string is invalid: {error}")));
    let pairs = query.as_ref().map(Vec::as_slice).unwrap_or_default();
    let matched = match routes::find(parts.method.as_str(), path, pairs) {
        Ok(matched) => matched,
        Err(error) => return RestError(error).into_response(),
    };
    let operation = matched.entry.operation;
    tracing::Span::current().record("operation", operation.name());
    let credentials = match auth::header_credentials(&parts.headers) {
        Ok(credentials) => credentials,
        Err(error) => {
            state.gateway.record_refusal(Call::new(Protocol::Rest, operation.name()), None, &error);
            return RestError(error).into_response();
        }
    };
    let bytes = read(body, state.body_limit).await;
    let takes_body = matched.entry.route.body.is_some();
    let request = || -> Result<RestRequest<'_>, Error> {
        query.clone()?;
        let body = if takes_body { Some(json_body(&parts.headers, bytes?)?) } else { None };
        Ok(RestRequest { path: &matched.path, query: pairs, body })
    };
    match tco_api::call_rest(&state.gateway, &credentials, operation, request).await {
        Ok(answer) => {
            let status = StatusCode::from_u16(matched.entry.route.status).unwrap_or(StatusCode::OK);
            let mut response =
                (status, [(CONTENT_TYPE, HeaderValue::from_static("application/json"))], answer.json)
                    .into_response();
            if let Some(location) =
                answer.location.and_then(|path| HeaderValue::from_str(&format!("{PREFIX}{path}")).ok())
            {
                response.headers_mut().insert(axum::http::header::LOCATION, location);
            }
            response
        }
        Err(failure) => match failure.body {
            Some(body) => {
                let code = failure.error.code();
                let mut response = (error::status(code), axum::Json(body)).into_response();
                response.extensions_mut().insert(code);
                response
            }
            None => RestError(failure.error).into_response(),
        },
    }
}

async fn read(body: Body, limit: usize) -> Result<Bytes, Error> {
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        let too_large = std::error::Error::source(&error)
            .is_some_and(|source| source.is::<http_body_util::LengthLimitError>());
        if too_large {
            Error::RequestTooLarge { limit_bytes: limit }
        } else {
            Error::MalformedRequest(format!("the body could not be read: {error}"))
        }
    })
}

/// A JSON object body. `Content-Type` must be JSON (any charset) when present; a missing one is
/// read as JSON, as the vendor's API only speaks JSON.
fn json_body(headers: &HeaderMap, bytes: Bytes) -> Result<serde_json::Value, Error> {
    if let Some(value) = headers.get(CONTENT_TYPE) {
        let value = value.to_str().unwrap_or_default();
        let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let is_json = essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"));
        if !is_json {
            return Err(Error::UnsupportedMediaType(format!(
                "Content-Type \"{value}\" is not accepted; send application/json."
            )));
        }
    }
    // Every REST body is an object; a bare value or an array is not the vendor's.
    match bytes.iter().find(|byte| !byte.is_ascii_whitespace()) {
        Some(b'{') => {}
        Some(_) => return Err(Error::MalformedRequest("the body must be a JSON object.".into())),
        None => return Err(Error::MalformedRequest("the body is empty; a JSON object is expected.".into())),
    }
    serde_json::from_slice(&bytes)
        .map_err(|error| Error::MalformedRequest(format!("the body is not the expected JSON: {error}")))
}
