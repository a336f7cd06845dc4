//! Channel Manager: `setPartner`, `getPartnerSingleSignOn`, `getPartnerPricingLists` and
//! `getProductPrice`. On JSON-RPC and SOAP the partner lives in the session; a signed REST
//! request has none, so its Channel Manager routes name the partner (`PartnerCode`) on each call.

use tco_core::{ErrorCode, Gateway, MerchantContext, PartnerSignOnRequest, Result};

use crate::lenient::Text;
use crate::money::Money;
use crate::operation::{Method, Operation, Route};
use crate::{wire_object, wire_params};

wire_object! {
    /// A pricing list as `getPartnerPricingLists` shows it.
    pub struct SimplePricingList as "SimplePricingList" {
        Code: Option<String>,
        Name: Option<String>,
        Default: Option<bool>,
        Currency: Option<String>,
    }
}

wire_object! {
    /// What the partner pays for one unit: the catalog's net price less its margin, and the VAT
    /// of its country on the rest.
    pub struct UnitPrice as "UnitPrice" {
        Currency: Option<String>,
        NetPricePerUnit: Option<Money>,
        PartnerMarginPerUnit: Option<Money>,
        VatPerUnit: Option<Money>,
    }
}

wire_object! {
    /// `POST /channelmanager/partners/sso/`'s body.
    pub struct PartnerSignOn as "PartnerSignOn" {
        Email: Option<String>,
        PartnerCode: Option<String>,
        AccessPage: Option<String>,
        ValidityTime: Option<i64>,
        ValidationIp: Option<String>,
    }
}

/// REST's `PartnerCode` query parameter: the partner a sessionless call works for.
const PARTNER_PARAMETER: &[(&str, &str)] =
    &[("PartnerCode", "The partner the call works for (REST has no session to keep it in).")];

wire_params! {
    pub struct SetPartnerParams as "setPartner" {
        partnerCode: Option<String> = query("PartnerCode"),
    }
}

/// `setPartner`.
#[derive(Debug)]
pub struct SetPartner;

impl Operation for SetPartner {
    const NAME: &'static str = "setPartner";
    const DOC: &'static str = "Sets the partner the session's Channel Manager calls work for, on every protocol and \
         instance that uses the session. Over REST (no session) it only checks the partner: each Channel Manager \
         route names its partner with PartnerCode.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidPartner];
    const REST: &'static [Route] =
        &[Route::new(Method::Get, "/channelmanager/partner").parameters(PARTNER_PARAMETER)];
    type Params = SetPartnerParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        gateway.set_partner(merchant, params.partnerCode.as_deref()).await
    }
}

wire_params! {
    pub struct GetPartnerSingleSignOnParams as "getPartnerSingleSignOn" {
        email: Option<String> = body_member("Email"),
        partnerCode: Option<String> = body_member("PartnerCode"),
        accessPage: Option<String> = body_member("AccessPage"),
        validityTime: Option<i64> = body_member("ValidityTime"),
        validationIP: Option<String> = body_member("ValidationIp"),
    }
}

/// `getPartnerSingleSignOn`.
#[derive(Debug)]
pub struct GetPartnerSingleSignOn;

impl Operation for GetPartnerSingleSignOn {
    const NAME: &'static str = "getPartnerSingleSignOn";
    const DOC: &'static str = "The complete single sign-on URL for a user of an active partner: it opens the \
         gateway's partner sign-in page (/partners/sso.php) once, within validityTime seconds (10 by default, at \
         most a day), from validationIP if one is given (empty or null: any IP). accessPage is the control-panel \
         page the user is sent to. Needs no setPartner: the partner is named.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::InvalidEmail,
        ErrorCode::InvalidPartner,
        ErrorCode::InvalidUser,
        ErrorCode::InvalidUrl,
        ErrorCode::InvalidValidityTime,
        ErrorCode::InvalidField,
    ];
    const REST: &'static [Route] =
        &[Route::new(Method::Post, "/channelmanager/partners/sso").body(&PartnerSignOn::OBJECT)];
    type Params = GetPartnerSingleSignOnParams;
    type Output = String;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<String> {
        let request = PartnerSignOnRequest {
            email: params.email,
            partner_code: params.partnerCode,
            access_page: params.accessPage,
            validity_secs: params.validityTime,
            validation_ip: params.validationIP,
        };
        gateway.partner_single_sign_on(merchant, request).await
    }

    fn summary(_: &String) -> String {
        // The URL carries the single-use token.
        tco_core::REDACTED.to_owned()
    }
}

