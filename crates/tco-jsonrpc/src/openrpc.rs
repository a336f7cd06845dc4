//! The OpenRPC document of `/rpc/6.0/`, generated from the operation registry: every method
//! with its positional parameters (an object with the same names works too), its result and the
//! catalogue errors it can answer with. Served at `GET /rpc/6.0/openrpc.json` and answered by
//! the `rpc.discover` method.

use std::sync::LazyLock;

use serde_json::{Value, json};
use tco_api::{Descriptor, Dialect, Schemas};
use tco_core::Protocol;

/// The document, as JSON text.
pub fn document() -> &'static str {
    static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
        serde_json::to_string_pretty(&generate(&tco_api::descriptors())).unwrap_or_default() + "\n"
    });
    &DOCUMENT
}

pub fn generate(descriptors: &[Descriptor]) -> Value {
    let mut schemas = Schemas::new(Dialect::JsonSchema, "#/components/schemas/");
    let methods: Vec<Value> = descriptors
        .iter()
        .filter(|operation| operation.positional)
        .map(|operation| {
            let params: Vec<Value> = operation
                .params
                .fields
                .iter()
                .map(|field| json!({ "name": field.name, "schema": schemas.of(field.shape) }))
                .collect();
            let mut codes = operation.codes(Protocol::JsonRpc);
            codes.sort();
            codes.dedup();
            let errors: Vec<Value> = codes
                .iter()
                .map(|code| json!({ "code": code.jsonrpc_code(), "message": code.as_str(), "data": { "error_code": code.as_str() } }))
                .collect();
            json!({
                "name": operation.name,
                "description": operation.doc,
                "paramStructure": "either",
                "params": params,
                "result": { "name": "result", "schema": schemas.of(operation.output) },
                "errors": errors,
            })
        })
        .collect();
    json!({
        "openrpc": "1.2.6",
        "info": {
            "title": "tco-gateway: the 2Checkout (Avangate) API 6.0 over JSON-RPC",
            "version": "6.0",
            "description": "Generated from the operation registry of tco-gateway (crates/tco-api). Call login first; pass its session id as the first parameter of every other method. Method names match in any case.",
        },
        "servers": [{ "name": "tco-gateway", "url": "/rpc/6.0/" }],
        "methods": methods,
        "components": { "schemas": schemas.definitions() },
    })
}
