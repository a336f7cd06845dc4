//! The InLine/ConvertPlus cart signature service, `POST /checkout/api/encrypt/generate/signature`:
//! reads the `merchant-token` JWT and the cart payload, flattens the payload into the ConvertPlus
//! parameters the signature covers, and answers `{"signature": "<hex>"}`. The rules (the token's
//! checks, the algorithm) are the core's; this translates JSON.
//!
//! Flattening (written in `docs/signature.md`): top-level signed parameters (`currency`, `lock`,
//! `expiration`, `return-url`, …) as they are; `products[]` into `prod` (each `code`, or `name`),
//! `qty` (`quantity`, default 1), `opt` (the `options`, comma-separated), and `price`,
//! `tangible`, `type`, `description`, `recurrence`, `duration`, `renewal-price`, `item-ext-ref`
//! where a product has them — one value per product, joined with `;`. Numbers are written as
//! JSON writes them, booleans as `1`/`0`; other keys (`merchant`, `src`, `dynamic`, `test`,
//! addresses…) are not signed.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use tco_core::{Error, Gateway, MerchantToken, SIGNED_PARAMETERS};
use tco_rest::error::RestError;

pub(crate) const SIGNATURE_PATH: &str = "/checkout/api/encrypt/generate/signature";

pub(crate) fn router(gateway: Arc<Gateway>) -> Router {
    Router::new()
        .route(SIGNATURE_PATH, post(generate))
        .route(&format!("{SIGNATURE_PATH}/"), post(generate))
        .with_state(gateway)
}

async fn generate(
    State(gateway): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, RestError> {
    let token = headers
        .get("merchant-token")
        .and_then(|value| value.to_str().ok())
        .ok_or(Error::InvalidMerchantToken("the merchant-token header is missing"))?;
    let token = decode_token(token)?;
    let payload: Value = serde_json::from_slice(&body)
        .map_err(|error| Error::MalformedRequest(format!("the body is not JSON: {error}.")))?;
    let Value::Object(payload) = payload else {
        return Err(Error::MalformedRequest("the body must be a JSON object.".into()).into());
    };
    let merchant = match payload.get("merchant") {
        None | Some(Value::Null) => None,
        Some(Value::String(code)) => Some(code.as_str()),
        Some(_) => return Err(Error::MalformedRequest("merchant must be a string.".into()).into()),
    };
    // A refused token is reported before anything wrong in the payload.
    let parameters = parameters(&payload);
    let signature =
        gateway.buy_link_signature(&token, merchant, parameters.as_deref().unwrap_or_default())?;
    parameters?;
    Ok(Json(serde_json::json!({ "signature": signature })))
}

/// The JWT's three parts: the header's `alg`, the claims `sub`, `iat`, `exp` (numbers or
/// strings, as the SDKs send them), the signed text and the signature.
fn decode_token(token: &str) -> Result<MerchantToken, Error> {
    let invalid = || Error::InvalidMerchantToken("the merchant-token is not a JWT");
    let token = token.trim();
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    let json = |part: &str| -> Result<Map<String, Value>, Error> {
        let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).map_err(|_| invalid())?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(object)) => Ok(object),
            _ => Err(invalid()),
        }
    };
    let (header_json, claims_json) = (json(header)?, json(claims)?);
    let seconds = |name: &str| -> Result<Option<i64>, Error> {
        match claims_json.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(number)) => number
                .as_i64()
                .or_else(|| number.as_f64().map(|value| value as i64))
                .map(Some)
                .ok_or_else(invalid),
            Some(Value::String(text)) => text.trim().parse::<i64>().map(Some).map_err(|_| invalid()),
            Some(_) => Err(invalid()),
        }
    };
    Ok(MerchantToken {
        algorithm: header_json.get("alg").and_then(Value::as_str).unwrap_or_default().to_owned(),
        signing_input: format!("{header}.{claims}"),
        signature: URL_SAFE_NO_PAD.decode(signature.trim_end_matches('=')).map_err(|_| invalid())?,
        subject: claims_json.get("sub").and_then(Value::as_str).map(str::to_owned),
        issued_at: seconds("iat")?,
        expires_at: seconds("exp")?,
    })
}

/// A product member → the ConvertPlus parameter it becomes.
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

