//! Parity: one scenario body, run over REST, JSON-RPC and SOAP (each its own test, on SQLite and
//! on PostgreSQL) through `tco-client`, must see identical results; every catalogue code is
//! produced on every protocol that can produce it; state is shared across protocols and across
//! two instances on one PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::orders::{billing, card, item, previous};
use serde_json::json;
use tco_client::{
    Address, Api, CatalogApi, ClientError, Credentials, Customer, JsonRpcClient, Order, OrdersApi,
    PageRequest, ProductGroup, Protocol, Reference, RestClient, SearchOptions, SignOn, SoapClient,
    SubscriptionUpdate, SubscriptionsApi,
};
use tco_tests::{Backend, MERCHANT_A, MERCHANT_B, TestGateway, client, parity_test};

fn ada(external: &str) -> Customer {
    Customer {
        external_customer_reference: Some(external.into()),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        address1: Some("12 St James's Square".into()),
        city: Some("London".into()),
        zip: Some("SW1Y 4JH".into()),
        country_code: Some("GB".into()),
        email: Some("Ada@Example.com".into()),
        language: Some("EN".into()),
        ..Customer::default()
    }
}

/// What every protocol must return for `ada(external)` stored under `reference`.
fn stored_ada(reference: i64, external: &str) -> Customer {
    Customer {
        avangate_customer_reference: Some(reference),
        country_code: Some("gb".into()),
        language: Some("en".into()),
        enabled: Some(false),
        trial: Some(false),
        ..ada(external)
    }
}

/// Forgets a successful value: only whether and how a call failed matters.
fn ok<T>(result: Result<T, ClientError>) -> Result<(), ClientError> {
    result.map(|_| ())
}

#[track_caller]
fn assert_code<T: std::fmt::Debug>(result: Result<T, ClientError>, code: &str) {
    match result {
        Err(error) => assert_eq!(error.code(), Some(code), "{error}"),
        Ok(value) => panic!("expected {code}, got {value:?}"),
    }
}

parity_test!(create_get_update_round_trip, |gateway, api| {
    let reference = api.create_customer(&ada("P-1")).await.unwrap();
    assert_eq!(
        api.get_customer(&Reference::Internal(reference)).await.unwrap(),
        stored_ada(reference, "P-1")
    );
    assert_eq!(
        api.get_customer(&Reference::External("P-1".into())).await.unwrap(),
        stored_ada(reference, "P-1")
    );

    let mut changed = stored_ada(reference, "P-1");
    changed.city = Some("Cambridge".into());
    changed.company = Some("Analytical Engines Ltd".into());
    changed.fiscal_code = Some("GB123456789".into());
    changed.phone = Some("+44 20 7946 0000".into());
    changed.credit =
        Some(tco_client::Credit { limit: Some(51.0), remaining: Some(21.5), currency: Some("gbp".into()) });
    api.update_customer(&changed, true).await.unwrap();
    let read = api.get_customer(&Reference::Internal(reference)).await.unwrap();
    changed.credit =
        Some(tco_client::Credit { limit: Some(51.0), remaining: Some(21.5), currency: Some("GBP".into()) });
    assert_eq!(read, changed);
    // Every protocol sees the same stored customer, field for field.
    for other in [Protocol::Rest, Protocol::JsonRpc, Protocol::Soap] {
        let seen =
            client(&gateway, other, MERCHANT_A).get_customer(&Reference::Internal(reference)).await.unwrap();
        assert_eq!(seen, changed, "{other:?}");
    }
});

parity_test!(search_pages_and_filters, |gateway, api| {
    for index in 0..5 {
        let mut customer = ada(&format!("S-{index}"));
        customer.country_code = Some(if index < 3 { "GB" } else { "RO" }.into());
        api.create_customer(&customer).await.unwrap();
    }
    let all = api.search_customers(&SearchOptions::default()).await.unwrap();
    assert_eq!(
        (all.items.len(), all.pagination.count, all.pagination.page, all.pagination.limit),
        (5, 5, 1, 10)
    );
    let page = api
        .search_customers(&SearchOptions {
            email: Some("ADA@example.COM".into()),
            country_code: Some("gb".into()),
            pagination: Some(PageRequest { page: 2, limit: 2 }),
            ..SearchOptions::default()
        })
        .await
        .unwrap();
    assert_eq!(page.pagination.count, 3);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].external_customer_reference.as_deref(), Some("S-2"));
    let inactive = api
        .search_customers(&SearchOptions {
            status: Some("INACTIVE".into()),
            trial: Some(false),
            ..SearchOptions::default()
        })
        .await
        .unwrap();
    assert_eq!(inactive.pagination.count, 5);
    let nobody = api
        .search_customers(&SearchOptions { status: Some("ACTIVE".into()), ..SearchOptions::default() })
        .await
        .unwrap();
    assert_eq!((nobody.items.len(), nobody.pagination.count), (0, 0));
    drop(gateway);
});

