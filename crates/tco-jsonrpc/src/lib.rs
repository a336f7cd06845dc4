//! `tco-jsonrpc` is the JSON-RPC 2.0 adapter of tco-gateway: the vendor's `/rpc/6.0/`
//! endpoint, with jsonrpsee handling requests, ids, batches and notifications, and the
//! methods of [`methods::METHODS`] calling the core. Errors are JSON-RPC error objects whose
//! `data.error_code` is the catalogue code; [`error::code`] maps it to the integer code.
//!
//! It depends on `tco-core`, `tco-json`, jsonrpsee and axum only: never on another adapter or
//! on a store, and it holds no business rule.
//!
//! Transport rules, as JSON-RPC over HTTP expects: a JSON-RPC error is an HTTP 200; only a
//! wrong HTTP method (405), content type (415) or a body over the limit (413) get an HTTP
//! error, still with a JSON-RPC error body.

mod args;
pub mod error;
pub mod methods;
mod notifications;

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::header::{CONNECTION, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use jsonrpsee::core::middleware::RpcServiceBuilder;
use jsonrpsee::server::{BatchRequestConfig, Server, ServerConfig, ServerHandle, TowerService, stop_channel};
use serde_json::{Value, json};
use tco_core::{Error, ErrorCode, Gateway};
use tower::Service;
use tower::layer::util::{Identity, Stack};

use crate::notifications::ExecuteNotificationsLayer;
use tracing::Instrument;

pub use jsonrpsee::core::RegisterMethodError;

/// The prefix the server mounts [`router`] under.
pub const PREFIX: &str = "/rpc/6.0";

/// The largest batch accepted; a bigger one is refused as a whole.
const MAX_BATCH: u32 = 200;

#[derive(Clone)]
struct RpcState {
    service: TowerService<Stack<ExecuteNotificationsLayer, Identity>, Identity>,
    body_limit: usize,
    /// Kept alive so the service's stop signal never fires.
    _handle: Arc<ServerHandle>,
}

/// The endpoint at [`PREFIX`], with and without a trailing slash, to be merged into the
/// server's router. `body_limit` is the largest request body in bytes.
pub fn router(gateway: Arc<Gateway>, body_limit: usize) -> Result<Router, RegisterMethodError> {
    let module = methods::module(gateway)?;
    let config = ServerConfig::builder()
        .http_only()
        .max_request_body_size(u32::try_from(body_limit).unwrap_or(u32::MAX))
        .max_response_body_size(u32::MAX)
        // Every HTTP request takes one permit; the server bounds connections itself.
        .max_connections(u32::MAX)
        .set_batch_request_config(BatchRequestConfig::Limit(MAX_BATCH))
        .build();
    let (stop, handle) = stop_channel();
    let service = Server::builder()
        .set_config(config)
        .set_rpc_middleware(RpcServiceBuilder::new().layer(ExecuteNotificationsLayer))
        .to_service_builder()
        .build(module, stop);
    let state = RpcState { service, body_limit, _handle: Arc::new(handle) };
    Ok(Router::new()
        .route(PREFIX, any(endpoint))
        .route(&format!("{PREFIX}/"), any(endpoint))
        .route(&format!("{PREFIX}/{{*rest}}"), any(unknown_path))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state))
}

async fn endpoint(State(mut state): State<RpcState>, request: Request) -> Response {
    let span = tracing::info_span!("http", protocol = "jsonrpc");
    async move {
        if request.method() != Method::POST {
            let error = Error::MethodNotAllowed(format!(
                "{} is not supported; send JSON-RPC with POST.",
                request.method()
            ));
            return transport_error(StatusCode::METHOD_NOT_ALLOWED, &error);
        }
        if let Some(content_type) = request.headers().get(CONTENT_TYPE)
            && !is_json(content_type)
        {
            let shown = content_type.to_str().unwrap_or("?");
            let error = Error::UnsupportedMediaType(format!(
                "Content-Type \"{shown}\" is not accepted; send application/json."
            ));
            return transport_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, &error);
        }
        let (mut parts, body) = request.into_parts();
        let bytes = match Bytes::from_request(Request::from_parts(parts.clone(), body), &()).await {
            Ok(bytes) => bytes,
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                let error = Error::RequestTooLarge { limit_bytes: state.body_limit };
                return transport_error(StatusCode::PAYLOAD_TOO_LARGE, &error);
            }
            Err(rejection) => {
                let error = Error::MalformedRequest(format!("the body could not be read: {rejection}"));
                return transport_error(StatusCode::BAD_REQUEST, &error);
            }
        };
        // jsonrpsee accepts only a few exact spellings; any JSON type was checked above.
        parts.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let request = Request::from_parts(parts, Body::from(assume_version_2(bytes)));
        match state.service.call(request).await {
            Ok(response) => with_error_codes(response.map(Body::new)).await,
            Err(error) => {
                tracing::error!(%error, "the JSON-RPC service failed");
                transport_error(StatusCode::INTERNAL_SERVER_ERROR, &Error::Internal)
            }
        }
    }
    .instrument(span)
    .await
}

