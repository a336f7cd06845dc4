//! `products/*`: the catalog's products (`vendor_product_id` = `ProductCode`, `product_id` =
//! the 6.0 `ProductId`) and the promotions' coupons.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use tco_core::{
    AmountInput, CouponInput, Discount, DiscountInput, Error, Gateway, MerchantContext, PriceInput,
    PricingConfigurationInput, Product, ProductInput, ProductKey, ProductSearchInput, Promotion,
    PromotionInput, PromotionProductInput, PromotionSearchInput, Result,
};

use crate::LegacyRequest;
use crate::wire::{money, number, page_info, paging, payload};

type Answer = Result<(&'static str, Map<String, Value>)>;

/// A product as the legacy API shows it: its USD (or first) regular price.
fn product(product: &Product) -> Value {
    let configuration = product.default_configuration();
    let prices = configuration.map(|configuration| configuration.prices.as_slice()).unwrap_or_default();
    let price = prices
        .iter()
        .find(|price| price.currency.eq_ignore_ascii_case("USD"))
        .or(prices.first())
        .map(|price| price.amount);
    let recurrence = product.fields.recurrence;
    json!({
        "product_id": number(product.id),
        "vendor_product_id": product.fields.code,
        "assigned_product_id": number(product.id),
        "name": product.fields.name,
        "price": price.map_or(Value::Null, money),
        "description": product.fields.short_description,
        "long_description": product.fields.long_description,
        "tangible": number(u8::from(product.fields.tangible)),
        "weight": product.fields.weight.map_or(Value::Null, money),
        "recurring": number(u8::from(recurrence.is_some())),
        "recurrence": recurrence.map(|cycle| format!("{} {}", cycle.length, match cycle.unit.as_str() {
            "D" => "Day", "Y" => "Year", _ => "Month",
        })),
        "enabled": number(u8::from(product.fields.enabled)),
    })
}

fn product_key(request: &LegacyRequest) -> Result<ProductKey> {
    let id = request.required("product_id")?;
    id.parse::<i64>().map(ProductKey::Id).map_err(|_| Error::invalid("product_id", "is not a product id"))
}

/// `products/list_products`: every product, a page of them.
pub(crate) async fn list_products(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let (page, size) = paging(request)?;
    let input = ProductSearchInput {
        page: Some(i64::try_from(page).unwrap_or(i64::MAX)),
        limit: Some(i64::try_from(size).unwrap_or(20)),
        ..ProductSearchInput::default()
    };
    let found = gateway.search_products(merchant, input).await?;
    let mut answer = payload("products", Value::Array(found.items.iter().map(product).collect()));
    answer.insert("page_info".into(), page_info("products/list_products", page, size, found.count));
    Ok(("Product list successfully retrieved.", answer))
}

/// `products/detail_product`.
pub(crate) async fn detail_product(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let found = gateway.product(merchant, &product_key(request)?).await?;
    Ok(("Product detail retrieved.", payload("product", product(&found))))
}

/// The price a request sets, in USD.
fn price(request: &LegacyRequest) -> Result<Option<Decimal>> {
    request
        .get("price")
        .map(|text| text.parse::<Decimal>().map_err(|_| Error::invalid("price", "is not an amount")))
        .transpose()
}

/// `recurrence` as the legacy API writes it: `1 Month`, `2 Week`, `1 Year`.
fn recurrence(request: &LegacyRequest) -> Result<Option<(i64, &'static str)>> {
    let Some(text) = request.get("recurrence") else { return Ok(None) };
    let invalid = || Error::invalid("recurrence", "is a number and Week, Month or Year (\"1 Month\")");
    let (length, unit) = text.split_once(' ').ok_or_else(invalid)?;
    let length: i64 = length.trim().parse().map_err(|_| invalid())?;
    match unit.trim().to_ascii_lowercase().trim_end_matches('s') {
        // The core bounds the cycle; a week count too large even to count in days is refused here.
        "week" => length.checked_mul(7).map(|days| Some((days, "D"))).ok_or_else(invalid),
        "day" => Ok(Some((length, "D"))),
        "month" => Ok(Some((length, "M"))),
        "year" => Ok(Some((length, "Y"))),
        _ => Err(invalid()),
    }
}

/// `products/create_product`: a product priced in USD (`vendor_product_id` its code).
pub(crate) async fn create_product(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let name = request.required("name")?;
    let price = price(request)?.ok_or(Error::MissingField("price"))?;
    let recurring = request.get("recurring").is_some_and(|flag| flag == "1");
    let cycle = if recurring { recurrence(request)?.or(Some((1, "M"))) } else { None };
    let input = ProductInput {
        code: request.get("vendor_product_id"),
        name: Some(name),
        short_description: request.get("description"),
        long_description: request.get("long_description"),
        tangible: Some(request.get("tangible").is_some_and(|flag| flag == "1")),
        weight: request.get("weight").and_then(|weight| weight.parse().ok()),
        generates_subscription: Some(cycle.is_some()),
        one_time_fee: Some(cycle.is_none()),
        billing_cycle: cycle.map(|(length, _)| length),
        billing_cycle_units: cycle.map(|(_, unit)| unit.to_owned()),
        pricing_configurations: vec![PricingConfigurationInput {
            default: Some(true),
            price_type: Some("NET".into()),
            default_currency: Some("USD".into()),
            prices: vec![PriceInput {
                amount: Some(price),
                currency: Some("USD".into()),
                ..PriceInput::default()
            }],
            ..PricingConfigurationInput::default()
        }],
        ..ProductInput::default()
    };
    let id = gateway.add_product(merchant, input).await?;
    let mut answer = payload("product_id", number(id));
    answer.insert("assigned_product_id".into(), number(id));
    Ok(("Product successfully created.", answer))
}

/// `products/update_product`: the fields given change, the rest stays.
pub(crate) async fn update_product(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let found = gateway.product(merchant, &product_key(request)?).await?;
    let mut input = ProductInput::from(tco_api::products::Product::from(found));
    if let Some(name) = request.get("name") {
        input.name = Some(name);
    }
    if let Some(description) = request.get("description") {
        input.short_description = Some(description);
    }
    if let Some(description) = request.get("long_description") {
        input.long_description = Some(description);
    }
    if let Some(price) = price(request)? {
        let configuration = input.pricing_configurations.iter_mut().find(|c| c.default == Some(true));
        let Some(configuration) = configuration else {
            return Err(Error::invalid("price", "the product has no default pricing configuration"));
        };
        match configuration
            .prices
            .iter_mut()
            .find(|p| p.currency.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("USD")))
        {
            Some(usd) => usd.amount = Some(price),
            None => configuration.prices.push(PriceInput {
                amount: Some(price),
                currency: Some("USD".into()),
                ..PriceInput::default()
            }),
        }
    }
    gateway.update_product(merchant, input).await?;
    Ok(("Product successfully updated", Map::new()))
}

