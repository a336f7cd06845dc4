//! The subscriptions' operations: reading and searching, recurring billing, enabling, cancelling
//! and updating, and the manual renewal link.

use crate::customers::CustomerLookup;
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::kernel::fields::lookup_code;
use crate::kernel::fields::optional;
use crate::kernel::iso;
use crate::kernel::paging::DEFAULT_PAGE_LIMIT;
use crate::kernel::paging::Page;
use crate::kernel::paging::page_and_limit;
use crate::merchant::MerchantContext;
use crate::orders::validation::date;
use crate::subscriptions::model::{
    SubscriptionChange, SubscriptionQuery, SubscriptionRecord, SubscriptionSearchInput,
    SubscriptionUpdateInput,
};
use crate::subscriptions::{cart, churn, expiration_date, plausible_reference};

/// The most references one `getSubscriptions` call reads.
/// How far one extension may move an expiration, either way (about 100 years).
pub(crate) const MAX_EXTENSION_DAYS: u64 = 36_525;

const MAX_REFERENCES: usize = 200;

impl Gateway {
    /// `getSubscription`.
    pub async fn subscription(
        &self,
        merchant: &MerchantContext,
        reference: &str,
    ) -> Result<SubscriptionRecord> {
        self.find_subscription(merchant.code(), reference).await?.ok_or(Error::SubscriptionNotFound)
    }

    pub(crate) async fn find_subscription(
        &self,
        merchant_code: &str,
        reference: &str,
    ) -> Result<Option<SubscriptionRecord>> {
        let reference = reference.trim();
        if !plausible_reference(reference) {
            return Ok(None);
        }
        let found = self.store().find_subscriptions(merchant_code, &[reference.to_owned()]).await?;
        Ok(found.into_iter().next())
    }

    /// `getSubscriptions`: each reference's subscription, in the order asked; an unknown one
    /// fails the call.
    pub async fn subscriptions(
        &self,
        merchant: &MerchantContext,
        references: &[String],
    ) -> Result<Vec<SubscriptionRecord>> {
        if references.len() > MAX_REFERENCES {
            return Err(Error::invalid(
                "subscriptionReferences",
                format!("holds more than {MAX_REFERENCES} references"),
            ));
        }
        let references: Vec<String> =
            references.iter().map(|reference| reference.trim().to_owned()).collect();
        if references.iter().any(|reference| !plausible_reference(reference)) {
            return Err(Error::SubscriptionNotFound);
        }
        let found = self.store().find_subscriptions(merchant.code(), &references).await?;
        references
            .iter()
            .map(|reference| {
                found
                    .iter()
                    .find(|record| &record.subscription.reference == reference)
                    .cloned()
                    .ok_or(Error::SubscriptionNotFound)
            })
            .collect()
    }

    /// `searchSubscriptions`: one page, newest purchase first.
    pub async fn search_subscriptions(
        &self,
        merchant: &MerchantContext,
        input: SubscriptionSearchInput,
    ) -> Result<Page<SubscriptionRecord>> {
        let Some(query) = self.subscription_query(merchant, input).await? else {
            return Ok(Page { items: Vec::new(), page: 1, limit: DEFAULT_PAGE_LIMIT, count: 0 });
        };
        let (items, count) = self.store().search_subscriptions(merchant.code(), &query).await?;
        Ok(Page { items, page: query.page, limit: query.limit, count })
    }

