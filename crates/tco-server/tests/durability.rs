//! The real `tco-gateway` binary: an acknowledged create survives `kill -9`, and the binary
//! starts on its defaults.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tco_core::{DATE_FORMAT, HashAlgorithm, SecretKey, sign};

struct Gateway {
    child: Child,
    base: String,
    /// Everything the gateway wrote to stderr so far.
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary in `directory` and waits for the line that says where it listens.
fn start(directory: &Path, extra: &[&str]) -> Gateway {
    start_logging(directory, extra, "info")
}

fn start_logging(directory: &Path, extra: &[&str], log_filter: &str) -> Gateway {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tco-gateway"))
        .current_dir(directory)
        .args(["--listen", "127.0.0.1:0", "--log", log_filter])
        .args(extra)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let collected = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            collected.lock().unwrap().push_str(&format!("{line}\n"));
            if let Some(start) = line.find("http://") {
                let url: String = line[start..].chars().take_while(|c| !c.is_whitespace()).collect();
                let _ = sender.send(url.trim_end_matches("/rest/6.0/").to_owned());
            }
        }
    });
    let base =
        receiver.recv_timeout(Duration::from_secs(30)).expect("the gateway did not report its address");
    Gateway { child, base, log }
}

fn header(code: &str, secret: &str) -> String {
    let date = chrono::Utc::now().format(DATE_FORMAT).to_string();
    let hash = sign(&SecretKey::new(secret), code, &date, HashAlgorithm::Md5);
    format!(r#"code="{code}" date="{date}" hash="{hash}""#)
}

/// A signed GET as the DURABLE merchant, answered with JSON.
async fn get_json(client: &reqwest::Client, url: String) -> Value {
    let reply = client
        .get(url)
        .header("X-Avangate-Authentication", header("DURABLE", "secret"))
        .send()
        .await
        .unwrap();
    reply.json().await.unwrap()
}

fn customer(index: usize) -> Value {
    json!({
        "ExternalCustomerReference": format!("DURABLE-{index}"),
        "FirstName": "Dura", "LastName": format!("Ble {index}"), "Address1": "1 Disk Lane",
        "City": "Fsync", "Zip": "00000", "CountryCode": "DE", "Email": format!("d{index}@example.com"),
    })
}

#[tokio::test]
async fn acknowledged_creates_survive_kill_9() {
    let directory = tempfile::tempdir().unwrap();
    let merchant = ["--merchant", "DURABLE:secret"];
    let client = reqwest::Client::new();
    let mut acknowledged = Vec::new();
    {
        let mut gateway = start(directory.path(), &merchant);
        for index in 0..25 {
            let reply = client
                .post(format!("{}/rest/6.0/customers/", gateway.base))
                .header("X-Avangate-Authentication", header("DURABLE", "secret"))
                .json(&customer(index))
                .send()
                .await
                .unwrap();
            assert_eq!(reply.status(), 200);
            acknowledged.push((index, reply.json::<i64>().await.unwrap()));
        }
        // SIGKILL: no shutdown, no flush beyond what each commit already did.
        gateway.child.kill().unwrap();
        gateway.child.wait().unwrap();
    }
    let gateway = start(directory.path(), &merchant);
    for (index, reference) in acknowledged {
        let reply = client
            .get(format!("{}/rest/6.0/customers/{reference}/", gateway.base))
            .header("X-Avangate-Authentication", header("DURABLE", "secret"))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200, "customer {reference} lost");
        let body: Value = reply.json().await.unwrap();
        assert_eq!(body["ExternalCustomerReference"], format!("DURABLE-{index}"));
        assert_eq!(body["LastName"], format!("Ble {index}"));
        assert_eq!(body["CountryCode"], "de");
    }
}

#[tokio::test]
async fn starts_on_defaults_with_the_demo_merchant() {
    let directory = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let gateway = start(directory.path(), &[]);
    let reply = reqwest::Client::new()
        .get(format!("{}/rest/6.0/customers/", gateway.base))
        .header("X-Avangate-Authentication", header("TCODEMO", "tco-demo-secret"))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert!(directory.path().join("data/tco-gateway.db").exists(), "the default SQLite file under ./data/");
    eprintln!("started and served in {:?}", started.elapsed());
}

