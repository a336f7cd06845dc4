//! Signed buy links (InLine and ConvertPlus carts): the signature the vendor documents, the
//! signature service's merchant token, and the check the hosted cart makes.
//!
//! The signature is `hex(HMAC-SHA256(buy-link secret word, serialization))`, where the
//! serialization takes the signed parameters a link carries, sorts them by name, writes each
//! value as its length in bytes followed by the value, and concatenates them (names are not
//! written). The vendor's seed payload `{"merchant":"AVLRNG","currency":"USD","lock":1,
//! "products":[{"code":"74B8E17CC0","quantity":3}]}` serializes as `3USD111074B8E17CC013`
//! (currency, lock, prod, qty). An InLine payload becomes those parameters by [`payload_parameters`];
//! `docs/signature.md` writes both rules out.

use hmac::Mac;

use crate::auth::{keyed, length_prefixed};
use crate::error::{Error, Result};

/// The ConvertPlus parameters a signature covers (KC "ConvertPlus Buy-Links Signature"); any
/// other parameter of a link or payload is not signed.
pub const SIGNED_PARAMETERS: &[&str] = &[
    "currency",
    "customer-ext-ref",
    "customer-ref",
    "description",
    "duration",
    "expiration",
    "item-ext-ref",
    "lock",
    "opt",
    "order-ext-ref",
    "price",
    "prod",
    "qty",
    "recurrence",
    "renewal-price",
    "return-type",
    "return-url",
    "tangible",
    "type",
];

/// A product member of an InLine payload → the ConvertPlus parameter it becomes (besides
/// `code`/`name` → `prod`, `quantity` → `qty` and `options` → `opt`).
const PRODUCT_MEMBERS: &[(&str, &str)] = &[
    ("price", "price"),
    ("tangible", "tangible"),
    ("type", "type"),
    ("description", "description"),
    ("recurrence", "recurrence"),
    ("duration", "duration"),
    ("renewalPrice", "renewal-price"),
    ("renewal-price", "renewal-price"),
    ("externalReference", "item-ext-ref"),
    ("item-ext-ref", "item-ext-ref"),
];

/// A value of an InLine payload as its adapter read it: text (a string, a number as JSON writes
/// it, `1`/`0` for a boolean), a list of such texts, or anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadValue {
    Text(String),
    List(Vec<String>),
    Nested,
}

/// The members of a payload object (`null` ones left out), in order.
pub type PayloadMembers = Vec<(String, PayloadValue)>;

/// The ConvertPlus parameters an InLine payload signs: its top-level signed parameters as they
/// are, and its products one value per product joined with `;` — `prod` (`code`, else `name`),
/// `qty` (`quantity`, default 1), `opt` (`options` joined with `,`) and the [`PRODUCT_MEMBERS`]
/// a product has (empty for those that lack one). Every other member is not signed.
pub fn payload_parameters(
    top: &PayloadMembers,
    products: &[PayloadMembers],
) -> Result<Vec<(String, String)>> {
    let malformed = |reason: String| Error::MalformedRequest(format!("{reason}."));
    let mut parameters = Vec::new();
    for (name, value) in top.iter().filter(|(name, _)| SIGNED_PARAMETERS.contains(&name.as_str())) {
        match value {
            PayloadValue::Text(text) => parameters.push((name.clone(), text.clone())),
            _ => return Err(malformed(format!("{name} must be a string, number or boolean"))),
        }
    }
    let mut columns: Vec<(&str, Vec<String>)> = Vec::new();
    let mut put = |parameter: &'static str, index: usize, value: String| {
        let position = columns.iter().position(|(name, _)| *name == parameter).unwrap_or_else(|| {
            columns.push((parameter, vec![String::new(); products.len()]));
            columns.len() - 1
        });
        columns[position].1[index] = value;
    };
    for (index, product) in products.iter().enumerate() {
        let member = |name: &str| match product.iter().find(|(key, _)| key == name).map(|(_, value)| value) {
            None => Ok(None),
            Some(PayloadValue::Text(text)) => Ok(Some(text.clone())),
            Some(_) => {
                Err(malformed(format!("products[{index}].{name} must be a string, number or boolean")))
            }
        };
        let code = match member("code")? {
            Some(code) => code,
            None => member("name")?.ok_or_else(|| malformed(format!("products[{index}] has no code")))?,
        };
        put("prod", index, code);
        let quantity = member("quantity")?.unwrap_or_else(|| "1".to_owned());
        if !quantity.parse::<u32>().is_ok_and(|quantity| quantity > 0) {
            return Err(malformed(format!("products[{index}].quantity must be a positive integer")));
        }
        put("qty", index, quantity);
        match product.iter().find(|(key, _)| key == "options").map(|(_, value)| value) {
            None => {}
            Some(PayloadValue::Text(option)) => put("opt", index, option.clone()),
            Some(PayloadValue::List(options)) => put("opt", index, options.join(",")),
            Some(PayloadValue::Nested) => {
                return Err(malformed(format!("products[{index}].options must be a list of option codes")));
            }
        }
        for (name, parameter) in PRODUCT_MEMBERS {
            if let Some(value) = member(name)? {
                put(parameter, index, value);
            }
        }
    }
    for (name, values) in columns {
        if parameters.iter().any(|(given, _)| given == name) {
            return Err(malformed(format!("{name} is given both at the top and by products")));
        }
        parameters.push((name.to_owned(), values.join(";")));
    }
    Ok(parameters)
}

