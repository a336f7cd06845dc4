//! The catalog operations — products, price option groups, product groups, currencies, upgrade
//! schemas — on every transport, written once over [`Api::send`].

use async_trait::async_trait;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Api;
use crate::call::{Call, RestCall, argument};
use crate::error::Result;
use crate::model::Pagination;

model! {
    /// A product or subscription plan.
    pub struct Product {
        avangate_id: Option<String> => "AvangateId",
        product_code: Option<String> => "ProductCode",
        external_reference: Option<String> => "ExternalReference",
        product_type: Option<String> => "ProductType",
        product_name: Option<String> => "ProductName",
        product_version: Option<String> => "ProductVersion",
        group_name: Option<String> => "GroupName",
        product_group_code: Option<String> => "ProductGroupCode",
        product_group: Option<ProductGroup> => "ProductGroup",
        enabled: Option<bool> => "Enabled",
        generates_subscription: Option<bool> => "GeneratesSubscription",
        purchase_multiple_units: Option<bool> => "PurchaseMultipleUnits",
        gift_option: Option<bool> => "GiftOption",
        tangible: Option<bool> => "Tangible",
        tangible_details: Option<TangibleDetails> => "TangibleDetails",
        short_description: Option<String> => "ShortDescription",
        long_description: Option<String> => "LongDescription",
        trial_url: Option<String> => "TrialUrl",
        trial_description: Option<String> => "TrialDescription",
        subscription_information: Option<SubscriptionInformation> => "SubscriptionInformation",
        pricing_configurations: Vec<PricingConfiguration> => "PricingConfigurations",
    }
}

model! {
    pub struct TangibleDetails {
        unit_details: Vec<UnitDetail> => "UnitDetails",
    }
}

model! {
    pub struct UnitDetail {
        kind: Option<String> => "Type",
        amount: Option<Decimal> => "Amount",
    }
}

model! {
    pub struct SubscriptionInformation {
        billing_cycle: Option<i64> => "BillingCycle",
        billing_cycle_units: Option<String> => "BillingCycleUnits",
        is_one_time_fee: Option<bool> => "IsOneTimeFee",
    }
}

model! {
    pub struct PricingConfiguration {
        name: Option<String> => "Name",
        code: Option<String> => "Code",
        default: Option<bool> => "Default",
        billing_countries: Vec<String> => "BillingCountries",
        pricing_schema: Option<String> => "PricingSchema",
        price_type: Option<String> => "PriceType",
        default_currency: Option<String> => "DefaultCurrency",
        prices: Option<Prices> => "Prices",
        price_options: Vec<PriceOptionAssignment> => "PriceOptions",
    }
}

model! {
    pub struct Prices {
        regular: Vec<Price> => "Regular",
        renewal: Vec<Price> => "Renewal",
    }
}

model! {
    pub struct Price {
        amount: Option<Decimal> => "Amount",
        currency: Option<String> => "Currency",
        min_quantity: Option<i64> => "MinQuantity",
        max_quantity: Option<i64> => "MaxQuantity",
        option_codes: Vec<OptionCodes> => "OptionCodes",
    }
}

model! {
    pub struct OptionCodes {
        code: Option<String> => "Code",
        options: Vec<String> => "Options",
    }
}

model! {
    pub struct PriceOptionAssignment {
        code: Option<String> => "Code",
        required: Option<bool> => "Required",
    }
}

model! {
    pub struct ProductSearchOptions {
        name: Option<String> => "Name",
        codes: Vec<String> => "Codes",
        types: Vec<String> => "Types",
        enabled: Option<bool> => "Enabled",
        group_name: Option<String> => "GroupName",
        pagination: Option<crate::PageRequest> => "Pagination",
    }
}

/// One page of products.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ProductSearchResult {
    #[serde(rename = "Items", default)]
    pub items: Vec<Product>,
    #[serde(rename = "Pagination")]
    pub pagination: Pagination,
}

model! {
    pub struct ProductGroup {
        name: Option<String> => "Name",
        code: Option<String> => "Code",
        template_name: Option<String> => "TemplateName",
        description: Option<String> => "Description",
        enabled: Option<bool> => "Enabled",
    }
}

