//! `addSubscription`: importing a subscription bought elsewhere.

use crate::catalog::{Product, ProductKey};
use crate::customers::{Card, validate_customer};
use crate::error::{Error, Result, StoreError, Unique};
use crate::gateway::Gateway;
use crate::gateway::placing::{customer_input, subscription_reference};
use crate::kernel::fields::{lookup_code, optional};
use crate::kernel::token;
use crate::merchant::MerchantContext;
use crate::orders::{OrderCustomer, RefNo, Subscription};
use crate::subscriptions::SubscriptionImport;
use crate::subscriptions::import::{NewSubscriptionImport, SubscriptionImportInput, import_fields};

impl Gateway {
    /// `addSubscription`: stores the subscription for the customer its external reference names
    /// (created from the end user when there is none) and answers its new reference. It renews
    /// in `NextRenewalPriceCurrency` (else the merchant's default currency), with its card if it
    /// came with one.
    pub async fn add_subscription(
        &self,
        merchant: &MerchantContext,
        input: SubscriptionImportInput,
    ) -> Result<String> {
        let merchant_code = merchant.code();
        let mut fields = import_fields(&input)?;
        let product = self.imported_product(merchant_code, &input).await?;
        // Renewals price the options, so they must be the product's (as its groups spell them).
        let groups = self.offered_option_groups(merchant_code, &product).await?;
        for code in &mut fields.price_options {
            let option = groups
                .iter()
                .flat_map(|group| &group.options)
                .find(|option| option.code.eq_ignore_ascii_case(code));
            *code = option.map(|option| option.code.clone()).ok_or_else(|| {
                Error::invalid(
                    "Product.PriceOptionCodes",
                    format!("{code} is not an option of {}", product.fields.code),
                )
            })?;
        }
        if fields.expiration.is_none() && product.fields.recurrence.is_some() {
            return Err(Error::MissingField("ExpirationDate"));
        }
        let config = self.merchant_config(merchant_code);
        let currency = optional("NextRenewalPriceCurrency", input.next_renewal_price_currency.clone(), 3)?
            .map(|currency| currency.to_ascii_uppercase())
            .unwrap_or_else(|| config.default_currency().to_owned());
        if !config.sells_in(&currency) {
            return Err(Error::invalid(
                "NextRenewalPriceCurrency",
                format!("{currency} is not one of the merchant's currencies"),
            ));
        }
        let external = optional("ExternalCustomerReference", input.external_customer_reference.clone(), 100)?;
        let customer = match &external {
            Some(external) => self.customer_by_external(merchant_code, external).await?.map(|c| c.reference),
            None => None,
        };
        let customer = match customer {
            Some(reference) => OrderCustomer::Existing(reference),
            None => OrderCustomer::New(Box::new(validate_customer(customer_input(
                &fields.end_user,
                external.clone(),
                Some(fields.language.clone()),
            ))?)),
        };
        let card = match &fields.card {
            Some(card) => Some(Card {
                card_type: card.card_type.clone(),
                last_digits: card.last_digits.clone(),
                expiration_month: card.expiration_month.clone(),
                expiration_year: card.expiration_year.clone(),
                name_on_card: card.holder_name.clone(),
                transient_token: Some(token::new_token(self.random())?),
            }),
            None => None,
        };
        let subscription = Subscription {
            reference: subscription_reference(self)?,
            customer_reference: 0,
            order_ref_no: RefNo::new(),
            product_code: product.fields.code.clone(),
            product_name: product.fields.name.clone(),
            quantity: fields.quantity,
            line_item_reference: String::new(),
            purchase_date: self.now(),
            start_date: fields.start,
            expiration_date: fields.expiration,
            trial: false,
            enabled: true,
            recurring_enabled: input.recurring_enabled.unwrap_or(card.is_some()),
            email: fields.end_user.email.to_lowercase(),
            country_code: fields.end_user.country_code.clone(),
            renewed_at: None,
            latest_order_ref_no: RefNo::new(),
            upgraded: None,
            end_user: None,
        };
        let import = SubscriptionImport {
            end_user: fields.end_user,
            language: fields.language,
            currency,
            price_options: fields.price_options,
            product_id: product.id,
            external_subscription_reference: optional(
                "ExternalSubscriptionReference",
                input.external_subscription_reference,
                100,
            )?,
            external_customer_reference: external,
            next_renewal_price: fields.next_renewal_price,
            card: fields.card,
            test: input.test.unwrap_or(false),
        };
        let events = self.lifecycle_events(&subscription);
        let new = NewSubscriptionImport { subscription, import, customer, card, events, now: self.now() };
        let stored = match self.store().import_subscription(merchant_code, new.clone()).await {
            // Another call created the customer with this external reference meanwhile.
            Err(StoreError::Duplicate(Unique::ExternalReference)) => {
                let external = new.import.external_customer_reference.as_deref().unwrap_or_default();
                let existing = self.customer_by_external(merchant_code, external).await?;
                let existing = existing.ok_or(Error::DuplicateExternalReference)?;
                let new =
                    NewSubscriptionImport { customer: OrderCustomer::Existing(existing.reference), ..new };
                self.store().import_subscription(merchant_code, new).await?
            }
            result => result?,
        };
        Ok(stored.reference)
    }

    /// The catalog product an import names, by `ProductCode` or else `ProductId`.
    async fn imported_product(
        &self,
        merchant_code: &str,
        input: &SubscriptionImportInput,
    ) -> Result<Product> {
        let code = input.product_code.as_deref().map(str::trim).filter(|code| !code.is_empty());
        let key = match (code, input.product_id) {
            (Some(code), _) => ProductKey::Code(lookup_code(code).ok_or(Error::ProductNotFound)?),
            (None, Some(id)) => ProductKey::Id(id),
            (None, None) => return Err(Error::MissingField("Product.ProductCode")),
        };
        self.store().find_product(merchant_code, &key).await?.ok_or(Error::ProductNotFound)
    }
}
