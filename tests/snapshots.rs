//! Snapshots: a merchant's state taken from one gateway (`GET /_admin/snapshot`) and loaded into a
//! fresh one (`POST /_admin/data`) answers every read operation identically — each REST `GET`
//! route of the registry, and each read over JSON-RPC and SOAP — on SQLite and PostgreSQL; the file
//! holds no secret.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use reqwest::Method;
use serde_json::{Value, json};
use tco_client::{CatalogApi, OrdersApi, PriceOption, PriceOptionGroup, RefundItem, SubscriptionsApi};
use tco_core::Clock;
use tco_tests::{Backend, MERCHANT_A, TestGateway, backend_test};

use crate::admin::admin;
use crate::legacy::{legacy_gateway, order};

/// A value for each path parameter the read routes name; any other gets one nobody has, so both
/// gateways answer the same refusal.
fn fill(path: &str, values: &[(&str, String)]) -> String {
    let mut filled = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map_or(rest.len(), |end| start + end);
        let name = &rest[start + 1..end];
        filled.push_str(&rest[..start]);
        let value =
            values.iter().find(|(known, _)| *known == name).map_or("NONE", |(_, value)| value.as_str());
        filled.push_str(value);
        rest = &rest[(end + 1).min(rest.len())..];
    }
    filled.push_str(rest);
    filled
}

