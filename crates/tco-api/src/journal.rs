//! A call's arguments for the journal, in protocol-neutral form: the parameters flattened to
//! `(name, value)` pairs — an object parameter's fields by their own names (`FirstName`),
//! deeper ones by path (`Credit.Limit`, `Items[0].Code`) — with empty values left out and
//! secrets redacted. The same call leaves the same pairs whatever the protocol.

use serde::Serialize;
use serde::ser::{self, Impossible};
use tco_core::REDACTED;

/// Names whose values never appear in the journal. The session id is left out altogether.
const SECRETS: &[&str] =
    &["hash", "singleSignOnToken", "TransientToken", "Token", "CardNumber", "CCID", "HolderName"];
const LEFT_OUT: &[&str] = &["sessionID"];

/// The arguments of `params` (a parameters struct).
pub fn arguments<T: Serialize>(params: &T) -> Vec<(String, String)> {
    let mut flat = Flat { pairs: Vec::new() };
    let _ = params.serialize(Value { flat: &mut flat, name: String::new(), depth: 0 });
    flat.pairs
}

struct Flat {
    pairs: Vec<(String, String)>,
}

/// One value at `name`; `depth` 0 is the parameters struct, 1 a parameter.
struct Value<'a> {
    flat: &'a mut Flat,
    name: String,
    depth: usize,
}

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unsupported")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

impl Value<'_> {
    fn leaf(self, value: String) -> Result<(), Never> {
        if value.is_empty() || self.name.is_empty() {
            return Ok(());
        }
        let last = self.name.rsplit(['.', ']']).next().unwrap_or_default();
        let value = if SECRETS.iter().any(|secret| secret.eq_ignore_ascii_case(last)) {
            REDACTED.to_owned()
        } else {
            value
        };
        self.flat.pairs.push((self.name, value));
        Ok(())
    }

    /// The name of a member: a parameter's own fields stand alone, deeper ones get a path.
    fn member(&self, key: &str) -> String {
        if self.depth <= 1 { key.to_owned() } else { format!("{}.{key}", self.name) }
    }
}

macro_rules! leaves {
    ($($method:ident($type:ty)),*) => {$(
        fn $method(self, value: $type) -> Result<(), Never> {
            self.leaf(value.to_string())
        }
    )*};
}

impl<'a> ser::Serializer for Value<'a> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Impossible<(), Never>;
    type SerializeMap = Impossible<(), Never>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Impossible<(), Never>;

    leaves!(
        serialize_bool(bool),
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

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Never> {
        self.leaf(variant.to_owned())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Never> {
        Ok(Seq { flat: self.flat, name: self.name, depth: self.depth, index: 0 })
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Never> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, Never> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Never> {
        Err(Never)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Never> {
        Err(Never)
    }

    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'a>, Never> {
        Ok(Struct { raw_number: name == crate::money::RAW_NUMBER, value: self })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Never> {
        Err(Never)
    }
}

struct Struct<'a> {
    value: Value<'a>,
    /// An amount ([`crate::Money`]): its one field is the value itself.
    raw_number: bool,
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = Never;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Never> {
        if self.raw_number {
            let name = std::mem::take(&mut self.value.name);
            return value.serialize(Value { flat: self.value.flat, name, depth: self.value.depth });
        }
        if self.value.depth == 0 && LEFT_OUT.contains(&key) {
            return Ok(());
        }
        let name = self.value.member(key);
        let _ = value.serialize(Value { flat: self.value.flat, name, depth: self.value.depth + 1 });
        Ok(())
    }

    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

struct Seq<'a> {
    flat: &'a mut Flat,
    name: String,
    depth: usize,
    index: usize,
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Never;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
        let name = format!("{}[{}]", self.name, self.index);
        self.index += 1;
        // Elements of an array are always named by path.
        let _ = value.serialize(Value { flat: self.flat, name, depth: self.depth.max(2) });
        Ok(())
    }

    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = Never;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = Never;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::wire_object! {
        pub struct Card as "Card" {
            Code: Option<String>,
            Token: Option<String>,
        }
    }

    crate::wire_object! {
        pub struct Customer as "Customer" {
            FirstName: Option<String>,
            Company: Option<String>,
            Credit: Option<Card>,
            Cards: Vec<Card>,
        }
    }

    crate::wire_object! {
        pub struct Params as "Params" {
            sessionID: Option<String>,
            Customer: Option<Customer>,
            Flag: Option<bool>,
            hash: Option<String>,
        }
    }

    #[test]
    fn parameters_flatten_by_name() {
        let params = Params {
            sessionID: Some("secret-session".into()),
            Customer: Some(Customer {
                FirstName: Some("Ada".into()),
                Company: Some(String::new()),
                Credit: Some(Card { Code: Some("X".into()), Token: None }),
                Cards: vec![Card { Code: Some("C".into()), Token: Some("t0k3n".into()) }],
            }),
            Flag: Some(false),
            hash: Some("abc".into()),
        };
        let pairs = arguments(&params);
        let expected: Vec<(String, String)> = [
            ("FirstName", "Ada"),
            ("Credit.Code", "X"),
            ("Cards[0].Code", "C"),
            ("Cards[0].Token", REDACTED),
            ("Flag", "false"),
            ("hash", REDACTED),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        assert_eq!(pairs, expected);
    }
}
