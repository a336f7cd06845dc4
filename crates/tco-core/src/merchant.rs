//! Merchants: a code and the secret key their requests are signed with. The directory is
//! configuration, not stored data: every gateway instance is started with the same list.

use std::collections::HashMap;
use std::fmt;
use std::time::Instant;

use crate::journal::Call;

/// A merchant's secret key. `Debug` and `Display` never print it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    pub fn new(secret: impl Into<String>) -> Self {
        SecretKey(secret.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    pub code: String,
    pub secret: SecretKey,
}

impl Merchant {
    pub fn new(code: impl Into<String>, secret: impl Into<String>) -> Self {
        Merchant { code: code.into(), secret: SecretKey::new(secret) }
    }

    /// Parses the `CODE:SECRET` form used on the command line.
    pub fn parse_pair(pair: &str) -> Option<Self> {
        let (code, secret) = pair.split_once(':')?;
        let code = code.trim();
        (!code.is_empty() && !secret.is_empty()).then(|| Merchant::new(code, secret))
    }
}

/// The merchants this gateway serves, by code (exact match, as the vendor's codes are).
#[derive(Debug, Clone, Default)]
pub struct Merchants {
    by_code: HashMap<String, Merchant>,
}

impl Merchants {
    pub fn new(merchants: impl IntoIterator<Item = Merchant>) -> Self {
        Merchants { by_code: merchants.into_iter().map(|m| (m.code.clone(), m)).collect() }
    }

    pub fn get(&self, code: &str) -> Option<&Merchant> {
        self.by_code.get(code)
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.by_code.keys().map(String::as_str)
    }
}

/// Proof that a call was authenticated for one merchant. Only the core constructs it, so every
/// customer operation is scoped to the merchant that signed the request or logged in. It also
/// names the call, for the journal.
#[derive(Debug, Clone)]
pub struct MerchantContext {
    code: String,
    call: Call,
    started: Instant,
}

impl MerchantContext {
    pub(crate) fn new(code: impl Into<String>, call: Call, started: Instant) -> Self {
        MerchantContext { code: code.into(), call, started }
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn call(&self) -> Call {
        self.call
    }

    /// When authentication of the call began: the journal's latency runs from here.
    pub fn started(&self) -> Instant {
        self.started
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let merchant = Merchant::new("CODE", "hunter2");
        assert!(!format!("{merchant:?}").contains("hunter2"));
    }

    #[test]
    fn pairs_split_on_the_first_colon() {
        let merchant = Merchant::parse_pair("CODE:se:cret").unwrap();
        assert_eq!(merchant.code, "CODE");
        assert_eq!(merchant.secret.expose(), "se:cret");
        assert!(Merchant::parse_pair("CODE").is_none());
        assert!(Merchant::parse_pair(":secret").is_none());
        assert!(Merchant::parse_pair("CODE:").is_none());
    }
}
