#![no_main]
//! Whole JSON-RPC requests (single and batch) through the framing and the methods.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|body: &[u8]| {
    static ROUTER: OnceLock<axum::Router> = OnceLock::new();
    let router = ROUTER.get_or_init(|| tco_jsonrpc::router(common::gateway(), 1024 * 1024));
    common::post(router, "/rpc/6.0/", "application/json", body);
});
