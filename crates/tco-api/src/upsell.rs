//! Upsell campaigns: the vendor's UpsellCampaign object and `createUpSellCampaign`,
//! `updateUpsellCampaign`, `deleteUpsellCampaign`, `getUpsellCampaign`, `searchUpsellCampaigns`.

use tco_core::{
    CampaignProduct, CampaignProductInput, Discount, DiscountInput, Error, ErrorCode, Gateway,
    MerchantContext, OptionSelectionInput, Result, UpsellCampaign as CoreCampaign, UpsellCampaignInput,
    UpsellSearchInput,
};

use crate::lenient::Text;
use crate::money::Money;
use crate::operation::{Method, Operation, Route};
use crate::price_options::CurrencyAmount;
use crate::{wire_object, wire_params};

wire_object! {
    /// An upsell campaign: when a shopper buys `PrimaryProduct`, the cart recommends
    /// `RecommendedProduct` at the `Discount`. `Code` (a UUID) is generated; `Status` (ENABLED,
    /// DISABLED, or EXPIRED after `EndDate`) is derived. `Enabled` and `DisplayForManualRenewals`
    /// take true/false/0/1.
    pub struct UpsellCampaign as "UpsellCampaign" {
        Code: Option<String>,
        Name: Option<String>,
        StartDate: Option<String>,
        EndDate: Option<String>,
        DisplayForManualRenewals: Option<bool>,
        Discount: Option<CampaignDiscount>,
        PrimaryProduct: Option<UpsellProduct>,
        RecommendedProduct: Option<UpsellProduct>,
        Enabled: Option<bool>,
        Description: Vec<CampaignDescription>,
        Status: Option<String>,
    }
}

wire_object! {
    /// `Type` PERCENT with `Value`, or FIXED with `Values` per currency and `DefaultCurrency`.
    pub struct CampaignDiscount as "CampaignDiscount" {
        Type: Option<String>,
        Value: Option<Money>,
        Values: Vec<CurrencyAmount>,
        DefaultCurrency: Option<String>,
    }
}

wire_object! {
    /// `Quantity` 0: any quantity (for the recommended product: the primary product's).
    pub struct UpsellProduct as "UpsellProduct" {
        Code: Option<String>,
        Quantity: Option<i64>,
        PriceOptions: Vec<CampaignPriceOptions>,
    }
}

wire_object! {
    /// A price option group's `Code` and the options chosen in it.
    pub struct CampaignPriceOptions as "CampaignPriceOptions" {
        Code: Option<String>,
        Options: Vec<CampaignOption>,
    }
}

wire_object! {
    /// `Value`: for an interval option group.
    pub struct CampaignOption as "CampaignOption" {
        Code: Option<String>,
        Value: Option<Text>,
    }
}

wire_object! {
    pub struct CampaignDescription as "CampaignDescription" {
        Language: Option<String>,
        Text: Option<String>,
    }
}

impl From<CampaignDiscount> for DiscountInput {
    fn from(discount: CampaignDiscount) -> Self {
        DiscountInput {
            discount_type: discount.Type,
            value: discount.Value.map(|value| value.0),
            values: discount.Values.into_iter().map(CurrencyAmount::into_input).collect(),
            default_currency: discount.DefaultCurrency,
        }
    }
}

impl From<&Discount> for CampaignDiscount {
    fn from(discount: &Discount) -> Self {
        match discount {
            Discount::Percent(percent) => CampaignDiscount {
                Type: Some("PERCENT".into()),
                Value: Some(Money(*percent)),
                ..CampaignDiscount::default()
            },
            Discount::Fixed { amounts, default_currency } => CampaignDiscount {
                Type: Some("FIXED".into()),
                Value: None,
                Values: amounts.iter().map(CurrencyAmount::from).collect(),
                DefaultCurrency: Some(default_currency.clone()),
            },
        }
    }
}

fn product_input(product: UpsellProduct) -> CampaignProductInput {
    CampaignProductInput {
        code: product.Code,
        quantity: product.Quantity,
        price_options: product
            .PriceOptions
            .into_iter()
            .map(|group| OptionSelectionInput {
                group_code: group.Code,
                options: group
                    .Options
                    .into_iter()
                    .map(|option| (option.Code, option.Value.map(|v| v.0)))
                    .collect(),
            })
            .collect(),
    }
}

fn product(product: &CampaignProduct) -> UpsellProduct {
    UpsellProduct {
        Code: Some(product.code.clone()),
        Quantity: Some(i64::from(product.quantity)),
        PriceOptions: product
            .price_options
            .iter()
            .map(|group| CampaignPriceOptions {
                Code: Some(group.group_code.clone()),
                Options: group
                    .options
                    .iter()
                    .map(|(code, value)| CampaignOption {
                        Code: Some(code.clone()),
                        Value: value.clone().map(Text),
                    })
                    .collect(),
            })
            .collect(),
    }
}

