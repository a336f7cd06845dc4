//! Upsell campaigns, cross-sell texts, promotions and shipping on every transport, written once
//! over [`Api::send`].

use async_trait::async_trait;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Api;
use crate::call::{Call, RestCall, argument};
use crate::catalog::CurrencyAmount;
use crate::error::Result;
use crate::model::{PageRequest, Pagination};

model! {
    pub struct UpsellCampaign {
        code: Option<String> => "Code",
        name: Option<String> => "Name",
        start_date: Option<String> => "StartDate",
        end_date: Option<String> => "EndDate",
        display_for_manual_renewals: Option<bool> => "DisplayForManualRenewals",
        discount: Option<CampaignDiscount> => "Discount",
        primary_product: Option<UpsellProduct> => "PrimaryProduct",
        recommended_product: Option<UpsellProduct> => "RecommendedProduct",
        enabled: Option<bool> => "Enabled",
        description: Vec<CampaignDescription> => "Description",
        status: Option<String> => "Status",
    }
}

model! {
    /// `kind` PERCENT with `value`, or FIXED with `values` and `default_currency`.
    pub struct CampaignDiscount {
        kind: Option<String> => "Type",
        value: Option<Decimal> => "Value",
        values: Vec<CurrencyAmount> => "Values",
        default_currency: Option<String> => "DefaultCurrency",
    }
}

model! {
    pub struct UpsellProduct {
        code: Option<String> => "Code",
        quantity: Option<i64> => "Quantity",
        price_options: Vec<CampaignPriceOptions> => "PriceOptions",
    }
}

model! {
    pub struct CampaignPriceOptions {
        code: Option<String> => "Code",
        options: Vec<CampaignOption> => "Options",
    }
}

model! {
    pub struct CampaignOption {
        code: Option<String> => "Code",
        value: Option<String> => "Value",
    }
}

model! {
    pub struct CampaignDescription {
        language: Option<String> => "Language",
        text: Option<String> => "Text",
    }
}

model! {
    pub struct UpsellSearchOptions {
        name: Option<String> => "Name",
        primary_product_codes: Vec<String> => "PrimaryProductCodes",
        recommended_product_codes: Vec<String> => "RecommendedProductCodes",
        statuses: Vec<String> => "Statuses",
        starts_after: Option<String> => "StartsAfter",
        starts_before: Option<String> => "StartsBefore",
        ends_after: Option<String> => "EndsAfter",
        ends_before: Option<String> => "EndsBefore",
        enabled_for_renewals: Option<bool> => "EnabledForRenewals",
        campaign_codes: Vec<String> => "CampaignCodes",
        page: Option<u32> => "Page",
        limit: Option<u32> => "Limit",
    }
}

model! {
    pub struct UpsellSearchResult {
        page: Option<u32> => "Page",
        limit: Option<u32> => "Limit",
        upsells: Vec<UpsellCampaign> => "Upsells",
        upsells_count: Option<u64> => "UpsellsCount",
    }
}

model! {
    pub struct CrossSellText {
        language: Option<String> => "Language",
        title: Option<String> => "Title",
        description: Option<String> => "Description",
    }
}

model! {
    pub struct Promotion {
        code: Option<String> => "Code",
        name: Option<String> => "Name",
        description: Option<String> => "Description",
        start_date: Option<String> => "StartDate",
        end_date: Option<String> => "EndDate",
        maximum_orders_number: Option<i64> => "MaximumOrdersNumber",
        maximum_quantity: Option<i64> => "MaximumQuantity",
        instant_discount: Option<bool> => "InstantDiscount",
        coupon: Option<PromotionCoupon> => "Coupon",
        enabled: Option<bool> => "Enabled",
        channel_type: Option<String> => "ChannelType",
        kind: Option<String> => "Type",
        discount: Option<CampaignDiscount> => "Discount",
        products: Vec<PromotionProduct> => "Products",
        apply_recurring: Option<String> => "ApplyRecurring",
        recurring_charges_number: Option<i64> => "RecurringChargesNumber",
    }
}

model! {
    /// `kind` SINGLE with `code`, or MULTIPLE with `codes`.
    pub struct PromotionCoupon {
        kind: Option<String> => "Type",
        code: Option<String> => "Code",
        codes: Vec<String> => "Codes",
    }
}

model! {
    pub struct PromotionProduct {
        code: Option<String> => "Code",
        pricing_configuration_code: Option<String> => "PricingConfigurationCode",
        pricing_option_codes: Vec<String> => "PricingOptionCodes",
    }
}

