//! Issue 25, item 7: a NUL (or another control character) in any text parameter gets one answer
//! on both stores and never a server error. PostgreSQL cannot hold NUL in text, so before the core
//! checked every text that reaches a store, such a value reached it and answered 500 where SQLite
//! answered 404.
//!
//! Two sweeps over the registry, each on a SQLite and a PostgreSQL gateway with the same data: every
//! operation with the hostile value in each of its text parameters (nested fields one level deep),
//! the rest left out; and the vendor-shaped calls that reach deeper (an order's item code, a coupon,
//! a subscription filter), over REST and JSON-RPC.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Map, Value, json};
use tco_api::{Shape, descriptors};
use tco_tests::{Backend, MERCHANT_A, Reply};

use crate::orders::order_gateway;

const HOSTILE: [&str; 3] = ["5E1A2C3D4B\u{0}", "\u{0}", "A\u{1}B\u{1f}\u{7f}"];

/// Params for `operation` with `value` at `path` (a parameter, or a parameter's field), the rest
/// left out.
fn params_with(names: &[&str], path: &[&str], value: &str) -> Value {
    let mut params = Map::new();
    for name in names {
        params.insert((*name).to_owned(), Value::Null);
    }
    let leaf = json!(value);
    let placed = match path {
        [_parameter] => leaf,
        [_, field] => json!({ *field: leaf }),
        [_, field, inner] => json!({ *field: { *inner: leaf } }),
        _ => unreachable!(),
    };
    params.insert(path[0].to_owned(), placed);
    Value::Object(params)
}

/// Every path to a text leaf in `shape`, up to `depth` levels below the parameter.
fn text_paths(
    name: &'static str,
    shape: Shape,
    depth: usize,
    prefix: &mut Vec<&'static str>,
    out: &mut Vec<Vec<&'static str>>,
) {
    prefix.push(name);
    match shape.required() {
        Shape::String | Shape::Reference | Shape::Enum(_) => out.push(prefix.clone()),
        Shape::Array(inner) if matches!(inner.required(), Shape::String | Shape::Reference) => {
            out.push(prefix.clone())
        }
        Shape::Object(object) if depth > 0 => {
            for field in object.fields {
                text_paths(field.name, field.shape, depth - 1, prefix, out);
            }
        }
        _ => {}
    }
    prefix.pop();
}

