//! The catalog's operations: products, price option groups, product groups, upgrade schemas,
//! currencies, and loading a catalog from a data file (what the merchant has is left alone).

use crate::catalog::fixtures::CatalogFixture;
use crate::catalog::input::{
    PriceOptionGroupInput, ProductGroupInput, ProductInput, ProductSearchInput, UpgradeSchemaInput,
};
use crate::catalog::model::{
    PriceOptionGroup, Product, ProductFields, ProductGroup, ProductId, ProductKey, UpgradeSchema,
};
use crate::catalog::validation;
use crate::error::{Error, Result, StoreError, Unique};
use crate::gateway::Gateway;
use crate::kernel::paging::Page;
use crate::merchant::MerchantContext;

/// How often a generated code that happened to be taken is drawn again.
const CODE_ATTEMPTS: usize = 4;

impl Gateway {
    /// `addProduct`: the new product's id. Its group and price option groups must exist, its
    /// prices be in the merchant's currencies.
    pub async fn add_product(&self, merchant: &MerchantContext, input: ProductInput) -> Result<ProductId> {
        let config = self.merchant_config(merchant.code());
        let mut fields = validation::product(input, &config)?;
        self.check_references(merchant.code(), &fields).await?;
        for configuration in &mut fields.pricing_configurations {
            if configuration.code.is_empty() {
                configuration.code = self.hex_code()?;
            }
        }
        Ok(self.store().insert_product(merchant.code(), &fields, self.now()).await?)
    }

    /// `updateProduct`: replaces the product its `ProductCode` names. The type cannot change;
    /// a pricing configuration keeps its code (one sent without a code gets a new one).
    pub async fn update_product(&self, merchant: &MerchantContext, input: ProductInput) -> Result<()> {
        let config = self.merchant_config(merchant.code());
        let mut fields = validation::product(input, &config)?;
        let existing = self.product(merchant, &ProductKey::Code(fields.code.clone())).await?;
        if existing.fields.product_type != fields.product_type {
            return Err(Error::invalid("ProductType", "cannot change once the product exists"));
        }
        self.check_references(merchant.code(), &fields).await?;
        for configuration in &mut fields.pricing_configurations {
            if configuration.code.is_empty() {
                configuration.code = self.hex_code()?;
            }
        }
        if self.store().update_product(merchant.code(), &fields, self.now()).await? {
            Ok(())
        } else {
            Err(Error::ProductNotFound)
        }
    }

    /// The product group and price option groups a product names must exist.
    pub(crate) async fn check_references(&self, merchant_code: &str, fields: &ProductFields) -> Result<()> {
        if let Some(group) = &fields.group_code
            && self.store().find_product_group(merchant_code, group).await?.is_none()
        {
            return Err(Error::ProductGroupNotFound(group.clone()));
        }
        let mut codes: Vec<String> = fields
            .pricing_configurations
            .iter()
            .flat_map(|configuration| {
                configuration.price_options.iter().map(|option| option.group_code.clone())
            })
            .collect();
        codes.sort_unstable();
        codes.dedup();
        let found = self.store().find_price_option_groups(merchant_code, &codes).await?;
        match codes.iter().find(|code| !found.iter().any(|group| &group.code == *code)) {
            Some(missing) => Err(Error::PriceOptionGroupNotFound(missing.clone())),
            None => Ok(()),
        }
    }

    /// `getProductByCode` / `getProductById`.
    pub async fn product(&self, merchant: &MerchantContext, key: &ProductKey) -> Result<Product> {
        let key = match key {
            ProductKey::Code(code) => {
                ProductKey::Code(crate::kernel::fields::lookup_code(code).ok_or(Error::ProductNotFound)?)
            }
            ProductKey::Id(id) => ProductKey::Id(*id),
        };
        self.store().find_product(merchant.code(), &key).await?.ok_or(Error::ProductNotFound)
    }

    pub async fn search_products(
        &self,
        merchant: &MerchantContext,
        input: ProductSearchInput,
    ) -> Result<Page<Product>> {
        let query = validation::product_query(input)?;
        let (items, count) = self.store().search_products(merchant.code(), &query).await?;
        Ok(Page { items, page: query.page, limit: query.limit, count })
    }

