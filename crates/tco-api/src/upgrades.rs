//! Upgrades: a product's upgrade schema (`setProductUpgradeSchema`, `getProductUpgradeSchema`)
//! and a subscription's upgrade (`getProductUpgradeOptions`, `getProductUpgradeOptionsPrice`,
//! `setSubscriptionUpgrade`).

use tco_core::{
    Error, ErrorCode, Gateway, MerchantContext, Result, UpgradeOption, UpgradePrice as CorePrice,
    UpgradeQuote, UpgradeSchema as CoreSchema, UpgradeSchemaInput,
};

use crate::lenient::Text;
use crate::money::Money;
use crate::operation::{Method, Operation, Route};
use crate::price_options::PriceOptionGroup;
use crate::{wire_object, wire_params};

wire_object! {
    /// Which products (`AllowUpgradeFrom`, product codes) may be upgraded to a product, and how.
    pub struct UpgradeSchema as "UpgradeSchema" {
        UpgradeSettings: Option<UpgradeSettings>,
        AllowUpgradeFrom: Vec<String>,
    }
}

wire_object! {
    /// `PricingScheme`: 1 full upgrade price, 2 the difference between the subscription and the
    /// upgrade, 3 prorated on the latest costs, 4 prorated on the catalog price at order time.
    /// `OptionPriceOperator` ADD or SUBTRACT with `OptionPricePercentage` (schemes 1 and 2).
    /// `SubscriptionUpgradeType`: 1 a new subscription, 2 prolonged from the upgrade date, 3 the
    /// duration unchanged.
    pub struct UpgradeSettings as "UpgradeSettings" {
        PricingScheme: Option<i64>,
        OptionPriceOperator: Option<String>,
        OptionPricePercentage: Option<i64>,
        SubscriptionUpgradeType: Option<i64>,
        UseProductCatalogPricing: Option<bool>,
        ProrateIgnoreGracePeriod: Option<bool>,
    }
}

impl From<UpgradeSchema> for UpgradeSchemaInput {
    fn from(schema: UpgradeSchema) -> Self {
        let settings = schema.UpgradeSettings.unwrap_or_default();
        UpgradeSchemaInput {
            pricing_scheme: settings.PricingScheme,
            option_price_operator: settings.OptionPriceOperator,
            option_price_percentage: settings.OptionPricePercentage,
            use_product_catalog_pricing: settings.UseProductCatalogPricing,
            prorate_ignore_grace_period: settings.ProrateIgnoreGracePeriod,
            subscription_upgrade_type: settings.SubscriptionUpgradeType,
            allow_upgrade_from: schema.AllowUpgradeFrom,
        }
    }
}

impl From<CoreSchema> for UpgradeSchema {
    fn from(schema: CoreSchema) -> Self {
        UpgradeSchema {
            UpgradeSettings: Some(UpgradeSettings {
                PricingScheme: Some(i64::from(schema.pricing_scheme)),
                OptionPriceOperator: schema
                    .option_price_operator
                    .map(|operator| operator.as_str().to_owned()),
                OptionPricePercentage: schema.option_price_percentage,
                SubscriptionUpgradeType: Some(i64::from(schema.subscription_upgrade_type)),
                UseProductCatalogPricing: Some(schema.use_product_catalog_pricing),
                ProrateIgnoreGracePeriod: Some(schema.prorate_ignore_grace_period),
            }),
            AllowUpgradeFrom: schema.allow_upgrade_from,
        }
    }
}

wire_params! {
    pub struct SetProductUpgradeSchemaParams as "setProductUpgradeSchema" {
        productCode: Option<Text> = path("ProductCode"),
        UpgradeSchema: Option<UpgradeSchema> = body,
    }
}

/// `setProductUpgradeSchema`.
#[derive(Debug)]
pub struct SetProductUpgradeSchema;

