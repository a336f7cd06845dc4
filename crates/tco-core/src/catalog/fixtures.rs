//! A merchant's catalog from its data file, loaded at start: what the merchant already has (by
//! code) is left as it is, so loading twice, or from several instances, adds nothing. Codes are
//! kept as the file gives them, so sample data can use the vendor's documented codes.

use super::input::{PriceOptionGroupInput, ProductGroupInput, ProductInput, UpgradeSchemaInput};

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
