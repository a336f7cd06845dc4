//! The registry's types read from SOAP parts, whatever the client's style: with or without
//! `xsi:type`, literal or encoded, stdClass or associative array (Apache `Map` items), an array
//! as repeated elements or as one element around its items (whatever their names: `<item>`,
//! or zeep's type names), `xsi:nil` or a missing element for null. Which of the two an array's
//! one element is, the types' [`Shape`]s tell: an element whose children are not all fields of
//! the item type holds the items. Scalars follow the registry's rules
//! (`tco_api::lenient::scalar`); names match whatever their case.

use serde::de::{DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use tco_api::lenient::scalar;
use tco_api::{Object, Parameters, Place, Shape, WireError};

use crate::xml::Element;

/// The positional parts of a call, read into a parameters struct.
pub(crate) fn parameters<T: Parameters>(parts: &[Element], names: &[&str]) -> Result<T, WireError> {
    T::deserialize(Parts { parts, names, object: T::object() })
}

struct Parts<'a, 'n> {
    parts: &'a [Element],
    names: &'n [&'n str],
    object: &'static Object,
}

impl<'de> Deserializer<'de> for Parts<'_, '_> {
    type Error = WireError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        let parts: Vec<&Element> = self.parts.iter().take(self.names.len()).collect();
        let object = self.object;
        visitor.visit_seq(PartsAccess { parts: parts.into_iter().enumerate(), names: self.names, object })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct PartsAccess<'a, 'n, I: Iterator<Item = (usize, &'a Element)>> {
    parts: I,
    names: &'n [&'n str],
    object: &'static Object,
}

impl<'de, 'a, I: Iterator<Item = (usize, &'a Element)>> SeqAccess<'de> for PartsAccess<'a, '_, I> {
    type Error = WireError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, WireError> {
        let Some((position, part)) = self.parts.next() else { return Ok(None) };
        let place = Place::parameter(position, self.names.get(position).copied().unwrap_or("?"));
        let shape = self.object.fields.get(position).map(|field| field.shape);
        let value = XmlValue { elements: &[part], place: place.clone(), shape };
        seed.deserialize(value).map(Some).map_err(|error| place.locate(error))
    }
}

/// The elements one value is written in: one element, several for an array of repeated
/// elements.
struct XmlValue<'a, 'b> {
    elements: &'b [&'a Element],
    place: Place,
    /// What the registry declares here, when known.
    shape: Option<Shape>,
}

impl<'a> XmlValue<'a, '_> {
    fn first(&self) -> Option<&'a Element> {
        self.elements.first().copied()
    }

    fn is_null(&self) -> bool {
        self.first().is_none_or(Element::is_nil)
    }

    /// A simple value's text.
    fn text(&self) -> Result<&'a str, WireError> {
        match self.first() {
            Some(element) if element.children.is_empty() => Ok(&element.text),
            Some(_) => {
                Err(WireError(format!("{} must be a simple value, not a structure.", self.place.label())))
            }
            None => Ok(""),
        }
    }

    fn wrong(&self, expected: &str, text: &str) -> WireError {
        self.place.wrong(expected, &format!("\"{}\"", text.trim()))
    }

    /// An array's one element holding its items: SOAP-encoded (`arrayType`,
    /// `xsi:type="…Array"`), `<item>` children, or children that cannot be one item's fields.
    fn is_wrapper(element: &Element, item: Option<Shape>) -> bool {
        if element.children.is_empty() {
            return false;
        }
        element.attribute("arrayType").is_some()
            || element.attribute("type").is_some_and(|kind| kind.ends_with("Array"))
            || element.children.iter().all(|child| child.local == "item")
            || match item.and_then(object_of) {
                Some(object) => !element.children.iter().all(|child| {
                    object.fields.iter().any(|field| field.name.eq_ignore_ascii_case(&child.local))
                }),
                // A simple item has no children.
                None => item.is_some(),
            }
    }
}

macro_rules! integers {
    ($($method:ident => $visit:ident as $type:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
            let text = self.text()?;
            let value = scalar::integer(text).and_then(|value| <$type>::try_from(value).ok());
            visitor.$visit(value.ok_or_else(|| self.wrong("an integer", text))?)
        }
    )*};
}

