//! The shipping operations: `searchShippingMethods`, `getShippingPrice`, and the shipping line
//! `placeOrder` adds.

use crate::campaigns::Promotion;
use crate::catalog::{Product, ProductKey};
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::kernel::fields::optional;
use crate::kernel::fields::{CODE_MAX, NAME_MAX, required_country};
use crate::kernel::paging::Page;
use crate::kernel::paging::page_and_limit;
use crate::merchant::MerchantContext;
use crate::orders::discounts::apply_promotions;
use crate::orders::pricing::Pricing;
use crate::settings::MerchantConfig;
use crate::settings::ShippingMethod;
use crate::settings::currency;
use crate::shipping::{Parcel, ShippingPrice, ShippingPriceInput, ShippingSearchInput, quote};

impl Gateway {
    /// `searchShippingMethods`, in the data file's order.
    pub async fn search_shipping_methods(
        &self,
        merchant: &MerchantContext,
        input: ShippingSearchInput,
    ) -> Result<Page<ShippingMethod>> {
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
        Ok(Page::of(matches, page, limit).map(Clone::clone))
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
            parcel.add(product.fields.weight, *quantity, &price);
        }
        Ok(parcel)
    }
}
