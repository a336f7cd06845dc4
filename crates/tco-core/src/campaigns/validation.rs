//! Campaign validation: what an upsell campaign, a cross-sell text or a promotion must hold. The
//! first failure is reported; enumerations and booleans are read whatever their case.

use chrono::NaiveDate;

use super::input::{
    CampaignProductInput, CouponInput, CrossSellTextInput, DiscountInput, OptionSelectionInput,
    PromotionInput, PromotionProductInput, PromotionSearchInput, UpsellCampaignInput, UpsellSearchInput,
};
use super::model::{
    ApplyRecurring, CampaignProduct, CampaignStatus, ChannelType, CouponType, CrossSellText, Discount,
    DiscountType, OptionSelection, Promotion, PromotionProduct, PromotionQuery, PromotionType,
    UpsellCampaign, UpsellQuery,
};
use crate::catalog::Amount;
use crate::error::{Error, Result};
use crate::kernel::fields::optional;
use crate::kernel::fields::{CODE_MAX, NAME_MAX, TEXT_MAX, amount, code, list, parsed, required};
use crate::kernel::paging::page_and_limit;
use crate::settings::MerchantConfig;
use crate::settings::currency;

/// The vendor's limit on an upsell campaign's name.
const CAMPAIGN_NAME_MAX: usize = 500;
/// The most coupon codes one promotion holds.
const COUPONS_MAX: usize = 1_000;

/// The languages the cart shows cross-sell texts in (the vendor's list), as ISO 639-1 codes;
/// the regional variants as `pt-br` and `zh-tw`, the vendor's own `br` and `zy` read too.
pub const CROSS_SELL_LANGUAGES: &[&str] = &[
    "ar", "bg", "zh", "zh-tw", "cs", "da", "nl", "en", "fi", "fr", "de", "el", "he", "hi", "it", "ko", "no",
    "fa", "pl", "pt", "pt-br", "sk", "sl", "es", "sv", "th", "ro", "ru",
];

/// A day as `YYYY-MM-DD` (a time after it, as some clients send, is ignored).
pub(crate) fn day(field: &'static str, value: Option<String>) -> Result<Option<NaiveDate>> {
    let Some(text) = optional(field, value, 32)? else { return Ok(None) };
    let date = text.get(..10).unwrap_or(&text);
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| Error::invalid(field, format!("\"{text}\" is not a date as YYYY-MM-DD")))
}

fn count(field: &'static str, value: Option<i64>) -> Result<Option<u32>> {
    value
        .map(|value| {
            u32::try_from(value).map_err(|_| Error::invalid(field, "must be 0 or a positive integer"))
        })
        .transpose()
}

