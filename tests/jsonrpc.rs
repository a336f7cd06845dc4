//! The JSON-RPC endpoint over real HTTP: every method with its successes and errors, the
//! protocol's own rules (ids, notifications, batches, standard error codes), and bad input
//! that must store nothing. Each backend test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use tco_core::{DATE_FORMAT, HashAlgorithm, SecretKey, sign};
use tco_tests::{Backend, MERCHANT_A, MERCHANT_B, Rpc, TestGateway, backend_test, sample_customer};

async fn count(rpc: &Rpc, session: &str) -> u64 {
    let reply = rpc.call("searchCustomers", json!([session, {"Pagination": {"Limit": 200}}])).await;
    reply.json["result"]["Pagination"]["Count"].as_u64().unwrap_or_else(|| panic!("{}", reply.text))
}

fn credentials(code: &str, secret: &str, algo: HashAlgorithm) -> (String, String) {
    let date = chrono::Utc::now().format(DATE_FORMAT).to_string();
    let hash = sign(&SecretKey::new(secret), code, &date, algo);
    (date, hash)
}

backend_test!(login_variants, |gateway| {
    let rpc = gateway.rpc();
    let (code, secret) = MERCHANT_A;
    let (date, hash) = credentials(code, secret, HashAlgorithm::Md5);
    let three = rpc.call("login", json!([code, date, hash])).await;
    assert_eq!(three.json["result"].as_str().unwrap().len(), 40, "{}", three.text);
    for (algo, name) in [(HashAlgorithm::Sha256, "sha256"), (HashAlgorithm::Sha3_256, "SHA3-256")] {
        let (date, hash) = credentials(code, secret, algo);
        let four = rpc.call("login", json!([code, date, hash, name])).await;
        assert!(four.json["result"].is_string(), "{name}: {}", four.text);
    }
    let (date, hash) = credentials(code, secret, HashAlgorithm::Md5);
    let named =
        rpc.call("login", json!({"merchantCode": code, "date": date, "hash": hash, "algo": null})).await;
    assert!(named.json["result"].is_string(), "{}", named.text);

    let (date, _) = credentials(code, secret, HashAlgorithm::Md5);
    let wrong = rpc.call("login", json!([code, date, "0".repeat(32)])).await;
    wrong.assert_rpc_error(10000, "AUTHENTICATION_ERROR");
    let (date, hash) = credentials("NOBODY", secret, HashAlgorithm::Md5);
    let unknown = rpc.call("login", json!(["NOBODY", date, hash])).await;
    assert_eq!(wrong.json["error"], unknown.json["error"], "unknown merchant and wrong hash answer alike");
    let stale = (chrono::Utc::now() - chrono::Duration::minutes(30)).format(DATE_FORMAT).to_string();
    let hash = sign(&SecretKey::new(secret), code, &stale, HashAlgorithm::Md5);
    rpc.call("login", json!([code, stale, hash])).await.assert_rpc_error(10000, "AUTHENTICATION_ERROR");
    let (date, hash) = credentials(code, secret, HashAlgorithm::Md5);
    rpc.call("login", json!([code, date, hash, "sha1"]))
        .await
        .assert_rpc_error(10000, "AUTHENTICATION_ERROR");
    let missing = rpc.call("login", json!([code, date])).await;
    missing.assert_rpc_error(-32602, "MALFORMED_REQUEST");
    assert!(missing.json["error"]["message"].as_str().unwrap().contains("hash"), "{}", missing.text);
    let typed = rpc.call("login", json!([code, 20240101, hash])).await;
    typed.assert_rpc_error(-32602, "MALFORMED_REQUEST");
    assert!(
        typed.json["error"]["message"].as_str().unwrap().contains("parameter 2 (date)"),
        "{}",
        typed.text
    );
});

