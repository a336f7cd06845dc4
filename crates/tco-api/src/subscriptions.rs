//! Subscriptions: the vendor's Subscription object, reading and searching subscriptions,
//! `getRenewalDetails` (lower-camel keys, as documented), recurring billing, enabling,
//! disabling and updating.

use chrono::{DateTime, Utc};
use tco_core::{
    AddressInput, Error, ErrorCode, Gateway, MerchantContext, Origin, Result, SubscriptionRecord,
    SubscriptionSearchInput, SubscriptionUpdateInput,
};

use crate::customers::{PaginationOptions, Reference};
use crate::lenient::Text;
use crate::operation::{Method, Operation, RestRequest, Route};
use crate::page::Page;
use crate::{wire_object, wire_params};

/// Subscription dates as the vendor writes them.
pub(crate) fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

wire_object! {
    /// A subscription. `Status` is ACTIVE, PASTDUE (expired, within the grace period), EXPIRED
    /// or DISABLED, on the gateway's clock; `ExpirationDate` is absent for a lifetime one.
    pub struct Subscription as "Subscription" {
        SubscriptionReference: Option<String>,
        StartDate: Option<String>,
        ExpirationDate: Option<String>,
        PurchaseDate: Option<String>,
        LastRenewalDate: Option<String>,
        RecurringEnabled: Option<bool>,
        SubscriptionEnabled: Option<bool>,
        Status: Option<String>,
        Product: Option<SubscriptionProduct>,
        EndUser: Option<EndUser>,
        SKU: Option<String>,
        ReceiveNotifications: Option<bool>,
        Lifetime: Option<bool>,
        PartnerCode: Option<String>,
        AvangateCustomerReference: Option<Reference>,
        ExternalCustomerReference: Option<String>,
        ExternalSubscriptionReference: Option<String>,
        TestSubscription: Option<bool>,
        IsTrial: Option<bool>,
        MerchantCode: Option<String>,
        LatestSubscriptionOrder: Option<LatestSubscriptionOrder>,
    }
}

wire_object! {
    pub struct SubscriptionProduct as "SubscriptionProduct" {
        ProductCode: Option<String>,
        ProductId: Option<Text>,
        ProductName: Option<String>,
        ProductQuantity: Option<i64>,
        PriceOptionCodes: Vec<String>,
    }
}

wire_object! {
    /// Who uses the subscription: the billing details of the order that bought it, or an
    /// imported one's end user.
    pub struct EndUser as "EndUser" {
        FirstName: Option<String>,
        LastName: Option<String>,
        Company: Option<String>,
        Email: Option<String>,
        Phone: Option<String>,
        Address1: Option<String>,
        Address2: Option<String>,
        City: Option<String>,
        State: Option<String>,
        Zip: Option<String>,
        CountryCode: Option<String>,
        Language: Option<String>,
    }
}

impl EndUser {
    /// The end user as an address, and its language.
    pub(crate) fn into_input(self) -> (AddressInput, Option<String>) {
        let address = AddressInput {
            first_name: self.FirstName,
            last_name: self.LastName,
            company: self.Company,
            email: self.Email,
            phone: self.Phone,
            address1: self.Address1,
            address2: self.Address2,
            city: self.City,
            state: self.State,
            zip: self.Zip,
            country_code: self.CountryCode,
            ..AddressInput::default()
        };
        (address, self.Language)
    }
}

wire_object! {
    /// The latest order that paid for the subscription (its first, or its last renewal).
    pub struct LatestSubscriptionOrder as "LatestSubscriptionOrder" {
        RefNo: Option<Text>,
    }
}