/// `tco-gateway generate` (issue 28's data generator) adds orders, customers and subscriptions a
/// gateway then serves and counts, twice on one file (buyers numbered on), on the default database.
#[tokio::test]
async fn generated_orders_are_served_and_counted() {
    let directory = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let status = Command::new(env!("CARGO_BIN_EXE_tco-gateway"))
            .current_dir(directory.path())
            .args(["generate", "--orders", "1500", "--days", "10"])
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let gateway = start(directory.path(), &[]);
    let client = reqwest::Client::new();
    let get = |path: &str| {
        client
            .get(format!("{}/rest/6.0{path}", gateway.base))
            .header("X-Avangate-Authentication", header("TCODEMO", "tco-demo-secret"))
            .send()
    };
    let count = |value: Value| value["Pagination"]["Count"].as_u64().unwrap();
    // The demo data's four orders (and three subscriptions) beside the 3,000.
    let orders: Value = get("/orders/?Newer=2000-01-01&Limit=1").await.unwrap().json().await.unwrap();
    assert_eq!(count(orders), 3_004);
    let week: Value = get("/orders/?Limit=1").await.unwrap().json().await.unwrap();
    assert!((1_900..=2_200).contains(&count(week.clone())), "the last 7 of 10 days: {week}");
    let customers: Value = get("/customers/?Limit=1").await.unwrap().json().await.unwrap();
    assert!(count(customers) >= 3_000);
    let buyer: Value = get("/customers/?Email=buyer2999@example.com").await.unwrap().json().await.unwrap();
    assert_eq!(buyer["Items"][0]["ExternalCustomerReference"], "GEN-2999");
    let subscriptions: Value =
        get("/subscriptions/?CustomerEmail=buyer2999@example.com&ExactMatchEmail=true")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(subscriptions["Items"][0]["Product"]["ProductCode"], "my_subscription_1", "{subscriptions}");
}

/// Two gateways on one SQLite file would each cache what the other changes: the second refuses to
/// start, and says why.
/// `tco-gateway snapshot` writes a stopped gateway's merchant as a data file a fresh gateway
/// starts from (`--fixtures`), with the same orders and no secret.
#[tokio::test]
async fn a_snapshot_of_a_stopped_gateway_starts_another() {
    let first = tempfile::tempdir().unwrap();
    drop(start(first.path(), &[]));
    let file = first.path().join("snapshot.json");
    let status = Command::new(env!("CARGO_BIN_EXE_tco-gateway"))
        .current_dir(first.path())
        .args(["snapshot", "--database", "data/tco-gateway.db", "--merchant", "TCODEMO", "--out"])
        .arg(&file)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("tco-demo-secret") && !text.contains("4111111111111111"), "no secret in the file");
    let second = tempfile::tempdir().unwrap();
    let gateway = start(second.path(), &["--fixtures", file.to_str().unwrap()]);
    let client = reqwest::Client::new();
    let order: Value = client
        .get(format!("{}/rest/6.0/orders/670175000/", gateway.base))
        .header("X-Avangate-Authentication", header("TCODEMO", "tco-demo-secret"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(order["RefNo"], "670175000", "{order}");
}

#[tokio::test]
async fn a_second_gateway_on_the_same_sqlite_file_refuses_to_start() {
    let directory = tempfile::tempdir().unwrap();
    let _first = start(directory.path(), &[]);
    let second = Command::new(env!("CARGO_BIN_EXE_tco-gateway"))
        .current_dir(directory.path())
        .args(["--listen", "127.0.0.1:0"])
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(!second.status.success());
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("is used by another tco-gateway"), "{said}");
}