backend_test!(customer_lifecycle, |gateway| {
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    let created = rpc.call("createCustomer", json!([session, sample_customer("RPC-1")])).await;
    let reference = created.json["result"].as_i64().unwrap_or_else(|| panic!("{}", created.text));

    for params in [
        json!([session, reference]),
        json!([session, reference, ""]),
        json!([session, 0, "RPC-1"]),
        json!([session, null, "RPC-1"]),
        json!([session, reference.to_string(), "RPC-1"]),
        json!({"sessionID": session, "ExternalCustomerReference": "RPC-1"}),
    ] {
        let reply = rpc.call("getCustomerInformation", params.clone()).await;
        let customer = &reply.json["result"];
        assert_eq!(customer["AvangateCustomerReference"], reference, "{params}: {}", reply.text);
        assert_eq!(customer["CountryCode"], "us");
        assert_eq!(customer["ExistingCards"], json!([]));
        assert_eq!(customer["Fax"], Value::Null);
    }

    let mut customer =
        rpc.call("getCustomerInformation", json!([session, reference])).await.json["result"].clone();
    customer["Email"] = json!("newemailaddress@email.com");
    customer["Credit"] = json!({"Limit": 51.0, "Remaining": 21.0, "Currency": "EUR"});
    let updated = rpc.call("updateCustomerInformation", json!([session, customer, false])).await;
    assert_eq!(updated.json["result"], true, "{}", updated.text);
    customer["AvangateCustomerReference"] = json!(reference.to_string());
    customer["City"] = json!("Cluj");
    let updated = rpc.call("updateCustomerInformation", json!([session, customer, true])).await;
    assert_eq!(updated.json["result"], true, "{}", updated.text);
    let read = rpc.call("getCustomerInformation", json!([session, reference])).await.json["result"].clone();
    assert_eq!(read["Email"], "newemailaddress@email.com");
    assert_eq!(read["City"], "Cluj");
    assert_eq!(read["Credit"], json!({"Limit": 51.0, "Remaining": 21.0, "Currency": "EUR"}));

    // The same customer over REST, field for field.
    let over_rest =
        gateway.rest().get(&format!("/customers/{reference}/?includePaymentData=true")).await.json;
    assert_eq!(over_rest, read);
});

backend_test!(customer_errors_store_nothing, |gateway| {
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    let reference =
        rpc.call("createCustomer", json!([session, sample_customer("KEEP")])).await.json["result"]
            .as_i64()
            .unwrap();
    rpc.call("createCustomer", json!([session, sample_customer("OTHER")])).await;
    let before = rpc.call("searchCustomers", json!([session, {"Pagination": {"Limit": 200}}])).await.json;

    let with = |field: &str, value: Value| {
        let mut customer = sample_customer("NEW");
        customer[field] = value;
        customer
    };
    for (customer, code, error_code) in [
        (with("FirstName", Value::Null), 40001, "MISSING_REQUIRED_FIELD"),
        (with("Email", json!("")), 40001, "MISSING_REQUIRED_FIELD"),
        (with("CountryCode", json!("ZZ")), 40002, "INVALID_FIELD"),
        (with("Language", json!("xx")), 40002, "INVALID_FIELD"),
        (with("FiscalCode", json!("RO1")), 40003, "FISCAL_CODE_WITHOUT_COMPANY"),
        (with("ExternalCustomerReference", json!("KEEP")), 40004, "DUPLICATE_EXTERNAL_REFERENCE"),
        (with("FirstName", json!(["x"])), -32602, "MALFORMED_REQUEST"),
    ] {
        rpc.call("createCustomer", json!([session, customer])).await.assert_rpc_error(code, error_code);
        let mut update = customer.clone();
        update["AvangateCustomerReference"] = json!(reference);
        if error_code == "DUPLICATE_EXTERNAL_REFERENCE" {
            update["ExternalCustomerReference"] = json!("OTHER");
        }
        rpc.call("updateCustomerInformation", json!([session, update]))
            .await
            .assert_rpc_error(code, error_code);
    }
    let named = rpc.call("createCustomer", json!([session, with("FirstName", json!(true))])).await;
    assert!(named.json["error"]["message"].as_str().unwrap().contains("FirstName"), "{}", named.text);
    rpc.call("createCustomer", json!([session])).await.assert_rpc_error(40001, "MISSING_REQUIRED_FIELD");
    rpc.call("createCustomer", json!([session, "not an object"]))
        .await
        .assert_rpc_error(-32602, "MALFORMED_REQUEST");
    rpc.call("updateCustomerInformation", json!([session, sample_customer("KEEP")]))
        .await
        .assert_rpc_error(40001, "MISSING_REQUIRED_FIELD");
    rpc.call("updateCustomerInformation", json!([session, with("AvangateCustomerReference", json!(999))]))
        .await
        .assert_rpc_error(40401, "NOT_FOUND_CUSTOMER");
    rpc.call(
        "updateCustomerInformation",
        json!([session, with("AvangateCustomerReference", json!(reference)), "perhaps"]),
    )
    .await
    .assert_rpc_error(-32602, "MALFORMED_REQUEST");
    rpc.call("getCustomerInformation", json!([session, 0, ""]))
        .await
        .assert_rpc_error(40001, "MISSING_REQUIRED_FIELD");
    rpc.call("getCustomerInformation", json!([session, 424242]))
        .await
        .assert_rpc_error(40401, "NOT_FOUND_CUSTOMER");
    rpc.call("getCustomerInformation", json!([session, reference, "OTHER"]))
        .await
        .assert_rpc_error(40005, "REFERENCE_MISMATCH");
    rpc.call("getCustomerInformation", json!([session, {"a": 1}]))
        .await
        .assert_rpc_error(-32602, "MALFORMED_REQUEST");
    rpc.call("getCustomerInformation", json!([session, 1.5]))
        .await
        .assert_rpc_error(-32602, "MALFORMED_REQUEST");

    let after = rpc.call("searchCustomers", json!([session, {"Pagination": {"Limit": 200}}])).await.json;
    assert_eq!(after["result"], before["result"], "refused calls changed nothing");
});