/// A promotion's coupon as the legacy API shows it.
fn coupon(promotion: &Promotion, code: &str) -> Value {
    let (kind, value) = match &promotion.discount {
        Discount::Percent(percent) => ("percentage_off", money(*percent)),
        Discount::Fixed { amounts, .. } => {
            ("value_off", amounts.first().map_or(Value::Null, |amount| money(amount.amount)))
        }
    };
    json!({
        "coupon_code": code,
        "promotion_code": promotion.code,
        "date_expire": promotion.end_date.map(|date| date.to_string()),
        "type": kind,
        "value_off": value,
        "minimum_purchase": Value::Null,
        "product": promotion.products.iter().map(|product| json!({"vendor_product_id": product.code})).collect::<Vec<_>>(),
        "enabled": number(u8::from(promotion.enabled)),
    })
}

/// Every promotion's coupons.
async fn coupons(gateway: &Gateway, merchant: &MerchantContext) -> Result<Vec<(Promotion, String)>> {
    let mut all = Vec::new();
    let mut page = 1;
    loop {
        let input =
            PromotionSearchInput { page: Some(page), limit: Some(200), ..PromotionSearchInput::default() };
        let found = gateway.search_promotions(merchant, input).await?;
        let done = found.items.len() < 200;
        // A disabled promotion's coupons are gone for the legacy API (its delete_coupon did it).
        for promotion in found.items.into_iter().filter(|promotion| promotion.enabled) {
            for code in promotion.coupons.clone() {
                all.push((promotion.clone(), code));
            }
        }
        if done {
            return Ok(all);
        }
        page += 1;
    }
}

/// `products/list_coupons`: the coupons of every promotion.
pub(crate) async fn list_coupons(
    gateway: &Gateway,
    merchant: &MerchantContext,
    _request: &LegacyRequest,
) -> Answer {
    let all = coupons(gateway, merchant).await?;
    let list = all.iter().map(|(promotion, code)| coupon(promotion, code)).collect();
    Ok(("Coupon information retrieved successfully.", payload("coupon", Value::Array(list))))
}

/// `products/detail_coupon` (`coupon_code`).
pub(crate) async fn detail_coupon(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let wanted = request.required("coupon_code")?;
    let all = coupons(gateway, merchant).await?;
    let (promotion, code) =
        all.iter().find(|(_, code)| code.eq_ignore_ascii_case(&wanted)).ok_or(Error::PromotionNotFound)?;
    Ok(("Coupon information retrieved successfully.", payload("coupon", coupon(promotion, code))))
}

/// The promotion holding the coupon `code`.
async fn holding(gateway: &Gateway, merchant: &MerchantContext, code: &str) -> Result<Promotion> {
    let all = coupons(gateway, merchant).await?;
    all.into_iter()
        .find(|(_, known)| known.eq_ignore_ascii_case(code))
        .map(|(promotion, _)| promotion)
        .ok_or(Error::PromotionNotFound)
}

