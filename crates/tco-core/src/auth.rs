//! The vendor's HMAC authentication, shared by the REST header and the `login` operation:
//! `HMAC(secret, byteLen(code) + code + byteLen(date) + date)` in lowercase hex.

use std::sync::LazyLock;

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, Utc};
use hmac::digest::Digest;
use hmac::digest::block_api::BlockSizeUser;
use hmac::{KeyInit, Mac, SimpleHmac};

use crate::error::{Error, Result};
use crate::merchant::SecretKey;

/// The date format the vendor requires: UTC, `YYYY-MM-DD HH:MM:SS`.
pub const DATE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// The HMAC digests API 6.0 accepts. No `algo` means MD5, as in every pre-6.0 client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HashAlgorithm {
    #[default]
    Md5,
    Sha256,
    Sha3_256,
}

impl HashAlgorithm {
    /// Parses the optional `algo` value, case-insensitively (PHP hash names are). An empty
    /// value counts as absent, since SOAP and JSON-RPC clients often send `""` for "not given".
    pub fn parse(algo: Option<&str>) -> Result<Self> {
        let Some(name) = algo.map(str::trim).filter(|name| !name.is_empty()) else {
            return Ok(HashAlgorithm::Md5);
        };
        match name.to_ascii_lowercase().as_str() {
            "md5" => Ok(HashAlgorithm::Md5),
            "sha256" | "sha-256" => Ok(HashAlgorithm::Sha256),
            "sha3-256" | "sha3_256" => Ok(HashAlgorithm::Sha3_256),
            _ => Err(Error::UnsupportedAlgorithm(truncate_for_message(name))),
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "md5",
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha3_256 => "sha3-256",
        }
    }
}

/// What a client presents to authenticate: on REST in the header, on SOAP and JSON-RPC as
/// the arguments of `login`. Its `Debug` leaves the hash out.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub merchant_code: String,
    pub date: String,
    pub hash: String,
    pub algo: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("merchant_code", &self.merchant_code)
            .field("date", &self.date)
            .field("algo", &self.algo)
            .finish_non_exhaustive()
    }
}

/// `byteLen(code) + code + byteLen(date) + date`, lengths in bytes (UTF-8), as the vendor
/// documents.
pub fn string_to_sign(merchant_code: &str, date: &str) -> String {
    format!("{}{merchant_code}{}{date}", merchant_code.len(), date.len())
}

/// The lowercase hex HMAC a client is expected to send.
pub fn sign(secret: &SecretKey, merchant_code: &str, date: &str, algo: HashAlgorithm) -> String {
    hex::encode(mac_bytes(secret.expose().as_bytes(), &string_to_sign(merchant_code, date), algo))
}

/// Checks `hash` in constant time. A hash that is not hex of the right length simply fails.
pub(crate) fn hash_matches(
    secret: &SecretKey,
    merchant_code: &str,
    date: &str,
    algo: HashAlgorithm,
    hash: &str,
) -> bool {
    let Ok(presented) = hex::decode(hash.trim()) else {
        return false;
    };
    let message = string_to_sign(merchant_code, date);
    let key = secret.expose().as_bytes();
    // `verify_slice` compares in constant time.
    match algo {
        HashAlgorithm::Md5 => keyed::<md5::Md5>(key, &message).verify_slice(&presented).is_ok(),
        HashAlgorithm::Sha256 => keyed::<sha2::Sha256>(key, &message).verify_slice(&presented).is_ok(),
        HashAlgorithm::Sha3_256 => keyed::<sha3::Sha3_256>(key, &message).verify_slice(&presented).is_ok(),
    }
}

