//! `getAvailableCurrencies` and the vendor's Currency object.

use tco_core::{Currency as CoreCurrency, ErrorCode, Gateway, MerchantContext, Result};

use crate::lenient::Text;
use crate::operation::{Method, Operation, Route};
use crate::{wire_object, wire_params};

wire_object! {
    /// A currency the merchant sells in. `ISO3DigitCode` and `Decimals` are strings, as the
    /// vendor sends them.
    pub struct Currency as "Currency" {
        Code: Option<String>,
        ISO3DigitCode: Option<String>,
        Label: Option<String>,
        Symbol: Option<String>,
        SymbolPosition: Option<String>,
        DecimalSeparator: Option<String>,
        UnitSeparator: Option<String>,
        Decimals: Option<String>,
    }
}

impl From<CoreCurrency> for Currency {
    fn from(currency: CoreCurrency) -> Self {
        Currency {
            Code: Some(currency.code),
            ISO3DigitCode: Some(currency.iso3_digit_code),
            Label: Some(currency.label),
            Symbol: Some(currency.symbol),
            SymbolPosition: Some(currency.symbol_position),
            DecimalSeparator: Some(currency.decimal_separator),
            UnitSeparator: Some(currency.unit_separator),
            Decimals: Some(currency.decimals),
        }
    }
}

wire_params! {
    pub struct GetAvailableCurrenciesParams as "getAvailableCurrencies" {
        countryCode: Option<Text> = query("CountryCode"),
        paymentMethod: Option<Text> = query("PaymentMethod"),
    }
}

/// `getAvailableCurrencies`.
#[derive(Debug)]
pub struct GetAvailableCurrencies;

impl Operation for GetAvailableCurrencies {
    const NAME: &'static str = "getAvailableCurrencies";
    const DOC: &'static str = "The merchant's currencies; with countryCode and paymentMethod (both or neither), \
         those available to shoppers of that country paying that way, in the merchant's order for that country. \
         One without the other is MISSING_REQUIRED_FIELD (the vendor documents no code). The REST route is the \
         gateway's choice.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/currencies").parameters(&[
        ("CountryCode", "ISO 3166-1 alpha-2; requires PaymentMethod"),
        ("PaymentMethod", "CC, PAYPAL…; requires CountryCode"),
    ])];
    type Params = GetAvailableCurrenciesParams;
    type Output = Vec<Currency>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Vec<Currency>> {
        let country = params.countryCode.map(|text| text.0);
        let method = params.paymentMethod.map(|text| text.0);
        let currencies = gateway.available_currencies(merchant, country.as_deref(), method.as_deref())?;
        Ok(currencies.into_iter().map(Currency::from).collect())
    }

    fn summary(currencies: &Vec<Currency>) -> String {
        currencies.iter().filter_map(|currency| currency.Code.clone()).collect::<Vec<_>>().join(",")
    }
}
