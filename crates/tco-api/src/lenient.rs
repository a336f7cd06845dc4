//! The leniency every protocol shares, decided once: what counts as "not given", which
//! spellings a boolean or a number may take, how names match. The SOAP adapter's XML reader
//! uses the same rules through [`scalar`]; JSON bodies and JSON-RPC parameters go through
//! [`JsonValue`].
//!
//! - `null`, an absent member and an empty or blank string mean "not given";
//! - booleans: `true`/`false`, `1`/`0`, and those as strings in any case;
//! - integers and numbers also as numeric strings (PHP clients build them from form input);
//! - inside objects, strings also accept numbers (a zip or phone sent as an integer), but a
//!   top-level parameter declared a string must be one, unless its type is [`Text`];
//! - member names match whatever their case; enum values too.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::shape::{Describe, Shape};

/// A failure to read a value, with a message naming where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub String);

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}

impl de::Error for WireError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        WireError(message.to_string())
    }
}

impl From<WireError> for tco_core::Error {
    fn from(error: WireError) -> Self {
        tco_core::Error::MalformedRequest(error.0)
    }
}

/// The scalar rules, on text (SOAP carries nothing else).
pub mod scalar {
    /// Not given: empty or blank.
    pub fn is_blank(text: &str) -> bool {
        text.trim().is_empty()
    }

    pub fn boolean(text: &str) -> Option<bool> {
        match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }

    pub fn integer(text: &str) -> Option<i64> {
        text.trim().parse().ok()
    }

    pub fn number(text: &str) -> Option<f64> {
        text.trim().parse::<f64>().ok().filter(|number| number.is_finite())
    }

    /// The variant among `variants` that `text` names, whatever its case.
    pub fn variant(text: &str, variants: &'static [&'static str]) -> Option<&'static str> {
        variants.iter().copied().find(|variant| variant.eq_ignore_ascii_case(text.trim()))
    }

    /// The declared name matching `name` whatever its case, or `name` itself.
    pub fn field<'a>(name: &'a str, fields: &'static [&'static str]) -> &'a str {
        fields.iter().copied().find(|field| field.eq_ignore_ascii_case(name.trim())).unwrap_or(name)
    }
}

/// A string that clients may also send as a number, even as a top-level parameter
/// (references and tokens built by PHP).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl Text {
    /// The text sent, or empty when none was (the core refuses an empty reference or code).
    pub fn or_empty(text: Option<Text>) -> String {
        text.map(|text| text.0).unwrap_or_default()
    }
}