/// The answer reduced to what must agree across stores: the error code, or "ok".
fn outcome(reply: &Reply) -> String {
    match reply.json.get("error") {
        Some(error) => error["data"]["error_code"].as_str().unwrap_or("?").to_owned(),
        None => "ok".to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_text_parameter_gets_one_answer_on_both_stores() {
    let sqlite = order_gateway(Backend::Sqlite).await.unwrap();
    let Some(postgres) = order_gateway(Backend::Postgres).await else { return };
    let mut calls = 0;
    let mut different = Vec::new();
    let mut failed = Vec::new();
    for gateway_pair in [(&sqlite, &postgres)] {
        let (a, b) = gateway_pair;
        let (rpc_a, rpc_b) = (a.rpc(), b.rpc());
        let (session_a, session_b) = (rpc_a.login(MERCHANT_A).await, rpc_b.login(MERCHANT_A).await);
        for operation in
            descriptors().into_iter().filter(|operation| operation.positional && operation.name != "login")
        {
            let names: Vec<&str> = operation.params.fields.iter().map(|field| field.name).collect();
            let mut paths = Vec::new();
            for field in operation.params.fields.iter().filter(|field| field.name != "sessionID") {
                text_paths(field.name, field.shape, 2, &mut Vec::new(), &mut paths);
            }
            for path in &paths {
                for hostile in HOSTILE {
                    let params = params_with(&names, path, hostile);
                    let with_session = |session: &str| {
                        let mut params = params.clone();
                        if names.contains(&"sessionID") {
                            params["sessionID"] = json!(session);
                        }
                        params
                    };
                    let on_a = rpc_a.call(operation.name, with_session(&session_a)).await;
                    let on_b = rpc_b.call(operation.name, with_session(&session_b)).await;
                    calls += 1;
                    let (outcome_a, outcome_b) = (outcome(&on_a), outcome(&on_b));
                    for (store, outcome, reply) in
                        [("SQLite", &outcome_a, &on_a), ("PostgreSQL", &outcome_b, &on_b)]
                    {
                        if matches!(outcome.as_str(), "INTERNAL_ERROR" | "SERVICE_UNAVAILABLE" | "?") {
                            failed.push(format!(
                                "{} {path:?} = {hostile:?} on {store}: {}",
                                operation.name, reply.text
                            ));
                        }
                    }
                    if outcome_a != outcome_b {
                        different.push(format!(
                            "{} {path:?} = {hostile:?}: SQLite {outcome_a}, PostgreSQL {outcome_b}",
                            operation.name
                        ));
                    }
                }
            }
        }
    }
    println!("{calls} calls with control characters on each store");
    assert!(failed.is_empty(), "server errors:\n{}", failed.join("\n"));
    assert!(different.is_empty(), "answers differ between the stores:\n{}", different.join("\n"));
}

/// The calls of the issue that reach below the parameters' first level, over REST and JSON-RPC.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_texts_get_one_answer_on_both_stores() {
    let sqlite = order_gateway(Backend::Sqlite).await.unwrap();
    let Some(postgres) = order_gateway(Backend::Postgres).await else { return };
    let billing = json!({"FirstName": "Nul", "LastName": "Byte", "Email": "nul@example.com",
        "Address1": "1 Zero St", "City": "Null", "Zip": "00000", "CountryCode": "US"});
    let payment = json!({"Type": "TEST", "Currency": "USD", "PaymentMethod": {"CardNumber": "4111111111111111",
        "ExpirationMonth": "12", "ExpirationYear": "2030", "HolderName": "Nul Byte", "CCID": "123"}});
    let order = |item: Value, promotions: Value| {
        json!({"Currency": "USD", "Country": "US", "Language": "en", "Items": [item], "BillingDetails": billing,
               "PaymentDetails": payment, "Promotions": promotions})
    };
    let rest_calls: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", "/promotions/5E1A2C3D4B%00/".into(), None),
        ("GET", "/products/BOOK%00/".into(), None),
        ("GET", "/orders/600000001%00/".into(), None),
        ("GET", "/subscriptions/?ProductCodes=BOOK%00".into(), None),
        ("GET", "/subscriptions/?ProductCodes[]=PLAN%00&CustomerEmail=a%00b@example.com".into(), None),
        ("GET", "/upsell/campaigns/fc580e11%00/".into(), None),
        ("POST", "/orders/".into(), Some(order(json!({"Code": "BOOK\u{0}", "Quantity": 1}), json!([])))),
        (
            "POST",
            "/orders/".into(),
            Some(order(json!({"Code": "BOOK", "Quantity": 1}), json!(["TANGIBLE\u{0}"]))),
        ),
        (
            "POST",
            "/orders/".into(),
            Some(order(json!({"Code": "BOOK", "Quantity": 1, "ExternalReference": "X\u{0}"}), json!([]))),
        ),
        (
            "POST",
            "/channelmanager/partners/sso/".into(),
            Some(json!({"Email": "partner@example.com", "PartnerCode": "P\u{0}", "AccessPage": "page\u{0}"})),
        ),
        // Writes of otherwise valid objects with a NUL in a text field.
        (
            "POST",
            "/orders/".into(),
            Some({
                let mut order = order(json!({"Code": "BOOK", "Quantity": 1}), json!([]));
                order["BillingDetails"]["FirstName"] = json!("Nul\u{0}");
                order
            }),
        ),
        (
            "POST",
            "/promotions/".into(),
            Some(json!({"Name": "Ten\u{0}", "Coupon": {"Type": "SINGLE", "Code": "TEN"},
            "Discount": {"Type": "PERCENT", "Value": 10}, "Products": [{"Code": "BOOK"}]})),
        ),
        (
            "POST",
            "/promotions/".into(),
            Some(json!({"Name": "Ten", "Coupon": {"Type": "SINGLE", "Code": "TEN\u{0}"},
            "Discount": {"Type": "PERCENT", "Value": 10}, "Products": [{"Code": "BOOK"}], "Description": "d\u{0}"})),
        ),
        (
            "POST",
            "/products/".into(),
            Some(json!({"ProductCode": "NUL1", "ProductName": "Nul\u{0}",
            "PricingConfigurations": [{"Prices": {"Regular": [{"Amount": 5, "Currency": "USD"}]}}]})),
        ),
        (
            "POST",
            "/products/".into(),
            Some(json!({"ProductCode": "NUL2", "ProductName": "Nul", "ShortDescription": "\u{0}",
            "PricingConfigurations": [{"Prices": {"Regular": [{"Amount": 5, "Currency": "USD"}]}}]})),
        ),
        ("POST", "/productgroups/".into(), Some(json!({"Name": "Group\u{0}", "Code": "G1"}))),
        (
            "POST",
            "/upsell/".into(),
            Some(json!({"Name": "Up\u{0}", "StartDate": "2026-01-01",
            "PrimaryProduct": {"Code": "PLAN"}, "RecommendedProduct": {"Code": "BOOK"},
            "Discount": {"Type": "PERCENT", "Value": 5}})),
        ),
        (
            "POST",
            "/crosssells/texts/".into(),
            Some(json!({"Language": "en", "Title": "T\u{0}", "Description": "D"})),
        ),
        ("PUT", "/customers/1/".into(), Some(json!({"FirstName": "A\u{0}"}))),
    ];
    let mut failed = Vec::new();
    for (method, path, body) in rest_calls {
        let mut outcomes = Vec::new();
        for gateway in [&sqlite, &postgres] {
            let body = body.as_ref().map(Value::to_string);
            let reply = gateway.rest().send(method.parse().unwrap(), &path, body).await;
            outcomes.push((reply.status, reply.json.get("error_code").cloned()));
        }
        if outcomes[0] != outcomes[1] || outcomes.iter().any(|(status, _)| status.as_u16() >= 500) {
            failed.push(format!("{method} {path}: SQLite {:?}, PostgreSQL {:?}", outcomes[0], outcomes[1]));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The partner sign-on of the demo merchant's `Partner123`, whose page URL the grant stores.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_page_with_a_nul_gets_one_answer_on_both_stores() {
    const DEMO: (&str, &str) = ("TCODEMO", "tco-demo-secret");
    let mut answers = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let started = tco_tests::TestGateway::start_with(backend, |config| {
            config.merchants.push(tco_core::Merchant::new(DEMO.0, DEMO.1));
        })
        .await;
        let Some(gateway) = started else { return };
        let body = json!({"Email": "partner@example.com", "PartnerCode": "Partner123",
            "AccessPage": "https://example.com/\u{0}page", "ValidityTime": 60});
        let reply = gateway.rest_as(DEMO).post("/channelmanager/partners/sso/", &body).await;
        answers.push((reply.status.as_u16(), reply.json["error_code"].clone()));
    }
    assert_eq!(answers[0], answers[1], "SQLite and PostgreSQL differ");
    assert_eq!(answers[0].0, 400, "{answers:?}");
}
