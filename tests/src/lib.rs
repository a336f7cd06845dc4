//! `tco-tests` drives tco-gateway from the outside: a real server on a loopback port (the
//! same `tco_server::spawn` the binary uses), real HTTP, against SQLite and PostgreSQL.
//!
//! It may depend on every crate of the workspace, and nothing depends on it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod postgres;

pub use postgres::PrivatePostgres;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tco_core::{DATE_FORMAT, HashAlgorithm, SecretKey, sign};
use tco_server::{Config, RunningServer};
use tco_store::testing;

/// A client of `gateway` over `protocol`, as the merchant `(code, secret)`.
pub fn client(
    gateway: &TestGateway,
    protocol: tco_client::Protocol,
    (code, secret): (&str, &str),
) -> std::sync::Arc<dyn tco_client::Api> {
    use tco_client::{Credentials, JsonRpcClient, Protocol, RestClient, SoapClient};
    let credentials = Credentials::new(code, secret);
    match protocol {
        Protocol::Rest => std::sync::Arc::new(RestClient::new(&gateway.url(), credentials).unwrap()),
        Protocol::JsonRpc => std::sync::Arc::new(JsonRpcClient::new(&gateway.url(), credentials)),
        Protocol::Soap => std::sync::Arc::new(SoapClient::new(&gateway.url(), credentials)),
    }
}

/// A client of `protocol` that reports `INVALID_SESSION` and `SESSION_EXPIRED` rather than
/// logging in again, for tests of what ends sessions.
pub fn client_without_relogin(
    gateway: &TestGateway,
    protocol: tco_client::Protocol,
    (code, secret): (&str, &str),
) -> std::sync::Arc<dyn tco_client::Api> {
    use tco_client::{Credentials, JsonRpcClient, Protocol, SoapClient};
    let credentials = Credentials::new(code, secret);
    match protocol {
        Protocol::Rest => client(gateway, protocol, (code, secret)),
        Protocol::JsonRpc => {
            std::sync::Arc::new(JsonRpcClient::new(&gateway.url(), credentials).without_relogin())
        }
        Protocol::Soap => std::sync::Arc::new(SoapClient::new(&gateway.url(), credentials).without_relogin()),
    }
}