model! {
    pub struct PriceOptionGroup {
        name: Option<String> => "Name",
        description: Option<String> => "Description",
        code: Option<String> => "Code",
        kind: Option<String> => "Type",
        required: Option<bool> => "Required",
        options: Vec<PriceOption> => "Options",
    }
}

model! {
    pub struct PriceOption {
        name: Option<String> => "Name",
        description: Option<String> => "Description",
        code: Option<String> => "Code",
        default: Option<bool> => "Default",
        scale_min: Option<i64> => "ScaleMin",
        scale_max: Option<i64> => "ScaleMax",
        subscription_impact: Option<SubscriptionImpact> => "SubscriptionImpact",
        price_impact: Option<PriceImpact> => "PriceImpact",
    }
}

model! {
    pub struct SubscriptionImpact {
        months: Option<i64> => "Months",
        impact: Option<String> => "Impact",
    }
}

model! {
    pub struct PriceImpact {
        impact: Option<String> => "Impact",
        method: Option<String> => "Method",
        percent: Option<Decimal> => "Percent",
        amounts: Vec<CurrencyAmount> => "Amounts",
    }
}

model! {
    pub struct CurrencyAmount {
        currency: Option<String> => "Currency",
        amount: Option<Decimal> => "Amount",
    }
}

model! {
    pub struct Currency {
        code: Option<String> => "Code",
        iso3_digit_code: Option<String> => "ISO3DigitCode",
        label: Option<String> => "Label",
        symbol: Option<String> => "Symbol",
        symbol_position: Option<String> => "SymbolPosition",
        decimal_separator: Option<String> => "DecimalSeparator",
        unit_separator: Option<String> => "UnitSeparator",
        decimals: Option<String> => "Decimals",
    }
}

model! {
    pub struct UpgradeSchema {
        upgrade_settings: Option<UpgradeSettings> => "UpgradeSettings",
        allow_upgrade_from: Vec<String> => "AllowUpgradeFrom",
    }
}

model! {
    pub struct UpgradeSettings {
        pricing_scheme: Option<i64> => "PricingScheme",
        option_price_operator: Option<String> => "OptionPriceOperator",
        option_price_percentage: Option<i64> => "OptionPricePercentage",
        subscription_upgrade_type: Option<i64> => "SubscriptionUpgradeType",
        use_product_catalog_pricing: Option<bool> => "UseProductCatalogPricing",
        prorate_ignore_grace_period: Option<bool> => "ProrateIgnoreGracePeriod",
    }
}

/// The catalog operations, for every [`Api`].
#[async_trait]
pub trait CatalogApi: Api {
    async fn add_product(&self, product: &Product) -> Result<()> {
        let body = argument(product)?;
        let rest = RestCall::post(&["products"], body.clone());
        self.send(&Call::new("addProduct", vec![body], Some(rest))).await?.read::<bool>().map(drop)
    }

    /// Replaces the product `product.product_code` names.
    async fn update_product(&self, product: &Product) -> Result<()> {
        let body = argument(product)?;
        let code = product.product_code.clone().unwrap_or_default();
        let rest = RestCall::put(&["products", &code], body.clone());
        self.send(&Call::new("updateProduct", vec![body], Some(rest))).await?.read::<bool>().map(drop)
    }

    async fn product_by_code(&self, code: &str) -> Result<Product> {
        let rest = RestCall::get(&["products", code]);
        self.send(&Call::new("getProductByCode", vec![json!(code)], Some(rest))).await?.read()
    }

    /// JSON-RPC and SOAP only, as on the vendor's API.
    async fn product_by_id(&self, id: &str) -> Result<Product> {
        self.send(&Call::new("getProductById", vec![json!(id)], None)).await?.read()
    }

    async fn search_products(&self, options: &ProductSearchOptions) -> Result<ProductSearchResult> {
        let page = options.pagination;
        let rest = RestCall::get(&["products"])
            .query("Name", options.name.clone())
            .query("Codes", (!options.codes.is_empty()).then(|| options.codes.join(",")))
            .query("Types", (!options.types.is_empty()).then(|| options.types.join(",")))
            .query("Enabled", options.enabled.map(|enabled| enabled.to_string()))
            .query("GroupName", options.group_name.clone())
            .page(page.as_ref());
        self.send(&Call::new("searchProducts", vec![argument(options)?], Some(rest))).await?.read()
    }