impl Subscription {
    /// The subscription as it is at `now`.
    pub fn at(record: SubscriptionRecord, merchant_code: &str, gateway: &Gateway) -> Self {
        let status = record.subscription.status(gateway.now(), gateway.settings().grace_period);
        let billing = record.end_user().clone();
        let (price_options, product_id) = (record.price_options(), record.product_id());
        let (language, test) = (record.language().to_owned(), record.test());
        let external_customer_reference = record.external_customer_reference().map(str::to_owned);
        let external_subscription_reference = match &record.origin {
            Origin::Import(import) => import.external_subscription_reference.clone(),
            Origin::Order(_) => None,
        };
        let subscription = record.subscription;
        Subscription {
            StartDate: Some(day(subscription.start_date)),
            ExpirationDate: subscription.expiration_date.map(day),
            PurchaseDate: Some(day(subscription.purchase_date)),
            LastRenewalDate: subscription.renewed_at.map(day),
            RecurringEnabled: Some(subscription.recurring_enabled),
            SubscriptionEnabled: Some(subscription.enabled),
            Status: Some(status.as_str().to_owned()),
            Product: Some(SubscriptionProduct {
                // A dynamic product has no code (unless the merchant sent one) and no id.
                ProductCode: Some(subscription.product_code.clone()).filter(|code| !code.is_empty()),
                ProductId: product_id.map(|id| Text(id.to_string())),
                ProductName: Some(subscription.product_name.clone()),
                ProductQuantity: Some(i64::from(subscription.quantity)),
                PriceOptionCodes: price_options,
            }),
            EndUser: Some(EndUser {
                FirstName: Some(billing.first_name),
                LastName: Some(billing.last_name),
                Company: billing.company,
                Email: Some(billing.email),
                Phone: billing.phone,
                Address1: Some(billing.address1),
                Address2: billing.address2,
                City: Some(billing.city),
                State: billing.state,
                Zip: Some(billing.zip),
                CountryCode: Some(billing.country_code),
                Language: Some(language),
            }),
            SKU: Some(String::new()),
            ReceiveNotifications: Some(true),
            Lifetime: Some(subscription.lifetime()),
            PartnerCode: Some(String::new()),
            AvangateCustomerReference: Some(Reference(subscription.customer_reference)),
            ExternalCustomerReference: external_customer_reference,
            ExternalSubscriptionReference: external_subscription_reference,
            TestSubscription: Some(test),
            IsTrial: Some(subscription.trial),
            MerchantCode: Some(merchant_code.to_owned()),
            // An import has no order until it renews.
            LatestSubscriptionOrder: Some(subscription.latest_order_ref_no)
                .filter(|ref_no| !ref_no.is_empty())
                .map(|ref_no| LatestSubscriptionOrder { RefNo: Some(Text(ref_no)) }),
            SubscriptionReference: Some(subscription.reference),
        }
    }
}

wire_object! {
    /// `searchSubscriptions` filters. `CustomerEmail` matches a part of the end user's e-mail
    /// (any case), or all of it with `ExactMatchEmail`; dates are `YYYY-MM-DD` (UTC), the
    /// `…Before` ones inclusive; `ProductCodes` and `CountryCodes` match any of theirs.
    pub struct SubscriptionSearchOptions as "SubscriptionSearchOptions" {
        CustomerEmail: Option<String>,
        ExactMatchEmail: Option<bool>,
        AvangateCustomerReference: Option<i64>,
        ExternalCustomerReference: Option<String>,
        SubscriptionEnabled: Option<bool>,
        RecurringEnabled: Option<bool>,
        ProductCodes: Vec<String>,
        CountryCodes: Vec<String>,
        PurchasedAfter: Option<String>,
        PurchasedBefore: Option<String>,
        ExpireAfter: Option<String>,
        ExpireBefore: Option<String>,
        RenewedAfter: Option<String>,
        RenewedBefore: Option<String>,
        LifetimeSubscription: Option<bool>,
        Pagination: Option<PaginationOptions>,
    }
}

crate::paged!(Subscription as "SubscriptionSearchResult", "One page of subscriptions, newest purchase first.");

wire_object! {
    /// `getRenewalDetails`: the vendor's lower-camel keys.
    pub struct RenewalDetails as "RenewalDetails" {
        recurringEnabled: Option<bool>,
        manualRenewalLink: Option<String>,
    }
}

wire_object! {
    /// What `updateSubscription` changes; `ExpirationDate` (`YYYY-MM-DD`) must be in the future.
    pub struct SubscriptionUpdate as "SubscriptionUpdate" {
        SubscriptionReference: Option<String>,
        RecurringEnabled: Option<bool>,
        SubscriptionEnabled: Option<bool>,
        ExpirationDate: Option<String>,
        /// Moves the subscription to the merchant's customer with this external reference.
        ExternalCustomerReference: Option<String>,
        /// Who uses the subscription from now on (its `Language` is not changed).
        EndUser: Option<EndUser>,
    }
}

const ONE: &str = "/subscriptions/{SubscriptionReference}";
const RENEWAL: &str = "/subscriptions/{SubscriptionReference}/renewal";

wire_params! {
    pub struct GetSubscriptionParams as "getSubscription" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
    }
}

/// `getSubscription`.
#[derive(Debug)]
pub struct GetSubscription;

impl Operation for GetSubscription {
    const NAME: &'static str = "getSubscription";
    const DOC: &'static str = "The subscription with this reference, as it is now.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::SubscriptionNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, ONE)];
    type Params = GetSubscriptionParams;
    type Output = Subscription;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Subscription> {
        let record = gateway.subscription(merchant, &Text::or_empty(params.subscriptionReference)).await?;
        Ok(Subscription::at(record, merchant.code(), gateway))
    }

