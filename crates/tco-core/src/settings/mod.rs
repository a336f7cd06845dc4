//! A merchant's account settings that the API reads but does not write: the currencies it sells
//! in and where, VAT rates, cart templates, exchange rates, shipping methods, Channel Manager
//! partners and pricing lists. They come from the merchant's data file, like the merchant list
//! itself, so every instance started with the same file agrees. Every family reads them; they
//! know no family.

mod partners;
mod shipping_methods;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use self::partners::{Partner, PartnerUser, PricingList};
pub use self::shipping_methods::{Availability, ShippingMethod, Surcharge, SurchargeApplyTo, SurchargeType};
use crate::error::{Error, Result};
use crate::kernel::fields::required;
use crate::merchant::{LegacyApiUser, SecretKey};

/// A currency as `getAvailableCurrencies` shows it. The vendor sends `ISO3DigitCode` and
/// `Decimals` as strings; so does the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    pub code: String,
    pub iso3_digit_code: String,
    pub label: String,
    pub symbol: String,
    pub symbol_position: String,
    pub decimal_separator: String,
    pub unit_separator: String,
    pub decimals: String,
}

/// A three-letter ISO 4217 code the merchant sells in, upper-case.
pub(crate) fn currency(
    field: &'static str,
    value: Option<String>,
    config: &MerchantConfig,
) -> Result<String> {
    let text = required(field, value, 3)?.to_ascii_uppercase();
    if text.len() != 3 || !text.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(Error::invalid(field, format!("\"{text}\" is not a three-letter ISO 4217 code")));
    }
    if !config.sells_in(&text) {
        return Err(Error::invalid(field, format!("{text} is not one of the merchant's currencies")));
    }
    Ok(text)
}

/// The key of the availability rules that apply to every country without rules of its own.
pub const EVERY_COUNTRY: &str = "*";

#[derive(Debug, Clone, PartialEq)]
pub struct MerchantConfig {
    /// In the order `getAvailableCurrencies` lists them; the first is the default currency.
    pub currencies: Vec<Currency>,
    /// Country (lower-case ISO code, or [`EVERY_COUNTRY`]) → payment method (upper-case, e.g.
    /// `CC`, `PAYPAL`) → the currency codes available.
    pub availability: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Country (lower-case) → VAT rate in percent.
    pub vat_rates: BTreeMap<String, Decimal>,
    /// The names `TemplateName` may take; the first is the default.
    pub cart_templates: Vec<String>,
    /// Currency code (upper-case) → how many units of it one unit of the default currency buys.
    pub exchange_rates: BTreeMap<String, Decimal>,
    /// The merchant's country (lower-case): where `HOME` shipping methods deliver.
    pub home_country: String,
    pub shipping_methods: Vec<ShippingMethod>,
    /// Channel Manager partners and the pricing lists assigned to them.
    pub partners: Vec<Partner>,
    pub pricing_lists: Vec<PricingList>,
    /// The buy-link secret word: the key of cart signatures and of the signature service's
    /// merchant token (not the API secret key). `--merchant CODE:SECRET:WORD` overrides it.
    pub buy_link_secret_word: Option<SecretKey>,
    pub refunds: RefundSettings,
    /// The legacy 2Checkout API's user (HTTP Basic), if the merchant has one.
    pub legacy_api: Option<LegacyApiUser>,
}

/// How the merchant's refunds go (the vendor's control-panel settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundSettings {
    /// How long a refund request takes to settle (at once by default).
    pub settle_after: chrono::Duration,
    /// How old an order may be to be refunded (the vendor's pages say three months or a year).
    pub age_limit: chrono::Duration,
    /// Whether a total refund disables the subscriptions the order created.
    pub disables_subscriptions: bool,
}

impl Default for RefundSettings {
    fn default() -> Self {
        RefundSettings {
            settle_after: chrono::Duration::zero(),
            age_limit: chrono::Duration::days(365),
            disables_subscriptions: true,
        }
    }
}

impl MerchantConfig {
    pub fn sells_in(&self, currency: &str) -> bool {
        self.currencies.iter().any(|known| known.code.eq_ignore_ascii_case(currency))
    }

    pub fn default_currency(&self) -> &str {
        self.currencies.first().map_or("USD", |currency| currency.code.as_str())
    }

    /// The template as the merchant spells it, matched whatever the case.
    pub fn cart_template(&self, name: &str) -> Option<&str> {
        self.cart_templates
            .iter()
            .find(|template| template.eq_ignore_ascii_case(name.trim()))
            .map(String::as_str)
    }

    /// The currency's decimals as the merchant's settings give them (2 by default).
    pub fn decimals(&self, currency: &str) -> u32 {
        self.currencies
            .iter()
            .find(|known| known.code.eq_ignore_ascii_case(currency))
            .and_then(|known| known.decimals.parse().ok())
            .unwrap_or(2)
    }

