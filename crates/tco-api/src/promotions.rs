//! Promotions: the vendor's Promotion object and `addPromotion`, `updatePromotion`,
//! `getPromotion`, `searchPromotions`, `updatePromotionCoupon`, `deletePromotionCoupon`.

use tco_core::{
    CouponInput, Error, ErrorCode, Gateway, MerchantContext, Promotion as CorePromotion, PromotionInput,
    PromotionProductInput, PromotionSearchInput, Result,
};

use crate::customers::PaginationOptions;
use crate::lenient::Text;
use crate::operation::{Method, Operation, Route};
use crate::page::Page;
use crate::upsell::CampaignDiscount;
use crate::{wire_object, wire_params};

wire_object! {
    /// A discount shoppers get with a coupon code, or at once (`InstantDiscount`). `Code` is
    /// generated. `Type` REGULAR (the `Products` named) or GLOBAL (every product); `ChannelType`
    /// ECOMMERCE (default), CHANNEL_MANAGER or ALL; `Discount` as an upsell campaign's;
    /// `MaximumQuantity`: the units of an item discounted (0 or null: all); dates `YYYY-MM-DD`.
    pub struct Promotion as "Promotion" {
        Code: Option<String>,
        Name: Option<String>,
        Description: Option<String>,
        StartDate: Option<String>,
        EndDate: Option<String>,
        MaximumOrdersNumber: Option<i64>,
        MaximumQuantity: Option<i64>,
        InstantDiscount: Option<bool>,
        Coupon: Option<PromotionCoupon>,
        Enabled: Option<bool>,
        ChannelType: Option<String>,
        Type: Option<String>,
        Discount: Option<CampaignDiscount>,
        Products: Vec<PromotionProduct>,
        ApplyRecurring: Option<String>,
        RecurringChargesNumber: Option<i64>,
    }
}

wire_object! {
    /// `Type` SINGLE with `Code`, or MULTIPLE with `Codes`. Coupon codes are unique per merchant
    /// whatever their case.
    pub struct PromotionCoupon as "PromotionCoupon" {
        Type: Option<String>,
        Code: Option<String>,
        Codes: Vec<String>,
    }
}

wire_object! {
    pub struct PromotionProduct as "PromotionProduct" {
        Code: Option<String>,
        PricingConfigurationCode: Option<String>,
        PricingOptionCodes: Vec<String>,
    }
}

impl From<PromotionCoupon> for CouponInput {
    fn from(coupon: PromotionCoupon) -> Self {
        CouponInput { coupon_type: coupon.Type, code: coupon.Code, codes: coupon.Codes }
    }
}

impl From<Promotion> for PromotionInput {
    fn from(promotion: Promotion) -> Self {
        PromotionInput {
            code: promotion.Code,
            name: promotion.Name,
            description: promotion.Description,
            start_date: promotion.StartDate,
            end_date: promotion.EndDate,
            maximum_orders_number: promotion.MaximumOrdersNumber,
            maximum_quantity: promotion.MaximumQuantity,
            instant_discount: promotion.InstantDiscount,
            coupon: promotion.Coupon.map(Into::into),
            enabled: promotion.Enabled,
            channel_type: promotion.ChannelType,
            promotion_type: promotion.Type,
            discount: promotion.Discount.map(Into::into),
            products: promotion
                .Products
                .into_iter()
                .map(|product| PromotionProductInput {
                    code: product.Code,
                    pricing_configuration_code: product.PricingConfigurationCode,
                    price_option_codes: product.PricingOptionCodes,
                })
                .collect(),
            apply_recurring: promotion.ApplyRecurring,
            recurring_charges_number: promotion.RecurringChargesNumber,
        }
    }
}