    /// `addPriceOptionGroup`: the group's code (generated when none is sent).
    pub async fn add_price_option_group(
        &self,
        merchant: &MerchantContext,
        input: PriceOptionGroupInput,
    ) -> Result<String> {
        let config = self.merchant_config(merchant.code());
        let mut group = validation::price_option_group(input, &config)?;
        let generated = group.code.is_empty();
        for attempt in 1..=CODE_ATTEMPTS {
            if generated {
                group.code = self.hex_code()?;
            }
            match self.store().insert_price_option_group(merchant.code(), &group).await {
                Ok(()) => return Ok(group.code),
                Err(StoreError::Duplicate(Unique::PriceOptionGroupCode))
                    if generated && attempt < CODE_ATTEMPTS => {}
                Err(error) => return Err(error.into()),
            }
        }
        Err(Error::Internal)
    }

    /// `updatePriceOptionGroup`: replaces the group its `Code` names.
    pub async fn update_price_option_group(
        &self,
        merchant: &MerchantContext,
        input: PriceOptionGroupInput,
    ) -> Result<()> {
        let config = self.merchant_config(merchant.code());
        let group = validation::price_option_group(input, &config)?;
        if group.code.is_empty() {
            return Err(Error::MissingField("Code"));
        }
        if self.store().update_price_option_group(merchant.code(), &group).await? {
            Ok(())
        } else {
            Err(Error::PriceOptionGroupNotFound(group.code))
        }
    }

    pub async fn price_option_group(
        &self,
        merchant: &MerchantContext,
        code: &str,
    ) -> Result<PriceOptionGroup> {
        let missing = || Error::PriceOptionGroupNotFound(code.trim().to_owned());
        let key = crate::kernel::fields::lookup_code(code).ok_or_else(missing)?;
        self.store()
            .find_price_option_groups(merchant.code(), &[key])
            .await?
            .into_iter()
            .next()
            .ok_or_else(missing)
    }

    /// Every price option group of the merchant, in code order.
    pub async fn price_option_groups(&self, merchant: &MerchantContext) -> Result<Vec<PriceOptionGroup>> {
        Ok(self.store().price_option_groups(merchant.code()).await?)
    }

    /// `getAssignedPriceOptionGroups`: the groups the product's pricing configurations offer.
    pub async fn assigned_price_option_groups(
        &self,
        merchant: &MerchantContext,
        product_code: &str,
    ) -> Result<Vec<PriceOptionGroup>> {
        let product = self.product(merchant, &ProductKey::Code(product_code.to_owned())).await?;
        let mut codes: Vec<String> = Vec::new();
        for option in product.fields.pricing_configurations.iter().flat_map(|c| &c.price_options) {
            if !codes.contains(&option.group_code) {
                codes.push(option.group_code.clone());
            }
        }
        let mut groups = self.store().find_price_option_groups(merchant.code(), &codes).await?;
        groups.sort_by_key(|group| codes.iter().position(|code| code == &group.code));
        Ok(groups)
    }

    /// `addProductGroup`: the new group's code (10 upper-case hex digits; a `Code` sent is
    /// ignored, as the vendor's is). Names are unique per merchant, whatever their case.
    pub async fn add_product_group(
        &self,
        merchant: &MerchantContext,
        input: ProductGroupInput,
    ) -> Result<String> {
        let config = self.merchant_config(merchant.code());
        let mut group = validation::product_group(input, &config)?;
        for attempt in 1..=CODE_ATTEMPTS {
            group.code = self.hex_code()?;
            match self.store().insert_product_group(merchant.code(), &group).await {
                Ok(()) => return Ok(group.code),
                Err(StoreError::Duplicate(Unique::ProductGroupCode)) if attempt < CODE_ATTEMPTS => {}
                Err(error) => return Err(error.into()),
            }
        }
        Err(Error::Internal)
    }

    /// `updateProductGroup`: replaces the group its `Code` names.
    pub async fn update_product_group(
        &self,
        merchant: &MerchantContext,
        input: ProductGroupInput,
    ) -> Result<()> {
        let config = self.merchant_config(merchant.code());
        let group = validation::product_group(input, &config)?;
        if group.code.is_empty() {
            return Err(Error::MissingField("Code"));
        }
        if self.store().update_product_group(merchant.code(), &group).await? {
            Ok(())
        } else {
            Err(Error::ProductGroupNotFound(group.code))
        }
    }

