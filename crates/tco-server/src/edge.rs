//! The HTTP edge every request passes, whatever its protocol: one span (protocol, method,
//! operation, status, error code, latency — never the path or query, which can hold tokens), the
//! body limit answered from `Content-Length` in the protocol's own format before anything is
//! read, the deadline for the body, and one log line for a fault of the gateway itself. Adapters
//! record the operation in the span and attach the catalogue code to an error response; they
//! neither open spans nor log faults.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, EXPECT};
use axum::response::Response;
use hyper::body::{Frame, SizeHint};
use tco_core::ErrorCode;
use tokio::time::Sleep;
use tracing::Instrument;
use tracing::field::Empty;

use crate::serve::ServeLimits;

/// The router behind the edge.
#[derive(Debug, Clone)]
pub struct Edge {
    inner: Router,
    limits: ServeLimits,
}

impl Edge {
    pub fn new(inner: Router, limits: ServeLimits) -> Self {
        Edge { inner, limits }
    }
}

/// The protocol a path belongs to, for the span and the error format.
fn protocol(path: &str) -> &'static str {
    if path.starts_with(tco_rest::PREFIX) {
        "rest"
    } else if path.starts_with(tco_jsonrpc::PREFIX) {
        "jsonrpc"
    } else if path.starts_with(tco_soap::PREFIX) {
        "soap"
    } else if path.starts_with(&format!("{}/", tco_legacy::PREFIX)) {
        "legacy"
    } else {
        "http"
    }
}

impl tower::Service<hyper::Request<hyper::body::Incoming>> for Edge {
    type Response = Response;
    /// Only [`DroppedConnection`]: hyper closes the connection without an answer.
    type Error = DroppedConnection;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: hyper::Request<hyper::body::Incoming>) -> Self::Future {
        let request = request.map(Body::new);
        let protocol = protocol(request.uri().path());
        let span = tracing::info_span!(
            "request",
            protocol,
            method = %request.method(),
            operation = Empty,
            status = Empty,
            error_code = Empty,
            latency_us = Empty,
        );
        let started = Instant::now();
        let limits = self.limits;
        let mut inner = self.inner.clone();
        Box::pin(
            async move {
                let response = match oversized(&request, limits) {
                    Some(refusal) => {
                        if !expects_continue(&request) {
                            // The client is sending the body anyway: read and drop it, so that the
                            // connection is not reset under the client before it reads the answer.
                            tokio::spawn(drain(request.into_body()));
                        }
                        refusal
                    }
                    None => {
                        let timeout = limits.body_timeout;
                        let (parts, body) = request.into_parts();
                        let body = Body::new(DeadlineBody { inner: body, started, deadline: None, timeout });
                        match tower::Service::call(&mut inner, Request::from_parts(parts, body)).await {
                            Ok(response) => response,
                            Err(never) => match never {},
                        }
                    }
                };
                // Recording a field formats it: only for a line that will be written.
                let code = response.extensions().get::<ErrorCode>().copied();
                if code == Some(ErrorCode::ConnectionDropped) {
                    tracing::debug!("connection dropped by an injected fault");
                    return Err(DroppedConnection);
                }
                let fault = code.is_some_and(|code| code.is_server_fault());
                if fault || tracing::enabled!(tracing::Level::DEBUG) {
                    let span = tracing::Span::current();
                    span.record("status", response.status().as_u16());
                    span.record(
                        "latency_us",
                        u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                    );
                    if let Some(code) = code {
                        span.record("error_code", code.as_str());
                    }
                    if fault {
                        tracing::error!("request failed on the server side");
                    }
                    tracing::debug!("request completed");
                }
                Ok(response)
            }
            .instrument(span),
        )
    }
}

/// An injected fault's dropped connection: the one error the edge hands hyper, which then
/// closes the connection without writing anything.
#[derive(Debug, thiserror::Error)]
#[error("the connection is dropped by an injected fault")]
pub struct DroppedConnection;

/// The protocol's 413 for a body whose declared length is over the limit, sent before any of it
/// is read (so an `Expect: 100-continue` client never sends it).
fn oversized(request: &Request, limits: ServeLimits) -> Option<Response> {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())?;
    let limit = limits.max_body_bytes;
    if declared <= limit as u64 {
        return None;
    }
    Some(match protocol(request.uri().path()) {
        "jsonrpc" => tco_jsonrpc::too_large(limit),
        "soap" => {
            let content_type = request.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok());
            tco_soap::too_large(limit, content_type)
        }
        "legacy" => tco_legacy::too_large(limit),
        _ => tco_rest::too_large(limit),
    })
}

fn expects_continue(request: &Request) -> bool {
    request.headers().get(EXPECT).is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"100-continue"))
}

/// Reads and drops at most [`DRAIN_BYTES`] of a refused body, for at most [`DRAIN_TIME`].
async fn drain(mut body: Body) {
    use http_body_util::BodyExt;
    let mut read = 0usize;
    let deadline = tokio::time::Instant::now() + DRAIN_TIME;
    while read < DRAIN_BYTES {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(frame))) => read += frame.data_ref().map_or(0, Bytes::len),
            _ => break,
        }
    }
}

const DRAIN_BYTES: usize = 64 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(10);

/// A body with a deadline: past it, reading fails, and each protocol adapter answers that
/// failure in its own format. The timer is set only when the body is not there at once: most
/// bodies arrive with their headers, and a timer per request costs.
struct DeadlineBody {
    inner: Body,
    started: Instant,
    deadline: Option<Pin<Box<Sleep>>>,
    timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
struct BodyTimedOut(Duration);

impl hyper::body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let frame = Pin::new(&mut self.inner).poll_frame(cx).map_err(Into::into);
        if frame.is_ready() {
            return frame;
        }
        let until = tokio::time::Instant::from_std(self.started + self.timeout);
        let deadline = self.deadline.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(until)));
        if deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimedOut(self.timeout)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
