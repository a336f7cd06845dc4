//! Shipping: the merchant's shipping methods (account settings from its data file, like VAT
//! rates: the API reads them and never writes them), `searchShippingMethods`, and the price of
//! shipping a cart — `getShippingPrice`, and the shipping line `placeOrder` adds.
//!
//! A method's price for a cart, in the method's currency: its base price, plus the surcharge of
//! the delivery country, plus every weight interval the cart's weight falls in and every price
//! interval its (discounted) net total falls in — an interval holds `From ≤ x < To`, `To` absent
//! for no upper bound; `ApplyTo: PRODUCT` counts the amount once per unit, `ORDER` once. Each
//! part is converted into the cart's currency at the merchant's exchange rates and rounded to
//! the currency's decimals; the total is the sum of the rounded parts. Gross parts add the
//! billing country's VAT to each net part, rounded the same way.
//!
//! Here are the family's types, rules and store port; its operations are `Gateway` methods in
//! `gateway/shipping.rs`.

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::kernel::fields::optional;
use crate::kernel::fields::{NAME_MAX, URL_MAX, amount, code, list, parsed, required, required_country};
use crate::orders::ItemPrice;
use crate::settings::MerchantConfig;
use crate::settings::currency;
use crate::settings::{Availability, ShippingMethod, Surcharge, SurchargeApplyTo, SurchargeType};

/// A method as the data file gives it, before validation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShippingMethodInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub tracking_url: Option<String>,
    pub base_price: Option<Decimal>,
    pub currency: Option<String>,
    pub active: Option<bool>,
    pub availability: Option<String>,
    pub countries: Vec<(Option<String>, Option<Decimal>)>,
    pub surcharges: Vec<SurchargeInput>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SurchargeInput {
    pub kind: Option<String>,
    pub from: Option<Decimal>,
    pub to: Option<Decimal>,
    pub amount: Option<Decimal>,
    pub apply_to: Option<String>,
}

pub fn shipping_method(input: ShippingMethodInput, config: &MerchantConfig) -> Result<ShippingMethod> {
    let countries = list("Countries", input.countries, |(country, surcharge)| {
        let text = required_country("Countries.CountryCode", country)?;
        Ok((text, amount("Countries.Surcharge", Some(surcharge.unwrap_or_default()))?))
    })?;
    let surcharges = list("Surcharge", input.surcharges, |surcharge| {
        Ok(Surcharge {
            kind: parsed("Surcharge.Type", surcharge.kind, SurchargeType::parse, SurchargeType::NAMES)?
                .ok_or(Error::MissingField("Surcharge.Type"))?,
            from: amount("Surcharge.From", Some(surcharge.from.unwrap_or_default()))?,
            to: surcharge.to.map(|to| amount("Surcharge.To", Some(to))).transpose()?,
            amount: amount("Surcharge.Amount", surcharge.amount)?,
            apply_to: parsed(
                "Surcharge.ApplyTo",
                surcharge.apply_to,
                SurchargeApplyTo::parse,
                SurchargeApplyTo::NAMES,
            )?
            .unwrap_or(SurchargeApplyTo::Order),
        })
    })?;
    Ok(ShippingMethod {
        code: code("Code", input.code)?.ok_or(Error::MissingField("Code"))?,
        name: required("Name", input.name, NAME_MAX)?,
        tracking_url: optional("TrackingURL", input.tracking_url, URL_MAX)?,
        base_price: amount("BasePrice", Some(input.base_price.unwrap_or_default()))?,
        currency: currency(
            "Currency",
            input.currency.or_else(|| Some(config.default_currency().to_owned())),
            config,
        )?,
        active: input.active.unwrap_or(true),
        availability: parsed("Availability", input.availability, Availability::parse, Availability::NAMES)?
            .unwrap_or(Availability::All),
        countries,
        surcharges,
    })
}

/// `searchShippingMethods` filters as sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShippingSearchInput {
    pub name: Option<String>,
    pub codes: Vec<String>,
    pub countries: Vec<String>,
    pub active: Option<bool>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// The parts of a shipping price, net or gross, in the cart's currency.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ShippingAmounts {
    pub total: Decimal,
    pub base_price: Decimal,
    pub overweight: Decimal,
    pub country_surcharge: Decimal,
    pub weight_surcharge: Decimal,
    pub order_surcharge: Decimal,
}

