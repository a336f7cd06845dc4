//! Shipping: `searchShippingMethods` and `getShippingPrice`, over the merchant's shipping
//! methods (its data file's).

use tco_core::{
    ErrorCode, Gateway, MerchantContext, Result, ShippingAmounts, ShippingMethod as CoreMethod,
    ShippingMethodInput, ShippingPriceInput, ShippingSearchInput, SurchargeInput,
};

use crate::customers::PaginationOptions;
use crate::money::Money;
use crate::operation::{Method, Operation, Route};
use crate::orders::OrderAddress;
use crate::page::Page;
use crate::{wire_object, wire_params};

wire_object! {
    /// A shipping method. `Availability`: ALL countries, CUSTOM (those in `Countries`) or HOME
    /// (the merchant's). `Surcharge` intervals: `Type` WEIGHT (kg) or PRICE (the cart's net total
    /// in `Currency`), `From` ≤ value < `To` (no `To`: no upper bound), `ApplyTo` ORDER (once) or
    /// PRODUCT (per unit).
    pub struct ShippingMethod as "ShippingMethod" {
        Name: Option<String>,
        Code: Option<String>,
        TrackingURL: Option<String>,
        BasePrice: Option<Money>,
        Currency: Option<String>,
        Active: Option<bool>,
        Availability: Option<String>,
        Countries: Vec<ShippingCountry>,
        Surcharge: Vec<ShippingSurcharge>,
    }
}

wire_object! {
    pub struct ShippingCountry as "ShippingCountry" {
        CountryCode: Option<String>,
        Surcharge: Option<Money>,
    }
}

wire_object! {
    pub struct ShippingSurcharge as "ShippingSurcharge" {
        Type: Option<String>,
        From: Option<Money>,
        To: Option<Money>,
        Amount: Option<Money>,
        ApplyTo: Option<String>,
    }
}

impl From<ShippingMethod> for ShippingMethodInput {
    fn from(method: ShippingMethod) -> Self {
        ShippingMethodInput {
            code: method.Code,
            name: method.Name,
            tracking_url: method.TrackingURL,
            base_price: method.BasePrice.map(|money| money.0),
            currency: method.Currency,
            active: method.Active,
            availability: method.Availability,
            countries: method
                .Countries
                .into_iter()
                .map(|c| (c.CountryCode, c.Surcharge.map(|m| m.0)))
                .collect(),
            surcharges: method
                .Surcharge
                .into_iter()
                .map(|s| SurchargeInput {
                    kind: s.Type,
                    from: s.From.map(|m| m.0),
                    to: s.To.map(|m| m.0),
                    amount: s.Amount.map(|m| m.0),
                    apply_to: s.ApplyTo,
                })
                .collect(),
        }
    }
}

impl From<&CoreMethod> for ShippingMethod {
    fn from(method: &CoreMethod) -> Self {
        ShippingMethod {
            Name: Some(method.name.clone()),
            Code: Some(method.code.clone()),
            TrackingURL: method.tracking_url.clone(),
            BasePrice: Some(Money(method.base_price)),
            Currency: Some(method.currency.clone()),
            Active: Some(method.active),
            Availability: Some(method.availability.as_str().to_owned()),
            Countries: method
                .countries
                .iter()
                .map(|(country, surcharge)| ShippingCountry {
                    CountryCode: Some(country.to_ascii_uppercase()),
                    Surcharge: Some(Money(*surcharge)),
                })
                .collect(),
            Surcharge: method
                .surcharges
                .iter()
                .map(|s| ShippingSurcharge {
                    Type: Some(s.kind.as_str().to_owned()),
                    From: Some(Money(s.from)),
                    To: s.to.map(Money),
                    Amount: Some(Money(s.amount)),
                    ApplyTo: Some(s.apply_to.as_str().to_owned()),
                })
                .collect(),
        }
    }
}

wire_object! {
    /// Every given filter must match: `Name` a part of the method's, `Countries` where it
    /// delivers (ISO codes), `Active`.
    pub struct ShippingSearchOptions as "ShippingSearchOptions" {
        Name: Option<String>,
        Codes: Vec<String>,
        Countries: Vec<String>,
        Active: Option<bool>,
        Pagination: Option<PaginationOptions>,
    }
}

crate::paged!(ShippingMethod as "ShippingSearchResult", "");

wire_params! {
    pub struct SearchShippingMethodsParams as "searchShippingMethods" {
        SearchOptions: Option<ShippingSearchOptions> = query_object,
    }
}

/// `searchShippingMethods`.
#[derive(Debug)]
pub struct SearchShippingMethods;

impl Operation for SearchShippingMethods {
    const NAME: &'static str = "searchShippingMethods";
    const DOC: &'static str = "One page of the merchant's shipping methods matching the filters, in the data file's \
         order. The REST route is the gateway's choice.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidField];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/shippingmethods")];
    type Params = SearchShippingMethodsParams;
    type Output = Page<ShippingMethod>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Page<ShippingMethod>> {
        let options = params.SearchOptions.unwrap_or_default();
        let pagination = options.Pagination.unwrap_or_default();
        let input = ShippingSearchInput {
            name: options.Name,
            codes: options.Codes,
            countries: options.Countries,
            active: options.Active,
            page: pagination.Page,
            limit: pagination.Limit,
        };
        Ok(gateway
            .search_shipping_methods(merchant, input)
            .await?
            .map(|method| ShippingMethod::from(&method))
            .into())
    }

    fn summary(result: &Page<ShippingMethod>) -> String {
        result.summary()
    }
}