impl Describe for Text {
    const SHAPE: Shape = Shape::String;
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Text, E> {
                Ok(Text(value.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Text, E> {
                Ok(Text(value.to_string()))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Text, E> {
                Ok(Text(value.to_string()))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Text, E> {
                Ok(Text(value.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// Where a value sits, for messages: `parameter 2 (Customer): Credit.Limit`.
#[derive(Debug, Clone)]
pub struct Place {
    label: String,
    /// A top-level parameter (or the whole REST body): strings are strict there.
    top: bool,
    /// A path into a document (`Merchants[0].Orders[2]`): members join it with a dot.
    path: bool,
}

impl Place {
    pub fn parameter(position: usize, name: &str) -> Self {
        Place { label: format!("parameter {} ({name})", position + 1), top: true, path: false }
    }

    pub fn root(label: &str) -> Self {
        Place { label: label.to_owned(), top: false, path: false }
    }

    /// A place in a document, named by its path: `Merchants[0].Orders[2]`, whose members are
    /// `Merchants[0].Orders[2].Items[0].Code`.
    pub fn path(label: &str) -> Self {
        Place { label: label.to_owned(), top: false, path: true }
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn is_top(&self) -> bool {
        self.top
    }

    pub fn field(&self, name: &str) -> Place {
        let separator = if !self.path && (self.top || !self.label.contains(':')) { ": " } else { "." };
        let label =
            if self.label.is_empty() { name.to_owned() } else { format!("{}{separator}{name}", self.label) };
        // A root without a label (a REST query) names its members alone, like parameters.
        let top = self.label.is_empty() && self.top;
        Place { label, top, path: self.path }
    }

    pub fn item(&self, index: usize) -> Place {
        Place { label: format!("{}[{index}]", self.label), top: false, path: self.path }
    }

    pub fn wrong(&self, expected: &str, found: &str) -> WireError {
        WireError(format!("{} must be {expected}, not {found}.", self.label))
    }

    /// Names this place in an error a visitor raised without one.
    pub fn locate(&self, error: WireError) -> WireError {
        if error.0.starts_with("parameter ") || error.0.starts_with(&self.label) {
            error
        } else {
            WireError(format!("{}: {}", self.label, error.0))
        }
    }
}

/// Deserialises one of the API's types from a JSON value with the shared rules.
pub fn from_json<T: de::DeserializeOwned>(value: &Value, place: Place) -> Result<T, WireError> {
    T::deserialize(JsonValue { value, place, positional: false })
}

/// Deserialises a parameters struct from positional values (an extra trailing one is ignored,
/// a missing one is "not given").
pub fn from_positional<T: de::DeserializeOwned>(values: &[Value], names: &[&str]) -> Result<T, WireError> {
    let array = Value::Array(values.iter().take(names.len()).cloned().collect());
    let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
    T::deserialize(JsonValue {
        value: &array,
        place: Place { label: names.join("\u{0}"), top: true, path: false },
        positional: true,
    })
}

/// A JSON value being read.
#[derive(Debug)]
pub struct JsonValue<'a> {
    value: &'a Value,
    place: Place,
    /// The value is the list of a call's parameters.
    positional: bool,
}

/// What a value is, for messages: a string shows itself (cut short).
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(_) => "a number".into(),
        Value::String(text) if text.chars().count() > 40 => {
            format!("\"{}…\"", text.chars().take(40).collect::<String>())
        }
        Value::String(text) => format!("\"{text}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

impl<'a> JsonValue<'a> {
    fn wrong(&self, expected: &str) -> WireError {
        self.place.wrong(expected, &kind(self.value))
    }

    fn text(&self) -> Option<String> {
        match self.value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    }

    fn integer(&self) -> Result<i64, WireError> {
        let parsed = match self.value {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => scalar::integer(text),
            _ => None,
        };
        parsed.ok_or_else(|| self.wrong("an integer"))
    }
}

macro_rules! integers {
    ($($method:ident => $visit:ident as $type:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
            let value = self.integer()?;
            let converted = <$type>::try_from(value).map_err(|_| self.wrong("a smaller integer"))?;
            visitor.$visit(converted)
        }
    )*};
}

impl<'de> Deserializer<'de> for JsonValue<'_> {
    type Error = WireError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(flag) => visitor.visit_bool(*flag),
            Value::Number(number) => match (number.as_i64(), number.as_u64()) {
                (Some(value), _) => visitor.visit_i64(value),
                (None, Some(value)) => visitor.visit_u64(value),
                _ => visitor.visit_f64(number.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(text) => visitor.visit_str(text),
            Value::Array(_) => self.deserialize_seq(visitor),
            Value::Object(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        let flag = match self.value {
            Value::Bool(flag) => Some(*flag),
            Value::Number(number) => match number.as_i64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            Value::String(text) => scalar::boolean(text),
            _ => None,
        };
        visitor.visit_bool(flag.ok_or_else(|| self.wrong("true or false"))?)
    }

    integers!(
        deserialize_i8 => visit_i8 as i8, deserialize_i16 => visit_i16 as i16,
        deserialize_i32 => visit_i32 as i32, deserialize_i64 => visit_i64 as i64,
        deserialize_u8 => visit_u8 as u8, deserialize_u16 => visit_u16 as u16,
        deserialize_u32 => visit_u32 as u32, deserialize_u64 => visit_u64 as u64
    );

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        let parsed = match self.value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => scalar::number(text),
            _ => None,
        };
        visitor.visit_f64(parsed.ok_or_else(|| self.wrong("a number"))?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match (self.value, self.place.top) {
            (Value::String(text), _) => visitor.visit_str(text),
            (Value::Number(number), false) => visitor.visit_string(number.to_string()),
            _ => Err(self.wrong("a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.value {
            Value::Null => visitor.visit_none(),
            Value::String(text) if scalar::is_blank(text) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.value {
            Value::Array(items) => {
                let place = self.place;
                visitor.visit_seq(Items { items: items.iter().enumerate(), place })
            }
            Value::Null => visitor.visit_seq(Items { items: [].iter().enumerate(), place: self.place }),
            Value::String(text) if scalar::is_blank(text) => {
                visitor.visit_seq(Items { items: [].iter().enumerate(), place: self.place })
            }
            // One object where a list of them is expected, as PHP clients send a single item
            // (the vendor's own partial-refund sample does).
            Value::Object(_) => {
                let place = self.place;
                visitor.visit_seq(Items { items: std::slice::from_ref(self.value).iter().enumerate(), place })
            }
            _ => Err(self.wrong("an array")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, WireError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.value {
            Value::Object(members) => visitor.visit_map(Members::new(members, self.place, &[])),
            Value::Null => visitor.visit_map(Members::empty(self.place, &[])),
            _ => Err(self.wrong("an object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, WireError> {
        match self.value {
            Value::Array(values) if self.positional => {
                let names: Vec<&str> = self.place.label.split('\u{0}').collect();
                visitor.visit_seq(Parameters { values: values.iter().enumerate(), names })
            }
            Value::Object(members) => visitor.visit_map(Members::new(members, self.place, fields)),
            Value::Null => visitor.visit_map(Members::empty(self.place, fields)),
            _ => Err(self.wrong("an object")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, WireError> {
        let text = self.text().ok_or_else(|| self.wrong("a string"))?;
        let variant = scalar::variant(&text, variants).ok_or_else(|| {
            WireError(format!("{} must be one of {}, not \"{text}\".", self.place.label, variants.join(", ")))
        })?;
        visitor.visit_enum(variant.into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, WireError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        visitor.visit_unit()
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, WireError> {
        visitor.visit_unit()
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }
}

/// A call's parameters, in order, each named for messages.
struct Parameters<'a, I> {
    values: I,
    names: Vec<&'a str>,
}

impl<'de, 'a, I: Iterator<Item = (usize, &'a Value)>> SeqAccess<'de> for Parameters<'a, I> {
    type Error = WireError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, WireError> {
        match self.values.next() {
            Some((position, value)) => {
                let name = self.names.get(position).copied().unwrap_or("?");
                let place = Place::parameter(position, name);
                let located = place.clone();
                seed.deserialize(JsonValue { value, place, positional: false })
                    .map(Some)
                    .map_err(|e| located.locate(e))
            }
            None => Ok(None),
        }
    }
}

struct Items<I> {
    items: I,
    place: Place,
}

impl<'de, 'a, I: Iterator<Item = (usize, &'a Value)>> SeqAccess<'de> for Items<I> {
    type Error = WireError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, WireError> {
        match self.items.next() {
            Some((index, value)) => {
                let place = self.place.item(index);
                let located = place.clone();
                seed.deserialize(JsonValue { value, place, positional: false })
                    .map(Some)
                    .map_err(|e| located.locate(e))
            }
            None => Ok(None),
        }
    }
}

/// An object's members, their names matched to the declared fields whatever their case.
struct Members<'a> {
    members: Option<serde_json::map::Iter<'a>>,
    place: Place,
    fields: &'static [&'static str],
    value: Option<(&'a str, &'a Value)>,
}

impl<'a> Members<'a> {
    fn new(members: &'a Map<String, Value>, place: Place, fields: &'static [&'static str]) -> Self {
        Members { members: Some(members.iter()), place, fields, value: None }
    }

    /// The members of `null`: none, so every field is "not given".
    fn empty(place: Place, fields: &'static [&'static str]) -> Self {
        Members { members: None, place, fields, value: None }
    }
}

impl<'de> MapAccess<'de> for Members<'_> {
    type Error = WireError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, WireError> {
        match self.members.as_mut().and_then(Iterator::next) {
            Some((name, value)) => {
                let name = scalar::field(name, self.fields);
                self.value = Some((name, value));
                seed.deserialize(name.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, WireError> {
        let (name, value) = self.value.take().ok_or_else(|| WireError("a value without a name".into()))?;
        let place = self.place.field(name);
        let located = place.clone();
        seed.deserialize(JsonValue { value, place, positional: false }).map_err(|e| located.locate(e))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    crate::wire_object! {
        pub struct Inner as "Inner" {
            Limit: Option<f64>,
            Currency: Option<String>,
        }
    }

    crate::wire_object! {
        pub struct Outer as "Outer" {
            FirstName: Option<String>,
            Zip: Option<String>,
            Reference: Option<i64>,
            Trial: Option<bool>,
            Cards: Vec<Inner>,
            Credit: Option<Inner>,
        }
    }

    crate::wire_object! {
        pub struct Params as "Params" {
            sessionID: Option<String>,
            Outer: Option<Outer>,
            Flag: Option<bool>,
            Reference: Option<Text>,
        }
    }

    #[test]
    fn objects_read_leniently() {
        let value = json!({"firstname": "Ada", "ZIP": 12345, "Reference": " 7 ", "Trial": "TRUE",
                           "Cards": null, "Credit": {"limit": "51.5", "Currency": ""}, "Unknown": [1]});
        let outer: Outer = from_json(&value, Place::root("Customer")).unwrap();
        assert_eq!(outer.FirstName.as_deref(), Some("Ada"));
        assert_eq!(outer.Zip.as_deref(), Some("12345"));
        assert_eq!(outer.Reference, Some(7));
        assert_eq!(outer.Trial, Some(true));
        assert!(outer.Cards.is_empty());
        assert_eq!(outer.Credit, Some(Inner { Limit: Some(51.5), Currency: None }));
    }

    #[test]
    fn wrong_types_name_their_place() {
        let params = |values: Value| {
            from_positional::<Params>(
                values.as_array().unwrap(),
                &["sessionID", "Customer", "Flag", "Reference"],
            )
        };
        assert_eq!(
            params(json!([5])).unwrap_err().0,
            "parameter 1 (sessionID) must be a string, not a number."
        );
        assert_eq!(
            params(json!(["s", {"FirstName": true}])).unwrap_err().0,
            "parameter 2 (Customer): FirstName must be a string, not a boolean."
        );
        assert_eq!(
            params(json!(["s", {"Credit": {"Limit": "x"}}])).unwrap_err().0,
            "parameter 2 (Customer): Credit.Limit must be a number, not \"x\"."
        );
        assert_eq!(
            params(json!(["s", [1, 2]])).unwrap_err().0,
            "parameter 2 (Customer) must be an object, not an array."
        );
        assert!(params(json!(["s", null, "perhaps"])).unwrap_err().0.contains("parameter 3 (Flag)"));
        let read = params(json!(["s", null, 1, 42, "extra"])).unwrap();
        assert_eq!((read.Flag, read.Reference), (Some(true), Some(Text("42".into()))));
        let short = params(json!(["s"])).unwrap();
        assert_eq!(short.Outer, None);
        assert!(params(json!(["s", {"Reference": 1.5}])).is_err());
    }
}
