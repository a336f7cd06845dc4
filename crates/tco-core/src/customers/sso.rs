//! Single sign-on in cart: the rules for the URL, the validity and the validation IP, and how
//! the token is appended.

use std::net::IpAddr;

use crate::error::{Error, Result};
use crate::kernel::fields::optional;

/// The vendor's default validity of an SSO link.
pub const DEFAULT_VALIDITY_SECS: i64 = 10;
/// A day: long enough for any manual test, short enough that grants do not pile up.
pub const MAX_VALIDITY_SECS: i64 = 86_400;
const URL_MAX: usize = 2048;

/// A request for a single sign-on link, as a client sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignOnRequest {
    /// Any buy link or cart URL; the token is appended as `logintoken`.
    pub url: Option<String>,
    /// Seconds; absent or `0` means [`DEFAULT_VALIDITY_SECS`].
    pub validity_secs: Option<i64>,
    /// The shopper's IP the token is bound to; absent or `""` means none.
    pub validation_ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValidSignOn {
    pub url: String,
    pub validity_secs: i64,
    pub validation_ip: Option<String>,
}

pub(crate) fn validate(request: SignOnRequest) -> Result<ValidSignOn> {
    let url = optional("Url", request.url, URL_MAX)?.ok_or(Error::MissingField("Url"))?;
    let url = url.trim().to_owned();
    if !is_absolute_url(&url) {
        return Err(Error::invalid("Url", "must be an absolute http or https URL with a host"));
    }
    let validity_secs = match request.validity_secs {
        None | Some(0) => DEFAULT_VALIDITY_SECS,
        Some(secs) if (1..=MAX_VALIDITY_SECS).contains(&secs) => secs,
        Some(_) => {
            return Err(Error::invalid(
                "ValidityTime",
                format!("must be from 1 to {MAX_VALIDITY_SECS} seconds"),
            ));
        }
    };
    let validation_ip = optional("ValidationIp", request.validation_ip, 64)?
        .map(|ip| {
            canonical_ip(&ip).ok_or_else(|| Error::invalid("ValidationIp", "must be an IPv4 or IPv6 address"))
        })
        .transpose()?;
    Ok(ValidSignOn { url, validity_secs, validation_ip })
}

/// An IPv4 or IPv6 address in its canonical form.
pub(crate) fn canonical_ip(ip: &str) -> Option<String> {
    ip.trim().parse::<IpAddr>().ok().map(|ip| ip.to_string())
}

/// Whether a token bound to the IP `bound` may be spent from `client`: yes when it is bound to
/// none, or when the client's address is not known.
pub(crate) fn ip_allows(bound: Option<&str>, client: Option<IpAddr>) -> bool {
    match (bound, client) {
        (Some(bound), Some(client)) => bound.parse::<IpAddr>().ok() == Some(client),
        _ => true,
    }
}

/// An absolute `http` or `https` URL with a host and no whitespace.
pub(crate) fn is_absolute_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Appends `logintoken=<token>` to the query, before any fragment.
pub(crate) fn append_token(url: &str, token: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url, None),
    };
    let separator = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    match fragment {
        Some(fragment) => format!("{base}{separator}logintoken={token}#{fragment}"),
        None => format!("{base}{separator}logintoken={token}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> SignOnRequest {
        SignOnRequest { url: Some(url.into()), ..SignOnRequest::default() }
    }

    #[test]
    fn token_goes_into_the_query() {
        assert_eq!(append_token("https://x.test/cart", "t"), "https://x.test/cart?logintoken=t");
        assert_eq!(append_token("https://x.test/c?a=1", "t"), "https://x.test/c?a=1&logintoken=t");
        assert_eq!(append_token("https://x.test/c?", "t"), "https://x.test/c?logintoken=t");
        assert_eq!(append_token("https://x.test/c?a=1#top", "t"), "https://x.test/c?a=1&logintoken=t#top");
    }

    #[test]
    fn defaults_and_limits() {
        let valid = validate(request("https://secure.2checkout.com/order/cart.php")).unwrap();
        assert_eq!(valid.validity_secs, DEFAULT_VALIDITY_SECS);
        assert_eq!(valid.validation_ip, None);
        let valid = validate(SignOnRequest {
            validity_secs: Some(60),
            validation_ip: Some("::1".into()),
            ..request("http://localhost:8000/")
        })
        .unwrap();
        assert_eq!((valid.validity_secs, valid.validation_ip.as_deref()), (60, Some("::1")));
    }

    #[test]
    fn bad_requests_are_refused() {
        assert_eq!(validate(SignOnRequest::default()), Err(Error::MissingField("Url")));
        for url in ["ftp://x.test/", "x.test/cart", "https://", "https:///path", "https://x.test/a b"] {
            assert!(matches!(validate(request(url)), Err(Error::InvalidField { field: "Url", .. })), "{url}");
        }
        let too_long =
            SignOnRequest { validity_secs: Some(MAX_VALIDITY_SECS + 1), ..request("https://x.test") };
        assert!(matches!(validate(too_long), Err(Error::InvalidField { field: "ValidityTime", .. })));
        let negative = SignOnRequest { validity_secs: Some(-1), ..request("https://x.test") };
        assert!(matches!(validate(negative), Err(Error::InvalidField { field: "ValidityTime", .. })));
        let bad_ip = SignOnRequest { validation_ip: Some("300.1.1.1".into()), ..request("https://x.test") };
        assert!(matches!(validate(bad_ip), Err(Error::InvalidField { field: "ValidationIp", .. })));
    }
}
