#![no_main]
//! Whole SOAP requests through the adapter: XML reader, envelope, parameters, operations.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|body: &[u8]| {
    static ROUTER: OnceLock<axum::Router> = OnceLock::new();
    let router = ROUTER.get_or_init(|| tco_soap::router(common::gateway(), 1024 * 1024));
    common::post(router, "/soap/6.0/", "text/xml", body);
});
