//! The customers' operations: create, read, update, search, single sign-on in cart and by
//! token, stored cards, and loading customers from a data file.

use crate::customers::model::{Customer, CustomerInput, CustomerLookup, CustomerReference, FixtureCustomer};
use crate::customers::search::{SearchInput, SearchQuery};
use crate::customers::sso;
use crate::customers::sso::SignOnRequest;
use crate::customers::validation::external_lookup_key;
use crate::customers::validation::validate_customer;
use crate::customers::{CustomerStatus, SsoGrant};
use crate::error::{Error, Result, StoreError, Unique};
use crate::gateway::Gateway;
use crate::kernel::fields::plausible_token;
use crate::kernel::paging::Page;
use crate::kernel::token;
use crate::merchant::MerchantContext;
use chrono::Duration;

impl Gateway {
    pub async fn create_customer(
        &self,
        merchant: &MerchantContext,
        input: CustomerInput,
    ) -> Result<CustomerReference> {
        let fields = validate_customer(input)?;
        let reference = self
            .store()
            .insert_customer(merchant.code(), &fields, CustomerStatus::default(), &[], self.now())
            .await?;
        Ok(reference)
    }

    /// With `include_payment_data`, the customer's stored cards come along, without their
    /// transient tokens (those only come with [`Gateway::customer_by_sso_token`]).
    pub async fn get_customer(
        &self,
        merchant: &MerchantContext,
        lookup: &CustomerLookup,
        include_payment_data: bool,
    ) -> Result<Customer> {
        let mut customer = self.resolve(merchant, lookup).await?;
        if include_payment_data {
            customer.cards = self.store().cards(merchant.code(), customer.reference).await?;
            for card in &mut customer.cards {
                card.transient_token = None;
            }
        }
        Ok(customer)
    }

    /// Replaces the customer's editable fields. `target` names the customer (REST's path);
    /// without it, the `AvangateCustomerReference` inside `input` does (SOAP and JSON-RPC).
    /// `end_user_update` is the vendor's `UpdateEndUserSubscriptions` flag: the gateway has
    /// no subscriptions to copy the changes to, so it records the flag and nothing more.
    pub async fn update_customer(
        &self,
        merchant: &MerchantContext,
        target: Option<&CustomerLookup>,
        input: CustomerInput,
        end_user_update: bool,
    ) -> Result<()> {
        let named_in_body = input.avangate_reference.filter(|reference| *reference != 0);
        let fields = validate_customer(input)?;
        let lookup = match (target, named_in_body) {
            (Some(lookup), _) => lookup.clone(),
            (None, Some(reference)) => CustomerLookup::Internal(reference),
            (None, None) => return Err(Error::MissingField("AvangateCustomerReference")),
        };
        let customer = self.resolve(merchant, &lookup).await?;
        if named_in_body.is_some_and(|reference| reference != customer.reference) {
            return Err(Error::ReferenceMismatch);
        }
        let updated = self
            .store()
            .update_customer(merchant.code(), customer.reference, &fields, end_user_update, self.now())
            .await?;
        if updated { Ok(()) } else { Err(Error::CustomerNotFound) }
    }

    pub async fn search_customers(
        &self,
        merchant: &MerchantContext,
        input: SearchInput,
    ) -> Result<Page<Customer>> {
        let query = SearchQuery::try_from(input)?;
        let (items, count) = self.store().search_customers(merchant.code(), &query).await?;
        Ok(Page { items, page: query.page, limit: query.limit, count })
    }

    // ----- single sign-on and cards -----

    /// `getSingleSignOnInCart`: a single-use token for the customer, appended to `url` as
    /// `logintoken`.
    pub async fn sign_on_in_cart(
        &self,
        merchant: &MerchantContext,
        lookup: &CustomerLookup,
        request: SignOnRequest,
    ) -> Result<String> {
        let request = sso::validate(request)?;
        let customer = self.resolve(merchant, lookup).await?;
        let validity = Duration::seconds(request.validity_secs);
        let token =
            self.grant_token(merchant.code(), customer.reference, validity, request.validation_ip).await?;
        Ok(sso::append_token(&request.url, &token))
    }

    /// A new single-use token for the customer, valid for `validity`: what
    /// `getSingleSignOnInCart` and the hosted cart hand out.
    pub(crate) async fn grant_token(
        &self,
        merchant_code: &str,
        customer_reference: CustomerReference,
        validity: Duration,
        validation_ip: Option<String>,
    ) -> Result<String> {
        let token = token::new_token(self.random())?;
        let grant = SsoGrant {
            digest: token::digest(&token),
            merchant_code: merchant_code.to_owned(),
            customer_reference,
            validation_ip,
            expires_at: crate::kernel::dates::shifted(self.now(), validity),
        };
        self.store().insert_sso_grant(&grant, self.settings().max_sso_tokens_per_merchant).await?;
        Ok(token)
    }

