//! IPN and LCN over real HTTP: listeners written from the vendor's documentation (PHP in the
//! vendor's sample style, Python on its standard library) verify every signature of the messages
//! for orders placed on each protocol and for a subscription change, and answer receipts the
//! gateway accepts; retries on the gateway's clock; refused receipts with their reasons; the
//! admin routes; two instances on one PostgreSQL delivering each message once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use tco_client::{OrdersApi, SubscriptionsApi};
use tco_tests::{Backend, MERCHANT_A, TestGateway, parity_test};
use tokio::io::AsyncBufReadExt;
use tokio::process::{Child, Command};

use crate::admin::admin;
use crate::orders::{order_data, plan_order};

/// A listener process and the messages it logged.
pub(crate) struct Listener {
    pub(crate) url: String,
    log: PathBuf,
    _child: Child,
    _directory: tempfile::TempDir,
}

impl Listener {
    /// The PHP listener under `php -S`.
    pub(crate) async fn php() -> Listener {
        Listener::php_script("ipn_listener.php", ("TCO_SECRET", MERCHANT_A.1)).await
    }

    /// The legacy API's INS listener under `php -S`, checking `md5_hash` with `secret_word`.
    pub(crate) async fn php_ins(secret_word: &str) -> Listener {
        Listener::php_script("ins_listener.php", ("TCO_SECRET_WORD", secret_word)).await
    }

    async fn php_script(script: &str, key: (&str, &str)) -> Listener {
        let directory = tempfile::tempdir().unwrap();
        let log = directory.path().join("messages.jsonl");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("php")
            .args(["-S", &format!("127.0.0.1:{port}"), &client(script)])
            .env(key.0, key.1)
            .env("TCO_LISTENER_LOG", &log)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("php (scripts/test.sh installs it)");
        let url = format!("http://127.0.0.1:{port}/ipn");
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "the PHP listener did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Listener { url, log, _child: child, _directory: directory }
    }

    /// The Python listener; `receipt` is `sha256`, `none` or `bad-hash`.
    pub(crate) async fn python(receipt: &str) -> Listener {
        let directory = tempfile::tempdir().unwrap();
        let log = directory.path().join("messages.jsonl");
        let python = std::env::var("TCO_PYTHON").unwrap_or_else(|_| "python3".into());
        let mut child = Command::new(python)
            .arg(client("ipn_listener.py"))
            .env("TCO_SECRET", MERCHANT_A.1)
            .env("TCO_LISTENER_LOG", &log)
            .env("TCO_RECEIPT", receipt)
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let port = lines.next_line().await.unwrap().expect("the Python listener prints its port");
        Listener { url: format!("http://127.0.0.1:{port}/notify"), log, _child: child, _directory: directory }
    }

