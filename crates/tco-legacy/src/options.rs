//! `products/*_option`: a legacy option is a price option group (`option_id` = its code), its
//! values the group's options (`option_value_id` = the option's code, `option_value_surcharge` a
//! fixed USD amount added to the price).

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use tco_api::price_options::PriceOptionGroup as WireGroup;
use tco_core::{
    AmountInput, Error, Gateway, ImpactMethod, MerchantContext, PriceImpactInput, PriceOptionGroup,
    PriceOptionGroupInput, PriceOptionInput, Result,
};

use crate::LegacyRequest;
use crate::wire::{money, page_info, paging, payload};

type Answer = Result<(&'static str, Map<String, Value>)>;

fn option(group: &PriceOptionGroup) -> Value {
    let values: Vec<Value> = group
        .options
        .iter()
        .map(|choice| {
            let surcharge = choice
                .price_impact
                .as_ref()
                .filter(|impact| impact.method == ImpactMethod::Fixed)
                .and_then(|impact| {
                    impact.amounts.iter().find(|amount| amount.currency.eq_ignore_ascii_case("USD"))
                })
                .map_or(Decimal::ZERO, |amount| amount.amount);
            json!({
                "option_value_id": choice.code,
                "option_value_name": choice.name,
                "option_value_surcharge": money(surcharge),
            })
        })
        .collect();
    json!({"option_id": group.code, "option_name": group.name, "option_values": values})
}

/// `products/list_options`: every option, a page of them.
pub(crate) async fn list_options(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let (page, size) = paging(request)?;
    let groups = gateway.price_option_groups(merchant).await?;
    let skip = usize::try_from((page - 1) * size).unwrap_or(usize::MAX);
    let listed: Vec<Value> =
        groups.iter().skip(skip).take(usize::try_from(size).unwrap_or(20)).map(option).collect();
    let mut answer = payload("options", Value::Array(listed));
    answer.insert("page_info".into(), page_info("products/list_options", page, size, groups.len() as u64));
    Ok(("Option list successfully retrieved.", answer))
}

/// `products/detail_option` (`option_id`).
pub(crate) async fn detail_option(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let group = gateway.price_option_group(merchant, &request.required("option_id")?).await?;
    Ok(("Option detail retrieved successfully.", payload("option", Value::Array(vec![option(&group)]))))
}

/// A value as the request gives it: a name and a USD surcharge.
fn value(request: &LegacyRequest) -> Result<Option<PriceOptionInput>> {
    let Some(name) = request.get("option_value_name") else { return Ok(None) };
    let surcharge = match request.get("option_value_surcharge") {
        Some(text) => text
            .parse::<Decimal>()
            .map_err(|_| Error::invalid("option_value_surcharge", "is not an amount"))?,
        None => Decimal::ZERO,
    };
    Ok(Some(PriceOptionInput {
        name: Some(name),
        price_impact: Some(PriceImpactInput {
            impact: Some("ADD".into()),
            method: Some("FIXED".into()),
            amounts: vec![AmountInput { currency: Some("USD".into()), amount: Some(surcharge) }],
            ..PriceImpactInput::default()
        }),
        ..PriceOptionInput::default()
    }))
}

/// `products/create_option`: a group of one value (`option_name`, `option_value_name`,
/// `option_value_surcharge`).
pub(crate) async fn create_option(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let name = request.required("option_name")?;
    let first = value(request)?.ok_or(Error::MissingField("option_value_name"))?;
    let input = PriceOptionGroupInput {
        name: Some(name),
        group_type: Some("RADIO".into()),
        required: Some(false),
        options: vec![first],
        ..PriceOptionGroupInput::default()
    };
    let code = gateway.add_price_option_group(merchant, input).await?;
    Ok(("Option created successfully", payload("option_id", Value::String(code))))
}

/// `products/update_option`: renames the option, and changes the value `option_value_id` names or
/// adds a value.
pub(crate) async fn update_option(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let group = gateway.price_option_group(merchant, &request.required("option_id")?).await?;
    let mut input = PriceOptionGroupInput::from(WireGroup::from(group));
    if let Some(name) = request.get("option_name") {
        input.name = Some(name);
    }
    if let Some(changed) = value(request)? {
        match request.get("option_value_id") {
            Some(id) => {
                let known =
                    input.options.iter_mut().find(|choice| choice.code.as_deref() == Some(id.as_str()));
                let Some(known) = known else {
                    return Err(Error::invalid("option_value_id", "is not a value of the option"));
                };
                known.name = changed.name;
                known.price_impact = changed.price_impact;
            }
            None => input.options.push(changed),
        }
    }
    gateway.update_price_option_group(merchant, input).await?;
    Ok(("Option updated successfully", Map::new()))
}
