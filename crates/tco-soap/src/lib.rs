//! `tco-soap` is the SOAP adapter of tco-gateway: `/soap/6.0/` with its WSDL (generated from the
//! operation registry: rpc/encoded, lists as SOAP-encoded arrays; `?wsdl` with the SOAP 1.1
//! binding, `?wsdl12` with both; `?xsd=soapenc` the encoding schema it imports), a lenient envelope reader on quick-xml, the codec that reads the registry's
//! types from SOAP parts ([`de`]) and writes them back ([`ser`]), and faults whose code is the
//! catalogue code ([`error::fault`]).
//!
//! It depends on `tco-core`, `tco-api`, quick-xml and axum only: never on another adapter or on
//! a store, and it holds no business rule and nothing per operation.
//!
//! Parsing is lenient where clients differ (namespaces not prefixes, parameters by position,
//! with or without `xsi:type`, `xsi:nil` or absence for null, `href`/`multiRef`, extra trailing
//! parameters, any SOAPAction) and strict where safety needs it (no DTD or entities; bounded
//! size, depth and element count).

mod charset;
mod de;
pub mod envelope;
pub mod error;
mod ser;
pub mod write;
pub mod wsdl;

pub use tco_xml as xml;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::header::{CONNECTION, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use tco_api::{Codec, Operation, Parameters};
use tco_core::{Error, ErrorCode, Gateway, Protocol};

use crate::envelope::Version;
use crate::wsdl::Bindings;
use crate::xml::{Element, Limits};

/// The prefix the server mounts [`router`] under.
pub const PREFIX: &str = "/soap/6.0";

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
    let wants_wsdl = wsdl_variant(request.uri().query().unwrap_or_default());
    let content_type =
        request.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let version = Version::from_content_type(content_type.as_deref());
    let query = request.uri().query().unwrap_or_default();
    let wants_schema = query.split('&').any(|pair| pair.eq_ignore_ascii_case("xsd=soapenc"));
    match *request.method() {
        Method::GET | Method::HEAD if wants_wsdl.is_some() => {
            wsdl(request.headers(), wants_wsdl.unwrap_or(Bindings::Soap11))
        }
        Method::GET | Method::HEAD if wants_schema => (
            StatusCode::OK,
            [(CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"))],
            wsdl::SOAP_ENCODING_SCHEMA,
        )
            .into_response(),
        Method::POST => post(state, request, version, content_type.as_deref()).await,
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
    let (version, result) = handle(&state.gateway, state.limits, version, content_type, &bytes).await;
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
    content_type: Option<&str>,
    bytes: &[u8],
) -> (Version, Result<String, Error>) {
    let document = match charset::decode(bytes, content_type) {
        Ok(document) => document,
        Err(error) => return (version, Err(error)),
    };
    let root = match xml::parse(&document, limits) {
        Ok(root) => root,
        Err(error) => return (version, Err(Error::MalformedRequest(format!("{error}.")))),
    };
    // References may copy at most twice the body's size: enough for any honest client.
    let max_expanded_bytes = 2 * bytes.len().max(64 * 1024);
    let call = match envelope::read(root, version, limits, max_expanded_bytes) {
        Ok(call) => call,
        Err((version, error)) => return (version, Err(error)),
    };
    let Some(operation) = tco_api::OperationId::positional(&call.operation) else {
        let error =
            Error::UnknownOperation(format!("{} is not an operation of this service.", call.operation));
        return (call.version, Err(error));
    };
    tracing::Span::current().record("operation", operation.name());
    let codec = XmlCodec { parts: &call.params, version: call.version, operation: operation.name() };
    (call.version, tco_api::call(gateway, Protocol::Soap, operation, &codec).await)
}

/// Reads a call's parts into the registry's types and writes its result as the response
/// envelope.
struct XmlCodec<'a> {
    parts: &'a [Element],
    version: Version,
    operation: &'static str,
}

impl Codec for XmlCodec<'_> {
    type Encoded = String;

    fn params<P: Parameters>(&self, names: &[&'static str]) -> Result<P, Error> {
        Ok(de::parameters(self.parts, names)?)
    }

    fn encode<O: Operation>(&self, output: &O::Output) -> Result<String, Error> {
        let mut part = String::new();
        ser::element(&mut part, "return", output, <O::Output as tco_api::Describe>::SHAPE).map_err(
            |error| {
                tracing::error!(%error, "a result could not be written as XML");
                Error::Internal
            },
        )?;
        Ok(write::response(self.version, self.operation, &part))
    }
}

/// The answer to one envelope — the response, or the fault — as the HTTP endpoint sends it:
/// the SOAP version, the HTTP status and the body.
pub async fn respond(
    gateway: &Gateway,
    content_type: Option<&str>,
    body: &[u8],
) -> (Version, StatusCode, String) {
    let version = Version::from_content_type(content_type);
    let (version, result) = handle(gateway, Limits::default(), version, content_type, body).await;
    match result {
        Ok(envelope) => (version, StatusCode::OK, envelope),
        Err(error) => {
            (version, error::http_status(version, error.code()), write::fault_envelope(version, &error))
        }
    }
}

/// The answer to a body over `limit_bytes` bytes, in the SOAP version `content_type` names, for
/// the server to send before reading it.
pub fn too_large(limit_bytes: usize, content_type: Option<&str>) -> Response {
    fault(Version::from_content_type(content_type), &Error::RequestTooLarge { limit_bytes })
}

fn fault(version: Version, error: &Error) -> Response {
    let code = error.code();
    let mut response =
        xml_response(version, error::http_status(version, code), write::fault_envelope(version, error));
    // For the edge's span and its one log line of a server fault.
    response.extensions_mut().insert(code);
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

/// `?wsdl` asks for the SOAP 1.1 WSDL, `?wsdl12` for the one with both bindings.
fn wsdl_variant(query: &str) -> Option<Bindings> {
    let has = |name: &str| {
        query.split('&').any(|pair| pair.split('=').next().is_some_and(|key| key.eq_ignore_ascii_case(name)))
    };
    if has("wsdl12") {
        Some(Bindings::Both)
    } else if has("wsdl") {
        Some(Bindings::Soap11)
    } else {
        None
    }
}

/// The WSDL of the registry's operations; `{{LOCATION}}` stands for the endpoint address.
pub fn wsdl_document(bindings: Bindings) -> &'static str {
    static SOAP11: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static BOTH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let cell = if bindings == Bindings::Soap11 { &SOAP11 } else { &BOTH };
    cell.get_or_init(|| wsdl::generate(&tco_api::descriptors(), bindings))
}

/// The WSDL with its address set to the endpoint as this client reached it.
fn wsdl(headers: &HeaderMap, bindings: Bindings) -> Response {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let host = header("x-forwarded-host").or_else(|| header(HOST.as_str())).unwrap_or("localhost");
    let scheme = match header("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    let location = quick_xml::escape::escape(format!("{scheme}://{host}{PREFIX}/"));
    let body = wsdl_document(bindings).replace("{{LOCATION}}", &location);
    (StatusCode::OK, [(CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"))], body)
        .into_response()
}