impl<'de> Deserializer<'de> for XmlValue<'_, '_> {
    type Error = WireError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.first() {
            None => visitor.visit_unit(),
            Some(element) if element.is_nil() => visitor.visit_unit(),
            Some(element) if element.children.is_empty() => visitor.visit_str(&element.text),
            Some(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        let text = self.text()?;
        visitor.visit_bool(scalar::boolean(text).ok_or_else(|| self.wrong("true or false", text))?)
    }

    integers!(
        deserialize_i8 => visit_i8 as i8, deserialize_i16 => visit_i16 as i16,
        deserialize_i32 => visit_i32 as i32, deserialize_i64 => visit_i64 as i64,
        deserialize_u8 => visit_u8 as u8, deserialize_u16 => visit_u16 as u16,
        deserialize_u32 => visit_u32 as u32, deserialize_u64 => visit_u64 as u64
    );

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        let text = self.text()?;
        visitor.visit_f64(scalar::number(text).ok_or_else(|| self.wrong("a number", text))?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        let empty = self
            .first()
            .is_some_and(|element| element.children.is_empty() && scalar::is_blank(&element.text));
        if self.is_null() || empty { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        let item = match self.shape.map(Shape::required) {
            Some(Shape::Array(item)) => Some(*item),
            _ => None,
        };
        let items: Vec<&Element> = match self.elements {
            [] => Vec::new(),
            [one] if one.is_nil() || (one.children.is_empty() && scalar::is_blank(&one.text)) => Vec::new(),
            [one] if XmlValue::is_wrapper(one, item) => one.children.iter().collect(),
            many => many.to_vec(),
        };
        visitor.visit_seq(Items { items: items.into_iter().enumerate(), place: self.place, shape: item })
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
        self.deserialize_struct("", &[], visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, WireError> {
        let members = match self.first() {
            None => Vec::new(),
            Some(element) if element.is_nil() => Vec::new(),
            Some(element) if element.children.is_empty() && !scalar::is_blank(&element.text) => {
                return Err(WireError(format!(
                    "{} must be a structure, not a simple value.",
                    self.place.label()
                )));
            }
            Some(element) => members(element, fields),
        };
        let object = self.shape.and_then(object_of);
        visitor.visit_map(Members { members: members.into_iter(), place: self.place, value: None, object })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, WireError> {
        let text = self.text()?;
        let variant = scalar::variant(text, variants).ok_or_else(|| {
            WireError(format!(
                "{} must be one of {}, not \"{text}\".",
                self.place.label(),
                variants.join(", ")
            ))
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

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_u64(visitor)
    }
}

/// A structure's members grouped by name (repeated elements form one array member), in the
/// order they first appear: child elements, or the `<item><key/><value/></item>` pairs of an
/// associative array sent without a WSDL.
fn members<'a>(element: &'a Element, fields: &'static [&'static str]) -> Vec<(&'a str, Vec<&'a Element>)> {
    let is_map = element.children.iter().all(|item| item.local == "item" && item.child("key").is_some());
    let pairs: Vec<(&str, &Element)> = if is_map {
        element
            .children
            .iter()
            .filter_map(|item| Some((item.child("key")?.text.as_str(), item.child("value")?)))
            .collect()
    } else {
        element.children.iter().map(|child| (child.local.as_str(), child)).collect()
    };
    let mut grouped: Vec<(&str, Vec<&Element>)> = Vec::new();
    for (name, child) in pairs {
        let name = scalar::field(name, fields);
        match grouped.iter_mut().find(|(seen, _)| *seen == name) {
            Some((_, elements)) => elements.push(child),
            None => grouped.push((name, vec![child])),
        }
    }
    grouped
}

/// The object a shape is, or holds (an option, one of several).
fn object_of(shape: Shape) -> Option<&'static Object> {
    match shape.required() {
        Shape::Object(object) => Some(object),
        Shape::OneOf(shapes) => shapes.iter().copied().find_map(object_of),
        _ => None,
    }
}

struct Members<'a, I: Iterator<Item = (&'a str, Vec<&'a Element>)>> {
    members: I,
    place: Place,
    value: Option<(&'a str, Vec<&'a Element>)>,
    /// The structure's declared fields, when known.
    object: Option<&'static Object>,
}

impl<'de, 'a, I: Iterator<Item = (&'a str, Vec<&'a Element>)>> MapAccess<'de> for Members<'a, I> {
    type Error = WireError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, WireError> {
        let Some((name, elements)) = self.members.next() else { return Ok(None) };
        self.value = Some((name, elements));
        seed.deserialize(name.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, WireError> {
        let (name, elements) = self.value.take().ok_or_else(|| WireError("a value without a name".into()))?;
        let place = self.place.field(name);
        let field = self.object.and_then(|object| object.fields.iter().find(|field| field.name == name));
        let shape = field.map(|field| field.shape);
        seed.deserialize(XmlValue { elements: &elements, place: place.clone(), shape })
            .map_err(|error| place.locate(error))
    }
}

struct Items<'a, I: Iterator<Item = (usize, &'a Element)>> {
    items: I,
    place: Place,
    /// The items' shape, when known.
    shape: Option<Shape>,
}

impl<'de, 'a, I: Iterator<Item = (usize, &'a Element)>> SeqAccess<'de> for Items<'a, I> {
    type Error = WireError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, WireError> {
        let Some((index, item)) = self.items.next() else { return Ok(None) };
        let place = self.place.item(index);
        seed.deserialize(XmlValue { elements: &[item], place: place.clone(), shape: self.shape })
            .map(Some)
            .map_err(|error| place.locate(error))
    }
}

#[cfg(test)]
mod tests {
    use tco_api::customers::{CreateCustomerParams, GetCustomerInformationParams};

    use super::*;
    use crate::xml::{Limits, parse};

    fn parts(xml: &str) -> Element {
        parse(xml, Limits::default()).unwrap()
    }

    const CREATE: &[&str] = &["sessionID", "Customer"];

    #[test]
    fn customers_from_objects_and_maps() {
        let object = parts(
            "<op><s>x</s><Customer><avangatecustomerreference>7</avangatecustomerreference><FirstName>John</FirstName>\
             <Company xsi:nil=\"true\"/><Credit><Limit>51.0</Limit><Currency>EUR</Currency></Credit>\
             <Enabled>true</Enabled><ExistingCards/></Customer></op>",
        );
        let map = parts(
            "<op><s>x</s><Customer><item><key>AvangateCustomerReference</key><value>7</value></item>\
             <item><key>FirstName</key><value>John</value></item>\
             <item><key>Credit</key><value><item><key>Limit</key><value>51</value></item>\
             <item><key>Currency</key><value>EUR</value></item></value></item></Customer></op>",
        );
        for root in [object, map] {
            let params: CreateCustomerParams = parameters(&root.children, CREATE).unwrap();
            let customer = params.Customer.unwrap();
            assert_eq!(customer.AvangateCustomerReference.map(|r| r.0), Some(7));
            assert_eq!(customer.FirstName.as_deref(), Some("John"));
            assert_eq!(customer.Company, None);
            let credit = customer.Credit.unwrap();
            assert_eq!((credit.Limit, credit.Currency.as_deref()), (Some(51.0), Some("EUR")));
        }
    }

    #[test]
    fn wrong_shapes_name_the_part() {
        let root = parts("<op><s><x/></s><Customer><FirstName><x/></FirstName></Customer></op>");
        let error = parameters::<CreateCustomerParams>(&root.children, CREATE).unwrap_err();
        assert_eq!(error.0, "parameter 1 (sessionID) must be a simple value, not a structure.");
        let root = parts("<op><s>x</s><Customer><FirstName><x/></FirstName></Customer></op>");
        let error = parameters::<CreateCustomerParams>(&root.children, CREATE).unwrap_err();
        assert_eq!(error.0, "parameter 2 (Customer): FirstName must be a simple value, not a structure.");
        let root = parts("<op><s>x</s><Customer>plain</Customer></op>");
        let error = parameters::<CreateCustomerParams>(&root.children, CREATE).unwrap_err();
        assert_eq!(error.0, "parameter 2 (Customer) must be a structure, not a simple value.");
        let names = &["sessionID", "AvangateCustomerReference", "ExternalCustomerReference"];
        let root = parts("<op><s>x</s><r>x</r></op>");
        let error = parameters::<GetCustomerInformationParams>(&root.children, names).unwrap_err();
        assert_eq!(error.0, "parameter 2 (AvangateCustomerReference) must be an integer, not \"x\".");
        let root = parts("<op><s>x</s><r> 42 </r><e xsi:nil=\"true\"/><extra/></op>");
        let params: GetCustomerInformationParams = parameters(&root.children, names).unwrap();
        assert_eq!((params.AvangateCustomerReference, params.ExternalCustomerReference), (Some(42), None));
    }

    #[test]
    fn one_element_arrays_are_told_apart_by_the_item_type() {
        use tco_api::orders::PlaceOrderParams;
        let names = &["sessionID", "Order"];
        let item_codes = |order: &str| {
            let root = parts(&format!("<op><s>x</s><Order>{order}</Order></op>"));
            let params: PlaceOrderParams = parameters(&root.children, names).unwrap();
            params
                .Order
                .unwrap()
                .Items
                .into_iter()
                .map(|item| item.Code.unwrap_or_default())
                .collect::<Vec<_>>()
        };
        // Literal, one item as the repeated element itself, even with one field.
        assert_eq!(item_codes("<Items><Code>PLAN</Code></Items>"), ["PLAN"]);
        assert_eq!(item_codes("<Items><Code>A</Code></Items><Items><Code>B</Code></Items>"), ["A", "B"]);
        // Encoded, the items inside: PHP's `item`s, zeep's type-named elements, any name.
        assert_eq!(item_codes("<Items><item><Code>PLAN</Code></item></Items>"), ["PLAN"]);
        assert_eq!(
            item_codes(
                "<Items><OrderItem><Code>A</Code></OrderItem><OrderItem><Code>B</Code></OrderItem></Items>"
            ),
            ["A", "B"]
        );
        assert_eq!(item_codes(r#"<Items xsi:type="SOAP-ENC:Array"><x><Code>A</Code></x></Items>"#), ["A"]);
    }
}