impl From<UpsellCampaign> for UpsellCampaignInput {
    fn from(campaign: UpsellCampaign) -> Self {
        UpsellCampaignInput {
            code: campaign.Code,
            name: campaign.Name,
            start_date: campaign.StartDate,
            end_date: campaign.EndDate,
            display_for_manual_renewals: campaign.DisplayForManualRenewals,
            discount: campaign.Discount.map(Into::into),
            primary_product: campaign.PrimaryProduct.map(product_input),
            recommended_product: campaign.RecommendedProduct.map(product_input),
            enabled: campaign.Enabled,
            descriptions: campaign.Description.into_iter().map(|d| (d.Language, d.Text)).collect(),
        }
    }
}

impl UpsellCampaign {
    pub fn of(gateway: &Gateway, campaign: &CoreCampaign) -> Self {
        UpsellCampaign {
            Code: Some(campaign.code.clone()),
            Name: Some(campaign.name.clone()),
            StartDate: campaign.start_date.map(|date| date.to_string()),
            EndDate: campaign.end_date.map(|date| date.to_string()),
            DisplayForManualRenewals: Some(campaign.display_for_manual_renewals),
            Discount: Some((&campaign.discount).into()),
            PrimaryProduct: Some(product(&campaign.primary_product)),
            RecommendedProduct: Some(product(&campaign.recommended_product)),
            Enabled: Some(campaign.enabled),
            Description: campaign
                .descriptions
                .iter()
                .map(|(language, text)| CampaignDescription {
                    Language: Some(language.clone()),
                    Text: Some(text.clone()),
                })
                .collect(),
            Status: Some(gateway.campaign_status(campaign).as_str().to_owned()),
        }
    }
}

const WRITE_ERRORS: &[ErrorCode] =
    &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField, ErrorCode::PriceOptionGroupNotFound];

wire_params! {
    pub struct CreateUpSellCampaignParams as "createUpSellCampaign" {
        UpsellCampaign: Option<UpsellCampaign> = body,
    }
}

/// `createUpSellCampaign` (the vendor's samples also spell it `createUpsellCampaign`; names are
/// matched whatever their case).
#[derive(Debug)]
pub struct CreateUpSellCampaign;

impl Operation for CreateUpSellCampaign {
    const NAME: &'static str = "createUpSellCampaign";
    const DOC: &'static str = "Creates an upsell campaign and returns it with its Code (a UUID). The products, price \
         option groups and options it names must exist; a FIXED discount's DefaultCurrency must be among its Values.";
    const ERRORS: &'static [ErrorCode] = WRITE_ERRORS;
    const REST: &'static [Route] =
        &[Route::new(Method::Post, "/upsell").body(&UpsellCampaign::OBJECT).created()];
    type Params = CreateUpSellCampaignParams;
    type Output = UpsellCampaign;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<UpsellCampaign> {
        let campaign = params.UpsellCampaign.ok_or(Error::MissingField("UpsellCampaign"))?;
        let created = gateway.create_upsell_campaign(merchant, campaign.into()).await?;
        Ok(UpsellCampaign::of(gateway, &created))
    }

    fn summary(campaign: &UpsellCampaign) -> String {
        campaign.Code.clone().unwrap_or_default()
    }

    fn location(campaign: &UpsellCampaign) -> Option<String> {
        campaign.Code.as_ref().map(|code| format!("/upsell/{code}/"))
    }
}

wire_params! {
    pub struct UpdateUpsellCampaignParams as "updateUpsellCampaign" {
        Code: Option<Text> = path("Code"),
        UpsellCampaign: Option<UpsellCampaign> = body,
    }
}

/// `updateUpsellCampaign`.
#[derive(Debug)]
pub struct UpdateUpsellCampaign;

impl Operation for UpdateUpsellCampaign {
    const NAME: &'static str = "updateUpsellCampaign";
    const DOC: &'static str = "Replaces the whole campaign Code names with the definition given and returns it. The \
         REST route is the gateway's choice.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::PriceOptionGroupNotFound,
        ErrorCode::UpsellCampaignNotFound,
    ];
    const REST: &'static [Route] = &[Route::new(Method::Put, "/upsell/{Code}").body(&UpsellCampaign::OBJECT)];
    type Params = UpdateUpsellCampaignParams;
    type Output = UpsellCampaign;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<UpsellCampaign> {
        let code = params.Code.map(|code| code.0).unwrap_or_default();
        let campaign = params.UpsellCampaign.ok_or(Error::MissingField("UpsellCampaign"))?;
        let updated = gateway.update_upsell_campaign(merchant, &code, campaign.into()).await?;
        Ok(UpsellCampaign::of(gateway, &updated))
    }

    fn summary(campaign: &UpsellCampaign) -> String {
        campaign.Code.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct UpsellCodeParams as "upsellCampaignCode" {
        Code: Option<Text> = path("Code"),
    }
}