impl Operation for SetProductUpgradeSchema {
    const NAME: &'static str = "setProductUpgradeSchema";
    const DOC: &'static str = "Sets the upgrade schema of the product (the upgrade target) and returns it as stored. \
         Every AllowUpgradeFrom product must exist.";
    const ERRORS: &'static [ErrorCode] =
        &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField, ErrorCode::ProductNotFound];
    const REST: &'static [Route] =
        &[Route::new(Method::Put, "/products/{ProductCode}/upgradeschema").body(&UpgradeSchema::OBJECT)];
    type Params = SetProductUpgradeSchemaParams;
    type Output = UpgradeSchema;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<UpgradeSchema> {
        let code = Text::or_empty(params.productCode);
        let schema = params.UpgradeSchema.ok_or(Error::MissingField("UpgradeSchema"))?;
        Ok(gateway.set_upgrade_schema(merchant, &code, schema.into()).await?.into())
    }
}

wire_params! {
    pub struct GetProductUpgradeSchemaParams as "getProductUpgradeSchema" {
        productCode: Option<Text> = path("ProductCode"),
    }
}

/// `getProductUpgradeSchema` (the vendor documents no reading call; this is the gateway's).
#[derive(Debug)]
pub struct GetProductUpgradeSchema;

impl Operation for GetProductUpgradeSchema {
    const NAME: &'static str = "getProductUpgradeSchema";
    const DOC: &'static str = "The product's upgrade schema, or null when it has none. The vendor documents no \
         reading call: the name and the REST routes of both upgrade-schema operations are the gateway's choice.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::ProductNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/products/{ProductCode}/upgradeschema")];
    type Params = GetProductUpgradeSchemaParams;
    type Output = Option<UpgradeSchema>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Option<UpgradeSchema>> {
        let code = Text::or_empty(params.productCode);
        Ok(gateway.upgrade_schema(merchant, &code).await?.map(UpgradeSchema::from))
    }
}

const UPGRADE: &str = "/subscriptions/{SubscriptionReference}/upgrade";

wire_object! {
    /// A product a subscription may be upgraded to: its price is the net unit price without
    /// options in the subscription's `Currency`; each option's `Code` is an `OptionValue` for
    /// `getProductUpgradeOptionsPrice` and `setSubscriptionUpgrade`.
    pub struct ProductInfo as "ProductInfo" {
        ProductId: Option<i64>,
        ProductCode: Option<String>,
        ProductName: Option<String>,
        ProductVersion: Option<String>,
        ProductEnabled: Option<bool>,
        ProductType: Option<String>,
        Currency: Option<String>,
        DefaultCurrency: Option<String>,
        Price: Option<Money>,
        GiftOption: Option<bool>,
        IdGroup: Option<String>,
        GroupName: Option<String>,
        ShortDescription: Option<String>,
        PriceType: Option<String>,
        PriceSchema: Option<String>,
        PriceOptions: Vec<PriceOptionGroup>,
    }
}

impl From<UpgradeOption> for ProductInfo {
    fn from(option: UpgradeOption) -> Self {
        let UpgradeOption { product, groups, currency, price } = option;
        let configuration = product.default_configuration();
        ProductInfo {
            ProductId: Some(product.id),
            ProductCode: Some(product.fields.code.clone()),
            ProductName: Some(product.fields.name.clone()),
            ProductVersion: product.fields.version.clone(),
            ProductEnabled: Some(product.fields.enabled),
            ProductType: Some(product.fields.product_type.as_str().to_owned()),
            Currency: Some(currency),
            DefaultCurrency: configuration.map(|configuration| configuration.default_currency.clone()),
            Price: price.map(Money),
            GiftOption: Some(product.fields.gift_option),
            IdGroup: product.fields.group_code.clone(),
            GroupName: product.group.as_ref().map(|group| group.name.clone()),
            ShortDescription: product.fields.short_description.clone(),
            PriceType: configuration.map(|configuration| configuration.price_type.as_str().to_owned()),
            PriceSchema: configuration.map(|configuration| configuration.schema.as_str().to_owned()),
            PriceOptions: groups.into_iter().map(PriceOptionGroup::from).collect(),
        }
    }
}

