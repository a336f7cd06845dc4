//! The OpenAPI 3 document of `/rest/6.0`, generated from the operation registry's routes and
//! objects, and served at `GET /rest/6.0/openapi.json`. Routes that share a path and a method
//! (`GET /customers/` searches, `GET /customers/?ssotoken=` reads by token) are one OpenAPI
//! operation, the first's, whose description names the other.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tco_api::{Descriptor, Dialect, Schemas};
use tco_core::Protocol;

use crate::routes::METHODS;

/// The document, as JSON text.
pub fn document() -> &'static str {
    static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
        serde_json::to_string_pretty(&generate(&tco_api::descriptors())).unwrap_or_default() + "\n"
    });
    &DOCUMENT
}

pub(crate) fn response(document: &'static str) -> Response {
    ([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], document).into_response()
}

pub fn generate(descriptors: &[Descriptor]) -> Value {
    let mut schemas = Schemas::new(Dialect::OpenApi3, "#/components/schemas/");
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for method in METHODS {
        for operation in descriptors {
            for route in operation.rest.iter().filter(|route| route.method == method) {
                let path = format!("{}/", route.path);
                let item = paths.entry(path.clone()).or_default();
                let key = method.as_str().to_ascii_lowercase();
                if let Some(existing) = item.get_mut(&key) {
                    // Another operation on the same path and method, told apart by a query parameter.
                    let condition = route.query.unwrap_or_default();
                    if let Some(Value::String(description)) = existing.get_mut("description") {
                        description.push_str(&format!(
                            "\n\nWith `{condition}`: `{}`. {}",
                            operation.name, operation.doc
                        ));
                    }
                    if let Some(Value::Array(parameters)) = existing.get_mut("parameters") {
                        parameters.extend(query_parameters(route.parameters));
                    }
                    continue;
                }
                let mut parameters: Vec<Value> = route
                    .path
                    .split('/')
                    .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
                    .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
                    .collect();
                parameters.extend(query_parameters(route.parameters));
                let mut responses = Map::new();
                responses.insert(
                    route.status.to_string(),
                    json!({ "description": "Success.", "content": { "application/json": { "schema": schemas.of(operation.output) } } }),
                );
                let mut codes = operation.codes(Protocol::Rest);
                codes.sort_by_key(|code| code.http_status());
                for code in codes {
                    let status = code.http_status().to_string();
                    let entry = responses.entry(status).or_insert_with(|| {
                        json!({ "description": "", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
                    });
                    if let Some(Value::String(description)) = entry.get_mut("description") {
                        if !description.is_empty() {
                            description.push_str(", ");
                        }
                        description.push_str(code.as_str());
                    }
                }
                let mut entry = json!({
                    "operationId": operation.name,
                    "summary": operation.name,
                    "description": operation.doc,
                    "parameters": parameters,
                    "responses": responses,
                });
                if let Some(body) = route.body {
                    entry["requestBody"] = json!({
                        "required": true,
                        "content": { "application/json": { "schema": schemas.object(body) } },
                    });
                }
                item.insert(key, entry);
            }
        }
    }
    schemas.define(
        "Error",
        json!({
            "type": "object",
            "description": "Every REST error: the catalogue code (docs/errors.md) and a message.",
            "required": ["error_code", "message"],
            "properties": { "error_code": { "type": "string" }, "message": { "type": "string" } },
        }),
    );
    let components = schemas.definitions();
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "tco-gateway: the 2Checkout (Avangate) API 6.0 over REST",
            "version": "6.0",
            "description": "Generated from the operation registry of tco-gateway (crates/tco-api). Every request is signed with X-Avangate-Authentication: code=\"…\" date=\"…\" hash=\"…\" [algo=\"…\"].",
        },
        "servers": [{ "url": "/rest/6.0" }],
        "security": [{ "avangate": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "avangate": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Avangate-Authentication",
                    "description": "code=\"MERCHANT\" date=\"YYYY-MM-DD HH:MM:SS\" (UTC) hash=\"HMAC of len(code) code len(date) date\" [algo=\"sha256\" | \"sha3-256\"; md5 when left out]",
                },
            },
            "schemas": components,
        },
    })
}

fn query_parameters(parameters: &[(&str, &str)]) -> Vec<Value> {
    parameters
        .iter()
        .map(|(name, description)| {
            json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": "string" } })
        })
        .collect()
}
