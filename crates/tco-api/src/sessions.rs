//! `login`: the one operation without a session. It authenticates itself and opens one.

use tco_core::{Credentials, Error, ErrorCode, Gateway, MerchantContext, Protocol, Result};

use crate::operation::{Operation, Parameters};

crate::wire_object! {
    /// `login`'s parts: the merchant code, the UTC date `YYYY-MM-DD HH:MM:SS`, the HMAC of
    /// `len(code) code len(date) date` and its algorithm (md5 when left out, sha256, sha3-256).
    pub struct LoginParams as "login" {
        merchantCode: Option<String>,
        date: Option<String>,
        hash: Option<String>,
        algo: Option<String>,
    }
}

impl Parameters for LoginParams {
    fn session_id(&self) -> Option<&str> {
        None
    }
}

/// `login`.
#[derive(Debug)]
pub struct Login;

/// A part `login` cannot do without: its absence is a malformed call, not a domain error.
fn required(value: Option<String>, position: usize, name: &str) -> Result<String> {
    value.ok_or_else(|| Error::MalformedRequest(format!("parameter {position} ({name}) is missing.")))
}

impl Operation for Login {
    const NAME: &'static str = "login";
    const DOC: &'static str = "Returns a session id valid for 10 minutes on SOAP and JSON-RPC, on any instance. algo: \
         md5 (the default, may be nil or left out), sha256 or sha3-256.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::AuthenticationError];
    type Params = LoginParams;
    type Output = String;

    async fn call(_: &Gateway, _: &MerchantContext, _: LoginParams) -> Result<String> {
        // `run` is overridden: a login has no merchant before it succeeds.
        Err(Error::Internal)
    }

    async fn run(gateway: &Gateway, protocol: Protocol, params: LoginParams) -> Result<String> {
        let credentials = Credentials {
            merchant_code: required(params.merchantCode, 1, "merchantCode")?,
            date: required(params.date, 2, "date")?,
            hash: required(params.hash, 3, "hash")?,
            algo: params.algo,
        };
        Ok(gateway.login(&credentials, protocol).await?.into_string())
    }

    fn summary(_: &String) -> String {
        tco_core::REDACTED.to_owned()
    }
}
