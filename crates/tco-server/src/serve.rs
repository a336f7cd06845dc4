//! The HTTP server loop: hyper HTTP/1 connections with the limits a shared sandbox needs — a cap
//! on concurrent connections (the one over the cap gets an immediate 503 and is closed), a
//! deadline for a request's headers, a bound on header size — and a graceful shutdown that lets
//! in-flight requests finish. Each request then passes the [`Edge`].

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::edge::Edge;

/// Bounds on what one client may hold of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    pub max_connections: usize,
    /// From a connection's first byte (or the end of its previous request) to the end of the
    /// request's headers; an idle keep-alive connection is closed after it too.
    pub header_timeout: Duration,
    /// From the end of the headers to the end of the body.
    pub body_timeout: Duration,
    /// The headers' total size.
    pub max_header_bytes: usize,
    /// How long a shutdown waits for in-flight requests.
    pub shutdown_grace: Duration,
    /// The largest request body, in bytes.
    pub max_body_bytes: usize,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_header_bytes: 64 * 1024,
            shutdown_grace: Duration::from_secs(30),
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// Serves `router` until `shutdown` completes; then stops accepting and lets open requests
/// finish (for at most `shutdown_grace`).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = TowerToHyperService::new(Edge::new(router, limits));
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_header_bytes.max(8192));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        // The pages that bind a link to the visitor's IP read it as axum's `ConnectInfo`.
        let service = service.clone();
        let with_peer =
            hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                hyper::service::Service::call(&service, request)
            });
        let connection = http.serve_connection(TokioIo::new(stream), with_peer);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still running after the shutdown grace period were cut off");
    }
    Ok(())
}

/// The answer to a connection over the cap: a 503 the client can read, then close.
async fn refuse(mut stream: tokio::net::TcpStream) {
    const BODY: &str = r#"{"error_code":"SERVICE_UNAVAILABLE","message":"Too many connections; try again."}"#;
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