/// Whether `given` is the secret `known`, compared in constant time (through an HMAC of each, so
/// neither the length nor the first difference shows in the timing).
pub(crate) fn same_secret(known: &[u8], given: &[u8]) -> bool {
    let digest = sha2::Sha256::digest(given);
    let known =
        keyed::<sha2::Sha256>(b"tco-gateway secret comparison", &hex::encode(sha2::Sha256::digest(known)));
    let given = hex::encode(digest);
    let reference = keyed::<sha2::Sha256>(b"tco-gateway secret comparison", &given).finalize().into_bytes();
    known.verify_slice(&reference).is_ok()
}

/// The vendor's serialisation for its signatures (cart links, returns, IPN, LCN, the export):
/// each value prefixed with its length in bytes, concatenated — `Zürich` is `7Zürich`, an empty
/// value `0`.
pub fn length_prefixed<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values.into_iter().map(|value| format!("{}{value}", value.len())).collect()
}

/// HMAC of `message` with `key` as lower-case hex (the vendor's notifications and export are
/// signed this way, over their own serialisations).
pub fn hmac_hex(key: &SecretKey, message: &str, algo: HashAlgorithm) -> String {
    hex::encode(mac_bytes(key.expose().as_bytes(), message, algo))
}

fn mac_bytes(key: &[u8], message: &str, algo: HashAlgorithm) -> Vec<u8> {
    match algo {
        HashAlgorithm::Md5 => keyed::<md5::Md5>(key, message).finalize().into_bytes().to_vec(),
        HashAlgorithm::Sha256 => keyed::<sha2::Sha256>(key, message).finalize().into_bytes().to_vec(),
        HashAlgorithm::Sha3_256 => keyed::<sha3::Sha3_256>(key, message).finalize().into_bytes().to_vec(),
    }
}

/// `SimpleHmac` rather than `Hmac`: SHA3 has no block-level core that `Hmac` needs, and the
/// speed difference does not matter for one short message per request.
pub(crate) fn keyed<D: Digest + BlockSizeUser>(key: &[u8], message: &str) -> SimpleHmac<D> {
    let mut mac = <SimpleHmac<D> as KeyInit>::new_from_slice(key)
        // HMAC takes keys of any length, so this never fails; the fallback keeps the
        // request path free of panics all the same.
        .unwrap_or_else(|_| <SimpleHmac<D> as KeyInit>::new(&Default::default()));
    mac.update(message.as_bytes());
    mac
}

/// [`DATE_FORMAT`] parsed once, not on every request as `parse_from_str` would.
static DATE_ITEMS: LazyLock<Vec<Item<'static>>> =
    LazyLock::new(|| StrftimeItems::new(DATE_FORMAT).parse_to_owned().unwrap_or_default());

fn parse_date(date: &str) -> Option<DateTime<Utc>> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, date, DATE_ITEMS.iter()).ok()?;
    parsed.to_naive_datetime_with_offset(0).ok().map(|date| date.and_utc())
}

/// Parses the request date and checks it lies within `window_secs` of `now`.
pub(crate) fn check_date(date: &str, now: DateTime<Utc>, window_secs: i64) -> Result<()> {
    let parsed = parse_date(date.trim()).ok_or(Error::MalformedDate)?;
    let skew = (now - parsed).num_seconds().abs();
    if skew > window_secs {
        return Err(Error::DateOutsideWindow { date: truncate_for_message(date), window_secs });
    }
    Ok(())
}