    /// Spends a single-use token: its grant, unless it is unknown, used or expired.
    pub(crate) async fn spend_token(&self, merchant_code: &str, token: &str) -> Result<SsoGrant> {
        let token = token.trim();
        if !plausible_token(token) {
            return Err(Error::InvalidSsoToken);
        }
        let grant = self.store().take_sso_grant(merchant_code, &token::digest(token)).await?;
        grant.filter(|grant| self.now() < grant.expires_at).ok_or(Error::InvalidSsoToken)
    }

    /// `getCustomerInformationBySSOToken`: consumes the token and returns its customer with
    /// every stored card's transient token.
    pub async fn customer_by_sso_token(
        &self,
        merchant: &MerchantContext,
        sso_token: &str,
    ) -> Result<Customer> {
        if sso_token.trim().is_empty() {
            return Err(Error::MissingField("SSOToken"));
        }
        let grant = self.spend_token(merchant.code(), sso_token).await?;
        let mut customer = self
            .store()
            .find_customer(merchant.code(), grant.customer_reference)
            .await?
            .ok_or(Error::InvalidSsoToken)?;
        customer.cards = self.store().cards(merchant.code(), customer.reference).await?;
        Ok(customer)
    }

    pub async fn delete_card(
        &self,
        merchant: &MerchantContext,
        lookup: &CustomerLookup,
        transient_token: &str,
    ) -> Result<()> {
        let customer = self.resolve(merchant, lookup).await?;
        let transient_token = transient_token.trim();
        if !plausible_token(transient_token) {
            return Err(Error::CardNotFound);
        }
        let deleted = self.store().delete_card(merchant.code(), customer.reference, transient_token).await?;
        if deleted { Ok(()) } else { Err(Error::CardNotFound) }
    }

    /// Loads a fixture customer unless the merchant already has one with its external
    /// reference (required for fixtures, as the key that makes loading idempotent). Returns
    /// `Ok(None)` when it was already there.
    pub async fn load_fixture(
        &self,
        merchant_code: &str,
        fixture: FixtureCustomer,
    ) -> Result<Option<CustomerReference>> {
        if self.merchants().get(merchant_code).is_none() {
            return Err(Error::invalid("Merchant", format!("\"{merchant_code}\" is not configured")));
        }
        let fields = validate_customer(fixture.input)?;
        let external =
            fields.external_reference.clone().ok_or(Error::MissingField("ExternalCustomerReference"))?;
        if self.store().find_customer_by_external(merchant_code, &external).await?.is_some() {
            return Ok(None);
        }
        let mut cards = fixture.cards;
        for card in &mut cards {
            if card.transient_token.as_deref().is_none_or(str::is_empty) {
                card.transient_token = Some(token::new_token(self.random())?);
            }
        }
        let status = CustomerStatus { enabled: fixture.enabled, trial: fixture.trial };
        match self.store().insert_customer(merchant_code, &fields, status, &cards, self.now()).await {
            Ok(reference) => Ok(Some(reference)),
            // Another instance loaded the same fixture at the same moment.
            Err(StoreError::Duplicate(Unique::ExternalReference)) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn resolve(&self, merchant: &MerchantContext, lookup: &CustomerLookup) -> Result<Customer> {
        self.resolve_code(merchant.code(), lookup).await
    }

    pub(crate) async fn resolve_code(&self, code: &str, lookup: &CustomerLookup) -> Result<Customer> {
        let found = match lookup {
            CustomerLookup::Internal(reference) => self.store().find_customer(code, *reference).await?,
            CustomerLookup::External(external) => self.customer_by_external(code, external).await?,
            CustomerLookup::Both(reference, external) => {
                let customer =
                    self.store().find_customer(code, *reference).await?.ok_or(Error::CustomerNotFound)?;
                if customer.fields.external_reference != external_lookup_key(external) {
                    return Err(Error::ReferenceMismatch);
                }
                Some(customer)
            }
            CustomerLookup::InternalOrExternal(value) => {
                let as_internal = match value.parse::<CustomerReference>() {
                    Ok(reference) if value.bytes().all(|b| b.is_ascii_digit()) => {
                        self.store().find_customer(code, reference).await?
                    }
                    _ => None,
                };
                match as_internal {
                    Some(customer) => Some(customer),
                    None => self.customer_by_external(code, value).await?,
                }
            }
        };
        found.ok_or(Error::CustomerNotFound)
    }

    /// The customer with this external reference, compared in its stored (normalised) form.
    pub(crate) async fn customer_by_external(
        &self,
        merchant_code: &str,
        external: &str,
    ) -> Result<Option<Customer>> {
        match external_lookup_key(external) {
            Some(key) => Ok(self.store().find_customer_by_external(merchant_code, &key).await?),
            None => Ok(None),
        }
    }
}
