//! How the store writes the parts of catalog objects that need no column of their own: JSON
//! documents in the store's own format (the core's types know no serialisation). Amounts are
//! decimal strings, enumerations their vendor names.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tco_core::{
    Amount, CycleUnit, Impact, ImpactMethod, OptionChoice, OptionGroupType, Price, PriceImpact, PriceOption,
    PriceOptionGroup, PriceOptionUse, PriceType, PricingConfiguration, PricingSchema, ProductFields,
    Recurrence, SubscriptionImpact, UpgradeSchema,
};

use crate::db::DbError;

fn decode<T>(what: &str, value: Option<T>) -> Result<T, DbError> {
    value.ok_or_else(|| DbError::Decode(format!("a stored {what} is not valid")))
}

pub(crate) fn money(text: &str) -> Result<Decimal, DbError> {
    text.parse().map_err(|_| DbError::Decode(format!("a stored amount is not a decimal: {text}")))
}

/// The product fields without a column.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct ProductDocument {
    external_reference: Option<String>,
    version: Option<String>,
    generates_subscription: bool,
    purchase_multiple_units: bool,
    gift_option: bool,
    tangible: bool,
    weight: Option<String>,
    short_description: Option<String>,
    long_description: Option<String>,
    trial_url: Option<String>,
    trial_description: Option<String>,
    /// Cycle length and unit letter.
    recurrence: Option<(u32, String)>,
    pricing_configurations: Vec<ConfigurationDocument>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ConfigurationDocument {
    code: String,
    name: String,
    default: bool,
    billing_countries: Vec<String>,
    schema: String,
    price_type: String,
    default_currency: String,
    prices: Vec<PriceDocument>,
    renewal_prices: Vec<PriceDocument>,
    /// Group code and whether it is required.
    price_options: Vec<(String, bool)>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PriceDocument {
    amount: String,
    currency: String,
    min_quantity: u32,
    max_quantity: Option<u32>,
    /// Group code and the options chosen in it.
    option_codes: Vec<(String, Vec<String>)>,
}

impl ProductDocument {
    pub(super) fn of(fields: &ProductFields) -> Self {
        ProductDocument {
            external_reference: fields.external_reference.clone(),
            version: fields.version.clone(),
            generates_subscription: fields.generates_subscription,
            purchase_multiple_units: fields.purchase_multiple_units,
            gift_option: fields.gift_option,
            tangible: fields.tangible,
            weight: fields.weight.map(|weight| weight.to_string()),
            short_description: fields.short_description.clone(),
            long_description: fields.long_description.clone(),
            trial_url: fields.trial_url.clone(),
            trial_description: fields.trial_description.clone(),
            recurrence: fields.recurrence.map(|r| (r.length, r.unit.as_str().to_owned())),
            pricing_configurations: fields
                .pricing_configurations
                .iter()
                .map(ConfigurationDocument::of)
                .collect(),
        }
    }

    /// The fields, given those kept in columns.
    pub(super) fn into_fields(
        self,
        code: String,
        name: String,
        product_type: tco_core::ProductType,
        enabled: bool,
        group_code: Option<String>,
    ) -> Result<ProductFields, DbError> {
        let recurrence = match self.recurrence {
            Some((length, unit)) => {
                Some(Recurrence { length, unit: decode("cycle unit", CycleUnit::parse(&unit))? })
            }
            None => None,
        };
        Ok(ProductFields {
            code,
            external_reference: self.external_reference,
            name,
            version: self.version,
            product_type,
            enabled,
            generates_subscription: self.generates_subscription,
            purchase_multiple_units: self.purchase_multiple_units,
            gift_option: self.gift_option,
            tangible: self.tangible,
            weight: self.weight.as_deref().map(money).transpose()?,
            group_code,
            short_description: self.short_description,
            long_description: self.long_description,
            trial_url: self.trial_url,
            trial_description: self.trial_description,
            recurrence,
            pricing_configurations: self
                .pricing_configurations
                .into_iter()
                .map(ConfigurationDocument::into_model)
                .collect::<Result<_, _>>()?,
        })
    }
}

impl ConfigurationDocument {
    fn of(configuration: &PricingConfiguration) -> Self {
        ConfigurationDocument {
            code: configuration.code.clone(),
            name: configuration.name.clone(),
            default: configuration.default,
            billing_countries: configuration.billing_countries.clone(),
            schema: configuration.schema.as_str().to_owned(),
            price_type: configuration.price_type.as_str().to_owned(),
            default_currency: configuration.default_currency.clone(),
            prices: configuration.prices.iter().map(PriceDocument::of).collect(),
            renewal_prices: configuration.renewal_prices.iter().map(PriceDocument::of).collect(),
            price_options: configuration
                .price_options
                .iter()
                .map(|o| (o.group_code.clone(), o.required))
                .collect(),
        }
    }

    fn into_model(self) -> Result<PricingConfiguration, DbError> {
        let prices = |prices: Vec<PriceDocument>| -> Result<Vec<Price>, DbError> {
            prices.into_iter().map(PriceDocument::into_model).collect()
        };
        Ok(PricingConfiguration {
            code: self.code,
            name: self.name,
            default: self.default,
            billing_countries: self.billing_countries,
            schema: decode("pricing schema", PricingSchema::parse(&self.schema))?,
            price_type: decode("price type", PriceType::parse(&self.price_type))?,
            default_currency: self.default_currency,
            prices: prices(self.prices)?,
            renewal_prices: prices(self.renewal_prices)?,
            price_options: self
                .price_options
                .into_iter()
                .map(|(group_code, required)| PriceOptionUse { group_code, required })
                .collect(),
        })
    }
}

impl PriceDocument {
    fn of(price: &Price) -> Self {
        PriceDocument {
            amount: price.amount.to_string(),
            currency: price.currency.clone(),
            min_quantity: price.min_quantity,
            max_quantity: price.max_quantity,
            option_codes: price
                .option_codes
                .iter()
                .map(|c| (c.group_code.clone(), c.options.clone()))
                .collect(),
        }
    }

    fn into_model(self) -> Result<Price, DbError> {
        Ok(Price {
            amount: money(&self.amount)?,
            currency: self.currency,
            min_quantity: self.min_quantity,
            max_quantity: self.max_quantity,
            option_codes: self
                .option_codes
                .into_iter()
                .map(|(group_code, options)| OptionChoice { group_code, options })
                .collect(),
        })
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct OptionGroupDocument {
    name: String,
    description: Option<String>,
    group_type: String,
    required: bool,
    options: Vec<OptionDocument>,
}

/// Impact, method, percent, and amounts by currency.
type ImpactDocument = (String, String, Option<String>, Vec<(String, String)>);

#[derive(Debug, Serialize, Deserialize)]
struct OptionDocument {
    code: String,
    name: String,
    description: Option<String>,
    default: bool,
    scale_min: Option<i64>,
    scale_max: Option<i64>,
    price_impact: Option<ImpactDocument>,
    /// Months and impact.
    subscription_impact: Option<(i64, String)>,
}

impl OptionGroupDocument {
    pub(super) fn of(group: &PriceOptionGroup) -> Self {
        OptionGroupDocument {
            name: group.name.clone(),
            description: group.description.clone(),
            group_type: group.group_type.as_str().to_owned(),
            required: group.required,
            options: group
                .options
                .iter()
                .map(|option| OptionDocument {
                    code: option.code.clone(),
                    name: option.name.clone(),
                    description: option.description.clone(),
                    default: option.default,
                    scale_min: option.scale_min,
                    scale_max: option.scale_max,
                    price_impact: option.price_impact.as_ref().map(|impact| {
                        (
                            impact.impact.as_str().to_owned(),
                            impact.method.as_str().to_owned(),
                            impact.percent.map(|percent| percent.to_string()),
                            impact
                                .amounts
                                .iter()
                                .map(|a| (a.currency.clone(), a.amount.to_string()))
                                .collect(),
                        )
                    }),
                    subscription_impact: option
                        .subscription_impact
                        .map(|impact| (impact.months, impact.impact.as_str().to_owned())),
                })
                .collect(),
        }
    }

    pub(super) fn into_model(self, code: String) -> Result<PriceOptionGroup, DbError> {
        let options = self
            .options
            .into_iter()
            .map(|option| {
                let price_impact = match option.price_impact {
                    Some((impact, method, percent, amounts)) => Some(PriceImpact {
                        impact: decode("impact", Impact::parse(&impact))?,
                        method: decode("impact method", ImpactMethod::parse(&method))?,
                        percent: percent.as_deref().map(money).transpose()?,
                        amounts: amounts
                            .into_iter()
                            .map(|(currency, amount)| Ok(Amount { currency, amount: money(&amount)? }))
                            .collect::<Result<_, DbError>>()?,
                    }),
                    None => None,
                };
                let subscription_impact = match option.subscription_impact {
                    Some((months, impact)) => {
                        Some(SubscriptionImpact { months, impact: decode("impact", Impact::parse(&impact))? })
                    }
                    None => None,
                };
                Ok(PriceOption {
                    code: option.code,
                    name: option.name,
                    description: option.description,
                    default: option.default,
                    scale_min: option.scale_min,
                    scale_max: option.scale_max,
                    price_impact,
                    subscription_impact,
                })
            })
            .collect::<Result<_, DbError>>()?;
        Ok(PriceOptionGroup {
            code,
            name: self.name,
            description: self.description,
            group_type: decode("option group type", OptionGroupType::parse(&self.group_type))?,
            required: self.required,
            options,
        })
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct UpgradeDocument {
    pricing_scheme: u8,
    option_price_operator: Option<String>,
    option_price_percentage: Option<i64>,
    use_product_catalog_pricing: bool,
    prorate_ignore_grace_period: bool,
    subscription_upgrade_type: u8,
    allow_upgrade_from: Vec<String>,
}

impl UpgradeDocument {
    pub(super) fn of(schema: &UpgradeSchema) -> Self {
        UpgradeDocument {
            pricing_scheme: schema.pricing_scheme,
            option_price_operator: schema.option_price_operator.map(|operator| operator.as_str().to_owned()),
            option_price_percentage: schema.option_price_percentage,
            use_product_catalog_pricing: schema.use_product_catalog_pricing,
            prorate_ignore_grace_period: schema.prorate_ignore_grace_period,
            subscription_upgrade_type: schema.subscription_upgrade_type,
            allow_upgrade_from: schema.allow_upgrade_from.clone(),
        }
    }

    pub(super) fn into_model(self) -> Result<UpgradeSchema, DbError> {
        Ok(UpgradeSchema {
            pricing_scheme: self.pricing_scheme,
            option_price_operator: match self.option_price_operator {
                Some(operator) => Some(decode("operator", Impact::parse(&operator))?),
                None => None,
            },
            option_price_percentage: self.option_price_percentage,
            use_product_catalog_pricing: self.use_product_catalog_pricing,
            prorate_ignore_grace_period: self.prorate_ignore_grace_period,
            subscription_upgrade_type: self.subscription_upgrade_type,
            allow_upgrade_from: self.allow_upgrade_from,
        })
    }
}

/// A document as JSON text.
pub(crate) fn to_json<T: Serialize>(document: &T) -> Result<String, DbError> {
    serde_json::to_string(document).map_err(|error| DbError::Decode(error.to_string()))
}

pub(crate) fn from_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|error| DbError::Decode(format!("a stored document: {error}")))
}