    /// The store's filters; `None` when they name a customer the merchant does not have.
    async fn subscription_query(
        &self,
        merchant: &MerchantContext,
        input: SubscriptionSearchInput,
    ) -> Result<Option<SubscriptionQuery>> {
        let (page, limit) = page_and_limit(input.page, input.limit, ("Page", "Limit"))?;
        let external = optional("ExternalCustomerReference", input.external_customer_reference, 100)?;
        let internal = input.avangate_customer_reference.filter(|reference| *reference != 0);
        let customer_reference = match CustomerLookup::from_references(internal, external.as_deref()) {
            None => None,
            Some(lookup) => match self.resolve_code(merchant.code(), &lookup).await {
                Ok(customer) => Some(customer.reference),
                Err(Error::CustomerNotFound | Error::ReferenceMismatch) => return Ok(None),
                Err(error) => return Err(error),
            },
        };
        let mut country_codes = Vec::new();
        for code in input.country_codes.iter().flat_map(|codes| codes.split(',')) {
            let code = code.trim().to_ascii_lowercase();
            if code.is_empty() {
                continue;
            }
            if !iso::is_country_code(&code) {
                return Err(Error::invalid(
                    "CountryCodes",
                    format!("\"{code}\" is not an ISO 3166-1 country"),
                ));
            }
            country_codes.push(code);
        }
        let asked: Vec<&str> = input
            .product_codes
            .iter()
            .flat_map(|codes| codes.split(','))
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .collect();
        // A code no product can have matches nothing; if only such codes were asked, nothing does.
        let product_codes: Vec<String> = asked.iter().filter_map(|code| lookup_code(code)).collect();
        if product_codes.is_empty() && !asked.is_empty() {
            return Ok(None);
        }
        Ok(Some(SubscriptionQuery {
            email: optional("CustomerEmail", input.customer_email, 254)?.map(|email| email.to_lowercase()),
            exact_email: input.exact_match_email.unwrap_or(false),
            customer_reference,
            enabled: input.subscription_enabled,
            recurring_enabled: input.recurring_enabled,
            product_codes,
            country_codes,
            purchased: (
                date("PurchasedAfter", input.purchased_after, false)?,
                date("PurchasedBefore", input.purchased_before, true)?,
            ),
            expires: (
                date("ExpireAfter", input.expire_after, false)?,
                date("ExpireBefore", input.expire_before, true)?,
            ),
            renewed: (
                date("RenewedAfter", input.renewed_after, false)?,
                date("RenewedBefore", input.renewed_before, true)?,
            ),
            lifetime: input.lifetime_subscription,
            page,
            limit,
        }))
    }

    /// `getRenewalDetails`: whether it renews automatically, and the link to renew it by hand
    /// in the hosted cart.
    pub async fn renewal_details(
        &self,
        merchant: &MerchantContext,
        reference: &str,
    ) -> Result<(bool, String)> {
        let record = self.subscription(merchant, reference).await?;
        Ok((record.subscription.recurring_enabled, self.manual_renewal_link(merchant.code(), &record)))
    }

    /// The hosted cart's page for renewing the subscription (a shopper signs in to it with
    /// `getSingleSignOnInCart`).
    pub fn manual_renewal_link(&self, merchant_code: &str, record: &SubscriptionRecord) -> String {
        format!(
            "{}{}?merchant={merchant_code}&LICENSE={}",
            self.public_url(),
            cart::RENEWAL_PATH,
            record.subscription.reference
        )
    }

    /// `enableRecurringBilling` and `disableRecurringBilling` (with its churn reasons). The
    /// subscription's status does not change.
    pub async fn set_recurring_billing(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        enabled: bool,
        churn_reasons: &[String],
        churn_reason_other: Option<String>,
    ) -> Result<()> {
        let churn = if enabled { None } else { churn(churn_reasons, churn_reason_other)? };
        let change =
            SubscriptionChange { recurring_enabled: Some(enabled), churn, ..SubscriptionChange::default() };
        self.change_subscription(merchant, reference, change).await
    }

    /// Enabling (REST `POST`, `enableSubscription`) or disabling (REST `DELETE`,
    /// `cancelSubscription`) the subscription itself; doing either twice is refused, as the
    /// vendor does.
    pub async fn set_subscription_enabled(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        enabled: bool,
    ) -> Result<()> {
        let record = self.subscription(merchant, reference).await?;
        match (record.subscription.enabled, enabled) {
            (true, true) => {
                return Err(Error::InvalidSubscriptionOperation(
                    "Cannot enable already enabled subscription",
                ));
            }
            (false, false) => {
                return Err(Error::InvalidSubscriptionOperation(
                    "Cannot disable already disabled subscription",
                ));
            }
            _ => {}
        }
        let change = SubscriptionChange { enabled: Some(enabled), ..SubscriptionChange::default() };
        self.change_subscription(merchant, reference, change).await
    }