wire_params! {
    pub struct GetProductUpgradeOptionsParams as "getProductUpgradeOptions" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
    }
}

/// `getProductUpgradeOptions` (REST `GET /subscriptions/{ref}/upgrade/`).
#[derive(Debug)]
pub struct GetProductUpgradeOptions;

impl Operation for GetProductUpgradeOptions {
    const NAME: &'static str = "getProductUpgradeOptions";
    const DOC: &'static str = "The enabled products whose upgrade schema allows upgrading from the subscription's \
         product, each with its options and its net unit price in the subscription's currency.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::SubscriptionNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, UPGRADE)];
    type Params = GetProductUpgradeOptionsParams;
    type Output = Vec<ProductInfo>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Self::Output> {
        let options =
            gateway.upgrade_options(merchant, &Text::or_empty(params.subscriptionReference)).await?;
        Ok(options.into_iter().map(ProductInfo::from).collect())
    }

    fn summary(options: &Self::Output) -> String {
        format!("{} products", options.len())
    }
}

wire_object! {
    /// What an upgrade costs, for `Quantity`. `BillingPrice` (net) and `BillingGrossPrice` are
    /// what `setSubscriptionUpgrade` charges, never below zero; `ProratedPrice` and
    /// `ProratedGrossPrice` the price as calculated, negative for a downgrade.
    pub struct UpgradePrice as "UpgradePrice" {
        BillingPrice: Option<Money>,
        BillingGrossPrice: Option<Money>,
        BillingCurrency: Option<String>,
        Quantity: Option<i64>,
        DisplayPrice: Option<Money>,
        DisplayGrossPrice: Option<Money>,
        DisplayCurrency: Option<String>,
        ProratedPrice: Option<Money>,
        ProratedGrossPrice: Option<Money>,
        Discount: Option<Money>,
        DiscountedProratedPrice: Option<Money>,
        DiscountedProratedGrossPrice: Option<Money>,
        DiscountedBillingPrice: Option<Money>,
        DiscountedBillingGrossPrice: Option<Money>,
        DisplayDiscount: Option<Money>,
        DiscountedDisplayPrice: Option<Money>,
        DiscountedDisplayGrossPrice: Option<Money>,
    }
}

impl From<CorePrice> for UpgradePrice {
    fn from(price: CorePrice) -> Self {
        let (net, gross) = (Some(Money(price.charged.net)), Some(Money(price.charged.gross)));
        let (prorated_net, prorated_gross) =
            (Some(Money(price.prorated.net)), Some(Money(price.prorated.gross)));
        let zero = Some(Money(tco_core::Decimal::ZERO));
        UpgradePrice {
            BillingPrice: net,
            BillingGrossPrice: gross,
            BillingCurrency: Some(price.currency.clone()),
            Quantity: Some(i64::from(price.quantity)),
            DisplayPrice: net,
            DisplayGrossPrice: gross,
            DisplayCurrency: Some(price.currency),
            ProratedPrice: prorated_net,
            ProratedGrossPrice: prorated_gross,
            Discount: zero,
            DiscountedProratedPrice: prorated_net,
            DiscountedProratedGrossPrice: prorated_gross,
            DiscountedBillingPrice: net,
            DiscountedBillingGrossPrice: gross,
            DisplayDiscount: zero,
            DiscountedDisplayPrice: net,
            DiscountedDisplayGrossPrice: gross,
        }
    }
}

wire_params! {
    pub struct GetProductUpgradeOptionsPriceParams as "getProductUpgradeOptionsPrice" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
        productCode: Option<Text> = path("ProductCode"),
        currency: Option<String> = path("CurrencyCode"),
        options: Option<String> = query("Options"),
    }
    rest {
        quantity: Option<i64> = query("Quantity"),
        calculate_prorated_price: Option<bool> = query("CalculateProratedPrice"),
    }
}

