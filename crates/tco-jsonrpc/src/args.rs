//! A call's parameters, positional (as every vendor sample sends them) or named (an object
//! with the vendor's parameter names, matched case-insensitively). `null` means "not given";
//! extra trailing parameters are tolerated. Type errors name the parameter.

use serde::de::DeserializeOwned;
use serde_json::Value;
use tco_core::Error;

#[derive(Debug)]
pub(crate) struct Args {
    values: Vec<Value>,
    names: &'static [&'static str],
}

impl Args {
    /// `names` lists the method's parameters in positional order.
    pub(crate) fn parse(raw: Option<&str>, names: &'static [&'static str]) -> Result<Self, Error> {
        let params: Value = match raw {
            None => Value::Array(Vec::new()),
            Some(raw) => serde_json::from_str(raw)
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
        Ok(Args { values, names })
    }

    fn given(&self, index: usize) -> Option<&Value> {
        self.values.get(index).filter(|value| !value.is_null())
    }

    fn wrong(&self, index: usize, expected: &str, value: &Value) -> Error {
        let name = self.names.get(index).copied().unwrap_or("?");
        let found = match value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        Error::MalformedRequest(format!("parameter {} ({name}) must be {expected}, not {found}.", index + 1))
    }

    /// A string parameter; `None` when absent or null.
    pub(crate) fn string(&self, index: usize) -> Result<Option<String>, Error> {
        match self.given(index) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(self.wrong(index, "a string", other)),
        }
    }

    /// A string that clients may also send as a number (references, tokens built by PHP).
    pub(crate) fn text(&self, index: usize) -> Result<Option<String>, Error> {
        match self.given(index) {
            Some(Value::Number(number)) => Ok(Some(number.to_string())),
            _ => self.string(index),
        }
    }

    /// A required string whose absence is a malformed call rather than a domain error.
    pub(crate) fn required_string(&self, index: usize) -> Result<String, Error> {
        self.string(index)?.ok_or_else(|| {
            let name = self.names.get(index).copied().unwrap_or("?");
            Error::MalformedRequest(format!("parameter {} ({name}) is missing.", index + 1))
        })
    }

    /// An integer, also as a numeric string.
    pub(crate) fn integer(&self, index: usize) -> Result<Option<i64>, Error> {
        match self.given(index) {
            None => Ok(None),
            Some(Value::Number(number)) => number
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(index, "an integer", &Value::Number(number.clone()))),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(value @ Value::String(text)) => {
                text.trim().parse().map(Some).map_err(|_| self.wrong(index, "an integer", value))
            }
            Some(other) => Err(self.wrong(index, "an integer", other)),
        }
    }

    /// A boolean, also as 0/1 or "true"/"false" (what PHP's loose types produce).
    pub(crate) fn boolean(&self, index: usize) -> Result<Option<bool>, Error> {
        match self.given(index) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(Value::Number(number)) if number.as_i64() == Some(0) => Ok(Some(false)),
            Some(Value::Number(number)) if number.as_i64() == Some(1) => Ok(Some(true)),
            Some(Value::String(text)) if text.eq_ignore_ascii_case("true") || text == "1" => Ok(Some(true)),
            Some(Value::String(text))
                if text.eq_ignore_ascii_case("false") || text == "0" || text.is_empty() =>
            {
                Ok(Some(false))
            }
            Some(other) => Err(self.wrong(index, "a boolean", other)),
        }
    }

    /// An object parameter, deserialised into one of the vendor's DTOs.
    pub(crate) fn object<T: DeserializeOwned>(&self, index: usize) -> Result<Option<T>, Error> {
        match self.given(index) {
            None => Ok(None),
            Some(value @ Value::Object(_)) => {
                tco_json::from_value(value.clone()).map(Some).map_err(|detail| {
                    let name = self.names.get(index).copied().unwrap_or("?");
                    Error::MalformedRequest(format!("parameter {} ({name}): {detail}", index + 1))
                })
            }
            Some(other) => Err(self.wrong(index, "an object", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["sessionID", "AvangateCustomerReference", "ExternalCustomerReference"];

    #[test]
    fn positional_and_named() {
        let positional = Args::parse(Some(r#"["s", 7, "ext", "extra"]"#), NAMES).unwrap();
        let named = Args::parse(
            Some(
                r#"{"sessionid": "s", "AvangateCustomerReference": "7", "ExternalCustomerReference": "ext"}"#,
            ),
            NAMES,
        )
        .unwrap();
        for args in [positional, named] {
            assert_eq!(args.string(0).unwrap().as_deref(), Some("s"));
            assert_eq!(args.integer(1).unwrap(), Some(7));
            assert_eq!(args.text(2).unwrap().as_deref(), Some("ext"));
        }
        let empty = Args::parse(None, NAMES).unwrap();
        assert_eq!(empty.string(0).unwrap(), None);
    }

    #[test]
    fn type_errors_name_the_parameter() {
        let args = Args::parse(Some(r#"[5, "x", {}]"#), NAMES).unwrap();
        let Err(Error::MalformedRequest(message)) = args.string(0) else { panic!() };
        assert_eq!(message, "parameter 1 (sessionID) must be a string, not a number.");
        let Err(Error::MalformedRequest(message)) = args.integer(1) else { panic!() };
        assert!(message.contains("(AvangateCustomerReference) must be an integer"), "{message}");
        assert!(args.text(2).is_err());
        assert!(Args::parse(Some("5"), NAMES).is_err());
    }

    #[test]
    fn loose_booleans() {
        let args = Args::parse(Some(r#"[true, 0, "false", "maybe"]"#), NAMES).unwrap();
        assert_eq!(args.boolean(0).unwrap(), Some(true));
        assert_eq!(args.boolean(1).unwrap(), Some(false));
        assert_eq!(args.boolean(2).unwrap(), Some(false));
        assert!(args.boolean(3).is_err());
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::Args;

        const NAMES: &[&str] = &["sessionID", "Customer", "UpdateEndUserSubscriptions"];

        fn json() -> impl Strategy<Value = serde_json::Value> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::from),
                any::<i64>().prop_map(serde_json::Value::from),
                any::<f64>().prop_map(serde_json::Value::from),
                ".{0,12}".prop_map(serde_json::Value::from),
            ];
            leaf.prop_recursive(4, 32, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                    prop::collection::btree_map("[A-Za-z]{1,10}", inner, 0..6)
                        .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #[test]
            fn any_params_decode_or_are_refused_without_panicking(params in json(), raw in any::<String>()) {
                for text in [params.to_string(), raw] {
                    if let Ok(args) = Args::parse(Some(&text), NAMES) {
                        let _ = args.string(0);
                        let _ = args.object::<tco_json::CustomerBody>(1);
                        let _ = args.boolean(2);
                        let _ = args.integer(1);
                        let _ = args.text(0);
                    }
                }
            }
        }
    }
}