backend_test!(a_snapshot_answers_every_read_as_the_original, legacy_gateway, |gateway| {
    let backend =
        if gateway.config.database.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite };
    let client = tco_tests::client(&gateway, tco_client::Protocol::JsonRpc, MERCHANT_A);
    // A customer, an order with a subscription renewed once (history), a refund, an additional
    // field, a price option group; the promotion and products come with the data.
    let placed = client.place_order(&order("snapshot@example.com")).await.unwrap();
    let ref_no = placed.ref_no.clone().unwrap();
    let reference = placed.subscription_references()[0].clone();
    assert!(client.renew_subscription(&reference, 30, "12.5", "USD").await.unwrap());
    client.add_subscription_field(&reference, "Seat", "Ada").await.unwrap();
    let refunded = client.order(&ref_no).await.unwrap();
    let book = refunded.items.iter().find(|item| item.code.as_deref() == Some("BOOK")).unwrap();
    let line = book.line_item_reference.clone().unwrap();
    let item = RefundItem { line_item_reference: Some(line), quantity: Some(1), amount: None };
    client.issue_refund(&ref_no, "10.00", &[item], "snapshot", "Other").await.unwrap();
    let group = PriceOptionGroup {
        name: Some("Seats".into()),
        code: Some("SEATS".into()),
        kind: Some("RADIO".into()),
        options: vec![PriceOption {
            name: Some("Ten".into()),
            code: Some("TEN".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    client.add_price_option_group(&group).await.unwrap();
    let product = client.product_by_code("PLAN").await.unwrap();

    let (status, snapshot) = admin(&gateway, Method::GET, "/_admin/snapshot?merchant=MERCHANT_A", None).await;
    assert_eq!(status, 200, "{snapshot}");
    let text = snapshot.to_string();
    for secret in [MERCHANT_A.1, "legacy-password", "tango", "4111111111111111"] {
        assert!(!text.contains(secret), "the snapshot holds {secret}");
    }

    let fresh =
        TestGateway::start_with_data(backend, &json!({"Merchants": [{"Code": "MERCHANT_A"}]}), |config| {
            config.order_completion_secs = 0;
            config.auth_window_secs = 366 * 86_400;
            config.session_ttl_secs = 366 * 86_400;
        })
        .await
        .unwrap();
    // Both on the same clock: the fresh gateway's is the original's.
    let now = gateway.clock.as_ref().unwrap().now();
    fresh.clock.as_ref().unwrap().set(now);
    let (status, loaded) = admin(&fresh, Method::POST, "/_admin/data", Some(snapshot.clone())).await;
    assert_eq!(status, 200, "{loaded}");
    assert!(loaded["loaded"].as_u64().unwrap() > 20, "{loaded}");

    let values = [
        ("RefNo", ref_no.clone()),
        ("SubscriptionReference", reference.clone()),
        ("CReference", placed.customer_reference.unwrap().to_string()),
        ("ProductCode", "PLAN".to_owned()),
        ("ProductId", product.avangate_id.clone().unwrap_or_default()),
        ("GroupCode", "SEATS".to_owned()),
        ("PromotionCode", "5E1A2C3D4B".to_owned()),
        ("CurrencyCode", "USD".to_owned()),
        ("fieldName", "Seat".to_owned()),
        ("LanguageCode", "en".to_owned()),
    ];
    let mut compared = 0;
    for operation in tco_api::descriptors() {
        for route in
            operation.rest.iter().filter(|route| route.method.as_str() == "GET" && route.query.is_none())
        {
            let path = format!("{}/", fill(route.path, &values));
            let (before, after) = (gateway.rest().get(&path).await, fresh.rest().get(&path).await);
            // Links name the gateway that answers (the hosted cart's address).
            let (before_text, after_text) =
                (before.text.replace(&gateway.url(), "BASE"), after.text.replace(&fresh.url(), "BASE"));
            assert_eq!(
                (before.status, before_text),
                (after.status, after_text),
                "{} GET {path} answers differently after the snapshot",
                operation.name
            );
            compared += 1;
        }
    }
    assert!(compared >= 30, "{compared} reads compared");

    // The same reads over JSON-RPC and SOAP, each parameter given by its positional name.
    let customer = placed.customer_reference.unwrap();
    let positional = |name: &str| match name.to_ascii_lowercase().as_str() {
        "avangatecustomerreference" | "customerreference" => json!(customer),
        "orderreference" => json!(ref_no),
        "subscriptionreference" => json!(reference),
        "productcode" => json!("PLAN"),
        "productid" => json!(product.avangate_id.clone().unwrap_or_default()),
        "groupcode" => json!("SEATS"),
        "promotioncode" => json!("5E1A2C3D4B"),
        "currency" => json!("USD"),
        "countrycode" => json!("US"),
        "paymentmethod" => json!("CC"),
        "fieldname" => json!("Seat"),
        "languagecode" => json!("en"),
        _ => Value::Null,
    };
    let (rpc, fresh_rpc) = (gateway.rpc(), fresh.rpc());
    let sessions = (rpc.login(MERCHANT_A).await, fresh_rpc.login(MERCHANT_A).await);
    let (soap, fresh_soap) = (gateway.soap(), fresh.soap());
    let soap_sessions = (soap.login(MERCHANT_A).await, fresh_soap.login(MERCHANT_A).await);
    let mut positional_reads = 0;
    for operation in tco_api::descriptors().iter().filter(|operation| {
        operation.positional
            && operation.rest.iter().any(|route| route.method.as_str() == "GET")
            // A new single sign-on link each call; a partner chosen for the session.
            && !["getSingleSignOnInCart", "setPartner"].contains(&operation.name)
    }) {
        let params: Vec<(&str, Value)> = operation
            .params
            .fields
            .iter()
            .filter(|field| field.name != "sessionID")
            .map(|field| (field.name, positional(field.name)))
            .collect();
        let values = |session: &str| {
            let mut values = vec![json!(session)];
            values.extend(params.iter().map(|(_, value)| value.clone()));
            Value::Array(values)
        };
        let (before, after) = (
            rpc.call(operation.name, values(&sessions.0)).await,
            fresh_rpc.call(operation.name, values(&sessions.1)).await,
        );
        assert_eq!(
            (before.status, before.text.replace(&gateway.url(), "BASE")),
            (after.status, after.text.replace(&fresh.url(), "BASE")),
            "JSON-RPC {} answers differently after the snapshot",
            operation.name
        );
        let xml = |session: &str| {
            let mut xml = format!("<sessionID>{session}</sessionID>");
            for (name, value) in &params {
                match value {
                    Value::Null => xml.push_str(&format!(r#"<{name} xsi:nil="true"/>"#)),
                    Value::String(text) => xml.push_str(&format!("<{name}>{text}</{name}>")),
                    other => xml.push_str(&format!("<{name}>{other}</{name}>")),
                }
            }
            xml
        };
        let (before, after) = (
            soap.call(operation.name, &xml(&soap_sessions.0)).await,
            fresh_soap.call(operation.name, &xml(&soap_sessions.1)).await,
        );
        assert_eq!(
            (before.status, before.text.replace(&gateway.url(), "BASE")),
            (after.status, after.text.replace(&fresh.url(), "BASE")),
            "SOAP {} answers differently after the snapshot",
            operation.name
        );
        positional_reads += 1;
    }
    assert!(positional_reads >= 25, "{positional_reads} reads compared over JSON-RPC and SOAP");
    // New objects are numbered after the loaded ones.
    let next = tco_tests::client(&fresh, tco_client::Protocol::Rest, MERCHANT_A);
    let another = next.place_order(&order("after@example.com")).await.unwrap();
    assert!(another.ref_no.unwrap().parse::<u64>().unwrap() > ref_no.parse::<u64>().unwrap());
    // Loaded again, it replaces the state rather than adding to it.
    let (status, again) = admin(&fresh, Method::POST, "/_admin/data", Some(snapshot)).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        fresh.rest().get("/orders/?Newer=2000-01-01").await.json,
        gateway.rest().get("/orders/?Newer=2000-01-01").await.json
    );
});
