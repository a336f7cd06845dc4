//! The registry's types written as SOAP (rpc/encoded, as the generated WSDL declares them): a
//! structure's fields as unqualified child elements in declared order, `xsi:nil` for a null,
//! every array as one element with an `<item>` per value (a SOAP-encoded array) that says what
//! it is — `xsi:type="ns1:ArrayOfOrder" SOAP-ENC:arrayType="ns1:Order[2]"`, the WSDL's array
//! type and the encoding's item type and count — so that clients decoding by the wire's types
//! (suds, SOAP::Lite) see a list, and those typing by the `xsi:type` (zeep) its items' type.

use std::fmt::{self, Write};

use quick_xml::escape::escape;
use serde::Serialize;
use serde::ser::{self, Impossible};
use tco_api::{Object, Shape};

/// Writes `value`, of the registry's `shape`, as the element `name`.
pub(crate) fn element<T: Serialize + ?Sized>(
    xml: &mut String,
    name: &str,
    value: &T,
    shape: Shape,
) -> Result<(), XmlError> {
    value.serialize(ElementWriter { xml, name, shape: Some(shape) })
}

/// A value's type as the WSDL names it (`ns1:Customer`, `xsd:string`, `ns1:ArrayOfString`).
fn type_name(shape: Option<Shape>) -> String {
    match shape.map(Shape::required) {
        Some(Shape::Object(object)) => format!("ns1:{}", object.name),
        Some(Shape::String | Shape::Reference | Shape::Enum(_)) => "xsd:string".into(),
        Some(Shape::Integer) => "xsd:int".into(),
        Some(Shape::Number) => "xsd:double".into(),
        Some(Shape::Decimal) => "xsd:decimal".into(),
        Some(Shape::Boolean) => "xsd:boolean".into(),
        Some(Shape::Array(item)) => format!("ns1:{}", crate::wsdl::array_name(&type_name(Some(*item)))),
        Some(Shape::OneOf(_) | Shape::Nullable(_)) | None => "xsd:anyType".into(),
    }
}

fn object_of(shape: Option<Shape>) -> Option<&'static Object> {
    match shape.map(Shape::required) {
        Some(Shape::Object(object)) => Some(object),
        _ => None,
    }
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
    /// What the registry declares here, when known.
    shape: Option<Shape>,
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

    fn serialize_seq(self, length: Option<usize>) -> Result<SeqWriter<'a>, XmlError> {
        let item = match self.shape.map(Shape::required) {
            Some(Shape::Array(item)) => Some(*item),
            _ => None,
        };
        let _ = write!(
            self.xml,
            r#"<{} xsi:type="{}" SOAP-ENC:arrayType="{}[{}]">"#,
            self.name,
            type_name(self.shape),
            type_name(item),
            length.unwrap_or_default()
        );
        Ok(SeqWriter { xml: self.xml, close: self.name, item })
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
        Ok(StructWriter { xml: self.xml, name: self.name, raw_number, object: object_of(self.shape) })
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
    /// The structure's declared fields, when known.
    object: Option<&'static Object>,
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
            value.serialize(ElementWriter { xml: &mut element, name: self.name, shape: None })?;
            match element.strip_suffix(&format!(".0</{}>", self.name)) {
                Some(whole) => {
                    let _ = write!(self.xml, "{whole}</{}>", self.name);
                }
                None => self.xml.push_str(&element),
            }
            return Ok(());
        }
        let field = self.object.and_then(|object| object.fields.iter().find(|field| field.name == key));
        value.serialize(ElementWriter { xml: self.xml, name: key, shape: field.map(|field| field.shape) })
    }

    fn end(self) -> Result<(), XmlError> {
        if !self.raw_number {
            let _ = write!(self.xml, "</{}>", self.name);
        }
        Ok(())
    }
}

/// An array: each element as an `<item>`, then `close` closes the array's element.
pub(crate) struct SeqWriter<'a> {
    xml: &'a mut String,
    close: &'a str,
    item: Option<Shape>,
}

impl ser::SerializeSeq for SeqWriter<'_> {
    type Ok = ();
    type Error = XmlError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), XmlError> {
        value.serialize(ElementWriter { xml: self.xml, name: "item", shape: self.item })
    }

    fn end(self) -> Result<(), XmlError> {
        let _ = write!(self.xml, "</{}>", self.close);
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
    fn fields_in_order_nil_and_arrays() {
        use tco_api::Describe;
        let result = Page::<Customer> {
            Items: vec![],
            Pagination: Some(Pagination { Page: Some(1), Limit: Some(10), Count: Some(0) }),
        };
        let mut xml = String::new();
        element(&mut xml, "return", &result, Page::<Customer>::SHAPE).unwrap();
        assert_eq!(
            xml,
            "<return><Items xsi:type=\"ns1:ArrayOfCustomer\" SOAP-ENC:arrayType=\"ns1:Customer[0]\"></Items>\
             <Pagination><Page>1</Page><Limit>10</Limit><Count>0</Count></Pagination></return>"
        );
        let credit = CustomerCredit { Limit: Some(51.0), Remaining: Some(21.5), Currency: None };
        let mut xml = String::new();
        element(&mut xml, "Credit", &credit, CustomerCredit::SHAPE).unwrap();
        assert_eq!(
            xml,
            r#"<Credit><Limit>51</Limit><Remaining>21.5</Remaining><Currency xsi:nil="true"/></Credit>"#
        );
        let mut xml = String::new();
        let codes = vec!["a&b".to_owned(), "c".to_owned()];
        element(&mut xml, "return", &codes, Vec::<String>::SHAPE).unwrap();
        assert_eq!(
            xml,
            r#"<return xsi:type="ns1:ArrayOfString" SOAP-ENC:arrayType="xsd:string[2]"><item>a&amp;b</item><item>c</item></return>"#
        );
    }
}