    pub(crate) fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

/// The value of a delivery's field `name`, as sent.
pub(crate) fn field(delivery: &Value, name: &str) -> Option<String> {
    delivery["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|pair| pair[0] == name)
        .map(|pair| pair[1].as_str().unwrap().to_owned())
}

/// A second gateway on `first`'s PostgreSQL database, with the orders' data file.
pub(crate) async fn second_instance(first: &TestGateway) -> TestGateway {
    let database = first.config.database.clone();
    TestGateway::start_with_data(Backend::Postgres, &order_data(), |config| {
        config.database = database;
        config.order_completion_secs = 0;
    })
    .await
    .unwrap()
}

fn client(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients").join(name).display().to_string()
}

pub(crate) async fn listen(gateway: &TestGateway, ipn: &[&Listener], lcn: &[&Listener]) {
    let urls =
        |listeners: &[&Listener]| listeners.iter().map(|listener| listener.url.clone()).collect::<Vec<_>>();
    let body = json!({"ipn": urls(ipn), "lcn": urls(lcn)});
    let (status, answer) =
        admin(gateway, Method::PUT, "/_admin/merchants/MERCHANT_A/notifications", Some(body.clone())).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["ipn"], body["ipn"]);
}

pub(crate) async fn deliveries(gateway: &TestGateway, query: &str) -> Vec<Value> {
    let (status, list) = admin(gateway, Method::GET, &format!("/_admin/notifications?{query}"), None).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

/// Waits until `done` holds of the deliveries matching `query`, and answers them.
pub(crate) async fn wait_for(
    gateway: &TestGateway,
    query: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let list = deliveries(gateway, query).await;
        if done(&list) {
            return list;
        }
        assert!(Instant::now() < deadline, "deliveries never got there: {list:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn all_in(list: &[Value], state: &str, at_least: usize) -> bool {
    list.len() >= at_least && list.iter().all(|delivery| delivery["state"] == state)
}

fn events_of(messages: &[Value], kind: &str) -> Vec<String> {
    messages.iter().filter(|m| m["kind"] == kind).map(|m| m["event"].as_str().unwrap().to_owned()).collect()
}

async fn orders_complete_at_once(backend: Backend) -> Option<TestGateway> {
    TestGateway::start_with_data(backend, &order_data(), |config| config.order_completion_secs = 0).await
}

parity_test!(
    listeners_verify_every_signature_and_answer_receipts,
    orders_complete_at_once,
    |gateway, client| {
        let (php, python) = (Listener::php().await, Listener::python("sha256").await);
        listen(&gateway, &[&php, &python], &[&php, &python]).await;
        let order = client.place_order(&plan_order("listener@example.com")).await.unwrap();
        let ref_no = order.ref_no.clone().unwrap();
        // Authorized and completed at once: both announced, in that order, to both listeners.
        wait_for(&gateway, "kind=ipn", |list| all_in(list, "delivered", 4)).await;
        let reference = order.subscription_references()[0].clone();
        assert!(client.disable_recurring_billing(&reference, &[], None).await.unwrap());
        let lcn = wait_for(&gateway, "kind=lcn", |list| all_in(list, "delivered", 2)).await;
        assert!(
            lcn.iter()
                .all(|delivery| delivery["event"] == "LICENCE_CHANGE" && delivery["subject"] == reference)
        );
        for listener in [&php, &python] {
            let messages = listener.messages();
            assert_eq!(events_of(&messages, "ipn"), ["PAYMENT_AUTHORIZED", "COMPLETE"], "{messages:#?}");
            assert_eq!(events_of(&messages, "lcn"), ["LICENCE_CHANGE"], "{messages:#?}");
            for message in &messages {
                let verified = &message["verified"];
                assert!(
                    verified["md5"] == true && verified["sha256"] == true && verified["sha3-256"] == true
                        || verified["HASH"] == true
                            && verified["SIGNATURE_SHA2_256"] == true
                            && verified["SIGNATURE_SHA3_256"] == true,
                    "{message}"
                );
            }
            assert!(messages.iter().filter(|m| m["kind"] == "ipn").all(|m| m["subject"] == ref_no.as_str()));
        }
        let delivered = deliveries(&gateway, "kind=ipn&state=delivered").await;
        assert!(delivered.iter().all(|delivery| delivery["attempts"][0]["verdict"] == "accepted"));
        let fields = delivered[0]["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|pair| pair[0].as_str().unwrap()).collect();
        assert_eq!(&names[..4], ["GIFT_ORDER", "SALEDATE", "PAYMENTDATE", "REFNO"]);
        assert_eq!(&names[names.len() - 3..], ["HASH", "SIGNATURE_SHA2_256", "SIGNATURE_SHA3_256"]);
    }
);

/// A listener that answers without a receipt is retried on the vendor's schedule, on the
/// gateway's clock: once at once, twice more within five minutes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_without_a_receipt_sees_the_retries() {
    let gateway = orders_complete_at_once(Backend::Sqlite).await.unwrap();
    let silent = Listener::python("none").await;
    listen(&gateway, &[&silent], &[]).await;
    let client = tco_tests::client(&gateway, tco_client::Protocol::JsonRpc, MERCHANT_A);
    client.place_order(&plan_order("silent@example.com")).await.unwrap();
    let failing = wait_for(&gateway, "kind=ipn", |list| all_in(list, "failing", 2)).await;
    for delivery in &failing {
        assert_eq!(delivery["attempts"].as_array().unwrap().len(), 1);
        assert_eq!(delivery["attempts"][0]["http_status"], 200);
        assert!(delivery["attempts"][0]["verdict"].as_str().unwrap().starts_with("no read receipt"));
        assert!(delivery["next_attempt_at"].is_string());
    }
    let (status, _) = admin(&gateway, Method::POST, "/_admin/clock", Some(json!({"advance": "6m"}))).await;
    assert_eq!(status, 200);
    let retried = wait_for(&gateway, "kind=ipn", |list| {
        list.len() == 2 && list.iter().all(|delivery| delivery["attempts"].as_array().unwrap().len() == 3)
    })
    .await;
    assert!(retried.iter().all(|delivery| delivery["state"] == "failing"));
    // Six messages reached the listener: 2 × (1 + 2).
    assert_eq!(silent.messages().len(), 6);
    // Resent by hand: due at once.
    let id = retried[0]["id"].as_i64().unwrap();
    let (status, _) =
        admin(&gateway, Method::POST, &format!("/_admin/notifications/{id}/resend"), None).await;
    assert_eq!(status, 202);
    wait_for(&gateway, "kind=ipn&state=failing", |list| {
        list.iter()
            .any(|delivery| delivery["id"] == id && delivery["attempts"].as_array().unwrap().len() == 4)
    })
    .await;
}

/// A receipt with a wrong hash is refused, and the delivery says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_hash_receipt_is_refused_with_its_reason() {
    let gateway = orders_complete_at_once(Backend::Sqlite).await.unwrap();
    let wrong = Listener::python("bad-hash").await;
    listen(&gateway, &[&wrong], &[]).await;
    let client = tco_tests::client(&gateway, tco_client::Protocol::Rest, MERCHANT_A);
    client.place_order(&plan_order("wrong@example.com")).await.unwrap();
    let failing = wait_for(&gateway, "kind=ipn", |list| all_in(list, "failing", 2)).await;
    let verdict = failing[0]["attempts"][0]["verdict"].as_str().unwrap();
    assert!(verdict.starts_with("bad hash: the sha256 receipt's HMAC over IPN_PID[0]"), "{verdict}");
}

/// The admin routes: settings refused when not URLs, listings filtered, a trigger on a real order
/// with the listener edge cases, and a listener that counts characters is caught by the UTF-8 case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_triggers_and_lists_notifications() {
    let gateway = orders_complete_at_once(Backend::Sqlite).await.unwrap();
    let (status, refused) = admin(
        &gateway,
        Method::PUT,
        "/_admin/merchants/MERCHANT_A/notifications",
        Some(json!({"ipn": ["ftp://example.com/ipn"]})),
    )
    .await;
    assert_eq!((status, refused["error_code"].as_str()), (400, Some("INVALID_FIELD")), "{refused}");
    let (status, settings) =
        admin(&gateway, Method::GET, "/_admin/merchants/MERCHANT_A/notifications", None).await;
    assert_eq!((status, settings["ipn"].clone()), (200, json!([])));
    let python = Listener::python("sha256").await;
    let counting = Listener::python("characters").await;
    listen(&gateway, &[&python, &counting], &[&python]).await;
    let (status, triggered) = admin(
        &gateway,
        Method::POST,
        "/_admin/notifications/trigger",
        Some(json!({"merchant": "MERCHANT_A", "order": "600000004", "status": "COMPLETE", "conformance": true})),
    )
    .await;
    assert_eq!(status, 202, "{triggered}");
    let event = triggered["events"][0].as_i64().unwrap();
    let cases = wait_for(&gateway, &format!("event={event}"), |list| {
        list.len() == 10 && list.iter().all(|delivery| delivery["state"] != "pending")
    })
    .await;
    // The listener that counts characters fails the UTF-8 case only, and the list says so.
    for delivery in cases.iter().filter(|delivery| delivery["url"] == counting.url.as_str()) {
        let expected = if delivery["case"] == "utf-8 names" { "failing" } else { "delivered" };
        assert_eq!(delivery["state"], expected, "{delivery}");
    }
    let case = |name: &str| {
        cases
            .iter()
            .find(|delivery| delivery["case"] == name && delivery["url"] == python.url.as_str())
            .unwrap()
            .clone()
    };
    assert_eq!(case("several lines")["state"], "delivered");
    assert_eq!(case("duplicate")["state"], "delivered");
    assert_eq!(case("empty values and \"0\"")["state"], "delivered");
    // The listener counts bytes, so the UTF-8 case verifies too.
    assert_eq!(case("utf-8 names")["state"], "delivered");
    let lines: Vec<u64> = python.messages().iter().map(|m| m["lines"].as_u64().unwrap()).collect();
    assert!(lines.contains(&3), "{lines:?}");
    let (status, refused) = admin(
        &gateway,
        Method::POST,
        "/_admin/notifications/trigger",
        Some(json!({"merchant": "MERCHANT_A", "order": "999999999"})),
    )
    .await;
    assert_eq!(status, 404, "{refused}");
    assert!(deliveries(&gateway, "kind=lcn").await.is_empty());
    let (status, _) = admin(&gateway, Method::GET, "/_admin/notifications?kind=sms", None).await;
    assert_eq!(status, 400);
}

/// Two instances on one PostgreSQL: every message reaches the listener once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_deliver_each_notification_once() {
    let Some(first) = orders_complete_at_once(Backend::Postgres).await else { return };
    let second = second_instance(&first).await;
    let python = Listener::python("sha256").await;
    listen(&first, &[&python], &[]).await;
    let clients = [
        tco_tests::client(&first, tco_client::Protocol::JsonRpc, MERCHANT_A),
        tco_tests::client(&second, tco_client::Protocol::Rest, MERCHANT_A),
    ];
    for round in 0..5 {
        for client in &clients {
            client.place_order(&plan_order(&format!("twice{round}@example.com"))).await.unwrap();
        }
    }
    wait_for(&first, "kind=ipn&limit=100", |list| all_in(list, "delivered", 20)).await;
    let messages = python.messages();
    let mut seen: Vec<(String, String)> = messages
        .iter()
        .map(|m| (m["subject"].as_str().unwrap().to_owned(), m["event"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(seen.len(), 20, "{messages:#?}");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 20, "a message went out twice");
}

/// A hosted-cart purchase from a signed buy link with `return-url` sends the shopper back with
/// the link's parameters, `refno`, `total` and `total-currency`, signed again with the buy-link
/// secret word; an independent implementation (Python, from the vendor's description) verifies it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_return_redirect_is_signed_again() {
    use tco_client::{Api, Reference, SignOn};
    let gateway = TestGateway::start_with_data(Backend::Sqlite, &order_data(), |config| {
        config.merchants[0] =
            tco_core::Merchant::new(MERCHANT_A.0, MERCHANT_A.1).with_buy_link_secret("word-a");
    })
    .await
    .unwrap();
    let api: std::sync::Arc<dyn Api> = tco_tests::client(&gateway, tco_client::Protocol::Rest, MERCHANT_A);
    let first = api.place_order(&plan_order("returning@example.com")).await.unwrap();
    let buyer = Reference::Internal(first.customer_reference.unwrap());
    api.get_customer(&buyer).await.unwrap();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for return_type in ["redirect", "link"] {
        let signed: Vec<(String, String)> = [
            ("currency", "USD"),
            ("prod", "BOOK"),
            ("qty", "2"),
            ("order-ext-ref", "shop-42 ü"),
            ("return-type", return_type),
            ("return-url", "https://merchant.example/thanks?from=cart"),
        ]
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
        let signature = tco_core::sign_buy_link("word-a", &signed);
        let query = form_urlencoded(&signed);
        let link =
            format!("{}/order/checkout.php?merchant=MERCHANT_A&{query}&signature={signature}", gateway.url());
        let url = api.sign_on_in_cart(&buyer, &SignOn { url: link, ..SignOn::default() }).await.unwrap();
        let page = http.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<td>BOOK</td><td>2</td>"), "{page}");
        let hidden = |name: &str| {
            let start = page.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
            page[start..start + page[start..].find('"').unwrap()]
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
        };
        let form = [
            ("merchant", "MERCHANT_A".to_owned()),
            ("prod", hidden("prod")),
            ("qty", hidden("qty")),
            ("cart", hidden("cart")),
            ("link", hidden("link")),
            ("card", "0".to_owned()),
        ];
        let answer =
            http.post(format!("{}/order/checkout.php", gateway.url())).form(&form).send().await.unwrap();
        let back = match return_type {
            "redirect" => {
                assert_eq!(answer.status(), 303);
                answer.headers()["location"].to_str().unwrap().to_owned()
            }
            _ => {
                let page = answer.text().await.unwrap();
                let start = page.find("id=\"return\" href=\"").unwrap() + 18;
                page[start..start + page[start..].find('"').unwrap()].replace("&amp;", "&")
            }
        };
        assert!(back.starts_with("https://merchant.example/thanks?from=cart&"), "{back}");
        assert!(
            back.contains("refno=") && back.contains("total=") && back.contains("total-currency=USD"),
            "{back}"
        );
        let python = std::env::var("TCO_PYTHON").unwrap_or_else(|_| "python3".into());
        let output = Command::new(python)
            .arg(client("return_check.py"))
            .arg(&back)
            .arg("word-a")
            .output()
            .await
            .unwrap();
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{printed}{}", String::from_utf8_lossy(&output.stderr));
        assert!(printed.contains("'order-ext-ref': 'shop-42 ü'"), "{printed}");
        // A word other than the merchant's does not verify it.
        let python = std::env::var("TCO_PYTHON").unwrap_or_else(|_| "python3".into());
        let forged = Command::new(python)
            .arg(client("return_check.py"))
            .arg(&back)
            .arg("word-b")
            .output()
            .await
            .unwrap();
        assert!(!forged.status.success());
    }
}

fn form_urlencoded(pairs: &[(String, String)]) -> String {
    reqwest::Url::parse_with_params("http://x/", pairs).unwrap().query().unwrap_or_default().to_owned()
}

/// What the clock causes is announced when it happens on the gateway's clock, without anybody
/// reading the subscription: past due at its expiration, expired when the grace period ends.
/// A declined card is announced (`PENDING`) only to a merchant who asked for pending orders.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_makes_subscriptions_past_due_and_expired() {
    let gateway = orders_complete_at_once(Backend::Sqlite).await.unwrap();
    let listener = Listener::python("sha256").await;
    let body = json!({"ipn": [listener.url], "lcn": [listener.url], "pending_orders": true});
    let (status, _) =
        admin(&gateway, Method::PUT, "/_admin/merchants/MERCHANT_A/notifications", Some(body)).await;
    assert_eq!(status, 200);
    let client = tco_tests::client(&gateway, tco_client::Protocol::Rest, MERCHANT_A);
    // Paid by the card that declines every charge after the first: never renewed automatically.
    let mut lapsing = plan_order("clock@example.com");
    lapsing.payment_details = Some(crate::orders::card("TEST", "4000000000000341"));
    let order = client.place_order(&lapsing).await.unwrap();
    let reference = order.subscription_references()[0].clone();
    let customer = tco_client::Reference::Internal(order.customer_reference.unwrap());
    assert_eq!(client.get_customer(&customer).await.unwrap().enabled, Some(true));
    let mut declined = plan_order("declined@example.com");
    declined.payment_details = Some(crate::orders::card("CC", "4000000000000002"));
    let declined = client.place_order(&declined).await.unwrap();
    assert_eq!(declined.status.as_deref(), Some("PENDING"));
    wait_for(&gateway, "kind=ipn", |list| all_in(list, "delivered", 3)).await;
    assert!(deliveries(&gateway, "kind=lcn").await.is_empty());
    // A month and a day: past due (the plan is monthly).
    admin(&gateway, Method::POST, "/_admin/clock", Some(json!({"advance": "32d"}))).await;
    let lcn = wait_for(&gateway, "kind=lcn", |list| all_in(list, "delivered", 1)).await;
    assert_eq!(
        (lcn[0]["event"].as_str(), lcn[0]["subject"].as_str()),
        (Some("LICENCE_PASTDUE"), Some(reference.as_str()))
    );
    let field = |delivery: &Value, name: &str| {
        delivery["fields"].as_array().unwrap().iter().find(|pair| pair[0] == name).map(|pair| pair[1].clone())
    };
    assert_eq!(field(&lcn[0], "CHANGED_BY"), Some(json!("SYSTEM")));
    assert_eq!(field(&lcn[0], "STATUS"), Some(json!("PASTDUE")));
    // Its only subscription past due, the customer is no longer active — without anybody reading.
    assert_eq!(client.get_customer(&customer).await.unwrap().enabled, Some(false));
    // The grace period (5 days) over: expired.
    admin(&gateway, Method::POST, "/_admin/clock", Some(json!({"advance": "6d"}))).await;
    let lcn = wait_for(&gateway, "kind=lcn", |list| all_in(list, "delivered", 2)).await;
    assert_eq!(lcn[0]["event"], "LICENCE_EXPIRATION");
    let events: Vec<String> =
        listener.messages().iter().map(|m| m["event"].as_str().unwrap().to_owned()).collect();
    assert_eq!(
        events,
        ["PAYMENT_AUTHORIZED", "COMPLETE", "PENDING", "LICENCE_PASTDUE", "LICENCE_EXPIRATION"]
    );
    admin(&gateway, Method::DELETE, "/_admin/clock", None).await;
}