parity_test!(single_sign_on_and_cards, |gateway, api| {
    let reference = api.create_customer(&ada("SSO-1")).await.unwrap();
    let sign_on = SignOn {
        url: "https://store.example/cart?PRODS=1".into(),
        validity_secs: Some(60),
        validation_ip: None,
    };
    for by in [Reference::Internal(reference), Reference::External("SSO-1".into())] {
        let link = api.sign_on_in_cart(&by, &sign_on).await.unwrap();
        let token = link
            .strip_prefix("https://store.example/cart?PRODS=1&logintoken=")
            .unwrap_or_else(|| panic!("{link}"));
        assert_eq!(token.len(), 40);
        let customer = api.customer_by_sso_token(token).await.unwrap();
        assert_eq!(customer, stored_ada(reference, "SSO-1"));
        assert_code(api.customer_by_sso_token(token).await, "INVALID_SSO_TOKEN");
    }
    let deletion = api.delete_card(&Reference::Internal(reference), "no-such-card").await;
    match api.protocol() {
        Protocol::Rest => assert_code(deletion, "NOT_FOUND_CARD"),
        _ => assert_eq!(deletion, Err(ClientError::Unsupported("deleting a stored card"))),
    }
    drop(gateway);
});

parity_test!(merchants_are_isolated, |gateway, api| {
    let reference = api.create_customer(&ada("MINE")).await.unwrap();
    let intruder = client(&gateway, api.protocol(), MERCHANT_B);
    assert_code(intruder.get_customer(&Reference::Internal(reference)).await, "NOT_FOUND_CUSTOMER");
    assert_code(intruder.get_customer(&Reference::External("MINE".into())).await, "NOT_FOUND_CUSTOMER");
    let mut takeover = stored_ada(reference, "MINE");
    takeover.city = Some("Elsewhere".into());
    assert_code(intruder.update_customer(&takeover, false).await, "NOT_FOUND_CUSTOMER");
    assert_eq!(intruder.search_customers(&SearchOptions::default()).await.unwrap().pagination.count, 0);
    assert_eq!(
        api.get_customer(&Reference::Internal(reference)).await.unwrap().city.as_deref(),
        Some("London")
    );
});

/// The catalogue codes a protocol cannot produce, and why; everything else must appear below.
const NOT_PRODUCIBLE: &[(&str, Protocol, &str)] = &[
    ("INVALID_SESSION", Protocol::Rest, "REST has no sessions: every request is signed"),
    ("SESSION_EXPIRED", Protocol::Rest, "REST has no sessions: every request is signed"),
    ("NOT_FOUND_CARD", Protocol::JsonRpc, "the vendor's JSON-RPC has no card deletion"),
    ("NOT_FOUND_CARD", Protocol::Soap, "the vendor's SOAP has no card deletion"),
    ("MUST_UNDERSTAND", Protocol::Rest, "a SOAP header rule"),
    ("MUST_UNDERSTAND", Protocol::JsonRpc, "a SOAP header rule"),
];

