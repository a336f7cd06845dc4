//! Opaque bearer values (session ids, SSO tokens, card transient tokens): random bytes from
//! the [`RandomSource`] in lowercase hex, and the digest under which they are stored.

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::kernel::random::RandomSource;

/// 20 bytes = 160 bits, which prints as 40 hex characters like the vendor's example SSO
/// token `8b74ac97f8277654563c44da6915b054ba0d21be`.
const TOKEN_BYTES: usize = 20;

pub(crate) fn new_token(random: &dyn RandomSource) -> Result<String> {
    Ok(hex::encode(random_bytes::<TOKEN_BYTES>(random)?))
}

/// `N` random bytes: every token, code and reference the gateway generates starts here. A
/// failing source is the gateway's fault, logged, and `Internal` to the client.
pub(crate) fn random_bytes<const N: usize>(random: &dyn RandomSource) -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    random.fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness");
        Error::Internal
    })?;
    Ok(bytes)
}

/// What the store keeps instead of the bearer value, so a copy of the database holds no
/// usable session or SSO token.
pub(crate) fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::random::OsRandom;

    #[test]
    fn tokens_are_40_hex_chars_and_differ() {
        let first = new_token(&OsRandom).unwrap();
        let second = new_token(&OsRandom).unwrap();
        assert_eq!(first.len(), 40);
        assert!(first.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(first, second);
        assert_eq!(digest(&first).len(), 64);
        assert_ne!(digest(&first), first);
    }
}
