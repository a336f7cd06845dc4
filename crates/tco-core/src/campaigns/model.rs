//! Campaigns as stored: upsell campaigns, the cross-sell texts, promotions with their coupons.
//! Money is [`Decimal`]; dates are calendar days (the vendor's `YYYY-MM-DD`).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::catalog::Amount;

/// A discount: a percentage, or an amount per currency with the one used for the others.
#[derive(Debug, Clone, PartialEq)]
pub enum Discount {
    Percent(Decimal),
    Fixed { amounts: Vec<Amount>, default_currency: String },
}

vendor_enum! {
    pub enum DiscountType { Percent = "PERCENT", Fixed = "FIXED" }
}

impl Discount {
    pub fn discount_type(&self) -> DiscountType {
        match self {
            Discount::Percent(_) => DiscountType::Percent,
            Discount::Fixed { .. } => DiscountType::Fixed,
        }
    }
}

/// Options chosen in one price option group (`Value` for an interval group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionSelection {
    pub group_code: String,
    pub options: Vec<(String, Option<String>)>,
}

/// A product an upsell campaign names, with the quantity it applies to (0: any, or for the
/// recommended product: the primary product's) and its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignProduct {
    pub code: String,
    pub quantity: u32,
    pub price_options: Vec<OptionSelection>,
}

/// An upsell campaign: when a shopper buys the primary product, the cart recommends the other
/// at a discount.
#[derive(Debug, Clone, PartialEq)]
pub struct UpsellCampaign {
    /// A lower-case UUID v4.
    pub code: String,
    pub name: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub display_for_manual_renewals: bool,
    pub discount: Discount,
    pub primary_product: CampaignProduct,
    pub recommended_product: CampaignProduct,
    pub enabled: bool,
    /// Language (lower-case ISO 639-1) and text.
    pub descriptions: Vec<(String, String)>,
}

vendor_enum! {
    /// Derived: disabled by the merchant, or expired once its end date has passed.
    pub enum CampaignStatus { Enabled = "ENABLED", Disabled = "DISABLED", Expired = "EXPIRED" }
}

impl UpsellCampaign {
    pub fn status(&self, today: NaiveDate) -> CampaignStatus {
        match (self.enabled, self.end_date) {
            (_, Some(end)) if end < today => CampaignStatus::Expired,
            (true, _) => CampaignStatus::Enabled,
            (false, _) => CampaignStatus::Disabled,
        }
    }
}

/// Upsell campaign search filters; every given one must match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpsellQuery {
    /// Part of the name, ignoring case.
    pub name: Option<String>,
    pub primary_product_codes: Vec<String>,
    pub recommended_product_codes: Vec<String>,
    pub statuses: Vec<CampaignStatus>,
    pub starts_after: Option<NaiveDate>,
    pub starts_before: Option<NaiveDate>,
    pub ends_after: Option<NaiveDate>,
    pub ends_before: Option<NaiveDate>,
    pub enabled_for_renewals: Option<bool>,
    pub codes: Vec<String>,
    pub page: u32,
    pub limit: u32,
}

/// The title and description the cart shows above cross-sell offers, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossSellText {
    /// Lower-case ISO 639-1 (`pt-br` and `zh-tw` for the two regional variants).
    pub language: String,
    pub title: String,
    pub description: String,
}

vendor_enum! {
    /// `SINGLE`: one code all shoppers share; `MULTIPLE`: codes for one use each.
    pub enum CouponType { Single = "SINGLE", Multiple = "MULTIPLE" }
}

vendor_enum! {
    /// `REGULAR` applies to the promotion's products, `GLOBAL` to every product.
    pub enum PromotionType { Regular = "REGULAR", Global = "GLOBAL" }
}

vendor_enum! {
    pub enum ChannelType { Ecommerce = "ECOMMERCE", ChannelManager = "CHANNEL_MANAGER", All = "ALL" }
}

vendor_enum! {
    /// Whether renewals of subscriptions bought with the promotion keep the discount.
    pub enum ApplyRecurring { None = "NONE", All = "ALL", Custom = "CUSTOM" }
}

/// A product a promotion applies to, optionally only in one pricing configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionProduct {
    pub code: String,
    pub pricing_configuration_code: Option<String>,
    pub price_option_codes: Vec<String>,
}

/// A discount shoppers get with a coupon code (or at once, `instant_discount`).
#[derive(Debug, Clone, PartialEq)]
pub struct Promotion {
    /// 10 upper-case hex digits, generated unless the data file gives one.
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Units of one item the discount applies to; further units are sold at full price.
    pub maximum_quantity: Option<u32>,
    pub maximum_orders_number: Option<u32>,
    /// The orders it discounted so far (the store counts them).
    pub orders_used: u32,
    pub instant_discount: bool,
    pub coupon_type: CouponType,
    /// As the merchant wrote them; unique per merchant whatever their case.
    pub coupons: Vec<String>,
    pub enabled: bool,
    pub channel_type: ChannelType,
    pub promotion_type: PromotionType,
    pub discount: Discount,
    pub products: Vec<PromotionProduct>,
    pub apply_recurring: ApplyRecurring,
    pub recurring_charges_number: Option<u32>,
}

impl Promotion {
    /// Whether a shopper can use it on `today`.
    pub fn active(&self, today: NaiveDate) -> bool {
        self.enabled
            && self.start_date.is_none_or(|start| start <= today)
            && self.end_date.is_none_or(|end| today <= end)
    }

    /// Whether it may discount one more order.
    pub fn has_orders_left(&self) -> bool {
        self.maximum_orders_number.is_none_or(|maximum| self.orders_used < maximum)
    }

    /// Whether it discounts this product.
    pub fn applies_to(&self, product_code: &str) -> bool {
        self.promotion_type == PromotionType::Global
            || self.products.iter().any(|product| product.code.eq_ignore_ascii_case(product_code))
    }
}

/// Promotion search filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PromotionQuery {
    pub types: Vec<PromotionType>,
    pub channel: Option<ChannelType>,
    pub enabled: Option<bool>,
    pub product_code: Option<String>,
    pub page: u32,
    pub limit: u32,
}