/// Client-supplied text echoed in an error message is cut short: messages stay readable and
/// a hostile value cannot bloat every error.
pub(crate) fn truncate_for_message(value: &str) -> String {
    const MAX: usize = 64;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendor_key() -> SecretKey {
        SecretKey::new("SECRET_KEY")
    }

    #[test]
    fn string_to_sign_counts_bytes() {
        assert_eq!(string_to_sign("AVANGATE", "2010-05-13 12:12:12"), "8AVANGATE192010-05-13 12:12:12");
        // "é" is two bytes in UTF-8.
        assert_eq!(string_to_sign("é", "d"), "2é1d");
    }

    #[test]
    fn vendor_test_vector_md5() {
        let hash = sign(&vendor_key(), "AVANGATE", "2010-05-13 12:12:12", HashAlgorithm::Md5);
        assert_eq!(hash, "bf763db7d333e9c3038698cf59ada3e6");
    }

    #[test]
    fn vendor_test_vector_sha256() {
        let hash = sign(&vendor_key(), "AVANGATE", "2010-05-13 12:12:12", HashAlgorithm::Sha256);
        assert_eq!(hash, "29e85dbf92ce0113e7755c31c0438a7db98a4de9f910bf0a527e005f35e43739");
    }

    #[test]
    fn vendor_test_vector_sha3_256() {
        let hash = sign(&vendor_key(), "AVANGATE", "2010-05-13 12:12:12", HashAlgorithm::Sha3_256);
        assert_eq!(hash, "0c7e9c0c96148e5bf8e199a0a0e27977edc099ff0b27794e761853b96e04c7fb");
    }

    #[test]
    fn verification_accepts_the_right_hash_only() {
        let key = vendor_key();
        let date = "2010-05-13 12:12:12";
        let good = "bf763db7d333e9c3038698cf59ada3e6";
        assert!(hash_matches(&key, "AVANGATE", date, HashAlgorithm::Md5, good));
        assert!(hash_matches(&key, "AVANGATE", date, HashAlgorithm::Md5, &good.to_uppercase()));
        assert!(!hash_matches(&key, "AVANGATE", date, HashAlgorithm::Sha256, good));
        assert!(!hash_matches(&key, "AVANGATEX", date, HashAlgorithm::Md5, good));
        assert!(!hash_matches(&key, "AVANGATE", date, HashAlgorithm::Md5, &good[..30]));
        assert!(!hash_matches(&key, "AVANGATE", date, HashAlgorithm::Md5, "not hex"));
        assert!(!hash_matches(&key, "AVANGATE", date, HashAlgorithm::Md5, ""));
    }

    #[test]
    fn algorithm_names_are_case_insensitive_and_default_to_md5() {
        assert_eq!(HashAlgorithm::parse(None), Ok(HashAlgorithm::Md5));
        assert_eq!(HashAlgorithm::parse(Some("")), Ok(HashAlgorithm::Md5));
        assert_eq!(HashAlgorithm::parse(Some("MD5")), Ok(HashAlgorithm::Md5));
        assert_eq!(HashAlgorithm::parse(Some("SHA256")), Ok(HashAlgorithm::Sha256));
        assert_eq!(HashAlgorithm::parse(Some("SHA3-256")), Ok(HashAlgorithm::Sha3_256));
        assert_eq!(HashAlgorithm::parse(Some("sha3-256")), Ok(HashAlgorithm::Sha3_256));
        assert!(matches!(HashAlgorithm::parse(Some("sha1")), Err(Error::UnsupportedAlgorithm(_))));
    }

    #[test]
    fn date_window_is_inclusive_and_symmetric() {
        let now =
            chrono::NaiveDateTime::parse_from_str("2024-01-01 12:00:00", DATE_FORMAT).unwrap().and_utc();
        assert_eq!(parse_date("2024-01-01 12:00:00"), Some(now));
        assert_eq!(parse_date("2024-02-30 12:00:00"), None);
        assert_eq!(parse_date("2024-01-01 12:00:00 trailing"), None);
        assert_eq!(check_date("2024-01-01 12:10:00", now, 600), Ok(()));
        assert_eq!(check_date("2024-01-01 11:50:00", now, 600), Ok(()));
        assert!(matches!(check_date("2024-01-01 12:10:01", now, 600), Err(Error::DateOutsideWindow { .. })));
        assert!(matches!(check_date("2024-01-01 11:49:59", now, 600), Err(Error::DateOutsideWindow { .. })));
        assert_eq!(check_date("2024-01-01T12:00:00", now, 600), Err(Error::MalformedDate));
        assert_eq!(check_date("yesterday", now, 600), Err(Error::MalformedDate));
    }
}
