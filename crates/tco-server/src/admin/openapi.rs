//! The admin API in the OpenAPI document: its paths, added to the REST document the registry
//! generates, each with its own server (`/`, where `/_admin/` lives, rather than `/rest/6.0`).

use std::sync::LazyLock;

use serde_json::{Value, json};

/// The REST document with the admin API's paths: served at `/rest/6.0/openapi.json`, and
/// `docs/openapi.json`.
pub fn document() -> &'static str {
    static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
        let mut document: Value = serde_json::from_str(tco_rest::openapi::document()).unwrap_or_default();
        if let (Some(paths), Value::Object(admin)) = (document["paths"].as_object_mut(), paths()) {
            paths.extend(admin);
        }
        document["components"]["securitySchemes"]["admin"] = json!({
            "type": "http",
            "scheme": "bearer",
            "description": "The --admin-token, when one is configured. On a loopback address without one, the admin API is open; on another address without one, it does not exist.",
        });
        document["components"]["schemas"]["AdminError"] = json!({
            "type": "object",
            "description": "The admin API's error body: FORBIDDEN (the access rule), AUTHENTICATION_ERROR (the admin token), INVALID_FIELD (a request it cannot take), or a catalogue code of docs/errors.md with its HTTP status (a store failure while resetting or loading).",
            "required": ["error_code", "message"],
            "properties": { "error_code": { "type": "string" }, "message": { "type": "string" } },
        });
        document["tags"] = json!([{ "name": "admin", "description": "The gateway's own admin API (not the vendor's): journal, reset, data, time travel, fault injection, state browser, notifications." }]);
        serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
    });
    &DOCUMENT
}

