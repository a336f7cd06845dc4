//! The signature service and the hosted cart's check of signed links, on the rules of
//! [`crate::buy_links`] and the merchant's buy-link secret word.

use crate::auth::keyed;
use crate::buy_links::{BuyLinkReturn, MerchantToken, SIGNED_PARAMETERS, serialize, sign, sign_return};
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::orders::Order;
use chrono::{DateTime, Duration, Utc};
use hmac::Mac;

/// How long a merchant token without `exp` is accepted after its `iat` (the PHP SDK's default
/// lifetime).
const TOKEN_LIFETIME_WITHOUT_EXP: Duration = Duration::minutes(30);

impl Gateway {
    /// The merchant's buy-link secret word: `--merchant CODE:SECRET:WORD`, else its data file's.
    pub(crate) fn buy_link_secret_word(&self, merchant_code: &str) -> Option<String> {
        let merchant = self.merchants().get(merchant_code)?;
        let word = merchant
            .buy_link_secret
            .clone()
            .or_else(|| self.merchant_config(merchant_code).buy_link_secret_word.clone());
        word.map(|word| word.expose().to_owned())
    }

    /// The signature service: checks the merchant token (HS512 with the merchant's buy-link
    /// secret word, `sub` the merchant, `iat` not in the future, not expired) and signs the
    /// payload's parameters. `payload_merchant` is the payload's `merchant`, if it names one.
    pub fn buy_link_signature(
        &self,
        token: &MerchantToken,
        payload_merchant: Option<&str>,
        parameters: &[(String, String)],
    ) -> Result<String> {
        let merchant_code = token.subject.as_deref().map(str::trim).unwrap_or_default();
        if merchant_code.is_empty() {
            return Err(Error::InvalidMerchantToken("the token has no sub (the merchant code)"));
        }
        if token.algorithm != "HS512" {
            return Err(Error::InvalidMerchantToken("the token must be signed with HS512"));
        }
        let secret_word = self
            .buy_link_secret_word(merchant_code)
            .ok_or(Error::InvalidMerchantToken("the token's merchant has no buy-link secret word here"))?;
        let mac = keyed::<sha2::Sha512>(secret_word.as_bytes(), &token.signing_input);
        if mac.verify_slice(&token.signature).is_err() {
            return Err(Error::InvalidMerchantToken(
                "the token's signature does not verify with the merchant's buy-link secret word",
            ));
        }
        self.check_token_times(token)?;
        if let Some(named) = payload_merchant
            && named.trim() != merchant_code
        {
            return Err(Error::InvalidMerchantToken("the token is another merchant's than the payload's"));
        }
        Ok(sign(&secret_word, parameters))
    }

    fn check_token_times(&self, token: &MerchantToken) -> Result<()> {
        let now = self.now();
        let at = |seconds: i64| DateTime::<Utc>::from_timestamp(seconds, 0);
        let issued = token.issued_at.ok_or(Error::InvalidMerchantToken("the token has no iat"))?;
        let issued = at(issued).ok_or(Error::InvalidMerchantToken("the token's iat is not a time"))?;
        if issued > now {
            return Err(Error::InvalidMerchantToken("the token's iat is in the future"));
        }
        let expires = match token.expires_at {
            Some(seconds) => {
                at(seconds).ok_or(Error::InvalidMerchantToken("the token's exp is not a time"))?
            }
            None => crate::kernel::dates::shifted(issued, TOKEN_LIFETIME_WITHOUT_EXP),
        };
        if expires <= now {
            return Err(Error::InvalidMerchantToken("the token has expired"));
        }
        Ok(())
    }

    /// Whether the hosted cart may show a link's products: a link with a `signature` must carry
    /// the merchant's signature of its signed parameters, and a signed `expiration` must be in
    /// the future. A link without a signature is a plain catalog link.
    /// Where the shopper goes back after `order`, bought from the signed buy link `parameters`:
    /// `None` without a `return-url` or with a link whose signature does not verify. The new
    /// signature covers every parameter the return page will see, `url_query` (those already in
    /// `return-url`, decoded) among them.
    pub fn buy_link_return(
        &self,
        merchant_code: &str,
        parameters: &[(String, String)],
        url_query: &[(String, String)],
        order: &Order,
    ) -> Option<BuyLinkReturn> {
        let value =
            |name: &str| parameters.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
        let url =
            value("return-url").filter(|url| url.starts_with("http://") || url.starts_with("https://"))?;
        value("signature")?;
        if !self.buy_link_is_valid(merchant_code, parameters) {
            return None;
        }
        let secret_word = self.buy_link_secret_word(merchant_code)?;
        let mut back: Vec<(String, String)> = parameters
            .iter()
            .filter(|(name, _)| SIGNED_PARAMETERS.contains(&name.as_str()))
            .cloned()
            .collect();
        back.push(("refno".into(), order.ref_no.clone()));
        back.push(("total".into(), format!("{:.2}", order.totals.gross_discounted().round_dp(2))));
        back.push(("total-currency".into(), order.currency.clone()));
        let seen: Vec<(String, String)> = url_query.iter().chain(&back).cloned().collect();
        let signature = sign_return(&secret_word, &seen);
        back.push(("signature".into(), signature));
        let redirect = value("return-type").is_some_and(|kind| kind.eq_ignore_ascii_case("redirect"));
        Some(BuyLinkReturn { url, parameters: back, redirect })
    }

    pub fn buy_link_is_valid(&self, merchant_code: &str, parameters: &[(String, String)]) -> bool {
        let value =
            |name: &str| parameters.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
        let Some(signature) = value("signature") else { return true };
        let Some(secret_word) = self.buy_link_secret_word(merchant_code) else { return false };
        let expected = keyed::<sha2::Sha256>(secret_word.as_bytes(), &serialize(parameters));
        let Ok(presented) = hex::decode(signature.trim()) else { return false };
        if expected.verify_slice(&presented).is_err() {
            return false;
        }
        match value("expiration") {
            None => true,
            Some(expiration) => expiration
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|seconds| DateTime::<Utc>::from_timestamp(seconds, 0))
                .is_some_and(|expires| expires > self.now()),
        }
    }
}