/// The payload as ConvertPlus parameters (signed ones only).
fn parameters(payload: &Map<String, Value>) -> Result<Vec<(String, String)>, Error> {
    let mut parameters = Vec::new();
    for (name, value) in payload {
        if !SIGNED_PARAMETERS.contains(&name.as_str()) {
            continue;
        }
        if let Some(text) =
            scalar(value).map_err(|()| malformed(format!("{name} must be a string, number or boolean")))?
        {
            parameters.push((name.clone(), text));
        }
    }
    let products = match payload.get("products") {
        None | Some(Value::Null) => return Ok(parameters),
        Some(Value::Array(products)) => products,
        Some(_) => return Err(malformed("products must be an array".into())),
    };
    let mut columns: Vec<(&str, Vec<String>)> = Vec::new();
    let mut column = |parameter: &'static str, index: usize, value: String| {
        let position = match columns.iter().position(|(name, _)| *name == parameter) {
            Some(position) => position,
            None => {
                columns.push((parameter, vec![String::new(); products.len()]));
                columns.len() - 1
            }
        };
        columns[position].1[index] = value;
    };
    for (index, product) in products.iter().enumerate() {
        let Value::Object(product) = product else {
            return Err(malformed(format!("products[{index}] must be an object")));
        };
        let member = |name: &str| {
            product.get(name).map(scalar).transpose().map(Option::flatten).map_err(|()| {
                malformed(format!("products[{index}].{name} must be a string, number or boolean"))
            })
        };
        let code = match member("code")? {
            Some(code) => code,
            None => member("name")?.ok_or_else(|| malformed(format!("products[{index}] has no code")))?,
        };
        column("prod", index, code);
        let quantity = member("quantity")?.unwrap_or_else(|| "1".to_owned());
        if !quantity.parse::<u32>().is_ok_and(|quantity| quantity > 0) {
            return Err(malformed(format!("products[{index}].quantity must be a positive integer")));
        }
        column("qty", index, quantity);
        if let Some(options) = product.get("options").filter(|options| !options.is_null()) {
            column(
                "opt",
                index,
                options_text(options).map_err(|()| {
                    malformed(format!("products[{index}].options must be a list of option codes"))
                })?,
            );
        }
        for (name, parameter) in PRODUCT_MEMBERS {
            if let Some(value) = member(name)? {
                column(parameter, index, value);
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

/// A signed value as text; `None` for null, `Err` for an array or object.
fn scalar(value: &Value) -> Result<Option<String>, ()> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text.clone())),
        Value::Number(number) => Ok(Some(number.to_string())),
        Value::Bool(flag) => Ok(Some(if *flag { "1" } else { "0" }.to_owned())),
        Value::Array(_) | Value::Object(_) => Err(()),
    }
}

/// A product's options: codes (or `{"optValue": …}`/`{"optCode": …}` objects), comma-separated.
fn options_text(options: &Value) -> Result<String, ()> {
    let Value::Array(options) = options else { return scalar(options).map(Option::unwrap_or_default) };
    let codes: Result<Vec<String>, ()> = options
        .iter()
        .map(|option| match option {
            Value::Object(object) => object
                .get("optValue")
                .or_else(|| object.get("optCode"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(()),
            other => scalar(other).map(Option::unwrap_or_default),
        })
        .collect();
    Ok(codes?.join(","))
}

fn malformed(reason: String) -> Error {
    Error::MalformedRequest(format!("{reason}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flattened(payload: Value) -> Vec<(String, String)> {
        let Value::Object(payload) = payload else { panic!("not an object") };
        parameters(&payload).unwrap()
    }

    #[test]
    fn the_seed_payload_flattens_to_its_convertplus_parameters() {
        let seed = serde_json::json!({"merchant": "AVLRNG", "currency": "USD", "lock": 1,
            "products": [{"code": "74B8E17CC0", "quantity": 3}], "src": "phpLibrary"});
        assert_eq!(tco_core::serialize_buy_link(&flattened(seed)), "3USD111074B8E17CC013");
    }

    #[test]
    fn several_products_join_with_semicolons_and_missing_members_stay_empty() {
        let payload = serde_json::json!({"products": [
            {"code": "A", "options": ["o1", "o2"]},
            {"name": "Dynamic", "quantity": "2", "price": 9.5, "tangible": true}]});
        let mut got = flattened(payload);
        got.sort();
        let expected =
            [("opt", "o1,o2;"), ("price", ";9.5"), ("prod", "A;Dynamic"), ("qty", "1;2"), ("tangible", ";1")];
        assert_eq!(got, expected.map(|(name, value)| (name.to_owned(), value.to_owned())));
    }
}
