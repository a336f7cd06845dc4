//! Where a REST request's parameters come from, declared on each parameters field with
//! [`crate::wire_params!`] (`orderReference: Option<Text> = path("RefNo")`) and read here, once,
//! with the shared leniency: a path segment, a query parameter, a query list (`X[]=`, `X[0]=`,
//! repeated, `a,b`), the body, a member of the body, or an object made of query parameters (a
//! search's filters, its `Pagination` from `Page` and `Limit`).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tco_core::{Error, Result};

use crate::lenient::{Place, from_json};
use crate::operation::RestRequest;
use crate::shape::{Describe, Shape};

/// A path parameter (`{RefNo}`).
pub fn path<T: DeserializeOwned>(request: &RestRequest<'_>, name: &str) -> Result<T> {
    let value = request.path(name).map_or(Value::Null, |text| Value::String(text.to_owned()));
    Ok(from_json(&value, Place::root(name))?)
}

/// A query parameter; empty counts as absent.
pub fn query<T: DeserializeOwned>(request: &RestRequest<'_>, name: &str) -> Result<T> {
    let value = request.query(name).map_or(Value::Null, |text| Value::String(text.to_owned()));
    from_json(&value, Place::root(name)).map_err(|error| Error::InvalidValue(error.0))
}

/// A list in the query, in every form the official SDKs send one.
pub fn query_list<T: DeserializeOwned>(request: &RestRequest<'_>, name: &str) -> Result<T> {
    let items: Vec<Value> = request.query_list(name).into_iter().map(Value::String).collect();
    // None given is "not given": an empty list, or no `Option` at all.
    let value = if items.is_empty() { Value::Null } else { Value::Array(items) };
    from_json(&value, Place::root(name)).map_err(|error| Error::InvalidValue(error.0))
}

/// The whole body, which must be there.
pub fn body<T: DeserializeOwned>(request: &RestRequest<'_>) -> Result<T> {
    request.body()
}

/// One member of the body (named in any case), which must be there.
pub fn body_member<T: DeserializeOwned>(request: &RestRequest<'_>, name: &str) -> Result<T> {
    let members: Map<String, Value> = request.body()?;
    let value = members.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value);
    Ok(from_json(value.unwrap_or(&Value::Null), Place::root("the body").field(name))?)
}

/// An object whose members are query parameters of their own names — lists as
/// [`query_list`], `Pagination` from `Page` and `Limit` — as REST's searches take their filters.
pub fn query_object<T: DeserializeOwned + Describe>(request: &RestRequest<'_>) -> Result<T> {
    let Shape::Object(object) = T::SHAPE.required() else {
        return Err(Error::Internal);
    };
    let mut members = Map::new();
    for field in object.fields {
        let value = match field.shape.required() {
            Shape::Array(_) => {
                let items = request.query_list(field.name);
                if items.is_empty() {
                    continue;
                }
                Value::Array(items.into_iter().map(Value::String).collect())
            }
            Shape::Object(page) if page.fields.iter().any(|member| member.name == "Limit") => {
                let mut paging = Map::new();
                for name in ["Page", "Limit"] {
                    if let Some(value) = request.query(name) {
                        paging.insert(name.to_owned(), Value::String(value.to_owned()));
                    }
                }
                Value::Object(paging)
            }
            _ => match request.query(field.name) {
                Some(value) => Value::String(value.to_owned()),
                None => continue,
            },
        };
        members.insert(field.name.to_owned(), value);
    }
    from_json(&Value::Object(members), Place::root("")).map_err(|error| Error::InvalidValue(error.0))
}