    pub async fn product_group(&self, merchant: &MerchantContext, code: &str) -> Result<ProductGroup> {
        let missing = || Error::ProductGroupNotFound(code.trim().to_owned());
        let key = crate::kernel::fields::lookup_code(code).ok_or_else(missing)?;
        self.store().find_product_group(merchant.code(), &key).await?.ok_or_else(missing)
    }

    pub async fn product_groups(&self, merchant: &MerchantContext) -> Result<Vec<ProductGroup>> {
        Ok(self.store().product_groups(merchant.code()).await?)
    }

    /// `assignProductGroup`: moves the product into the group.
    pub async fn assign_product_group(
        &self,
        merchant: &MerchantContext,
        product_code: &str,
        group_code: &str,
    ) -> Result<()> {
        let group = self.product_group(merchant, group_code).await?;
        let product = self.product(merchant, &ProductKey::Code(product_code.to_owned())).await?;
        if self.store().set_product_group(merchant.code(), &product.fields.code, &group.code).await? {
            Ok(())
        } else {
            Err(Error::ProductNotFound)
        }
    }

    /// `getAvailableCurrencies`: all the merchant's currencies, or those available in a country
    /// for a payment method — both given or neither.
    pub fn available_currencies(
        &self,
        merchant: &MerchantContext,
        country: Option<&str>,
        payment_method: Option<&str>,
    ) -> Result<Vec<crate::settings::Currency>> {
        let config = self.merchant_config(merchant.code());
        fn given(value: Option<&str>) -> Option<&str> {
            value.map(str::trim).filter(|value| !value.is_empty())
        }
        match (given(country), given(payment_method)) {
            (None, None) => Ok(config.currencies.clone()),
            (Some(_), None) => Err(Error::MissingField("paymentMethod (required with countryCode)")),
            (None, Some(_)) => Err(Error::MissingField("countryCode (required with paymentMethod)")),
            (Some(country), Some(method)) => {
                if !crate::kernel::iso::is_country_code(&country.to_ascii_lowercase()) {
                    return Err(Error::invalid(
                        "countryCode",
                        format!("\"{country}\" is not an ISO 3166-1 alpha-2 country code"),
                    ));
                }
                Ok(config.available(country, method).into_iter().cloned().collect())
            }
        }
    }

    /// `setProductUpgradeSchema`: the schema as stored. The product and every product it may be
    /// upgraded from must exist.
    pub async fn set_upgrade_schema(
        &self,
        merchant: &MerchantContext,
        product_code: &str,
        input: UpgradeSchemaInput,
    ) -> Result<UpgradeSchema> {
        let product = self.product(merchant, &ProductKey::Code(product_code.to_owned())).await?;
        let schema = validation::upgrade_schema(input)?;
        for code in &schema.allow_upgrade_from {
            let known = self.store().find_product(merchant.code(), &ProductKey::Code(code.clone())).await?;
            if known.is_none() {
                return Err(Error::invalid(
                    "AllowUpgradeFrom",
                    format!("the merchant has no product {code}"),
                ));
            }
        }
        if self.store().set_upgrade_schema(merchant.code(), &product.fields.code, &schema).await? {
            Ok(schema)
        } else {
            Err(Error::ProductNotFound)
        }
    }

    /// `getProductUpgradeSchema`: `None` when the product has none.
    pub async fn upgrade_schema(
        &self,
        merchant: &MerchantContext,
        product_code: &str,
    ) -> Result<Option<UpgradeSchema>> {
        let product = self.product(merchant, &ProductKey::Code(product_code.to_owned())).await?;
        Ok(self.store().upgrade_schema(merchant.code(), &product.fields.code).await?)
    }

    /// Ten upper-case hex digits, the vendor's form for generated codes.
    pub(crate) fn hex_code(&self) -> Result<String> {
        Ok(hex::encode_upper(crate::kernel::token::random_bytes::<5>(self.random())?))
    }
}

/// Whether an insert added the row; a duplicate means another instance loaded it first.
pub(super) fn absent(result: std::result::Result<(), StoreError>, unique: Unique) -> Result<bool> {
    match result {
        Ok(()) => Ok(true),
        Err(StoreError::Duplicate(rule)) if rule == unique => Ok(false),
        Err(error) => Err(error.into()),
    }
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
