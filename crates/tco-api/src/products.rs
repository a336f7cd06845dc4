//! Products: the vendor's Product object with its pricing configurations, and the product
//! operations (add, update, get by code or id, search).

use tco_core::{
    Error, ErrorCode, Gateway, MerchantContext, OptionChoiceInput, PriceInput, PriceOptionUseInput,
    PricingConfigurationInput, Product as CoreProduct, ProductInput, ProductKey, ProductSearchInput, Result,
};

use crate::customers::PaginationOptions;
use crate::lenient::Text;
use crate::money::Money;
use crate::operation::{Method, Operation, Route};
use crate::page::Page;
use crate::product_groups::ProductGroup;
use crate::{wire_object, wire_params};

wire_object! {
    /// A product or subscription plan. `AvangateId` and `GroupName` are read-only;
    /// `ProductGroupCode` places it in a group. Fields the gateway does not model (platforms,
    /// images, translations…) are accepted and ignored.
    pub struct Product as "Product" {
        #[serde(alias = "ProductId")]
        AvangateId: Option<Text>,
        ProductCode: Option<String>,
        ExternalReference: Option<String>,
        ProductType: Option<String>,
        ProductName: Option<String>,
        ProductVersion: Option<String>,
        GroupName: Option<String>,
        ProductGroupCode: Option<String>,
        ProductGroup: Option<ProductGroup>,
        Enabled: Option<bool>,
        GeneratesSubscription: Option<bool>,
        PurchaseMultipleUnits: Option<bool>,
        GiftOption: Option<bool>,
        Tangible: Option<bool>,
        TangibleDetails: Option<TangibleDetails>,
        ShortDescription: Option<String>,
        LongDescription: Option<String>,
        TrialUrl: Option<String>,
        TrialDescription: Option<String>,
        SubscriptionInformation: Option<SubscriptionInformation>,
        PricingConfigurations: Vec<PricingConfiguration>,
    }
}

wire_object! {
    /// A physical product's set-up: its weight (`Type` `WEIGHT`, `Amount` in kg).
    pub struct TangibleDetails as "TangibleDetails" {
        UnitDetails: Vec<UnitDetail>,
    }
}

wire_object! {
    pub struct UnitDetail as "UnitDetail" {
        Type: Option<String>,
        Amount: Option<Money>,
    }
}

wire_object! {
    /// The billing cycle: every `BillingCycle` `BillingCycleUnits` (`D`, `M` or `Y`), unless
    /// `IsOneTimeFee`.
    pub struct SubscriptionInformation as "SubscriptionInformation" {
        BillingCycle: Option<i64>,
        BillingCycleUnits: Option<String>,
        IsOneTimeFee: Option<bool>,
    }
}

wire_object! {
    /// One way of pricing the product; one configuration is the `Default`.
    pub struct PricingConfiguration as "PricingConfiguration" {
        Name: Option<String>,
        Code: Option<String>,
        Default: Option<bool>,
        BillingCountries: Vec<String>,
        PricingSchema: Option<String>,
        PriceType: Option<String>,
        DefaultCurrency: Option<String>,
        Prices: Option<Prices>,
        PriceOptions: Vec<PriceOptionAssignment>,
    }
}

wire_object! {
    /// Prices of a first purchase (`Regular`) and of renewals (`Renewal`, the regular ones when
    /// empty).
    pub struct Prices as "Prices" {
        Regular: Vec<Price>,
        Renewal: Vec<Price>,
    }
}

wire_object! {
    /// A unit price in a currency for a quantity range and, optionally, chosen options.
    pub struct Price as "Price" {
        Amount: Option<Money>,
        Currency: Option<String>,
        MinQuantity: Option<i64>,
        MaxQuantity: Option<i64>,
        OptionCodes: Vec<OptionCodes>,
    }
}

wire_object! {
    /// The options chosen in one price option group.
    pub struct OptionCodes as "OptionCodes" {
        Code: Option<String>,
        Options: Vec<String>,
    }
}

