//! The catalog's domain types: products with their pricing, price option groups, product groups,
//! upgrade schemas, and the merchant's currencies. Money is [`Decimal`].

use rust_decimal::Decimal;

/// The system's product id (`AvangateId` / `ProductId`), unique across merchants.
pub type ProductId = i64;

/// A product or subscription plan, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: ProductId,
    pub fields: ProductFields,
    /// The product group it is in, if any (read-only: `GroupName`, `ProductGroup`).
    pub group: Option<ProductGroup>,
}

impl Product {
    /// Its default pricing configuration, else its first.
    pub fn default_configuration(&self) -> Option<&PricingConfiguration> {
        let configurations = &self.fields.pricing_configurations;
        configurations.iter().find(|configuration| configuration.default).or(configurations.first())
    }
}

/// What a merchant sets on a product, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductFields {
    /// The merchant's code for the product, unique per merchant.
    pub code: String,
    pub external_reference: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub product_type: ProductType,
    pub enabled: bool,
    pub generates_subscription: bool,
    pub purchase_multiple_units: bool,
    pub gift_option: bool,
    pub tangible: bool,
    /// Physical products: the weight shipping is priced on, in kilograms.
    pub weight: Option<Decimal>,
    pub group_code: Option<String>,
    pub short_description: Option<String>,
    pub long_description: Option<String>,
    pub trial_url: Option<String>,
    pub trial_description: Option<String>,
    /// How often a subscription renews; `None` is a one-time fee (lifetime).
    pub recurrence: Option<Recurrence>,
    pub pricing_configurations: Vec<PricingConfiguration>,
}

vendor_enum! {
    #[derive(Default)]
    pub enum ProductType { #[default] Regular = "REGULAR", Bundle = "BUNDLE" }
}

/// A billing cycle: every `length` days, months or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub length: u32,
    pub unit: CycleUnit,
}

vendor_enum! {
    /// The vendor's `BillingCycleUnits` letters.
    pub enum CycleUnit { Day = "D" | "DAY" | "DAYS", Month = "M" | "MONTH" | "MONTHS", Year = "Y" | "YEAR" | "YEARS" }
}

/// One way of pricing a product (a product has at least one; one is the default).
#[derive(Debug, Clone, PartialEq)]
pub struct PricingConfiguration {
    pub code: String,
    pub name: String,
    pub default: bool,
    /// Countries this configuration applies to; empty: all.
    pub billing_countries: Vec<String>,
    pub schema: PricingSchema,
    pub price_type: PriceType,
    pub default_currency: String,
    /// Prices of a first purchase.
    pub prices: Vec<Price>,
    /// Prices of a renewal; empty: the first purchase's.
    pub renewal_prices: Vec<Price>,
    /// The price option groups this configuration offers.
    pub price_options: Vec<PriceOptionUse>,
}

vendor_enum! {
    /// `FLAT`: one price per currency; `DYNAMIC`: a base price converted to other currencies.
    pub enum PricingSchema { Flat = "FLAT", Dynamic = "DYNAMIC" }
}

vendor_enum! {
    /// Whether prices include VAT (`GROSS`) or not (`NET`).
    pub enum PriceType { Net = "NET", Gross = "GROSS" }
}

/// A unit price in a currency, for a quantity range and, optionally, a combination of options.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    pub amount: Decimal,
    pub currency: String,
    pub min_quantity: u32,
    pub max_quantity: Option<u32>,
    /// The price applies when these options are chosen (empty: any).
    pub option_codes: Vec<OptionChoice>,
}

/// Options chosen in one price option group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionChoice {
    pub group_code: String,
    pub options: Vec<String>,
}

/// A price option group offered by a pricing configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceOptionUse {
    pub group_code: String,
    pub required: bool,
}

/// Options a shopper picks (users, support level, …) that change the price or the billing cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceOptionGroup {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub group_type: OptionGroupType,
    pub required: bool,
    pub options: Vec<PriceOption>,
}

vendor_enum! {
    /// `INTERVAL`: each option covers `ScaleMin`..=`ScaleMax` of a value the shopper gives.
    pub enum OptionGroupType { Radio = "RADIO", Checkbox = "CHECKBOX", Interval = "INTERVAL", Combo = "COMBO" }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PriceOption {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub default: bool,
    pub scale_min: Option<i64>,
    pub scale_max: Option<i64>,
    pub price_impact: Option<PriceImpact>,
    pub subscription_impact: Option<SubscriptionImpact>,
}

/// How choosing an option changes the price.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceImpact {
    pub impact: Impact,
    pub method: ImpactMethod,
    /// For [`ImpactMethod::Percent`].
    pub percent: Option<Decimal>,
    /// For [`ImpactMethod::Fixed`]: an amount per currency.
    pub amounts: Vec<Amount>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub currency: String,
    pub amount: Decimal,
}

vendor_enum! {
    /// The vendor's own samples spell it `SUBSTRACT` too.
    pub enum Impact { Add = "ADD", Subtract = "SUBTRACT" | "SUBSTRACT" }
}

vendor_enum! {
    pub enum ImpactMethod { Fixed = "FIXED", Percent = "PERCENT" }
}

/// How choosing an option changes the billing cycle, in months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubscriptionImpact {
    pub months: i64,
    pub impact: Impact,
}

/// A group of products sharing a cart template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductGroup {
    /// 10 upper-case hex digits, generated.
    pub code: String,
    pub name: String,
    pub template_name: String,
    pub description: Option<String>,
    pub enabled: bool,
}

/// Which products may be upgraded to a product, and how the upgrade is priced.
#[derive(Debug, Clone, PartialEq)]
pub struct UpgradeSchema {
    /// 1 full price, 2 price difference, 3 prorated on the latest costs, 4 prorated on the
    /// catalog price at order time.
    pub pricing_scheme: u8,
    pub option_price_operator: Option<Impact>,
    pub option_price_percentage: Option<i64>,
    pub use_product_catalog_pricing: bool,
    pub prorate_ignore_grace_period: bool,
    /// 1 new subscription, 2 prolong from the upgrade date, 3 duration unchanged.
    pub subscription_upgrade_type: u8,
    pub allow_upgrade_from: Vec<String>,
}

/// Product search filters; every given filter must match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProductQuery {
    /// Part of the name, ignoring case.
    pub name: Option<String>,
    pub codes: Vec<String>,
    pub types: Vec<ProductType>,
    pub enabled: Option<bool>,
    /// The product group's name, ignoring case.
    pub group_name: Option<String>,
    pub page: u32,
    pub limit: u32,
}

impl ProductQuery {
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.limit)
    }
}

/// A product named by the merchant's code or the system id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductKey {
    Code(String),
    Id(ProductId),
}