async fn unknown_path(uri: axum::http::Uri) -> Response {
    let error = Error::UnknownOperation(format!("nothing is served at {}; post to /rpc/6.0/.", uri.path()));
    transport_error(StatusCode::NOT_FOUND, &error)
}

fn is_json(content_type: &HeaderValue) -> bool {
    let value = content_type.to_str().unwrap_or_default();
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json"
        || essence == "application/json-rpc"
        || essence == "application/jsonrequest"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// An HTTP-level failure, still answered with a JSON-RPC error object (id null: the request
/// was not read).
fn transport_error(status: StatusCode, error: &Error) -> Response {
    let object = error::error_object(error);
    let body = json!({ "jsonrpc": "2.0", "id": null, "error": object });
    let mut response = (status, axum::Json(body)).into_response();
    if error.code() == ErrorCode::RequestTooLarge {
        // The rest of the body was never read: the connection cannot carry another request.
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Older vendor clients (the order API demo) send no `jsonrpc` member; such calls are read as
/// JSON-RPC 2.0 rather than refused.
fn assume_version_2(bytes: Bytes) -> Bytes {
    if bytes.windows(9).any(|window| window == br#""jsonrpc""#) {
        return bytes;
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return bytes;
    };
    let mark = |call: &mut Value| {
        if let Some(call) = call.as_object_mut() {
            call.insert("jsonrpc".into(), json!("2.0"));
        }
    };
    match &mut value {
        Value::Array(calls) => calls.iter_mut().for_each(mark),
        call => mark(call),
    }
    serde_json::to_vec(&value).map(Bytes::from).unwrap_or(bytes)
}

/// Adds `data.error_code` to the standard errors jsonrpsee writes itself (parse errors,
/// invalid requests, unknown methods), so every error names its catalogue code. Responses
/// without such an error pass through untouched.
async fn with_error_codes(response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return transport_error(StatusCode::INTERNAL_SERVER_ERROR, &Error::Internal);
    };
    // jsonrpsee writes `null` for a notification (or a batch of them); JSON-RPC says the
    // server must not reply, so the HTTP answer is empty.
    if bytes.as_ref() == b"null" {
        return StatusCode::NO_CONTENT.into_response();
    }
    let needs_code = bytes.windows(19).any(|window| window == br#""error":{"code":-32"#);
    if !needs_code {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    match &mut value {
        Value::Array(responses) => responses.iter_mut().for_each(add_error_code),
        single => add_error_code(single),
    }
    let body = serde_json::to_vec(&value).unwrap_or_else(|_| bytes.to_vec());
    Response::from_parts(parts, Body::from(body))
}

fn add_error_code(response: &mut Value) {
    let Some(error) = response.get_mut("error").and_then(Value::as_object_mut) else {
        return;
    };
    if error.contains_key("data") {
        return;
    }
    let code = error.get("code").and_then(Value::as_i64).and_then(|code| i32::try_from(code).ok());
    let catalogue = code.and_then(error::catalogue_code_of_standard).unwrap_or(ErrorCode::MalformedRequest);
    tracing::Span::current().record("error_code", catalogue.as_str());
    error.insert("data".into(), json!({ "error_code": catalogue.as_str() }));
}

impl std::fmt::Debug for RpcState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RpcState").field("body_limit", &self.body_limit).finish_non_exhaustive()
    }
}
