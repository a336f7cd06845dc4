//! The merchant's shipping methods: account settings from its data file, like VAT rates (the
//! API reads them and never writes them).

use rust_decimal::Decimal;

vendor_enum! {
    /// Where a method delivers: everywhere, the countries it lists, or the merchant's home country.
    pub enum Availability { All = "ALL", Custom = "CUSTOM", Home = "HOME" }
}

vendor_enum! {
    pub enum SurchargeType { Price = "PRICE", Weight = "WEIGHT" }
}

vendor_enum! {
    pub enum SurchargeApplyTo { Order = "ORDER", Product = "PRODUCT" }
}

/// An interval surcharge: `amount` when the cart's weight (kg) or net total (in the method's
/// currency) is at least `from` and under `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Surcharge {
    pub kind: SurchargeType,
    pub from: Decimal,
    pub to: Option<Decimal>,
    pub amount: Decimal,
    pub apply_to: SurchargeApplyTo,
}

impl Surcharge {
    pub(crate) fn holds(&self, value: Decimal) -> bool {
        self.from <= value && self.to.is_none_or(|to| value < to)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShippingMethod {
    pub code: String,
    pub name: String,
    pub tracking_url: Option<String>,
    pub base_price: Decimal,
    /// The currency its amounts are in.
    pub currency: String,
    pub active: bool,
    pub availability: Availability,
    /// Lower-case country code and its surcharge; with `CUSTOM`, the countries it delivers to.
    pub countries: Vec<(String, Decimal)>,
    pub surcharges: Vec<Surcharge>,
}

impl ShippingMethod {
    /// Whether it delivers to `country` (lower-case) for a merchant at home in `home`.
    pub fn delivers_to(&self, country: &str, home: &str) -> bool {
        match self.availability {
            Availability::All => true,
            Availability::Custom => self.countries.iter().any(|(known, _)| known == country),
            Availability::Home => country == home,
        }
    }
}