/// The discount a request sets: `percentage_off` or `value_off` (USD).
fn discount(request: &LegacyRequest) -> Result<Option<DiscountInput>> {
    let amount = |name: &'static str| {
        request
            .get(name)
            .map(|text| text.parse::<Decimal>().map_err(|_| Error::invalid(name, "is not an amount")))
    };
    match (amount("percentage_off").transpose()?, amount("value_off").transpose()?) {
        (Some(_), Some(_)) => Err(Error::invalid("value_off", "goes without percentage_off")),
        (Some(percent), None) => Ok(Some(DiscountInput {
            discount_type: Some("PERCENT".into()),
            value: Some(percent),
            ..DiscountInput::default()
        })),
        (None, Some(value)) => Ok(Some(DiscountInput {
            discount_type: Some("FIXED".into()),
            values: vec![AmountInput { currency: Some("USD".into()), amount: Some(value) }],
            default_currency: Some("USD".into()),
            ..DiscountInput::default()
        })),
        (None, None) => Ok(None),
    }
}

/// The product codes of `product_id` values (legacy product ids).
async fn product_codes(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Result<Vec<PromotionProductInput>> {
    let mut products = Vec::new();
    for id in request.all("product_id") {
        let id = id.parse::<i64>().map_err(|_| Error::invalid("product_id", "is not a product id"))?;
        let product = gateway.product(merchant, &ProductKey::Id(id)).await?;
        products.push(PromotionProductInput {
            code: Some(product.fields.code),
            ..PromotionProductInput::default()
        });
    }
    Ok(products)
}

/// `products/create_coupon`: a promotion with the one coupon `coupon_code` (type `sale` or
/// `product`; shipping coupons are not served).
pub(crate) async fn create_coupon(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let code = request.required("coupon_code")?;
    let kind = request.get("type").unwrap_or_else(|| "sale".to_owned());
    if kind == "shipping" {
        return Err(Error::invalid("type", "shipping coupons are not served here: sale or product"));
    }
    let discount = discount(request)?.ok_or(Error::MissingField("percentage_off"))?;
    // A sale coupon discounts every product: a GLOBAL promotion.
    let (products, promotion_type) = match kind.as_str() {
        "product" => (product_codes(gateway, merchant, request).await?, "REGULAR"),
        "sale" => (Vec::new(), "GLOBAL"),
        _ => return Err(Error::invalid("type", "is sale, product or shipping")),
    };
    let input = PromotionInput {
        name: Some(format!("Coupon {code}")),
        end_date: request.get("date_expire"),
        coupon: Some(CouponInput {
            coupon_type: Some("SINGLE".into()),
            code: Some(code.clone()),
            codes: Vec::new(),
        }),
        enabled: Some(true),
        channel_type: Some("ECOMMERCE".into()),
        promotion_type: Some(promotion_type.into()),
        discount: Some(discount),
        products,
        ..PromotionInput::default()
    };
    let promotion = gateway.add_promotion(merchant, input).await?;
    let mut answer = payload("coupon_code", Value::String(code));
    answer.insert("promotion_code".into(), Value::String(promotion.code));
    Ok(("Coupon successfully created", answer))
}

/// `products/update_coupon`: its expiry, discount and products (`coupon_code` names it).
pub(crate) async fn update_coupon(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let promotion = holding(gateway, merchant, &request.required("coupon_code")?).await?;
    let mut input = PromotionInput::from(tco_api::promotions::Promotion::from(promotion));
    if let Some(date) = request.get("date_expire") {
        input.end_date = Some(date);
    }
    if let Some(discount) = discount(request)? {
        input.discount = Some(discount);
    }
    let products = product_codes(gateway, merchant, request).await?;
    if !products.is_empty() {
        input.products = products;
    }
    gateway.update_promotion(merchant, input).await?;
    Ok(("Coupon updated successfully", Map::new()))
}

/// `products/delete_coupon`: the coupon goes from its promotion; a promotion's last coupon stays
/// (API 6.0 keeps a coupon promotion's code) and the promotion is disabled instead.
pub(crate) async fn delete_coupon(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let code = request.required("coupon_code")?;
    let promotion = holding(gateway, merchant, &code).await?;
    if promotion.coupons.len() > 1 {
        let coupon = CouponInput { coupon_type: Some("MULTIPLE".into()), code: None, codes: vec![code] };
        gateway.delete_promotion_coupons(merchant, &promotion.code, coupon).await?;
    } else {
        let mut input = PromotionInput::from(tco_api::promotions::Promotion::from(promotion));
        input.enabled = Some(false);
        gateway.update_promotion(merchant, input).await?;
    }
    Ok(("Coupon successfully deleted.", Map::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(recurrence: &str) -> LegacyRequest {
        LegacyRequest {
            parameters: vec![("recurrence".into(), recurrence.into())],
            username: String::new(),
            seller_id: String::new(),
        }
    }

    #[test]
    fn recurrences_read_as_the_legacy_api_wrote_them() {
        assert_eq!(recurrence(&asking("2 Week")).unwrap(), Some((14, "D")));
        assert_eq!(recurrence(&asking("1 Months")).unwrap(), Some((1, "M")));
        assert!(recurrence(&asking("fortnightly")).is_err());
        // Too many weeks to count in days: refused, not wrapped.
        assert!(recurrence(&asking("2000000000000000000 Week")).is_err());
    }
}
