//! What clients send for campaigns, before validation: every field optional, as sent.

use rust_decimal::Decimal;

use crate::catalog::AmountInput;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiscountInput {
    pub discount_type: Option<String>,
    pub value: Option<Decimal>,
    pub values: Vec<AmountInput>,
    pub default_currency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OptionSelectionInput {
    pub group_code: Option<String>,
    /// Option code and, for an interval group, the value.
    pub options: Vec<(Option<String>, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CampaignProductInput {
    pub code: Option<String>,
    pub quantity: Option<i64>,
    pub price_options: Vec<OptionSelectionInput>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpsellCampaignInput {
    /// Only the data file gives one; the API generates it.
    pub code: Option<String>,
    pub name: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub display_for_manual_renewals: Option<bool>,
    pub discount: Option<DiscountInput>,
    pub primary_product: Option<CampaignProductInput>,
    pub recommended_product: Option<CampaignProductInput>,
    pub enabled: Option<bool>,
    /// Language and text.
    pub descriptions: Vec<(Option<String>, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpsellSearchInput {
    pub name: Option<String>,
    pub primary_product_codes: Vec<String>,
    pub recommended_product_codes: Vec<String>,
    pub statuses: Vec<String>,
    pub starts_after: Option<String>,
    pub starts_before: Option<String>,
    pub ends_after: Option<String>,
    pub ends_before: Option<String>,
    pub enabled_for_renewals: Option<bool>,
    pub campaign_codes: Vec<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CrossSellTextInput {
    pub language: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CouponInput {
    pub coupon_type: Option<String>,
    pub code: Option<String>,
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PromotionProductInput {
    pub code: Option<String>,
    pub pricing_configuration_code: Option<String>,
    pub price_option_codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PromotionInput {
    /// Names the promotion on update; only the data file sets one on create.
    pub code: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub maximum_orders_number: Option<i64>,
    pub maximum_quantity: Option<i64>,
    pub instant_discount: Option<bool>,
    pub coupon: Option<CouponInput>,
    pub enabled: Option<bool>,
    pub channel_type: Option<String>,
    pub promotion_type: Option<String>,
    pub discount: Option<DiscountInput>,
    pub products: Vec<PromotionProductInput>,
    pub apply_recurring: Option<String>,
    pub recurring_charges_number: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PromotionSearchInput {
    pub types: Vec<String>,
    pub channel: Option<String>,
    pub enabled: Option<bool>,
    pub product_code: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}
