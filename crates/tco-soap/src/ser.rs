//! The registry's types written as SOAP (rpc/literal, as the generated WSDL declares them): a
//! structure's fields as unqualified child elements in declared order, `xsi:nil` for a null, an
//! array field as repeated elements, an array result as `<item>` children of `<return>`.

use std::fmt::{self, Write};

use quick_xml::escape::escape;
use serde::Serialize;
use serde::ser::{self, Impossible};

/// Writes `value` as the element `name` (or, for an array field, as repeated elements).
pub(crate) fn element<T: Serialize + ?Sized>(
    xml: &mut String,
    name: &str,
    value: &T,
) -> Result<(), XmlError> {
    value.serialize(ElementWriter { xml, name, top: true })
}

#[derive(Debug)]
pub(crate) struct XmlError(String);

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for XmlError {}

impl ser::Error for XmlError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        XmlError(message.to_string())
    }
}

/// Writes one value as the element `name`.
struct ElementWriter<'a> {
    xml: &'a mut String,
    name: &'a str,
    /// The `<return>` part: an array there is one element with `<item>`s.
    top: bool,
}

impl ElementWriter<'_> {
    fn text(self, text: &str) -> Result<(), XmlError> {
        let _ = write!(self.xml, "<{0}>{1}</{0}>", self.name, escape(text));
        Ok(())
    }
}

macro_rules! scalars {
    ($($method:ident($type:ty)),*) => {$(
        fn $method(self, value: $type) -> Result<(), XmlError> {
            self.text(&value.to_string())
        }
    )*};
}

impl<'a> ser::Serializer for ElementWriter<'a> {
    type Ok = ();
    type Error = XmlError;
    type SerializeSeq = SeqWriter<'a>;
    type SerializeTuple = SeqWriter<'a>;
    type SerializeTupleStruct = SeqWriter<'a>;
    type SerializeTupleVariant = Impossible<(), XmlError>;
    type SerializeMap = Impossible<(), XmlError>;
    type SerializeStruct = StructWriter<'a>;
    type SerializeStructVariant = Impossible<(), XmlError>;

    scalars!(
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str)
    );

    fn serialize_bool(self, value: bool) -> Result<(), XmlError> {
        self.text(if value { "true" } else { "false" })
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), XmlError> {
        Err(XmlError("bytes are not written".into()))
    }

    fn serialize_none(self) -> Result<(), XmlError> {
        let _ = write!(self.xml, r#"<{} xsi:nil="true"/>"#, self.name);
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), XmlError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), XmlError> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), XmlError> {
        self.serialize_none()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), XmlError> {
        self.text(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), XmlError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), XmlError> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<SeqWriter<'a>, XmlError> {
        if self.top {
            let _ = write!(self.xml, "<{}>", self.name);
            Ok(SeqWriter { xml: self.xml, name: "item", close: Some(self.name) })
        } else {
            Ok(SeqWriter { xml: self.xml, name: self.name, close: None })
        }
    }

    fn serialize_tuple(self, len: usize) -> Result<SeqWriter<'a>, XmlError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqWriter<'a>, XmlError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, XmlError> {
        Err(XmlError("variants are not written".into()))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, XmlError> {
        Err(XmlError("maps are not written".into()))
    }

    fn serialize_struct(self, name: &'static str, _: usize) -> Result<StructWriter<'a>, XmlError> {
        // An amount: serde_json's raw number, whose one field is its text.
        let raw_number = name == tco_api::money::RAW_NUMBER;
        if !raw_number {
            let _ = write!(self.xml, "<{}>", self.name);
        }
        Ok(StructWriter { xml: self.xml, name: self.name, raw_number })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, XmlError> {
        Err(XmlError("variants are not written".into()))
    }
}

pub(crate) struct StructWriter<'a> {
    xml: &'a mut String,
    name: &'a str,
    /// Written as the element `name` with the field's text, without a child element.
    raw_number: bool,
}

impl ser::SerializeStruct for StructWriter<'_> {
    type Ok = ();
    type Error = XmlError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), XmlError> {
        if self.raw_number {
            // The JSON text keeps a whole amount's `.0`; `xsd:decimal` is written without it (10).
            let mut element = String::new();
            value.serialize(ElementWriter { xml: &mut element, name: self.name, top: false })?;
            match element.strip_suffix(&format!(".0</{}>", self.name)) {
                Some(whole) => {
                    let _ = write!(self.xml, "{whole}</{}>", self.name);
                }
                None => self.xml.push_str(&element),
            }
            return Ok(());
        }
        value.serialize(ElementWriter { xml: self.xml, name: key, top: false })
    }

    fn end(self) -> Result<(), XmlError> {
        if !self.raw_number {
            let _ = write!(self.xml, "</{}>", self.name);
        }
        Ok(())
    }
}

/// An array: each element as `name`, closed by `close` when the array has a wrapper.
pub(crate) struct SeqWriter<'a> {
    xml: &'a mut String,
    name: &'a str,
    close: Option<&'a str>,
}

impl ser::SerializeSeq for SeqWriter<'_> {
    type Ok = ();
    type Error = XmlError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), XmlError> {
        value.serialize(ElementWriter { xml: self.xml, name: self.name, top: false })
    }

    fn end(self) -> Result<(), XmlError> {
        if let Some(name) = self.close {
            let _ = write!(self.xml, "</{name}>");
        }
        Ok(())
    }
}

impl ser::SerializeTuple for SeqWriter<'_> {
    type Ok = ();
    type Error = XmlError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), XmlError> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), XmlError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqWriter<'_> {
    type Ok = ();
    type Error = XmlError;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), XmlError> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), XmlError> {
        ser::SerializeSeq::end(self)
    }
}

#[cfg(test)]
mod tests {
    use tco_api::customers::{Customer, CustomerCredit};
    use tco_api::page::{Page, Pagination};

    use super::*;

    #[test]
    fn fields_in_order_nil_and_repeated() {
        let result = Page::<Customer> {
            Items: vec![],
            Pagination: Some(Pagination { Page: Some(1), Limit: Some(10), Count: Some(0) }),
        };
        let mut xml = String::new();
        element(&mut xml, "return", &result).unwrap();
        assert_eq!(
            xml,
            "<return><Pagination><Page>1</Page><Limit>10</Limit><Count>0</Count></Pagination></return>"
        );
        let credit = CustomerCredit { Limit: Some(51.0), Remaining: Some(21.5), Currency: None };
        let mut xml = String::new();
        element(&mut xml, "Credit", &credit).unwrap();
        assert_eq!(
            xml,
            r#"<Credit><Limit>51</Limit><Remaining>21.5</Remaining><Currency xsi:nil="true"/></Credit>"#
        );
        let mut xml = String::new();
        element(&mut xml, "return", &vec!["a&b".to_owned(), "c".to_owned()]).unwrap();
        assert_eq!(xml, "<return><item>a&amp;b</item><item>c</item></return>");
    }
}