    fn summary(subscription: &Subscription) -> String {
        subscription.Status.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct GetSubscriptionsParams as "getSubscriptions" {
        subscriptionReferences: Vec<String>,
        aggregate: Option<bool>,
    }
}

/// `getSubscriptions`.
#[derive(Debug)]
pub struct GetSubscriptions;

impl Operation for GetSubscriptions {
    const NAME: &'static str = "getSubscriptions";
    const DOC: &'static str = "The subscriptions with these references (at most 200), in the order given; an \
         unknown reference fails the call. `aggregate` is accepted and changes nothing (one merchant account).";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::SubscriptionNotFound, ErrorCode::InvalidField];
    type Params = GetSubscriptionsParams;
    type Output = Vec<Subscription>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Vec<Subscription>> {
        let records = gateway.subscriptions(merchant, &params.subscriptionReferences).await?;
        Ok(records.into_iter().map(|record| Subscription::at(record, merchant.code(), gateway)).collect())
    }

    fn summary(subscriptions: &Vec<Subscription>) -> String {
        subscriptions.len().to_string()
    }
}

wire_params! {
    pub struct SearchSubscriptionsParams as "searchSubscriptions" {
        SearchBy: Option<SubscriptionSearchOptions>,
    }
}

/// `searchSubscriptions`.
#[derive(Debug)]
pub struct SearchSubscriptions;

/// REST's query parameters of the search, each a member of [`SubscriptionSearchOptions`].
const SEARCH_PARAMETERS: &[(&str, &str)] = &[
    ("CustomerEmail", "a part of the end user's e-mail (Email is read too)"),
    ("ExactMatchEmail", "true: CustomerEmail is the whole address"),
    ("AvangateCustomerReference", "the customer's reference"),
    ("ExternalCustomerReference", "the customer's external reference"),
    ("SubscriptionEnabled", "true or false"),
    ("RecurringEnabled", "true or false"),
    ("ProductCodes", "product codes: ProductCodes[]=A&ProductCodes[]=B, ProductCodes[0]=A, repeated, or A,B"),
    ("CountryCodes", "end user countries, as ProductCodes"),
    ("PurchasedAfter", "YYYY-MM-DD"),
    ("PurchasedBefore", "YYYY-MM-DD, inclusive"),
    ("ExpireAfter", "YYYY-MM-DD"),
    ("ExpireBefore", "YYYY-MM-DD, inclusive"),
    ("RenewedAfter", "YYYY-MM-DD"),
    ("RenewedBefore", "YYYY-MM-DD, inclusive"),
    ("LifetimeSubscription", "true or false"),
    ("Page", "from 1"),
    ("Limit", "from 1 to 200, default 10"),
];

impl Operation for SearchSubscriptions {
    const NAME: &'static str = "searchSubscriptions";
    const DOC: &'static str = "One page of the merchant's subscriptions, newest purchase first. A customer \
         reference the merchant does not have finds nothing.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidField];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/subscriptions").parameters(SEARCH_PARAMETERS)];
    type Params = SearchSubscriptionsParams;
    type Output = Page<Subscription>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Page<Subscription>> {
        let options = params.SearchBy.unwrap_or_default();
        let pagination = options.Pagination.unwrap_or_default();
        let input = SubscriptionSearchInput {
            customer_email: options.CustomerEmail,
            exact_match_email: options.ExactMatchEmail,
            avangate_customer_reference: options.AvangateCustomerReference,
            external_customer_reference: options.ExternalCustomerReference,
            subscription_enabled: options.SubscriptionEnabled,
            recurring_enabled: options.RecurringEnabled,
            product_codes: options.ProductCodes,
            country_codes: options.CountryCodes,
            purchased_after: options.PurchasedAfter,
            purchased_before: options.PurchasedBefore,
            expire_after: options.ExpireAfter,
            expire_before: options.ExpireBefore,
            renewed_after: options.RenewedAfter,
            renewed_before: options.RenewedBefore,
            lifetime_subscription: options.LifetimeSubscription,
            page: pagination.Page,
            limit: pagination.Limit,
        };
        let page = gateway.search_subscriptions(merchant, input).await?;
        Ok(page.map(|record| Subscription::at(record, merchant.code(), gateway)).into())
    }

