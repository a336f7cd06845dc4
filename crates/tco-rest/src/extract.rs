//! Request bodies and query strings, with errors that say what was wrong in the catalogue's
//! terms (415, 413, 400 naming the field) instead of axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use tco_core::Error;

use crate::RestState;
use crate::error::RestError;

/// A JSON object body. `Content-Type` must be JSON (any charset) when present; a missing one is
/// read as JSON, as the vendor's API only speaks JSON.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<RestState> for JsonBody<T> {
    type Rejection = RestError;

    async fn from_request(request: Request, state: &RestState) -> Result<Self, Self::Rejection> {
        check_content_type(request.headers())?;
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::RequestTooLarge { limit_bytes: state.body_limit }
            } else {
                Error::MalformedRequest(format!("the body could not be read: {rejection}"))
            }
        })?;
        // Every REST body is an object; serde would otherwise read an array positionally.
        match bytes.iter().find(|byte| !byte.is_ascii_whitespace()) {
            Some(b'{') => {}
            Some(_) => return Err(Error::MalformedRequest("the body must be a JSON object.".into()).into()),
            None => {
                return Err(
                    Error::MalformedRequest("the body is empty; a JSON object is expected.".into()).into()
                );
            }
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            match path.as_str() {
                "." | "" => {
                    Error::MalformedRequest(format!("the body is not the expected JSON: {}", error.inner()))
                }
                _ => Error::MalformedRequest(format!("{path}: {}", error.inner())),
            }
        })?;
        deserializer.end().map_err(|error| {
            Error::MalformedRequest(format!("the body has data after the JSON value: {error}"))
        })?;
        Ok(JsonBody(value))
    }
}

fn check_content_type(headers: &HeaderMap) -> Result<(), Error> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return Ok(());
    };
    let value = value.to_str().unwrap_or_default();
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let is_json =
        essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"));
    if is_json {
        Ok(())
    } else {
        Err(Error::UnsupportedMediaType(format!(
            "Content-Type \"{value}\" is not accepted; send application/json."
        )))
    }
}

/// Query parameters by case-insensitive name (the vendor's docs write `Email`, clients
/// write `email`).
#[derive(Debug, Default)]
pub struct QueryParams(Vec<(String, String)>);

impl FromRequestParts<RestState> for QueryParams {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, state: &RestState) -> Result<Self, Self::Rejection> {
        let Query(pairs) =
            Query::<Vec<(String, String)>>::from_request_parts(parts, state).await.map_err(|rejection| {
                Error::MalformedRequest(format!("the query string is invalid: {rejection}"))
            })?;
        Ok(QueryParams(pairs))
    }
}

impl QueryParams {
    /// The value of a parameter; empty values count as absent.
    pub fn text(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
            .filter(|value| !value.is_empty())
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key.eq_ignore_ascii_case(name))
    }

    pub fn integer(&self, name: &'static str) -> Result<Option<i64>, Error> {
        self.text(name)
            .map(|value| {
                value.trim().parse().map_err(|_| Error::InvalidField {
                    field: name,
                    reason: format!("\"{value}\" is not a whole number"),
                })
            })
            .transpose()
    }

    pub fn boolean(&self, name: &'static str) -> Result<Option<bool>, Error> {
        self.text(name)
            .map(|value| match value.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(Error::InvalidField {
                    field: name,
                    reason: format!("\"{value}\" is not true or false"),
                }),
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_parameters() {
        let params = QueryParams(vec![
            ("page".into(), "2".into()),
            ("Trial".into(), "TRUE".into()),
            ("Limit".into(), "x".into()),
        ]);
        assert_eq!(params.integer("Page"), Ok(Some(2)));
        assert_eq!(params.boolean("trial"), Ok(Some(true)));
        assert!(matches!(params.integer("Limit"), Err(Error::InvalidField { field: "Limit", .. })));
        assert_eq!(params.integer("Missing"), Ok(None));
    }
}