/// Runs one scenario body over each protocol and store, as merchant A:
/// `name::{rest,jsonrpc,soap}_{sqlite,postgres}`.
#[macro_export]
macro_rules! parity_test {
    ($name:ident, |$gateway:ident, $client:ident| $body:block) => {
        $crate::parity_test!($name, $crate::TestGateway::start, |$gateway, $client| $body);
    };
    // `$start`: an async function from the backend to the gateway to run against.
    ($name:ident, $start:path, |$gateway:ident, $client:ident| $body:block) => {
        mod $name {
            use super::*;

            async fn body($gateway: $crate::TestGateway, $client: std::sync::Arc<dyn tco_client::Api>) $body

            async fn run(protocol: tco_client::Protocol, backend: $crate::Backend) {
                let Some(gateway) = $start(backend).await else { return };
                let client = $crate::client(&gateway, protocol, $crate::MERCHANT_A);
                body(gateway, client).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn rest_sqlite() { run(tco_client::Protocol::Rest, $crate::Backend::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn jsonrpc_sqlite() { run(tco_client::Protocol::JsonRpc, $crate::Backend::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn soap_sqlite() { run(tco_client::Protocol::Soap, $crate::Backend::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn rest_postgres() { run(tco_client::Protocol::Rest, $crate::Backend::Postgres).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn jsonrpc_postgres() { run(tco_client::Protocol::JsonRpc, $crate::Backend::Postgres).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn soap_postgres() { run(tco_client::Protocol::Soap, $crate::Backend::Postgres).await }
        }
    };
}

pub const MERCHANT_A: (&str, &str) = ("MERCHANT_A", "secret-a");
pub const MERCHANT_B: (&str, &str) = ("MERCHANT_B", "secret-b");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A gateway on a loopback port with a database of its own.
#[derive(Debug)]
pub struct TestGateway {
    pub server: RunningServer,
    pub config: Config,
    /// The clock the test moves, for a gateway started on one.
    pub clock: Option<std::sync::Arc<tco_core::ManualClock>>,
    _directory: tempfile::TempDir,
}

impl TestGateway {
    /// Starts a gateway serving merchants A and B. `None` only when the PostgreSQL tests are
    /// deliberately skipped (`TCO_SKIP_POSTGRES=1`).
    pub async fn start(backend: Backend) -> Option<Self> {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<Self> {
        Self::start_on_clock(backend, adjust, None, None).await
    }

    /// A gateway whose clock the test moves; it starts at the current time, so signed requests
    /// are accepted until it is moved far.
    pub async fn start_with_manual_clock(
        backend: Backend,
    ) -> Option<(Self, std::sync::Arc<tco_core::ManualClock>)> {
        let clock = std::sync::Arc::new(tco_core::ManualClock::new(chrono::Utc::now()));
        let gateway = Self::start_on_clock(backend, |_| {}, Some(clock.clone()), None).await?;
        Some((gateway, clock))
    }

    /// A gateway loading `data` as its data file, on a clock the test moves
    /// ([`TestGateway::clock`]).
    pub async fn start_with_data(
        backend: Backend,
        data: &serde_json::Value,
        adjust: impl FnOnce(&mut Config),
    ) -> Option<Self> {
        let clock = std::sync::Arc::new(tco_core::ManualClock::new(chrono::Utc::now()));
        Self::start_on_clock(backend, adjust, Some(clock), Some(data)).await
    }

    async fn start_on_clock(
        backend: Backend,
        adjust: impl FnOnce(&mut Config),
        manual: Option<std::sync::Arc<tco_core::ManualClock>>,
        data: Option<&serde_json::Value>,
    ) -> Option<Self> {
        let directory = tempfile::tempdir().unwrap();
        let fixtures = data.map(|data| {
            let path = directory.path().join("data.json");
            std::fs::write(&path, data.to_string()).unwrap();
            path
        });
        let database = match backend {
            Backend::Sqlite => directory.path().join("gateway.db").display().to_string(),
            Backend::Postgres => match testing::fresh_postgres_location().await.unwrap()? {
                tco_store::DatabaseLocation::Postgres(url) => url,
                tco_store::DatabaseLocation::Sqlite(_) => unreachable!(),
            },
        };
        let mut config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database,
            merchants: [MERCHANT_A, MERCHANT_B]
                .map(|(code, secret)| tco_core::Merchant::new(code, secret))
                .to_vec(),
            fixtures,
            ..Config::default()
        };
        adjust(&mut config);
        let clock: std::sync::Arc<dyn tco_core::Clock> = match &manual {
            Some(manual) => manual.clone(),
            None => std::sync::Arc::new(tco_core::SystemClock),
        };
        let server = tco_server::spawn_with_clock(&config, clock).await.unwrap();
        Some(TestGateway { server, config, clock: manual, _directory: directory })
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// A REST client signing as merchant A.
    pub fn rest(&self) -> Rest {
        self.rest_as(MERCHANT_A)
    }

    pub fn rest_as(&self, (code, secret): (&str, &str)) -> Rest {
        Rest {
            client: reqwest::Client::new(),
            base: format!("{}/rest/6.0", self.url()),
            code: code.into(),
            secret: secret.into(),
            algo: HashAlgorithm::Md5,
        }
    }
}

/// Runs one async test body against SQLite and against PostgreSQL, each its own test.
#[macro_export]
macro_rules! backend_test {
    // `$start`: an async function from the backend to the gateway to run against.
    ($name:ident, $start:path, |$gateway:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($gateway: $crate::TestGateway) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                body($start($crate::Backend::Sqlite).await.unwrap()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(gateway) = $start($crate::Backend::Postgres).await {
                    body(gateway).await;
                }
            }
        }
    };
    ($name:ident, |$gateway:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($gateway: $crate::TestGateway) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                body($crate::TestGateway::start($crate::Backend::Sqlite).await.unwrap()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(gateway) = $crate::TestGateway::start($crate::Backend::Postgres).await {
                    body(gateway).await;
                }
            }
        }
    };
}

/// The current UTC time in the vendor's format.
pub fn now_date() -> String {
    chrono::Utc::now().format(DATE_FORMAT).to_string()
}

impl TestGateway {
    /// A JSON-RPC client (not logged in).
    pub fn rpc(&self) -> Rpc {
        Rpc { client: reqwest::Client::new(), url: format!("{}/rpc/6.0/", self.url()) }
    }
}

impl TestGateway {
    /// A SOAP client posting raw envelopes to `/soap/6.0/`.
    pub fn soap(&self) -> Soap {
        Soap { client: reqwest::Client::new(), url: format!("{}/soap/6.0/", self.url()) }
    }
}

/// A SOAP client for hand-written envelopes: the tests control every byte on the wire.
#[derive(Debug, Clone)]
pub struct Soap {
    pub client: reqwest::Client,
    pub url: String,
}

/// A SOAP answer: status, content type, body, and the body parsed (`None` if it is not XML).
#[derive(Debug)]
pub struct SoapReply {
    pub status: StatusCode,
    pub content_type: String,
    pub text: String,
    pub root: Option<tco_soap::xml::Element>,
}

impl SoapReply {
    /// The `<return>` part of a successful answer.
    #[track_caller]
    pub fn result(&self) -> &tco_soap::xml::Element {
        assert_eq!(self.status, 200, "{}", self.text);
        let body =
            self.root.as_ref().and_then(|root| root.child("Body")).unwrap_or_else(|| panic!("{}", self.text));
        let response = body.children.first().unwrap_or_else(|| panic!("{}", self.text));
        response.child("return").unwrap_or_else(|| panic!("no return in {}", self.text))
    }

    /// The text of the `<return>` part.
    #[track_caller]
    pub fn text_result(&self) -> String {
        self.result().text.clone()
    }

    /// The fault's catalogue code (1.1 `faultcode` or 1.2 `Subcode`), if the answer is a fault.
    pub fn fault_code(&self) -> Option<String> {
        let fault = self.root.as_ref()?.child("Body")?.child("Fault")?;
        let code = fault.child("faultcode").or_else(|| {
            fault.child("Code").and_then(|c| c.child("Subcode")).and_then(|s| s.child("Value"))
        })?;
        Some(code.text.clone())
    }

    /// Asserts a fault with this catalogue code, and the status its SOAP version calls for.
    #[track_caller]
    pub fn assert_fault(&self, code: &str) {
        let body =
            self.root.as_ref().and_then(|root| root.child("Body")).unwrap_or_else(|| panic!("{}", self.text));
        let fault = body.child("Fault").unwrap_or_else(|| panic!("no fault in {}", self.text));
        if let Some(faultcode) = fault.child("faultcode") {
            assert_eq!(faultcode.text, code, "{}", self.text);
            assert!(!fault.child("faultstring").unwrap().text.is_empty());
            assert!(self.content_type.starts_with("text/xml"), "{}", self.content_type);
        } else {
            let subcode = fault.child("Code").and_then(|c| c.child("Subcode")).and_then(|s| s.child("Value"));
            assert_eq!(subcode.map(|v| v.text.as_str()), Some(code), "{}", self.text);
            assert!(self.content_type.starts_with("application/soap+xml"), "{}", self.content_type);
        }
        assert!([500, 400, 405, 413, 415].contains(&self.status.as_u16()), "{}", self.status);
    }
}

impl Soap {
    /// Posts a SOAP 1.1 envelope whose Body holds `<ns1:{operation}>{params}</ns1:{operation}>`.
    pub async fn call(&self, operation: &str, params: &str) -> SoapReply {
        let envelope = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:order" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><SOAP-ENV:Body><ns1:{operation}>{params}</ns1:{operation}></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
        );
        self.post(envelope.into_bytes(), "text/xml; charset=utf-8").await
    }

    /// The same call as SOAP 1.2.
    pub async fn call12(&self, operation: &str, params: &str) -> SoapReply {
        let envelope = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ns1="urn:order"><env:Body><ns1:{operation}>{params}</ns1:{operation}></env:Body></env:Envelope>"#
        );
        let content_type = format!(r#"application/soap+xml; charset=utf-8; action="urn:order#{operation}""#);
        self.post(envelope.into_bytes(), &content_type).await
    }

    pub async fn post(&self, body: Vec<u8>, content_type: &str) -> SoapReply {
        let response =
            self.client.post(&self.url).header(CONTENT_TYPE, content_type).body(body).send().await.unwrap();
        Self::reply(response).await
    }

    pub async fn reply(response: reqwest::Response) -> SoapReply {
        let status = response.status();
        let content_type =
            response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let text = response.text().await.unwrap();
        let root = tco_soap::xml::parse(&text, tco_soap::xml::Limits::default()).ok();
        SoapReply { status, content_type, text, root }
    }

    /// Logs in as `(code, secret)` with HMAC-MD5 and three parameters.
    pub async fn login(&self, (code, secret): (&str, &str)) -> String {
        let date = now_date();
        let hash = sign(&SecretKey::new(secret), code, &date, HashAlgorithm::Md5);
        let reply = self
            .call(
                "login",
                &format!("<merchantCode>{code}</merchantCode><date>{date}</date><hash>{hash}</hash>"),
            )
            .await;
        reply.text_result()
    }
}

/// The vendor sample's customer as SOAP fields (nulls as `xsi:nil`).
pub fn sample_customer_xml(external: &str) -> String {
    format!(
        r#"<AvangateCustomerReference xsi:nil="true"/><ExternalCustomerReference>{external}</ExternalCustomerReference><FirstName>John</FirstName><LastName>Doe</LastName><Company xsi:nil="true"/><FiscalCode xsi:nil="true"/><Address1>Street 1</Address1><Address2 xsi:nil="true"/><City>Bucharest</City><State xsi:nil="true"/><Zip>010101</Zip><CountryCode>US</CountryCode><Phone xsi:nil="true"/><Fax xsi:nil="true"/><Email>John.Doe@Example.com</Email><Enabled xsi:nil="true"/><Trial xsi:nil="true"/><Language>en</Language>"#
    )
}

/// A JSON-RPC client posting to `/rpc/6.0/`.
#[derive(Debug, Clone)]
pub struct Rpc {
    pub client: reqwest::Client,
    pub url: String,
}

impl Rpc {
    /// Logs in as `(code, secret)` with HMAC-MD5 and returns the session id.
    pub async fn login(&self, (code, secret): (&str, &str)) -> String {
        let date = now_date();
        let hash = sign(&SecretKey::new(secret), code, &date, HashAlgorithm::Md5);
        let reply = self.call("login", serde_json::json!([code, date, hash])).await;
        reply.json["result"].as_str().unwrap_or_else(|| panic!("login failed: {}", reply.text)).to_owned()
    }

    /// One call with id 1.
    pub async fn call(&self, method: &str, params: Value) -> Reply {
        let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        self.post(body.to_string().into_bytes(), "application/json").await
    }

    pub async fn post(&self, body: Vec<u8>, content_type: &str) -> Reply {
        Reply::read(
            self.client.post(&self.url).header(CONTENT_TYPE, content_type).body(body).send().await.unwrap(),
        )
        .await
    }
}

impl Reply {
    /// Asserts a JSON-RPC error object with this integer code and catalogue code.
    #[track_caller]
    pub fn assert_rpc_error(&self, code: i64, error_code: &str) {
        let error = &self.json["error"];
        assert_eq!(error["code"], code, "body: {}", self.text);
        assert_eq!(error["data"]["error_code"], error_code, "body: {}", self.text);
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "body: {}", self.text);
        assert_eq!(self.json["jsonrpc"], "2.0", "body: {}", self.text);
        assert!(self.json.get("result").is_none(), "body: {}", self.text);
    }
}

/// A REST client that signs every request with `X-Avangate-Authentication`.
#[derive(Debug, Clone)]
pub struct Rest {
    pub client: reqwest::Client,
    pub base: String,
    pub code: String,
    pub secret: String,
    pub algo: HashAlgorithm,
}

/// A response: status, headers and the body parsed as JSON (`Value::Null` when empty or
/// not JSON; `text` keeps the raw body).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
    pub text: String,
}

impl Reply {
    pub async fn read(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, headers, json, text }
    }

    /// The `error_code` of an error body.
    pub fn code(&self) -> &str {
        self.json["error_code"].as_str().unwrap_or("<none>")
    }

    /// Asserts an error status and code, and that the body is JSON with a message.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(self.code(), code, "body: {}", self.text);
        assert!(self.json["message"].as_str().is_some_and(|m| !m.is_empty()), "body: {}", self.text);
        let content_type = self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(content_type.starts_with("application/json"), "content type {content_type}");
    }
}

impl Rest {
    pub fn header(&self) -> String {
        self.header_for_date(&now_date())
    }

    pub fn header_for_date(&self, date: &str) -> String {
        let hash = sign(&SecretKey::new(self.secret.as_str()), &self.code, date, self.algo);
        match self.algo {
            HashAlgorithm::Md5 => format!(r#"code="{}" date="{date}" hash="{hash}""#, self.code),
            algo => format!(r#"code="{}" date="{date}" hash="{hash}" algo="{}""#, self.code, algo.name()),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::POST, path, Some(body.to_string())).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PUT, path, Some(body.to_string())).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<String>) -> Reply {
        let mut headers = HeaderMap::new();
        headers.insert("X-Avangate-Authentication", HeaderValue::from_str(&self.header()).unwrap());
        headers.insert("Accept", HeaderValue::from_static("application/json"));
        if body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        self.raw(method, path, headers, body.map(String::into_bytes)).await
    }

    /// Sends exactly the given headers (no signing added).
    pub async fn raw(&self, method: Method, path: &str, headers: HeaderMap, body: Option<Vec<u8>>) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.base)).headers(headers);
        if let Some(body) = body {
            request = request.body(body);
        }
        Reply::read(request.send().await.unwrap()).await
    }
}

/// The customer of the vendor's create sample, as JSON (nulls included).
pub fn sample_customer(external: &str) -> Value {
    serde_json::json!({
        "AvangateCustomerReference": null,
        "ExternalCustomerReference": external,
        "FirstName": "John",
        "LastName": "Doe",
        "Company": null,
        "FiscalCode": null,
        "Address1": "Street 1",
        "Address2": null,
        "City": "Bucharest",
        "State": null,
        "Zip": "010101",
        "CountryCode": "US",
        "Phone": null,
        "Fax": null,
        "Email": "John.Doe@Example.com",
        "ExistingCards": null,
        "Enabled": null,
        "Trial": null,
        "Language": "en"
    })
}

/// Runs one SQL statement with `psql` on the PostgreSQL server the tests use
/// (`TCO_TEST_POSTGRES_URL`) and returns what it printed (unaligned, tuples only).
pub fn psql(sql: &str) -> String {
    let url = std::env::var(tco_store::testing::POSTGRES_URL_VAR).unwrap();
    let output = std::process::Command::new("psql").args([&url, "-Atqc", sql]).output().unwrap();
    assert!(output.status.success(), "psql failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}