model! {
    pub struct PromotionSearchOptions {
        types: Vec<String> => "Types",
        channel: Option<String> => "Channel",
        enabled: Option<bool> => "Enabled",
        product_code: Option<String> => "ProductCode",
        pagination: Option<PageRequest> => "Pagination",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PromotionSearchResult {
    pub items: Vec<Promotion>,
    pub pagination: Pagination,
}

model! {
    pub struct ShippingMethod {
        name: Option<String> => "Name",
        code: Option<String> => "Code",
        tracking_url: Option<String> => "TrackingURL",
        base_price: Option<Decimal> => "BasePrice",
        currency: Option<String> => "Currency",
        active: Option<bool> => "Active",
        availability: Option<String> => "Availability",
    }
}

model! {
    pub struct ShippingSearchOptions {
        name: Option<String> => "Name",
        codes: Vec<String> => "Codes",
        countries: Vec<String> => "Countries",
        active: Option<bool> => "Active",
        pagination: Option<PageRequest> => "Pagination",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ShippingSearchResult {
    pub items: Vec<ShippingMethod>,
    pub pagination: Pagination,
}

model! {
    /// `getShippingPrice`'s cart: items, the billing and delivery countries, the currency and
    /// coupon codes.
    pub struct ShippingCart {
        items: Vec<ShippingItem> => "Items",
        billing_details: Option<CountryOnly> => "BillingDetails",
        delivery_details: Option<CountryOnly> => "DeliveryDetails",
        currency: Option<String> => "Currency",
        coupon_codes: Vec<String> => "CouponCodes",
    }
}

model! {
    pub struct ShippingItem {
        code: Option<String> => "Code",
        quantity: Option<i64> => "Quantity",
    }
}

model! {
    pub struct CountryOnly {
        country_code: Option<String> => "CountryCode",
    }
}

model! {
    pub struct ShippingPrice {
        name: Option<String> => "Name",
        code: Option<String> => "Code",
        currency: Option<String> => "Currency",
        price_details: Option<ShippingPriceDetails> => "PriceDetails",
    }
}

model! {
    pub struct ShippingPriceDetails {
        net: Option<ShippingPriceParts> => "Net",
        gross: Option<ShippingPriceParts> => "Gross",
    }
}

model! {
    pub struct ShippingPriceParts {
        total_amount: Option<Decimal> => "TotalAmount",
        base_price: Option<Decimal> => "BasePrice",
        overweight_amount: Option<Decimal> => "OverweightAmount",
        country_surcharge: Option<Decimal> => "CountrySurcharge",
        weight_surcharge: Option<Decimal> => "WeightSurcharge",
        order_surcharge: Option<Decimal> => "OrderSurcharge",
    }
}

/// Campaign and shipping operations, for every [`Api`].
#[async_trait]
pub trait CampaignsApi: Api {
    async fn create_upsell_campaign(&self, campaign: &UpsellCampaign) -> Result<UpsellCampaign> {
        let rest = RestCall::post(&["upsell"], argument(campaign)?);
        self.send(&Call::new("createUpSellCampaign", vec![argument(campaign)?], Some(rest))).await?.read()
    }

    async fn update_upsell_campaign(&self, code: &str, campaign: &UpsellCampaign) -> Result<UpsellCampaign> {
        let rest = RestCall::put(&["upsell", code], argument(campaign)?);
        let args = vec![json!(code), argument(campaign)?];
        self.send(&Call::new("updateUpsellCampaign", args, Some(rest))).await?.read()
    }

    async fn delete_upsell_campaign(&self, code: &str) -> Result<bool> {
        let rest = RestCall::new(reqwest::Method::DELETE, &["upsell", code]);
        self.send(&Call::new("deleteUpsellCampaign", vec![json!(code)], Some(rest))).await?.read()
    }

    async fn upsell_campaign(&self, code: &str) -> Result<UpsellCampaign> {
        let rest = RestCall::get(&["upsell", code]);
        self.send(&Call::new("getUpsellCampaign", vec![json!(code)], Some(rest))).await?.read()
    }

    /// REST sends lists as `X[]=a&X[]=b`.
    async fn search_upsell_campaigns(&self, options: &UpsellSearchOptions) -> Result<UpsellSearchResult> {
        let text = |value: &Option<u32>| value.map(|value| value.to_string());
        let rest = RestCall::get(&["upsell"])
            .query("Name", options.name.clone())
            .query("StartsAfter", options.starts_after.clone())
            .query("StartsBefore", options.starts_before.clone())
            .query("EndsAfter", options.ends_after.clone())
            .query("EndsBefore", options.ends_before.clone())
            .query("EnabledForRenewals", options.enabled_for_renewals.map(|flag| flag.to_string()))
            .query("Page", text(&options.page))
            .query("Limit", text(&options.limit))
            .list("PrimaryProductCodes", &options.primary_product_codes)
            .list("RecommendedProductCodes", &options.recommended_product_codes)
            .list("Statuses", &options.statuses)
            .list("CampaignCodes", &options.campaign_codes);
        self.send(&Call::new("searchUpsellCampaigns", vec![argument(options)?], Some(rest))).await?.read()
    }

    async fn add_cross_sell_texts(&self, texts: &[CrossSellText]) -> Result<Vec<CrossSellText>> {
        let rest = RestCall::post(&["crosssells", "texts"], json!({ "Texts": argument(&texts)? }));
        self.send(&Call::new("addCrossSellCampaignText", vec![argument(&texts)?], Some(rest))).await?.read()
    }

    async fn update_cross_sell_texts(&self, texts: &[CrossSellText]) -> Result<Vec<CrossSellText>> {
        let rest = RestCall::put(&["crosssells", "texts"], json!({ "Texts": argument(&texts)? }));
        self.send(&Call::new("updateCrossSellCampaignText", vec![argument(&texts)?], Some(rest)))
            .await?
            .read()
    }

    async fn cross_sell_text(&self, language: &str) -> Result<CrossSellText> {
        let rest = RestCall::get(&["crosssells", "texts", language]);
        self.send(&Call::new("getCrossSellTexts", vec![json!(language)], Some(rest))).await?.read()
    }

    async fn add_promotion(&self, promotion: &Promotion) -> Result<Promotion> {
        let rest = RestCall::post(&["promotions"], argument(promotion)?);
        self.send(&Call::new("addPromotion", vec![argument(promotion)?], Some(rest))).await?.read()
    }

    async fn update_promotion(&self, promotion: &Promotion) -> Result<Promotion> {
        let code = promotion.code.clone().unwrap_or_default();
        let rest = RestCall::put(&["promotions", &code], argument(promotion)?);
        self.send(&Call::new("updatePromotion", vec![argument(promotion)?], Some(rest))).await?.read()
    }

    async fn promotion(&self, code: &str) -> Result<Promotion> {
        let rest = RestCall::get(&["promotions", code]);
        self.send(&Call::new("getPromotion", vec![json!(code)], Some(rest))).await?.read()
    }

    async fn search_promotions(&self, options: &PromotionSearchOptions) -> Result<PromotionSearchResult> {
        let rest = RestCall::get(&["promotions"])
            .query("Channel", options.channel.clone())
            .query("Enabled", options.enabled.map(|flag| flag.to_string()))
            .query("ProductCode", options.product_code.clone())
            .list("Types", &options.types)
            .page(options.pagination.as_ref());
        self.send(&Call::new("searchPromotions", vec![argument(options)?], Some(rest))).await?.read()
    }

    async fn add_promotion_coupons(&self, code: &str, coupon: &PromotionCoupon) -> Result<Promotion> {
        let rest = RestCall::post(&["promotions", code, "coupons"], argument(coupon)?);
        let args = vec![json!(code), argument(coupon)?];
        self.send(&Call::new("updatePromotionCoupon", args, Some(rest))).await?.read()
    }

    async fn delete_promotion_coupons(&self, code: &str, coupon: &PromotionCoupon) -> Result<Promotion> {
        let rest =
            RestCall::new(reqwest::Method::DELETE, &["promotions", code, "coupons"]).body(argument(coupon)?);
        let args = vec![json!(code), argument(coupon)?];
        self.send(&Call::new("deletePromotionCoupon", args, Some(rest))).await?.read()
    }

    async fn search_shipping_methods(&self, options: &ShippingSearchOptions) -> Result<ShippingSearchResult> {
        let rest = RestCall::get(&["shippingmethods"])
            .query("Name", options.name.clone())
            .query("Active", options.active.map(|flag| flag.to_string()))
            .list("Codes", &options.codes)
            .list("Countries", &options.countries)
            .page(options.pagination.as_ref());
        self.send(&Call::new("searchShippingMethods", vec![argument(options)?], Some(rest))).await?.read()
    }

    async fn shipping_price(&self, cart: &ShippingCart) -> Result<Vec<ShippingPrice>> {
        let rest = RestCall::post(&["shippingprice"], argument(cart)?);
        let args = vec![
            argument(&cart.items)?,
            argument(&cart.billing_details)?,
            argument(&cart.delivery_details)?,
            json!(cart.currency),
            argument(&cart.coupon_codes)?,
        ];
        self.send(&Call::new("getShippingPrice", args, Some(rest))).await?.read()
    }
}

#[async_trait]
impl<T: Api + ?Sized> CampaignsApi for T {}
