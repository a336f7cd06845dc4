//! A merchant's catalog from its data file, loaded at start: what the merchant already has (by
//! code) is left as it is, so loading twice, or from several instances, adds nothing. Codes are
//! kept as the file gives them, so sample data can use the vendor's documented codes.

use super::input::{PriceOptionGroupInput, ProductGroupInput, ProductInput, UpgradeSchemaInput};
use super::model::ProductKey;
use super::validation;
use crate::error::{Error, Result, StoreError, Unique};
use crate::gateway::Gateway;

/// Everything of a merchant's catalog a data file can hold.
#[derive(Debug, Clone, Default)]
pub struct CatalogFixture {
    /// Each with its `Code`.
    pub product_groups: Vec<ProductGroupInput>,
    /// Each with its `Code`.
    pub price_option_groups: Vec<PriceOptionGroupInput>,
    pub products: Vec<ProductInput>,
    /// Product code and the schema it gets when it has none.
    pub upgrade_schemas: Vec<(String, UpgradeSchemaInput)>,
}

impl Gateway {
    /// Loads the fixture for `merchant_code`; returns how many objects were added.
    pub async fn load_catalog(&self, merchant_code: &str, fixture: CatalogFixture) -> Result<usize> {
        if self.merchants().get(merchant_code).is_none() {
            return Err(Error::invalid("Merchant", format!("\"{merchant_code}\" is not configured")));
        }
        let config = self.merchant_config(merchant_code);
        let store = self.store();
        let mut added = 0;
        for input in fixture.product_groups {
            let group = validation::product_group(input, &config)?;
            if group.code.is_empty() {
                return Err(Error::MissingField("ProductGroups.Code"));
            }
            if store.find_product_group(merchant_code, &group.code).await?.is_none() {
                added += usize::from(absent(
                    store.insert_product_group(merchant_code, &group).await,
                    Unique::ProductGroupCode,
                )?);
            }
        }
        for input in fixture.price_option_groups {
            let group = validation::price_option_group(input, &config)?;
            if group.code.is_empty() {
                return Err(Error::MissingField("PriceOptionGroups.Code"));
            }
            if store
                .find_price_option_groups(merchant_code, std::slice::from_ref(&group.code))
                .await?
                .is_empty()
            {
                added += usize::from(absent(
                    store.insert_price_option_group(merchant_code, &group).await,
                    Unique::PriceOptionGroupCode,
                )?);
            }
        }
        for input in fixture.products {
            let mut fields = validation::product(input, &config)?;
            if store.find_product(merchant_code, &ProductKey::Code(fields.code.clone())).await?.is_some() {
                continue;
            }
            self.check_references(merchant_code, &fields).await?;
            for (index, configuration) in fields.pricing_configurations.iter_mut().enumerate() {
                if configuration.code.is_empty() {
                    // Stable across instances loading the same file.
                    configuration.code = format!("{}-{}", fields.code, index + 1);
                }
            }
            match store.insert_product(merchant_code, &fields, self.now()).await {
                Ok(_) => added += 1,
                Err(StoreError::Duplicate(Unique::ProductCode)) => {}
                Err(error) => return Err(error.into()),
            }
        }
        for (product_code, input) in fixture.upgrade_schemas {
            let schema = validation::upgrade_schema(input)?;
            if store.upgrade_schema(merchant_code, &product_code).await?.is_none()
                && store.set_upgrade_schema(merchant_code, &product_code, &schema).await?
            {
                added += 1;
            }
        }
        Ok(added)
    }
}

/// Whether an insert added the row; a duplicate means another instance loaded it first.
pub(crate) fn absent(result: std::result::Result<(), StoreError>, unique: Unique) -> Result<bool> {
    match result {
        Ok(()) => Ok(true),
        Err(StoreError::Duplicate(rule)) if rule == unique => Ok(false),
        Err(error) => Err(error.into()),
    }
}
