//! Catalog validation: what a product, a price option group, a product group or an upgrade
//! schema must hold, with length limits so nothing grows without bound. The first failure is
//! reported. Codes are trimmed and kept as given; enumerations are read whatever their case.

use rust_decimal::Decimal;

use super::input::{
    AmountInput, OptionChoiceInput, PriceImpactInput, PriceInput, PriceOptionGroupInput, PriceOptionInput,
    PricingConfigurationInput, ProductGroupInput, ProductInput, ProductSearchInput, UpgradeSchemaInput,
};
use super::model::{
    Amount, CycleUnit, Impact, ImpactMethod, OptionChoice, OptionGroupType, Price, PriceImpact, PriceOption,
    PriceOptionGroup, PriceOptionUse, PriceType, PricingConfiguration, PricingSchema, ProductFields,
    ProductGroup, ProductQuery, ProductType, Recurrence, SubscriptionImpact, UpgradeSchema,
};
use crate::error::{Error, Result};
use crate::kernel::fields::{
    CODE_MAX, NAME_MAX, TEXT_MAX, URL_MAX, amount, code, country, list, optional, parsed, required,
};
use crate::kernel::paging::page_and_limit;
use crate::settings::MerchantConfig;
use crate::settings::currency;

fn quantity(field: &'static str, value: Option<i64>) -> Result<Option<u32>> {
    value
        .map(|value| {
            u32::try_from(value)
                .ok()
                .filter(|&q| q >= 1)
                .ok_or_else(|| Error::invalid(field, "must be a positive integer"))
        })
        .transpose()
}

pub(crate) fn product(input: ProductInput, config: &MerchantConfig) -> Result<ProductFields> {
    let recurrence = recurrence(&input)?;
    let product_code = code("ProductCode", input.code)?.ok_or(Error::MissingField("ProductCode"))?;
    let name = required("ProductName", input.name, NAME_MAX)?;
    let product_type = parsed("ProductType", input.product_type, ProductType::parse, ProductType::NAMES)?
        .unwrap_or_default();
    let weight = input.weight.map(|weight| amount("TangibleDetails.Weight", Some(weight))).transpose()?;
    let mut configurations =
        list("PricingConfigurations", input.pricing_configurations, |c| pricing_configuration(c, config))?;
    if configurations.is_empty() {
        return Err(Error::MissingField("PricingConfigurations"));
    }
    // Exactly one configuration is the default: the first one marked so, else the first.
    let default = configurations.iter().position(|c| c.default).unwrap_or(0);
    for (index, configuration) in configurations.iter_mut().enumerate() {
        configuration.default = index == default;
    }
    let mut codes: Vec<&str> =
        configurations.iter().map(|c| c.code.as_str()).filter(|c| !c.is_empty()).collect();
    codes.sort_unstable();
    if codes.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(Error::invalid("PricingConfigurations.Code", "two configurations have the same code"));
    }
    Ok(ProductFields {
        code: product_code,
        external_reference: optional("ExternalReference", input.external_reference, CODE_MAX)?,
        name,
        version: optional("ProductVersion", input.version, 50)?,
        product_type,
        enabled: input.enabled.unwrap_or(true),
        generates_subscription: input.generates_subscription.unwrap_or(recurrence.is_some()),
        purchase_multiple_units: input.purchase_multiple_units.unwrap_or(true),
        gift_option: input.gift_option.unwrap_or(false),
        tangible: input.tangible.unwrap_or(false),
        weight,
        group_code: code("ProductGroupCode", input.group_code)?,
        short_description: optional("ShortDescription", input.short_description, TEXT_MAX)?,
        long_description: optional("LongDescription", input.long_description, TEXT_MAX)?,
        trial_url: optional("TrialUrl", input.trial_url, URL_MAX)?,
        trial_description: optional("TrialDescription", input.trial_description, TEXT_MAX)?,
        recurrence,
        pricing_configurations: configurations,
    })
}