fn dates(
    start: (&'static str, Option<String>),
    end: (&'static str, Option<String>),
) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let start_date = day(start.0, start.1)?;
    let end_date = day(end.0, end.1)?;
    if let (Some(start_date), Some(end_date)) = (start_date, end_date)
        && end_date < start_date
    {
        return Err(Error::invalid(end.0, "is before StartDate"));
    }
    Ok((start_date, end_date))
}

pub(crate) fn discount(input: Option<DiscountInput>, config: &MerchantConfig) -> Result<Discount> {
    let input = input.ok_or(Error::MissingField("Discount"))?;
    let kind = parsed("Discount.Type", input.discount_type, DiscountType::parse, DiscountType::NAMES)?
        .ok_or(Error::MissingField("Discount.Type"))?;
    match kind {
        DiscountType::Percent => {
            let value = amount("Discount.Value", input.value)?;
            if value.is_zero() || value > rust_decimal::Decimal::ONE_HUNDRED {
                return Err(Error::invalid("Discount.Value", "must be a percentage above 0 and at most 100"));
            }
            Ok(Discount::Percent(value))
        }
        DiscountType::Fixed => {
            let mut amounts: Vec<Amount> = list("Discount.Values", input.values, |value| {
                Ok(Amount {
                    currency: currency("Discount.Values.Currency", value.currency, config)?,
                    amount: amount("Discount.Values.Amount", value.amount)?,
                })
            })?;
            if amounts.is_empty() {
                return Err(Error::MissingField("Discount.Values"));
            }
            amounts.dedup_by(|a, b| a.currency == b.currency);
            let default_currency = match input.default_currency {
                Some(code) => currency("Discount.DefaultCurrency", Some(code), config)?,
                // The vendor's sample for a fixed discount sends none: its first currency is it.
                None => amounts[0].currency.clone(),
            };
            if !amounts.iter().any(|amount| amount.currency == default_currency) {
                return Err(Error::invalid(
                    "Discount.DefaultCurrency",
                    format!("{default_currency} has no amount in Discount.Values"),
                ));
            }
            Ok(Discount::Fixed { amounts, default_currency })
        }
    }
}

fn selection(input: OptionSelectionInput) -> Result<OptionSelection> {
    let group_code =
        code("PriceOptions.Code", input.group_code)?.ok_or(Error::MissingField("PriceOptions.Code"))?;
    let options = list("PriceOptions.Options", input.options, |(option, value)| {
        let option = code("PriceOptions.Options.Code", option)?
            .ok_or(Error::MissingField("PriceOptions.Options.Code"))?;
        Ok((option, optional("PriceOptions.Options.Value", value, CODE_MAX)?))
    })?;
    Ok(OptionSelection { group_code, options })
}

fn campaign_product(field: &'static str, input: Option<CampaignProductInput>) -> Result<CampaignProduct> {
    let input = input.ok_or(Error::MissingField(field))?;
    Ok(CampaignProduct {
        code: code(field, input.code)?.ok_or(Error::MissingField(field))?,
        quantity: count("Quantity", input.quantity)?.unwrap_or(0),
        price_options: list("PriceOptions", input.price_options, selection)?,
    })
}

pub(crate) fn upsell_campaign(input: UpsellCampaignInput, config: &MerchantConfig) -> Result<UpsellCampaign> {
    let name = required("Name", input.name, CAMPAIGN_NAME_MAX)?;
    let (start_date, end_date) = dates(("StartDate", input.start_date), ("EndDate", input.end_date))?;
    let discount = discount(input.discount, config)?;
    let primary_product = campaign_product("PrimaryProduct.Code", input.primary_product)?;
    let recommended_product = campaign_product("RecommendedProduct.Code", input.recommended_product)?;
    let descriptions = list("Description", input.descriptions, |(language, text)| {
        let language = required("Description.Language", language, 8)?.to_ascii_lowercase();
        Ok((language, required("Description.Text", text, TEXT_MAX)?))
    })?;
    if descriptions.is_empty() {
        return Err(Error::MissingField("Description"));
    }
    Ok(UpsellCampaign {
        code: input.code.map(|code| code.trim().to_ascii_lowercase()).unwrap_or_default(),
        name,
        start_date,
        end_date,
        display_for_manual_renewals: input
            .display_for_manual_renewals
            .ok_or(Error::MissingField("DisplayForManualRenewals"))?,
        discount,
        primary_product,
        recommended_product,
        enabled: input.enabled.ok_or(Error::MissingField("Enabled"))?,
        descriptions,
    })
}

fn codes(values: Vec<String>) -> Vec<String> {
    values.into_iter().map(|value| value.trim().to_owned()).filter(|value| !value.is_empty()).collect()
}

pub(crate) fn upsell_query(input: UpsellSearchInput) -> Result<UpsellQuery> {
    let (page, limit) = page_and_limit(input.page, input.limit, ("Page", "Limit"))?;
    let statuses = list("Statuses", input.statuses, |status| {
        parsed("Statuses", Some(status), CampaignStatus::parse, CampaignStatus::NAMES)
    })?;
    Ok(UpsellQuery {
        name: optional("Name", input.name, CAMPAIGN_NAME_MAX)?.map(|name| name.to_lowercase()),
        primary_product_codes: codes(input.primary_product_codes),
        recommended_product_codes: codes(input.recommended_product_codes),
        statuses: statuses.into_iter().flatten().collect(),
        starts_after: day("StartsAfter", input.starts_after)?,
        starts_before: day("StartsBefore", input.starts_before)?,
        ends_after: day("EndsAfter", input.ends_after)?,
        ends_before: day("EndsBefore", input.ends_before)?,
        enabled_for_renewals: input.enabled_for_renewals,
        codes: codes(input.campaign_codes).into_iter().map(|code| code.to_ascii_lowercase()).collect(),
        page,
        limit,
    })
}

pub(crate) fn cross_sell_text(input: CrossSellTextInput) -> Result<CrossSellText> {
    let language = cross_sell_language(input.language)?;
    Ok(CrossSellText {
        language,
        title: required("Title", input.title, NAME_MAX)?,
        description: required("Description", input.description, TEXT_MAX)?,
    })
}

pub(crate) fn cross_sell_language(value: Option<String>) -> Result<String> {
    let text = required("Language", value, 8)?.to_ascii_lowercase().replace('_', "-");
    let language = match text.as_str() {
        "br" => "pt-br",
        "zy" | "zh-hant" => "zh-tw",
        other => other,
    };
    CROSS_SELL_LANGUAGES.iter().find(|known| **known == language).map(|known| (*known).to_owned()).ok_or_else(
        || {
            Error::invalid(
                "Language",
                format!("\"{text}\" is not one of {}", CROSS_SELL_LANGUAGES.join(", ")),
            )
        },
    )
}

/// Coupon codes as the merchant writes them: letters, digits, `-` and `_`.
fn coupon_code(value: String) -> Result<String> {
    let code = value.trim().to_owned();
    if code.is_empty() || code.len() > CODE_MAX {
        return Err(Error::invalid("Coupon.Code", format!("must have 1 to {CODE_MAX} characters")));
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(Error::invalid(
            "Coupon.Code",
            format!("\"{code}\" holds other than letters, digits, - and _"),
        ));
    }
    Ok(code)
}

pub(crate) fn coupon(input: CouponInput) -> Result<(CouponType, Vec<String>)> {
    let kind = parsed("Coupon.Type", input.coupon_type, CouponType::parse, CouponType::NAMES)?
        .ok_or(Error::MissingField("Coupon.Type"))?;
    let codes: Vec<String> = match kind {
        CouponType::Single => {
            let code = input.code.or_else(|| input.codes.into_iter().next());
            vec![coupon_code(code.ok_or(Error::MissingField("Coupon.Code"))?)?]
        }
        CouponType::Multiple => {
            if input.codes.len() > COUPONS_MAX {
                return Err(Error::invalid("Coupon.Codes", format!("holds more than {COUPONS_MAX} codes")));
            }
            let codes: Vec<String> = input.codes.into_iter().map(coupon_code).collect::<Result<_>>()?;
            if codes.is_empty() {
                return Err(Error::MissingField("Coupon.Codes"));
            }
            codes
        }
    };
    let mut keys: Vec<String> = codes.iter().map(|code| code.to_ascii_uppercase()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(Error::invalid("Coupon.Codes", "holds the same code twice"));
    }
    Ok((kind, codes))
}

fn promotion_product(input: PromotionProductInput) -> Result<PromotionProduct> {
    Ok(PromotionProduct {
        code: code("Products.Code", input.code)?.ok_or(Error::MissingField("Products.Code"))?,
        pricing_configuration_code: code(
            "Products.PricingConfigurationCode",
            input.pricing_configuration_code,
        )?,
        price_option_codes: codes(input.price_option_codes),
    })
}

pub(crate) fn promotion(input: PromotionInput, config: &MerchantConfig) -> Result<Promotion> {
    let name = required("Name", input.name, NAME_MAX)?;
    let (start_date, end_date) = dates(("StartDate", input.start_date), ("EndDate", input.end_date))?;
    let promotion_type = parsed("Type", input.promotion_type, PromotionType::parse, PromotionType::NAMES)?
        .unwrap_or(PromotionType::Regular);
    let channel_type = parsed("ChannelType", input.channel_type, ChannelType::parse, ChannelType::NAMES)?
        .unwrap_or(ChannelType::Ecommerce);
    let (coupon_type, coupons) = coupon(input.coupon.ok_or(Error::MissingField("Coupon"))?)?;
    let products = list("Products", input.products, promotion_product)?;
    if promotion_type == PromotionType::Regular && products.is_empty() {
        return Err(Error::MissingField("Products (a REGULAR promotion applies to the products it names)"));
    }
    let zero_is_none = |value: Option<u32>| value.filter(|value| *value > 0);
    Ok(Promotion {
        code: input.code.map(|code| code.trim().to_owned()).unwrap_or_default(),
        name,
        description: optional("Description", input.description, TEXT_MAX)?,
        start_date,
        end_date,
        maximum_quantity: zero_is_none(count("MaximumQuantity", input.maximum_quantity)?),
        maximum_orders_number: zero_is_none(count("MaximumOrdersNumber", input.maximum_orders_number)?),
        orders_used: 0,
        instant_discount: input.instant_discount.unwrap_or(false),
        coupon_type,
        coupons,
        enabled: input.enabled.unwrap_or(true),
        channel_type,
        promotion_type,
        discount: discount(input.discount, config)?,
        products,
        apply_recurring: parsed(
            "ApplyRecurring",
            input.apply_recurring,
            ApplyRecurring::parse,
            ApplyRecurring::NAMES,
        )?
        .unwrap_or(ApplyRecurring::None),
        recurring_charges_number: count("RecurringChargesNumber", input.recurring_charges_number)?,
    })
}

pub(crate) fn promotion_query(input: PromotionSearchInput) -> Result<PromotionQuery> {
    let (page, limit) = page_and_limit(input.page, input.limit, ("Pagination.Page", "Pagination.Limit"))?;
    let types = list("Types", input.types, |kind| {
        parsed("Types", Some(kind), PromotionType::parse, PromotionType::NAMES)
    })?;
    Ok(PromotionQuery {
        types: types.into_iter().flatten().collect(),
        channel: parsed("Channel", input.channel, ChannelType::parse, ChannelType::NAMES)?,
        enabled: input.enabled,
        product_code: optional("ProductCode", input.product_code, CODE_MAX)?,
        page,
        limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::AmountInput;
    use rust_decimal::Decimal;

    #[test]
    fn a_fixed_discount_needs_its_default_currency_among_its_amounts() {
        let config = MerchantConfig::default();
        let fixed = |default: &str| DiscountInput {
            discount_type: Some("fixed".into()),
            values: vec![AmountInput { currency: Some("usd".into()), amount: Some(Decimal::TEN) }],
            default_currency: Some(default.into()),
            ..DiscountInput::default()
        };
        assert!(matches!(discount(Some(fixed("USD")), &config), Ok(Discount::Fixed { .. })));
        assert!(discount(Some(fixed("EUR")), &config).is_err());
        let percent = DiscountInput {
            discount_type: Some("PERCENT".into()),
            value: Some(Decimal::from(101)),
            ..Default::default()
        };
        assert!(discount(Some(percent), &config).is_err());
    }

    #[test]
    fn cross_sell_languages_read_the_vendors_spellings() {
        assert_eq!(cross_sell_language(Some("EN".into())).ok().as_deref(), Some("en"));
        assert_eq!(cross_sell_language(Some("br".into())).ok().as_deref(), Some("pt-br"));
        assert!(cross_sell_language(Some("xx".into())).is_err());
    }

    #[test]
    fn coupons_are_unique_within_a_promotion_whatever_their_case() {
        let input = CouponInput {
            coupon_type: Some("MULTIPLE".into()),
            codes: vec!["a1".into(), "A1".into()],
            ..Default::default()
        };
        assert!(coupon(input).is_err());
        let single = CouponInput {
            coupon_type: Some("single".into()),
            code: Some("SUMMER-24".into()),
            ..Default::default()
        };
        assert_eq!(coupon(single).ok(), Some((CouponType::Single, vec!["SUMMER-24".to_owned()])));
    }
}
