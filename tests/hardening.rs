//! What issue 25 found, each a test that failed before its fix, on SQLite and PostgreSQL where a
//! store is involved: cross-site and rebinding requests to the admin API (the browser half is in
//! `clients/dashboard_browser.py`), a clock moved past chrono's range, unbounded fault rules, a
//! promotion's `MaximumOrdersNumber`, and amounts written through a double.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HOST, ORIGIN};
use serde_json::{Value, json};
use tco_tests::{Backend, MERCHANT_A, TestGateway, backend_test};

use crate::admin::admin;

/// An admin request with exactly these headers.
async fn admin_raw(
    gateway: &TestGateway,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().request(method, format!("{}{path}", gateway.url())).body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null))
}

async fn customers(gateway: &TestGateway) -> usize {
    gateway.rest().get("/customers/").await.json["Items"].as_array().map_or(0, Vec::len)
}

/// Item 1: a cross-site form post or a `text/plain` fetch changes nothing; the admin error body
/// says why. Item 2: a foreign `Host` reads nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_and_rebinding_requests_are_refused() {
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    gateway.rest().post("/customers/", &tco_tests::sample_customer("KEEP-1")).await;
    let own = gateway.url();
    let form = [
        (CONTENT_TYPE.as_str(), "application/x-www-form-urlencoded"),
        (ORIGIN.as_str(), "http://evil.example"),
    ];
    let text = [(CONTENT_TYPE.as_str(), "text/plain")];
    let json_from_elsewhere =
        [(CONTENT_TYPE.as_str(), "application/json"), (ORIGIN.as_str(), "http://127.0.0.1:1")];
    type Headers<'a> = &'a [(&'a str, &'a str)];
    let attempts: [(&str, Headers, &str); 5] = [
        ("/_admin/reset?merchant=MERCHANT_A", &form, "a=b"),
        ("/_admin/clock", &text, r#"{"advance":"400d"}"#),
        ("/_admin/faults", &text, r#"{"operation":"*","error":"INTERNAL_ERROR"}"#),
        ("/_admin/data", &json_from_elsewhere, r#"{"Customers":[]}"#),
        ("/_admin/reset", &[], ""),
    ];
    for (path, headers, body) in attempts {
        let (status, refused) = admin_raw(&gateway, Method::POST, path, headers, body).await;
        assert_eq!((status, refused["error_code"].as_str()), (403, Some("FORBIDDEN")), "{path}: {refused}");
    }
    let delete = admin_raw(&gateway, Method::DELETE, "/_admin/journal", &form, "").await;
    assert_eq!(delete.0, 403, "a DELETE from another origin");
    assert_eq!(customers(&gateway).await, 1, "nothing was reset");
    assert_eq!(admin(&gateway, Method::GET, "/_admin/clock", None).await.1["offset_seconds"], 0.0);
    assert_eq!(admin(&gateway, Method::GET, "/_admin/faults", None).await.1["faults"], json!([]));

    // The gateway's own origin, or none (curl, scripts), with JSON: allowed.
    let origin = [(CONTENT_TYPE.as_str(), "application/json"), (ORIGIN.as_str(), own.as_str())];
    assert_eq!(admin_raw(&gateway, Method::POST, "/_admin/clock", &origin, r#"{"advance":60}"#).await.0, 200);
    assert_eq!(admin(&gateway, Method::DELETE, "/_admin/clock", None).await.0, 200);

    // DNS rebinding: another host name reaches nothing, reads included.
    let port = gateway.server.address.port();
    for (method, path) in [
        (Method::GET, "/_admin/journal"),
        (Method::GET, "/_admin/calls"),
        (Method::GET, "/_admin/snapshot?merchant=MERCHANT_A"),
        (Method::GET, "/_admin/"),
        (Method::POST, "/_admin/merchants/MERCHANT_A/searchCustomers"),
    ] {
        let host = format!("evil.example:{port}");
        let headers = [(HOST.as_str(), host.as_str()), (CONTENT_TYPE.as_str(), "application/json")];
        let (status, refused) = admin_raw(&gateway, method.clone(), path, &headers, "{}").await;
        assert_eq!(status, 403, "{method} {path} under a foreign host: {refused}");
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let (status, _) =
            admin_raw(&gateway, Method::GET, "/_admin/journal", &[(HOST.as_str(), host.as_str())], "").await;
        assert_eq!(status, 200, "{host}");
    }
}

/// The `--public-url` host is the gateway's own too; with a token any host is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_host_and_a_token_open_other_hosts() {
    let public = TestGateway::start_with(Backend::Sqlite, |config| {
        config.public_url = Some("https://sandbox.example.com:8443/".into());
    })
    .await
    .unwrap();
    let (status, _) =
        admin_raw(&public, Method::GET, "/_admin/clock", &[(HOST.as_str(), "sandbox.example.com:8443")], "")
            .await;
    assert_eq!(status, 200);
    let with_token =
        TestGateway::start_with(Backend::Sqlite, |config| config.admin_token = Some("t0ken".into()))
            .await
            .unwrap();
    let headers = [(HOST.as_str(), "gateway.internal"), ("authorization", "Bearer t0ken")];
    assert_eq!(admin_raw(&with_token, Method::GET, "/_admin/clock", &headers, "").await.0, 200);
}

// Item 3: an offset beyond chrono's range used to panic the clock and every call after it, on
// every instance sharing the database and across restarts.
backend_test!(the_clock_stays_within_a_century, |gateway| {
    for bad in [
        json!({"offset": 9_000_000_000_000i64}),
        json!({"advance": "-40000d"}),
        json!({"advance": 9_223_372_036_854_775_807i64}),
        json!({"freeze": true, "at": "9999-12-31T23:59:59Z"}),
    ] {
        let (status, refused) = admin(&gateway, Method::POST, "/_admin/clock", Some(bad.clone())).await;
        assert_eq!(
            (status, refused["error_code"].as_str()),
            (400, Some("INVALID_FIELD")),
            "{bad}: {refused}"
        );
    }
    assert_eq!(
        admin(&gateway, Method::POST, "/_admin/clock", Some(json!({"advance": "36500d"}))).await.0,
        200
    );
    assert_eq!(admin(&gateway, Method::POST, "/_admin/clock", Some(json!({"advance": "100d"}))).await.0, 400);
    assert_eq!(gateway.rest().get("/customers/").await.status, 200, "REST still answers");
    let rpc = gateway.rpc();
    rpc.login(MERCHANT_A).await;
    admin(&gateway, Method::DELETE, "/_admin/clock", None).await;

    // A stored setting out of range (an older version, a hand edit) is ignored at start.
    let database = gateway.config.database.clone();
    let directory = gateway.config.fixtures.clone();
    drop(directory);
    gateway.server.stop().await.unwrap();
    let store = tco_store::SqlStore::connect(&tco_store::DatabaseLocation::parse(&database).unwrap(), 1)
        .await
        .unwrap();
    let wild = tco_core::ClockSetting { offset: chrono::Duration::days(1_000_000), frozen_at: None };
    tco_core::AdminStore::save_clock_setting(&store, &wild).await.unwrap();
    store.close().await;
    let restarted =
        TestGateway::start_with(Backend::Sqlite, |config| config.database = database).await.unwrap();
    let (_, clock) = admin(&restarted, Method::GET, "/_admin/clock", None).await;
    assert_eq!(clock["offset_seconds"], 0.0, "{clock}");
    assert_eq!(restarted.rest().get("/customers/").await.status, 200);
});

/// Item 8: at most 100 faults; the 101st is refused and calls stay as fast as with a few.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_rules_are_bounded() {
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    let rule = json!({"operation": "getProductByCode", "latency_ms": 1, "merchant": "NOBODY"});
    for index in 0..tco_core::MAX_FAULTS {
        let (status, added) = admin(&gateway, Method::POST, "/_admin/faults", Some(rule.clone())).await;
        assert_eq!(status, 201, "fault {index}: {added}");
    }
    let (status, refused) = admin(&gateway, Method::POST, "/_admin/faults", Some(rule)).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("at most 100"), "{refused}");
    assert_eq!(gateway.rest().get("/customers/").await.status, 200);
    assert_eq!(admin(&gateway, Method::DELETE, "/_admin/faults", None).await.0, 204);
}

fn order_of(code: &str, quantity: u32, coupon: Option<&str>) -> Value {
    json!({"Currency": "USD", "Items": [{"Code": code, "Quantity": quantity}],
        "Promotions": coupon.map_or_else(Vec::new, |coupon| vec![coupon]),
        "BillingDetails": {"FirstName": "Max", "LastName": "Orders", "Email": "max@example.com",
            "Address1": "1 Main St", "City": "Austin", "Zip": "73301", "CountryCode": "US"},
        "PaymentDetails": {"Type": "TEST", "Currency": "USD", "PaymentMethod": {"CardNumber": "4111111111111111",
            "ExpirationMonth": "12", "ExpirationYear": "2030", "HolderName": "Max Orders"}}})
}

async fn money_gateway(backend: Backend) -> Option<TestGateway> {
    let data = json!({"Merchants": [{"Code": "MERCHANT_A", "Products": [
        {"ProductCode": "BOOK", "ProductName": "A book", "GeneratesSubscription": false, "PurchaseMultipleUnits": true,
         "SubscriptionInformation": {"IsOneTimeFee": true},
         "PricingConfigurations": [{"Prices": {"Regular": [{"Amount": 10, "Currency": "USD"}]}}]},
        {"ProductCode": "YACHT", "ProductName": "A yacht", "GeneratesSubscription": false, "PurchaseMultipleUnits": true,
         "SubscriptionInformation": {"IsOneTimeFee": true},
         "PricingConfigurations": [{"Prices": {"Regular": [{"Amount": 9999999999.99, "Currency": "USD"}]}}]}
    ]}]});
    TestGateway::start_with_data(backend, &data, |_| {}).await
}

// Item 9: `MaximumOrdersNumber: 1` discounted three orders; now it discounts exactly as many
// orders as it allows, racing orders included.
backend_test!(maximum_orders_number_is_enforced, money_gateway, |gateway| {
    let rest = gateway.rest();
    let once = json!({"Name": "Once", "Coupon": {"Type": "SINGLE", "Code": "ONCE"}, "MaximumOrdersNumber": 1,
        "Discount": {"Type": "PERCENT", "Value": 10}, "Products": [{"Code": "BOOK"}]});
    assert_eq!(rest.post("/promotions/", &once).await.status.as_u16(), 201);
    let first = rest.post("/orders/", &order_of("BOOK", 1, Some("ONCE"))).await;
    assert_eq!(first.json["Discount"].as_f64(), Some(1.0), "{}", first.text);
    for _ in 0..2 {
        let again = rest.post("/orders/", &order_of("BOOK", 1, Some("ONCE"))).await;
        again.assert_error(400, "INVALID_COUPON");
    }

    // Eight orders race for a promotion with three orders left: three get it.
    let three = json!({"Name": "Three", "InstantDiscount": true, "MaximumOrdersNumber": 3,
        "Coupon": {"Type": "SINGLE", "Code": "THREE"},
        "Discount": {"Type": "PERCENT", "Value": 50}, "Products": [{"Code": "BOOK"}]});
    assert_eq!(rest.post("/promotions/", &three).await.status.as_u16(), 201);
    let racing: Vec<_> = (0..8)
        .map(|_| {
            let rest = rest.clone();
            tokio::spawn(async move { rest.post("/orders/", &order_of("BOOK", 1, None)).await })
        })
        .collect();
    let mut discounted = 0;
    for placed in racing {
        let placed = placed.await.unwrap();
        assert_eq!(placed.status.as_u16(), 201, "{}", placed.text);
        discounted += usize::from(placed.json["Discount"].as_f64() == Some(5.0));
    }
    assert_eq!(discounted, 3, "exactly MaximumOrdersNumber orders were discounted");
});

// Item 10: a line total of 999,989,999,999,000.01 came back as 999989999999000.0.
backend_test!(amounts_keep_their_digits_on_every_protocol, money_gateway, |gateway| {
    let placed = gateway.rest().post("/orders/", &order_of("YACHT", 99_999, None)).await;
    assert_eq!(placed.status.as_u16(), 201, "{}", placed.text);
    assert!(placed.text.contains("999989999999000.01"), "REST: {}", placed.text);
    let ref_no = placed.json["RefNo"].as_str().unwrap().to_owned();
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    let read = rpc.call("getOrder", json!([session, ref_no])).await;
    assert!(read.text.contains("999989999999000.01"), "JSON-RPC: {}", read.text);
    let soap = gateway.soap();
    let session = soap.login(MERCHANT_A).await;
    let read =
        soap.call("getOrder", &format!("<sessionID>{session}</sessionID><RefNo>{ref_no}</RefNo>")).await;
    assert!(read.text.contains(">999989999999000.01<"), "SOAP: {}", read.text);
    // Whole amounts keep the form they always had: 10.0 in JSON, 10 in SOAP.
    let book = gateway.rest().post("/orders/", &order_of("BOOK", 1, None)).await;
    assert!(book.text.contains("\"NetPrice\":10.0"), "{}", book.text);
});

const DEMO: (&str, &str) = ("TCODEMO", "tco-demo-secret");

async fn demo_gateway(backend: Backend) -> Option<TestGateway> {
    TestGateway::start_with(backend, |config| config.merchants.push(tco_core::Merchant::new(DEMO.0, DEMO.1)))
        .await
}

/// What the demo merchant's settings answer: pricing lists, shipping methods, currencies, the VAT
/// of a German order, and how many customers and products it has.
async fn demo_settings(gateway: &TestGateway) -> Value {
    let rest = gateway.rest_as(DEMO);
    let lists = rest.get("/channelmanager/pricinglists/?PartnerCode=Partner123").await;
    let methods = rest.get("/shippingmethods/").await;
    let currencies = rest.get("/currencies/?CountryCode=US&PaymentMethod=CC").await;
    let mut order = order_of("74B8E17CC0", 1, None);
    order["BillingDetails"]["CountryCode"] = json!("DE");
    let placed = rest.post("/orders/", &order).await;
    json!({
        "lists": lists.json.as_array().map(Vec::len),
        "methods": methods.json["Items"].as_array().map(Vec::len),
        "currencies": currencies.json.as_array().map(Vec::len),
        "german_vat": placed.json["VAT"],
        "customers": rest.get("/customers/?Limit=200").await.json["Items"].as_array().map(Vec::len),
        "products": rest.get("/products/?Limit=200").await.json["Items"].as_array().map(Vec::len),
    })
}

fn customer_data(reference: &str) -> Value {
    let mut customer = tco_tests::sample_customer(reference);
    customer["Enabled"] = json!(true);
    customer
}

// Item 4: a data file adds to or updates what it names and leaves the rest alone; a refused file
// changes nothing, whole; the refusal names its place in the file.
backend_test!(data_files_add_to_what_exists_and_load_whole, demo_gateway, |gateway| {
    let before = demo_settings(&gateway).await;
    assert_eq!(
        json!([before["lists"], before["methods"], before["currencies"], before["german_vat"]]),
        json!([2, 3, 3, 1.9]),
        "{before}"
    );
    let one = json!({"Merchants": [{"Code": "TCODEMO", "Customers": [customer_data("ADDED-1")]}]});
    let (status, loaded) = admin(&gateway, Method::POST, "/_admin/data", Some(one)).await;
    assert_eq!((status, loaded["loaded"].as_u64()), (200, Some(1)), "{loaded}");
    let after = demo_settings(&gateway).await;
    // Each settings read placed an order, whose buyer is a customer too.
    assert_eq!(after["customers"].as_u64(), before["customers"].as_u64().map(|n| n + 2), "{after}");
    assert_eq!(
        json!([
            after["lists"],
            after["methods"],
            after["currencies"],
            after["german_vat"],
            after["products"]
        ]),
        json!([
            before["lists"],
            before["methods"],
            before["currencies"],
            before["german_vat"],
            before["products"]
        ]),
        "the merchant's settings were kept"
    );

    // A setting the file names is set; the others stay.
    let vat = json!({"Merchants": [{"Code": "TCODEMO", "VatRates": {"IT": 22}, "Currencies": [{"Code": "CHF", "Decimals": "2"}]}]});
    assert_eq!(admin(&gateway, Method::POST, "/_admin/data", Some(vat)).await.0, 200);
    let widened = demo_settings(&gateway).await;
    assert_eq!(widened["methods"], before["methods"]);

    // Two good customers and a bad order: refused, and neither customer stored.
    let bad = json!({"Merchants": [{"Code": "TCODEMO", "VatRates": {"FR": 5},
        "Customers": [customer_data("HALF-1"), customer_data("HALF-2")],
        "Orders": [{"Items": [{"Code": "NO_SUCH_PRODUCT"}], "BillingDetails": {"FirstName": "A", "LastName": "B",
            "Email": "a@example.com", "Address1": "1 St", "City": "X", "Zip": "1", "CountryCode": "US"},
            "PaymentDetails": {"Type": "TEST", "PaymentMethod": {"CardNumber": "4111111111111111",
            "ExpirationMonth": "12", "ExpirationYear": "2030", "HolderName": "A B"}}}]}]});
    let (status, refused) = admin(&gateway, Method::POST, "/_admin/data", Some(bad)).await;
    assert_eq!(status, 400, "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("Merchants[0].Orders[0]"), "the refusal names its place: {message}");
    let unchanged = demo_settings(&gateway).await;
    assert_eq!(unchanged["german_vat"], widened["german_vat"], "a refused file changed nothing");
    assert_eq!(unchanged["customers"].as_u64(), widened["customers"].as_u64().map(|n| n + 1));
    let half = gateway.rest_as(DEMO).get("/customers/?Limit=200").await.text;
    assert!(!half.contains("HALF-1") && !half.contains("HALF-2"), "no customer of the refused file");

    // A malformed file names the place of the bad value.
    let malformed =
        json!({"Merchants": [{"Code": "TCODEMO", "Orders": [{}, {}, {"Items": [{"Code": {"x": 1}}]}]}]});
    let (status, refused) = admin(&gateway, Method::POST, "/_admin/data", Some(malformed)).await;
    assert_eq!(status, 400);
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("Merchants[0].Orders[2].Items[0].Code"), "{message}");
});

// Item 4 at start: `--fixtures` with a file that is refused exits and leaves nothing of it.
backend_test!(a_refused_fixtures_file_leaves_nothing_at_start, |gateway| {
    let database = gateway.config.database.clone();
    gateway.server.stop().await.unwrap();
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("bad.json");
    let bad = json!({"Merchants": [{"Code": "MERCHANT_A", "Customers": [customer_data("START-1"), customer_data("START-2")],
        "Orders": [{"Items": [{"Code": "NOTHING"}]}]}]});
    std::fs::write(&path, bad.to_string()).unwrap();
    let config = tco_server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: database.clone(),
        merchants: vec![tco_core::Merchant::new(MERCHANT_A.0, MERCHANT_A.1)],
        fixtures: Some(path),
        ..tco_server::Config::default()
    };
    let refused = tco_server::build(&config).await.map(drop).unwrap_err().to_string();
    assert!(
        refused.contains("Merchants[0].Orders[0]") && refused.contains("nothing of it loaded"),
        "{refused}"
    );
    let restarted =
        TestGateway::start_with(Backend::Sqlite, |config| config.database = database).await.unwrap();
    assert_eq!(customers(&restarted).await, 0, "nothing of the refused file was stored");
});