/// `SubscriptionInformation`: a cycle of `BillingCycle` `BillingCycleUnits`, unless
/// `IsOneTimeFee` (or no cycle at all) makes it a one-time fee.
fn recurrence(input: &ProductInput) -> Result<Option<Recurrence>> {
    if input.one_time_fee == Some(true) {
        return Ok(None);
    }
    let unit = parsed(
        "SubscriptionInformation.BillingCycleUnits",
        input.billing_cycle_units.clone(),
        CycleUnit::parse,
        CycleUnit::NAMES,
    )?;
    match (input.billing_cycle, unit) {
        (None, None) => Ok(None),
        (Some(length), unit) => {
            let length =
                u32::try_from(length).ok().filter(|length| (1..=1000).contains(length)).ok_or_else(|| {
                    Error::invalid("SubscriptionInformation.BillingCycle", "must be from 1 to 1000")
                })?;
            Ok(Some(Recurrence { length, unit: unit.unwrap_or(CycleUnit::Month) }))
        }
        (None, Some(_)) => Err(Error::MissingField("SubscriptionInformation.BillingCycle")),
    }
}

fn pricing_configuration(
    input: PricingConfigurationInput,
    config: &MerchantConfig,
) -> Result<PricingConfiguration> {
    let default_currency = match input.default_currency {
        Some(value) if !value.trim().is_empty() => {
            currency("PricingConfigurations.DefaultCurrency", Some(value), config)?
        }
        _ => config.default_currency().to_owned(),
    };
    let prices = list("PricingConfigurations.Prices.Regular", input.prices, |p| price(p, config))?;
    let renewal_prices =
        list("PricingConfigurations.Prices.Renewal", input.renewal_prices, |p| price(p, config))?;
    let price_options = list("PricingConfigurations.PriceOptions", input.price_options, |option| {
        Ok(PriceOptionUse {
            group_code: code("PricingConfigurations.PriceOptions.Code", option.group_code)?
                .ok_or(Error::MissingField("PricingConfigurations.PriceOptions.Code"))?,
            required: option.required.unwrap_or(false),
        })
    })?;
    Ok(PricingConfiguration {
        code: code("PricingConfigurations.Code", input.code)?.unwrap_or_default(),
        name: optional("PricingConfigurations.Name", input.name, NAME_MAX)?.unwrap_or_default(),
        default: input.default.unwrap_or(false),
        billing_countries: list("PricingConfigurations.BillingCountries", input.billing_countries, |c| {
            country("PricingConfigurations.BillingCountries", c)
        })?,
        schema: parsed(
            "PricingConfigurations.PricingSchema",
            input.schema,
            PricingSchema::parse,
            PricingSchema::NAMES,
        )?
        .unwrap_or(PricingSchema::Flat),
        price_type: parsed(
            "PricingConfigurations.PriceType",
            input.price_type,
            PriceType::parse,
            PriceType::NAMES,
        )?
        .unwrap_or(PriceType::Net),
        default_currency,
        prices,
        renewal_prices,
        price_options,
    })
}

fn price(input: PriceInput, config: &MerchantConfig) -> Result<Price> {
    let min_quantity = quantity("Prices.MinQuantity", input.min_quantity)?.unwrap_or(1);
    let max_quantity = quantity("Prices.MaxQuantity", input.max_quantity)?;
    if max_quantity.is_some_and(|max| max < min_quantity) {
        return Err(Error::invalid("Prices.MaxQuantity", "is below MinQuantity"));
    }
    Ok(Price {
        amount: amount("Prices.Amount", input.amount)?,
        currency: currency("Prices.Currency", input.currency, config)?,
        min_quantity,
        max_quantity,
        option_codes: list("Prices.OptionCodes", input.option_codes, option_choice)?,
    })
}

fn option_choice(input: OptionChoiceInput) -> Result<OptionChoice> {
    Ok(OptionChoice {
        group_code: code("Prices.OptionCodes.Code", input.group_code)?
            .ok_or(Error::MissingField("Prices.OptionCodes.Code"))?,
        options: list("Prices.OptionCodes.Options", input.options, |option| {
            code("Prices.OptionCodes.Options", Some(option))?
                .ok_or(Error::MissingField("Prices.OptionCodes.Options"))
        })?,
    })
}

