//! What an order item carries for a dynamic product (`IsDynamic: true`): its price options as
//! objects — so an item's `PriceOptions` holds codes or option groups — and its
//! `RecurringOptions`.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use tco_core::{DynamicItem, DynamicOptionInput, OptionGroupInput, RecurringInput};

use crate::money::Money;
use crate::shape::{Describe, Shape};
use crate::wire_object;

/// One of an item's `PriceOptions`: a catalog product's option code, or a dynamic product's
/// option group.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderPriceOption {
    Code(String),
    Group(DynamicPriceOption),
}

impl Describe for OrderPriceOption {
    const SHAPE: Shape = Shape::OneOf(&[Shape::String, DynamicPriceOption::SHAPE]);
}

impl Serialize for OrderPriceOption {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            OrderPriceOption::Code(code) => serializer.serialize_str(code),
            OrderPriceOption::Group(group) => group.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for OrderPriceOption {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OptionVisitor;
        impl<'de> Visitor<'de> for OptionVisitor {
            type Value = OrderPriceOption;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an option code or an option group {Name, Options}")
            }
            fn visit_str<E: de::Error>(self, code: &str) -> Result<OrderPriceOption, E> {
                Ok(OrderPriceOption::Code(code.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, code: i64) -> Result<OrderPriceOption, E> {
                Ok(OrderPriceOption::Code(code.to_string()))
            }
            fn visit_u64<E: de::Error>(self, code: u64) -> Result<OrderPriceOption, E> {
                Ok(OrderPriceOption::Code(code.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<OrderPriceOption, A::Error> {
                DynamicPriceOption::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(OrderPriceOption::Group)
            }
        }
        deserializer.deserialize_any(OptionVisitor)
    }
}

wire_object! {
    /// A dynamic product's option group, with the options the shopper got.
    pub struct DynamicPriceOption as "DynamicPriceOption" {
        Name: Option<String>,
        Options: Vec<DynamicOption>,
    }
}

wire_object! {
    /// `Surcharge` is added to the item's unit price, in the order's currency.
    pub struct DynamicOption as "DynamicOption" {
        Name: Option<String>,
        Value: Option<String>,
        OptionText: Option<String>,
        Surcharge: Option<Money>,
    }
}

wire_object! {
    /// A recurring dynamic product: renewed every `CycleLength` `CycleUnit` (DAY, MONTH or YEAR)
    /// for `CycleAmount`, for a contract of `ContractLength` `ContractUnit` if given.
    pub struct RecurringOptions as "RecurringOptions" {
        CycleLength: Option<i64>,
        CycleUnit: Option<String>,
        CycleAmount: Option<Money>,
        ContractLength: Option<i64>,
        ContractUnit: Option<String>,
    }
}

/// An item's `PriceOptions` as the core takes them: the codes, and the option groups.
pub(crate) fn split(options: Vec<OrderPriceOption>) -> (Vec<String>, Vec<OptionGroupInput>) {
    let mut codes = Vec::new();
    let mut groups = Vec::new();
    for option in options {
        match option {
            OrderPriceOption::Code(code) => codes.push(code),
            OrderPriceOption::Group(group) => groups.push(OptionGroupInput {
                name: group.Name,
                options: group
                    .Options
                    .into_iter()
                    .map(|option| DynamicOptionInput {
                        name: option.Name,
                        value: option.Value,
                        option_text: option.OptionText,
                        surcharge: option.Surcharge.map(|money| money.0),
                    })
                    .collect(),
            }),
        }
    }
    (codes, groups)
}

impl From<RecurringOptions> for RecurringInput {
    fn from(options: RecurringOptions) -> Self {
        RecurringInput {
            cycle_length: options.CycleLength,
            cycle_unit: options.CycleUnit,
            cycle_amount: options.CycleAmount.map(|money| money.0),
            contract_length: options.ContractLength,
            contract_unit: options.ContractUnit,
        }
    }
}

/// A dynamic item's option groups, as sent.
pub(crate) fn price_options(item: &DynamicItem) -> Vec<OrderPriceOption> {
    let group = |group: &tco_core::OptionGroup| DynamicPriceOption {
        Name: Some(group.name.clone()),
        Options: group
            .options
            .iter()
            .map(|option| DynamicOption {
                Name: Some(option.name.clone()),
                Value: option.value.clone(),
                OptionText: option.option_text.clone(),
                Surcharge: Some(option.surcharge.into()),
            })
            .collect(),
    };
    item.option_groups.iter().map(|g| OrderPriceOption::Group(group(g))).collect()
}

/// A dynamic item's recurring options, as sent.
pub(crate) fn recurring_options(item: &DynamicItem) -> Option<RecurringOptions> {
    item.recurring.as_ref().map(|recurring| RecurringOptions {
        CycleLength: Some(i64::from(recurring.cycle.length)),
        CycleUnit: Some(unit_name(recurring.cycle.unit).to_owned()),
        CycleAmount: Some(recurring.cycle_amount.into()),
        ContractLength: recurring.contract.map(|contract| i64::from(contract.length)),
        ContractUnit: recurring.contract.map(|contract| unit_name(contract.unit).to_owned()),
    })
}

/// The unit as `RecurringOptions` spells it (the catalog's are letters).
fn unit_name(unit: tco_core::CycleUnit) -> &'static str {
    match unit {
        tco_core::CycleUnit::Day => "DAY",
        tco_core::CycleUnit::Month => "MONTH",
        tco_core::CycleUnit::Year => "YEAR",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::lenient::{Place, from_json};

    #[test]
    fn price_options_are_codes_or_groups() {
        let read = |value| from_json::<Vec<OrderPriceOption>>(&value, Place::root("PriceOptions")).unwrap();
        let options = read(json!(["PREMIUM", {"Name": "OPT1", "Options": [{"Name": "A", "Surcharge": 7}]}]));
        let (codes, groups) = split(options.clone());
        assert_eq!(codes, ["PREMIUM"]);
        assert_eq!(groups[0].options[0].surcharge, Some(7.into()));
        assert_eq!(
            serde_json::to_value(&options).unwrap(),
            json!(["PREMIUM", {"Name": "OPT1", "Options": [{"Name": "A", "Value": null, "OptionText": null, "Surcharge": 7.0}]}])
        );
    }
}
