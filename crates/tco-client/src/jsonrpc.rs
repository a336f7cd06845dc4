//! The JSON-RPC transport: positional parameters, session id first, as the vendor's samples.

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::auth::Credentials;
use crate::call::{Call, Reply};
use crate::error::{ClientError, Result};
use crate::model::{Customer, Reference, SearchOptions, SearchResult, SignOn};
use crate::operations::{self, Request};
use crate::session::Session;
use crate::{Api, Protocol};

/// A JSON-RPC client for `…/rpc/6.0/`. It logs in on first use and again when its session
/// expires.
#[derive(Debug)]
pub struct JsonRpcClient {
    http: reqwest::Client,
    url: String,
    credentials: Credentials,
    session: Session,
    next_id: AtomicU64,
}

impl JsonRpcClient {
    /// `base_url` is the server root, e.g. `http://127.0.0.1:8080`.
    pub fn new(base_url: &str, credentials: Credentials) -> Self {
        JsonRpcClient {
            http: reqwest::Client::new(),
            url: format!("{}/rpc/6.0/", base_url.trim_end_matches('/')),
            credentials,
            session: Session::new(),
            next_id: AtomicU64::new(1),
        }
    }

    /// Report `INVALID_SESSION` and `SESSION_EXPIRED` instead of logging in again.
    pub fn without_relogin(mut self) -> Self {
        self.session = self.session.without_relogin();
        self
    }

    /// The current session id, if logged in.
    pub fn session_id(&self) -> Option<String> {
        self.session.get()
    }

    /// Uses this session id from now on (one obtained over SOAP works too).
    pub fn use_session(&self, session_id: Option<String>) {
        self.session.set(session_id);
    }

    /// One raw call: `method` with `params`, returning `result` or the error object as an error.
    pub async fn call<T: DeserializeOwned>(&self, method: &str, params: Vec<Value>) -> Result<T> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let request = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let response =
            self.http.post(&self.url).header("Accept", "application/json").json(&request).send().await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        let answer: Value = serde_json::from_str(&text).map_err(|_| {
            ClientError::Protocol(format!("HTTP {status} with a body that is not JSON: {text}"))
        })?;
        if let Some(error) = answer.get("error") {
            return Err(ClientError::Api {
                code: error["data"]["error_code"].as_str().unwrap_or("UNKNOWN").to_owned(),
                message: error["message"].as_str().unwrap_or_default().to_owned(),
                status,
                rpc_code: error["code"].as_i64(),
            });
        }
        if answer["id"] != json!(id) {
            return Err(ClientError::Protocol(format!("the answer's id is not {id}: {text}")));
        }
        serde_json::from_value(answer["result"].clone())
            .map_err(|error| ClientError::Protocol(error.to_string()))
    }

    async fn new_session(&self) -> Result<String> {
        let signature = self.credentials.sign_now();
        let login = operations::login(
            &self.credentials.merchant_code,
            &signature.date,
            &signature.hash,
            self.credentials.algorithm.wire_name(),
        );
        self.call(login.operation, login.args).await
    }

    /// Runs `request` with the session id in front of its arguments.
    async fn with_session<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.session
            .with(
                || self.new_session(),
                |session| {
                    let params =
                        std::iter::once(json!(session)).chain(request.args.iter().cloned()).collect();
                    self.call(request.operation, params)
                },
            )
            .await
    }
}

#[async_trait]
impl Api for JsonRpcClient {
    fn protocol(&self) -> Protocol {
        Protocol::JsonRpc
    }

    async fn login(&self) -> Result<()> {
        let id = self.new_session().await?;
        self.session.set(Some(id));
        Ok(())
    }

    async fn create_customer(&self, customer: &Customer) -> Result<i64> {
        self.with_session(operations::create_customer(customer)?).await
    }

    async fn get_customer(&self, reference: &Reference) -> Result<Customer> {
        self.with_session(operations::get_customer(reference)).await
    }

    async fn update_customer(&self, customer: &Customer, end_user_update: bool) -> Result<()> {
        let _: bool = self.with_session(operations::update_customer(customer, end_user_update)?).await?;
        Ok(())
    }

    async fn search_customers(&self, options: &SearchOptions) -> Result<SearchResult> {
        self.with_session(operations::search_customers(options)?).await
    }

    async fn sign_on_in_cart(&self, reference: &Reference, sign_on: &SignOn) -> Result<String> {
        self.with_session(operations::sign_on_in_cart(reference, sign_on)).await
    }

    async fn customer_by_sso_token(&self, token: &str) -> Result<Customer> {
        self.with_session(operations::customer_by_sso_token(token)).await
    }

    async fn delete_card(&self, _: &Reference, _: &str) -> Result<()> {
        Err(ClientError::Unsupported("deleting a stored card"))
    }

    async fn send(&self, call: &Call) -> Result<Reply> {
        let request = Request { operation: call.operation, args: call.args.clone() };
        Ok(Reply::Json(self.with_session::<Value>(request).await?))
    }
}