impl ShippingAmounts {
    /// With `total` the sum of the parts.
    fn totalled(self) -> Self {
        let total = self.base_price
            + self.overweight
            + self.country_surcharge
            + self.weight_surcharge
            + self.order_surcharge;
        ShippingAmounts { total, ..self }
    }

    fn map(self, f: impl Fn(Decimal) -> Decimal) -> Self {
        ShippingAmounts {
            total: Decimal::ZERO,
            base_price: f(self.base_price),
            overweight: f(self.overweight),
            country_surcharge: f(self.country_surcharge),
            weight_surcharge: f(self.weight_surcharge),
            order_surcharge: f(self.order_surcharge),
        }
        .totalled()
    }
}

/// What a method costs for a cart.
#[derive(Debug, Clone, PartialEq)]
pub struct ShippingPrice {
    pub method: ShippingMethod,
    pub currency: String,
    pub net: ShippingAmounts,
    pub gross: ShippingAmounts,
    pub vat_percent: Decimal,
}

/// The cart a shipping price is for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parcel<'a> {
    pub currency: &'a str,
    pub billing_country: &'a str,
    pub delivery_country: &'a str,
    /// Total weight in kilograms.
    pub weight: Decimal,
    /// Units of tangible products.
    pub units: u32,
    /// The tangible items' net total after discounts, in `currency`.
    pub net_total: Decimal,
}

impl<'a> Parcel<'a> {
    /// An empty cart.
    pub(crate) fn new(currency: &'a str, billing_country: &'a str, delivery_country: &'a str) -> Self {
        Parcel {
            currency,
            billing_country,
            delivery_country,
            weight: Decimal::ZERO,
            units: 0,
            net_total: Decimal::ZERO,
        }
    }

    /// Adds a tangible item, priced and discounted.
    pub(crate) fn add(&mut self, weight: Option<Decimal>, quantity: u32, price: &ItemPrice) {
        self.weight += weight.unwrap_or_default() * Decimal::from(quantity);
        self.units += quantity;
        self.net_total += price.net_discounted();
    }
}

/// The cart's price with `method`, or `None` when the method does not deliver there.
pub(crate) fn quote(
    config: &MerchantConfig,
    method: &ShippingMethod,
    parcel: &Parcel<'_>,
) -> Result<Option<ShippingPrice>> {
    if !method.active || !method.delivers_to(parcel.delivery_country, &config.home_country) {
        return Ok(None);
    }
    let order_total = config.convert(parcel.net_total, parcel.currency, &method.currency)?;
    let each = |surcharge: &Surcharge| match surcharge.apply_to {
        SurchargeApplyTo::Order => surcharge.amount,
        SurchargeApplyTo::Product => surcharge.amount * Decimal::from(parcel.units),
    };
    let sum = |kind: SurchargeType, value: Decimal| -> Decimal {
        method.surcharges.iter().filter(|s| s.kind == kind && s.holds(value)).map(each).sum()
    };
    let country = method
        .countries
        .iter()
        .find(|(country, _)| country == parcel.delivery_country)
        .map_or(Decimal::ZERO, |(_, surcharge)| *surcharge);
    let decimals = config.decimals(parcel.currency);
    let round = |value: Decimal| crate::kernel::fields::round_money(value, decimals);
    let converted = |value: Decimal| config.convert(value, &method.currency, parcel.currency).map(round);
    let net = ShippingAmounts {
        total: Decimal::ZERO,
        base_price: converted(method.base_price)?,
        overweight: Decimal::ZERO,
        country_surcharge: converted(country)?,
        weight_surcharge: converted(sum(SurchargeType::Weight, parcel.weight))?,
        order_surcharge: converted(sum(SurchargeType::Price, order_total))?,
    }
    .totalled();
    let vat_percent = config.vat_rates.get(parcel.billing_country).copied().unwrap_or_default();
    let gross = net.map(|value| value + round(value * vat_percent / Decimal::ONE_HUNDRED));
    Ok(Some(ShippingPrice {
        method: method.clone(),
        currency: parcel.currency.to_owned(),
        net,
        gross,
        vat_percent,
    }))
}

/// `getShippingPrice` as sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShippingPriceInput {
    /// Product code and quantity.
    pub items: Vec<(Option<String>, Option<i64>)>,
    pub billing_country: Option<String>,
    pub delivery_country: Option<String>,
    pub currency: Option<String>,
    pub coupons: Vec<String>,
}
