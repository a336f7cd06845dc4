//! An item's price from the catalog: the pricing configuration for the billing country, the
//! price for the currency, quantity and chosen options, the options' impacts, and VAT — or a
//! dynamic product's own price with VAT.

use rust_decimal::Decimal;

use super::model::ItemPrice;
use crate::catalog::{
    Impact, ImpactMethod, Price, PriceOptionGroup, PriceType, PricingConfiguration, Product,
};
use crate::error::{Error, Result};
use crate::settings::MerchantConfig;

/// What an item is priced from.
pub(crate) struct Pricing<'a> {
    pub config: &'a MerchantConfig,
    pub currency: &'a str,
    /// The billing country, lower-case.
    pub country: &'a str,
    /// A renewal: the configuration's renewal prices apply where it has any.
    pub renewal: bool,
}

impl Pricing<'_> {
    /// The item's price; `groups` are the price option groups the product's configuration
    /// offers, `chosen` the option codes the shopper picked.
    pub(crate) fn item(
        &self,
        product: &Product,
        quantity: u32,
        chosen: &[String],
        groups: &[PriceOptionGroup],
    ) -> Result<(ItemPrice, Vec<String>)> {
        let configuration = self.configuration(product)?;
        let options = self.options(product, configuration, chosen, groups)?;
        let base = self.base_price(product, configuration, quantity, &options)?;
        let mut unit = base;
        for (group, code) in &options {
            let Some(option) = group.options.iter().find(|option| &option.code == code) else { continue };
            let Some(impact) = &option.price_impact else { continue };
            let amount = match impact.method {
                ImpactMethod::Fixed => self.fixed_amount(&impact.amounts, &configuration.default_currency)?,
                ImpactMethod::Percent => base * impact.percent.unwrap_or_default() / Decimal::ONE_HUNDRED,
            };
            unit = match impact.impact {
                Impact::Add => unit + amount,
                Impact::Subtract => (unit - amount).max(Decimal::ZERO),
            };
        }
        let price = self.priced(unit, configuration.price_type, quantity);
        Ok((price, options.into_iter().map(|(_, code)| code).collect()))
    }

    /// A dynamic product's price: its net unit price (`Price.Amount` and the surcharges), VAT
    /// added as for a catalog product's NET price.
    pub(crate) fn dynamic_item(&self, unit: Decimal, quantity: u32) -> ItemPrice {
        self.priced(unit, PriceType::Net, quantity)
    }

    /// A unit price, NET or GROSS, for the quantity, with the billing country's VAT, rounded to
    /// the currency.
    fn priced(&self, unit: Decimal, price_type: PriceType, quantity: u32) -> ItemPrice {
        let rate = self.config.vat_rates.get(self.country).copied().unwrap_or_default();
        let decimals = self.config.decimals(self.currency);
        let round = |value: Decimal| crate::kernel::fields::round_money(value, decimals);
        let (unit_net, unit_gross) = match price_type {
            PriceType::Net => {
                let net = round(unit);
                (net, net + round(net * rate / Decimal::ONE_HUNDRED))
            }
            PriceType::Gross => {
                let gross = round(unit);
                (round(gross * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + rate)), gross)
            }
        };
        let quantity = Decimal::from(quantity);
        ItemPrice {
            currency: self.currency.to_owned(),
            vat_percent: rate,
            unit_net,
            unit_vat: unit_gross - unit_net,
            unit_gross,
            unit_discount: Decimal::ZERO,
            net: unit_net * quantity,
            vat: (unit_gross - unit_net) * quantity,
            gross: unit_gross * quantity,
            discount: Decimal::ZERO,
        }
    }

    /// A fixed amount in the order's currency, else converted from the default currency's.
    fn fixed_amount(&self, amounts: &[crate::catalog::Amount], default_currency: &str) -> Result<Decimal> {
        let find =
            |currency: &str| amounts.iter().find(|amount| amount.currency.eq_ignore_ascii_case(currency));
        match (find(self.currency), find(default_currency)) {
            (Some(amount), _) => Ok(amount.amount),
            (None, Some(amount)) => self.config.convert(amount.amount, default_currency, self.currency),
            (None, None) => Ok(Decimal::ZERO),
        }
    }

    /// The configuration for the billing country, else the default one.
    fn configuration<'p>(&self, product: &'p Product) -> Result<&'p PricingConfiguration> {
        let configurations = &product.fields.pricing_configurations;
        configurations
            .iter()
            .find(|c| c.billing_countries.iter().any(|country| country == self.country))
            .or_else(|| configurations.iter().find(|c| c.default && c.billing_countries.is_empty()))
            .or_else(|| configurations.iter().find(|c| c.billing_countries.is_empty()))
            .ok_or_else(|| {
                Error::invalid(
                    "BillingDetails.CountryCode",
                    format!("{} is not sold in {}", product.fields.code, self.country),
                )
            })
    }

    /// The chosen options, each with its group: every chosen code must belong to a group the
    /// configuration offers; a required group without a choice takes its default option.
    fn options<'g>(
        &self,
        product: &Product,
        configuration: &PricingConfiguration,
        chosen: &[String],
        groups: &'g [PriceOptionGroup],
    ) -> Result<Vec<(&'g PriceOptionGroup, String)>> {
        let offered: Vec<(&PriceOptionGroup, bool)> = configuration
            .price_options
            .iter()
            .filter_map(|used| {
                groups
                    .iter()
                    .find(|group| group.code == used.group_code)
                    .map(|g| (g, used.required || g.required))
            })
            .collect();
        let mut picked: Vec<(&PriceOptionGroup, String)> = Vec::new();
        for code in chosen {
            let code = code.trim();
            let group = offered
                .iter()
                .map(|(group, _)| *group)
                .find(|group| group.options.iter().any(|option| option.code.eq_ignore_ascii_case(code)))
                .ok_or_else(|| {
                    Error::invalid(
                        "Items.PriceOptions",
                        format!("{code} is not an option of {}", product.fields.code),
                    )
                })?;
            let option = group
                .options
                .iter()
                .find(|option| option.code.eq_ignore_ascii_case(code))
                .map(|o| o.code.clone());
            picked.push((group, option.unwrap_or_else(|| code.to_owned())));
        }
        for (group, required) in offered {
            if picked.iter().any(|(chosen, _)| chosen.code == group.code) {
                continue;
            }
            match group.options.iter().find(|option| option.default) {
                Some(option) => picked.push((group, option.code.clone())),
                None if required => {
                    return Err(Error::MissingField("Items.PriceOptions (a required option group)"));
                }
                None => {}
            }
        }
        Ok(picked)
    }

    /// The price for the currency and quantity: one for the chosen options if there is, else
    /// one without options. A product with no price in the order's currency is priced in the
    /// configuration's default currency, converted at the merchant's exchange rates (the vendor
    /// converts too; rounded with the rest of the price).
    fn base_price(
        &self,
        product: &Product,
        configuration: &PricingConfiguration,
        quantity: u32,
        options: &[(&PriceOptionGroup, String)],
    ) -> Result<Decimal> {
        match self.base_price_in(self.currency, configuration, quantity, options) {
            Some(amount) => Ok(amount),
            None => {
                let from = configuration.default_currency.as_str();
                match self.base_price_in(from, configuration, quantity, options) {
                    Some(amount) if !from.is_empty() => self.config.convert(amount, from, self.currency),
                    _ => Err(Error::invalid(
                        "Currency",
                        format!(
                            "{} has no price in {} for a quantity of {quantity}",
                            product.fields.code, self.currency
                        ),
                    )),
                }
            }
        }
    }

    /// The price in `currency`, if the configuration has one for the quantity and options.
    fn base_price_in(
        &self,
        currency: &str,
        configuration: &PricingConfiguration,
        quantity: u32,
        options: &[(&PriceOptionGroup, String)],
    ) -> Option<Decimal> {
        let fits = |price: &&Price| {
            price.currency.eq_ignore_ascii_case(currency)
                && price.min_quantity <= quantity
                && price.max_quantity.is_none_or(|max| quantity <= max)
        };
        let matches_options = |price: &&Price| {
            price.option_codes.iter().all(|choice| {
                choice.options.iter().all(|code| {
                    options.iter().any(|(group, chosen)| group.code == choice.group_code && chosen == code)
                })
            })
        };
        let prices = match self.renewal && !configuration.renewal_prices.is_empty() {
            true => &configuration.renewal_prices,
            false => &configuration.prices,
        };
        let candidates: Vec<&Price> = prices.iter().filter(fits).collect();
        // Of overlapping quantity tiers, the one for the most units applies.
        let best = |with_options: bool| {
            candidates
                .iter()
                .filter(|price| price.option_codes.is_empty() != with_options)
                .filter(|price| !with_options || matches_options(price))
                .max_by_key(|price| price.min_quantity)
        };
        best(true).or_else(|| best(false)).map(|price| price.amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::validation::{price_option_group, product};
    use crate::catalog::{
        PriceImpactInput, PriceInput, PriceOptionGroupInput, PriceOptionInput, PriceOptionUseInput,
        PricingConfigurationInput, ProductInput,
    };
    use crate::settings::MerchantConfig;

    fn amount(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn price(value: &str, currency: &str, min_quantity: Option<i64>) -> PriceInput {
        PriceInput {
            amount: Some(amount(value)),
            currency: Some(currency.into()),
            min_quantity,
            ..Default::default()
        }
    }

    fn configuration(price_type: &str, prices: Vec<PriceInput>) -> PricingConfigurationInput {
        PricingConfigurationInput { price_type: Some(price_type.into()), prices, ..Default::default() }
    }

    fn plan(configurations: Vec<PricingConfigurationInput>, config: &MerchantConfig) -> Product {
        let input = ProductInput {
            code: Some("PLAN".into()),
            name: Some("Plan".into()),
            pricing_configurations: configurations,
            ..Default::default()
        };
        Product { id: 1, fields: product(input, config).unwrap(), group: None }
    }

    /// Support: STANDARD (default), PREMIUM (+20 %), or ONSITE (+15 USD).
    fn support(config: &MerchantConfig, default: bool) -> PriceOptionGroup {
        let option = |code: &str, impact: Option<PriceImpactInput>| PriceOptionInput {
            code: Some(code.into()),
            name: Some(code.into()),
            default: Some(default && code == "STANDARD"),
            price_impact: impact,
            ..Default::default()
        };
        let input = PriceOptionGroupInput {
            code: Some("SUPPORT".into()),
            name: Some("Support".into()),
            group_type: Some("RADIO".into()),
            options: vec![
                option("STANDARD", None),
                option(
                    "PREMIUM",
                    Some(PriceImpactInput {
                        impact: Some("ADD".into()),
                        method: Some("PERCENT".into()),
                        percent: Some(amount("20")),
                        ..Default::default()
                    }),
                ),
                option(
                    "ONSITE",
                    Some(PriceImpactInput {
                        impact: Some("ADD".into()),
                        method: Some("FIXED".into()),
                        amounts: vec![crate::catalog::AmountInput {
                            currency: Some("USD".into()),
                            amount: Some(amount("15")),
                        }],
                        ..Default::default()
                    }),
                ),
            ],
            ..Default::default()
        };
        price_option_group(input, config).unwrap()
    }

    fn german_vat() -> MerchantConfig {
        let mut config = MerchantConfig::default();
        config.vat_rates.insert("de".into(), amount("19"));
        config
    }

    fn priced(config: &MerchantConfig, country: &str, product: &Product, quantity: u32) -> ItemPrice {
        Pricing { config, currency: "USD", country, renewal: false }
            .item(product, quantity, &[], &[])
            .unwrap()
            .0
    }

    #[test]
    fn net_prices_get_the_billing_countrys_vat_rounded_to_the_currency() {
        let config = german_vat();
        let product = plan(vec![configuration("NET", vec![price("49.99", "USD", None)])], &config);
        let price = priced(&config, "de", &product, 3);
        assert_eq!(
            (price.unit_net, price.unit_vat, price.unit_gross),
            (amount("49.99"), amount("9.50"), amount("59.49"))
        );
        assert_eq!(
            (price.net, price.vat, price.gross),
            (amount("149.97"), amount("28.50"), amount("178.47"))
        );
        assert_eq!(priced(&config, "us", &product, 1).unit_gross, amount("49.99"), "no VAT outside Germany");
    }

    #[test]
    fn gross_prices_include_the_vat() {
        let config = german_vat();
        let product = plan(vec![configuration("GROSS", vec![price("59.50", "USD", None)])], &config);
        let price = priced(&config, "de", &product, 1);
        assert_eq!(
            (price.unit_net, price.unit_vat, price.unit_gross),
            (amount("50.00"), amount("9.50"), amount("59.50"))
        );
    }

    #[test]
    fn the_price_for_the_quantity_and_the_countrys_configuration_is_used() {
        let config = MerchantConfig::default();
        let tiers = vec![price("10", "USD", Some(1)), price("8", "USD", Some(10))];
        let mut french = configuration("NET", vec![price("7", "USD", None)]);
        french.billing_countries = vec!["FR".into()];
        french.code = Some("FRANCE".into());
        let product = plan(vec![configuration("NET", tiers), french], &config);
        assert_eq!(priced(&config, "us", &product, 9).unit_net, amount("10"));
        assert_eq!(priced(&config, "us", &product, 10).unit_net, amount("8"));
        assert_eq!(priced(&config, "fr", &product, 1).unit_net, amount("7"));
        // No price in EUR: the USD price converted at the merchant's rate; no rate: refused.
        let in_currency = |currency: &str| {
            Pricing { config: &config, currency, country: "us", renewal: false }.item(&product, 1, &[], &[])
        };
        let euros = config.convert(amount("10"), "USD", "EUR").unwrap().round_dp(2);
        assert_eq!(in_currency("EUR").unwrap().0.unit_net, euros);
        assert!(matches!(in_currency("XTS"), Err(Error::InvalidField { field: "Currency", .. })));
    }

    #[test]
    fn options_change_the_price_and_a_required_group_takes_its_default() {
        let config = MerchantConfig::default();
        let mut offered = configuration("NET", vec![price("50", "USD", None)]);
        offered.price_options =
            vec![PriceOptionUseInput { group_code: Some("SUPPORT".into()), required: Some(true) }];
        let product = plan(vec![offered], &config);
        let pricing = Pricing { config: &config, currency: "USD", country: "us", renewal: false };
        let groups = [support(&config, true)];
        let chosen = |codes: &[&str]| codes.iter().map(|code| (*code).to_owned()).collect::<Vec<_>>();
        let (price, options) = pricing.item(&product, 1, &[], &groups).unwrap();
        assert_eq!((price.unit_net, options), (amount("50"), chosen(&["STANDARD"])));
        let (price, options) = pricing.item(&product, 1, &chosen(&["premium"]), &groups).unwrap();
        assert_eq!((price.unit_net, options), (amount("60"), chosen(&["PREMIUM"])));
        assert_eq!(
            pricing.item(&product, 1, &chosen(&["ONSITE"]), &groups).unwrap().0.unit_net,
            amount("65")
        );
        let unknown = pricing.item(&product, 1, &chosen(&["GOLD"]), &groups);
        assert!(matches!(unknown, Err(Error::InvalidField { field: "Items.PriceOptions", .. })));
        let without_default = [support(&config, false)];
        assert!(matches!(pricing.item(&product, 1, &[], &without_default), Err(Error::MissingField(_))));
    }
}