wire_object! {
    /// A price option group the configuration offers.
    pub struct PriceOptionAssignment as "PriceOptionAssignment" {
        Code: Option<String>,
        Required: Option<bool>,
    }
}

wire_object! {
    /// `searchProducts` filters: `Name` is a part of the name (any case), `Codes` exact codes,
    /// `Types` REGULAR and/or BUNDLE, `GroupName` the product group's name (any case).
    pub struct ProductSearchOptions as "ProductSearchOptions" {
        Name: Option<String>,
        Codes: Vec<String>,
        Types: Vec<String>,
        Enabled: Option<bool>,
        GroupName: Option<String>,
        Pagination: Option<PaginationOptions>,
    }
}

crate::paged!(Product as "ProductSearchResult", "One page of products, ordered by id.");

impl From<Product> for ProductInput {
    fn from(product: Product) -> Self {
        let weight = product.TangibleDetails.and_then(|details| {
            details
                .UnitDetails
                .into_iter()
                .find(|unit| unit.Type.as_deref().is_none_or(|kind| kind.eq_ignore_ascii_case("WEIGHT")))
                .and_then(|unit| unit.Amount)
        });
        let subscription = product.SubscriptionInformation.unwrap_or_default();
        ProductInput {
            code: product.ProductCode,
            external_reference: product.ExternalReference,
            name: product.ProductName,
            version: product.ProductVersion,
            product_type: product.ProductType,
            enabled: product.Enabled,
            generates_subscription: product.GeneratesSubscription,
            purchase_multiple_units: product.PurchaseMultipleUnits,
            gift_option: product.GiftOption,
            tangible: product.Tangible,
            weight: weight.map(|weight| weight.0),
            // The group object of an answer sent back names the group too.
            group_code: product.ProductGroupCode.or(product.ProductGroup.and_then(|group| group.Code)),
            short_description: product.ShortDescription,
            long_description: product.LongDescription,
            trial_url: product.TrialUrl,
            trial_description: product.TrialDescription,
            billing_cycle: subscription.BillingCycle,
            billing_cycle_units: subscription.BillingCycleUnits,
            one_time_fee: subscription.IsOneTimeFee,
            pricing_configurations: product
                .PricingConfigurations
                .into_iter()
                .map(configuration_input)
                .collect(),
        }
    }
}

fn configuration_input(configuration: PricingConfiguration) -> PricingConfigurationInput {
    let prices = configuration.Prices.unwrap_or_default();
    PricingConfigurationInput {
        code: configuration.Code,
        name: configuration.Name,
        default: configuration.Default,
        billing_countries: configuration.BillingCountries,
        schema: configuration.PricingSchema,
        price_type: configuration.PriceType,
        default_currency: configuration.DefaultCurrency,
        prices: prices.Regular.into_iter().map(price_input).collect(),
        renewal_prices: prices.Renewal.into_iter().map(price_input).collect(),
        price_options: configuration
            .PriceOptions
            .into_iter()
            .map(|option| PriceOptionUseInput { group_code: option.Code, required: option.Required })
            .collect(),
    }
}

fn price_input(price: Price) -> PriceInput {
    PriceInput {
        amount: price.Amount.map(|amount| amount.0),
        currency: price.Currency,
        min_quantity: price.MinQuantity,
        max_quantity: price.MaxQuantity,
        option_codes: price
            .OptionCodes
            .into_iter()
            .map(|codes| OptionChoiceInput { group_code: codes.Code, options: codes.Options })
            .collect(),
    }
}