    /// `amount` of `from` in `to` at the merchant's exchange rates (unrounded).
    pub fn convert(&self, amount: Decimal, from: &str, to: &str) -> Result<Decimal> {
        if from.eq_ignore_ascii_case(to) {
            return Ok(amount);
        }
        let rate = |code: &str| {
            if code.eq_ignore_ascii_case(self.default_currency()) {
                return Ok(Decimal::ONE);
            }
            self.exchange_rates
                .get(&code.to_ascii_uppercase())
                .copied()
                .filter(|rate| *rate > Decimal::ZERO)
                .ok_or_else(|| {
                    Error::invalid("Currency", format!("the merchant has no exchange rate for {code}"))
                })
        };
        let (from_rate, to_rate) = (rate(from)?, rate(to)?);
        // Checked: an amount a client sent may be far beyond any price.
        amount
            .checked_div(from_rate)
            .and_then(|base| base.checked_mul(to_rate))
            .ok_or_else(|| Error::invalid("amount", format!("{amount} {from} is too large to convert")))
    }

    pub fn default_cart_template(&self) -> &str {
        self.cart_templates.first().map_or("Default Template", String::as_str)
    }

    /// The currencies available to shoppers of `country` paying with `payment_method`, in the
    /// rule's order: the country's own rule, else the rule for every country; none when neither
    /// names the method.
    pub fn available(&self, country: &str, payment_method: &str) -> Vec<&Currency> {
        let method = payment_method.trim().to_ascii_uppercase();
        let rule = [country.trim().to_ascii_lowercase().as_str(), EVERY_COUNTRY]
            .into_iter()
            .find_map(|key| self.availability.get(key).and_then(|methods| methods.get(&method)));
        let Some(codes) = rule else { return Vec::new() };
        self.currencies
            .iter()
            .filter(|currency| codes.iter().any(|code| code.eq_ignore_ascii_case(&currency.code)))
            .collect()
    }
}

fn known_currency(code: &str, iso: &str, label: &str, symbol: &str, position: &str) -> Currency {
    Currency {
        code: code.to_owned(),
        iso3_digit_code: iso.to_owned(),
        label: label.to_owned(),
        symbol: symbol.to_owned(),
        symbol_position: position.to_owned(),
        decimal_separator: ".".to_owned(),
        unit_separator: ",".to_owned(),
        decimals: "2".to_owned(),
    }
}

/// A merchant without a data file: US dollars, euros and pounds (at 0.92 and 0.79 to the
/// dollar), by card and PayPal everywhere, the vendor's default cart template, no VAT, at home in
/// the US, no shipping methods.
impl Default for MerchantConfig {
    fn default() -> Self {
        let codes = vec!["USD".to_owned(), "EUR".to_owned(), "GBP".to_owned()];
        let methods = BTreeMap::from([("CC".to_owned(), codes.clone()), ("PAYPAL".to_owned(), codes)]);
        MerchantConfig {
            currencies: vec![
                known_currency("USD", "840", "United States Dollar", "$", "left"),
                known_currency("EUR", "978", "Euro", "€", "left"),
                known_currency("GBP", "826", "British Pound", "£", "left"),
            ],
            availability: BTreeMap::from([(EVERY_COUNTRY.to_owned(), methods)]),
            vat_rates: BTreeMap::new(),
            cart_templates: vec!["Default Template".to_owned()],
            exchange_rates: BTreeMap::from([
                ("EUR".to_owned(), Decimal::new(92, 2)),
                ("GBP".to_owned(), Decimal::new(79, 2)),
            ]),
            home_country: "us".to_owned(),
            shipping_methods: Vec::new(),
            partners: Vec::new(),
            pricing_lists: Vec::new(),
            buy_link_secret_word: None,
            refunds: RefundSettings::default(),
            legacy_api: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_rule_wins_over_the_general_one() {
        let mut config = MerchantConfig::default();
        config.availability.insert("ro".into(), BTreeMap::from([("CC".into(), vec!["EUR".into()])]));
        let codes = |country, method| -> Vec<String> {
            config.available(country, method).into_iter().map(|c| c.code.clone()).collect()
        };
        assert_eq!(codes("RO", "cc"), ["EUR"]);
        assert_eq!(codes("us", "CC"), ["USD", "EUR", "GBP"]);
        assert!(codes("us", "WIRE").is_empty());
    }

    #[test]
    fn amounts_convert_through_the_default_currency() {
        let config = MerchantConfig::default();
        let converted = config.convert(Decimal::from(46), "EUR", "GBP").ok();
        assert_eq!(converted, Some(Decimal::new(3950, 2)));
        assert!(config.convert(Decimal::ONE, "USD", "RON").is_err());
        assert!(config.convert(Decimal::MAX, "EUR", "USD").is_err(), "refused, not overflowing");
    }
}