impl From<CorePromotion> for Promotion {
    fn from(promotion: CorePromotion) -> Self {
        let single = promotion.coupon_type == tco_core::CouponType::Single;
        Promotion {
            Code: Some(promotion.code),
            Name: Some(promotion.name),
            Description: promotion.description,
            StartDate: promotion.start_date.map(|date| date.to_string()),
            EndDate: promotion.end_date.map(|date| date.to_string()),
            MaximumOrdersNumber: Some(promotion.maximum_orders_number.map_or(0, i64::from)),
            MaximumQuantity: Some(promotion.maximum_quantity.map_or(0, i64::from)),
            InstantDiscount: Some(promotion.instant_discount),
            Coupon: Some(PromotionCoupon {
                Type: Some(promotion.coupon_type.as_str().to_owned()),
                Code: single.then(|| promotion.coupons.first().cloned()).flatten(),
                Codes: if single { Vec::new() } else { promotion.coupons },
            }),
            Enabled: Some(promotion.enabled),
            ChannelType: Some(promotion.channel_type.as_str().to_owned()),
            Type: Some(promotion.promotion_type.as_str().to_owned()),
            Discount: Some((&promotion.discount).into()),
            Products: promotion
                .products
                .into_iter()
                .map(|product| PromotionProduct {
                    Code: Some(product.code),
                    PricingConfigurationCode: product.pricing_configuration_code,
                    PricingOptionCodes: product.price_option_codes,
                })
                .collect(),
            ApplyRecurring: Some(promotion.apply_recurring.as_str().to_owned()),
            RecurringChargesNumber: promotion.recurring_charges_number.map(i64::from),
        }
    }
}

const WRITE_ERRORS: &[ErrorCode] =
    &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField, ErrorCode::DuplicateCouponCode];

wire_params! {
    pub struct AddPromotionParams as "addPromotion" {
        Promotion: Option<Promotion> = body,
    }
}

/// `addPromotion`.
#[derive(Debug)]
pub struct AddPromotion;

impl Operation for AddPromotion {
    const NAME: &'static str = "addPromotion";
    const DOC: &'static str = "Creates a promotion and returns it with its Code. Its products (and pricing \
         configurations) must exist; its coupon codes must not be another promotion's.";
    const ERRORS: &'static [ErrorCode] = WRITE_ERRORS;
    const REST: &'static [Route] =
        &[Route::new(Method::Post, "/promotions").body(&Promotion::OBJECT).created()];
    type Params = AddPromotionParams;
    type Output = Promotion;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<Promotion> {
        let promotion = params.Promotion.ok_or(Error::MissingField("Promotion"))?;
        Ok(gateway.add_promotion(merchant, promotion.into()).await?.into())
    }

    fn summary(promotion: &Promotion) -> String {
        promotion.Code.clone().unwrap_or_default()
    }

    fn location(promotion: &Promotion) -> Option<String> {
        promotion.Code.as_ref().map(|code| format!("/promotions/{code}/"))
    }
}

wire_params! {
    pub struct UpdatePromotionParams as "updatePromotion" {
        Promotion: Option<Promotion> = body,
    }
    rest {
        target: Option<String> = path("PromotionCode"),
    }
}

/// `updatePromotion`.
#[derive(Debug)]
pub struct UpdatePromotion;

impl Operation for UpdatePromotion {
    const NAME: &'static str = "updatePromotion";
    const DOC: &'static str = "Replaces the promotion its Code names (on REST, the path's), coupon codes included, \
         and returns it.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::DuplicateCouponCode,
        ErrorCode::PromotionNotFound,
    ];
    const REST: &'static [Route] =
        &[Route::new(Method::Put, "/promotions/{PromotionCode}").body(&Promotion::OBJECT)];
    type Params = UpdatePromotionParams;
    type Output = Promotion;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<Promotion> {
        let mut promotion = params.Promotion.ok_or(Error::MissingField("Promotion"))?;
        if let Some(target) = params.target {
            promotion.Code = Some(target);
        }
        Ok(gateway.update_promotion(merchant, promotion.into()).await?.into())
    }
}

wire_params! {
    pub struct GetPromotionParams as "getPromotion" {
        promotionCode: Option<Text> = path("PromotionCode"),
    }
}

/// `getPromotion`.
#[derive(Debug)]
pub struct GetPromotion;

