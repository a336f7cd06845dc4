//! Dynamic products: an item that describes and prices itself (`IsDynamic: true`, `Name`,
//! `Price {Amount, Type: CUSTOM}`, option groups with surcharges, `RecurringOptions`) instead of
//! naming a catalog product — as the vendor's "place orders with dynamic product information".

use rust_decimal::Decimal;

use super::input::{ItemInput, OptionGroupInput, RecurringInput};
use super::model::{DynamicItem, DynamicOption, OptionGroup, RecurringOptions};
use crate::catalog::{CycleUnit, Recurrence};
use crate::error::{Error, Result};
use crate::kernel::fields::{amount, list, optional, parsed, required};

/// The longest billing cycle or contract, in any unit.
const MAX_CYCLE_LENGTH: i64 = 3650;

/// A dynamic item, validated: what it shows and what it is priced and billed by.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DynamicProduct {
    /// The merchant's own code for it, if sent (no catalog product has to have it).
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub tangible: bool,
    pub item: DynamicItem,
}

impl ItemInput {
    pub(crate) fn dynamic(&self) -> bool {
        self.is_dynamic == Some(true)
    }
}

/// The dynamic product an item describes. A catalog item with option objects is refused here
/// too, so the two kinds of item never mix their options.
pub(crate) fn dynamic_product(item: &ItemInput) -> Result<Option<DynamicProduct>> {
    if !item.dynamic() {
        if !item.option_groups.is_empty() {
            return Err(Error::invalid(
                "Items.PriceOptions",
                "option objects ({Name, Options}) are for dynamic products (IsDynamic: true); a catalog product's \
                 options are codes",
            ));
        }
        return Ok(None);
    }
    if !item.price_options.is_empty() {
        return Err(Error::invalid(
            "Items.PriceOptions",
            "a dynamic product's options are objects {Name, Options: [{Name, Value, OptionText, Surcharge}]}, not \
             codes",
        ));
    }
    if let Some(kind) = optional("Items.Price.Type", item.price_type.clone(), 16)?
        && !kind.eq_ignore_ascii_case("CUSTOM")
    {
        return Err(Error::invalid("Items.Price.Type", format!("\"{kind}\" is not CUSTOM")));
    }
    let option_groups = list("Items.PriceOptions", item.option_groups.clone(), option_group)?;
    let recurring = item.recurring.clone().map(recurring_options).transpose()?;
    Ok(Some(DynamicProduct {
        code: optional("Items.Code", item.code.clone(), 255)?.unwrap_or_default(),
        name: required("Items.Name", item.name.clone(), 255)?,
        description: optional("Items.Description", item.description.clone(), 2000)?,
        tangible: item.tangible.unwrap_or(false),
        item: DynamicItem {
            amount: amount("Items.Price.Amount", item.price_amount)?,
            option_groups,
            recurring,
        },
    }))
}

fn option_group(group: OptionGroupInput) -> Result<OptionGroup> {
    let name = required("Items.PriceOptions.Name", group.name, 255)?;
    let options = list("Items.PriceOptions.Options", group.options, |option| {
        Ok(DynamicOption {
            name: required("Items.PriceOptions.Options.Name", option.name, 255)?,
            value: optional("Items.PriceOptions.Options.Value", option.value, 255)?,
            option_text: optional("Items.PriceOptions.Options.OptionText", option.option_text, 255)?,
            surcharge: match option.surcharge {
                Some(surcharge) => amount("Items.PriceOptions.Options.Surcharge", Some(surcharge))?,
                None => Decimal::ZERO,
            },
        })
    })?;
    Ok(OptionGroup { name, options })
}

