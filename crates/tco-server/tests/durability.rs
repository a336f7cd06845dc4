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
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary in `directory` and waits for the line that says where it listens.
fn start(directory: &Path, extra: &[&str]) -> Gateway {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tco-gateway"))
        .current_dir(directory)
        .args(["--listen", "127.0.0.1:0", "--log", "info"])
        .args(extra)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(start) = line.find("http://") {
                let url: String = line[start..].chars().take_while(|c| !c.is_whitespace()).collect();
                let _ = sender.send(url.trim_end_matches("/rest/6.0/").to_owned());
            }
        }
    });
    let base =
        receiver.recv_timeout(Duration::from_secs(30)).expect("the gateway did not report its address");
    Gateway { child, base }
}

fn header(code: &str, secret: &str) -> String {
    let date = chrono::Utc::now().format(DATE_FORMAT).to_string();
    let hash = sign(&SecretKey::new(secret), code, &date, HashAlgorithm::Md5);
    format!(r#"code="{code}" date="{date}" hash="{hash}""#)
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
        let output =
            Command::new("bash").arg("-c").arg(format!("set -euo pipefail\n{snippet}")).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{heading}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        for text in expected {
            assert!(stdout.contains(text), "{heading}: {text} not in {stdout}");
        }
    }
}
