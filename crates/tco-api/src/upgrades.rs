//! Product upgrade schemas: `setProductUpgradeSchema` and `getProductUpgradeSchema`.

use tco_core::{
    Error, ErrorCode, Gateway, MerchantContext, Result, UpgradeSchema as CoreSchema, UpgradeSchemaInput,
};

use crate::lenient::Text;
use crate::operation::{Method, Operation, Route};
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
        let code = params.productCode.map(|text| text.0).unwrap_or_default();
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
        let code = params.productCode.map(|text| text.0).unwrap_or_default();
        Ok(gateway.upgrade_schema(merchant, &code).await?.map(UpgradeSchema::from))
    }
}
