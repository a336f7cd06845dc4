//! [`Operation`]: one vendor operation, defined once — its name, parameters (a struct whose
//! fields are the positional parts, session id first), result, REST routes, errors and the core
//! call — and the journaled runner every protocol goes through.

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tco_core::{Call, Error, ErrorCode, Gateway, MerchantContext, Protocol, Result};

use crate::lenient::{Place, from_json};
use crate::shape::{Describe, Object, Shape};

/// An operation's parameters: a struct declared with [`crate::wire_params!`] (or, for `login`,
/// by hand) whose fields are the positional parts in order.
pub trait Parameters: DeserializeOwned + Serialize + Describe + Default + Send + Sync + 'static {
    /// The session id the call presents (the first part); `None` for `login`.
    fn session_id(&self) -> Option<&str>;

    /// The positional parts, for contracts and for naming a wrong one.
    fn names() -> Vec<&'static str> {
        match Self::SHAPE {
            Shape::Object(object) => object.fields.iter().map(|field| field.name).collect(),
            _ => Vec::new(),
        }
    }

    fn object() -> &'static Object {
        match Self::SHAPE {
            Shape::Object(object) => object,
            _ => &EMPTY,
        }
    }

    /// The parameters of a REST request, each field from where it declares ([`crate::bind`]).
    fn bind_rest(request: &RestRequest<'_>) -> Result<Self> {
        let _ = request;
        Err(Error::UnknownOperation("this operation has no REST route.".into()))
    }
}

static EMPTY: Object = Object { name: "", doc: "", fields: &[] };

/// An HTTP method of a REST route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A REST route of an operation, relative to `/rest/6.0`; `{Name}` segments are path
/// parameters. A route with `query` is taken only when that query parameter is present.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub query: Option<&'static str>,
    /// The documented query parameters and what they mean, for the OpenAPI document.
    pub parameters: &'static [(&'static str, &'static str)],
    /// The request body is this object.
    pub body: Option<&'static Object>,
    /// The HTTP status of a success.
    pub status: u16,
}

impl Route {
    pub const fn new(method: Method, path: &'static str) -> Self {
        Route { method, path, query: None, parameters: &[], body: None, status: 200 }
    }

    pub const fn when(mut self, query: &'static str) -> Self {
        self.query = Some(query);
        self
    }

    pub const fn parameters(mut self, parameters: &'static [(&'static str, &'static str)]) -> Self {
        self.parameters = parameters;
        self
    }

    pub const fn body(mut self, body: &'static Object) -> Self {
        self.body = Some(body);
        self
    }

    /// Answers `201 Created` (with `Location`, from [`Operation::location`]).
    pub const fn created(mut self) -> Self {
        self.status = 201;
        self
    }
}

/// A REST request, framework-free: the path parameters of the matched route, the decoded query
/// and the JSON body.
#[derive(Debug)]
pub struct RestRequest<'a> {
    pub path: &'a [(&'static str, String)],
    pub query: &'a [(String, String)],
    pub body: Option<serde_json::Value>,
}

impl RestRequest<'_> {
    pub fn path(&self, name: &str) -> Option<&str> {
        self.path.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str())
    }

    /// A query parameter by name in any case; empty counts as absent.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }

    /// A list parameter as the official SDKs send one: `X[]=a&X[]=b`, `X[0]=a&X[1]=b`, `X=a&X=b`
    /// or `X=a,b` (names in any case), in order, blanks dropped.
    pub fn query_list(&self, name: &str) -> Vec<String> {
        let is_name = |key: &str| {
            let base = match key.split_once('[') {
                Some((base, index)) if index.ends_with(']') => base,
                _ => key,
            };
            base.eq_ignore_ascii_case(name)
        };
        self.query
            .iter()
            .filter(|(key, _)| is_name(key))
            .flat_map(|(_, value)| value.split(','))
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
            .collect()
    }

    /// The body as `T`; a missing body is an error naming what was expected.
    pub fn body<T: DeserializeOwned>(&self) -> Result<T> {
        let body = self
            .body
            .as_ref()
            .ok_or_else(|| Error::MalformedRequest("the body is empty; a JSON object is expected.".into()))?;
        Ok(from_json(body, Place::root("the body"))?)
    }

    /// The named query parameters, read as the members of a `T` (`Page=2` as an integer…). A
    /// value that cannot be read is an invalid field: query parameters are all text.
    pub fn query_as<T: DeserializeOwned>(&self, names: &[&str]) -> Result<T> {
        let members: serde_json::Map<String, serde_json::Value> =
            names.iter().filter_map(|name| Some(((*name).to_owned(), self.query(name)?.into()))).collect();
        from_json(&serde_json::Value::Object(members), Place::root(""))
            .map_err(|error| Error::InvalidValue(error.0))
    }

    /// A query parameter read as a `T` with the shared rules.
    pub fn query_value<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        match self.query(name) {
            None => Ok(None),
            Some(value) => from_json(&value.into(), Place::root(name))
                .map(Some)
                .map_err(|error| Error::InvalidValue(error.0)),
        }
    }
}