/// The README's shell snippets (REST and JSON-RPC with curl), run as they are printed, against
/// the binary on its defaults.
#[tokio::test]
async fn the_readme_snippets_work() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let directory = tempfile::tempdir().unwrap();
    let gateway = start(directory.path(), &[]);
    for (heading, expected) in [
        ("## Try it with curl", ["created customer 1", "\"CountryCode\":\"us\""]),
        ("## JSON-RPC", ["\"result\":1", "\"jsonrpc\":\"2.0\""]),
    ] {
        let section = &readme[readme.find(heading).unwrap_or_else(|| panic!("no {heading} in README.md"))..];
        let start = section.find("```sh\n").unwrap() + "```sh\n".len();
        let snippet = &section[start..start + section[start..].find("```").unwrap()];
        let snippet = snippet.replace("http://127.0.0.1:8080", &gateway.base);
        // `tco-gateway sign` is the binary under test; the snippet's `target/release` is not there.
        let binaries = Path::new(env!("CARGO_BIN_EXE_tco-gateway")).parent().unwrap();
        let path = format!("{}:{}", binaries.display(), std::env::var("PATH").unwrap_or_default());
        let output = Command::new("bash")
            .arg("-c")
            .arg(format!("set -euo pipefail\n{snippet}"))
            .current_dir(directory.path())
            .env("PATH", path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{heading}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        for text in expected {
            assert!(stdout.contains(text), "{heading}: {text} not in {stdout}");
        }
    }
}

/// A full flow over every protocol with every log level on: no secret key, hash, session id,
/// SSO token or card token appears in the log.
#[tokio::test]
async fn secrets_never_reach_the_log() {
    let directory = tempfile::tempdir().unwrap();
    let fixtures = directory.path().join("fixtures.json");
    let card_token = "card-token-4b1d";
    std::fs::write(
        &fixtures,
        json!([{"ExternalCustomerReference": "LOG-1", "FirstName": "Lo", "LastName": "Gg", "Address1": "1",
                "City": "C", "Zip": "1", "CountryCode": "US", "Email": "log@example.com",
                "ExistingCards": [{"CardType": "visa", "LastDigits": "1111", "ExpirationMonth": "1",
                                   "ExpirationYear": "2031", "NameOnCard": "Lo", "TransientToken": {"Token": card_token}}]}])
        .to_string(),
    )
    .unwrap();
    let secret = "s3cr3t-k3y-never-logged";
    let merchant = format!("LOGS:{secret}");
    let fixtures = fixtures.display().to_string();
    let gateway =
        start_logging(directory.path(), &["--merchant", &merchant, "--fixtures", &fixtures], "trace");
    let client = reqwest::Client::new();
    let mut secrets = vec![secret.to_owned(), card_token.to_owned()];

    // REST: the header's hash.
    let rest_header = header("LOGS", secret);
    secrets.push(rest_header.split("hash=\"").nth(1).unwrap().trim_end_matches('"').to_owned());
    let read = client
        .get(format!("{}/rest/6.0/customers/LOG-1/", gateway.base))
        .header("X-Avangate-Authentication", &rest_header)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);

    // JSON-RPC: login hash, session id, SSO token.
    let date = chrono::Utc::now().format(DATE_FORMAT).to_string();
    let hash = sign(&SecretKey::new(secret), "LOGS", &date, HashAlgorithm::Md5);
    secrets.push(hash.clone());
    let rpc = |body: Value| client.post(format!("{}/rpc/6.0/", gateway.base)).json(&body).send();
    let login: Value =
        rpc(json!({"jsonrpc": "2.0", "id": 1, "method": "login", "params": ["LOGS", date, hash]}))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let session = login["result"].as_str().unwrap().to_owned();
    secrets.push(session.clone());
    let link: Value = rpc(json!({"jsonrpc": "2.0", "id": 2, "method": "getSingleSignOnInCart", "params": [session, "LOG-1", "ExternalCustomerReference", "https://x.example/"]})).await.unwrap().json().await.unwrap();
    let token = link["result"].as_str().unwrap().rsplit_once("logintoken=").unwrap().1.to_owned();
    secrets.push(token.clone());
    let by_token: Value = rpc(json!({"jsonrpc": "2.0", "id": 3, "method": "getCustomerInformationBySSOToken", "params": [session, token]})).await.unwrap().json().await.unwrap();
    assert_eq!(by_token["result"]["ExistingCards"][0]["TransientToken"]["Token"], card_token);

    // SOAP: login hash (sha256) and session id.
    let hash256 = sign(&SecretKey::new(secret), "LOGS", &date, HashAlgorithm::Sha256);
    secrets.push(hash256.clone());
    let envelope = format!(
        r#"<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><login xmlns=""><a>LOGS</a><b>{date}</b><c>{hash256}</c><d>sha256</d></login></Body></Envelope>"#
    );
    let soap = client
        .post(format!("{}/soap/6.0/", gateway.base))
        .header("Content-Type", "text/xml")
        .body(envelope)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let soap_session = soap.split("<return>").nth(1).unwrap().split("</return>").next().unwrap().to_owned();
    secrets.push(soap_session);

    // REST: delete the card by its token.
    let deleted = client
        .delete(format!("{}/rest/6.0/customers/LOG-1/credit-card/{card_token}", gateway.base))
        .header("X-Avangate-Authentication", header("LOGS", secret))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = gateway.log.lock().unwrap().clone();
    assert!(log.lines().count() > 10, "trace logging produced too little to be a real test:\n{log}");
    assert!(log.contains("createCustomer") || log.contains("getCustomerInformation"), "{log}");
    for secret in secrets {
        let leak: Vec<&str> = log.lines().filter(|line| line.contains(&secret)).take(3).collect();
        assert!(leak.is_empty(), "the log contains a secret ({}…):\n{}", &secret[..6], leak.join("\n"));
    }
}