/// The signed parameters of `parameters`, sorted, length-prefixed and concatenated.
pub fn serialize(parameters: &[(String, String)]) -> String {
    let mut signed: Vec<&(String, String)> =
        parameters.iter().filter(|(name, _)| SIGNED_PARAMETERS.contains(&name.as_str())).collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    length_prefixed(signed.iter().map(|(_, value)| value.as_str()))
}

/// The signature of `parameters` with the buy-link secret word, in lowercase hex.
pub fn sign(secret_word: &str, parameters: &[(String, String)]) -> String {
    let mac = keyed::<sha2::Sha256>(secret_word.as_bytes(), &serialize(parameters));
    hex::encode(mac.finalize().into_bytes())
}

/// Where a purchase from a signed buy link sends the shopper back: `return-url`, the parameters
/// to add to it (the link's signed ones, `refno`, `total`, `total-currency` and their new
/// `signature`), and whether to redirect (`return-type=redirect`) or show a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyLinkReturn {
    pub url: String,
    pub parameters: Vec<(String, String)>,
    pub redirect: bool,
}

/// The signature of return parameters: every one but `signature`, sorted by name, each value
/// prefixed with its length in bytes, HMAC-SHA256 with the buy-link secret word.
pub fn sign_return(secret_word: &str, parameters: &[(String, String)]) -> String {
    let mut signed: Vec<&(String, String)> =
        parameters.iter().filter(|(name, _)| name != "signature").collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    let source = length_prefixed(signed.iter().map(|(_, value)| value.as_str()));
    hex::encode(keyed::<sha2::Sha256>(secret_word.as_bytes(), &source).finalize().into_bytes())
}

/// A `merchant-token` JWT as the signature service's adapter decoded it: the header's
/// algorithm, the signed text (`header.claims`, still encoded), the signature's bytes and the
/// claims the rules read (`iat` and `exp` in seconds, whether sent as numbers or strings).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct MerchantToken {
    pub algorithm: String,
    pub signing_input: String,
    pub signature: Vec<u8>,
    pub subject: Option<String>,
    pub issued_at: Option<i64>,
    pub expires_at: Option<i64>,
}

impl std::fmt::Debug for MerchantToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MerchantToken").field("subject", &self.subject).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameters(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn the_seed_payload_serializes_sorted_and_length_prefixed() {
        let seed = parameters(&[("qty", "3"), ("prod", "74B8E17CC0"), ("lock", "1"), ("currency", "USD")]);
        assert_eq!(serialize(&seed), "3USD111074B8E17CC013");
    }

    #[test]
    fn unsigned_parameters_are_left_out_and_lengths_count_bytes() {
        let link =
            parameters(&[("merchant", "X"), ("src", "phpLibrary"), ("prod", "é;B"), ("signature", "00")]);
        assert_eq!(serialize(&link), "4é;B");
    }

    fn text(pairs: &[(&str, &str)]) -> PayloadMembers {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), PayloadValue::Text((*value).to_owned())))
            .collect()
    }

    #[test]
    fn the_seed_payload_flattens_to_its_convertplus_parameters() {
        let top = text(&[("merchant", "AVLRNG"), ("currency", "USD"), ("lock", "1"), ("src", "phpLibrary")]);
        let products = [text(&[("code", "74B8E17CC0"), ("quantity", "3")])];
        assert_eq!(serialize(&payload_parameters(&top, &products).unwrap()), "3USD111074B8E17CC013");
    }

    #[test]
    fn several_products_join_with_semicolons_and_missing_members_stay_empty() {
        let mut first = text(&[("code", "A")]);
        first.push(("options".into(), PayloadValue::List(vec!["o1".into(), "o2".into()])));
        let second = text(&[("name", "Dynamic"), ("quantity", "2"), ("price", "9.5"), ("tangible", "1")]);
        let mut got = payload_parameters(&Vec::new(), &[first, second]).unwrap();
        got.sort();
        let expected =
            [("opt", "o1,o2;"), ("price", ";9.5"), ("prod", "A;Dynamic"), ("qty", "1;2"), ("tangible", ";1")];
        assert_eq!(got, parameters(&expected));
    }

    #[test]
    fn payloads_that_cannot_be_flattened_are_refused() {
        let nested = vec![("currency".to_owned(), PayloadValue::Nested)];
        assert!(matches!(payload_parameters(&nested, &[]), Err(Error::MalformedRequest(_))));
        let unsigned = vec![("billing_address".to_owned(), PayloadValue::Nested)];
        assert_eq!(payload_parameters(&unsigned, &[]), Ok(Vec::new()));
        for product in [text(&[("quantity", "1")]), text(&[("code", "A"), ("quantity", "0")])] {
            assert!(matches!(payload_parameters(&Vec::new(), &[product]), Err(Error::MalformedRequest(_))));
        }
        let twice = text(&[("prod", "A")]);
        assert!(payload_parameters(&twice, &[text(&[("code", "B")])]).is_err());
    }

    #[test]
    fn a_worked_example() {
        // Python: hmac.new(b"tco-demo-secret-word", b"3USD111074B8E17CC013", hashlib.sha256).hexdigest()
        let seed = parameters(&[("currency", "USD"), ("lock", "1"), ("prod", "74B8E17CC0"), ("qty", "3")]);
        assert_eq!(sign("tco-demo-secret-word", &seed), WORKED_EXAMPLE);
    }

    const WORKED_EXAMPLE: &str = "223de072b8e466a42e59dec4d01af8a832ffa1a7cd6373a6fb576c18bf35c2a8";
}
