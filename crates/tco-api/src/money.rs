//! [`Money`]: an amount as the wire carries it. Read from a JSON number, a numeric string or
//! SOAP text; written as a JSON number (SOAP: `xsd:decimal` text) with the decimal's own digits,
//! never through a double: a line total of 999989999999000.01 would come back 999989999999000.0.
//!
//! The number is serde_json's raw value (a struct named [`RAW_NUMBER`] with one field, the text),
//! which serde_json writes verbatim; the gateway's other serializers (the SOAP writer, the
//! journal) recognise the name and write the text.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use tco_core::Decimal;

use crate::shape::{Describe, Shape};

/// The name under which serde_json's `RawValue` serializes itself (a test checks it still does).
pub const RAW_NUMBER: &str = "$serde_json::private::RawValue";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Money(pub Decimal);

impl Describe for Money {
    const SHAPE: Shape = Shape::Decimal;
}

impl From<Decimal> for Money {
    fn from(amount: Decimal) -> Self {
        Money(amount)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // `normalize` drops trailing zeros (49.990 → 49.99) and never writes an exponent; a whole
        // amount keeps a decimal point (10.0), as it always did when written through a double.
        let mut digits = self.0.normalize().to_string();
        if !digits.contains('.') {
            digits.push_str(".0");
        }
        let raw = serde_json::value::RawValue::from_string(digits).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MoneyVisitor;
        impl Visitor<'_> for MoneyVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Money, E> {
                let trimmed = text.trim();
                Decimal::from_str_exact(trimmed)
                    .or_else(|_| Decimal::from_scientific(trimmed))
                    .map(Money)
                    .map_err(|_| E::custom(format!("must be an amount, not \"{text}\"")))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Money, E> {
                Ok(Money(Decimal::from(value)))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Money, E> {
                Ok(Money(Decimal::from(value)))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Money, E> {
                // The shortest text that reads back as this double is what the client wrote.
                if value.is_finite() {
                    self.visit_str(&value.to_string())
                } else {
                    Err(E::custom("must be a finite amount"))
                }
            }
        }
        deserializer.deserialize_any(MoneyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::lenient::{Place, from_json};

    #[test]
    fn amounts_read_exactly_from_numbers_and_strings() {
        let read = |value| from_json::<Money>(&value, Place::root("Amount")).map(|money| money.0.to_string());
        assert_eq!(read(json!(49.99)).unwrap(), "49.99");
        assert_eq!(read(json!(0.1)).unwrap(), "0.1");
        assert_eq!(read(json!(" 10.50 ")).unwrap(), "10.50");
        assert_eq!(read(json!(7)).unwrap(), "7");
        assert!(read(json!("ten")).is_err());
        assert!(read(json!(true)).is_err());
        assert_eq!(serde_json::to_string(&Money("49.990".parse().unwrap())).unwrap(), "49.99");
    }

    #[test]
    fn amounts_are_written_with_their_own_digits() {
        let write = |text: &str| serde_json::to_string(&Money(text.parse().unwrap())).unwrap();
        assert_eq!(write("999989999999000.01"), "999989999999000.01");
        assert_eq!(write("0.10"), "0.1");
        assert_eq!(write("-5.00"), "-5.0");
        assert_eq!(write("0"), "0.0");
        assert_eq!(write("79228162514264337593543950335"), "79228162514264337593543950335.0");
    }

    /// The journal (and the SOAP writer) recognise a raw number by [`RAW_NUMBER`]; if serde_json
    /// named it otherwise, the amount would be lost here.
    #[test]
    fn the_journal_reads_the_raw_number() {
        #[derive(Serialize)]
        #[allow(non_snake_case)]
        struct Params {
            Amount: Money,
        }
        let arguments = crate::journal::arguments(&Params { Amount: Money("10.50".parse().unwrap()) });
        assert_eq!(arguments, [("Amount".to_owned(), "10.5".to_owned())]);
    }
}
