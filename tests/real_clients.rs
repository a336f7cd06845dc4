//! Third-party clients run the vendor's sample flows against a real gateway: PHP (curl with the
//! vendor's `callRPC` helper, and `SoapClient`) and Python (requests + jsonrpcclient, and zeep in
//! strict mode, offline). `scripts/test.sh` installs them (Debian's php-cli, php-curl and
//! php-soap; a virtualenv named by `TCO_PYTHON`); without them these tests fail and say so,
//! unless `TCO_SKIP_EXTERNAL_CLIENTS=1` skips them knowingly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use tco_tests::{Backend, MERCHANT_A, TestGateway};
use tokio::process::Command;

fn skipped() -> bool {
    std::env::var("TCO_SKIP_EXTERNAL_CLIENTS").as_deref() == Ok("1")
}

fn client(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients").join(name).display().to_string()
}

fn python() -> String {
    std::env::var("TCO_PYTHON").unwrap_or_else(|_| {
        panic!("TCO_PYTHON is not set: run scripts/test.sh, which prepares a virtualenv with the clients")
    })
}

/// Runs a client program against `gateway` and fails the test with its output if it fails.
async fn run(gateway: &TestGateway, program: &str, script: &str) {
    let (code, secret) = MERCHANT_A;
    let output = Command::new(program)
        .arg(client(script))
        .env("TCO_URL", gateway.url())
        .env("TCO_RPC_URL", format!("{}/rpc/6.0/", gateway.url()))
        .env("TCO_MERCHANT_CODE", code)
        .env("TCO_MERCHANT_SECRET", secret)
        .output()
        .await
        .unwrap_or_else(|error| panic!("cannot run {program} (run scripts/test.sh to install it): {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "{script} failed:\n{stdout}\n{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_curl_runs_the_vendor_jsonrpc_flow() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, "php", "jsonrpc_flow.php").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_jsonrpcclient_runs_the_flow_and_a_batch() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, &python(), "jsonrpc_flow.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_soapclient_runs_the_vendor_soap_flow() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, "php", "soap_flow.php").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_zeep_runs_the_soap_flow_strictly_offline() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, &python(), "soap_flow.py").await;
}

/// The README's PHP example (examples/php/soap.php), against a gateway serving the demo merchant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_php_soap_example_works() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start_with(Backend::Sqlite, |config| {
        config.merchants = tco_server::Config::default().merchants;
    })
    .await
    .unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let example = root.join("examples/php/soap.php");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for line in std::fs::read_to_string(&example).unwrap().lines().filter(|line| line.contains("$client")) {
        assert!(readme.contains(line.trim()), "README.md does not show the example line {line:?}");
    }
    let output = Command::new("php").arg(&example).env("TCO_URL", gateway.url()).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("created customer 1") && stdout.contains(r#"string(2) "us""#), "{stdout}");
}
