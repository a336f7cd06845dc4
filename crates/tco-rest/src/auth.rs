//! The `X-Avangate-Authentication` header: parsed here, verified by the core.
//!
//! `code="…" date="…" hash="…" [algo="…"]` in any order, with either quote character (the
//! vendor documents both), extra spaces, commas or semicolons between attributes, and
//! case-insensitive names.

use axum::http::HeaderMap;
use tco_core::{Credentials, Error};

pub const HEADER: &str = "x-avangate-authentication";

/// The credentials of the request's one `X-Avangate-Authentication` header.
pub(crate) fn header_credentials(headers: &HeaderMap) -> Result<Credentials, Error> {
    let mut values = headers.get_all(HEADER).iter();
    let value = values.next().ok_or_else(|| {
        Error::MalformedCredentials("the X-Avangate-Authentication header is missing.".into())
    })?;
    if values.next().is_some() {
        // Which one would the vendor's proxies pass on? Refuse rather than guess.
        return Err(Error::MalformedCredentials(
            "the X-Avangate-Authentication header is sent more than once.".into(),
        ));
    }
    let value = value.to_str().map_err(|_| {
        Error::MalformedCredentials("the X-Avangate-Authentication header is not valid text.".into())
    })?;
    parse_header(value)
}

pub fn parse_header(value: &str) -> Result<Credentials, Error> {
    let malformed = |detail: &str| {
        Error::MalformedCredentials(format!(
            "{detail}; expected X-Avangate-Authentication: code=\"…\" date=\"…\" hash=\"…\" [algo=\"…\"]."
        ))
    };
    let (mut code, mut date, mut hash, mut algo) = (None, None, None, None);
    let mut rest = value.trim_start();
    while !rest.is_empty() {
        let name_end =
            rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-').unwrap_or(rest.len());
        let name = &rest[..name_end];
        if name.is_empty() {
            return Err(malformed("an attribute name was expected"));
        }
        rest = rest[name_end..].trim_start();
        rest = rest.strip_prefix('=').ok_or_else(|| malformed(&format!("\"=\" is missing after {name}")))?;
        rest = rest.trim_start();
        let (attribute, after) = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner = &rest[1..];
                let end = inner
                    .find(quote)
                    .ok_or_else(|| malformed(&format!("the value of {name} is not closed")))?;
                (&inner[..end], &inner[end + 1..])
            }
            _ => {
                // Unquoted values end at the next separator; a date must be quoted.
                let end =
                    rest.find(|c: char| c.is_whitespace() || c == ',' || c == ';').unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        let slot = match name.to_ascii_lowercase().as_str() {
            "code" => Some(&mut code),
            "date" => Some(&mut date),
            "hash" => Some(&mut hash),
            "algo" => Some(&mut algo),
            // Attributes a newer client may add are no reason to refuse it.
            _ => None,
        };
        if let Some(slot) = slot
            && slot.replace(attribute.to_owned()).is_some()
        {
            return Err(malformed(&format!("{name} appears twice")));
        }
        rest = after.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ';');
    }
    Ok(Credentials {
        merchant_code: code.ok_or_else(|| malformed("code is missing"))?,
        date: date.ok_or_else(|| malformed("date is missing"))?,
        hash: hash.ok_or_else(|| malformed("hash is missing"))?,
        algo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(value: &str) -> (String, String, String, Option<String>) {
        let credentials = parse_header(value).unwrap();
        (credentials.merchant_code, credentials.date, credentials.hash, credentials.algo)
    }

    #[test]
    fn the_documented_form() {
        assert_eq!(
            parsed(r#"code="MERCH" date="2024-01-01 10:00:00" hash="abc123" algo="sha256""#),
            ("MERCH".into(), "2024-01-01 10:00:00".into(), "abc123".into(), Some("sha256".into()))
        );
    }

    #[test]
    fn lenient_variants() {
        let expected = ("MERCH".into(), "2024-01-01 10:00:00".into(), "abc".into(), None);
        assert_eq!(parsed("code='MERCH' date='2024-01-01 10:00:00' hash='abc'"), expected);
        assert_eq!(parsed(r#"hash="abc" date="2024-01-01 10:00:00" code="MERCH""#), expected);
        assert_eq!(parsed(r#"  code = "MERCH"   date="2024-01-01 10:00:00",hash=abc  "#), expected);
        assert_eq!(parsed(r#"CODE="MERCH"; Date="2024-01-01 10:00:00"; HASH="abc""#), expected);
        assert_eq!(parsed(r#"code="MERCH" date='2024-01-01 10:00:00' hash="abc""#), expected);
        assert_eq!(parsed(r#"code="MERCH" date="2024-01-01 10:00:00" hash="abc" v="2""#), expected);
    }

    #[test]
    fn malformed_headers_are_refused() {
        for value in [
            "",
            r#"code="MERCH" date="2024-01-01 10:00:00""#,
            r#"code="MERCH" date="2024-01-01 10:00:00" hash="abc"#,
            r#"code="MERCH" code="X" date="d" hash="h""#,
            r#"code "MERCH" date="d" hash="h""#,
            r#"=x"#,
        ] {
            assert!(matches!(parse_header(value), Err(Error::MalformedCredentials(_))), "{value:?}");
        }
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::parse_header;

        proptest! {
            #[test]
            fn any_text_parses_or_is_refused_without_panicking(value in any::<String>()) {
                let _ = parse_header(&value);
            }

            #[test]
            fn well_formed_headers_parse_whatever_the_order_and_quotes(
                code in "[A-Z0-9]{1,12}",
                hash in "[0-9a-f]{32}",
                seconds in 0u32..60,
                order in Just([0usize, 1, 2]).prop_shuffle(),
                quotes in prop::collection::vec(prop::bool::ANY, 3),
                spaces in prop::collection::vec("[ ]{1,3}", 3),
            ) {
                let date = format!("2024-01-01 10:00:{seconds:02}");
                let values = [("code", &code), ("date", &date), ("hash", &hash)];
                let header: String = order
                    .iter()
                    .enumerate()
                    .map(|(position, &index)| {
                        let quote = if quotes[position] { '"' } else { '\'' };
                        let (name, value) = values[index];
                        format!("{}{name}={quote}{value}{quote}", spaces[position])
                    })
                    .collect();
                let credentials = parse_header(&header).unwrap();
                prop_assert_eq!(credentials.merchant_code, code);
                prop_assert_eq!(credentials.date, date);
                prop_assert_eq!(credentials.hash, hash);
            }
        }
    }
}
