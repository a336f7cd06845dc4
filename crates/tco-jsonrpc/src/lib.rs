//! `tco-jsonrpc` is the JSON-RPC 2.0 adapter of tco-gateway: the vendor's `/rpc/6.0/`
//! endpoint. [`framing`] reads calls, ids, batches and notifications the way the vendor's
//! clients send them; [`params::JsonCodec`] reads a call's parameters (positional or named)
//! into the registry's types and writes its result; the registry (`tco-api`) runs it. Errors
//! are JSON-RPC error objects whose `data.error_code` is the catalogue code.
//!
//! It depends on `tco-core`, `tco-api`, serde_json and axum only: never on another adapter or
//! on a store, and it holds no business rule and nothing per operation.
//!
//! Transport rules: every JSON-RPC error, a parse error included, is an HTTP 200 (what PHP's
//! `callRPC` helper and Python's jsonrpcclient read); only a wrong HTTP method (405), content
//! type (415) or a body over the limit (413) get an HTTP error, still with a JSON-RPC error
//! body. A notification, or a batch of them only, gets HTTP 204 with no body.

pub mod error;
mod framing;
pub mod openrpc;
mod params;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::header::{CONNECTION, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use tco_core::{Error, ErrorCode, Gateway, Protocol};

use crate::framing::{Entry, Incoming};
use crate::params::JsonCodec;

pub use framing::MAX_BATCH;

/// The prefix the server mounts [`router`] under.
pub const PREFIX: &str = "/rpc/6.0";

#[derive(Debug, Clone)]
struct RpcState {
    gateway: Arc<Gateway>,
    body_limit: usize,
}

/// The endpoint at [`PREFIX`], with and without a trailing slash, to be merged into the
/// server's router. `body_limit` is the largest request body in bytes.
pub fn router(gateway: Arc<Gateway>, body_limit: usize) -> Router {
    let state = RpcState { gateway, body_limit };
    Router::new()
        .route(PREFIX, any(endpoint))
        .route(&format!("{PREFIX}/"), any(endpoint))
        .route(&format!("{PREFIX}/openrpc.json"), any(endpoint))
        .route(&format!("{PREFIX}/{{*rest}}"), any(unknown_path))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

async fn endpoint(State(state): State<RpcState>, request: Request) -> Response {
    if request.method() != Method::POST {
        if request.method() == Method::GET
            && request.uri().path().trim_end_matches('/').ends_with("/openrpc.json")
        {
            return json_response(openrpc::document().to_owned());
        }
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
    let bytes = match Bytes::from_request(request, &()).await {
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
    let mut codes = Vec::new();
    let answer = match framing::parse(&bytes) {
        Err(refusal) => {
            codes.push(refusal.catalogue_code());
            Some(framing::failure(None, &error::refusal_object(&refusal)))
        }
        Ok(Incoming::Single(entry)) => run(&state.gateway, entry, true, &mut codes).await,
        Ok(Incoming::Batch(entries)) => {
            tracing::Span::current().record("operation", "batch");
            let mut answers = Vec::with_capacity(entries.len());
            for entry in entries {
                answers.extend(run(&state.gateway, entry, false, &mut codes).await);
            }
            (!answers.is_empty()).then(|| format!("[{}]", answers.join(",")))
        }
    };
    let mut response = match answer {
        Some(body) => json_response(body),
        // JSON-RPC: the server must not reply to notifications.
        None => StatusCode::NO_CONTENT.into_response(),
    };
    // For the edge's span and its one log line of a server fault: the worst code of the calls.
    if let Some(code) = codes.iter().copied().find(|code| code.is_server_fault()).or(codes.first().copied()) {
        response.extensions_mut().insert(code);
    }
    response
}

fn json_response(body: String) -> Response {
    ([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

/// Runs one entry; `None` for a notification, whose answer nobody wants. A single call names
/// its operation in the request's span; a batch's calls each leave a debug line.
async fn run(
    gateway: &Gateway,
    entry: Entry<'_>,
    single: bool,
    codes: &mut Vec<ErrorCode>,
) -> Option<String> {
    let call = match entry {
        Entry::Invalid { id, error } => {
            codes.push(error.catalogue_code());
            tracing::debug!(error_code = error.catalogue_code().as_str(), "invalid JSON-RPC call");
            return Some(framing::failure(id, &error::refusal_object(&error)));
        }
        Entry::Call(call) => call,
    };
    if call.method.eq_ignore_ascii_case("rpc.discover") {
        // OpenRPC's service discovery: the document, to anyone, with no session.
        return call.id.map(|_| framing::success(call.id, openrpc::document().trim_end()));
    }
    let operation = tco_api::OperationId::positional(&call.method);
    if single && let Some(operation) = operation {
        tracing::Span::current().record("operation", operation.name());
    }
    let result = match operation {
        Some(operation) => {
            tco_api::call(gateway, Protocol::JsonRpc, operation, &JsonCodec { params: call.params }).await
        }
        None => Err(Error::UnknownOperation(format!("{} is not a method of this service.", call.method))),
    };
    let answer = match result {
        Ok(result) => framing::success(call.id, &result),
        Err(failure) => {
            codes.push(failure.code());
            tracing::debug!(
                operation = operation.map(tco_api::OperationId::name),
                error_code = failure.code().as_str(),
                "call failed"
            );
            framing::failure(call.id, &error::error_object(&failure))
        }
    };
    call.id.map(|_| answer)
}

/// The answer to a body over `limit_bytes` bytes, for the server to send before reading it.
pub fn too_large(limit_bytes: usize) -> Response {
    transport_error(StatusCode::PAYLOAD_TOO_LARGE, &Error::RequestTooLarge { limit_bytes })
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
    let body = framing::failure(None, &error::error_object(error));
    let mut response =
        (status, [(CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response();
    response.extensions_mut().insert(error.code());
    if error.code() == ErrorCode::RequestTooLarge {
        // The rest of the body was never read: the connection cannot carry another request.
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
