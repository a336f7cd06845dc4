//! One tracing span per REST request, carrying the protocol, the operation (recorded by the
//! handler), the status, the error code if any and the latency. Paths and query strings are
//! not recorded: they can hold SSO and card tokens.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;
use tracing::field::Empty;

pub(crate) async fn trace_request(request: Request, next: Next) -> Response {
    let span = tracing::info_span!(
        "request",
        protocol = "rest",
        method = %request.method(),
        operation = Empty,
        status = Empty,
        error_code = Empty,
        latency_us = Empty,
    );
    let started = Instant::now();
    let response = next.run(request).instrument(span.clone()).await;
    span.record("status", response.status().as_u16());
    span.record("latency_us", u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
    span.in_scope(|| tracing::debug!("request completed"));
    response
}
