//! A call's parameters, positional (as every vendor sample sends them) or named (an object with
//! the vendor's parameter names, in any case), read into the registry's types with its rules;
//! and the result written back as JSON.

use serde_json::Value;
use serde_json::value::RawValue;
use tco_api::{Codec, Operation, Parameters};
use tco_core::{Error, Result};

/// The codec of one call.
#[derive(Debug)]
pub(crate) struct JsonCodec<'a> {
    pub params: Option<&'a RawValue>,
}

impl Codec for JsonCodec<'_> {
    type Encoded = String;

    fn params<P: Parameters>(&self, names: &[&'static str]) -> Result<P> {
        let params: Value = match self.params {
            None => Value::Array(Vec::new()),
            Some(raw) => serde_json::from_str(raw.get())
                .map_err(|error| Error::MalformedRequest(format!("params are not valid JSON: {error}")))?,
        };
        let values = match params {
            Value::Array(values) => values,
            Value::Object(mut named) => names
                .iter()
                .map(|name| {
                    let key = named.keys().find(|key| key.eq_ignore_ascii_case(name)).cloned();
                    key.and_then(|key| named.remove(&key)).unwrap_or(Value::Null)
                })
                .collect(),
            Value::Null => Vec::new(),
            _ => return Err(Error::MalformedRequest("params must be an array or an object.".into())),
        };
        Ok(tco_api::from_positional(&values, names)?)
    }

    fn encode<O: Operation>(&self, output: &O::Output) -> Result<String> {
        tco_api::json(output)
    }
}