/// One vendor operation.
pub trait Operation: Sized + Send + Sync + 'static {
    /// The vendor's name: the JSON-RPC method and the SOAP operation.
    const NAME: &'static str;
    const DOC: &'static str;
    /// The catalogue codes it can answer with, besides the ones every call can (authentication,
    /// malformed requests, unavailability).
    const ERRORS: &'static [ErrorCode];
    /// Offered over JSON-RPC and SOAP (the vendor also has REST-only operations).
    const POSITIONAL: bool = true;
    const REST: &'static [Route] = &[];

    type Params: Parameters;
    type Output: Serialize + Describe + Send + Sync + 'static;

    fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> impl Future<Output = Result<Self::Output>> + Send;

    /// The parameters of a REST request on one of [`Operation::REST`]: as the parameters'
    /// fields declare, unless the vendor's REST shape is irregular.
    fn bind(request: &RestRequest<'_>) -> Result<Self::Params> {
        <Self::Params as Parameters>::bind_rest(request)
    }

    /// The REST body of a failure, where the vendor's differs from `{"error_code","message"}`.
    fn rest_error(error: &Error) -> Option<serde_json::Value> {
        let _ = error;
        None
    }

    /// What the journal shows of a success (no secrets).
    fn summary(output: &Self::Output) -> String {
        let _ = output;
        "ok".to_owned()
    }

    /// For a REST route that creates: the new resource's path under the REST root.
    fn location(output: &Self::Output) -> Option<String> {
        let _ = output;
        None
    }

    /// Authenticates a positional call by the session id in its parameters and runs it.
    /// `login` authenticates itself and overrides this.
    fn run(
        gateway: &Gateway,
        protocol: Protocol,
        params: Self::Params,
    ) -> impl Future<Output = Result<Self::Output>> + Send {
        async move {
            let call = Call::new(protocol, Self::NAME);
            let merchant = gateway.session(params.session_id().unwrap_or_default(), call).await?;
            run_as::<Self>(gateway, &merchant, params).await
        }
    }
}

/// Runs an authenticated call and journals it.
pub async fn run_as<O: Operation>(
    gateway: &Gateway,
    merchant: &MerchantContext,
    params: O::Params,
) -> Result<O::Output> {
    let arguments = crate::journal::arguments(&params);
    let run = O::call(gateway, merchant, params);
    let (result, injected) = gateway.with_faults(merchant.call(), Some(merchant.code()), run).await;
    let outcome = result.as_ref().map(O::summary).map_err(Error::code);
    gateway.journal_call(merchant, arguments, outcome, injected);
    result
}

/// How a protocol reads a call's parameters and writes its result.
pub trait Codec {
    type Encoded;

    /// The call's positional parameters as `P` (its fields named by `names`).
    fn params<P: Parameters>(&self, names: &[&'static str]) -> Result<P>;

    fn encode<O: Operation>(&self, output: &O::Output) -> Result<Self::Encoded>;
}

/// Reads, runs and encodes one positional call of `O`: every parameter is read (and a wrongly
/// typed one reported) before the session is checked.
pub async fn invoke<O: Operation, C: Codec>(
    gateway: &Gateway,
    protocol: Protocol,
    codec: &C,
) -> Result<C::Encoded> {
    let params = codec.params::<O::Params>(&<O::Params as Parameters>::names())?;
    let output = O::run(gateway, protocol, params).await?;
    codec.encode::<O>(&output)
}

/// Runs one REST call of `O`: the signature first, then the request bound into the parameters
/// (a request that cannot be bound is journaled as the merchant's failed call).
pub async fn invoke_rest<O: Operation>(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &RestRequest<'_>,
) -> Result<O::Output> {
    match O::bind(request) {
        Ok(params) => run_as::<O>(gateway, merchant, params).await,
        Err(error) => {
            gateway.journal_call(merchant, Vec::new(), Err(error.code()), None);
            Err(error)
        }
    }
}

/// Everything the contracts need to know of an operation.
#[derive(Debug, Clone, Copy)]
pub struct Descriptor {
    pub id: crate::OperationId,
    pub name: &'static str,
    pub doc: &'static str,
    pub errors: &'static [ErrorCode],
    pub positional: bool,
    pub rest: &'static [Route],
    pub params: &'static Object,
    pub output: Shape,
}

/// The codes every call can answer with besides its own: REST's signature check, or a positional
/// call's session; a malformed request; an unavailable store. `login` has no session to lose.
const EVERY_REST_CALL: [ErrorCode; 3] =
    [ErrorCode::AuthenticationError, ErrorCode::MalformedRequest, ErrorCode::ServiceUnavailable];
const EVERY_POSITIONAL_CALL: [ErrorCode; 4] = [
    ErrorCode::InvalidSession,
    ErrorCode::SessionExpired,
    ErrorCode::MalformedRequest,
    ErrorCode::ServiceUnavailable,
];

impl Descriptor {
    /// Every code a call of it over `protocol` can answer with: those of every call, then its
    /// own — the one list the three contracts read.
    pub fn codes(&self, protocol: Protocol) -> Vec<ErrorCode> {
        let common: &[ErrorCode] = match protocol {
            Protocol::Rest => &EVERY_REST_CALL,
            // `login` authenticates itself: it has no session to lose, and no errors of its own.
            _ if self.name == crate::sessions::Login::NAME => return EVERY_REST_CALL.to_vec(),
            _ => &EVERY_POSITIONAL_CALL,
        };
        common.iter().chain(self.errors).copied().collect()
    }

    pub fn of<O: Operation>(id: crate::OperationId) -> Self {
        Descriptor {
            id,
            name: O::NAME,
            doc: O::DOC,
            errors: O::ERRORS,
            positional: O::POSITIONAL,
            rest: O::REST,
            params: <O::Params as Parameters>::object(),
            output: O::Output::SHAPE,
        }
    }
}
