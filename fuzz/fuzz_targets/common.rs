//! A gateway on a SQLite store in a temporary directory and a runtime to call a router with one
//! request.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use tco_core::{Gateway, Merchant, Merchants, Settings};
use tower::ServiceExt;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap())
}

pub fn gateway() -> Arc<Gateway> {
    static GATEWAY: OnceLock<Arc<Gateway>> = OnceLock::new();
    GATEWAY
        .get_or_init(|| {
            let directory = std::env::temp_dir().join(format!("tco-fuzz-{}", std::process::id()));
            let location = tco_store::testing::sqlite_location(&directory);
            let store = runtime().block_on(tco_store::SqlStore::connect(&location, 2)).unwrap();
            Arc::new(Gateway::new(
                Arc::new(store),
                Merchants::new([Merchant::new("FUZZ", "secret")]),
                Settings::default(),
            ))
        })
        .clone()
}

/// Posts `body` to `path` through `router` and drops the answer: only a panic fails.
pub fn post(router: &Router, path: &str, content_type: &str, body: &[u8]) {
    let request = Request::post(path).header("content-type", content_type).body(Body::from(body.to_vec())).unwrap();
    let _ = runtime().block_on(router.clone().oneshot(request));
}
