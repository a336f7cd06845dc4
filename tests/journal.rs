//! The call journal: admin endpoints, and its use — the vendor's PHP SOAP sample flow and an
//! equivalent REST flow leave equal journal entries once protocol and volatile fields are gone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Value, json};
use tco_tests::{Backend, MERCHANT_A, MERCHANT_B, TestGateway};

const TOKEN: &str = "admin-secret";

async fn gateway() -> TestGateway {
    TestGateway::start_with(Backend::Sqlite, |config| config.admin_token = Some(TOKEN.into())).await.unwrap()
}

async fn journal(gateway: &TestGateway, query: &str) -> Value {
    let response = reqwest::Client::new()
        .get(format!("{}/_admin/journal{query}", gateway.url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Entries without what differs between two runs of the same calls: time, latency, protocol,
/// merchant, and the references the server assigned (replaced by their order of appearance).
fn comparable(entries: &Value) -> Vec<Value> {
    let mut references: HashMap<String, usize> = HashMap::new();
    let mut symbol = |value: &str| {
        let next = references.len();
        format!("ref#{}", references.entry(value.to_owned()).or_insert(next))
    };
    entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["operation"] != "login")
        .map(|entry| {
            let mut entry = entry.clone();
            for volatile in ["time", "latency_us", "protocol", "merchant"] {
                entry.as_object_mut().unwrap().remove(volatile);
            }
            if let Some(reference) =
                entry["arguments"]["AvangateCustomerReference"].as_str().map(str::to_owned)
            {
                entry["arguments"]["AvangateCustomerReference"] = json!(symbol(&reference));
            }
            if let Some(result) = entry["outcome"]["result"].as_str().map(str::to_owned)
                && result.bytes().all(|b| b.is_ascii_digit())
            {
                entry["outcome"]["result"] = json!(symbol(&result));
            }
            entry
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_php_soap_sample_and_a_rest_flow_leave_the_same_journal() {
    if std::env::var("TCO_SKIP_EXTERNAL_CLIENTS").as_deref() == Ok("1") {
        return;
    }
    let gateway = gateway().await;
    let (code, secret) = MERCHANT_A;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/soap_sample.php");
    let output = tokio::process::Command::new("php")
        .arg(&script)
        .env("TCO_URL", gateway.url())
        .env("TCO_MERCHANT_CODE", code)
        .env("TCO_MERCHANT_SECRET", secret)
        .output()
        .await
        .expect("php (run scripts/test.sh to install it)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    // The same calls over REST, as merchant B, with the same customer.
    let rest = gateway.rest_as(MERCHANT_B);
    let customer: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/journal_customer.json"))
            .unwrap(),
    )
    .unwrap();
    let reference = rest.post("/customers/", &customer).await.json.as_i64().unwrap();
    let mut existing = rest.get(&format!("/customers/{reference}/?includePaymentData=true")).await.json;
    existing["Email"] = json!("newemailaddress@email.com");
    assert_eq!(
        rest.put(&format!("/customers/{reference}/?endUserUpdate=false"), &existing).await.json,
        json!(true)
    );

    let soap = journal(&gateway, &format!("?merchant={code}&protocol=soap")).await;
    let over_rest = journal(&gateway, &format!("?merchant={}", MERCHANT_B.0)).await;
    assert_eq!(soap["entries"][0]["operation"], "login");
    assert_eq!(soap["entries"][0]["arguments"]["hash"], "<redacted>");
    assert_eq!(comparable(&soap).len(), 3, "{soap}");
    assert_eq!(comparable(&soap), comparable(&over_rest));
    let everything = journal(&gateway, "").await.to_string();
    assert!(!everything.contains(secret), "no secret in the journal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_endpoints_need_the_token_and_filter() {
    let gateway = gateway().await;
    let client = reqwest::Client::new();
    let url = format!("{}/_admin/journal", gateway.url());
    assert_eq!(client.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(client.get(&url).bearer_auth("wrong").send().await.unwrap().status(), 401);
    // With a token, every admin call needs it; the dashboard page is served and asks for it.
    for path in ["/_admin/clock", "/_admin/faults", "/_admin/merchants"] {
        let refused = client.get(format!("{}{path}", gateway.url())).send().await.unwrap();
        assert_eq!(refused.status(), 401, "{path}");
        let allowed = client.get(format!("{}{path}", gateway.url())).bearer_auth(TOKEN).send().await.unwrap();
        assert_eq!(allowed.status(), 200, "{path}");
    }
    let reset = client.post(format!("{}/_admin/reset", gateway.url())).send().await.unwrap();
    assert_eq!(reset.status(), 401, "no reset without the token");
    let page = client.get(format!("{}/_admin/", gateway.url())).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("const TOKEN_REQUIRED = true;"), "the page asks for the token");
    let landing = client.get(format!("{}/", gateway.url())).send().await.unwrap().text().await.unwrap();
    assert!(landing.contains("MERCHANT_A") && !landing.contains("secret-a"), "codes, never secrets");
    // The families with their counts, and the generated operations table it links to.
    for (family, count) in tco_api::family_counts(&tco_api::descriptors()) {
        assert!(
            count > 0 && landing.contains(&format!("<tr><th>{family}</th><td>{count}</td></tr>")),
            "{landing}"
        );
    }
    let operations = client.get(format!("{}/docs/operations.md", gateway.url())).send().await.unwrap();
    assert_eq!(operations.status(), 200);
    let operations = operations.text().await.unwrap();
    let committed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/operations.md"),
    )
    .unwrap();
    assert_eq!(operations, committed, "the landing page serves the generated operations table");

    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    rpc.call("searchCustomers", json!([session])).await;
    rpc.call("searchCustomers", json!(["not-a-session"])).await;
    gateway.rest().get("/customers/424242/").await;

    let all = journal(&gateway, "").await;
    let operations: Vec<&str> =
        all["entries"].as_array().unwrap().iter().map(|e| e["operation"].as_str().unwrap()).collect();
    assert_eq!(operations, ["login", "searchCustomers", "searchCustomers", "getCustomerInformation"]);
    assert_eq!(all["entries"][2]["outcome"], json!({"error_code": "INVALID_SESSION"}));
    assert_eq!(all["entries"][3]["outcome"], json!({"error_code": "NOT_FOUND_CUSTOMER"}));
    assert_eq!(all["entries"][3]["protocol"], "rest");
    assert_eq!(
        journal(&gateway, "?protocol=jsonrpc&operation=searchcustomers").await["entries"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(journal(&gateway, "?since=2999-01-01T00:00:00Z").await["entries"], json!([]));
    assert_eq!(
        client.get(format!("{url}?since=yesterday")).bearer_auth(TOKEN).send().await.unwrap().status(),
        400
    );
    assert_eq!(
        client.get(format!("{url}?protocol=ftp")).bearer_auth(TOKEN).send().await.unwrap().status(),
        400
    );

    assert_eq!(client.delete(&url).bearer_auth(TOKEN).send().await.unwrap().status(), 204);
    assert_eq!(journal(&gateway, "").await["entries"], json!([]));

    // The access rule: without a token, open on a loopback address and absent on any other.
    let loopback = TestGateway::start(Backend::Sqlite).await.unwrap();
    let open = client.get(format!("{}/_admin/journal", loopback.url())).send().await.unwrap();
    assert_eq!(open.status(), 200, "loopback without a token: open");
    let everywhere = TestGateway::start_with(Backend::Sqlite, |config| {
        config.listen = "0.0.0.0:0".parse().unwrap();
    })
    .await
    .unwrap();
    let url = format!("http://127.0.0.1:{}", everywhere.server.address.port());
    for path in ["/_admin/journal", "/_admin/", "/_admin/clock"] {
        let off = client.get(format!("{url}{path}")).bearer_auth(TOKEN).send().await.unwrap();
        assert_eq!(off.status(), 404, "{path}: no token on a non-loopback address: no admin endpoints");
    }
    let landing = client.get(format!("{url}/")).send().await.unwrap().text().await.unwrap();
    assert!(landing.contains("The dashboard and admin API are off"), "{landing}");
}

/// Issue 11, item 3: refused creates with huge values and a flood of bad signatures keep the
/// journal within its byte budget, and the flood does not push out the authenticated calls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journal_is_bounded_in_bytes() {
    let gateway = TestGateway::start_with(Backend::Sqlite, |config| {
        config.admin_token = Some(TOKEN.into());
        config.journal_bytes = 256 * 1024;
    })
    .await
    .unwrap();
    let rest = gateway.rest();
    let mut huge = tco_tests::sample_customer("HUGE");
    huge["FirstName"] = json!("x".repeat(900 * 1024));
    for _ in 0..40 {
        rest.post("/customers/", &huge).await.assert_error(400, "INVALID_FIELD");
    }
    let mut forged = rest.clone();
    forged.secret = "not the secret".into();
    for _ in 0..600 {
        forged.get("/customers/").await.assert_error(401, "AUTHENTICATION_ERROR");
    }
    let response = reqwest::Client::new()
        .get(format!("{}/_admin/journal", gateway.url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert!(body["bytes"].as_u64().unwrap() <= body["byte_budget"].as_u64().unwrap(), "{}", body["bytes"]);
    assert!(text.len() < 1024 * 1024, "the journal read is {} bytes", text.len());
    let entries = body["entries"].as_array().unwrap();
    let creates: Vec<_> = entries.iter().filter(|entry| entry["operation"] == "createCustomer").collect();
    assert_eq!(creates.len(), 40, "the refusals did not push out the authenticated calls");
    let first_name = creates[0]["arguments"]["FirstName"].as_str().unwrap();
    assert!(first_name.ends_with("…[truncated: 921600 bytes]"), "{}", &first_name[first_name.len() - 40..]);
    println!("journal: {} bytes held, {} bytes read", body["bytes"], text.len());
}