fn recurring_options(input: RecurringInput) -> Result<RecurringOptions> {
    let cycle = recurrence(
        ("Items.RecurringOptions.CycleLength", input.cycle_length),
        ("Items.RecurringOptions.CycleUnit", input.cycle_unit),
    )?
    .ok_or(Error::MissingField("Items.RecurringOptions.CycleLength"))?;
    let contract = recurrence(
        ("Items.RecurringOptions.ContractLength", input.contract_length),
        ("Items.RecurringOptions.ContractUnit", input.contract_unit),
    )?;
    let cycle_amount = amount("Items.RecurringOptions.CycleAmount", input.cycle_amount)?;
    Ok(RecurringOptions { cycle, cycle_amount, contract })
}

/// A length and its unit, both or neither.
fn recurrence(
    (length_field, length): (&'static str, Option<i64>),
    (unit_field, unit): (&'static str, Option<String>),
) -> Result<Option<Recurrence>> {
    let unit = parsed(unit_field, unit, CycleUnit::parse, &["DAY", "MONTH", "YEAR"])?;
    match (length, unit) {
        (None, None) => Ok(None),
        (Some(length), Some(unit)) => match u32::try_from(length) {
            Ok(length) if (1..=MAX_CYCLE_LENGTH).contains(&i64::from(length)) => {
                Ok(Some(Recurrence { length, unit }))
            }
            _ => Err(Error::invalid(length_field, format!("must be from 1 to {MAX_CYCLE_LENGTH}"))),
        },
        (None, Some(_)) => Err(Error::MissingField(length_field)),
        (Some(_), None) => Err(Error::MissingField(unit_field)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::input::DynamicOptionInput;

    fn item() -> ItemInput {
        ItemInput {
            is_dynamic: Some(true),
            name: Some("Dynamic product".into()),
            price_amount: Some(Decimal::ONE_HUNDRED),
            price_type: Some("custom".into()),
            option_groups: vec![OptionGroupInput {
                name: Some("OPT1".into()),
                options: vec![DynamicOptionInput {
                    name: Some("Name LR".into()),
                    value: Some("Value LR".into()),
                    surcharge: Some(Decimal::from(7)),
                    ..DynamicOptionInput::default()
                }],
            }],
            ..ItemInput::default()
        }
    }

    #[test]
    fn the_unit_price_is_the_amount_and_the_surcharges() {
        let product = dynamic_product(&item()).unwrap().unwrap();
        assert_eq!(product.item.unit_price(), Decimal::from(107));
        assert_eq!(product.item.option_groups[0].options[0].value.as_deref(), Some("Value LR"));
    }

    #[test]
    fn recurring_options_need_a_cycle_and_an_amount() {
        let recurring = |length: Option<i64>, unit: Option<&str>| ItemInput {
            recurring: Some(RecurringInput {
                cycle_length: length,
                cycle_unit: unit.map(str::to_owned),
                cycle_amount: Some(Decimal::TEN),
                ..RecurringInput::default()
            }),
            ..item()
        };
        let monthly = dynamic_product(&recurring(Some(2), Some("MONTH"))).unwrap().unwrap();
        let cycle = monthly.item.recurring.unwrap().cycle;
        assert_eq!((cycle.length, cycle.unit), (2, CycleUnit::Month));
        for (length, unit) in
            [(None, Some("DAY")), (Some(2), None), (Some(0), Some("DAY")), (Some(2), Some("FORTNIGHT"))]
        {
            assert!(dynamic_product(&recurring(length, unit)).is_err(), "{length:?} {unit:?}");
        }
    }

    #[test]
    fn options_of_the_wrong_kind_are_refused() {
        let codes = ItemInput { price_options: vec!["PREMIUM".into()], ..item() };
        assert!(dynamic_product(&codes).is_err());
        let catalog = ItemInput { is_dynamic: None, code: Some("PLAN".into()), ..item() };
        assert!(dynamic_product(&catalog).is_err());
        let plain = ItemInput { code: Some("PLAN".into()), ..ItemInput::default() };
        assert_eq!(dynamic_product(&plain).unwrap(), None);
        let free = ItemInput { price_type: Some("FIXED".into()), ..item() };
        assert!(dynamic_product(&free).is_err());
    }
}