wire_object! {
    /// A tangible product in the cart: `Code`, `Quantity` (default 1).
    pub struct ShippingItem as "ShippingItem" {
        Code: Option<String>,
        Quantity: Option<i64>,
    }
}

wire_object! {
    /// The parts of a shipping price in the cart's currency.
    pub struct ShippingPriceParts as "ShippingPriceParts" {
        TotalAmount: Option<Money>,
        BasePrice: Option<Money>,
        OverweightAmount: Option<Money>,
        CountrySurcharge: Option<Money>,
        WeightSurcharge: Option<Money>,
        OrderSurcharge: Option<Money>,
    }
}

impl From<ShippingAmounts> for ShippingPriceParts {
    fn from(amounts: ShippingAmounts) -> Self {
        ShippingPriceParts {
            TotalAmount: Some(Money(amounts.total)),
            BasePrice: Some(Money(amounts.base_price)),
            OverweightAmount: Some(Money(amounts.overweight)),
            CountrySurcharge: Some(Money(amounts.country_surcharge)),
            WeightSurcharge: Some(Money(amounts.weight_surcharge)),
            OrderSurcharge: Some(Money(amounts.order_surcharge)),
        }
    }
}

wire_object! {
    pub struct ShippingPriceDetails as "ShippingPriceDetails" {
        Net: Option<ShippingPriceParts>,
        Gross: Option<ShippingPriceParts>,
    }
}

wire_object! {
    /// A method available for the cart, with its price.
    pub struct ShippingPrice as "ShippingPrice" {
        Name: Option<String>,
        Code: Option<String>,
        TrackingURL: Option<String>,
        Currency: Option<String>,
        PriceDetails: Option<ShippingPriceDetails>,
    }
}

wire_object! {
    /// The REST body of a shipping price request: `getShippingPrice`'s parameters by name.
    pub struct ShippingCart as "ShippingCart" {
        Items: Vec<ShippingItem>,
        BillingDetails: Option<OrderAddress>,
        DeliveryDetails: Option<OrderAddress>,
        Currency: Option<String>,
        CouponCodes: Vec<String>,
    }
}

wire_params! {
    pub struct GetShippingPriceParams as "getShippingPrice" {
        Items: Vec<ShippingItem> = body_member("Items"),
        BillingDetails: Option<OrderAddress> = body_member("BillingDetails"),
        DeliveryDetails: Option<OrderAddress> = body_member("DeliveryDetails"),
        Currency: Option<String> = body_member("Currency"),
        CouponCodes: Vec<String> = body_member("CouponCodes"),
    }
}

/// `getShippingPrice`.
#[derive(Debug)]
pub struct GetShippingPrice;

impl Operation for GetShippingPrice {
    const NAME: &'static str = "getShippingPrice";
    const DOC: &'static str = "Every active shipping method that delivers to DeliveryDetails.CountryCode, priced for \
         the cart: the base price, the delivery country's surcharge, and the weight and order-total intervals the \
         cart falls in (the total after the CouponCodes' discounts), converted into Currency (default: the \
         merchant's) at the merchant's exchange rates and rounded to its decimals; Gross adds the billing \
         country's VAT. Only tangible products are shipped. The REST route is the gateway's choice.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::OrderProductsEmpty,
        ErrorCode::OrderProductCodeInvalid,
        ErrorCode::OrderItemsQuantityInvalid,
        ErrorCode::ProductNotTangible,
        ErrorCode::InvalidCoupon,
    ];
    const REST: &'static [Route] = &[Route::new(Method::Post, "/shippingprice").body(&ShippingCart::OBJECT)];
    type Params = GetShippingPriceParams;
    type Output = Vec<ShippingPrice>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Vec<ShippingPrice>> {
        let input = ShippingPriceInput {
            items: params.Items.into_iter().map(|item| (item.Code, item.Quantity)).collect(),
            billing_country: params.BillingDetails.and_then(|details| details.CountryCode),
            delivery_country: params.DeliveryDetails.and_then(|details| details.CountryCode),
            currency: params.Currency,
            coupons: params.CouponCodes,
        };
        let prices = gateway.shipping_prices(merchant, input).await?;
        Ok(prices
            .into_iter()
            .map(|price| ShippingPrice {
                Name: Some(price.method.name),
                Code: Some(price.method.code),
                TrackingURL: price.method.tracking_url,
                Currency: Some(price.currency),
                PriceDetails: Some(ShippingPriceDetails {
                    Net: Some(price.net.into()),
                    Gross: Some(price.gross.into()),
                }),
            })
            .collect())
    }

    fn summary(prices: &Vec<ShippingPrice>) -> String {
        format!("{} methods", prices.len())
    }
}