/// `deleteUpsellCampaign`.
#[derive(Debug)]
pub struct DeleteUpsellCampaign;

impl Operation for DeleteUpsellCampaign {
    const NAME: &'static str = "deleteUpsellCampaign";
    const DOC: &'static str = "Deletes the campaign, whatever its status, and returns true.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::UpsellCampaignNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Delete, "/upsell/{Code}")];
    type Params = UpsellCodeParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let code = params.Code.map(|code| code.0).unwrap_or_default();
        gateway.delete_upsell_campaign(merchant, &code).await?;
        Ok(true)
    }
}

/// `getUpsellCampaign`.
#[derive(Debug)]
pub struct GetUpsellCampaign;

impl Operation for GetUpsellCampaign {
    const NAME: &'static str = "getUpsellCampaign";
    const DOC: &'static str = "The campaign with this Code. The vendor documents no such call by name: this one is \
         the gateway's.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::UpsellCampaignNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/upsell/{Code}")];
    type Params = UpsellCodeParams;
    type Output = UpsellCampaign;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<UpsellCampaign> {
        let code = params.Code.map(|code| code.0).unwrap_or_default();
        Ok(UpsellCampaign::of(gateway, &gateway.upsell_campaign(merchant, &code).await?))
    }

    fn summary(campaign: &UpsellCampaign) -> String {
        campaign.Code.clone().unwrap_or_default()
    }
}

wire_object! {
    /// Every given filter must match. `Statuses`: ENABLED, DISABLED, EXPIRED; dates `YYYY-MM-DD`;
    /// `Limit` from 1 to 200 (default 10).
    pub struct UpsellSearchOptions as "UpsellSearchOptions" {
        Name: Option<String>,
        PrimaryProductCodes: Vec<String>,
        RecommendedProductCodes: Vec<String>,
        Statuses: Vec<String>,
        StartsAfter: Option<String>,
        StartsBefore: Option<String>,
        EndsAfter: Option<String>,
        EndsBefore: Option<String>,
        EnabledForRenewals: Option<bool>,
        CampaignCodes: Vec<String>,
        Page: Option<i64>,
        Limit: Option<i64>,
    }
}

wire_object! {
    /// One page of campaigns ordered by name; `UpsellsCount` counts the matches over all pages.
    pub struct UpsellSearchResult as "UpsellSearchResult" {
        Page: Option<i64>,
        Limit: Option<i64>,
        Upsells: Vec<UpsellCampaign>,
        UpsellsCount: Option<u64>,
    }
}

wire_params! {
    pub struct SearchUpsellCampaignsParams as "searchUpsellCampaigns" {
        Filters: Option<UpsellSearchOptions> = query_object,
    }
}

/// `searchUpsellCampaigns`.
#[derive(Debug)]
pub struct SearchUpsellCampaigns;

impl Operation for SearchUpsellCampaigns {
    const NAME: &'static str = "searchUpsellCampaigns";
    const DOC: &'static str = "One page of the merchant's upsell campaigns matching the filters, ordered by name. On \
         REST the filters are query parameters (lists as X[]=a, X=a,b or repeated).";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidField];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/upsell")];
    type Params = SearchUpsellCampaignsParams;
    type Output = UpsellSearchResult;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<UpsellSearchResult> {
        let filters = params.Filters.unwrap_or_default();
        let input = UpsellSearchInput {
            name: filters.Name,
            primary_product_codes: filters.PrimaryProductCodes,
            recommended_product_codes: filters.RecommendedProductCodes,
            statuses: filters.Statuses,
            starts_after: filters.StartsAfter,
            starts_before: filters.StartsBefore,
            ends_after: filters.EndsAfter,
            ends_before: filters.EndsBefore,
            enabled_for_renewals: filters.EnabledForRenewals,
            campaign_codes: filters.CampaignCodes,
            page: filters.Page,
            limit: filters.Limit,
        };
        let page = gateway.search_upsell_campaigns(merchant, input).await?;
        Ok(UpsellSearchResult {
            Page: Some(i64::from(page.page)),
            Limit: Some(i64::from(page.limit)),
            Upsells: page.items.iter().map(|campaign| UpsellCampaign::of(gateway, campaign)).collect(),
            UpsellsCount: Some(page.count),
        })
    }

    fn summary(result: &UpsellSearchResult) -> String {
        format!("{} of {}", result.Upsells.len(), result.UpsellsCount.unwrap_or_default())
    }
}