wire_params! {
    pub struct GetPartnerPricingListsParams as "getPartnerPricingLists" {}
    rest {
        partner: Option<String> = query("PartnerCode"),
    }
}

/// `getPartnerPricingLists`.
#[derive(Debug)]
pub struct GetPartnerPricingLists;

impl Operation for GetPartnerPricingLists {
    const NAME: &'static str = "getPartnerPricingLists";
    const DOC: &'static str =
        "The pricing lists assigned to the partner set with setPartner (REST: PartnerCode).";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidPartner, ErrorCode::PartnerPricingListsNotFound];
    const REST: &'static [Route] =
        &[Route::new(Method::Get, "/channelmanager/pricinglists").parameters(PARTNER_PARAMETER)];
    type Params = GetPartnerPricingListsParams;
    type Output = Vec<SimplePricingList>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Vec<SimplePricingList>> {
        let lists = gateway.partner_pricing_lists(merchant, params.partner.as_deref()).await?;
        Ok(lists
            .into_iter()
            .map(|list| SimplePricingList {
                Code: Some(list.code),
                Name: Some(list.name),
                Default: Some(list.default),
                Currency: Some(list.currency),
            })
            .collect())
    }

    fn summary(lists: &Vec<SimplePricingList>) -> String {
        format!("{} pricing lists", lists.len())
    }
}

wire_params! {
    pub struct GetProductPriceParams as "getProductPrice" {
        productId: Option<Text> = path("ProductId"),
        pricingListCode: Option<String> = path("PricingListCode"),
        priceOptions: Option<Vec<String>> = query_list("PriceOptions"),
    }
    rest {
        partner: Option<String> = query("PartnerCode"),
    }
}

/// `getProductPrice`.
#[derive(Debug)]
pub struct GetProductPrice;

impl Operation for GetProductPrice {
    const NAME: &'static str = "getProductPrice";
    const DOC: &'static str = "One unit of a product (productId: its code or its numeric id) in one of the partner's \
         pricing lists, with the chosen price option codes (may be null; a required group takes its default): the \
         catalog's net price in the list's currency for the partner's country, less the list's partner margin \
         (PartnerMarginPerUnit, rounded to the currency), and VatPerUnit, the partner country's VAT on the rest. \
         Needs setPartner (REST: PartnerCode).";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::InvalidPartner,
        ErrorCode::ProductError,
        ErrorCode::PartnerPricingListsNotFound,
        ErrorCode::ProductNotFound,
        ErrorCode::InvalidField,
    ];
    const REST: &'static [Route] = &[Route::new(
        Method::Get,
        "/channelmanager/pricinglists/{PricingListCode}/products/{ProductId}/price",
    )
    .parameters(&[
        ("PartnerCode", "The partner the call works for (REST has no session to keep it in)."),
        ("PriceOptions[]", "The chosen price option codes."),
    ])];
    type Params = GetProductPriceParams;
    type Output = UnitPrice;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<UnitPrice> {
        let product = params.productId.map(|id| id.0);
        let options = params.priceOptions.unwrap_or_default();
        let price = gateway
            .partner_product_price(
                merchant,
                params.partner.as_deref(),
                product.as_deref(),
                params.pricingListCode.as_deref(),
                &options,
            )
            .await?;
        Ok(UnitPrice {
            Currency: Some(price.currency),
            NetPricePerUnit: Some(price.net_price_per_unit.into()),
            PartnerMarginPerUnit: Some(price.partner_margin_per_unit.into()),
            VatPerUnit: Some(price.vat_per_unit.into()),
        })
    }

    fn summary(price: &UnitPrice) -> String {
        let net = price.NetPricePerUnit.as_ref().map(|money| money.0.to_string()).unwrap_or_default();
        format!("{net} {}", price.Currency.as_deref().unwrap_or_default())
    }
}