pub(crate) fn price_option_group(
    input: PriceOptionGroupInput,
    config: &MerchantConfig,
) -> Result<PriceOptionGroup> {
    let name = required("Name", input.name, NAME_MAX)?;
    let group_type = parsed("Type", input.group_type, OptionGroupType::parse, OptionGroupType::NAMES)?
        .ok_or(Error::MissingField("Type"))?;
    let options = list("Options", input.options, |option| price_option(option, group_type, config))?;
    // The vendor: "Send options for each pricing group or 2Checkout throws an exception."
    if options.is_empty() {
        return Err(Error::MissingField("Options"));
    }
    let mut codes: Vec<&str> = options.iter().map(|o| o.code.as_str()).collect();
    codes.sort_unstable();
    if codes.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(Error::invalid("Options.Code", "two options have the same code"));
    }
    if group_type == OptionGroupType::Interval {
        // Intervals need both ends and may not overlap.
        let mut ranges: Vec<(i64, i64)> = Vec::new();
        for option in &options {
            let (Some(min), Some(max)) = (option.scale_min, option.scale_max) else {
                return Err(Error::MissingField("Options.ScaleMin and Options.ScaleMax"));
            };
            if min > max {
                return Err(Error::invalid("Options.ScaleMax", "is below ScaleMin"));
            }
            ranges.push((min, max));
        }
        ranges.sort_unstable();
        if ranges.windows(2).any(|pair| pair[1].0 <= pair[0].1) {
            return Err(Error::invalid("Options", "the scale intervals overlap"));
        }
    }
    Ok(PriceOptionGroup {
        code: code("Code", input.code)?.unwrap_or_default(),
        name,
        description: optional("Description", input.description, TEXT_MAX)?,
        group_type,
        required: input.required.unwrap_or(false),
        options,
    })
}

fn price_option(
    input: PriceOptionInput,
    group_type: OptionGroupType,
    config: &MerchantConfig,
) -> Result<PriceOption> {
    let name = required("Options.Name", input.name, NAME_MAX)?;
    let option_code = code("Options.Code", input.code)?.unwrap_or_else(|| option_code_from(&name));
    let (scale_min, scale_max) = match group_type {
        OptionGroupType::Interval => (input.scale_min, input.scale_max),
        _ => (None, None),
    };
    Ok(PriceOption {
        code: option_code,
        name,
        description: optional("Options.Description", input.description, TEXT_MAX)?,
        default: input.default.unwrap_or(false),
        scale_min,
        scale_max,
        price_impact: input.price_impact.map(|impact| price_impact(impact, config)).transpose()?,
        subscription_impact: input
            .subscription_impact
            .map(|impact| {
                let months = impact.months.unwrap_or(0);
                if !(0..=1200).contains(&months) {
                    return Err(Error::invalid(
                        "Options.SubscriptionImpact.Months",
                        "must be from 0 to 1200",
                    ));
                }
                let impact =
                    parsed("Options.SubscriptionImpact.Impact", impact.impact, Impact::parse, Impact::NAMES)?
                        .unwrap_or(Impact::Add);
                Ok(SubscriptionImpact { months, impact })
            })
            .transpose()?,
    })
}

/// An option without a code gets one from its name, as the vendor's control panel does.
fn option_code_from(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).take(CODE_MAX).collect::<String>().to_ascii_uppercase()
}

fn price_impact(input: PriceImpactInput, config: &MerchantConfig) -> Result<PriceImpact> {
    let method =
        parsed("Options.PriceImpact.Method", input.method, ImpactMethod::parse, ImpactMethod::NAMES)?
            .unwrap_or(if input.percent.is_some() { ImpactMethod::Percent } else { ImpactMethod::Fixed });
    let amounts =
        list("Options.PriceImpact.Amounts", input.amounts, |AmountInput { currency: c, amount: a }| {
            Ok(Amount {
                currency: currency("Options.PriceImpact.Amounts.Currency", c, config)?,
                amount: amount("Options.PriceImpact.Amounts.Amount", a)?,
            })
        })?;
    let percent = match (method, input.percent) {
        (ImpactMethod::Percent, None) => return Err(Error::MissingField("Options.PriceImpact.Percent")),
        (ImpactMethod::Percent, Some(percent))
            if percent.is_sign_negative() || percent > Decimal::from(1000) =>
        {
            return Err(Error::invalid("Options.PriceImpact.Percent", "must be from 0 to 1000"));
        }
        (_, percent) => {
            percent.map(|percent| amount("Options.PriceImpact.Percent", Some(percent))).transpose()?
        }
    };
    Ok(PriceImpact {
        impact: parsed("Options.PriceImpact.Impact", input.impact, Impact::parse, Impact::NAMES)?
            .unwrap_or(Impact::Add),
        method,
        percent,
        amounts,
    })
}

