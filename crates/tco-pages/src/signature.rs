//! The InLine/ConvertPlus cart signature service, `POST /checkout/api/encrypt/generate/signature`:
//! decodes the `merchant-token` JWT and reads the JSON payload into the core's terms (the
//! members as text, lists or nested values), and answers `{"signature": "<hex>"}`. Which members
//! are signed, how products flatten, the token's checks and the algorithm are the core's
//! (`tco_core::payload_parameters`, `Gateway::buy_link_signature`); `docs/signature.md` has them.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use tco_core::{Error, Gateway, MerchantToken, PayloadMembers, PayloadValue};

use crate::error::ServiceError;

pub const SIGNATURE_PATH: &str = "/checkout/api/encrypt/generate/signature";

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
) -> Result<Json<Value>, ServiceError> {
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

/// The payload's members and its products' as the core reads them; the core flattens them.
fn parameters(payload: &Map<String, Value>) -> Result<Vec<(String, String)>, Error> {
    let products = match payload.get("products") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(products)) => products
            .iter()
            .enumerate()
            .map(|(index, product)| match product {
                Value::Object(product) => Ok(members(product)),
                _ => Err(Error::MalformedRequest(format!("products[{index}] must be an object."))),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(Error::MalformedRequest("products must be an array.".into())),
    };
    let top = members(payload).into_iter().filter(|(name, _)| name != "products").collect();
    tco_core::payload_parameters(&top, &products)
}

fn members(object: &Map<String, Value>) -> PayloadMembers {
    object
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| (name.clone(), payload_value(value)))
        .collect()
}

/// A string, a number as JSON writes it, `1`/`0` for a boolean; a list of those (an option may
/// also be an object naming it by `optValue` or `optCode`).
fn payload_value(value: &Value) -> PayloadValue {
    let text = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(if *flag { "1" } else { "0" }.to_owned()),
        Value::Object(option) => option
            .get("optValue")
            .or_else(|| option.get("optCode"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        Value::Null | Value::Array(_) => None,
    };
    match value {
        Value::Array(items) => {
            items.iter().map(text).collect::<Option<_>>().map_or(PayloadValue::Nested, PayloadValue::List)
        }
        Value::Object(_) => PayloadValue::Nested,
        scalar => text(scalar).map_or(PayloadValue::Nested, PayloadValue::Text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_are_read_as_the_core_reads_them() {
        let payload = serde_json::json!({"merchant": "AVLRNG", "currency": "USD", "lock": 1, "test": true,
            "products": [{"code": "74B8E17CC0", "quantity": 3, "options": [{"optValue": "o1"}, "o2"]}],
            "billing_address": {"name": "Ada"}, "customer-ref": null});
        let Value::Object(payload) = payload else { panic!("not an object") };
        let expected: PayloadMembers = vec![
            ("billing_address".into(), PayloadValue::Nested),
            ("currency".into(), PayloadValue::Text("USD".into())),
            ("lock".into(), PayloadValue::Text("1".into())),
            ("merchant".into(), PayloadValue::Text("AVLRNG".into())),
            ("test".into(), PayloadValue::Text("1".into())),
        ];
        let top: PayloadMembers =
            members(&payload).into_iter().filter(|(name, _)| name != "products").collect();
        assert_eq!(top, expected);
        let serialized = tco_core::serialize_buy_link(&parameters(&payload).unwrap());
        // currency, lock, opt, prod, qty.
        assert_eq!(serialized, "3USD115o1,o21074B8E17CC013");
    }
}
