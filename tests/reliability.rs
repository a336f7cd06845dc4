//! Reliability under hostile input, slow clients, concurrency and shutdown: each limit answers
//! clearly and the gateway keeps serving; concurrent writers cannot both win or mix fields.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tco_client::{Api, Credentials, Customer, JsonRpcClient, Reference, RestClient, SoapClient};
use tco_tests::{Backend, MERCHANT_A, TestGateway, backend_test, sample_customer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn quick_gateway() -> TestGateway {
    TestGateway::start_with(Backend::Sqlite, |config| {
        config.limits.header_timeout = Duration::from_secs(1);
        config.limits.body_timeout = Duration::from_secs(1);
        config.limits.max_connections = 4;
    })
    .await
    .unwrap()
}

/// Reads whatever the server sends until it closes the connection (or 5 s pass).
async fn read_all(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

async fn still_serves(gateway: &TestGateway) {
    let reply = gateway.rest().get("/customers/").await;
    assert_eq!(reply.status, 200, "the gateway stopped serving: {}", reply.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_headers_are_refused() {
    let gateway = quick_gateway().await;
    let mut stream = TcpStream::connect(gateway.server.address).await.unwrap();
    let request = format!("GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: {}\r\n\r\n", "a".repeat(200 * 1024));
    let _ = stream.write_all(request.as_bytes()).await;
    let answer = read_all(&mut stream).await;
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 431"), "{answer}");
    still_serves(&gateway).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_are_cut_off() {
    let gateway = quick_gateway().await;
    let mut stream = TcpStream::connect(gateway.server.address).await.unwrap();
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    let answer = read_all(&mut stream).await;
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(4), "the connection was held for {waited:?}");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
    still_serves(&gateway).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_get_each_protocols_error() {
    let gateway = quick_gateway().await;
    let header = gateway.rest().header();
    for (path, content_type, extra, expect) in [
        (
            "/rest/6.0/customers/",
            "application/json",
            format!("X-Avangate-Authentication: {header}\r\n"),
            "\"error_code\":\"MALFORMED_REQUEST\"",
        ),
        ("/rpc/6.0/", "application/json", String::new(), "\"error_code\":\"MALFORMED_REQUEST\""),
        ("/soap/6.0/", "text/xml", String::new(), "<faultcode>MALFORMED_REQUEST</faultcode>"),
    ] {
        let mut stream = TcpStream::connect(gateway.server.address).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n{extra}Content-Length: 100\r\n\r\n{{"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        // Trickle a byte now and then, never finishing.
        let started = Instant::now();
        let answer = loop {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if stream.write_all(b" ").await.is_err() || started.elapsed() > Duration::from_secs(3) {
                break read_all(&mut stream).await;
            }
            let mut probe = [0u8; 1];
            if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(1), stream.peek(&mut probe)).await
                && n > 0
            {
                break read_all(&mut stream).await;
            }
        };
        assert!(started.elapsed() < Duration::from_secs(4), "{path} held the slow body too long");
        assert!(answer.contains(expect), "{path}: {answer}");
        assert!(answer.contains("did not arrive"), "{path}: {answer}");
    }
    still_serves(&gateway).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_get_503() {
    let gateway = quick_gateway().await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(gateway.server.address).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut extra = TcpStream::connect(gateway.server.address).await.unwrap();
    let _ = extra.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let answer = read_all(&mut extra).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("SERVICE_UNAVAILABLE"), "{answer}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    still_serves(&gateway).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_json_is_refused() {
    let gateway = quick_gateway().await;
    let deep = format!(r#"{{"FirstName": {}1{}}}"#, "[".repeat(10_000), "]".repeat(10_000));
    let rest = gateway.rest();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("X-Avangate-Authentication", rest.header().parse().unwrap());
    headers.insert("Content-Type", "application/json".parse().unwrap());
    rest.raw(reqwest::Method::POST, "/customers/", headers, Some(deep.into_bytes()))
        .await
        .assert_error(400, "MALFORMED_REQUEST");
    still_serves(&gateway).await;
}

/// 50 creates with one ExternalCustomerReference at once: exactly one wins, the others get the
/// duplicate code; with two instances on one PostgreSQL too.
async fn race_for_one_reference(urls: Vec<String>) {
    let attempts: Vec<_> = (0..50)
        .map(|index| {
            let url = urls[index % urls.len()].clone();
            tokio::spawn(async move {
                let client = RestClient::new(&url, Credentials::new(MERCHANT_A.0, MERCHANT_A.1)).unwrap();
                let customer: Customer = serde_json::from_value(sample_customer("THE-ONE")).unwrap();
                client.create_customer(&customer).await
            })
        })
        .collect();
    let mut winners = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => winners += 1,
            Err(error) => assert_eq!(error.code(), Some("DUPLICATE_EXTERNAL_REFERENCE"), "{error}"),
        }
    }
    assert_eq!(winners, 1);
}

backend_test!(fifty_parallel_creates_one_winner, |gateway| {
    race_for_one_reference(vec![gateway.url()]).await;
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_creates_on_two_instances_one_winner() {
    let Some(first) = TestGateway::start(Backend::Postgres).await else { return };
    let database = first.config.database.clone();
    let second = TestGateway::start_with(Backend::Sqlite, |config| config.database = database).await.unwrap();
    race_for_one_reference(vec![first.url(), second.url()]).await;
}

// Concurrent whole-customer updates over all three protocols: the stored customer is always
// exactly one of the versions sent, never a mix.
backend_test!(parallel_updates_never_mix, |gateway| {
    let credentials = Credentials::new(MERCHANT_A.0, MERCHANT_A.1);
    let clients: Vec<Arc<dyn Api>> = vec![
        Arc::new(RestClient::new(&gateway.url(), credentials.clone()).unwrap()),
        Arc::new(JsonRpcClient::new(&gateway.url(), credentials.clone())),
        Arc::new(SoapClient::new(&gateway.url(), credentials)),
    ];
    let base: Customer = serde_json::from_value(sample_customer("MIX")).unwrap();
    let reference = clients[0].create_customer(&base).await.unwrap();
    let version = |index: usize| Customer {
        avangate_customer_reference: Some(reference),
        first_name: Some(format!("First{index}")),
        last_name: Some(format!("Last{index}")),
        city: Some(format!("City{index}")),
        zip: Some(format!("{index:05}")),
        phone: Some(format!("+1 555 {index:04}")),
        ..base.clone()
    };
    let writers: Vec<_> = (0..30)
        .map(|index| {
            let client = clients[index % 3].clone();
            let customer = version(index);
            tokio::spawn(async move { client.update_customer(&customer, false).await })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
    let stored = clients[1].get_customer(&Reference::Internal(reference)).await.unwrap();
    let index: usize = stored.first_name.as_deref().unwrap().trim_start_matches("First").parse().unwrap();
    let expected = version(index);
    for (field, got, want) in [
        ("LastName", &stored.last_name, &expected.last_name),
        ("City", &stored.city, &expected.city),
        ("Zip", &stored.zip, &expected.zip),
        ("Phone", &stored.phone, &expected.phone),
    ] {
        assert_eq!(got, want, "{field} comes from another update than FirstName");
    }
});

// Many logins and calls at once over JSON-RPC and SOAP.
backend_test!(concurrent_sessions, |gateway| {
    let tasks: Vec<_> = (0..40)
        .map(|index| {
            let url = gateway.url();
            tokio::spawn(async move {
                let credentials = Credentials::new(MERCHANT_A.0, MERCHANT_A.1);
                let client: Box<dyn Api> = if index % 2 == 0 {
                    Box::new(JsonRpcClient::new(&url, credentials))
                } else {
                    Box::new(SoapClient::new(&url, credentials))
                };
                let customer: Customer =
                    serde_json::from_value(sample_customer(&format!("S-{index}"))).unwrap();
                let reference = client.create_customer(&customer).await.unwrap();
                client.get_customer(&Reference::Internal(reference)).await.unwrap()
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let page = gateway.rest().get("/customers/?Limit=1").await.json;
    assert_eq!(page["Pagination"]["Count"], 40);
});

/// Shutdown lets a request in flight finish, then new connections are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_in_flight_requests() {
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    let address = gateway.server.address;
    let header = gateway.rest().header();
    let body = sample_customer("IN-FLIGHT").to_string();
    let mut stream = TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /rest/6.0/customers/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Avangate-Authentication: {header}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let stopping = tokio::spawn(gateway.server.stop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    stream.write_all(&body.as_bytes()[10..]).await.unwrap();
    let answer = read_all(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "the in-flight create was cut off: {answer}");
    stopping.await.unwrap().unwrap();
    assert!(TcpStream::connect(address).await.is_err(), "new connections are refused after shutdown");
    let _: Value = json!(null);
}

/// PostgreSQL stops under a running gateway: every protocol answers with a clear
/// SERVICE_UNAVAILABLE, and the gateway recovers by itself when the database is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_and_recovery() {
    if std::env::var("TCO_SKIP_POSTGRES").as_deref() == Ok("1") {
        return;
    }
    let postgres = tco_tests::PrivatePostgres::start();
    let url = postgres.url();
    let gateway = TestGateway::start_with(Backend::Sqlite, |config| config.database = url).await.unwrap();
    let rest = gateway.rest();
    let rpc = gateway.rpc();
    let soap = gateway.soap();
    let reference = rest.post("/customers/", &sample_customer("BEFORE")).await.json.as_i64().unwrap();
    let session = rpc.login(MERCHANT_A).await;
    let soap_session = soap.login(MERCHANT_A).await;

    postgres.stop();
    let started = Instant::now();
    rest.get(&format!("/customers/{reference}/")).await.assert_error(503, "SERVICE_UNAVAILABLE");
    rpc.call("getCustomerInformation", json!([session, reference]))
        .await
        .assert_rpc_error(50003, "SERVICE_UNAVAILABLE");
    let fault = soap.call("getCustomerInformation", &format!("<sessionID>{soap_session}</sessionID><AvangateCustomerReference>{reference}</AvangateCustomerReference>")).await;
    fault.assert_fault("SERVICE_UNAVAILABLE");
    assert_eq!(fault.status, 500);
    let health = reqwest::get(format!("{}/health", gateway.url())).await.unwrap();
    assert_eq!(health.status(), 503);
    println!("outage answered on all protocols in {:?}", started.elapsed());

    postgres.resume();
    let resumed = Instant::now();
    loop {
        let reply = rest.get(&format!("/customers/{reference}/")).await;
        if reply.status == 200 {
            assert_eq!(reply.json["ExternalCustomerReference"], "BEFORE");
            break;
        }
        assert!(resumed.elapsed() < Duration::from_secs(20), "no recovery: {}", reply.text);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!("recovered {:?} after PostgreSQL came back", resumed.elapsed());
    let reply = rpc.call("getCustomerInformation", json!([session, reference])).await;
    assert_eq!(reply.json["result"]["AvangateCustomerReference"], reference, "{}", reply.text);
}

/// Issue 11, item 5: the database drops every pooled connection (a restart, a failover,
/// `pg_terminate_backend`): the very next requests succeed, reads and writes alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_killed_under_the_pool() {
    let name = format!("tco_kill_{}", std::process::id());
    let Some(gateway) = TestGateway::start_with(Backend::Postgres, |config| {
        config.database = format!("{}&application_name={name}", config.database);
    })
    .await
    else {
        return;
    };
    let rest = gateway.rest();
    let reference = rest.post("/customers/", &sample_customer("KILLED")).await.json.as_i64().unwrap();
    // Fill the pool: several requests at once, each on a connection of its own, until the pool
    // holds more than one (requests this quick may otherwise share one).
    let pooled = || {
        tco_tests::psql(&format!("SELECT count(*) FROM pg_stat_activity WHERE application_name = '{name}'"))
            .trim()
            .parse::<u32>()
            .unwrap()
    };
    for _ in 0..100 {
        let warm: Vec<_> = (0..16).map(|_| rest.get("/customers/?Limit=1")).collect();
        for reply in futures_join(warm).await {
            assert_eq!(reply.status, 200);
        }
        if pooled() >= 2 {
            break;
        }
    }
    let admin = tco_tests::psql(&format!(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{name}'"
    ));
    assert!(admin.trim().parse::<u32>().unwrap() >= 2, "killed {admin} connections");
    let started = Instant::now();
    for index in 0..10 {
        let read = rest.get(&format!("/customers/{reference}/")).await;
        assert_eq!(read.status, 200, "read {index} after the kill: {}", read.text);
        let write = rest.post("/customers/", &sample_customer(&format!("AFTER-{index}"))).await;
        assert_eq!(write.status, 200, "write {index} after the kill: {}", write.text);
        if index == 0 {
            println!(
                "first read and write after killing {} connections: {:?}",
                admin.trim(),
                started.elapsed()
            );
        }
    }
}

async fn futures_join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut outputs = Vec::new();
    let handles: Vec<_> = futures.into_iter().map(Box::pin).collect();
    for handle in handles {
        outputs.push(handle.await);
    }
    outputs
}

// Issue 11, item 7: updates racing to swap two customers' external references. Each one would
// duplicate the other's reference, so each is refused — on PostgreSQL too, where such updates
// deadlock and the store runs the losers again.
backend_test!(racing_swaps_of_external_references, |gateway| {
    let rest = gateway.rest();
    let first = rest.post("/customers/", &sample_customer("SWAP-A")).await.json.as_i64().unwrap();
    let second = rest.post("/customers/", &sample_customer("SWAP-B")).await.json.as_i64().unwrap();
    let updates: Vec<_> = (0..40)
        .map(|index| {
            let rest = rest.clone();
            let (target, taken) = if index % 2 == 0 { (first, "SWAP-B") } else { (second, "SWAP-A") };
            tokio::spawn(async move {
                let mut body = sample_customer(taken);
                body["City"] = json!(format!("Race {index}"));
                rest.put(&format!("/customers/{target}/"), &body).await
            })
        })
        .collect();
    for update in updates {
        update.await.unwrap().assert_error(400, "DUPLICATE_EXTERNAL_REFERENCE");
    }
    for (reference, external) in [(first, "SWAP-A"), (second, "SWAP-B")] {
        let stored = rest.get(&format!("/customers/{reference}/")).await.json;
        assert_eq!(stored["ExternalCustomerReference"], external);
        assert_eq!(stored["City"], "Bucharest");
    }
});

/// Issue 11, item 16: a client logging in in a loop cannot grow the session table without
/// bound; the oldest sessions go first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oldest_session_is_evicted() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(gateway) =
            TestGateway::start_with(backend, |config| config.max_sessions_per_merchant = 3).await
        else {
            continue;
        };
        let rpc = gateway.rpc();
        let mut sessions = Vec::new();
        for _ in 0..4 {
            sessions.push(rpc.login(MERCHANT_A).await);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        rpc.call("searchCustomers", json!([sessions[0]])).await.assert_rpc_error(10001, "INVALID_SESSION");
        for session in &sessions[1..] {
            let reply = rpc.call("searchCustomers", json!([session])).await;
            assert!(reply.json["result"].is_object(), "{backend:?}: {}", reply.text);
        }
        let other = rpc.login(tco_tests::MERCHANT_B).await;
        assert!(rpc.call("searchCustomers", json!([other])).await.json["result"].is_object());
    }
}

/// Issue 11, item 14: a body over the limit is answered from its `Content-Length` at once, with
/// the protocol's 413, without `100 Continue`; an ordinary client that sends it all reads the
/// answer rather than a reset connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused_from_the_header() {
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    let header = gateway.rest().header();
    for (path, content_type, extra, expect) in [
        (
            "/rest/6.0/customers/",
            "application/json",
            format!("X-Avangate-Authentication: {header}\r\n"),
            "\"error_code\":\"REQUEST_TOO_LARGE\"",
        ),
        ("/rpc/6.0/", "application/json", String::new(), "\"error_code\":\"REQUEST_TOO_LARGE\""),
        ("/soap/6.0/", "text/xml", String::new(), "<faultcode>REQUEST_TOO_LARGE</faultcode>"),
    ] {
        let mut stream = TcpStream::connect(gateway.server.address).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n{extra}Content-Length: 52428800\r\nExpect: 100-continue\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let answer = read_all(&mut stream).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert!(answer.contains(expect), "{path}: {answer}");

        let body = vec![b' '; 3 * 1024 * 1024];
        for attempt in 0..5 {
            let mut request = reqwest::Client::new()
                .post(format!("{}{path}", gateway.url()))
                .header("Content-Type", content_type)
                .body(body.clone());
            if path.starts_with("/rest") {
                request = request.header("X-Avangate-Authentication", gateway.rest().header());
            }
            let response =
                request.send().await.unwrap_or_else(|error| panic!("{path}, attempt {attempt}: {error}"));
            assert_eq!(response.status(), 413, "{path}");
            let text = response.text().await.unwrap();
            assert!(text.contains(expect), "{path}: {text}");
        }
    }
    still_serves(&gateway).await;
}

// Issue 25, item 6: clients that hang up in the middle of their writes. Each cancelled request
// gives its PostgreSQL connection back at once (rolled back, then pooled again) rather than making
// the next request open a new one: thousands of hang-ups open no more connections than the pool
// holds, and a bystander's signed writes and reads meanwhile all succeed.
backend_test!(clients_hanging_up_mid_write_starve_nobody, crate::orders::order_gateway, |gateway| {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let address = gateway.server.address;
    let rest = gateway.rest();
    let mut hangups = Vec::new();
    for worker in 0..32u64 {
        let (stop, rest) = (stop.clone(), rest.clone());
        hangups.push(tokio::spawn(async move {
            let mut sent = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let body = hangup_order(worker, sent).to_string();
                let request = format!(
                    "POST /rest/6.0/orders/ HTTP/1.1\r\nHost: {address}\r\nX-Avangate-Authentication: {}\r\n\
                     Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    rest.header(),
                    body.len()
                );
                let Ok(mut stream) = TcpStream::connect(address).await else { continue };
                let _ = stream.write_all(request.as_bytes()).await;
                // Hang up while the write is under way: 0–3 ms after sending it.
                tokio::time::sleep(Duration::from_micros((worker * 131 + sent * 977) % 3_000)).await;
                drop(stream);
                sent += 1;
            }
            sent
        }));
    }
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut index = 0;
    while started.elapsed() < Duration::from_secs(5) {
        let write = rest.post("/orders/", &hangup_order(999, index)).await;
        let read = rest.get("/orders/?Limit=1").await;
        for reply in [write, read] {
            if !reply.status.is_success() {
                failures.push(format!("{} {}", reply.status, reply.text));
            }
        }
        index += 1;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut hung_up = 0;
    for worker in hangups {
        hung_up += worker.await.unwrap();
    }
    let metrics = reqwest::get(format!("{}/metrics", gateway.url())).await.unwrap().text().await.unwrap();
    let opened: u64 = metrics
        .lines()
        .find_map(|line| line.strip_prefix("tco_store_connections_opened_total "))
        .unwrap()
        .parse()
        .unwrap();
    println!(
        "{hung_up} requests hung up mid-write; {opened} connections opened; the bystander made {index} writes and reads, {} failed",
        failures.len()
    );
    let most = u64::from(gateway.config.db_connections) * 2;
    assert!(
        opened <= most,
        "{opened} connections opened for {hung_up} hang-ups (a pool of {})",
        gateway.config.db_connections
    );
    assert!(
        failures.is_empty(),
        "{} of {} bystander calls failed: {:?}",
        failures.len(),
        index * 2,
        &failures[..failures.len().min(5)]
    );
    still_serves(&gateway).await;
});

/// An order of a book by a new buyer each time (a customer, an order and a card per write).
fn hangup_order(worker: u64, index: u64) -> Value {
    json!({"Currency": "USD", "Items": [{"Code": "BOOK", "Quantity": 1}],
        "BillingDetails": {"FirstName": "Hang", "LastName": "Up", "Email": format!("h{worker}-{index}@example.com"),
            "Address1": "1 Main St", "City": "Austin", "Zip": "73301", "CountryCode": "US"},
        "PaymentDetails": {"Type": "TEST", "Currency": "USD", "PaymentMethod": {"CardNumber": "4111111111111111",
            "ExpirationMonth": "12", "ExpirationYear": "2030", "HolderName": "Hang Up"}}})
}
