//! `tco-gateway sign`: the credentials a request needs, for people with curl — the REST
//! `X-Avangate-Authentication` header, or the JSON-RPC `login` params.

use chrono::{DateTime, Utc};
use clap::Args;
use tco_core::{DATE_FORMAT, HashAlgorithm, Merchant};

#[derive(Debug, Clone, Args)]
pub struct SignArgs {
    /// The merchant to sign as, CODE:SECRET.
    #[arg(long, value_name = "CODE:SECRET")]
    pub merchant: String,
    /// md5 (the default), sha256 or sha3-256.
    #[arg(long)]
    pub algo: Option<String>,
    /// Print the JSON-RPC `login` params (a JSON array) instead of the REST header.
    #[arg(long)]
    pub login: bool,
    /// Sign this UTC date (YYYY-MM-DD HH:MM:SS) instead of now.
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("--merchant must be CODE:SECRET, got {0:?}")]
    Merchant(String),
    #[error("{0}")]
    Algo(String),
    #[error("--date must be UTC as YYYY-MM-DD HH:MM:SS, got {0:?}")]
    Date(String),
}

/// The line to print: the header (`X-Avangate-Authentication: code="…" date="…" hash="…"`)
/// or the `login` params (`["CODE","date","hash"]`, with the algorithm fourth unless MD5).
pub fn sign(args: &SignArgs, now: DateTime<Utc>) -> Result<String, SignError> {
    // The secret is everything after the first colon: secret keys may hold colons.
    let merchant = args
        .merchant
        .split_once(':')
        .filter(|(code, secret)| !code.trim().is_empty() && !secret.is_empty())
        .map(|(code, secret)| Merchant::new(code.trim(), secret))
        .ok_or_else(|| SignError::Merchant(args.merchant.clone()))?;
    let algo =
        HashAlgorithm::parse(args.algo.as_deref()).map_err(|error| SignError::Algo(error.to_string()))?;
    let date = match &args.date {
        Some(date) => chrono::NaiveDateTime::parse_from_str(date, DATE_FORMAT)
            .map_err(|_| SignError::Date(date.clone()))?
            .format(DATE_FORMAT)
            .to_string(),
        None => now.format(DATE_FORMAT).to_string(),
    };
    let hash = tco_core::sign(&merchant.secret, &merchant.code, &date, algo);
    let named = (algo != HashAlgorithm::Md5).then_some(algo.name());
    Ok(if args.login {
        let mut params = vec![merchant.code, date, hash];
        params.extend(named.map(str::to_owned));
        serde_json::Value::from(params).to_string()
    } else {
        let algo = named.map(|name| format!(" algo=\"{name}\"")).unwrap_or_default();
        format!("X-Avangate-Authentication: code=\"{}\" date=\"{date}\" hash=\"{hash}\"{algo}", merchant.code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(merchant: &str, algo: Option<&str>, login: bool) -> SignArgs {
        SignArgs {
            merchant: merchant.into(),
            algo: algo.map(Into::into),
            login,
            date: Some("2026-11-23 10:00:00".into()),
        }
    }

    #[test]
    fn prints_what_the_vendor_expects() {
        let now = Utc::now();
        let header = sign(&args("TCODEMO:tco-demo-secret", None, false), now).unwrap();
        let hash = tco_core::sign(
            &tco_core::SecretKey::new("tco-demo-secret"),
            "TCODEMO",
            "2026-11-23 10:00:00",
            HashAlgorithm::Md5,
        );
        assert_eq!(
            header,
            format!(
                "X-Avangate-Authentication: code=\"TCODEMO\" date=\"2026-11-23 10:00:00\" hash=\"{hash}\""
            )
        );
        let login = sign(&args("TCODEMO:tco-demo-secret", Some("sha256"), true), now).unwrap();
        let params: Vec<String> = serde_json::from_str(&login).unwrap();
        assert_eq!(params.len(), 4);
        assert_eq!((params[0].as_str(), params[3].as_str()), ("TCODEMO", "sha256"));
        assert_eq!(params[2].len(), 64);
    }

    #[test]
    fn refuses_what_it_cannot_sign() {
        let now = Utc::now();
        assert!(matches!(sign(&args("TCODEMO", None, false), now), Err(SignError::Merchant(_))));
        assert!(matches!(sign(&args("A:b", Some("sha1"), false), now), Err(SignError::Algo(_))));
        let mut bad_date = args("A:b", None, false);
        bad_date.date = Some("yesterday".into());
        assert!(matches!(sign(&bad_date, now), Err(SignError::Date(_))));
    }
}
