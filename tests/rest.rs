//! The REST surface over real HTTP: every route, every error it can give, and bad input that
//! must change nothing. Each test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::{Value, json};
use tco_core::HashAlgorithm;
use tco_tests::{MERCHANT_B, Rest, backend_test, sample_customer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Every customer of merchant A, to compare before and after a refused request.
async fn snapshot(rest: &Rest) -> Value {
    let reply = rest.get("/customers/?Limit=200").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json
}

async fn create(rest: &Rest, external: &str) -> i64 {
    let reply = rest.post("/customers/", &sample_customer(external)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json.as_i64().expect("a bare integer reference")
}

fn fixture_file(directory: &std::path::Path) -> std::path::PathBuf {
    let path = directory.join("fixtures.json");
    let fixtures = json!([{
        "Merchant": "MERCHANT_A",
        "ExternalCustomerReference": "FIX-1",
        "FirstName": "Ada", "LastName": "Lovelace", "Address1": "1 Analytical St", "City": "London",
        "Zip": "N1", "CountryCode": "GB", "Email": "ada@example.com", "Language": "en",
        "Enabled": true, "Trial": true,
        "ExistingCards": [
            {"CardType": "visa", "LastDigits": "1111", "ExpirationMonth": "12", "ExpirationYear": "2030",
             "NameOnCard": "Ada Lovelace", "TransientToken": {"Token": "card-token-1"}},
            {"CardType": "mastercard", "LastDigits": "4444", "ExpirationMonth": "01", "ExpirationYear": "2031",
             "NameOnCard": "Ada Lovelace"}
        ]
    }]);
    std::fs::write(&path, fixtures.to_string()).unwrap();
    path
}

backend_test!(create_then_read_by_either_reference, |gateway| {
    let rest = gateway.rest();
    let reference = create(&rest, "EXT-1").await;
    assert!(reference > 0);
    for path in
        [format!("/customers/{reference}/"), format!("/customers/{reference}"), "/customers/EXT-1/".into()]
    {
        let reply = rest.get(&path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        let customer = &reply.json;
        assert_eq!(customer["AvangateCustomerReference"], reference);
        assert_eq!(customer["ExternalCustomerReference"], "EXT-1");
        assert_eq!(customer["CountryCode"], "us", "returned lowercase");
        assert_eq!(customer["Email"], "John.Doe@Example.com");
        assert_eq!(customer["Language"], "en");
        assert_eq!(customer["Company"], Value::Null);
        assert_eq!(customer["ExistingCards"], json!([]));
        assert_eq!(customer["Enabled"], false);
        assert_eq!(customer["Trial"], false);
        assert_eq!(customer["Credit"], Value::Null);
    }
    let customer = rest.get(&format!("/customers/{reference}/")).await.json;
    let keys: Vec<&str> = customer.as_object().unwrap().keys().map(String::as_str).collect();
    for field in [
        "AvangateCustomerReference",
        "ExternalCustomerReference",
        "FirstName",
        "LastName",
        "Company",
        "FiscalCode",
        "Address1",
        "Address2",
        "City",
        "State",
        "Zip",
        "CountryCode",
        "Phone",
        "Fax",
        "Email",
        "ExistingCards",
        "Enabled",
        "Trial",
        "Language",
        "Credit",
    ] {
        assert!(keys.contains(&field), "{field} missing from {keys:?}");
    }
});

backend_test!(create_accepts_charset_and_no_external_reference, |gateway| {
    let rest = gateway.rest();
    let mut headers = HeaderMap::new();
    headers.insert("X-Avangate-Authentication", HeaderValue::from_str(&rest.header()).unwrap());
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    let mut body = sample_customer("");
    body["ExternalCustomerReference"] = Value::Null;
    let reply = rest.raw(Method::POST, "/customers", headers, Some(body.to_string().into_bytes())).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let second = rest.post("/customers", &body).await;
    assert_eq!(second.status, 200, "customers without an external reference do not collide");
    assert_ne!(reply.json, second.json);
});

backend_test!(update_replaces_fields_and_answers_true, |gateway| {
    let rest = gateway.rest();
    let reference = create(&rest, "EXT-U").await;
    let mut customer = rest.get(&format!("/customers/{reference}/")).await.json;
    customer["City"] = json!("Cluj-Napoca");
    customer["Company"] = json!("ACME");
    customer["FiscalCode"] = json!("RO123456");
    customer["Credit"] = json!({"Limit": 51.0, "Remaining": 21.0, "Currency": "eur"});
    for query in ["", "?endUserUpdate=true", "?endUserUpdate=false"] {
        let reply = rest.put(&format!("/customers/{reference}/{query}"), &customer).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json, json!(true));
    }
    let updated = rest.get(&format!("/customers/{reference}")).await.json;
    assert_eq!(updated["City"], "Cluj-Napoca");
    assert_eq!(updated["FiscalCode"], "RO123456");
    assert_eq!(updated["Credit"], json!({"Limit": 51.0, "Remaining": 21.0, "Currency": "EUR"}));
    // By external reference, without a trailing slash, and as a string reference (as SOAP returns it).
    customer["AvangateCustomerReference"] = json!(reference.to_string());
    customer["City"] = json!("Iasi");
    assert_eq!(rest.put("/customers/EXT-U", &customer).await.json, json!(true));
    assert_eq!(rest.get("/customers/EXT-U/").await.json["City"], "Iasi");
});

backend_test!(search_filters_and_paginates, |gateway| {
    let rest = gateway.rest();
    for index in 0..12 {
        let mut customer = sample_customer(&format!("S-{index}"));
        customer["Email"] = json!(if index % 4 == 0 {
            "Shared@Example.com".to_owned()
        } else {
            format!("s{index}@example.com")
        });
        customer["CountryCode"] = json!(if index < 9 { "US" } else { "RO" });
        customer["Phone"] = json!(format!("+1-555-{index:04}"));
        create_body(&rest, &customer).await;
    }
    let count = |reply: &tco_tests::Reply| reply.json["Pagination"]["Count"].as_u64().unwrap();
    assert_eq!(count(&rest.get("/customers/?Email=shared%40EXAMPLE.com").await), 3);
    assert_eq!(count(&rest.get("/customers/?CountryCode=ro").await), 3);
    assert_eq!(count(&rest.get("/customers/?Phone=%2B1-555-0007").await), 1);
    assert_eq!(count(&rest.get("/customers/?Language=en&Trial=false&Status=INACTIVE").await), 12);
    assert_eq!(count(&rest.get("/customers/?Status=ACTIVE").await), 0);
    let page = rest.get("/customers/?Page=2&Limit=5").await;
    assert_eq!(page.json["Pagination"], json!({"Page": 2, "Limit": 5, "Count": 12}));
    let items = page.json["Items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[0]["ExternalCustomerReference"], "S-5");
    let default = rest.get("/customers").await;
    assert_eq!(default.json["Pagination"], json!({"Page": 1, "Limit": 10, "Count": 12}));
    assert_eq!(rest.get("/customers/?page=9").await.json["Items"], json!([]));
    for bad in ["?Page=0", "?Limit=500", "?Limit=abc", "?Status=GONE", "?Trial=maybe"] {
        rest.get(&format!("/customers/{bad}")).await.assert_error(400, "INVALID_FIELD");
    }
});

async fn create_body(rest: &Rest, body: &Value) -> i64 {
    let reply = rest.post("/customers/", body).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json.as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on_and_cards_with_fixtures() {
    let directory = tempfile::tempdir().unwrap();
    let fixtures = fixture_file(directory.path());
    let gateway = tco_tests::TestGateway::start_with(tco_tests::Backend::Sqlite, |config| {
        config.fixtures = Some(fixtures.clone());
    })
    .await
    .unwrap();
    let rest = gateway.rest();

    let plain = rest.get("/customers/FIX-1/").await.json;
    assert_eq!(plain["ExistingCards"], json!([]), "cards only with includePaymentData");
    assert_eq!((plain["Enabled"].clone(), plain["Trial"].clone()), (json!(true), json!(true)));
    let with_cards = rest.get("/customers/FIX-1/?includePaymentData=true").await.json;
    let cards = with_cards["ExistingCards"].as_array().unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0]["LastDigits"], "1111");
    assert_eq!(cards[0]["TransientToken"], Value::Null, "tokens only by SSO token");

    let link = rest.get("/customers/FIX-1/cart/?Url=https%3A%2F%2Fsecure.2checkout.com%2Forder%2Fcart.php%3FPRODS%3D1&ValidityTime=60").await;
    assert_eq!(link.status, 200, "{}", link.text);
    let link = link.json.as_str().unwrap().to_owned();
    assert!(link.starts_with("https://secure.2checkout.com/order/cart.php?PRODS=1&logintoken="), "{link}");
    let token = link.rsplit_once("logintoken=").unwrap().1;
    assert_eq!(token.len(), 40);

    let by_token = rest.get(&format!("/customers/?ssotoken={token}")).await;
    assert_eq!(by_token.status, 200, "{}", by_token.text);
    assert_eq!(by_token.json["ExternalCustomerReference"], "FIX-1");
    let cards = by_token.json["ExistingCards"].as_array().unwrap();
    assert_eq!(cards[0]["TransientToken"], json!({"Token": "card-token-1"}));
    let generated = cards[1]["TransientToken"]["Token"].as_str().unwrap().to_owned();
    assert_eq!(generated.len(), 40);
    rest.get(&format!("/customers/?ssotoken={token}")).await.assert_error(400, "INVALID_SSO_TOKEN");
    rest.get("/customers/?ssotoken=").await.assert_error(400, "MISSING_REQUIRED_FIELD");

    let deleted = rest.delete("/customers/FIX-1/credit-card/card-token-1").await;
    assert_eq!((deleted.status.as_u16(), deleted.json.clone()), (200, json!({"Deleted": true})));
    let again = rest.delete("/customers/FIX-1/credit-card/card-token-1/").await;
    assert_eq!(again.status, 400);
    assert_eq!(again.json["Deleted"], false);
    assert_eq!(again.json["Errors"][0]["ErrorCode"], "NOT_FOUND_CARD");
    assert_eq!(again.json["Errors"][0]["SubscriptionReference"], Value::Null);
    again.assert_error(400, "NOT_FOUND_CARD");
    let remaining = rest.get("/customers/FIX-1/?includePaymentData=true").await.json;
    assert_eq!(remaining["ExistingCards"].as_array().unwrap().len(), 1);

    // Another merchant sees none of it.
    let intruder = gateway.rest_as(MERCHANT_B);
    intruder.get("/customers/FIX-1/").await.assert_error(404, "NOT_FOUND_CUSTOMER");
    intruder
        .delete(&format!("/customers/FIX-1/credit-card/{generated}"))
        .await
        .assert_error(404, "NOT_FOUND_CUSTOMER");
    assert_eq!(
        rest.delete(&format!("/customers/FIX-1/credit-card/{generated}")).await.json,
        json!({"Deleted": true})
    );

    // Restarting on the same file does not load the fixture twice.
    let database = gateway.config.database.clone();
    gateway.server.stop().await.unwrap();
    let again = tco_tests::TestGateway::start_with(tco_tests::Backend::Sqlite, |config| {
        config.database = database;
        config.fixtures = Some(fixtures);
    })
    .await
    .unwrap();
    let all = again.rest().get("/customers/").await;
    assert_eq!(all.json["Pagination"]["Count"], 1);
}

backend_test!(sso_errors, |gateway| {
    let rest = gateway.rest();
    let reference = create(&rest, "SSO-1").await;
    let cart = |query: &str| {
        let (rest, path) = (rest.clone(), format!("/customers/{reference}/cart/{query}"));
        async move { rest.get(&path).await }
    };
    cart("").await.assert_error(400, "MISSING_REQUIRED_FIELD");
    cart("?Url=ftp%3A%2F%2Fx").await.assert_error(400, "INVALID_FIELD");
    cart("?Url=https%3A%2F%2Fx.test&ValidityTime=-5").await.assert_error(400, "INVALID_FIELD");
    cart("?Url=https%3A%2F%2Fx.test&ValidationIp=not-an-ip").await.assert_error(400, "INVALID_FIELD");
    rest.get("/customers/NOPE/cart/?Url=https%3A%2F%2Fx.test").await.assert_error(404, "NOT_FOUND_CUSTOMER");
    let ok = cart("?Url=https%3A%2F%2Fx.test%2F&ValidationIp=10.0.0.1").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let token = ok.json.as_str().unwrap().rsplit_once("logintoken=").unwrap().1.to_owned();
    gateway
        .rest_as(MERCHANT_B)
        .get(&format!("/customers/?ssotoken={token}"))
        .await
        .assert_error(400, "INVALID_SSO_TOKEN");
    rest.get("/customers/?ssotoken=0000000000000000000000000000000000000000")
        .await
        .assert_error(400, "INVALID_SSO_TOKEN");
    assert_eq!(rest.get(&format!("/customers/?ssotoken={token}")).await.status, 200);
});

backend_test!(authentication_variants, |gateway| {
    let mut rest = gateway.rest();
    for algo in [HashAlgorithm::Md5, HashAlgorithm::Sha256, HashAlgorithm::Sha3_256] {
        rest.algo = algo;
        assert_eq!(rest.get("/customers/").await.status, 200, "{algo:?}");
    }
    rest.algo = HashAlgorithm::Md5;
    let date = tco_tests::now_date();
    let signed = rest.header_for_date(&date);
    let hash = signed.split("hash=\"").nth(1).unwrap().trim_end_matches('"').to_owned();
    let send = |header: String| {
        let rest = rest.clone();
        async move {
            let mut headers = HeaderMap::new();
            headers.insert("X-Avangate-Authentication", HeaderValue::from_str(&header).unwrap());
            rest.raw(Method::GET, "/customers/", headers, None).await
        }
    };
    let accepted = [
        format!("code='MERCHANT_A' date='{date}' hash='{hash}'"),
        format!(r#"hash="{hash}" code="MERCHANT_A" date="{date}""#),
        format!(r#"  code="MERCHANT_A"   date="{date}"  hash="{hash}"  algo="MD5" "#),
        format!(r#"code="MERCHANT_A" date="{date}" hash="{}""#, hash.to_uppercase()),
    ];
    for header in accepted {
        assert_eq!(send(header.clone()).await.status, 200, "{header}");
    }
    let wrong_hash = send(format!(r#"code="MERCHANT_A" date="{date}" hash="{}""#, "0".repeat(32))).await;
    wrong_hash.assert_error(401, "AUTHENTICATION_ERROR");
    let unknown = send(format!(r#"code="NOBODY" date="{date}" hash="{hash}""#)).await;
    unknown.assert_error(401, "AUTHENTICATION_ERROR");
    assert_eq!(wrong_hash.json, unknown.json, "unknown merchant and wrong hash answer identically");
    let stale = chrono::Utc::now() - chrono::Duration::minutes(11);
    let stale = rest.header_for_date(&stale.format(tco_core::DATE_FORMAT).to_string());
    send(stale).await.assert_error(401, "AUTHENTICATION_ERROR");
    for header in [
        format!(r#"code="MERCHANT_A" date="{date}""#),
        format!(r#"code="MERCHANT_A" date="{date}" hash="{hash}" algo="sha1""#),
        format!(r#"code="MERCHANT_A" date="2024/01/01 10:00" hash="{hash}""#),
        format!(r#"code="MERCHANT_A" date="{date} hash="{hash}""#),
        format!(r#"code=“MERCHANT_A” date="{date}" hash="{hash}""#),
    ] {
        send(header.clone()).await.assert_error(401, "AUTHENTICATION_ERROR");
    }
    rest.raw(Method::GET, "/customers/", HeaderMap::new(), None)
        .await
        .assert_error(401, "AUTHENTICATION_ERROR");
    // A signature of merchant B does not open merchant A's data, and vice versa.
    let other = gateway.rest_as(MERCHANT_B);
    assert_eq!(other.get("/customers/").await.status, 200);
});

backend_test!(bad_input_is_refused_and_changes_nothing, |gateway| {
    let rest = gateway.rest();
    let reference = create(&rest, "KEEP").await;
    create(&rest, "OTHER").await;
    let before = snapshot(&rest).await;

    let with = |field: &str, value: Value| {
        let mut body = sample_customer("NEW");
        body[field] = value;
        body
    };
    let cases = [
        (with("FirstName", Value::Null), "MISSING_REQUIRED_FIELD"),
        (with("LastName", json!("")), "MISSING_REQUIRED_FIELD"),
        (with("Address1", Value::Null), "MISSING_REQUIRED_FIELD"),
        (with("City", json!("   ")), "MISSING_REQUIRED_FIELD"),
        (with("Zip", Value::Null), "MISSING_REQUIRED_FIELD"),
        (with("CountryCode", Value::Null), "MISSING_REQUIRED_FIELD"),
        (with("Email", Value::Null), "MISSING_REQUIRED_FIELD"),
        (with("CountryCode", json!("XX")), "INVALID_FIELD"),
        (with("CountryCode", json!("USA")), "INVALID_FIELD"),
        (with("Language", json!("english")), "INVALID_FIELD"),
        (with("Email", json!("not-an-email")), "INVALID_FIELD"),
        (with("FirstName", json!("x".repeat(101))), "INVALID_FIELD"),
        (with("FirstName", json!({"nested": true})), "MALFORMED_REQUEST"),
        (with("Credit", json!({"Limit": 10, "Remaining": 20, "Currency": "EUR"})), "INVALID_FIELD"),
        (with("FiscalCode", json!("RO123")), "FISCAL_CODE_WITHOUT_COMPANY"),
        (with("ExternalCustomerReference", json!("KEEP")), "DUPLICATE_EXTERNAL_REFERENCE"),
    ];
    for (body, code) in cases {
        rest.post("/customers/", &body).await.assert_error(400, code);
        let mut update = body.clone();
        update["ExternalCustomerReference"] = match code {
            "DUPLICATE_EXTERNAL_REFERENCE" => json!("OTHER"),
            _ => body["ExternalCustomerReference"].clone(),
        };
        rest.put(&format!("/customers/{reference}/"), &update).await.assert_error(400, code);
    }

    let mut mismatched = sample_customer("KEEP");
    mismatched["AvangateCustomerReference"] = json!(reference + 1);
    rest.put(&format!("/customers/{reference}/"), &mismatched).await.assert_error(400, "REFERENCE_MISMATCH");
    rest.put("/customers/NOPE/", &sample_customer("KEEP")).await.assert_error(404, "NOT_FOUND_CUSTOMER");
    rest.get("/customers/999999999/").await.assert_error(404, "NOT_FOUND_CUSTOMER");
    rest.get(&format!("/customers/{reference}/?includePaymentData=perhaps"))
        .await
        .assert_error(400, "INVALID_FIELD");

    // Bodies that are not a customer.
    let raw = |content_type: Option<&'static str>, body: Vec<u8>| {
        let rest = rest.clone();
        async move {
            let mut headers = HeaderMap::new();
            headers.insert("X-Avangate-Authentication", HeaderValue::from_str(&rest.header()).unwrap());
            if let Some(content_type) = content_type {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            }
            rest.raw(Method::POST, "/customers/", headers, Some(body)).await
        }
    };
    raw(Some("application/json"), b"{\"FirstName\": ".to_vec()).await.assert_error(400, "MALFORMED_REQUEST");
    raw(Some("application/json"), b"[1,2]".to_vec()).await.assert_error(400, "MALFORMED_REQUEST");
    raw(Some("application/json"), b"".to_vec()).await.assert_error(400, "MALFORMED_REQUEST");
    raw(Some("application/json"), b"{} {}".to_vec()).await.assert_error(400, "MALFORMED_REQUEST");
    raw(Some("application/x-www-form-urlencoded"), b"FirstName=John".to_vec())
        .await
        .assert_error(415, "UNSUPPORTED_MEDIA_TYPE");
    raw(Some("text/xml"), b"<Customer/>".to_vec()).await.assert_error(415, "UNSUPPORTED_MEDIA_TYPE");
    let mut huge = sample_customer("HUGE");
    huge["Address2"] = json!("x".repeat(2 * 1024 * 1024));
    raw(Some("application/json"), huge.to_string().into_bytes()).await.assert_error(413, "REQUEST_TOO_LARGE");
    // Without a Content-Type the body is read as JSON, as the vendor's API speaks only JSON.
    let untyped = raw(None, sample_customer("UNTYPED").to_string().into_bytes()).await;
    assert_eq!(untyped.status, 200, "{}", untyped.text);
    let after_untyped = snapshot(&rest).await;
    assert_eq!(after_untyped["Pagination"]["Count"], 3);
    let created = untyped.json.as_i64().unwrap();

    // Routing errors.
    rest.send(Method::PATCH, "/customers/", None).await.assert_error(405, "METHOD_NOT_ALLOWED");
    rest.send(Method::DELETE, &format!("/customers/{reference}/"), None)
        .await
        .assert_error(405, "METHOD_NOT_ALLOWED");
    rest.get("/nothing-here/").await.assert_error(404, "UNKNOWN_OPERATION");

    let after = snapshot(&rest).await;
    let items_without = |snapshot: &Value| {
        snapshot["Items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| item["AvangateCustomerReference"] != created)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(items_without(&after), items_without(&before), "refused requests changed nothing");
});

backend_test!(merchants_are_isolated, |gateway| {
    let owner = gateway.rest();
    let intruder = gateway.rest_as(MERCHANT_B);
    let reference = create(&owner, "SECRET-CUSTOMER").await;
    for path in [format!("/customers/{reference}/"), "/customers/SECRET-CUSTOMER/".into()] {
        let foreign = intruder.get(&path).await;
        let missing = intruder.get("/customers/123456789/").await;
        foreign.assert_error(404, "NOT_FOUND_CUSTOMER");
        assert_eq!(foreign.json, missing.json, "a foreign reference answers like a missing one");
        intruder.put(&path, &sample_customer("X")).await.assert_error(404, "NOT_FOUND_CUSTOMER");
        intruder
            .get(&format!("{path}cart/?Url=https%3A%2F%2Fx.test"))
            .await
            .assert_error(404, "NOT_FOUND_CUSTOMER");
    }
    assert_eq!(intruder.get("/customers/?Email=john.doe%40example.com").await.json["Pagination"]["Count"], 0);
    // B may use the same external reference for its own customer.
    create(&intruder, "SECRET-CUSTOMER").await;
    assert_eq!(owner.get("/customers/SECRET-CUSTOMER/").await.json["AvangateCustomerReference"], reference);
});

/// HTTP/1.0 clients and `Connection: close` work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_1_0_and_connection_close() {
    let gateway = tco_tests::TestGateway::start(tco_tests::Backend::Sqlite).await.unwrap();
    let header = gateway.rest().header();
    for (version, connection) in [("HTTP/1.0", ""), ("HTTP/1.1", "Connection: close\r\n")] {
        let mut stream = tokio::net::TcpStream::connect(gateway.server.address).await.unwrap();
        let request = format!(
            "GET /rest/6.0/customers/ {version}\r\nHost: localhost\r\nX-Avangate-Authentication: {header}\r\n{connection}\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(
            response.starts_with(&format!("{version} 200")) || response.starts_with("HTTP/1.1 200"),
            "{response}"
        );
        assert!(response.contains("\"Pagination\""), "{response}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_unknown_paths() {
    let gateway = tco_tests::TestGateway::start(tco_tests::Backend::Sqlite).await.unwrap();
    let client = reqwest::Client::new();
    let health = client.get(format!("{}/health", gateway.url())).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.json::<Value>().await.unwrap(), json!({"status": "ok"}));
    let unknown = client.get(format!("{}/rest/5.0/customers/", gateway.url())).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error_code"], "UNKNOWN_OPERATION");
}

// Issue 11, items 6, 11, 12 and 13: odd references and headers get the catalogue's answers,
// the same on both stores, and change nothing.
backend_test!(odd_references_and_headers, |gateway| {
    let rest = gateway.rest();
    let reference = create(&rest, "caf\u{e9}").await;
    let before = snapshot(&rest).await;

    // A NUL or another control character in a reference or token: not found, on every route.
    for path in ["/customers/ext%00x/", "/customers/%01/", &format!("/customers/{reference}%00/")] {
        rest.get(path).await.assert_error(404, "NOT_FOUND_CUSTOMER");
        rest.put(path, &sample_customer("X")).await.assert_error(404, "NOT_FOUND_CUSTOMER");
        rest.get(&format!("{path}cart/?Url=https://x.example/"))
            .await
            .assert_error(404, "NOT_FOUND_CUSTOMER");
    }
    rest.delete(&format!("/customers/{reference}/credit-card/tok%00en/"))
        .await
        .assert_error(400, "NOT_FOUND_CARD");
    rest.get("/customers/?ssotoken=ab%00cd").await.assert_error(400, "INVALID_SSO_TOKEN");
    // A path that is not UTF-8 once decoded: the catalogue's JSON, not axum's text.
    rest.get("/customers/%FF/").await.assert_error(400, "MALFORMED_REQUEST");
    rest.put("/customers/%C3%28/", &sample_customer("X")).await.assert_error(400, "MALFORMED_REQUEST");

    // Two authentication headers: ambiguous, refused.
    let mut headers = HeaderMap::new();
    headers.append("X-Avangate-Authentication", HeaderValue::from_str(&rest.header()).unwrap());
    headers.append("X-Avangate-Authentication", HeaderValue::from_str(&rest.header()).unwrap());
    rest.raw(Method::GET, "/customers/", headers, None).await.assert_error(401, "AUTHENTICATION_ERROR");

    // ExternalCustomerReference: trimmed, NFC, no invisible characters.
    for same in ["cafe\u{301}", " caf\u{e9}", "caf\u{e9}\t"] {
        rest.post("/customers/", &sample_customer(same))
            .await
            .assert_error(400, "DUPLICATE_EXTERNAL_REFERENCE");
        let found = rest.get(&format!("/customers/{}/", percent(same))).await;
        assert_eq!(found.json["AvangateCustomerReference"], reference, "{same:?}: {}", found.text);
    }
    for invisible in ["caf\u{e9}\u{200b}", "\u{feff}caf\u{e9}", "ca\u{ad}f\u{e9}"] {
        rest.post("/customers/", &sample_customer(invisible)).await.assert_error(400, "INVALID_FIELD");
    }
    assert_eq!(snapshot(&rest).await, before, "nothing changed");
});

/// Percent-encodes a path segment (UTF-8 bytes).
fn percent(segment: &str) -> String {
    segment.bytes().map(|byte| format!("%{byte:02X}")).collect()
}

// Issue 12: the REST operation is decided once, from the decoded query: the journal names the
// operation that ran. REST's 401 carries the vendor's message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operation_is_decided_once() {
    let gateway = tco_tests::TestGateway::start_with(tco_tests::Backend::Sqlite, |config| {
        config.admin_token = Some("admin".into());
    })
    .await
    .unwrap();
    let rest = gateway.rest();
    // A parameter that merely starts like ssotoken: a search, journaled as one.
    let search = rest.get("/customers/?ssotokenx=1").await;
    assert!(search.json["Pagination"].is_object(), "{}", search.text);
    // A percent-encoded ssotoken: a read by token, journaled as one.
    rest.get("/customers/?%73sotoken=unknown").await.assert_error(400, "INVALID_SSO_TOKEN");
    let journal: Value = reqwest::Client::new()
        .get(format!("{}/_admin/journal", gateway.url()))
        .bearer_auth("admin")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let operations: Vec<&str> = journal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["operation"].as_str().unwrap())
        .collect();
    assert_eq!(operations, ["searchCustomers", "getCustomerInformationBySSOToken"]);

    let mut forged = rest.clone();
    forged.secret = "wrong".into();
    let refused = forged.get("/customers/").await;
    refused.assert_error(401, "AUTHENTICATION_ERROR");
    assert_eq!(refused.json["message"], "Authentication needed for this resource");

    let document: Value =
        reqwest::get(format!("{}/rest/6.0/openapi.json", gateway.url())).await.unwrap().json().await.unwrap();
    assert_eq!(document["openapi"], "3.0.3");
    assert!(document["paths"]["/customers/{CReference}/"]["get"].is_object(), "{document}");
}

// A single sign-on token expires after its validity (10 s by default), by the gateway's clock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_tokens_expire() {
    let (gateway, clock) =
        tco_tests::TestGateway::start_with_manual_clock(tco_tests::Backend::Sqlite).await.unwrap();
    let rest = gateway.rest();
    create(&rest, "EXPIRING").await;
    let token = |link: Value| link.as_str().unwrap().rsplit_once("logintoken=").unwrap().1.to_owned();
    let cart = "/customers/EXPIRING/cart/?Url=https://shop.example/cart";
    let first = token(rest.get(cart).await.json);
    let second = token(rest.get(&format!("{cart}&ValidityTime=60")).await.json);
    clock.advance(chrono::Duration::seconds(10));
    rest.get(&format!("/customers/?ssotoken={first}")).await.assert_error(400, "INVALID_SSO_TOKEN");
    let read = rest.get(&format!("/customers/?ssotoken={second}")).await;
    assert_eq!(read.json["ExternalCustomerReference"], "EXPIRING", "{}", read.text);
}