    fn bind(request: &RestRequest<'_>) -> Result<Self::Params> {
        let scalars: Vec<&str> = SEARCH_PARAMETERS
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| !matches!(*name, "ProductCodes" | "CountryCodes" | "Page" | "Limit"))
            .collect();
        let mut options: SubscriptionSearchOptions = request.query_as(&scalars)?;
        if options.CustomerEmail.is_none() {
            options.CustomerEmail = request.query("Email").map(str::to_owned);
        }
        options.ProductCodes = request.query_list("ProductCodes");
        options.CountryCodes = request.query_list("CountryCodes");
        options.Pagination = Some(request.query_as(&["Page", "Limit"])?);
        Ok(SearchSubscriptionsParams { SearchBy: Some(options), ..Default::default() })
    }

    fn summary(result: &Page<Subscription>) -> String {
        result.summary()
    }
}

wire_params! {
    pub struct GetRenewalDetailsParams as "getRenewalDetails" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
    }
}

/// `getRenewalDetails`.
#[derive(Debug)]
pub struct GetRenewalDetails;

impl Operation for GetRenewalDetails {
    const NAME: &'static str = "getRenewalDetails";
    const DOC: &'static str = "Whether the subscription renews automatically, and its manual renewal link: the \
         gateway's hosted cart, where a shopper signed in with getSingleSignOnInCart (the link as its url) renews \
         it with a stored card.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::SubscriptionNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, RENEWAL)];
    type Params = GetRenewalDetailsParams;
    type Output = RenewalDetails;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<RenewalDetails> {
        let (recurring, link) =
            gateway.renewal_details(merchant, &Text::or_empty(params.subscriptionReference)).await?;
        Ok(RenewalDetails { recurringEnabled: Some(recurring), manualRenewalLink: Some(link) })
    }
}

wire_params! {
    pub struct EnableRecurringBillingParams as "enableRecurringBilling" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
    }
}

/// `enableRecurringBilling`.
#[derive(Debug)]
pub struct EnableRecurringBilling;

impl Operation for EnableRecurringBilling {
    const NAME: &'static str = "enableRecurringBilling";
    const DOC: &'static str = "Turns automatic renewal on. The subscription's status does not change.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::SubscriptionNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Post, RENEWAL)];
    type Params = EnableRecurringBillingParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let reference = Text::or_empty(params.subscriptionReference);
        gateway.set_recurring_billing(merchant, &reference, true, &[], None).await.map(|()| true)
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}

wire_params! {
    pub struct DisableRecurringBillingParams as "disableRecurringBilling" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
        ChurnReasons: Vec<String> = query_list("ChurnReasons"),
        ChurnReasonOther: Option<String> = query("ChurnReasonOther"),
    }
}

/// `disableRecurringBilling`.
#[derive(Debug)]
pub struct DisableRecurringBilling;

impl Operation for DisableRecurringBilling {
    const NAME: &'static str = "disableRecurringBilling";
    const DOC: &'static str = "Turns automatic renewal off, with the documented ChurnReasons \
         (CHURN_REASON_NOT_SATISFIED_PRODUCT, _ENABLED_BY_MISTAKE, _PREFER_MANUAL, _ALREADY_RENEWED, _DONT_NEED, \
         _WANT_PAUSE, _COVID, _HIGH_PRICE, _NOT_SATISFIED_SUPPORT, _EXTRAORDINARY, _OTHER) and ChurnReasonOther \
         (only with _OTHER or _EXTRAORDINARY). The subscription's status does not change.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::SubscriptionNotFound, ErrorCode::InvalidField];
    const REST: &'static [Route] = &[Route::new(Method::Delete, RENEWAL).parameters(&[
        ("ChurnReasons", "churn reasons, as ProductCodes of the search"),
        ("ChurnReasonOther", "text"),
    ])];
    type Params = DisableRecurringBillingParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let reference = Text::or_empty(params.subscriptionReference);
        let churn = params.ChurnReasons;
        gateway.set_recurring_billing(merchant, &reference, false, &churn, params.ChurnReasonOther).await?;
        Ok(true)
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}

wire_params! {
    pub struct EnableSubscriptionParams as "enableSubscription" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
    }
}

/// `enableSubscription` (REST `POST /subscriptions/{ref}/`).
#[derive(Debug)]
pub struct EnableSubscription;

impl Operation for EnableSubscription {
    const NAME: &'static str = "enableSubscription";
    const DOC: &'static str = "Enables a disabled subscription; enabling an enabled one is \
         INVALID_SUBSCRIPTION_OPERATION, as the vendor answers.";
    const ERRORS: &'static [ErrorCode] =
        &[ErrorCode::SubscriptionNotFound, ErrorCode::InvalidSubscriptionOperation];
    const REST: &'static [Route] = &[Route::new(Method::Post, ONE)];
    type Params = EnableSubscriptionParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let reference = Text::or_empty(params.subscriptionReference);
        gateway.set_subscription_enabled(merchant, &reference, true).await.map(|()| true)
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}

