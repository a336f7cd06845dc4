//! The catalog's store port.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::catalog::{
    PriceOptionGroup, Product, ProductFields, ProductGroup, ProductId, ProductKey, ProductQuery,
    UpgradeSchema,
};
use crate::error::StoreResult;

/// Products, price option groups, product groups and upgrade schemas, per merchant like every
/// family. Codes are unique per merchant (the database says so: [`StoreError::Duplicate`]).
#[async_trait]
pub trait CatalogStore: Send + Sync + fmt::Debug {
    /// Inserts a product and returns its new id, unique across merchants.
    async fn insert_product(
        &self,
        merchant_code: &str,
        fields: &ProductFields,
        now: DateTime<Utc>,
    ) -> StoreResult<ProductId>;
    /// Replaces the product `fields.code` names (keeping its upgrade schema); `Ok(false)` when
    /// there is none.
    async fn update_product(
        &self,
        merchant_code: &str,
        fields: &ProductFields,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// With its group's name.
    async fn find_product(&self, merchant_code: &str, key: &ProductKey) -> StoreResult<Option<Product>>;
    /// One page of matches ordered by id, and the number of matches.
    async fn search_products(
        &self,
        merchant_code: &str,
        query: &ProductQuery,
    ) -> StoreResult<(Vec<Product>, u64)>;
    async fn set_product_group(
        &self,
        merchant_code: &str,
        product_code: &str,
        group_code: &str,
    ) -> StoreResult<bool>;
    async fn set_upgrade_schema(
        &self,
        merchant_code: &str,
        product_code: &str,
        schema: &UpgradeSchema,
    ) -> StoreResult<bool>;
    async fn upgrade_schema(
        &self,
        merchant_code: &str,
        product_code: &str,
    ) -> StoreResult<Option<UpgradeSchema>>;
    /// The codes of the products whose upgrade schema allows upgrading from `from_code`, in code
    /// order.
    async fn upgrade_targets(&self, merchant_code: &str, from_code: &str) -> StoreResult<Vec<String>>;

    async fn insert_price_option_group(
        &self,
        merchant_code: &str,
        group: &PriceOptionGroup,
    ) -> StoreResult<()>;
    /// Replaces the group `group.code` names; `Ok(false)` when there is none.
    async fn update_price_option_group(
        &self,
        merchant_code: &str,
        group: &PriceOptionGroup,
    ) -> StoreResult<bool>;
    /// Every price option group of the merchant, in code order.
    async fn price_option_groups(&self, merchant_code: &str) -> StoreResult<Vec<PriceOptionGroup>>;
    /// Those of `codes` the merchant has, in no particular order.
    async fn find_price_option_groups(
        &self,
        merchant_code: &str,
        codes: &[String],
    ) -> StoreResult<Vec<PriceOptionGroup>>;

    /// Names are unique per merchant whatever their case.
    async fn insert_product_group(&self, merchant_code: &str, group: &ProductGroup) -> StoreResult<()>;
    async fn update_product_group(&self, merchant_code: &str, group: &ProductGroup) -> StoreResult<bool>;
    async fn find_product_group(&self, merchant_code: &str, code: &str) -> StoreResult<Option<ProductGroup>>;
    /// Ordered by name.
    async fn product_groups(&self, merchant_code: &str) -> StoreResult<Vec<ProductGroup>>;
}
