//! The SOAP transport: SOAP 1.1 rpc envelopes with the WSDL's parts (lists sent as repeated
//! elements, as literal clients send them, which the gateway reads as it reads encoded arrays),
//! answers read with `tco-xml`, faults turned into API errors with their `faultcode`.

use std::fmt::Write;

use async_trait::async_trait;
use quick_xml::escape::escape;
use serde_json::Value;
use tco_xml::{Element, Limits};

use crate::auth::Credentials;
use crate::call::{Call, Reply};
use crate::error::{ClientError, Result};
use crate::model::{Customer, Reference, SearchOptions, SearchResult, SignOn};
use crate::operations::{self, Request};
use crate::session::Session;
use crate::{Api, Protocol};

/// A SOAP client for `…/soap/6.0/`. It logs in on first use and again when its session expires.
#[derive(Debug)]
pub struct SoapClient {
    http: reqwest::Client,
    url: String,
    credentials: Credentials,
    session: Session,
}

impl SoapClient {
    /// `base_url` is the server root, e.g. `http://127.0.0.1:8080`.
    pub fn new(base_url: &str, credentials: Credentials) -> Self {
        SoapClient {
            http: reqwest::Client::new(),
            url: format!("{}/soap/6.0/", base_url.trim_end_matches('/')),
            credentials,
            session: Session::new(),
        }
    }

    /// Report `INVALID_SESSION` and `SESSION_EXPIRED` instead of logging in again.
    pub fn without_relogin(mut self) -> Self {
        self.session = self.session.without_relogin();
        self
    }

    pub fn session_id(&self) -> Option<String> {
        self.session.get()
    }

    /// Uses this session id from now on (one obtained over JSON-RPC works too).
    pub fn use_session(&self, session_id: Option<String>) {
        self.session.set(session_id);
    }

    /// One raw call with positional arguments, each written as the part the operation names;
    /// returns the `<return>` element of the answer.
    pub async fn call(&self, operation: &str, args: &[Value]) -> Result<Element> {
        let mut body = String::new();
        for (name, value) in operations::names(operation).iter().zip(args) {
            part(&mut body, name, value);
        }
        let envelope = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:order" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><SOAP-ENV:Body><ns1:{operation}>{body}</ns1:{operation}></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
        );
        let response = self
            .http
            .post(&self.url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", format!("\"urn:order#{operation}\""))
            .body(envelope)
            .send()
            .await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        let root = tco_xml::parse(&text, Limits { max_depth: 32, max_elements: 1_000_000 })
            .map_err(|error| ClientError::Protocol(format!("HTTP {status}: {error}: {text}")))?;
        let answer = root
            .child("Body")
            .and_then(|body| body.children.first())
            .ok_or_else(|| ClientError::Protocol(format!("no Body in the answer: {text}")))?;
        if answer.local == "Fault" {
            let code = answer
                .child("faultcode")
                .or_else(|| {
                    answer.child("Code").and_then(|c| c.child("Subcode")).and_then(|s| s.child("Value"))
                })
                .map(|code| code.text.clone())
                .unwrap_or_else(|| "UNKNOWN".into());
            let message = answer
                .child("faultstring")
                .or_else(|| answer.child("Reason").and_then(|r| r.child("Text")))
                .map(|text| text.text.clone())
                .unwrap_or_default();
            return Err(ClientError::Api { code, message, status, rpc_code: None });
        }
        answer
            .child("return")
            .cloned()
            .ok_or_else(|| ClientError::Protocol(format!("no return part: {text}")))
    }

    async fn new_session(&self) -> Result<String> {
        let signature = self.credentials.sign_now();
        let login = operations::login(
            &self.credentials.merchant_code,
            &signature.date,
            &signature.hash,
            self.credentials.algorithm.wire_name(),
        );
        Ok(self.call(login.operation, &login.args).await?.text)
    }

    /// Runs `request` with the session id as its first part.
    async fn with_session(&self, request: Request) -> Result<Element> {
        self.session
            .with(
                || self.new_session(),
                |session| {
                    let args: Vec<Value> =
                        std::iter::once(Value::from(session)).chain(request.args.iter().cloned()).collect();
                    async move { self.call(request.operation, &args).await }
                },
            )
            .await
    }
}

/// A value as the part or field `name`: an object's members as child elements (an array member
/// as repeated elements), `null` as `xsi:nil`.
fn part(xml: &mut String, name: &str, value: &Value) {
    let _ = match value {
        Value::Null => write!(xml, r#"<{name} xsi:nil="true"/>"#),
        Value::Object(members) => {
            let _ = write!(xml, "<{name}>");
            for (member, value) in members {
                match value {
                    Value::Array(items) => items.iter().for_each(|item| part(xml, member, item)),
                    value => part(xml, member, value),
                }
            }
            write!(xml, "</{name}>")
        }
        Value::Array(items) => {
            let _ = write!(xml, "<{name}>");
            items.iter().for_each(|item| part(xml, "item", item));
            write!(xml, "</{name}>")
        }
        Value::String(text) => write!(xml, "<{name}>{}</{name}>", escape(text.as_str())),
        other => write!(xml, "<{name}>{other}</{name}>"),
    };
}

fn customer(element: Element) -> Result<Customer> {
    Reply::Xml(element).read()
}

fn parse_scalar<T: std::str::FromStr>(element: &Element) -> Result<T> {
    element
        .text
        .trim()
        .parse()
        .map_err(|_| ClientError::Protocol(format!("unexpected value {:?}", element.text)))
}

#[async_trait]
impl Api for SoapClient {
    fn protocol(&self) -> Protocol {
        Protocol::Soap
    }

    async fn login(&self) -> Result<()> {
        let id = self.new_session().await?;
        self.session.set(Some(id));
        Ok(())
    }

    async fn create_customer(&self, customer: &Customer) -> Result<i64> {
        parse_scalar(&self.with_session(operations::create_customer(customer)?).await?)
    }

    async fn get_customer(&self, reference: &Reference) -> Result<Customer> {
        customer(self.with_session(operations::get_customer(reference)).await?)
    }

    async fn update_customer(&self, customer: &Customer, end_user_update: bool) -> Result<()> {
        let _: bool =
            parse_scalar(&self.with_session(operations::update_customer(customer, end_user_update)?).await?)?;
        Ok(())
    }

    async fn search_customers(&self, options: &SearchOptions) -> Result<SearchResult> {
        Reply::Xml(self.with_session(operations::search_customers(options)?).await?).read()
    }

    async fn sign_on_in_cart(&self, reference: &Reference, sign_on: &SignOn) -> Result<String> {
        Ok(self.with_session(operations::sign_on_in_cart(reference, sign_on)).await?.text)
    }

    async fn customer_by_sso_token(&self, token: &str) -> Result<Customer> {
        customer(self.with_session(operations::customer_by_sso_token(token)).await?)
    }

    async fn delete_card(&self, _: &Reference, _: &str) -> Result<()> {
        Err(ClientError::Unsupported("deleting a stored card"))
    }

    async fn send(&self, call: &Call) -> Result<Reply> {
        let request = Request { operation: call.operation, args: call.args.clone() };
        Ok(Reply::Xml(self.with_session(request).await?))
    }
}