wire_params! {
    pub struct ExtendSubscriptionParams as "extendSubscription" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
        days: Option<i64> = query("Days"),
    }
}

/// `extendSubscription` (REST `PUT /subscriptions/{ref}/history/?Days=N`).
#[derive(Debug)]
pub struct ExtendSubscription;

impl Operation for ExtendSubscription {
    const NAME: &'static str = "extendSubscription";
    const DOC: &'static str = "Moves the subscription's expiration by `days` (negative days shorten it) and returns \
         true; a lifetime subscription is INVALID_SUBSCRIPTION_OPERATION.";
    const ERRORS: &'static [ErrorCode] =
        &[ErrorCode::SubscriptionNotFound, ErrorCode::InvalidSubscriptionOperation, ErrorCode::InvalidField];
    const REST: &'static [Route] =
        &[Route::new(Method::Put, "/subscriptions/{SubscriptionReference}/history")
            .parameters(&[("Days", "Days to add to the expiration (negative: to take off)")])];
    type Params = ExtendSubscriptionParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let days = params.days.ok_or(tco_core::Error::MissingField("Days"))?;
        gateway
            .extend_subscription(merchant, &Text::or_empty(params.subscriptionReference), days)
            .await
            .map(|()| true)
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}

wire_params! {
    pub struct CancelSubscriptionParams as "cancelSubscription" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
    }
}

/// `cancelSubscription` (REST `DELETE /subscriptions/{ref}/`): disables the subscription.
#[derive(Debug)]
pub struct CancelSubscription;

impl Operation for CancelSubscription {
    const NAME: &'static str = "cancelSubscription";
    const DOC: &'static str = "Disables (cancels) the subscription; disabling a disabled one is \
         INVALID_SUBSCRIPTION_OPERATION. The customer is inactive once none of its subscriptions is.";
    const ERRORS: &'static [ErrorCode] =
        &[ErrorCode::SubscriptionNotFound, ErrorCode::InvalidSubscriptionOperation];
    const REST: &'static [Route] = &[Route::new(Method::Delete, ONE)];
    type Params = CancelSubscriptionParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let reference = Text::or_empty(params.subscriptionReference);
        gateway.set_subscription_enabled(merchant, &reference, false).await.map(|()| true)
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}

wire_params! {
    pub struct UpdateSubscriptionParams as "updateSubscription" {
        Subscription: Option<SubscriptionUpdate>,
    }
}

/// `updateSubscription` (REST `PUT /subscriptions/{ref}/`).
#[derive(Debug)]
pub struct UpdateSubscription;

impl Operation for UpdateSubscription {
    const NAME: &'static str = "updateSubscription";
    const DOC: &'static str = "Changes RecurringEnabled, SubscriptionEnabled and ExpirationDate (YYYY-MM-DD, in the \
         future: else INVALID_EXPIRATION_DATE) of the subscription named by SubscriptionReference (on REST, by \
         the path); ExternalCustomerReference moves it to the merchant's customer with that external reference \
         (NOT_FOUND_CUSTOMER when there is none); fields left out stay as they are.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::SubscriptionNotFound,
        ErrorCode::InvalidExpirationDate,
        ErrorCode::NotFoundCustomer,
    ];
    const REST: &'static [Route] = &[Route::new(Method::Put, ONE).body(&SubscriptionUpdate::OBJECT)];
    type Params = UpdateSubscriptionParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let update = params.Subscription.ok_or(Error::MissingField("Subscription"))?;
        let reference = update.SubscriptionReference.ok_or(Error::MissingField("SubscriptionReference"))?;
        let input = SubscriptionUpdateInput {
            recurring_enabled: update.RecurringEnabled,
            subscription_enabled: update.SubscriptionEnabled,
            expiration_date: update.ExpirationDate,
            external_customer_reference: update.ExternalCustomerReference,
            end_user: update.EndUser.map(|end_user| end_user.into_input().0),
        };
        gateway.update_subscription(merchant, &reference, input).await.map(|()| true)
    }

    fn bind(request: &RestRequest<'_>) -> Result<Self::Params> {
        let mut update: SubscriptionUpdate = request.body()?;
        update.SubscriptionReference = request.path("SubscriptionReference").map(str::to_owned);
        Ok(UpdateSubscriptionParams { Subscription: Some(update), ..Default::default() })
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}
