//! `products/*`: the catalog's products (`vendor_product_id` = `ProductCode`, `product_id` =
//! the 6.0 `ProductId`) and the promotions' coupons.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use tco_core::{
    Discount, Error, Gateway, MerchantContext, PriceInput, PricingConfigurationInput, Product, ProductInput,
    ProductKey, ProductSearchInput, Promotion, PromotionSearchInput, Result,
};

use crate::LegacyRequest;
use crate::wire::{money, number, page_info, paging, payload};

type Answer = Result<(&'static str, Map<String, Value>)>;

/// A product as the legacy API shows it: its USD (or first) regular price.
fn product(product: &Product) -> Value {
    let configuration = product
        .fields
        .pricing_configurations
        .iter()
        .find(|configuration| configuration.default)
        .or(product.fields.pricing_configurations.first());
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
        "week" => Ok(Some((length * 7, "D"))),
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
        for promotion in found.items {
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