impl From<CoreProduct> for Product {
    fn from(product: CoreProduct) -> Self {
        let fields = product.fields;
        let subscription = SubscriptionInformation {
            BillingCycle: fields.recurrence.map(|recurrence| i64::from(recurrence.length)),
            BillingCycleUnits: fields.recurrence.map(|recurrence| recurrence.unit.as_str().to_owned()),
            IsOneTimeFee: Some(fields.recurrence.is_none()),
        };
        let group_name = product.group.as_ref().map(|group| group.name.clone());
        Product {
            AvangateId: Some(Text(product.id.to_string())),
            ProductCode: Some(fields.code),
            ExternalReference: fields.external_reference,
            ProductType: Some(fields.product_type.as_str().to_owned()),
            ProductName: Some(fields.name),
            ProductVersion: fields.version,
            GroupName: group_name,
            ProductGroupCode: fields.group_code,
            ProductGroup: product.group.map(ProductGroup::from),
            Enabled: Some(fields.enabled),
            GeneratesSubscription: Some(fields.generates_subscription),
            PurchaseMultipleUnits: Some(fields.purchase_multiple_units),
            GiftOption: Some(fields.gift_option),
            Tangible: Some(fields.tangible),
            TangibleDetails: fields.weight.map(|weight| TangibleDetails {
                UnitDetails: vec![UnitDetail { Type: Some("WEIGHT".into()), Amount: Some(weight.into()) }],
            }),
            ShortDescription: fields.short_description,
            LongDescription: fields.long_description,
            TrialUrl: fields.trial_url,
            TrialDescription: fields.trial_description,
            SubscriptionInformation: Some(subscription),
            PricingConfigurations: fields
                .pricing_configurations
                .into_iter()
                .map(|configuration| PricingConfiguration {
                    Name: Some(configuration.name),
                    Code: Some(configuration.code),
                    Default: Some(configuration.default),
                    BillingCountries: configuration.billing_countries,
                    PricingSchema: Some(configuration.schema.as_str().to_owned()),
                    PriceType: Some(configuration.price_type.as_str().to_owned()),
                    DefaultCurrency: Some(configuration.default_currency),
                    Prices: Some(Prices {
                        Regular: configuration.prices.into_iter().map(Price::from).collect(),
                        Renewal: configuration.renewal_prices.into_iter().map(Price::from).collect(),
                    }),
                    PriceOptions: configuration
                        .price_options
                        .into_iter()
                        .map(|option| PriceOptionAssignment {
                            Code: Some(option.group_code),
                            Required: Some(option.required),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<tco_core::Price> for Price {
    fn from(price: tco_core::Price) -> Self {
        Price {
            Amount: Some(price.amount.into()),
            Currency: Some(price.currency),
            MinQuantity: Some(i64::from(price.min_quantity)),
            MaxQuantity: price.max_quantity.map(i64::from),
            OptionCodes: price
                .option_codes
                .into_iter()
                .map(|choice| OptionCodes { Code: Some(choice.group_code), Options: choice.options })
                .collect(),
        }
    }
}

wire_params! {
    pub struct AddProductParams as "addProduct" {
        Product: Option<Product> = body,
    }
}

/// `addProduct`.
#[derive(Debug)]
pub struct AddProduct;

impl Operation for AddProduct {
    const NAME: &'static str = "addProduct";
    const DOC: &'static str = "Adds a product and returns true. ProductCode, ProductName and at least one pricing \
         configuration are required; prices must be in the merchant's currencies.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::ProductGroupNotFound,
        ErrorCode::PriceOptionGroupNotFound,
        ErrorCode::DuplicateProductCode,
    ];
    const REST: &'static [Route] = &[Route::new(Method::Post, "/products").body(&Product::OBJECT)];
    type Params = AddProductParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let product = params.Product.ok_or(Error::MissingField("Product"))?;
        gateway.add_product(merchant, product.into()).await?;
        Ok(true)
    }
}

wire_params! {
    pub struct UpdateProductParams as "updateProduct" {
        Product: Option<Product> = body,
    }
    rest {
        /// REST's `{ProductCode}`.
        target: Option<String> = path("ProductCode"),
    }
}

/// `updateProduct`.
#[derive(Debug)]
pub struct UpdateProduct;

impl Operation for UpdateProduct {
    const NAME: &'static str = "updateProduct";
    const DOC: &'static str = "Replaces the product its ProductCode names (on REST, the path's) and returns true. \
         ProductType cannot change; a pricing configuration keeps its Code.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::ProductNotFound,
        ErrorCode::ProductGroupNotFound,
        ErrorCode::PriceOptionGroupNotFound,
    ];
    const REST: &'static [Route] =
        &[Route::new(Method::Put, "/products/{ProductCode}").body(&Product::OBJECT)];
    type Params = UpdateProductParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let mut product = params.Product.ok_or(Error::MissingField("Product"))?;
        if let Some(target) = params.target {
            if product.ProductCode.as_deref().is_some_and(|code| code.trim() != target.trim()) {
                return Err(Error::invalid("ProductCode", "differs from the product the path names"));
            }
            product.ProductCode = Some(target);
        }
        gateway.update_product(merchant, product.into()).await?;
        Ok(true)
    }
}

wire_params! {
    pub struct GetProductByCodeParams as "getProductByCode" {
        ProductCode: Option<Text> = path("ProductCode"),
    }
}

/// `getProductByCode`.
#[derive(Debug)]
pub struct GetProductByCode;

impl Operation for GetProductByCode {
    const NAME: &'static str = "getProductByCode";
    const DOC: &'static str = "The product with this ProductCode.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::ProductNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/products/{ProductCode}")];
    type Params = GetProductByCodeParams;
    type Output = Product;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<Product> {
        let code = Text::or_empty(params.ProductCode);
        Ok(gateway.product(merchant, &ProductKey::Code(code)).await?.into())
    }

    fn summary(product: &Product) -> String {
        product.ProductCode.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct GetProductByIdParams as "getProductById" {
        ProductId: Option<Text>,
    }
}

/// `getProductById`: by the system's id (`AvangateId`); JSON-RPC and SOAP only, as on the
/// vendor's API.
#[derive(Debug)]
pub struct GetProductById;

impl Operation for GetProductById {
    const NAME: &'static str = "getProductById";
    const DOC: &'static str = "The product with this AvangateId.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::ProductNotFound];
    type Params = GetProductByIdParams;
    type Output = Product;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<Product> {
        let id =
            params.ProductId.and_then(|text| text.0.trim().parse().ok()).ok_or(Error::ProductNotFound)?;
        Ok(gateway.product(merchant, &ProductKey::Id(id)).await?.into())
    }

    fn summary(product: &Product) -> String {
        product.ProductCode.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct SearchProductsParams as "searchProducts" {
        SearchOptions: Option<ProductSearchOptions> = query_object,
    }
}

/// `searchProducts`.
#[derive(Debug)]
pub struct SearchProducts;

impl Operation for SearchProducts {
    const NAME: &'static str = "searchProducts";
    const DOC: &'static str = "One page of the products matching every filter given, ordered by AvangateId.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidField];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/products").parameters(&[
        ("Name", "a part of the name, any case"),
        ("Codes", "product codes, comma-separated"),
        ("Types", "REGULAR and/or BUNDLE, comma-separated"),
        ("Enabled", "true or false"),
        ("GroupName", "the product group's name"),
        ("Page", "from 1"),
        ("Limit", "from 1 to 200, default 10"),
    ])];
    type Params = SearchProductsParams;
    type Output = Page<Product>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Page<Product>> {
        let options = params.SearchOptions.unwrap_or_default();
        let pagination = options.Pagination.unwrap_or_default();
        let input = ProductSearchInput {
            name: options.Name,
            codes: options.Codes,
            types: options.Types,
            enabled: options.Enabled,
            group_name: options.GroupName,
            page: pagination.Page,
            limit: pagination.Limit,
        };
        Ok(gateway.search_products(merchant, input).await?.into())
    }

    fn summary(result: &Page<Product>) -> String {
        result.summary()
    }
}
