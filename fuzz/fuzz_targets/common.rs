//! A gateway on an in-memory store and a runtime to call a router with one request.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use tco_core::memory::MemoryStore;
use tco_core::{Gateway, Merchant, Merchants, Settings};
use tower::ServiceExt;

pub fn gateway() -> Arc<Gateway> {
    static GATEWAY: OnceLock<Arc<Gateway>> = OnceLock::new();
    GATEWAY
        .get_or_init(|| {
            Arc::new(Gateway::new(
                Arc::new(MemoryStore::new()),
                Merchants::new([Merchant::new("FUZZ", "secret")]),
                Settings::default(),
            ))
        })
        .clone()
}

/// Posts `body` to `path` through `router` and drops the answer: only a panic fails.
pub fn post(router: &Router, path: &str, content_type: &str, body: &[u8]) {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    let runtime = RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap());
    let request = Request::post(path).header("content-type", content_type).body(Body::from(body.to_vec())).unwrap();
    let _ = runtime.block_on(router.clone().oneshot(request));
}
