//! The legacy API's OpenAPI document, made from [`crate::calls::CALLS`]: each call a path under
//! `/api/`, GET and POST for reads, POST for writes, HTTP Basic security, the legacy envelope.

use serde_json::{Map, Value, json};

use crate::calls::CALLS;

/// The document, as served at `/api/openapi.json` and committed as `docs/legacy-openapi.json`.
pub fn document() -> Value {
    let mut paths = Map::new();
    for call in CALLS {
        let parameters: Vec<Value> = call
            .parameters
            .iter()
            .map(|(name, required, description)| {
                json!({"name": name, "in": "query", "required": required, "description": description,
                       "schema": {"type": "string"}})
            })
            .collect();
        let form: Map<String, Value> = call
            .parameters
            .iter()
            .map(|(name, _, description)| {
                ((*name).to_owned(), json!({"type": "string", "description": description}))
            })
            .collect();
        let required: Vec<&str> =
            call.parameters.iter().filter(|(_, required, _)| *required).map(|(name, _, _)| *name).collect();
        let description = match call.successor {
            Some(successor) => format!("{} API 6.0: `{successor}`.", call.summary),
            None => call.summary.to_owned(),
        };
        let responses = json!({
            "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}}},
            "400": {"description": "Refused", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}},
            "401": {"description": "Wrong API user or password", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}},
            "404": {"description": "No such record", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}},
        });
        let post = json!({
            "operationId": format!("{}_post", call.name.replace('/', "_")),
            "summary": call.name,
            "description": description,
            "deprecated": call.successor.is_none(),
            "requestBody": {"content": {
                "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": form, "required": required}},
                "multipart/form-data": {"schema": {"type": "object", "properties": form, "required": required}},
            }},
            "responses": responses,
        });
        let mut item = Map::new();
        if !call.writes {
            item.insert(
                "get".into(),
                json!({
                    "operationId": call.name.replace('/', "_"),
                    "summary": call.name,
                    "description": description,
                    "parameters": parameters,
                    "responses": responses,
                }),
            );
        }
        item.insert("post".into(), post);
        paths.insert(format!("/api/{}", call.name), Value::Object(item));
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "tco-gateway: the legacy 2Checkout API (v1)",
            "version": "1",
            "description": "The legacy 2Checkout (2CO) API beside API 6.0 on one state. HTTP Basic with the merchant's \
                legacy API user; answers {\"response_code\": \"OK\", \"response_message\", ...} with every number as a \
                string, or {\"errors\": [{\"code\", \"message\"}]}. See docs/legacy-api.md.",
        },
        "servers": [{"url": "http://127.0.0.1:8080"}],
        "security": [{"basic": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"basic": {"type": "http", "scheme": "basic"}},
            "schemas": {
                "Envelope": {"type": "object", "required": ["response_code", "response_message"], "properties": {
                    "response_code": {"type": "string", "enum": ["OK"]},
                    "response_message": {"type": "string"},
                }, "additionalProperties": true},
                "Errors": {"type": "object", "properties": {"errors": {"type": "array", "items": {"type": "object", "properties": {
                    "code": {"type": "string", "enum": ["PARAMETER_MISSING", "PARAMETER_INVALID", "RECORD_NOT_FOUND", "FORBIDDEN", "NOTHING_TO_DO", "FAILED"]},
                    "message": {"type": "string"},
                }}}}},
            },
        },
    })
}
