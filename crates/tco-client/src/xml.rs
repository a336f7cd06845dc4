//! SOAP answers read into the client's serde models: a structure's fields are child elements,
//! an array is one element around `<item>`s (SOAP-encoded; repeated elements are read too),
//! `xsi:nil` is a null, and scalars are the element's text.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use tco_xml::Element;

#[derive(Debug)]
pub(crate) struct XmlError(pub String);

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for XmlError {}

impl de::Error for XmlError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        XmlError(message.to_string())
    }
}

/// The elements a field was written as: one, several (an array field), or none.
pub(crate) struct Elements<'a>(pub Vec<&'a Element>);

impl<'a> Elements<'a> {
    fn one(&self) -> Option<&'a Element> {
        self.0.first().copied().filter(|element| !element.is_nil())
    }

    fn text(&self, expected: &str) -> Result<&'a str, XmlError> {
        self.one()
            .map(|element| element.text.trim())
            .ok_or_else(|| XmlError(format!("expected {expected}, found nothing")))
    }

    fn parse<T: std::str::FromStr>(&self, expected: &str) -> Result<T, XmlError> {
        let text = self.text(expected)?;
        text.parse().map_err(|_| XmlError(format!("expected {expected}, found {text:?}")))
    }
}

macro_rules! parsed {
    ($($method:ident => $visit:ident as $type:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
            visitor.$visit(self.parse::<$type>(stringify!($type))?)
        }
    )*};
}

impl<'de, 'a> Deserializer<'de> for Elements<'a> {
    type Error = XmlError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        match self.one() {
            None => visitor.visit_unit(),
            Some(element) if element.children.is_empty() => visitor.visit_str(&element.text),
            Some(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        match self.text("a boolean")? {
            "true" | "1" => visitor.visit_bool(true),
            "false" | "0" => visitor.visit_bool(false),
            other => Err(XmlError(format!("expected a boolean, found {other:?}"))),
        }
    }

    parsed!(
        deserialize_i8 => visit_i8 as i8, deserialize_i16 => visit_i16 as i16,
        deserialize_i32 => visit_i32 as i32, deserialize_i64 => visit_i64 as i64,
        deserialize_u8 => visit_u8 as u8, deserialize_u16 => visit_u16 as u16,
        deserialize_u32 => visit_u32 as u32, deserialize_u64 => visit_u64 as u64,
        deserialize_f32 => visit_f32 as f32, deserialize_f64 => visit_f64 as f64
    );

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_str(self.one().map(|element| element.text.as_str()).unwrap_or_default())
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        match self.one() {
            None => visitor.visit_none(),
            Some(_) => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        // A SOAP-encoded array is one element of `<item>`s; a literal one, repeated elements.
        let items: Vec<&Element> = match self.0.as_slice() {
            [one] if !one.children.is_empty() && one.children.iter().all(|child| child.local == "item") => {
                one.children.iter().collect()
            }
            [one] if one.is_nil() || (one.children.is_empty() && one.text.trim().is_empty()) => Vec::new(),
            elements => elements.to_vec(),
        };
        visitor.visit_seq(Items(items.into_iter()))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        let mut fields: Vec<(&str, Vec<&Element>)> = Vec::new();
        if let Some(element) = self.one() {
            for child in &element.children {
                match fields.iter_mut().find(|(name, _)| *name == child.local) {
                    Some((_, group)) => group.push(child),
                    None => fields.push((&child.local, vec![child])),
                }
            }
        }
        visitor.visit_map(Fields { fields: fields.into_iter(), value: None })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct enum identifier
    }
}

struct Items<'a, I: Iterator<Item = &'a Element>>(I);

impl<'de, 'a, I: Iterator<Item = &'a Element>> SeqAccess<'de> for Items<'a, I> {
    type Error = XmlError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, XmlError> {
        self.0.next().map(|element| seed.deserialize(Elements(vec![element]))).transpose()
    }
}

struct Fields<'a, I: Iterator<Item = (&'a str, Vec<&'a Element>)>> {
    fields: I,
    value: Option<Vec<&'a Element>>,
}

impl<'de, 'a, I: Iterator<Item = (&'a str, Vec<&'a Element>)>> MapAccess<'de> for Fields<'a, I> {
    type Error = XmlError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, XmlError> {
        match self.fields.next() {
            Some((name, elements)) => {
                self.value = Some(elements);
                seed.deserialize(name.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, XmlError> {
        seed.deserialize(Elements(self.value.take().unwrap_or_default()))
    }
}