/// A product group; its `Code` is kept as sent (empty when absent): an update names the group
/// by it, a create ignores it.
pub(crate) fn product_group(input: ProductGroupInput, config: &MerchantConfig) -> Result<ProductGroup> {
    let name = required("Name", input.name, NAME_MAX)?;
    let template_name = match optional("TemplateName", input.template_name, NAME_MAX)? {
        Some(template) => config
            .cart_template(&template)
            .ok_or_else(|| {
                Error::invalid(
                    "TemplateName",
                    format!("\"{template}\" is not one of the merchant's cart templates"),
                )
            })?
            .to_owned(),
        None => config.default_cart_template().to_owned(),
    };
    Ok(ProductGroup {
        code: code("Code", input.code)?.unwrap_or_default(),
        name,
        template_name,
        description: optional("Description", input.description, TEXT_MAX)?,
        enabled: input.enabled.unwrap_or(true),
    })
}

pub(crate) fn upgrade_schema(input: UpgradeSchemaInput) -> Result<UpgradeSchema> {
    let pricing_scheme = input.pricing_scheme.ok_or(Error::MissingField("UpgradeSettings.PricingScheme"))?;
    let pricing_scheme =
        u8::try_from(pricing_scheme).ok().filter(|scheme| (1..=4).contains(scheme)).ok_or_else(|| {
            Error::invalid("UpgradeSettings.PricingScheme", format!("{pricing_scheme} is not 1, 2, 3 or 4"))
        })?;
    let upgrade_type = input
        .subscription_upgrade_type
        .ok_or(Error::MissingField("UpgradeSettings.SubscriptionUpgradeType"))?;
    let subscription_upgrade_type =
        u8::try_from(upgrade_type).ok().filter(|kind| (1..=3).contains(kind)).ok_or_else(|| {
            Error::invalid(
                "UpgradeSettings.SubscriptionUpgradeType",
                format!("{upgrade_type} is not 1, 2 or 3"),
            )
        })?;
    let percentage = input.option_price_percentage;
    if percentage.is_some_and(|percentage| !(0..=1000).contains(&percentage)) {
        return Err(Error::invalid("UpgradeSettings.OptionPricePercentage", "must be from 0 to 1000"));
    }
    let mut allow_upgrade_from = list("AllowUpgradeFrom", input.allow_upgrade_from, |product| {
        code("AllowUpgradeFrom", Some(product))?.ok_or(Error::MissingField("AllowUpgradeFrom"))
    })?;
    allow_upgrade_from.dedup();
    if allow_upgrade_from.is_empty() {
        return Err(Error::MissingField("AllowUpgradeFrom"));
    }
    Ok(UpgradeSchema {
        pricing_scheme,
        option_price_operator: parsed(
            "UpgradeSettings.OptionPriceOperator",
            input.option_price_operator,
            Impact::parse,
            Impact::NAMES,
        )?,
        option_price_percentage: percentage,
        use_product_catalog_pricing: input.use_product_catalog_pricing.unwrap_or(false),
        prorate_ignore_grace_period: input.prorate_ignore_grace_period.unwrap_or(false),
        subscription_upgrade_type,
        allow_upgrade_from,
    })
}