    /// `updateSubscription` (REST `PUT`): `RecurringEnabled`, `SubscriptionEnabled` and a new
    /// `ExpirationDate`, which must be in the future.
    pub async fn update_subscription(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        input: SubscriptionUpdateInput,
    ) -> Result<()> {
        let expiration_date = match optional("ExpirationDate", input.expiration_date, 32)? {
            None => None,
            Some(text) => {
                let date = expiration_date(&text)?;
                if date <= self.now() {
                    return Err(Error::InvalidExpirationDate(format!("{text} is not in the future")));
                }
                Some(date)
            }
        };
        let customer = match optional("ExternalCustomerReference", input.external_customer_reference, 100)? {
            None => None,
            Some(external) => Some(
                self.customer_by_external(merchant.code(), &external)
                    .await?
                    .ok_or(Error::CustomerNotFound)?
                    .reference,
            ),
        };
        let end_user = input
            .end_user
            .map(|end_user| {
                crate::orders::validation::address(crate::orders::validation::Prefix::EndUser, end_user)
            })
            .transpose()?;
        let change = SubscriptionChange {
            enabled: input.subscription_enabled,
            recurring_enabled: input.recurring_enabled,
            expiration_date,
            customer,
            end_user,
            ..SubscriptionChange::default()
        };
        self.change_subscription(merchant, reference, change).await
    }

    /// `extendSubscription` (REST `PUT /subscriptions/{ref}/history/?Days=N`): moves the
    /// expiration by `days`; negative days shorten it. A lifetime subscription has none to move.
    pub async fn extend_subscription(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        days: i64,
    ) -> Result<()> {
        if days == 0 || days.unsigned_abs() > MAX_EXTENSION_DAYS {
            return Err(Error::invalid(
                "Days",
                format!("must be a non-zero number of days up to {MAX_EXTENSION_DAYS}"),
            ));
        }
        let record = self.subscription(merchant, reference).await?;
        let expiration = record.subscription.expiration_date.ok_or(Error::InvalidSubscriptionOperation(
            "A lifetime subscription has no expiration to extend.",
        ))?;
        let change = SubscriptionChange {
            expiration_date: Some(crate::kernel::dates::shifted(expiration, chrono::Duration::days(days))),
            ..SubscriptionChange::default()
        };
        self.change_subscription(merchant, reference, change).await
    }

    async fn change_subscription(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        change: SubscriptionChange,
    ) -> Result<()> {
        let mut changed = self.subscription(merchant, reference).await?.subscription;
        let was_recurring = changed.recurring_enabled;
        changed.enabled = change.enabled.unwrap_or(changed.enabled);
        changed.recurring_enabled = change.recurring_enabled.unwrap_or(changed.recurring_enabled);
        changed.expiration_date = change.expiration_date.or(changed.expiration_date);
        changed.customer_reference = change.customer.unwrap_or(changed.customer_reference);
        let mut events = self.licence_change_events(&changed);
        // The legacy API's INS tells the sale's recurring billing stopped.
        if was_recurring && !changed.recurring_enabled && !changed.order_ref_no.is_empty() {
            let stopped = crate::notifications::InsMessage::RecurringStopped;
            let detail = Some(changed.reference.clone());
            events.push(crate::notifications::NewEvent::ins(
                stopped,
                &changed.order_ref_no,
                self.now(),
                detail,
            ));
        }
        let change = SubscriptionChange { events, ..change };
        let changed = self
            .store()
            .update_subscription(merchant.code(), &changed.reference, &change, self.now())
            .await?;
        if changed { Ok(()) } else { Err(Error::SubscriptionNotFound) }
    }
}
