//! The vendor's request signature, computed the way a merchant's code computes it:
//! `HMAC(secret, byteLen(code) + code + byteLen(date) + date)` in lowercase hex, `date` in UTC.

use hmac::digest::Digest;
use hmac::digest::block_api::BlockSizeUser;
use hmac::{KeyInit, Mac, SimpleHmac};

/// The HMAC the client signs with. `Md5` sends no `algo`, as pre-6.0 clients do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    #[default]
    Md5,
    Sha256,
    Sha3_256,
}

impl Algorithm {
    /// The `algo` value sent on the wire; `None` for MD5.
    pub fn wire_name(self) -> Option<&'static str> {
        match self {
            Algorithm::Md5 => None,
            Algorithm::Sha256 => Some("sha256"),
            Algorithm::Sha3_256 => Some("sha3-256"),
        }
    }
}

/// A merchant's code and secret key. `Debug` does not print the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub merchant_code: String,
    secret: String,
    pub algorithm: Algorithm,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("merchant_code", &self.merchant_code)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// What a login sends: the date signed and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub date: String,
    pub hash: String,
}

impl Credentials {
    pub fn new(merchant_code: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials { merchant_code: merchant_code.into(), secret: secret.into(), algorithm: Algorithm::Md5 }
    }

    pub fn with_algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Signs the current UTC time.
    pub fn sign_now(&self) -> Signature {
        self.sign(&chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string())
    }

    pub fn sign(&self, date: &str) -> Signature {
        let code = &self.merchant_code;
        let message = format!("{}{code}{}{date}", code.len(), date.len());
        let key = self.secret.as_bytes();
        let hash = match self.algorithm {
            Algorithm::Md5 => hmac_hex::<md5::Md5>(key, &message),
            Algorithm::Sha256 => hmac_hex::<sha2::Sha256>(key, &message),
            Algorithm::Sha3_256 => hmac_hex::<sha3::Sha3_256>(key, &message),
        };
        Signature { date: date.to_owned(), hash }
    }

    /// The `X-Avangate-Authentication` header value for a request now.
    pub fn rest_header(&self) -> String {
        let Signature { date, hash } = self.sign_now();
        let code = &self.merchant_code;
        match self.algorithm.wire_name() {
            None => format!(r#"code="{code}" date="{date}" hash="{hash}""#),
            Some(algo) => format!(r#"code="{code}" date="{date}" hash="{hash}" algo="{algo}""#),
        }
    }
}

fn hmac_hex<D: Digest + BlockSizeUser>(key: &[u8], message: &str) -> String {
    match <SimpleHmac<D> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        // HMAC accepts keys of any length; an empty hash simply fails authentication.
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendors_test_vector() {
        let credentials = Credentials::new("AVANGATE", "SECRET_KEY");
        assert_eq!(credentials.sign("2010-05-13 12:12:12").hash, "bf763db7d333e9c3038698cf59ada3e6");
        let sha3 = credentials.with_algorithm(Algorithm::Sha3_256);
        assert_eq!(
            sha3.sign("2010-05-13 12:12:12").hash,
            "0c7e9c0c96148e5bf8e199a0a0e27977edc099ff0b27794e761853b96e04c7fb"
        );
        assert!(!format!("{sha3:?}").contains("SECRET_KEY"));
    }
}
