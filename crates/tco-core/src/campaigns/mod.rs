//! Campaigns: upsell campaigns (`createUpSellCampaign` … `searchUpsellCampaigns`), the cart's
//! cross-sell texts, and promotions with their coupon codes, which `placeOrder` and
//! `getShippingPrice` apply. A merchant has few campaigns: the store hands over all of a
//! merchant's and the searches filter them here.
//!
//! Here are the family's types, rules and store port; its operations are `Gateway` methods in
//! `gateway/campaigns.rs`.

mod store;
pub use store::CampaignStore;
pub(crate) mod input;
pub(crate) mod model;
pub(crate) mod validation;

pub use input::{
    CampaignProductInput, CouponInput, CrossSellTextInput, DiscountInput, OptionSelectionInput,
    PromotionInput, PromotionProductInput, PromotionSearchInput, UpsellCampaignInput, UpsellSearchInput,
};
pub use model::{
    ApplyRecurring, CampaignProduct, CampaignStatus, ChannelType, CouponType, CrossSellText, Discount,
    DiscountType, OptionSelection, Promotion, PromotionProduct, PromotionQuery, PromotionType,
    UpsellCampaign, UpsellQuery,
};
pub use validation::CROSS_SELL_LANGUAGES;

use rust_decimal::Decimal;

use crate::error::Result;
use crate::settings::MerchantConfig;

/// The discount on one unit priced `unit_net` in `currency`, rounded to `decimals`: a percentage
/// of it, or the fixed amount for the currency (converted from the default currency's when the
/// discount names none for it), never more than the price.
pub fn unit_discount(
    discount: &Discount,
    unit_net: Decimal,
    currency: &str,
    config: &MerchantConfig,
    decimals: u32,
) -> Result<Decimal> {
    let amount = match discount {
        Discount::Percent(percent) => unit_net * percent / Decimal::ONE_HUNDRED,
        Discount::Fixed { amounts, default_currency } => {
            match amounts.iter().find(|amount| amount.currency.eq_ignore_ascii_case(currency)) {
                Some(amount) => amount.amount,
                None => {
                    let default = amounts
                        .iter()
                        .find(|amount| &amount.currency == default_currency)
                        .map_or(Decimal::ZERO, |amount| amount.amount);
                    config.convert(default, default_currency, currency)?
                }
            }
        }
    };
    Ok(crate::kernel::fields::round_money(amount, decimals).min(unit_net))
}

/// A merchant's campaigns from its data file. Codes are kept as the file gives them, so the
/// vendor's samples can name them; what the merchant already has (by code, or a text by
/// language) is left as it is.
#[derive(Debug, Clone, Default)]
pub struct CampaignFixture {
    /// Each with its `Code`.
    pub upsell_campaigns: Vec<UpsellCampaignInput>,
    /// Each with its `Code`.
    pub promotions: Vec<PromotionInput>,
    pub cross_sell_texts: Vec<CrossSellTextInput>,
}