    async fn add_price_option_group(&self, group: &PriceOptionGroup) -> Result<()> {
        let body = argument(group)?;
        let rest = RestCall::post(&["priceoptions"], body.clone());
        self.send(&Call::new("addPriceOptionGroup", vec![body], Some(rest))).await?.read::<bool>().map(drop)
    }

    async fn update_price_option_group(&self, group: &PriceOptionGroup) -> Result<()> {
        let body = argument(group)?;
        let code = group.code.clone().unwrap_or_default();
        let rest = RestCall::put(&["priceoptions", &code], body.clone());
        self.send(&Call::new("updatePriceOptionGroup", vec![body], Some(rest)))
            .await?
            .read::<bool>()
            .map(drop)
    }

    async fn price_option_group(&self, code: &str) -> Result<PriceOptionGroup> {
        let rest = RestCall::get(&["priceoptions", code]);
        self.send(&Call::new("getPriceOptionGroup", vec![json!(code)], Some(rest))).await?.read()
    }

    async fn assigned_price_option_groups(&self, product_code: &str) -> Result<Vec<PriceOptionGroup>> {
        let rest = RestCall::get(&["products", product_code, "priceoptions"]);
        self.send(&Call::new("getAssignedPriceOptionGroups", vec![json!(product_code)], Some(rest)))
            .await?
            .read()
    }

    async fn add_product_group(&self, group: &ProductGroup) -> Result<()> {
        let body = argument(group)?;
        let rest = RestCall::post(&["productgroups"], body.clone());
        self.send(&Call::new("addProductGroup", vec![body], Some(rest))).await?.read::<bool>().map(drop)
    }

    /// Replaces the group `group.code` names.
    async fn update_product_group(&self, group: &ProductGroup) -> Result<()> {
        let body = argument(group)?;
        let code = group.code.clone().unwrap_or_default();
        let rest = RestCall::put(&["productgroups", &code], body.clone());
        self.send(&Call::new("updateProductGroup", vec![body], Some(rest))).await?.read::<bool>().map(drop)
    }

    async fn product_group(&self, code: &str) -> Result<ProductGroup> {
        let rest = RestCall::get(&["productgroups", code]);
        self.send(&Call::new("getProductGroup", vec![json!(code)], Some(rest))).await?.read()
    }

    async fn product_groups(&self) -> Result<Vec<ProductGroup>> {
        let rest = RestCall::get(&["productgroups"]);
        self.send(&Call::new("getProductGroups", vec![], Some(rest))).await?.read()
    }

    async fn assign_product_group(&self, product_code: &str, group_code: &str) -> Result<()> {
        let rest =
            RestCall::new(reqwest::Method::POST, &["productgroups", group_code, "products", product_code]);
        let call = Call::new("assignProductGroup", vec![json!(product_code), json!(group_code)], Some(rest));
        self.send(&call).await?.read::<bool>().map(drop)
    }

    /// All the merchant's currencies, or those of a country and payment method (both or neither).
    async fn available_currencies(
        &self,
        country: Option<&str>,
        payment_method: Option<&str>,
    ) -> Result<Vec<Currency>> {
        let rest = RestCall::get(&["currencies"])
            .query("CountryCode", country.map(str::to_owned))
            .query("PaymentMethod", payment_method.map(str::to_owned));
        let mut args = Vec::new();
        if country.is_some() || payment_method.is_some() {
            args = vec![json!(country), json!(payment_method)];
        }
        self.send(&Call::new("getAvailableCurrencies", args, Some(rest))).await?.read()
    }

    async fn set_upgrade_schema(&self, product_code: &str, schema: &UpgradeSchema) -> Result<UpgradeSchema> {
        let body = argument(schema)?;
        let rest = RestCall::put(&["products", product_code, "upgradeschema"], body.clone());
        self.send(&Call::new("setProductUpgradeSchema", vec![json!(product_code), body], Some(rest)))
            .await?
            .read()
    }

    async fn upgrade_schema(&self, product_code: &str) -> Result<Option<UpgradeSchema>> {
        let rest = RestCall::get(&["products", product_code, "upgradeschema"]);
        self.send(&Call::new("getProductUpgradeSchema", vec![json!(product_code)], Some(rest))).await?.read()
    }
}

#[async_trait]
impl<T: Api + ?Sized> CatalogApi for T {}