fn operation(summary: &str, description: &str, body: Option<Value>, answer: Value) -> Value {
    let mut operation = json!({
        "tags": ["admin"],
        "summary": summary,
        "description": description,
        "security": [{ "admin": [] }, {}],
        "responses": {
            "200": { "description": "Done", "content": { "application/json": { "schema": answer } } },
            "400": { "description": "An invalid request", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AdminError" } } } },
            "401": { "description": "The admin token is missing or wrong", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AdminError" } } } },
            "403": { "description": "Refused by the access rule: a foreign Host name while open, a write from another Origin, a POST that is not application/json", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AdminError" } } } },
        },
    });
    if let Some(schema) = body {
        operation["requestBody"] =
            json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    }
    operation
}

fn no_content(summary: &str, description: &str) -> Value {
    json!({
        "tags": ["admin"],
        "summary": summary,
        "description": description,
        "security": [{ "admin": [] }, {}],
        "responses": { "204": { "description": "Done" } },
    })
}

fn with_parameters(parameters: Vec<Value>, mut operation: Value) -> Value {
    operation["parameters"] = Value::Array(parameters);
    operation
}

/// An operation answering `201 Created` with what it answers.
fn created(operation: Value) -> Value {
    answering("201", operation)
}

/// An operation answering `202 Accepted` with what it answers.
fn accepted(operation: Value) -> Value {
    answering("202", operation)
}

fn answering(status: &str, mut operation: Value) -> Value {
    if let Some(responses) = operation["responses"].as_object_mut()
        && let Some(done) = responses.remove("200")
    {
        responses.insert(status.to_owned(), done);
    }
    operation
}

fn object(properties: Value) -> Value {
    json!({ "type": "object", "properties": properties })
}

fn path(item: Value) -> Value {
    let mut item = item;
    item["servers"] = json!([{ "url": "/" }]);
    item
}

fn paths() -> Value {
    let text = json!({ "type": "string" });
    let clock = object(json!({
        "now": { "type": "string", "format": "date-time", "description": "The gateway's time" },
        "real_now": { "type": "string", "format": "date-time", "description": "The real time, which request dates are checked against" },
        "offset_seconds": { "type": "number" },
        "frozen": { "type": "boolean" },
        "frozen_at": { "type": "string", "format": "date-time", "nullable": true },
    }));
    let span = json!({ "oneOf": [{ "type": "integer", "description": "seconds" }, { "type": "string", "example": "11m", "description": "a number with s, m, h or d" }] });
    let fault = object(json!({
        "id": { "type": "integer" },
        "operation": { "type": "string", "description": "The vendor's operation name (any case), or * for all" },
        "protocol": { "type": "string", "enum": ["rest", "jsonrpc", "soap", "legacy"], "nullable": true },
        "merchant": { "type": "string", "nullable": true },
        "error": { "type": "string", "description": "A code of docs/errors.md to answer with" },
        "latency_ms": { "type": "integer", "description": "Latency added before the call runs" },
        "drop": { "type": "boolean", "description": "Close the connection without an answer" },
        "times": { "type": "integer", "nullable": true, "description": "Hit this many calls, then go" },
        "percent": { "type": "integer", "nullable": true, "description": "Hit this share of the calls (deterministic: 25 hits every 4th)" },
        "seen": { "type": "integer" },
        "hit": { "type": "integer" },
    }));
    let listeners = object(json!({
        "ipn": { "type": "array", "items": text },
        "lcn": { "type": "array", "items": text },
        "ins": { "type": "array", "items": text, "description": "The legacy API's INS listeners" },
        "pending_orders": { "type": "boolean" },
        "ipn_fields": { "type": "array", "items": text, "nullable": true },
    }));
    let delivery = object(json!({
        "id": { "type": "integer" },
        "event_id": { "type": "integer" },
        "merchant": text,
        "kind": { "type": "string", "enum": ["ipn", "lcn"] },
        "event": { "type": "string", "description": "ORDERSTATUS or DISPATCH_REASON" },
        "subject": { "type": "string", "description": "RefNo or subscription reference" },
        "case": { "type": "string", "nullable": true, "description": "A conformance case" },
        "url": text,
        "state": { "type": "string", "enum": ["pending", "delivered", "failing", "given_up"] },
        "attempts": { "type": "array", "items": object(json!({ "at": { "type": "string", "format": "date-time" }, "http_status": { "type": "integer", "nullable": true }, "verdict": text })) },
        "created_at": { "type": "string", "format": "date-time" },
        "next_attempt_at": { "type": "string", "format": "date-time", "nullable": true },
        "fields": { "type": "array", "items": { "type": "array", "items": text } },
    }));
    json!({
        "/_admin/journal": path(json!({
            "get": with_parameters(
                ["merchant", "protocol", "operation", "since"].iter().map(|name| json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" } })).collect(),
                operation("The call journal", "The latest calls, oldest first, in protocol-neutral form: arguments (secrets redacted), outcome, latency, and the fault injected into it if any. Filters: merchant, protocol (rest, jsonrpc, soap), operation, since (RFC 3339).", None, object(json!({ "capacity": { "type": "integer" }, "bytes": { "type": "integer" }, "byte_budget": { "type": "integer" }, "entries": { "type": "array", "items": { "type": "object" } } }))),
            ),
            "delete": no_content("Clear the journal", "Forgets every journaled call."),
        })),
        "/_admin/calls": path(json!({
            "get": with_parameters(vec![json!({ "name": "merchant", "in": "query", "required": false, "schema": text, "description": "One merchant's calls; everyone's without it" })], operation("Recent calls", "Every protocol and operation called in the last ten minutes, by the merchant ?merchant= names or by anyone, with its calls and failures (catalogue errors) in ten-second buckets, oldest first; the last bucket is the one filling now. Counted like /metrics, on the real clock (moving the gateway's clock does not move it). The dashboard's chart draws it.", None, object(json!({ "bucket_seconds": { "type": "integer" }, "buckets": { "type": "integer" }, "series": { "type": "array", "items": object(json!({ "protocol": { "type": "string", "enum": ["rest", "jsonrpc", "soap", "legacy"] }, "operation": text, "calls": { "type": "array", "items": { "type": "integer" } }, "failures": { "type": "array", "items": { "type": "integer" } } })) } })))),
        })),
        "/_admin/reset": path(json!({
            "post": with_parameters(
                vec![json!({ "name": "merchant", "in": "query", "required": false, "schema": text, "description": "One merchant; every served merchant without it" })],
                operation("Reset state", "Erases the merchant's customers, catalog, orders, subscriptions, campaigns, partners' grants, sessions and journal entries (every served merchant's, and the whole journal, without ?merchant), then loads the demo data and the --fixtures data file again. Other merchants are untouched. The clock and the faults are left as they are.", None, object(json!({ "merchants": { "type": "array", "items": text }, "erased": { "type": "integer" }, "loaded": { "type": "integer" } }))),
            ),
        })),
        "/_admin/data": path(json!({
            "post": operation("Load a data file", "Loads the body, a data file in the --fixtures format (see data/demo.json), for merchants this gateway serves. What already exists is left as it is; a merchant's snapshot (GET /_admin/snapshot) replaces its state.", Some(json!({ "type": "object" })), object(json!({ "loaded": { "type": "integer" } }))),
        })),
        "/_admin/snapshot": path(json!({
            "get": operation("Take a snapshot", "?merchant=CODE (optional when one merchant is served): the merchant's whole state as a data file — its settings and, under Snapshot, its stored state (customers and cards, catalog, orders and refunds, subscriptions with history and fields, campaigns, notification settings, scheduled events and undelivered notifications) — which --fixtures or POST /_admin/data load into another gateway, references, RefNos and dates as they were. No secret key, secret word, API password or full card number.", None, json!({ "type": "object" })),
        })),
        "/_admin/clock": path(json!({
            "get": operation("Read the clock", "The gateway's time, the real time and the setting between them. With several instances on one database the setting is shared (each takes it up within a second).", None, clock.clone()),
            "post": operation("Move the clock", "One of {\"advance\": \"11m\"}, {\"offset\": 660}, {\"freeze\": true[, \"at\": \"2027-01-01T00:00:00Z\"]}, {\"freeze\": false}. Sessions, SSO tokens, orders, subscriptions and campaigns follow; request dates are still checked against the real clock.", Some(object(json!({ "advance": span, "offset": span, "freeze": { "type": "boolean" }, "at": { "type": "string", "format": "date-time" } }))), clock.clone()),
            "delete": operation("Back to real time", "Removes any offset or freeze.", None, clock),
        })),
        "/_admin/faults": path(json!({
            "get": operation("List faults", "The faults in force, with how many calls each has seen and hit.", None, object(json!({ "faults": { "type": "array", "items": fault } }))),
            "post": created(operation("Inject a fault", "Makes calls of an operation (on one protocol, of one merchant, or all) answer with a catalogue error, wait latency_ms first, or lose their connection — for the next `times` calls or `percent` of them. The journal marks the calls it hits.", Some(fault.clone()), fault.clone())),
            "delete": no_content("Clear faults", "Removes every fault."),
        })),
        "/_admin/faults/{id}": path(json!({
            "delete": with_parameters(
                vec![json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } })],
                no_content("Remove a fault", "Removes one fault."),
            ),
        })),
        "/_admin/merchants": path(json!({
            "get": operation("Merchants", "The merchants served (codes only), the reads the state browser offers, and the grace period (days a subscription past its expiration stays past due) the subscription timeline draws.", None, object(json!({ "merchants": { "type": "array", "items": object(json!({ "code": text, "demo": { "type": "boolean" } })) }, "reads": { "type": "array", "items": text }, "grace_period_days": { "type": "integer" } }))),
        })),
        "/_admin/merchants/{code}/notifications": path(json!({
            "get": with_parameters(
                vec![json!({ "name": "code", "in": "path", "required": true, "schema": text })],
                operation("A merchant's listeners", "Its IPN and LCN URLs, whether declined orders are announced, and the IPN parameters sent (all when null). See docs/notifications.md.", None, listeners.clone()),
            ),
            "put": with_parameters(
                vec![json!({ "name": "code", "in": "path", "required": true, "schema": text })],
                operation("Set a merchant's listeners", "Replaces them: http(s) URLs, at most ten per kind.", Some(listeners.clone()), listeners),
            ),
        })),
        "/_admin/orders/{ref_no}/chargeback": path(json!({
            "post": with_parameters(
                vec![json!({ "name": "ref_no", "in": "path", "required": true, "schema": text })],
                operation("Charge an order back", "What the card holder's bank does and no API call can: the order becomes REVERSED and a REVERSED IPN goes out with CHARGEBACK_REASON_CODE (reason_code, FRAUD by default) and CHARGEBACK_RESOLUTION OPEN. The merchant is found when not given.", Some(object(json!({ "merchant": text, "reason_code": text }))), object(json!({ "RefNo": text, "merchant": text, "Status": text }))),
            ),
        })),
        "/_admin/notifications": path(json!({
            "get": with_parameters(
                ["merchant", "kind", "state", "event", "limit"].iter().map(|name| json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" } })).collect(),
                operation("Notification deliveries", "Newest first; kind ipn or lcn, state pending, delivered, failing or given_up, event an event id (a trigger's). Each with its fields as sent, its attempts and the verdict on each answer's read receipt.", None, json!({ "type": "array", "items": delivery })),
            ),
        })),
        "/_admin/notifications/{id}/resend": path(json!({
            "post": with_parameters(
                vec![json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } })],
                accepted(operation("Resend a delivery", "The same message again, due at once; the two days of retries count from its next attempt.", None, object(json!({ "id": { "type": "integer" }, "state": text })))),
            ),
        })),
        "/_admin/notifications/trigger": path(json!({
            "post": accepted(operation("Trigger a notification", "An IPN for a real order ({\"merchant\", \"order\": RefNo, \"status\": ORDERSTATUS}) or an LCN for a real subscription ({\"merchant\", \"subscription\", \"reason\": LICENCE_CHANGE|LICENCE_PASTDUE|LICENCE_EXPIRATION}), now; with \"conformance\": true also the listener edge cases (UTF-8 names, empty values and \"0\", several lines, a duplicate). Its deliveries: GET /_admin/notifications?event=ID.", Some(object(json!({ "merchant": text, "order": text, "status": text, "subscription": text, "reason": text, "conformance": { "type": "boolean" } }))), object(json!({ "events": { "type": "array", "items": { "type": "integer" } } })))),
        })),
        "/_admin/merchants/{code}/{operation}": path(json!({
            "post": with_parameters(
                vec![
                    json!({ "name": "code", "in": "path", "required": true, "schema": text }),
                    json!({ "name": "operation", "in": "path", "required": true, "schema": text, "description": tco_api::browse::READS.join(", ") }),
                ],
                operation("Read a merchant's state", "Runs a read operation as the merchant, its parameters by name in the body (the session id left out), and answers the vendor's objects. Not journaled.", Some(json!({ "type": "object" })), json!({ "type": "object" })),
            ),
        })),
    })
}