impl Operation for GetPromotion {
    const NAME: &'static str = "getPromotion";
    const DOC: &'static str = "The promotion with this code.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::PromotionNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/promotions/{PromotionCode}")];
    type Params = GetPromotionParams;
    type Output = Promotion;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<Promotion> {
        let code = params.promotionCode.map(|code| code.0).unwrap_or_default();
        Ok(gateway.promotion(merchant, &code).await?.into())
    }

    fn summary(promotion: &Promotion) -> String {
        promotion.Code.clone().unwrap_or_default()
    }
}

wire_object! {
    /// `Types`: REGULAR, GLOBAL; `Channel`: ECOMMERCE, CHANNEL_MANAGER, ALL; `ProductCode`: the
    /// promotions that discount this product.
    pub struct PromotionSearchOptions as "PromotionSearchOptions" {
        Types: Vec<String>,
        Channel: Option<String>,
        Enabled: Option<bool>,
        ProductCode: Option<String>,
        Pagination: Option<PaginationOptions>,
    }
}

crate::paged!(Promotion as "PromotionSearchResult", "One page of promotions ordered by name.");

wire_params! {
    pub struct SearchPromotionsParams as "searchPromotions" {
        SearchOptions: Option<PromotionSearchOptions> = query_object,
    }
}

/// `searchPromotions`.
#[derive(Debug)]
pub struct SearchPromotions;

impl Operation for SearchPromotions {
    const NAME: &'static str = "searchPromotions";
    const DOC: &'static str = "One page of the merchant's promotions matching the filters, ordered by name.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidField];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/promotions")];
    type Params = SearchPromotionsParams;
    type Output = Page<Promotion>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Page<Promotion>> {
        let options = params.SearchOptions.unwrap_or_default();
        let pagination = options.Pagination.unwrap_or_default();
        let input = PromotionSearchInput {
            types: options.Types,
            channel: options.Channel,
            enabled: options.Enabled,
            product_code: options.ProductCode,
            page: pagination.Page,
            limit: pagination.Limit,
        };
        Ok(gateway.search_promotions(merchant, input).await?.into())
    }

    fn summary(result: &Page<Promotion>) -> String {
        result.summary()
    }
}

macro_rules! coupon_operation {
    ($operation:ident, $params:ident, $name:literal, $method:ident, $call:ident, $doc:literal, $errors:expr) => {
        wire_params! {
            pub struct $params as $name {
                promotionCode: Option<Text> = path("PromotionCode"),
                promotionCoupon: Option<PromotionCoupon> = body,
            }
        }

        #[doc = concat!("`", $name, "`.")]
        #[derive(Debug)]
        pub struct $operation;

        impl Operation for $operation {
            const NAME: &'static str = $name;
            const DOC: &'static str = $doc;
            const ERRORS: &'static [ErrorCode] = $errors;
            const REST: &'static [Route] =
                &[Route::new(Method::$method, "/promotions/{PromotionCode}/coupons")
                    .body(&PromotionCoupon::OBJECT)];
            type Params = $params;
            type Output = Promotion;

            async fn call(
                gateway: &Gateway,
                merchant: &MerchantContext,
                params: Self::Params,
            ) -> Result<Promotion> {
                let code = params.promotionCode.map(|code| code.0).unwrap_or_default();
                let coupon = params.promotionCoupon.ok_or(Error::MissingField("promotionCoupon"))?;
                Ok(gateway.$call(merchant, &code, coupon.into()).await?.into())
            }
        }
    };
}

coupon_operation!(
    UpdatePromotionCoupon,
    UpdatePromotionCouponParams,
    "updatePromotionCoupon",
    Post,
    add_promotion_coupons,
    "Adds coupon codes to the promotion (SINGLE: replaces its code) and returns it.",
    &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::DuplicateCouponCode,
        ErrorCode::PromotionNotFound,
    ]
);

coupon_operation!(
    DeletePromotionCoupon,
    DeletePromotionCouponParams,
    "deletePromotionCoupon",
    Delete,
    delete_promotion_coupons,
    "Removes coupon codes from the promotion and returns it; a promotion keeps at least one.",
    &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::InvalidCoupon,
        ErrorCode::PromotionNotFound,
    ]
);