backend_test!(sessions, |gateway| {
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    for method in [
        "createCustomer",
        "getCustomerInformation",
        "updateCustomerInformation",
        "searchCustomers",
        "getSingleSignOnInCart",
        "getCustomerInformationBySSOToken",
    ] {
        rpc.call(method, json!(["0123456789abcdef0123456789abcdef01234567"]))
            .await
            .assert_rpc_error(10001, "INVALID_SESSION");
        rpc.call(method, json!([])).await.assert_rpc_error(10001, "INVALID_SESSION");
        rpc.call(method, json!([null])).await.assert_rpc_error(10001, "INVALID_SESSION");
        rpc.call(method, json!([42])).await.assert_rpc_error(-32602, "MALFORMED_REQUEST");
    }
    // A session is bound to its merchant.
    let reference =
        rpc.call("createCustomer", json!([session, sample_customer("MINE")])).await.json["result"]
            .as_i64()
            .unwrap();
    let other = rpc.login(MERCHANT_B).await;
    let foreign = rpc.call("getCustomerInformation", json!([other, reference])).await;
    let missing = rpc.call("getCustomerInformation", json!([other, 999_999])).await;
    foreign.assert_rpc_error(40401, "NOT_FOUND_CUSTOMER");
    assert_eq!(foreign.json["error"], missing.json["error"]);
    assert_eq!(count(&rpc, &other).await, 0);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_sessions_are_told_apart() {
    let gateway =
        TestGateway::start_with(Backend::Sqlite, |config| config.session_ttl_secs = 1).await.unwrap();
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    assert!(rpc.call("searchCustomers", json!([session])).await.json["result"].is_object());
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    rpc.call("searchCustomers", json!([session])).await.assert_rpc_error(10002, "SESSION_EXPIRED");
}

backend_test!(search, |gateway| {
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    for index in 0..7 {
        let mut customer = sample_customer(&format!("S{index}"));
        customer["Email"] =
            json!(if index < 3 { "Same@Example.com".to_owned() } else { format!("s{index}@example.com") });
        rpc.call("createCustomer", json!([session, customer])).await;
    }
    let search = |options: Value| rpc.call("searchCustomers", json!([session, options]));
    let same = search(json!({"Email": "same@example.COM"})).await;
    assert_eq!(
        same.json["result"]["Pagination"],
        json!({"Page": 1, "Limit": 10, "Count": 3}),
        "{}",
        same.text
    );
    let page = search(json!({"Pagination": {"Page": 2, "Limit": "3"}})).await.json["result"].clone();
    assert_eq!(page["Pagination"], json!({"Page": 2, "Limit": 3, "Count": 7}));
    assert_eq!(page["Items"][0]["ExternalCustomerReference"], "S3");
    let all = rpc.call("searchCustomers", json!([session])).await;
    assert_eq!(all.json["result"]["Pagination"]["Count"], 7);
    let filtered = search(
        json!({"CountryCode": "US", "Language": "EN", "Trial": false, "Status": "INACTIVE", "Phone": null}),
    )
    .await;
    assert_eq!(filtered.json["result"]["Pagination"]["Count"], 7, "{}", filtered.text);
    search(json!({"Status": "SOMETIMES"})).await.assert_rpc_error(40002, "INVALID_FIELD");
    search(json!({"Pagination": {"Limit": 1000}})).await.assert_rpc_error(40002, "INVALID_FIELD");
    search(json!({"Trial": "yes"})).await.assert_rpc_error(-32602, "MALFORMED_REQUEST");
    search(json!("Email")).await.assert_rpc_error(-32602, "MALFORMED_REQUEST");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on() {
    let directory = tempfile::tempdir().unwrap();
    let fixtures = directory.path().join("fixtures.json");
    std::fs::write(&fixtures, json!([{
        "Merchant": "MERCHANT_A", "ExternalCustomerReference": "CARDS", "FirstName": "Ada", "LastName": "L",
        "Address1": "1", "City": "London", "Zip": "N1", "CountryCode": "GB", "Email": "ada@example.com",
        "ExistingCards": [{"CardType": "visa", "LastDigits": "1111", "ExpirationMonth": "12",
                           "ExpirationYear": "2030", "NameOnCard": "Ada", "TransientToken": {"Token": "tok-1"}}]
    }]).to_string()).unwrap();
    let gateway =
        TestGateway::start_with(Backend::Sqlite, |config| config.fixtures = Some(fixtures)).await.unwrap();
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    let customer =
        rpc.call("getCustomerInformation", json!([session, 0, "CARDS"])).await.json["result"].clone();
    assert_eq!(customer["ExistingCards"][0]["LastDigits"], "1111");
    assert_eq!(customer["ExistingCards"][0]["TransientToken"], Value::Null);
    let reference = customer["AvangateCustomerReference"].as_i64().unwrap();
    let url = "https://store.example/order/cart.php?PRODS=4&QTY=1";

    let link = |params: Value| rpc.call("getSingleSignOnInCart", params);
    let token_of = |reply: &tco_tests::Reply| {
        let link = reply.json["result"].as_str().unwrap_or_else(|| panic!("{}", reply.text)).to_owned();
        assert!(link.starts_with(&format!("{url}&logintoken=")), "{link}");
        link.rsplit_once("logintoken=").unwrap().1.to_owned()
    };
    let by_internal = link(json!([session, reference, "AvangateCustomerReference", url, 60, ""])).await;
    let by_external = link(json!([session, "CARDS", "ExternalCustomerReference", url])).await;
    let rebranded =
        link(json!([session, reference.to_string(), "2CheckoutCustomerReference", url, null, "127.0.0.1"]))
            .await;
    let untyped = link(json!([session, reference, null, url])).await;
    let tokens: Vec<String> =
        [&by_internal, &by_external, &rebranded, &untyped].into_iter().map(token_of).collect();

    let read = rpc.call("getCustomerInformationBySSOToken", json!([session, tokens[0]])).await;
    assert_eq!(
        read.json["result"]["ExistingCards"][0]["TransientToken"],
        json!({"Token": "tok-1"}),
        "{}",
        read.text
    );
    rpc.call("getCustomerInformationBySSOToken", json!([session, tokens[0]]))
        .await
        .assert_rpc_error(40007, "INVALID_SSO_TOKEN");
    let other = rpc.login(MERCHANT_B).await;
    rpc.call("getCustomerInformationBySSOToken", json!([other, tokens[1]]))
        .await
        .assert_rpc_error(40007, "INVALID_SSO_TOKEN");
    // A token issued over JSON-RPC is consumed over REST.
    let over_rest = gateway.rest().get(&format!("/customers/?ssotoken={}", tokens[1])).await;
    assert_eq!(over_rest.json["AvangateCustomerReference"], reference, "{}", over_rest.text);

    link(json!([session, reference, "SomethingElse", url])).await.assert_rpc_error(40002, "INVALID_FIELD");
    link(json!([session, "CARDS", "AvangateCustomerReference", url]))
        .await
        .assert_rpc_error(40002, "INVALID_FIELD");
    link(json!([session, reference, "AvangateCustomerReference"]))
        .await
        .assert_rpc_error(40001, "MISSING_REQUIRED_FIELD");
    link(json!([session, reference, "AvangateCustomerReference", url, 100_000]))
        .await
        .assert_rpc_error(40002, "INVALID_FIELD");
    link(json!([session, reference, "AvangateCustomerReference", url, 10, "no-ip"]))
        .await
        .assert_rpc_error(40002, "INVALID_FIELD");
    link(json!([session, 42, "AvangateCustomerReference", url]))
        .await
        .assert_rpc_error(40401, "NOT_FOUND_CUSTOMER");
    link(json!([session, null])).await.assert_rpc_error(40001, "MISSING_REQUIRED_FIELD");
    rpc.call("getCustomerInformationBySSOToken", json!([session]))
        .await
        .assert_rpc_error(40001, "MISSING_REQUIRED_FIELD");
}

backend_test!(protocol_rules, |gateway| {
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    let raw = |body: &str| rpc.post(body.as_bytes().to_vec(), "application/json");

    // Ids come back exactly as sent.
    for id in [json!(7), json!("abc-1"), json!(9_007_199_254_740_993_u64), json!(0)] {
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "searchCustomers", "params": [session]});
        let reply = raw(&body.to_string()).await;
        assert_eq!(reply.json["id"], id, "{}", reply.text);
        assert!(reply.json["result"].is_object());
    }
    // Notifications are executed but not answered.
    let notification = json!({"jsonrpc": "2.0", "method": "createCustomer", "params": [session, sample_customer("NOTIFIED")]});
    let reply = raw(&notification.to_string()).await;
    assert_eq!((reply.status.as_u16(), reply.text.as_str()), (204, ""));
    assert_eq!(count(&rpc, &session).await, 1);

    // A batch mixing successes, errors and a notification.
    let batch = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "getCustomerInformation", "params": [session, 0, "NOTIFIED"]},
        {"jsonrpc": "2.0", "id": "two", "method": "getCustomerInformation", "params": [session, 0, "NOBODY"]},
        {"jsonrpc": "2.0", "id": 3, "method": "noSuchMethod", "params": []},
        {"jsonrpc": "2.0", "method": "searchCustomers", "params": [session]},
        {"id": 5}
    ]);
    let reply = raw(&batch.to_string()).await;
    assert_eq!(reply.status, 200);
    let answers = reply.json.as_array().unwrap_or_else(|| panic!("{}", reply.text));
    assert_eq!(answers.len(), 4, "{}", reply.text);
    let by_id = |id: Value| answers.iter().find(|answer| answer["id"] == id).unwrap();
    assert_eq!(by_id(json!(1))["result"]["ExternalCustomerReference"], "NOTIFIED");
    assert_eq!(by_id(json!("two"))["error"]["data"]["error_code"], "NOT_FOUND_CUSTOMER");
    assert_eq!(by_id(json!(3))["error"]["code"], -32601);
    assert_eq!(by_id(json!(3))["error"]["data"]["error_code"], "UNKNOWN_OPERATION");
    assert_eq!(by_id(json!(5))["error"]["code"], -32600);
    let all_notifications = json!([{"jsonrpc": "2.0", "method": "searchCustomers", "params": [session]}]);
    assert_eq!(raw(&all_notifications.to_string()).await.status.as_u16(), 204);

    // Standard errors, each still a JSON-RPC error object with a catalogue code.
    raw(r#"{"jsonrpc": "2.0", "id": 1, "method": "login", "par"#)
        .await
        .assert_rpc_error(-32700, "MALFORMED_REQUEST");
    raw("[]").await.assert_rpc_error(-32600, "MALFORMED_REQUEST");
    raw(r#"{"jsonrpc": "2.0", "id": 1}"#).await.assert_rpc_error(-32600, "MALFORMED_REQUEST");
    raw(r#"{"jsonrpc": "2.0", "id": 1, "method": "deleteEverything"}"#)
        .await
        .assert_rpc_error(-32601, "UNKNOWN_OPERATION");
    raw(r#"{"jsonrpc": "2.0", "id": 1, "method": "searchCustomers", "params": 5}"#)
        .await
        .assert_rpc_error(-32602, "MALFORMED_REQUEST");
    let deep = format!(
        r#"{{"jsonrpc": "2.0", "id": 1, "method": "searchCustomers", "params": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let deep = raw(&deep).await;
    deep.assert_rpc_error(-32602, "MALFORMED_REQUEST");
    assert!(deep.text.contains("recursion limit"), "{}", deep.text);

    // Older clients that send no `jsonrpc` member are still served.
    let legacy = json!({"id": 11, "method": "searchCustomers", "params": [session]});
    assert!(raw(&legacy.to_string()).await.json["result"].is_object());

    // Transport errors: still JSON-RPC bodies, with the HTTP status that says why.
    let charset = rpc
        .post(
            json!({"jsonrpc": "2.0", "id": 1, "method": "searchCustomers", "params": [session]})
                .to_string()
                .into_bytes(),
            "application/json; charset=UTF-8",
        )
        .await;
    assert!(charset.json["result"].is_object(), "{}", charset.text);
    let text = rpc.post(b"{}".to_vec(), "text/plain").await;
    assert_eq!(text.status, 415);
    text.assert_rpc_error(-32600, "UNSUPPORTED_MEDIA_TYPE");
    let get = rpc.client.get(&rpc.url).send().await.unwrap();
    assert_eq!(get.status(), 405);
    let get: Value = get.json().await.unwrap();
    assert_eq!(get["error"]["data"]["error_code"], "METHOD_NOT_ALLOWED");
    let mut huge = sample_customer("HUGE");
    huge["Address2"] = json!("x".repeat(2 * 1024 * 1024));
    let big = rpc
        .post(
            json!({"jsonrpc": "2.0", "id": 1, "method": "createCustomer", "params": [session, huge]})
                .to_string()
                .into_bytes(),
            "application/json",
        )
        .await;
    assert_eq!(big.status, 413);
    big.assert_rpc_error(-32600, "REQUEST_TOO_LARGE");
    let no_slash = rpc
        .client
        .post(rpc.url.trim_end_matches('/'))
        .header("Content-Type", "application/json")
        .body(
            json!({"jsonrpc": "2.0", "id": 1, "method": "searchCustomers", "params": [session]}).to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(no_slash.status(), 200);

    assert_eq!(count(&rpc, &session).await, 1, "nothing was stored by the refused calls");
});

// A wrongly typed value in any position of any method is a −32602 naming that parameter, and
// nothing is stored.
backend_test!(wrong_types_in_every_position, |gateway| {
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    for (method, names) in tco_api::positional_operations() {
        for (index, name) in names.iter().enumerate() {
            // Every other parameter is valid: login's are strings, the rest null after the session.
            let mut params: Vec<serde_json::Value> = match method {
                "login" => vec![json!("x"); names.len()],
                _ => std::iter::once(json!(session.clone()))
                    .chain(std::iter::repeat_n(json!(null), names.len() - 1))
                    .collect(),
            };
            // An array is the wrong type for every parameter of the API but a list, for
            // which a number is (an object is read as a list of one, as PHP clients send one item).
            let list = tco_api::descriptors().iter().any(|descriptor| {
                descriptor.name == method
                    && descriptor
                        .params
                        .fields
                        .get(index)
                        .is_some_and(|field| matches!(field.shape.required(), tco_api::Shape::Array(_)))
            });
            params[index] = if list { json!(5) } else { json!([1, 2]) };
            let reply = rpc.call(method, json!(params)).await;
            reply.assert_rpc_error(-32602, "MALFORMED_REQUEST");
            let message = reply.json["error"]["message"].as_str().unwrap();
            assert!(
                message.contains(&format!("parameter {} ({name})", index + 1)),
                "{method}.{name}: {message}"
            );
        }
    }
    assert_eq!(count(&rpc, &session).await, 0);
});

// Issue 11, items 4, 8, 9 and 10: what the framing does with odd but legal bodies.
backend_test!(framing_edge_cases, |gateway| {
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    let raw = |body: String| rpc.post(body.into_bytes(), "application/json");

    // Numbers of any shape come back exactly as written, in single calls and in batches.
    for id in ["-1", "1.5", "-0", "18446744073709551616", "1e400", "0.10"] {
        let body =
            format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"searchCustomers","params":["{session}"]}}"#);
        let reply = raw(body).await;
        assert_eq!(reply.status, 200, "{id}: {}", reply.text);
        assert!(reply.text.contains(&format!(r#""id":{id},"#)), "{id}: {}", reply.text);
        assert!(reply.text.contains(r#""result":"#), "{id}: {}", reply.text);
    }
    let batch = format!(
        r#"[{{"jsonrpc":"2.0","id":-7,"method":"searchCustomers","params":["{session}"]}},
            {{"jsonrpc":"2.0","id":2.5,"method":"searchCustomers","params":["{session}"]}}]"#
    );
    let reply = raw(batch).await;
    assert!(reply.text.contains(r#""id":-7,"#) && reply.text.contains(r#""id":2.5,"#), "{}", reply.text);

    // An id of the wrong type makes the call invalid: -32600 with id null, and nothing runs.
    for id in ["true", "{}", "[]"] {
        let customer = sample_customer(&format!("BAD-ID-{}", id.len()));
        let body = json!({"jsonrpc": "2.0", "method": "createCustomer", "params": [session, customer]});
        let body = body.to_string().replacen('{', &format!(r#"{{"id":{id},"#), 1);
        let reply = raw(body).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.assert_rpc_error(-32600, "MALFORMED_REQUEST");
        assert_eq!(reply.json["id"], Value::Null, "{}", reply.text);
        let batch = format!("[{}]", reply_body_for(id, &session));
        let answers = raw(batch).await.json;
        assert_eq!(answers[0]["error"]["code"], -32600, "{answers}");
    }
    assert_eq!(count(&rpc, &session).await, 0, "no call with a bad id was executed");

    // A batch over the limit: one error object carrying a catalogue code.
    let entry = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"searchCustomers","params":["{session}"]}}"#);
    let reply = raw(format!("[{}]", vec![entry.as_str(); tco_jsonrpc::MAX_BATCH + 1].join(","))).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.assert_rpc_error(-32600, "REQUEST_TOO_LARGE");
    assert!(reply.json["error"]["data"].is_object(), "{}", reply.text);

    // No `jsonrpc` member: read as 2.0 whatever the body holds, entry by entry.
    let mut customer = sample_customer("jsonrpc");
    customer["FirstName"] = json!("jsonrpc");
    let body = json!({"id": 1, "method": "createCustomer", "params": [session, customer]});
    let reply = raw(body.to_string()).await;
    assert!(reply.json["result"].is_i64(), "{}", reply.text);
    let batch = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "searchCustomers", "params": [session]},
        {"id": 2, "method": "searchCustomers", "params": [session]},
        {"id": 3, "method": "getCustomerInformation", "params": [session, 0, "jsonrpc"]}
    ]);
    let answers = raw(batch.to_string()).await.json;
    for answer in answers.as_array().unwrap() {
        assert!(answer.get("result").is_some(), "{answers}");
    }

    // Transport rule: JSON-RPC errors come in an HTTP 200, a parse error too; a BOM is skipped.
    let not_json = raw("{not json".into()).await;
    assert_eq!(not_json.status, 200);
    not_json.assert_rpc_error(-32700, "MALFORMED_REQUEST");
    let with_bom = format!("\u{FEFF}{entry}");
    let reply = raw(with_bom).await;
    assert_eq!(reply.status, 200);
    assert!(reply.json["result"].is_object(), "{}", reply.text);
});

fn reply_body_for(id: &str, session: &str) -> String {
    format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"searchCustomers","params":["{session}"]}}"#)
}

// Issue 11, item 6: control characters in references and tokens answer like missing ones.
backend_test!(control_characters_in_references, |gateway| {
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    rpc.call("createCustomer", json!([session, sample_customer("ext")])).await;
    rpc.call("getCustomerInformation", json!([session, 0, "ext\u{0}x"]))
        .await
        .assert_rpc_error(40401, "NOT_FOUND_CUSTOMER");
    let url = "https://store.example/cart";
    rpc.call("getSingleSignOnInCart", json!([session, "ext\u{0}", "ExternalCustomerReference", url]))
        .await
        .assert_rpc_error(40401, "NOT_FOUND_CUSTOMER");
    rpc.call("getCustomerInformationBySSOToken", json!([session, "ab\u{0}cd"]))
        .await
        .assert_rpc_error(40007, "INVALID_SSO_TOKEN");
    rpc.call("searchCustomers", json!([format!("{session}\u{0}")]))
        .await
        .assert_rpc_error(10001, "INVALID_SESSION");
    assert_eq!(count(&rpc, &session).await, 1);
});

// Issue 12: method names match in any case; the OpenRPC document is served and discoverable and
// lists every method.
backend_test!(method_names_and_discovery, |gateway| {
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    let created = rpc.call("createcustomer", json!([session, sample_customer("ANY-CASE")])).await;
    assert!(created.json["result"].is_i64(), "{}", created.text);
    let found = rpc.call("GETCUSTOMERINFORMATION", json!([session, 0, "ANY-CASE"])).await;
    assert_eq!(found.json["result"]["ExternalCustomerReference"], "ANY-CASE", "{}", found.text);

    let discovered = rpc.call("rpc.discover", json!([])).await;
    let served: Value =
        reqwest::get(format!("{}/rpc/6.0/openrpc.json", gateway.url())).await.unwrap().json().await.unwrap();
    assert_eq!(discovered.json["result"], served);
    assert_eq!(served["openrpc"], "1.2.6");
    let methods: Vec<&str> =
        served["methods"].as_array().unwrap().iter().map(|method| method["name"].as_str().unwrap()).collect();
    let expected: Vec<&str> = tco_api::positional_operations().into_iter().map(|(name, _)| name).collect();
    assert_eq!(methods, expected);
});

// Sessions expire exactly 10 minutes after login (the gateway's clock, moved by the test).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_at_the_exact_boundary() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some((gateway, clock)) = TestGateway::start_with_manual_clock(backend).await else { continue };
        let rpc = gateway.rpc();
        let session = rpc.login(MERCHANT_A).await;
        clock.advance(chrono::Duration::minutes(10) - chrono::Duration::milliseconds(1));
        assert!(rpc.call("searchCustomers", json!([session])).await.json["result"].is_object());
        clock.advance(chrono::Duration::milliseconds(1));
        rpc.call("searchCustomers", json!([session])).await.assert_rpc_error(10002, "SESSION_EXPIRED");
    }
}
