//! What clients send for catalog objects, before validation: every field optional, enumerations
//! as text, numbers as sent. [`super::validation`] turns them into the model or refuses them.

use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProductInput {
    pub code: Option<String>,
    pub external_reference: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub product_type: Option<String>,
    pub enabled: Option<bool>,
    pub generates_subscription: Option<bool>,
    pub purchase_multiple_units: Option<bool>,
    pub gift_option: Option<bool>,
    pub tangible: Option<bool>,
    pub weight: Option<Decimal>,
    pub group_code: Option<String>,
    pub short_description: Option<String>,
    pub long_description: Option<String>,
    pub trial_url: Option<String>,
    pub trial_description: Option<String>,
    pub billing_cycle: Option<i64>,
    pub billing_cycle_units: Option<String>,
    pub one_time_fee: Option<bool>,
    pub pricing_configurations: Vec<PricingConfigurationInput>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PricingConfigurationInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub default: Option<bool>,
    pub billing_countries: Vec<String>,
    pub schema: Option<String>,
    pub price_type: Option<String>,
    pub default_currency: Option<String>,
    pub prices: Vec<PriceInput>,
    pub renewal_prices: Vec<PriceInput>,
    pub price_options: Vec<PriceOptionUseInput>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceInput {
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub min_quantity: Option<i64>,
    pub max_quantity: Option<i64>,
    pub option_codes: Vec<OptionChoiceInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OptionChoiceInput {
    pub group_code: Option<String>,
    pub options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PriceOptionUseInput {
    pub group_code: Option<String>,
    pub required: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceOptionGroupInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub group_type: Option<String>,
    pub required: Option<bool>,
    pub options: Vec<PriceOptionInput>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceOptionInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub default: Option<bool>,
    pub scale_min: Option<i64>,
    pub scale_max: Option<i64>,
    pub price_impact: Option<PriceImpactInput>,
    pub subscription_impact: Option<SubscriptionImpactInput>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceImpactInput {
    pub impact: Option<String>,
    pub method: Option<String>,
    pub percent: Option<Decimal>,
    pub amounts: Vec<AmountInput>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AmountInput {
    pub currency: Option<String>,
    pub amount: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscriptionImpactInput {
    pub months: Option<i64>,
    pub impact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProductGroupInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub template_name: Option<String>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpgradeSchemaInput {
    pub pricing_scheme: Option<i64>,
    pub option_price_operator: Option<String>,
    pub option_price_percentage: Option<i64>,
    pub use_product_catalog_pricing: Option<bool>,
    pub prorate_ignore_grace_period: Option<bool>,
    pub subscription_upgrade_type: Option<i64>,
    pub allow_upgrade_from: Vec<String>,
}

/// `searchProducts` filters as sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProductSearchInput {
    pub name: Option<String>,
    pub codes: Vec<String>,
    pub types: Vec<String>,
    pub enabled: Option<bool>,
    pub group_name: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}