/// Codes `every_error_code` does not produce, and where they are covered instead.
const ELSEWHERE: &[(&str, &str)] = &[
    (
        "SUBSCRIPTION_FIELD_NOT_FOUND",
        "subscription_details.rs additional_information, on every protocol and store",
    ),
    ("INVALID_REFUND_AMOUNT", "refunds.rs a_partial_then_a_total_refund, on every protocol and store"),
    ("INVALID_REFUND_ITEMS", "refunds.rs a_partial_then_a_total_refund, on every protocol and store"),
    ("INVALID_REFUND_REASON", "refunds.rs a_partial_then_a_total_refund, on every protocol and store"),
    ("REFUND_NOT_ALLOWED", "refunds.rs a_partial_then_a_total_refund, on every protocol and store"),
    ("SESSION_EXPIRED", "session_expiry_is_reported_then_handled, below: it needs a one-second session"),
    ("SERVICE_UNAVAILABLE", "reliability.rs postgres_outage_and_recovery: it needs a database outage"),
    ("MUST_UNDERSTAND", "soap.rs must_understand_headers: the client sends no SOAP headers"),
    ("CONCURRENT_UPDATE", "only when PostgreSQL deadlocks outlast the store's retries; none can be forced"),
    ("INTERNAL_ERROR", "no request can trigger it by design"),
    ("CONNECTION_DROPPED", "admin.rs faults_reach_every_protocol: never answered, the connection closes"),
    ("UPSELL_CAMPAIGN_NOT_FOUND", "campaigns.rs upsell_campaigns, on every protocol and store"),
    ("PROMOTION_NOT_FOUND", "campaigns.rs promotions_and_coupons, on every protocol and store"),
    ("CROSS_SELL_TEXT_NOT_FOUND", "campaigns.rs cross_sell_texts, on every protocol and store"),
    ("INVALID_COUPON", "campaigns.rs promotions_and_coupons, on every protocol and store"),
    ("DUPLICATE_COUPON_CODE", "campaigns.rs promotions_and_coupons, on every protocol and store"),
    ("INVALID_SHIPPING_METHOD", "campaigns.rs shipping_methods_and_prices, on every protocol and store"),
    ("PRODUCT_NOT_TANGIBLE", "campaigns.rs shipping_methods_and_prices, on every protocol and store"),
    (
        "INVALID_PARTNER",
        "partners.rs partner_pricing and partner_single_sign_on, on every protocol and store",
    ),
    ("INVALID_EMAIL", "partners.rs partner_single_sign_on, on every protocol and store"),
    ("INVALID_USER", "partners.rs partner_single_sign_on, on every protocol and store"),
    ("INVALID_URL", "partners.rs partner_single_sign_on, on every protocol and store"),
    ("INVALID_VALIDITY_TIME", "partners.rs partner_single_sign_on, on every protocol and store"),
    ("PRODUCT_ERROR", "partners.rs partner_pricing, on every protocol and store"),
    ("PARTNER_PRICING_LISTS_NOT_FOUND", "partners.rs partner_pricing, on every protocol and store"),
    (
        "INVALID_MERCHANT_TOKEN",
        "partners.rs signature_service: the cart signature service is no API operation",
    ),
    (
        "PREVIOUS_ORDER_PAYMENT_METHOD",
        "orders.rs paying_with_a_previous_order: it needs a PayPal order from the data file",
    ),
];