pub(crate) fn product_query(input: ProductSearchInput) -> Result<ProductQuery> {
    let (page, limit) = page_and_limit(input.page, input.limit, ("Pagination.Page", "Pagination.Limit"))?;
    Ok(ProductQuery {
        name: optional("Name", input.name, NAME_MAX)?,
        codes: list("Codes", input.codes, |code| Ok(code.trim().to_owned()))?,
        types: list("Types", input.types, |kind| {
            parsed("Types", Some(kind), ProductType::parse, ProductType::NAMES)?
                .ok_or(Error::MissingField("Types"))
        })?,
        enabled: input.enabled,
        group_name: optional("GroupName", input.group_name, NAME_MAX)?,
        page,
        limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn priced(amount: &str, currency: &str) -> PriceInput {
        PriceInput {
            amount: Some(amount.parse().unwrap()),
            currency: Some(currency.into()),
            ..Default::default()
        }
    }

    fn input() -> ProductInput {
        ProductInput {
            code: Some(" P1 ".into()),
            name: Some("Product".into()),
            billing_cycle: Some(1),
            billing_cycle_units: Some("m".into()),
            pricing_configurations: vec![PricingConfigurationInput {
                prices: vec![priced("9.990", "usd")],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_product_is_normalised() {
        let product = product(input(), &MerchantConfig::default()).unwrap();
        assert_eq!(product.code, "P1");
        assert_eq!(product.recurrence, Some(Recurrence { length: 1, unit: CycleUnit::Month }));
        assert!(product.generates_subscription && product.enabled);
        let configuration = &product.pricing_configurations[0];
        assert!(configuration.default);
        assert_eq!(configuration.prices[0].currency, "USD");
        assert_eq!(configuration.prices[0].amount.to_string(), "9.99");
    }

    #[test]
    fn products_are_refused_with_the_field_named() {
        let config = MerchantConfig::default();
        let mut bad = input();
        bad.pricing_configurations.clear();
        assert_eq!(product(bad, &config), Err(Error::MissingField("PricingConfigurations")));
        let mut bad = input();
        bad.pricing_configurations[0].prices[0].currency = Some("XYZ".into());
        assert!(matches!(product(bad, &config), Err(Error::InvalidField { field: "Prices.Currency", .. })));
        let mut bad = input();
        bad.product_type = Some("SERVICE".into());
        assert!(matches!(product(bad, &config), Err(Error::InvalidField { field: "ProductType", .. })));
        let mut bad = input();
        bad.pricing_configurations[0].prices[0].amount = Some("-1".parse().unwrap());
        assert!(matches!(product(bad, &config), Err(Error::InvalidField { field: "Prices.Amount", .. })));
        let mut bad = input();
        bad.pricing_configurations[0].prices[0].amount = Some("0.00001".parse().unwrap());
        assert!(matches!(product(bad, &config), Err(Error::InvalidField { field: "Prices.Amount", .. })));
    }

    #[test]
    fn interval_options_need_both_ends_and_may_not_overlap() {
        let option = |min, max| PriceOptionInput {
            name: Some(format!("{min}-{max}")),
            scale_min: Some(min),
            scale_max: Some(max),
            ..Default::default()
        };
        let group = |options| PriceOptionGroupInput {
            name: Some("Users".into()),
            group_type: Some("interval".into()),
            options,
            ..Default::default()
        };
        let config = MerchantConfig::default();
        assert!(price_option_group(group(vec![option(1, 5), option(6, 10)]), &config).is_ok());
        assert!(price_option_group(group(vec![option(1, 5), option(5, 10)]), &config).is_err());
        assert_eq!(price_option_group(group(vec![]), &config), Err(Error::MissingField("Options")));
    }

    #[test]
    fn upgrade_schemas_keep_to_the_documented_values() {
        let schema = |scheme, kind| UpgradeSchemaInput {
            pricing_scheme: Some(scheme),
            subscription_upgrade_type: Some(kind),
            allow_upgrade_from: vec!["A".into()],
            ..Default::default()
        };
        assert!(upgrade_schema(schema(4, 3)).is_ok());
        assert!(matches!(
            upgrade_schema(schema(5, 1)),
            Err(Error::InvalidField { field: "UpgradeSettings.PricingScheme", .. })
        ));
        assert!(upgrade_schema(schema(1, 8)).is_err());
    }
}
