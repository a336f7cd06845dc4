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

use rust_decimal::Decimal;

use crate::campaigns::Promotion;
use crate::catalog::{Product, ProductKey};
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::kernel::fields::optional;
use crate::kernel::fields::{
    CODE_MAX, NAME_MAX, URL_MAX, amount, code, list, parsed, required, required_country,
};
use crate::kernel::paging::{page_and_limit, page_of};
use crate::merchant::MerchantContext;
use crate::orders::ItemPrice;
use crate::orders::discounts::apply_promotions;
use crate::orders::pricing::Pricing;
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

/// One page of methods and how many match.
#[derive(Debug, Clone, PartialEq)]
pub struct ShippingPage {
    pub items: Vec<ShippingMethod>,
    pub page: u32,
    pub limit: u32,
    pub count: u64,
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
    pub(crate) fn add(&mut self, product: &Product, quantity: u32, price: &ItemPrice) {
        self.weight += product.fields.weight.unwrap_or_default() * Decimal::from(quantity);
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

impl Gateway {
    /// `searchShippingMethods`, in the data file's order.
    pub async fn search_shipping_methods(
        &self,
        merchant: &MerchantContext,
        input: ShippingSearchInput,
    ) -> Result<ShippingPage> {
        let (page, limit) = page_and_limit(input.page, input.limit, ("Pagination.Page", "Pagination.Limit"))?;
        let config = self.merchant_config(merchant.code());
        let name = optional("Name", input.name, NAME_MAX)?.map(|name| name.to_lowercase());
        let codes: Vec<String> =
            input.codes.iter().map(|code| code.trim().to_owned()).filter(|c| !c.is_empty()).collect();
        let countries: Vec<String> =
            input.countries.iter().map(|c| c.trim().to_ascii_lowercase()).filter(|c| !c.is_empty()).collect();
        if codes.iter().any(|code| code.len() > CODE_MAX) {
            return Err(Error::invalid("Codes", format!("holds a code longer than {CODE_MAX} characters")));
        }
        let matches: Vec<&ShippingMethod> = config
            .shipping_methods
            .iter()
            .filter(|m| name.as_ref().is_none_or(|name| m.name.to_lowercase().contains(name)))
            .filter(|m| codes.is_empty() || codes.iter().any(|code| code.eq_ignore_ascii_case(&m.code)))
            .filter(|m| {
                countries.is_empty() || countries.iter().any(|c| m.delivers_to(c, &config.home_country))
            })
            .filter(|m| input.active.is_none_or(|active| m.active == active))
            .collect();
        let (items, count) = page_of(matches, page, limit);
        Ok(ShippingPage { items: items.into_iter().cloned().collect(), page, limit, count })
    }

    /// `getShippingPrice`: every active method delivering to the delivery country, priced for
    /// the cart (tangible products only) after the coupons' discounts.
    pub async fn shipping_prices(
        &self,
        merchant: &MerchantContext,
        input: ShippingPriceInput,
    ) -> Result<Vec<ShippingPrice>> {
        let config = self.merchant_config(merchant.code());
        let billing = required_country("BillingDetails.CountryCode", input.billing_country)?;
        let delivery = required_country("DeliveryDetails.CountryCode", input.delivery_country)?;
        let currency = match input.currency.filter(|c| !c.trim().is_empty()) {
            Some(code) => currency("Currency", Some(code), &config)?,
            None => config.default_currency().to_owned(),
        };
        if input.items.is_empty() {
            return Err(Error::OrderProductsEmpty);
        }
        let mut items = Vec::with_capacity(input.items.len());
        for (code, quantity) in input.items {
            let code = code.map(|code| code.trim().to_owned()).filter(|code| !code.is_empty());
            let code = code.ok_or(Error::MissingField("Items.Code"))?;
            let product = self
                .store()
                .find_product(merchant.code(), &ProductKey::Code(code.clone()))
                .await?
                .filter(|product| product.fields.enabled)
                .ok_or_else(|| Error::OrderProductCodeInvalid(code.clone()))?;
            if !product.fields.tangible {
                return Err(Error::ProductNotTangible(code));
            }
            let quantity = quantity.unwrap_or(1);
            if !(1..=crate::orders::MAX_QUANTITY).contains(&quantity) {
                return Err(Error::OrderItemsQuantityInvalid);
            }
            items.push((product, u32::try_from(quantity).unwrap_or(1)));
        }
        let promotions = self.order_promotions(merchant.code(), &input.coupons).await?;
        let parcel = self
            .parcel(merchant.code(), &config, (&currency, &billing, &delivery), &items, &promotions)
            .await?;
        let mut prices = Vec::new();
        for method in &config.shipping_methods {
            if let Some(price) = quote(&config, method, &parcel)? {
                prices.push(price);
            }
        }
        Ok(prices)
    }
}

impl Gateway {
    /// The cart of `items` priced from the catalog (default options) for the billing country,
    /// with the promotions' discounts.
    async fn parcel<'a>(
        &self,
        merchant_code: &str,
        config: &MerchantConfig,
        (currency, billing, delivery): (&'a str, &'a str, &'a str),
        items: &[(Product, u32)],
        promotions: &[(Option<String>, Promotion)],
    ) -> Result<Parcel<'a>> {
        let pricing = Pricing { config, currency, country: billing, renewal: false };
        let mut parcel = Parcel::new(currency, billing, delivery);
        for (product, quantity) in items {
            let groups = self.offered_option_groups(merchant_code, product).await?;
            let (mut price, _) = pricing.item(product, *quantity, &[], &groups)?;
            apply_promotions(&mut price, &product.fields.code, *quantity, promotions, config)?;
            parcel.add(product, *quantity, &price);
        }
        Ok(parcel)
    }
}