parity_test!(every_error_code, |gateway, api| {
    let protocol = api.protocol();
    let mut produced: Vec<&str> = Vec::new();
    let mut expect = |result: Result<(), ClientError>, code: &'static str| {
        match result {
            Err(error) => assert_eq!(error.code(), Some(code), "{protocol:?}: {error}"),
            Ok(()) => panic!("{protocol:?}: expected {code}"),
        }
        produced.push(code);
    };

    let wrong_secret = client(&gateway, protocol, (MERCHANT_A.0, "not the secret"));
    expect(wrong_secret.login().await, "AUTHENTICATION_ERROR");

    let reference = api.create_customer(&ada("ERR-1")).await.unwrap();
    api.create_customer(&ada("ERR-2")).await.unwrap();
    expect(
        ok(api.create_customer(&Customer { first_name: None, ..ada("E") }).await),
        "MISSING_REQUIRED_FIELD",
    );
    expect(
        ok(api.create_customer(&Customer { country_code: Some("XX".into()), ..ada("E") }).await),
        "INVALID_FIELD",
    );
    expect(
        ok(api.create_customer(&Customer { fiscal_code: Some("GB1".into()), ..ada("E") }).await),
        "FISCAL_CODE_WITHOUT_COMPANY",
    );
    expect(ok(api.create_customer(&ada("ERR-1")).await), "DUPLICATE_EXTERNAL_REFERENCE");
    expect(ok(api.get_customer(&Reference::Internal(42)).await), "NOT_FOUND_CUSTOMER");
    expect(ok(api.customer_by_sso_token(&"0".repeat(40)).await), "INVALID_SSO_TOKEN");
    let huge = Customer { address2: Some("x".repeat(2 * 1024 * 1024)), ..ada("E") };
    expect(ok(api.create_customer(&huge).await), "REQUEST_TOO_LARGE");
    // The catalog's codes.
    let group = ProductGroup { name: Some("Errors".into()), ..ProductGroup::default() };
    api.add_product_group(&group).await.unwrap();
    expect(api.add_product_group(&group).await, "DUPLICATE_PRODUCT_GROUP_NAME");
    expect(ok(api.product_group("0000000000").await), "PRODUCT_GROUP_NOT_FOUND");
    expect(ok(api.product_by_code("NONE").await), "PRODUCT_NOT_FOUND");
    expect(ok(api.price_option_group("NONE").await), "PRICE_OPTION_GROUP_NOT_FOUND");
    api.add_price_option_group(&crate::catalog::users_group("ERRUSERS")).await.unwrap();
    expect(
        api.add_price_option_group(&crate::catalog::users_group("ERRUSERS")).await,
        "DUPLICATE_PRICE_OPTION_GROUP_CODE",
    );
    api.add_product(&crate::catalog::sample_product("ERRP", None)).await.unwrap();
    expect(api.add_product(&crate::catalog::sample_product("ERRP", None)).await, "DUPLICATE_PRODUCT_CODE");
    // The orders' codes.
    let order = Order {
        external_reference: Some("ERR-ORDER".into()),
        items: vec![item("ERRP", 1)],
        billing_details: Some(billing("err@example.com", "US")),
        payment_details: Some(card("TEST", "4111111111111111")),
        ..Order::default()
    };
    let placed = api.place_order(&order).await.unwrap().ref_no.unwrap();
    expect(ok(api.place_order(&order).await), "DUPLICATE_ORDER_EXTERNAL_REFERENCE");
    let order = Order { external_reference: None, ..order };
    expect(ok(api.place_order(&Order { items: vec![], ..order.clone() }).await), "ORDER_PRODUCTS_EMPTY");
    expect(
        ok(api.place_order(&Order { items: vec![item("NONE", 1)], ..order.clone() }).await),
        "ORDER_PRODUCT_CODE_INVALID",
    );
    expect(
        ok(api.place_order(&Order { items: vec![item("ERRP", 0)], ..order.clone() }).await),
        "ORDER_ITEMS_QUANTITY_INVALID",
    );
    expect(ok(api.order("123456789").await), "ORDER_NOT_FOUND");
    let reuse = |ref_no: &str, email: &str| Order {
        billing_details: Some(Address { email: Some(email.into()), ..Address::default() }),
        payment_details: Some(previous(ref_no)),
        ..order.clone()
    };
    expect(ok(api.place_order(&reuse("123456789", "err@example.com")).await), "PREVIOUS_ORDER_NOT_FOUND");
    expect(ok(api.place_order(&reuse(&placed, "else@example.com")).await), "PREVIOUS_ORDER_EMAIL_MISMATCH");
    let declined = Order { payment_details: Some(card("CC", "4000000000000002")), ..order.clone() };
    let declined = api.place_order(&declined).await.unwrap().ref_no.unwrap();
    expect(ok(api.place_order(&reuse(&declined, "err@example.com")).await), "PREVIOUS_ORDER_NOT_PAID");
    // The subscriptions' codes.
    expect(ok(api.subscription("NOSUCHREF1").await), "SUBSCRIPTION_NOT_FOUND");
    let bought = api.order(&placed).await.unwrap().subscription_references();
    expect(ok(api.enable_subscription(&bought[0]).await), "INVALID_SUBSCRIPTION_OPERATION");
    let past = SubscriptionUpdate {
        subscription_reference: Some(bought[0].clone()),
        expiration_date: Some("2001-01-01".into()),
        ..SubscriptionUpdate::default()
    };
    expect(ok(api.update_subscription(&past).await), "INVALID_EXPIRATION_DATE");

    match protocol {
        Protocol::Rest => {
            expect(api.delete_card(&Reference::Internal(reference), "none").await, "NOT_FOUND_CARD");
            let mut body = json!(stored_ada(reference, "ERR-2"));
            body["AvangateCustomerReference"] = json!(reference);
            let reply = gateway.rest().put("/customers/ERR-2/", &body).await;
            assert_eq!(reply.code(), "REFERENCE_MISMATCH");
            produced.push("REFERENCE_MISMATCH");
        }
        Protocol::JsonRpc | Protocol::Soap => {
            expect(
                ok(api.get_customer(&Reference::Both(reference, "ERR-2".into())).await),
                "REFERENCE_MISMATCH",
            );
            let stale = match protocol {
                Protocol::JsonRpc => {
                    let rpc =
                        JsonRpcClient::new(&gateway.url(), Credentials::new(MERCHANT_A.0, MERCHANT_A.1))
                            .without_relogin();
                    rpc.use_session(Some("0".repeat(40)));
                    Box::new(rpc) as Box<dyn Api>
                }
                _ => {
                    let soap = SoapClient::new(&gateway.url(), Credentials::new(MERCHANT_A.0, MERCHANT_A.1))
                        .without_relogin();
                    soap.use_session(Some("0".repeat(40)));
                    Box::new(soap)
                }
            };
            expect(ok(stale.search_customers(&SearchOptions::default()).await), "INVALID_SESSION");
        }
    }
    // Protocol-level refusals, sent raw since a well-behaved client cannot make them.
    let (malformed, unknown, media, method) = match protocol {
        Protocol::Rest => {
            let rest = gateway.rest();
            (
                rest.post("/customers/", &json!({"FirstName": ["not", "text"]})).await.code().to_owned(),
                rest.get("/nothing-here/").await.code().to_owned(),
                rest.raw(
                    reqwest::Method::POST,
                    "/customers/",
                    signed_with_content_type(&rest, "text/plain"),
                    Some(b"{}".to_vec()),
                )
                .await
                .code()
                .to_owned(),
                rest.send(reqwest::Method::PATCH, "/customers/", None).await.code().to_owned(),
            )
        }
        Protocol::JsonRpc => {
            let rpc = gateway.rpc();
            let code = |reply: tco_tests::Reply| {
                reply.json["error"]["data"]["error_code"].as_str().unwrap_or_default().to_owned()
            };
            (
                code(rpc.post(b"{not json".to_vec(), "application/json").await),
                code(rpc.call("deleteEverything", json!([])).await),
                code(rpc.post(b"{}".to_vec(), "text/plain").await),
                code(tco_tests::Reply::read(rpc.client.get(&rpc.url).send().await.unwrap()).await),
            )
        }
        Protocol::Soap => {
            let soap = gateway.soap();
            let code = |reply: tco_tests::SoapReply| reply.fault_code().unwrap_or_default();
            (
                code(soap.post(b"<broken".to_vec(), "text/xml").await),
                code(soap.call("deleteEverything", "").await),
                code(soap.post(b"{}".to_vec(), "application/json").await),
                code(tco_tests::Soap::reply(soap.client.get(&soap.url).send().await.unwrap()).await),
            )
        }
    };
    for (actual, code) in [
        (malformed, "MALFORMED_REQUEST"),
        (unknown, "UNKNOWN_OPERATION"),
        (media, "UNSUPPORTED_MEDIA_TYPE"),
        (method, "METHOD_NOT_ALLOWED"),
    ] {
        assert_eq!(actual, code, "{protocol:?}");
        produced.push(code);
    }

    // Every catalogue code is produced here, excused for this protocol, or tested elsewhere.
    for code in tco_core::ErrorCode::ALL.iter().map(|code| code.as_str()) {
        let excused = NOT_PRODUCIBLE.iter().any(|(c, p, _)| *c == code && *p == protocol)
            || ELSEWHERE.iter().any(|(c, _)| *c == code);
        assert!(produced.contains(&code) || excused, "{protocol:?} never produced {code}");
    }
});