/// `getProductUpgradeOptionsPrice` (REST
/// `GET /subscriptions/{ref}/upgrade/price/{ProductCode}/{CurrencyCode}/`).
#[derive(Debug)]
pub struct GetProductUpgradeOptionsPrice;

impl Operation for GetProductUpgradeOptionsPrice {
    const NAME: &'static str = "getProductUpgradeOptionsPrice";
    const DOC: &'static str = "What upgrading the subscription to the product costs, by the product's upgrade schema: \
         PricingScheme 1 the full price, 2 the difference from the subscription's product, both with \
         OptionPriceOperator/OptionPricePercentage; 3 the difference from what the subscription last paid and 4 from \
         its product's catalog price, prorated over what is left of the billing cycle (REST \
         CalculateProratedPrice=false does not prorate). `options` are `;`-separated option codes, an interval \
         group's as GROUP=value (Users=7: the option whose range holds 7). A downgrade \
         answers zero billing prices and a negative ProratedPrice.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::SubscriptionNotFound,
        ErrorCode::ProductNotFound,
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
    ];
    const REST: &'static [Route] = &[Route::new(
        Method::Get,
        "/subscriptions/{SubscriptionReference}/upgrade/price/{ProductCode}/{CurrencyCode}",
    )
    .parameters(&[
        ("Options", "`;`-separated option codes of the product"),
        ("Quantity", "The quantity priced (the subscription's when absent)"),
        ("CalculateProratedPrice", "false: not prorated"),
    ])];
    type Params = GetProductUpgradeOptionsPriceParams;
    type Output = UpgradePrice;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<UpgradePrice> {
        let quote = UpgradeQuote {
            product_code: params.productCode.map(|code| code.0),
            currency: params.currency,
            options: params.options,
            quantity: params.quantity,
            prorate: params.calculate_prorated_price,
        };
        let reference = Text::or_empty(params.subscriptionReference);
        Ok(gateway.upgrade_price(merchant, &reference, quote).await?.into())
    }
}

wire_params! {
    pub struct SetSubscriptionUpgradeParams as "setSubscriptionUpgrade" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
        productCode: Option<Text> = path("ProductCode"),
        options: Option<String> = query("Options"),
        customPrice: Option<Money> = query("CustomPrice"),
    }
}

/// `setSubscriptionUpgrade` (REST `PUT /subscriptions/{ref}/upgrade/{ProductCode}/`, the
/// gateway's route).
#[derive(Debug)]
pub struct SetSubscriptionUpgrade;

impl Operation for SetSubscriptionUpgrade {
    const NAME: &'static str = "setSubscriptionUpgrade";
    const DOC: &'static str = "Upgrades the subscription to the product: an upgrade order charged to the \
         subscription's card at the upgrade price (or `customPrice`, net per unit in the subscription's currency), \
         after which the subscription renews as the new product with `options` (codes, or GROUP=value for an \
         interval group). Its expiration is kept \
         (SubscriptionUpgradeType 3) or starts a new billing cycle today (2); with 1 the order buys a new \
         subscription of the product from today instead and the upgraded one is disabled. Only an enabled \
         subscription with automatic renewal on can be upgraded; returns true.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::SubscriptionNotFound,
        ErrorCode::ProductNotFound,
        ErrorCode::InvalidSubscriptionOperation,
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
    ];
    const REST: &'static [Route] =
        &[Route::new(Method::Put, "/subscriptions/{SubscriptionReference}/upgrade/{ProductCode}")
            .parameters(&[
                ("Options", "`;`-separated option codes of the product"),
                ("CustomPrice", "The net unit price charged instead of the calculated one"),
            ])];
    type Params = SetSubscriptionUpgradeParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let reference = Text::or_empty(params.subscriptionReference);
        let code = params.productCode.map(|code| code.0);
        let price = params.customPrice.map(|price| price.0);
        gateway.upgrade_subscription(merchant, &reference, code, params.options, price).await.map(|()| true)
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}
