//! One call as every transport can send it — the operation with its positional arguments (JSON-RPC
//! and SOAP) and its REST form — and its answer, read into the caller's model whatever the
//! transport. Families of operations are written once on top of [`crate::Api::send`].

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tco_xml::Element;

use crate::error::{ClientError, Result};

/// A REST method and path (relative to `/rest/6.0/`, without the trailing slash), query and body.
#[derive(Debug, Clone)]
pub struct RestCall {
    pub method: reqwest::Method,
    pub path: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// What the call does with the Channel Manager partner, which REST has no session to keep.
    pub partner: PartnerContext,
}

/// A REST call's part in the Channel Manager partner the client keeps in place of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PartnerContext {
    #[default]
    None,
    /// Names the partner the client set (`PartnerCode`).
    Named,
    /// Sets the client's partner when it answers `true`.
    Sets(String),
}

impl RestCall {
    pub fn new(method: reqwest::Method, path: &[&str]) -> Self {
        RestCall {
            method,
            path: path.iter().map(|segment| (*segment).to_owned()).collect(),
            query: Vec::new(),
            body: None,
            partner: PartnerContext::None,
        }
    }

    pub fn get(path: &[&str]) -> Self {
        RestCall::new(reqwest::Method::GET, path)
    }

    pub fn post(path: &[&str], body: Value) -> Self {
        RestCall::new(reqwest::Method::POST, path).body(body)
    }

    pub fn put(path: &[&str], body: Value) -> Self {
        RestCall::new(reqwest::Method::PUT, path).body(body)
    }

    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    pub fn query(mut self, name: &str, value: Option<String>) -> Self {
        if let Some(value) = value {
            self.query.push((name.to_owned(), value));
        }
        self
    }

    /// A list as `name[]=a&name[]=b`.
    pub fn list(mut self, name: &str, values: &[String]) -> Self {
        for value in values {
            self.query.push((format!("{name}[]"), value.clone()));
        }
        self
    }

    /// Names the partner the client set, as REST's stand-in for the session's.
    pub fn for_partner(mut self) -> Self {
        self.partner = PartnerContext::Named;
        self
    }

    /// Makes `code` the client's partner once the call answers `true`.
    pub fn sets_partner(mut self, code: &str) -> Self {
        self.partner = PartnerContext::Sets(code.to_owned());
        self
    }

    /// `Page` and `Limit`, when a page is asked for.
    pub fn page(self, page: Option<&crate::model::PageRequest>) -> Self {
        self.query("Page", page.map(|page| page.page.to_string()))
            .query("Limit", page.map(|page| page.limit.to_string()))
    }
}

/// An operation and its arguments after the session id, and its REST form (`None`: the vendor
/// offers it over JSON-RPC and SOAP only).
#[derive(Debug, Clone)]
pub struct Call {
    pub operation: &'static str,
    pub args: Vec<Value>,
    pub rest: Option<RestCall>,
}

impl Call {
    pub fn new(operation: &'static str, args: Vec<Value>, rest: Option<RestCall>) -> Self {
        Call { operation, args, rest }
    }
}

/// An answer before it is read into a model.
#[derive(Debug, Clone)]
pub enum Reply {
    Json(Value),
    /// SOAP's `<return>` element.
    Xml(Element),
}

impl Reply {
    /// The answer as `T`.
    pub fn read<T: DeserializeOwned>(self) -> Result<T> {
        match self {
            Reply::Json(value) => {
                serde_json::from_value(value).map_err(|error| ClientError::Protocol(error.to_string()))
            }
            Reply::Xml(element) => T::deserialize(crate::xml::Elements(vec![&element]))
                .map_err(|error| ClientError::Protocol(error.0)),
        }
    }
}

/// A model as a JSON argument.
pub fn argument<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|error| ClientError::Protocol(format!("cannot encode the request: {error}")))
}
