//! The SOAP transport: SOAP 1.1 rpc/literal envelopes as the WSDL describes them, answers read
//! with `tco-xml`, faults turned into API errors with their `faultcode`.

use std::fmt::Write;

use async_trait::async_trait;
use quick_xml::escape::escape;
use serde_json::Value;
use tco_xml::{Element, Limits};

use crate::auth::Credentials;
use crate::call::{Call, Reply};
use crate::error::{ClientError, Result};
use crate::model::{
    Card, Credit, Customer, Pagination, Reference, SearchOptions, SearchResult, SignOn, TransientToken,
};
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

fn optional_text(element: &Element, name: &str) -> Option<String> {
    element.child(name).filter(|child| !child.is_nil()).map(|child| child.text.clone())
}

fn parsed<T: std::str::FromStr>(element: &Element, name: &str) -> Result<Option<T>> {
    optional_text(element, name)
        .map(|value| {
            value
                .trim()
                .parse()
                .map_err(|_| ClientError::Protocol(format!("{name} is not a valid value: {value}")))
        })
        .transpose()
}

fn customer(element: &Element) -> Result<Customer> {
    let cards = element
        .children
        .iter()
        .filter(|child| child.local == "ExistingCards")
        .map(|card| Card {
            card_type: optional_text(card, "CardType"),
            last_digits: optional_text(card, "LastDigits"),
            expiration_month: optional_text(card, "ExpirationMonth"),
            expiration_year: optional_text(card, "ExpirationYear"),
            name_on_card: optional_text(card, "NameOnCard"),
            transient_token: card
                .child("TransientToken")
                .filter(|token| !token.is_nil())
                .and_then(|token| optional_text(token, "Token"))
                .map(|token| TransientToken { token }),
        })
        .collect();
    let credit = match element.child("Credit").filter(|credit| !credit.is_nil()) {
        Some(credit) => Some(Credit {
            limit: parsed(credit, "Limit")?,
            remaining: parsed(credit, "Remaining")?,
            currency: optional_text(credit, "Currency"),
        }),
        None => None,
    };
    Ok(Customer {
        avangate_customer_reference: parsed(element, "AvangateCustomerReference")?,
        external_customer_reference: optional_text(element, "ExternalCustomerReference"),
        first_name: optional_text(element, "FirstName"),
        last_name: optional_text(element, "LastName"),
        company: optional_text(element, "Company"),
        fiscal_code: optional_text(element, "FiscalCode"),
        address1: optional_text(element, "Address1"),
        address2: optional_text(element, "Address2"),
        city: optional_text(element, "City"),
        state: optional_text(element, "State"),
        zip: optional_text(element, "Zip"),
        country_code: optional_text(element, "CountryCode"),
        phone: optional_text(element, "Phone"),
        fax: optional_text(element, "Fax"),
        email: optional_text(element, "Email"),
        existing_cards: cards,
        enabled: parsed(element, "Enabled")?,
        trial: parsed(element, "Trial")?,
        language: optional_text(element, "Language"),
        credit,
    })
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
        customer(&self.with_session(operations::get_customer(reference)).await?)
    }

    async fn update_customer(&self, customer: &Customer, end_user_update: bool) -> Result<()> {
        let _: bool =
            parse_scalar(&self.with_session(operations::update_customer(customer, end_user_update)?).await?)?;
        Ok(())
    }

    async fn search_customers(&self, options: &SearchOptions) -> Result<SearchResult> {
        let result = self.with_session(operations::search_customers(options)?).await?;
        let items = result
            .children
            .iter()
            .filter(|child| child.local == "Items")
            .map(customer)
            .collect::<Result<_>>()?;
        let pagination =
            result.child("Pagination").ok_or_else(|| ClientError::Protocol("no Pagination".into()))?;
        Ok(SearchResult {
            items,
            pagination: Pagination {
                page: parsed(pagination, "Page")?.unwrap_or_default(),
                limit: parsed(pagination, "Limit")?.unwrap_or_default(),
                count: parsed(pagination, "Count")?.unwrap_or_default(),
            },
        })
    }

    async fn sign_on_in_cart(&self, reference: &Reference, sign_on: &SignOn) -> Result<String> {
        Ok(self.with_session(operations::sign_on_in_cart(reference, sign_on)).await?.text)
    }

    async fn customer_by_sso_token(&self, token: &str) -> Result<Customer> {
        customer(&self.with_session(operations::customer_by_sso_token(token)).await?)
    }

    async fn delete_card(&self, _: &Reference, _: &str) -> Result<()> {
        Err(ClientError::Unsupported("deleting a stored card"))
    }

    async fn send(&self, call: &Call) -> Result<Reply> {
        let request = Request { operation: call.operation, args: call.args.clone() };
        Ok(Reply::Xml(self.with_session(request).await?))
    }
}
