//! The admin API's effect on the three protocols (one scenario body each, on SQLite and
//! PostgreSQL): a reset leaves nothing of the merchant and the other untouched, time travel
//! expires sessions and completes orders, an injected fault reaches the client as its protocol's
//! own error (or latency, or a dropped connection) for exactly the calls it was set for and is
//! journaled as injected; and `/metrics` counts the calls.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use tco_client::{Api, ClientError, Customer, OrdersApi, SearchOptions};
use tco_tests::{Backend, MERCHANT_A, MERCHANT_B, TestGateway, parity_test};

use crate::catalog::assert_code;
use crate::orders::{order_gateway, plan_order};

/// Calls the admin API (open: the test gateways listen on loopback without a token).
pub(crate) async fn admin(
    gateway: &TestGateway,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let write = method == Method::POST;
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", gateway.url()));
    if let Some(body) = body {
        request = request.json(&body);
    } else if write {
        request = request.header("content-type", "application/json");
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn protocol_name(api: &dyn Api) -> &'static str {
    match api.protocol() {
        tco_client::Protocol::Rest => "rest",
        tco_client::Protocol::JsonRpc => "jsonrpc",
        tco_client::Protocol::Soap => "soap",
    }
}

fn customer(external: &str) -> Customer {
    serde_json::from_value(tco_tests::sample_customer(external)).unwrap()
}

async fn customers(api: &dyn Api) -> Result<usize, ClientError> {
    Ok(api.search_customers(&SearchOptions::default()).await?.items.len())
}

parity_test!(reset_erases_one_merchant, |gateway, api| {
    let api = tco_tests::client_without_relogin(&gateway, api.protocol(), MERCHANT_A);
    let other = tco_tests::client_without_relogin(&gateway, api.protocol(), MERCHANT_B);
    api.create_customer(&customer("A-1")).await.unwrap();
    api.create_customer(&customer("A-2")).await.unwrap();
    other.create_customer(&customer("B-1")).await.unwrap();

    let (status, reset) = admin(&gateway, Method::POST, "/_admin/reset?merchant=MERCHANT_A", None).await;
    assert_eq!(status, 200, "{reset}");
    assert_eq!(reset["merchants"], json!(["MERCHANT_A"]));
    assert!(reset["erased"].as_u64().unwrap() >= 2, "{reset}");

    // A's sessions went with its state: a session client must log in again.
    if api.protocol() != tco_client::Protocol::Rest {
        assert_code(customers(api.as_ref()).await, "INVALID_SESSION");
        api.login().await.unwrap();
    }
    assert_eq!(customers(api.as_ref()).await.unwrap(), 0, "nothing of merchant A remains");
    assert_eq!(customers(other.as_ref()).await.unwrap(), 1, "merchant B is untouched, session included");
    let (_, journal) =
        admin(&gateway, Method::GET, "/_admin/journal?merchant=MERCHANT_A&operation=createCustomer", None)
            .await;
    assert_eq!(journal["entries"], json!([]), "A's journal entries went too");

    // A data file loaded at run time; loading it again adds nothing.
    let loaded = json!({"ExternalCustomerReference": "LOADED", "FirstName": "Lo", "LastName": "Aded",
                        "Address1": "1 Main St", "City": "Austin", "Zip": "73301", "CountryCode": "US",
                        "Email": "loaded@example.com"});
    let data = json!({"Merchants": [{"Code": "MERCHANT_A", "Customers": [loaded]}]});
    let (status, loaded) = admin(&gateway, Method::POST, "/_admin/data", Some(data.clone())).await;
    assert_eq!((status, loaded["loaded"].as_u64()), (200, Some(1)), "{loaded}");
    assert_eq!(admin(&gateway, Method::POST, "/_admin/data", Some(data)).await.1["loaded"], 0);
    assert_eq!(customers(api.as_ref()).await.unwrap(), 1);
    let unknown = json!({"Merchants": [{"Code": "NOBODY", "Customers": []}]});
    let (status, refused) = admin(&gateway, Method::POST, "/_admin/data", Some(unknown)).await;
    assert_eq!((status, refused["error_code"].as_str()), (400, Some("INVALID_FIELD")), "{refused}");
    let (status, _) = admin(&gateway, Method::POST, "/_admin/reset?merchant=NOBODY", None).await;
    assert_eq!(status, 400);

    // Reset of everything: both merchants empty, the journal too.
    assert_eq!(admin(&gateway, Method::POST, "/_admin/reset", None).await.0, 200);
    if api.protocol() != tco_client::Protocol::Rest {
        api.login().await.unwrap();
        other.login().await.unwrap();
    }
    assert_eq!(customers(api.as_ref()).await.unwrap(), 0);
    assert_eq!(customers(other.as_ref()).await.unwrap(), 0);
});

parity_test!(time_travel, order_gateway, |gateway, api| {
    let api = tco_tests::client_without_relogin(&gateway, api.protocol(), MERCHANT_A);
    let placed = api.place_order(&plan_order("traveller@example.com")).await.unwrap();
    let ref_no = placed.reference().unwrap().to_owned();
    assert_eq!(placed.status.as_deref(), Some("AUTHRECEIVED"));

    let (status, clock) =
        admin(&gateway, Method::POST, "/_admin/clock", Some(json!({"advance": "11m"}))).await;
    assert_eq!((status, clock["offset_seconds"].as_f64()), (200, Some(660.0)), "{clock}");
    assert_eq!(admin(&gateway, Method::GET, "/_admin/clock", None).await.1["offset_seconds"], 660.0);
    if api.protocol() == tco_client::Protocol::Rest {
        // A signed request's date is checked against the real clock: REST goes on working.
        assert_eq!(api.order(&ref_no).await.unwrap().status.as_deref(), Some("COMPLETE"));
    } else {
        assert_code(api.order(&ref_no).await, "SESSION_EXPIRED");
        api.login().await.unwrap();
        assert_eq!(
            api.order(&ref_no).await.unwrap().status.as_deref(),
            Some("COMPLETE"),
            "the order aged too"
        );
    }

    // Frozen time stands still; back to real time, the new session is still young.
    let (_, frozen) = admin(&gateway, Method::POST, "/_admin/clock", Some(json!({"freeze": true}))).await;
    assert_eq!(frozen["frozen"], true);
    let (_, reset) = admin(&gateway, Method::DELETE, "/_admin/clock", None).await;
    assert_eq!((reset["offset_seconds"].as_f64(), reset["frozen"].as_bool()), (Some(0.0), Some(false)));
    for bad in
        [json!({"advance": "soon"}), json!({"advance": 1, "freeze": true}), json!({}), json!({"jump": 1})]
    {
        let (status, refused) = admin(&gateway, Method::POST, "/_admin/clock", Some(bad.clone())).await;
        assert_eq!(status, 400, "{bad}: {refused}");
    }
    assert_eq!(
        admin(&gateway, Method::GET, "/_admin/clock", None).await.1["offset_seconds"],
        0.0,
        "refusals moved nothing"
    );
});

parity_test!(injected_faults, |gateway, api| {
    let api = tco_tests::client_without_relogin(&gateway, api.protocol(), MERCHANT_A);
    api.login().await.unwrap();
    let protocol = protocol_name(api.as_ref());
    let fault = json!({"operation": "searchCustomers", "protocol": protocol, "merchant": "MERCHANT_A",
                       "error": "INVALID_SESSION", "times": 2});
    let (status, added) = admin(&gateway, Method::POST, "/_admin/faults", Some(fault)).await;
    assert_eq!(status, 201, "{added}");
    // Another merchant, and another operation, are not hit.
    let other = tco_tests::client(&gateway, api.protocol(), MERCHANT_B);
    assert_eq!(customers(other.as_ref()).await.unwrap(), 0);
    let created = api.create_customer(&customer("F-1")).await.unwrap();
    for _ in 0..2 {
        match customers(api.as_ref()).await {
            Err(ClientError::Api { code, status, rpc_code, .. }) => {
                assert_eq!(code, "INVALID_SESSION");
                match protocol {
                    "rest" => assert_eq!(status, 401, "REST answers the code's status"),
                    "jsonrpc" => {
                        assert_eq!(rpc_code, Some(10001), "JSON-RPC answers the vendor's error code")
                    }
                    _ => {}
                }
            }
            other => panic!("expected the injected INVALID_SESSION, got {other:?}"),
        }
    }
    assert_eq!(customers(api.as_ref()).await.unwrap(), 1, "gone after 2 calls");
    assert_eq!(admin(&gateway, Method::GET, "/_admin/faults", None).await.1["faults"], json!([]));
    let (_, journal) = admin(
        &gateway,
        Method::GET,
        &format!("/_admin/journal?operation=searchCustomers&protocol={protocol}&merchant=MERCHANT_A"),
        None,
    )
    .await;
    let marks: Vec<&Value> =
        journal["entries"].as_array().unwrap().iter().map(|entry| &entry["injected"]).collect();
    assert_eq!(
        marks[marks.len() - 3..],
        [&json!("error INVALID_SESSION"), &json!("error INVALID_SESSION"), &Value::Null]
    );

    // Latency: the call waits, then answers as usual.
    let latency = json!({"operation": "getCustomerInformation", "latency_ms": 300, "times": 1});
    assert_eq!(admin(&gateway, Method::POST, "/_admin/faults", Some(latency)).await.0, 201);
    let started = Instant::now();
    api.get_customer(&tco_client::Reference::Internal(created)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());

    // A dropped connection: the client sees no answer at all; the next call works.
    let drop = json!({"operation": "*", "protocol": protocol, "drop": true, "times": 1});
    let (status, dropped) = admin(&gateway, Method::POST, "/_admin/faults", Some(drop)).await;
    assert_eq!((status, dropped["drop"].as_bool()), (201, Some(true)), "{dropped}");
    match customers(api.as_ref()).await {
        Err(ClientError::Transport(_)) => {}
        other => panic!("expected a dropped connection, got {other:?}"),
    }
    assert_eq!(customers(api.as_ref()).await.unwrap(), 1);

    // A share of the calls: 50 % hits every second one.
    let half = json!({"operation": "searchCustomers", "error": "SERVICE_UNAVAILABLE", "percent": 50});
    let id = admin(&gateway, Method::POST, "/_admin/faults", Some(half)).await.1["id"].as_u64().unwrap();
    let hits: Vec<bool> = {
        let mut hits = Vec::new();
        for _ in 0..4 {
            hits.push(customers(api.as_ref()).await.is_err());
        }
        hits
    };
    assert_eq!(hits, [false, true, false, true]);
    assert_eq!(admin(&gateway, Method::DELETE, &format!("/_admin/faults/{id}"), None).await.0, 204);
    assert_eq!(admin(&gateway, Method::DELETE, &format!("/_admin/faults/{id}"), None).await.0, 404);

    // Refused rules.
    for bad in [
        json!({"operation": "noSuchOperation", "error": "INVALID_SESSION"}),
        json!({"operation": "login", "error": "NOT_A_CODE"}),
        json!({"operation": "login", "error": "INVALID_SESSION", "drop": true}),
        json!({"operation": "login", "error": "INVALID_SESSION", "percent": 0}),
        json!({"operation": "login", "error": "INVALID_SESSION", "protocol": "ftp"}),
    ] {
        let (status, refused) = admin(&gateway, Method::POST, "/_admin/faults", Some(bad.clone())).await;
        assert_eq!(
            (status, refused["error_code"].as_str()),
            (400, Some("INVALID_FIELD")),
            "{bad}: {refused}"
        );
    }
    assert_eq!(admin(&gateway, Method::GET, "/_admin/faults", None).await.1["faults"], json!([]));
});

/// A gateway that was called: a JSON-RPC login, three searches and one with a bad session, and a
/// REST read of a customer that does not exist.
async fn gateway_with_counted_calls() -> TestGateway {
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    for _ in 0..3 {
        rpc.call("searchCustomers", json!([session])).await;
    }
    rpc.call("searchCustomers", json!(["not-a-session"])).await;
    gateway.rest().get("/customers/424242/").await;
    gateway
}

/// `/metrics` counts the calls made, by protocol, operation and outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_the_calls() {
    let gateway = gateway_with_counted_calls().await;
    let response = reqwest::get(format!("{}/metrics", gateway.url())).await.unwrap();
    assert!(response.headers()["content-type"].to_str().unwrap().contains("openmetrics-text"));
    let text = response.text().await.unwrap();
    let value = |series: &str| -> f64 {
        let line = text
            .lines()
            .find(|line| line.starts_with(series))
            .unwrap_or_else(|| panic!("no {series} in\n{text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(
        value(r#"tco_api_calls_total{protocol="jsonrpc",operation="searchCustomers",outcome="ok"}"#),
        3.0
    );
    assert_eq!(
        value(
            r#"tco_api_calls_total{protocol="jsonrpc",operation="searchCustomers",outcome="INVALID_SESSION"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            r#"tco_api_calls_total{protocol="rest",operation="getCustomerInformation",outcome="NOT_FOUND_CUSTOMER"}"#
        ),
        1.0
    );
    assert_eq!(
        value(r#"tco_api_call_duration_seconds_count{protocol="jsonrpc",operation="searchCustomers"}"#),
        4.0
    );
    assert_eq!(value("tco_live_sessions"), 1.0);
    assert!(value("tco_journal_bytes") > 0.0);
    assert_eq!(value("tco_store_errors_total"), 0.0);
    assert!(text.ends_with("# EOF\n"));
}

/// `GET /_admin/calls`, the dashboard's chart: the same calls per protocol and operation in
/// ten-second buckets, the newest last, failures apart; moving the gateway's clock keeps them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recent_calls_are_counted_for_the_chart() {
    let gateway = gateway_with_counted_calls().await;
    let (status, _) = admin(&gateway, Method::POST, "/_admin/clock", Some(json!({ "advance": "30d" }))).await;
    assert_eq!(status, 200);
    let (status, recent) = admin(&gateway, Method::GET, "/_admin/calls", None).await;
    assert_eq!(
        (status, recent["bucket_seconds"].as_u64(), recent["buckets"].as_u64()),
        (200, Some(10), Some(60))
    );
    let series = |protocol: &str, operation: &str| -> (Vec<u64>, Vec<u64>) {
        let line = recent["series"]
            .as_array()
            .unwrap()
            .iter()
            .find(|line| line["protocol"] == protocol && line["operation"] == operation)
            .unwrap_or_else(|| panic!("no {protocol} {operation} in {recent}"));
        let counts =
            |name: &str| line[name].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
        (counts("calls"), counts("failures"))
    };
    let (calls, failures) = series("jsonrpc", "searchCustomers");
    assert_eq!(calls.len(), 60);
    // The calls took well under ten seconds: in the newest bucket, or across the newest two.
    assert_eq!((calls[58] + calls[59], calls.iter().sum::<u64>()), (4, 4), "{calls:?}");
    assert_eq!(failures.iter().sum::<u64>(), 1, "the call with a bad session failed");
    assert_eq!(series("jsonrpc", "login").0.iter().sum::<u64>(), 1);
    assert_eq!(series("rest", "getCustomerInformation").1.iter().sum::<u64>(), 1);
    // One merchant's: B made no call.
    let (_, of_a) = admin(&gateway, Method::GET, "/_admin/calls?merchant=MERCHANT_A", None).await;
    assert!(of_a["series"].as_array().unwrap().iter().any(|line| line["operation"] == "searchCustomers"));
    let (_, of_b) = admin(&gateway, Method::GET, "/_admin/calls?merchant=MERCHANT_B", None).await;
    assert_eq!(of_b["series"], json!([]), "{of_b}");
    let (_, merchants) = admin(&gateway, Method::GET, "/_admin/merchants", None).await;
    assert_eq!(merchants["grace_period_days"], 5, "the timeline's grace period: {merchants}");
}

/// Several instances on one PostgreSQL share the clock: one moves it, the other follows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_share_the_clock() {
    let Some(first) = TestGateway::start(Backend::Postgres).await else { return };
    let database = first.config.database.clone();
    let second =
        TestGateway::start_with(Backend::Postgres, |config| config.database = database).await.unwrap();
    let rpc = second.rpc();
    let session = rpc.login(MERCHANT_A).await;
    let (status, _) = admin(&first, Method::POST, "/_admin/clock", Some(json!({"advance": 660}))).await;
    assert_eq!(status, 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, clock) = admin(&second, Method::GET, "/_admin/clock", None).await;
        if clock["offset_seconds"] == 660.0 {
            break;
        }
        assert!(Instant::now() < deadline, "the second instance did not take up the clock: {clock}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    rpc.call("searchCustomers", json!([session])).await.assert_rpc_error(10002, "SESSION_EXPIRED");
    admin(&first, Method::DELETE, "/_admin/clock", None).await;
}