/// `kill -9` in the middle of a concurrent write load: after a restart every acknowledged create
/// is there, complete, and nothing half-written is.
async fn kill_during_writes(directory: &Path, database: &str) {
    let merchant = ["--merchant", "DURABLE:secret", "--database", database];
    let mut gateway = start(directory, &merchant);
    let base = gateway.base.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (base, stop) = (base.clone(), stop.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut acknowledged = Vec::new();
                let mut index = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let number = writer * 100_000 + index;
                    index += 1;
                    let sent = client
                        .post(format!("{base}/rest/6.0/customers/"))
                        .header("X-Avangate-Authentication", header("DURABLE", "secret"))
                        .json(&customer(number))
                        .send()
                        .await;
                    match sent {
                        Ok(reply) if reply.status() == 200 => {
                            if let Ok(reference) = reply.json::<i64>().await {
                                acknowledged.push((number, reference));
                            }
                        }
                        _ => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    gateway.child.kill().unwrap();
    gateway.child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(
        acknowledged.len() > 20,
        "too few writes before the kill to test anything: {}",
        acknowledged.len()
    );

    let gateway = start(directory, &merchant);
    let client = reqwest::Client::new();
    let all = get_json(&client, format!("{}/rest/6.0/customers/?Limit=200&Page=1", gateway.base)).await;
    let stored = all["Pagination"]["Count"].as_u64().unwrap() as usize;
    // Every acknowledged create survived; at most the in-flight ones (one per writer) may have
    // committed without their answer arriving.
    let acknowledged_count = acknowledged.len();
    assert!(
        stored >= acknowledged_count && stored <= acknowledged_count + 8,
        "{stored} stored, {acknowledged_count} acknowledged"
    );
    for (number, reference) in acknowledged {
        let body = get_json(&client, format!("{}/rest/6.0/customers/{reference}/", gateway.base)).await;
        assert_eq!(body["ExternalCustomerReference"], format!("DURABLE-{number}"), "customer {reference}");
        assert_eq!(body["LastName"], format!("Ble {number}"));
        assert_eq!(body["Email"], format!("d{number}@example.com"));
    }
    println!(
        "kill -9 during writes ({}): {} acknowledged creates, {stored} stored, all complete",
        if database.starts_with("postgres") { "PostgreSQL" } else { "SQLite" },
        acknowledged_count
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_writes_sqlite() {
    let directory = tempfile::tempdir().unwrap();
    kill_during_writes(directory.path(), "data/load.db").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_writes_postgres() {
    let Some(tco_store::DatabaseLocation::Postgres(url)) =
        tco_store::testing::fresh_postgres_location().await.unwrap()
    else {
        return;
    };
    let directory = tempfile::tempdir().unwrap();
    kill_during_writes(directory.path(), &url).await;
}

/// Mounts a tmpfs of `size` at `path`; `None` (with the reason printed) where that cannot be done.
fn mount_tmpfs(path: &Path, size: &str) -> Option<TmpfsMount> {
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(path)
        .output();
    match mounted {
        Ok(output) if output.status.success() => Some(TmpfsMount(path.to_owned())),
        Ok(output) => {
            eprintln!(
                "SKIPPED: cannot mount a tmpfs (needs root): {}",
                String::from_utf8_lossy(&output.stderr)
            );
            None
        }
        Err(error) => {
            eprintln!("SKIPPED: cannot run mount: {error}");
            None
        }
    }
}

struct TmpfsMount(std::path::PathBuf);

impl Drop for TmpfsMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// POSTs a customer and returns the status and, on success, the new reference.
async fn create(client: &reqwest::Client, base: &str, body: &Value) -> (u16, Option<i64>, String) {
    let reply = client
        .post(format!("{base}/rest/6.0/customers/"))
        .header("X-Avangate-Authentication", header("DURABLE", "secret"))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = reply.status().as_u16();
    let text = reply.text().await.unwrap();
    (status, text.parse().ok().filter(|_| status == 200), text)
}

// Issue 11, item 1: with the disk full, writes get 503 and reads keep working; once space
// returns, every acknowledged create is stored and survives kill -9.
#[tokio::test]
async fn a_full_disk_loses_no_acknowledged_write() {
    let directory = tempfile::tempdir().unwrap();
    let Some(_mount) = mount_tmpfs(directory.path(), "3m") else { return };
    let ballast = directory.path().join("ballast");
    std::fs::write(&ballast, vec![0u8; 768 * 1024]).unwrap();
    let merchant = ["--merchant", "DURABLE:secret", "--database", "db/gateway.db"];
    let client = reqwest::Client::new();
    let mut acknowledged = Vec::new();
    let mut gateway = start(directory.path(), &merchant);
    let padded = |index: usize| {
        let mut body = customer(index);
        body["Address2"] = json!("x".repeat(250));
        body
    };
    let mut full = None;
    for index in 0..20_000 {
        let (status, reference, text) = create(&client, &gateway.base, &padded(index)).await;
        match reference {
            Some(reference) => acknowledged.push((index, reference)),
            None => {
                full = Some((status, text));
                break;
            }
        }
    }
    let (status, text) = full.expect("the disk never filled up");
    let before_full = acknowledged.len();
    assert_eq!(status, 503, "a full disk is a temporary unavailability: {text}");
    assert!(text.contains("SERVICE_UNAVAILABLE"), "{text}");
    // Reads keep working while writes cannot.
    let (index, reference) = acknowledged[0];
    let read = get_json(&client, format!("{}/rest/6.0/customers/{reference}/", gateway.base)).await;
    assert_eq!(read["ExternalCustomerReference"], format!("DURABLE-{index}"), "{read}");
    let (status, _, text) = create(&client, &gateway.base, &padded(99_999)).await;
    assert_eq!(status, 503, "{text}");

    // Space comes back: writes succeed again, each acknowledged one stored.
    std::fs::remove_file(&ballast).unwrap();
    for index in 100_000..100_010 {
        let (status, reference, text) = create(&client, &gateway.base, &padded(index)).await;
        assert_eq!(status, 200, "after space returned: {text}");
        acknowledged.push((index, reference.unwrap()));
    }
    gateway.child.kill().unwrap();
    gateway.child.wait().unwrap();

    let gateway = start(directory.path(), &merchant);
    println!(
        "disk full after {before_full} creates (503 while full, reads 200); {} acknowledged in all, checked after kill -9",
        acknowledged.len()
    );
    for (index, reference) in &acknowledged {
        let read = get_json(&client, format!("{}/rest/6.0/customers/{reference}/", gateway.base)).await;
        assert_eq!(
            read["ExternalCustomerReference"],
            format!("DURABLE-{index}"),
            "customer {reference} lost"
        );
    }
}

/// The peak resident memory of a process, in KiB (`VmHWM`).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

// Issue 11, item 2: an unauthenticated SOAP body whose multiRefs reference the previous level
// twice, 30 levels deep, costs the gateway a few times its size in memory, not gigabytes.
#[tokio::test]
async fn multi_ref_bombs_cost_little_memory() {
    let directory = tempfile::tempdir().unwrap();
    let gateway = start(directory.path(), &[]);
    let client = reqwest::Client::new();
    let mut body = format!(
        r##"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns1:createCustomer xmlns:ns1="urn:order"><sessionID>x</sessionID><Customer href="#r30"/></ns1:createCustomer><multiRef id="r0"><FirstName>{}</FirstName></multiRef>"##,
        "x".repeat(100_000)
    );
    for level in 1..=30 {
        let previous = level - 1;
        body += &format!(
            r##"<multiRef id="r{level}"><a href="#r{previous}"/><b href="#r{previous}"/></multiRef>"##
        );
    }
    body += "</S:Body></S:Envelope>";
    let size = body.len();
    // Warm up: the first request allocates what every request needs.
    client.get(format!("{}/health", gateway.base)).send().await.unwrap();
    let before = peak_rss_kib(gateway.child.id());
    let started = Instant::now();
    let reply = client
        .post(format!("{}/soap/6.0/", gateway.base))
        .header("Content-Type", "text/xml")
        .body(body)
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    let text = reply.text().await.unwrap();
    assert!(text.contains("<faultcode>MALFORMED_REQUEST</faultcode>"), "{text}");
    let grown = (peak_rss_kib(gateway.child.id()) - before) * 1024;
    println!("multiRef bomb: {size} bytes in, peak memory +{grown} bytes, answered in {took:?}");
    assert!(grown < 20 * size as u64, "peak memory grew by {grown} bytes for a {size}-byte body");
}

/// The resident memory of a process now, in KiB (`VmRSS`).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

// Issue 25, item 5: 1,000 creates with a 1,000,000-character FirstName, each refused, once left
// the process at ~1 GB: the journal's cut values kept their whole buffers. Now the journal's memory
// is what it counts, and RSS comes back to within 50 MB of where it started.
#[tokio::test]
async fn refused_bodies_do_not_keep_their_memory() {
    let directory = tempfile::tempdir().unwrap();
    let gateway = start(directory.path(), &["--merchant", "DURABLE:secret"]);
    let client = reqwest::Client::new();
    let url = format!("{}/rest/6.0/customers/", gateway.base);
    let mut huge = customer(0);
    huge["FirstName"] = json!("x".repeat(1_000_000));
    let body = huge.to_string();
    // Warm up: what every request needs is allocated once.
    for _ in 0..5 {
        client.get(format!("{}/health", gateway.base)).send().await.unwrap();
    }
    let before = rss_kib(gateway.child.id());
    for _ in 0..1000 {
        let reply = client
            .post(&url)
            .header("X-Avangate-Authentication", header("DURABLE", "secret"))
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 400);
    }
    let after = rss_kib(gateway.child.id());
    let grown = after.saturating_sub(before) / 1024;
    println!("1,000 refused 1 MB creates: RSS {before} KiB before, {after} KiB after (+{grown} MB)");
    assert!(grown < 50, "RSS grew by {grown} MB");
}

/// A listener answering every IPN with a valid SHA-256 receipt for the demo merchant, counting
/// what it received (`ORDERSTATUS` of each message).
async fn receipt_listener(
    listener: tokio::net::TcpListener,
) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = received.clone();
    let app = axum::Router::new().route(
        "/ipn",
        axum::routing::post(move |axum::Form(fields): axum::Form<Vec<(String, String)>>| {
            let seen = seen.clone();
            async move {
                let status =
                    fields.iter().find(|(name, _)| name == "ORDERSTATUS").map(|(_, value)| value.clone());
                seen.lock().unwrap().push(status.unwrap_or_default());
                let date = chrono::Utc::now().format("%Y%m%d%H%M%S").to_string();
                let secret = SecretKey::new("tco-demo-secret");
                tco_notify::expected_receipt(
                    &secret,
                    tco_core::NotificationKind::Ipn,
                    &fields,
                    &date,
                    HashAlgorithm::Sha256,
                )
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    received
}

async fn admin_json(client: &reqwest::Client, method: reqwest::Method, url: String, body: Value) -> Value {
    let reply = client.request(method, url).json(&body).send().await.unwrap();
    assert!(reply.status().is_success(), "{}", reply.text().await.unwrap());
    reply.json().await.unwrap()
}

async fn wait_for_ipn(client: &reqwest::Client, base: &str, state: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let list: Value = client
            .get(format!("{base}/_admin/notifications?kind=ipn"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let list = list.as_array().unwrap().clone();
        if !list.is_empty() && list.iter().all(|delivery| delivery["state"] == state) {
            return Value::Array(list);
        }
        assert!(Instant::now() < deadline, "no IPN got to {state}: {list:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// An IPN that could not be delivered when the gateway was killed is delivered after the restart.
async fn pending_ipn_survives_kill_9(directory: &Path, database: &str) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let arguments = ["--database", database, "--order-completion-secs", "0"];
    let client = reqwest::Client::new();
    let mut gateway = start(directory, &arguments);
    let url = format!("{}/_admin/merchants/TCODEMO/notifications", gateway.base);
    admin_json(&client, reqwest::Method::PUT, url, json!({"ipn": [format!("http://127.0.0.1:{port}/ipn")]}))
        .await;
    let order = json!({"Currency": "USD", "Language": "en", "Items": [{"Code": "74B8E17CC0", "Quantity": 1}],
        "BillingDetails": {"FirstName": "Kill", "LastName": "Nine", "Email": "kill9@example.com", "Address1": "1 Crash Lane",
            "City": "Berlin", "Zip": "10115", "CountryCode": "DE"},
        "PaymentDetails": {"Type": "TEST", "Currency": "USD", "PaymentMethod": {"CardNumber": "4111111111111111",
            "ExpirationMonth": "12", "ExpirationYear": "2030", "CCID": "123", "HolderName": "Kill Nine"}}});
    let placed = client
        .post(format!("{}/rest/6.0/orders/", gateway.base))
        .header("X-Avangate-Authentication", header("TCODEMO", "tco-demo-secret"))
        .json(&order)
        .send()
        .await
        .unwrap();
    assert_eq!(placed.status(), 201);
    // Nobody listens yet: both messages (authorized, completed) fail their first attempt.
    let failing = wait_for_ipn(&client, &gateway.base, "failing").await;
    assert_eq!(failing.as_array().unwrap().len(), 2);
    gateway.child.kill().unwrap();
    gateway.child.wait().unwrap();

    let received = receipt_listener(tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap()).await;
    let gateway = start(directory, &arguments);
    // The second attempt is due 150 s after the first: the gateway's clock goes there.
    let clock = format!("{}/_admin/clock", gateway.base);
    admin_json(&client, reqwest::Method::POST, clock.clone(), json!({"advance": "3m"})).await;
    let delivered = wait_for_ipn(&client, &gateway.base, "delivered").await;
    for delivery in delivered.as_array().unwrap() {
        assert_eq!(delivery["attempts"].as_array().unwrap().len(), 2, "{delivery}");
    }
    assert_eq!(*received.lock().unwrap(), ["PAYMENT_AUTHORIZED", "COMPLETE"]);
    client.delete(clock).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_ipn_is_delivered_after_kill_9_sqlite() {
    let directory = tempfile::tempdir().unwrap();
    pending_ipn_survives_kill_9(directory.path(), "data/ipn.db").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_ipn_is_delivered_after_kill_9_postgres() {
    let Some(tco_store::DatabaseLocation::Postgres(url)) =
        tco_store::testing::fresh_postgres_location().await.unwrap()
    else {
        return;
    };
    let directory = tempfile::tempdir().unwrap();
    pending_ipn_survives_kill_9(directory.path(), &url).await;
}
