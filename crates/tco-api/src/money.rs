//! [`Money`]: an amount as the wire carries it. Read from a JSON number, a numeric string or
//! SOAP text; written as a JSON number (SOAP: `xsd:decimal` text). The core validates amounts to
//! at most 10^10 with four decimals, which a double carries exactly, so writing through one
//! loses nothing.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use tco_core::Decimal;

use crate::shape::{Describe, Shape};

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
        let shortest: f64 = self.0.to_string().parse().unwrap_or_default();
        serializer.serialize_f64(shortest)
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
}
