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

/// The user of the legacy 2Checkout API ("API user" with "API Access" and "API Update").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyApiUser {
    pub username: String,
    pub password: SecretKey,
    /// The legacy seller (vendor) id, `sid`/`vendor_id` on the legacy wire.
    pub seller_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    pub code: String,
    /// The API secret key (HMAC authentication).
    pub secret: SecretKey,
    /// The buy-link secret word (cart signatures), when given with the merchant rather than in
    /// its data file.
    pub buy_link_secret: Option<SecretKey>,
    /// The legacy API's user, when given with the merchant rather than in its data file.
    pub legacy_api: Option<LegacyApiUser>,
}

impl Merchant {
    pub fn new(code: impl Into<String>, secret: impl Into<String>) -> Self {
        Merchant {
            code: code.into(),
            secret: SecretKey::new(secret),
            buy_link_secret: None,
            legacy_api: None,
        }
    }

    pub fn with_legacy_api(mut self, user: LegacyApiUser) -> Self {
        self.legacy_api = Some(user);
        self
    }

    pub fn with_buy_link_secret(mut self, word: impl Into<String>) -> Self {
        self.buy_link_secret = Some(SecretKey::new(word));
        self
    }

    /// Parses the `CODE:SECRET` or `CODE:SECRET:SECRET_WORD` form used on the command line
    /// (so neither secret may hold a colon there; a configuration file has no such limit).
    pub fn parse_pair(pair: &str) -> Option<Self> {
        let mut parts = pair.splitn(3, ':');
        let code = parts.next()?.trim();
        let secret = parts.next()?;
        let merchant = (!code.is_empty() && !secret.is_empty()).then(|| Merchant::new(code, secret))?;
        match parts.next() {
            None => Some(merchant),
            Some(word) if !word.is_empty() && !word.contains(':') => {
                Some(merchant.with_buy_link_secret(word))
            }
            Some(_) => None,
        }
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
    /// The digest of the session the call came with (SOAP, JSON-RPC); `None` for a signed REST
    /// request.
    session: Option<String>,
}

impl MerchantContext {
    pub(crate) fn new(code: impl Into<String>, call: Call, started: Instant) -> Self {
        MerchantContext { code: code.into(), call, started, session: None }
    }

    /// The context of the admin API's state browser reading a merchant's data with `operation`:
    /// no session, no signature (the admin access rule guards it), and nothing journaled.
    pub fn admin(code: impl Into<String>, operation: &'static str) -> Self {
        MerchantContext::new(code, Call::new(crate::journal::Protocol::Rest, operation), Instant::now())
    }

    pub(crate) fn in_session(mut self, digest: String) -> Self {
        self.session = Some(digest);
        self
    }

    /// The digest of the call's session, if it came with one.
    pub(crate) fn session(&self) -> Option<&str> {
        self.session.as_deref()
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
    fn code_secret_and_an_optional_secret_word() {
        let merchant = Merchant::parse_pair("CODE:secret").unwrap();
        assert_eq!((merchant.code.as_str(), merchant.secret.expose()), ("CODE", "secret"));
        assert_eq!(merchant.buy_link_secret, None);
        let merchant = Merchant::parse_pair("CODE:secret:word").unwrap();
        assert_eq!(merchant.buy_link_secret.as_ref().map(SecretKey::expose), Some("word"));
        assert!(!format!("{merchant:?}").contains("word"));
        assert!(Merchant::parse_pair("CODE:secret:").is_none());
        assert!(Merchant::parse_pair("CODE:secret:wo:rd").is_none());
        assert!(Merchant::parse_pair("CODE").is_none());
        assert!(Merchant::parse_pair(":secret").is_none());
        assert!(Merchant::parse_pair("CODE:").is_none());
    }
}
