//! `tco-soap` is the SOAP adapter of tco-gateway: `/soap/6.0/` with its WSDL (`?wsdl`, rpc/literal,
//! SOAP 1.1 and 1.2 bindings, self-contained), a lenient envelope reader on quick-xml, the
//! operations of [`operations::OPERATIONS`] calling the core, and faults whose code is the
//! catalogue code ([`error::fault`]).
//!
//! It depends on `tco-core`, quick-xml and axum only: never on another adapter or on a store,
//! and it holds no business rule.
//!
//! Parsing is lenient where clients differ (namespaces not prefixes, parameters by position,
//! with or without `xsi:type`, `xsi:nil` or absence for null, `href`/`multiRef`, extra trailing
//! parameters, any SOAPAction) and strict where safety needs it (no DTD or entities; bounded
//! size, depth and element count).

pub mod envelope;
pub mod error;
pub mod operations;
mod values;
pub mod write;

pub use tco_xml as xml;

#[cfg(test)]
mod golden_tests;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::header::{CONNECTION, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use tco_core::{Error, ErrorCode, Gateway};
use tracing::Instrument;
use tracing::field::Empty;

use crate::envelope::Version;
use crate::values::Params;
use crate::xml::Limits;

/// The prefix the server mounts [`router`] under.
pub const PREFIX: &str = "/soap/6.0";

/// The WSDL, with `{{LOCATION}}` where each request's endpoint address goes.
pub const WSDL: &str = include_str!("../../../wsdl/tco-6.0.wsdl");

#[derive(Debug, Clone)]
struct SoapState {
    gateway: Arc<Gateway>,
    body_limit: usize,
    limits: Limits,
}

/// The endpoint at [`PREFIX`] (with and without a trailing slash), to be merged into the
/// server's router: `GET …?wsdl` serves the WSDL, `POST` takes envelopes.
pub fn router(gateway: Arc<Gateway>, body_limit: usize) -> Router {
    let state = SoapState { gateway, body_limit, limits: Limits::default() };
    Router::new()
        .route(PREFIX, any(endpoint))
        .route(&format!("{PREFIX}/"), any(endpoint))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

async fn endpoint(State(state): State<SoapState>, request: Request) -> Response {
    let wants_wsdl = request.uri().query().is_some_and(|query| {
        query
            .split('&')
            .any(|pair| pair.split('=').next().is_some_and(|key| key.eq_ignore_ascii_case("wsdl")))
    });
    let content_type =
        request.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let version = Version::from_content_type(content_type.as_deref());
    match *request.method() {
        Method::GET | Method::HEAD if wants_wsdl => wsdl(request.headers()),
        Method::POST => {
            let span = tracing::info_span!(
                "request",
                protocol = "soap",
                operation = Empty,
                status = Empty,
                error_code = Empty,
                latency_us = Empty
            );
            let started = Instant::now();
            let response =
                post(state, request, version, content_type.as_deref()).instrument(span.clone()).await;
            span.record("status", response.status().as_u16());
            span.record("latency_us", u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
            span.in_scope(|| tracing::debug!("request completed"));
            response
        }
        ref method => fault(
            version,
            &Error::MethodNotAllowed(format!(
                "{method} is not supported; POST SOAP envelopes, or GET ?wsdl."
            )),
        ),
    }
}

async fn post(state: SoapState, request: Request, version: Version, content_type: Option<&str>) -> Response {
    if let Some(content_type) = content_type {
        let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if !matches!(essence.as_str(), "text/xml" | "application/soap+xml" | "application/xml") {
            let error = Error::UnsupportedMediaType(format!(
                "Content-Type \"{content_type}\" is not accepted; send text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)."
            ));
            return fault(version, &error);
        }
    }
    let bytes = match Bytes::from_request(request, &()).await {
        Ok(bytes) => bytes,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return fault(version, &Error::RequestTooLarge { limit_bytes: state.body_limit });
        }
        Err(rejection) => {
            return fault(
                version,
                &Error::MalformedRequest(format!("the body could not be read: {rejection}")),
            );
        }
    };
    let (version, result) = handle(&state.gateway, state.limits, version, &bytes).await;
    match result {
        Ok(body) => xml_response(version, StatusCode::OK, body),
        Err(error) => fault(version, &error),
    }
}

/// One envelope in, one answer out (a response envelope, or the error for a fault), in the
/// SOAP version of the request; `version` is what the content type suggests.
pub(crate) async fn handle(
    gateway: &Gateway,
    limits: Limits,
    version: Version,
    bytes: &[u8],
) -> (Version, Result<String, Error>) {
    let Ok(document) = std::str::from_utf8(bytes) else {
        return (version, Err(Error::MalformedRequest("the body is not UTF-8 text.".into())));
    };
    let root = match xml::parse(document, limits) {
        Ok(root) => root,
        Err(error) => return (version, Err(Error::MalformedRequest(format!("{error}.")))),
    };
    let call = match envelope::read(root, version, limits) {
        Ok(call) => call,
        Err((version, error)) => return (version, Err(error)),
    };
    let Some((operation, names)) = tco_core::positional_operation(&call.operation) else {
        let error =
            Error::UnknownOperation(format!("{} is not an operation of this service.", call.operation));
        return (call.version, Err(error));
    };
    tracing::Span::current().record("operation", operation);
    let params = Params::new(&call.params, names);
    let reply = operations::call(gateway, operation, &params).await;
    (call.version, reply.map(|reply| write::response(call.version, operation, &reply)))
}

fn fault(version: Version, error: &Error) -> Response {
    let code = error.code();
    tracing::Span::current().record("error_code", code.as_str());
    if code.is_server_fault() {
        tracing::error!(error_code = code.as_str(), "request failed on the server side");
    }
    let mut response =
        xml_response(version, error::http_status(version, code), write::fault_envelope(version, error));
    if code == ErrorCode::RequestTooLarge {
        // The rest of the body was never read: the connection cannot carry another request.
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

fn xml_response(version: Version, status: StatusCode, body: String) -> Response {
    let content_type = match version {
        Version::Soap11 => "text/xml; charset=utf-8",
        Version::Soap12 => "application/soap+xml; charset=utf-8",
    };
    (status, [(CONTENT_TYPE, HeaderValue::from_static(content_type))], body).into_response()
}

/// The WSDL with its address set to the endpoint as this client reached it.
fn wsdl(headers: &HeaderMap) -> Response {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let host = header("x-forwarded-host").or_else(|| header(HOST.as_str())).unwrap_or("localhost");
    let scheme = match header("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    let location = quick_xml::escape::escape(format!("{scheme}://{host}{PREFIX}/"));
    let body = WSDL.replace("{{LOCATION}}", &location);
    (StatusCode::OK, [(CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"))], body)
        .into_response()
}
