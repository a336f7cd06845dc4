//! The catalog: products and their pricing, price option groups, product groups, upgrade
//! schemas, and the merchant's currencies.
//!
//! Here are the family's types, rules and store port; its operations are `Gateway` methods in
//! `gateway/catalog.rs`.

mod store;
pub use store::CatalogStore;
pub(crate) mod fixtures;
pub(crate) mod input;
pub(crate) mod model;
pub(crate) mod validation;

pub use fixtures::CatalogFixture;
pub use input::{
    AmountInput, OptionChoiceInput, PriceImpactInput, PriceInput, PriceOptionGroupInput, PriceOptionInput,
    PriceOptionUseInput, PricingConfigurationInput, ProductGroupInput, ProductInput, ProductSearchInput,
    SubscriptionImpactInput, UpgradeSchemaInput,
};
pub use model::{
    Amount, CycleUnit, Impact, ImpactMethod, OptionChoice, OptionGroupType, Price, PriceImpact, PriceOption,
    PriceOptionGroup, PriceOptionUse, PriceType, PricingConfiguration, PricingSchema, Product, ProductFields,
    ProductGroup, ProductId, ProductKey, ProductQuery, ProductType, Recurrence, SubscriptionImpact,
    UpgradeSchema,
};