fn signed_with_content_type(rest: &tco_tests::Rest, value: &'static str) -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers
        .insert("X-Avangate-Authentication", reqwest::header::HeaderValue::from_str(&rest.header()).unwrap());
    headers.insert(reqwest::header::CONTENT_TYPE, reqwest::header::HeaderValue::from_static(value));
    headers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_expiry_is_reported_then_handled() {
    let gateway =
        TestGateway::start_with(Backend::Sqlite, |config| config.session_ttl_secs = 1).await.unwrap();
    let credentials = Credentials::new(MERCHANT_A.0, MERCHANT_A.1);
    let strict: Vec<Box<dyn Api>> = vec![
        Box::new(JsonRpcClient::new(&gateway.url(), credentials.clone()).without_relogin()),
        Box::new(SoapClient::new(&gateway.url(), credentials.clone()).without_relogin()),
    ];
    let relogging: Vec<Box<dyn Api>> = vec![
        Box::new(JsonRpcClient::new(&gateway.url(), credentials.clone())),
        Box::new(SoapClient::new(&gateway.url(), credentials)),
    ];
    for api in strict.iter().chain(&relogging) {
        api.login().await.unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    for api in &strict {
        assert_code(api.search_customers(&SearchOptions::default()).await, "SESSION_EXPIRED");
    }
    for api in &relogging {
        assert!(
            api.search_customers(&SearchOptions::default()).await.is_ok(),
            "{:?} logs in again",
            api.protocol()
        );
    }
}

/// Create over SOAP, read over REST, update over JSON-RPC, search over SOAP; an SSO token issued
/// over JSON-RPC is consumed over REST; a SOAP session serves JSON-RPC calls.
async fn swap_protocols(gateway: &TestGateway, reader: &TestGateway) {
    let credentials = Credentials::new(MERCHANT_A.0, MERCHANT_A.1);
    let soap = SoapClient::new(&gateway.url(), credentials.clone());
    let rest = RestClient::new(&reader.url(), credentials.clone()).unwrap();
    let rpc = JsonRpcClient::new(&reader.url(), credentials);

    let reference = soap.create_customer(&ada("SWAP")).await.unwrap();
    let mut customer = rest.get_customer(&Reference::Internal(reference)).await.unwrap();
    assert_eq!(customer, stored_ada(reference, "SWAP"));
    customer.state = Some("Greater London".into());
    rpc.update_customer(&customer, false).await.unwrap();
    let found = soap
        .search_customers(&SearchOptions {
            email: Some("ada@example.com".into()),
            ..SearchOptions::default()
        })
        .await
        .unwrap();
    assert_eq!(found.items, vec![customer.clone()]);

    let link = rpc
        .sign_on_in_cart(
            &Reference::External("SWAP".into()),
            &SignOn { url: "https://s.example/".into(), ..SignOn::default() },
        )
        .await
        .unwrap();
    let token = link.rsplit_once("logintoken=").unwrap().1;
    assert_eq!(rest.customer_by_sso_token(token).await.unwrap(), customer);

    soap.login().await.unwrap();
    let borrowed =
        JsonRpcClient::new(&reader.url(), Credentials::new(MERCHANT_A.0, "unused")).without_relogin();
    borrowed.use_session(soap.session_id());
    assert_eq!(borrowed.get_customer(&Reference::Internal(reference)).await.unwrap(), customer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_protocol_swaps_sqlite() {
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    swap_protocols(&gateway, &gateway).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_protocol_swaps_postgres() {
    let Some(gateway) = TestGateway::start(Backend::Postgres).await else { return };
    swap_protocols(&gateway, &gateway).await;
}

/// Two gateway instances on one PostgreSQL database: sessions, customers, SSO tokens and the
/// uniqueness of external references are shared.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_postgres() {
    let Some(first) = TestGateway::start(Backend::Postgres).await else { return };
    let database = first.config.database.clone();
    let second = TestGateway::start_with(Backend::Sqlite, |config| config.database = database).await.unwrap();
    swap_protocols(&first, &second).await;

    // Log in on one instance, call on the other.
    let rpc_one = JsonRpcClient::new(&first.url(), Credentials::new(MERCHANT_A.0, MERCHANT_A.1));
    rpc_one.login().await.unwrap();
    let rpc_two =
        JsonRpcClient::new(&second.url(), Credentials::new(MERCHANT_A.0, "unused")).without_relogin();
    rpc_two.use_session(rpc_one.session_id());
    assert_eq!(rpc_two.search_customers(&SearchOptions::default()).await.unwrap().pagination.count, 1);

    // The same external reference created at once on both: exactly one wins.
    let attempts: Vec<_> = (0..10)
        .map(|index| {
            let url = if index % 2 == 0 { first.url() } else { second.url() };
            tokio::spawn(async move {
                RestClient::new(&url, Credentials::new(MERCHANT_A.0, MERCHANT_A.1))
                    .unwrap()
                    .create_customer(&ada("RACE"))
                    .await
            })
        })
        .collect();
    let mut winners = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => winners += 1,
            Err(error) => assert_eq!(error.code(), Some("DUPLICATE_EXTERNAL_REFERENCE")),
        }
    }
    assert_eq!(winners, 1);
}
