//! Subscriptions — reading, searching, renewal details, recurring billing, enabling, disabling
//! and updating — on every transport, written once over [`Api::send`].

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Api;
use crate::call::{Call, RestCall, argument};
use crate::error::{ClientError, Result};
use crate::model::Pagination;

model! {
    pub struct Subscription {
        subscription_reference: Option<String> => "SubscriptionReference",
        start_date: Option<String> => "StartDate",
        expiration_date: Option<String> => "ExpirationDate",
        purchase_date: Option<String> => "PurchaseDate",
        last_renewal_date: Option<String> => "LastRenewalDate",
        recurring_enabled: Option<bool> => "RecurringEnabled",
        subscription_enabled: Option<bool> => "SubscriptionEnabled",
        status: Option<String> => "Status",
        product: Option<SubscriptionProduct> => "Product",
        end_user: Option<EndUser> => "EndUser",
        lifetime: Option<bool> => "Lifetime",
        avangate_customer_reference: Option<i64> => "AvangateCustomerReference",
        external_customer_reference: Option<String> => "ExternalCustomerReference",
        external_subscription_reference: Option<String> => "ExternalSubscriptionReference",
        test_subscription: Option<bool> => "TestSubscription",
        is_trial: Option<bool> => "IsTrial",
        merchant_code: Option<String> => "MerchantCode",
        latest_subscription_order: Option<LatestSubscriptionOrder> => "LatestSubscriptionOrder",
    }
}

model! {
    pub struct SubscriptionProduct {
        product_code: Option<String> => "ProductCode",
        product_id: Option<String> => "ProductId",
        product_name: Option<String> => "ProductName",
        product_quantity: Option<i64> => "ProductQuantity",
        price_option_codes: Vec<String> => "PriceOptionCodes",
    }
}

model! {
    pub struct EndUser {
        first_name: Option<String> => "FirstName",
        last_name: Option<String> => "LastName",
        company: Option<String> => "Company",
        email: Option<String> => "Email",
        phone: Option<String> => "Phone",
        address1: Option<String> => "Address1",
        address2: Option<String> => "Address2",
        city: Option<String> => "City",
        state: Option<String> => "State",
        zip: Option<String> => "Zip",
        country_code: Option<String> => "CountryCode",
        language: Option<String> => "Language",
    }
}

model! {
    pub struct LatestSubscriptionOrder {
        ref_no: Option<String> => "RefNo",
    }
}

model! {
    /// `searchSubscriptions` filters (`SearchBy`).
    pub struct SubscriptionSearchOptions {
        customer_email: Option<String> => "CustomerEmail",
        exact_match_email: Option<bool> => "ExactMatchEmail",
        avangate_customer_reference: Option<i64> => "AvangateCustomerReference",
        external_customer_reference: Option<String> => "ExternalCustomerReference",
        subscription_enabled: Option<bool> => "SubscriptionEnabled",
        recurring_enabled: Option<bool> => "RecurringEnabled",
        product_codes: Vec<String> => "ProductCodes",
        country_codes: Vec<String> => "CountryCodes",
        purchased_after: Option<String> => "PurchasedAfter",
        purchased_before: Option<String> => "PurchasedBefore",
        expire_after: Option<String> => "ExpireAfter",
        expire_before: Option<String> => "ExpireBefore",
        renewed_after: Option<String> => "RenewedAfter",
        renewed_before: Option<String> => "RenewedBefore",
        lifetime_subscription: Option<bool> => "LifetimeSubscription",
        pagination: Option<crate::model::PageRequest> => "Pagination",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SubscriptionSearchResult {
    pub items: Vec<Subscription>,
    pub pagination: Pagination,
}

model! {
    /// `getRenewalDetails`: the vendor's lower-camel keys.
    pub struct RenewalDetails {
        recurring_enabled: Option<bool> => "recurringEnabled",
        manual_renewal_link: Option<String> => "manualRenewalLink",
    }
}

model! {
    /// `addSubscription`: a subscription bought elsewhere.
    pub struct SubscriptionImport {
        external_subscription_reference: Option<String> => "ExternalSubscriptionReference",
        start_date: Option<String> => "StartDate",
        expiration_date: Option<String> => "ExpirationDate",
        recurring_enabled: Option<bool> => "RecurringEnabled",
        product: Option<SubscriptionProduct> => "Product",
        end_user: Option<EndUser> => "EndUser",
        external_customer_reference: Option<String> => "ExternalCustomerReference",
        next_renewal_price: Option<rust_decimal::Decimal> => "NextRenewalPrice",
        next_renewal_price_currency: Option<String> => "NextRenewalPriceCurrency",
        payment: Option<crate::PaymentMethod> => "Payment",
        test: Option<bool> => "Test",
    }
}

model! {
    /// What `updateSubscription` changes.
    pub struct SubscriptionUpdate {
        subscription_reference: Option<String> => "SubscriptionReference",
        recurring_enabled: Option<bool> => "RecurringEnabled",
        subscription_enabled: Option<bool> => "SubscriptionEnabled",
        expiration_date: Option<String> => "ExpirationDate",
        external_customer_reference: Option<String> => "ExternalCustomerReference",
        end_user: Option<EndUser> => "EndUser",
    }
}

/// The subscription operations, for every [`Api`].
#[async_trait]
pub trait SubscriptionsApi: Api {
    async fn subscription(&self, reference: &str) -> Result<Subscription> {
        let rest = RestCall::get(&["subscriptions", reference]);
        self.send(&Call::new("getSubscription", vec![json!(reference)], Some(rest))).await?.read()
    }

    /// Imports a subscription; answers its new reference (REST: 201).
    async fn add_subscription(&self, import: &SubscriptionImport) -> Result<String> {
        let body = argument(import)?;
        let rest = RestCall::post(&["subscriptions"], body.clone());
        self.send(&Call::new("addSubscription", vec![body], Some(rest))).await?.read()
    }

    /// JSON-RPC and SOAP only.
    async fn subscriptions(&self, references: &[&str]) -> Result<Vec<Subscription>> {
        let call = Call::new("getSubscriptions", vec![json!(references), json!(false)], None);
        self.send(&call).await?.read()
    }

    /// REST sends lists as the official PHP SDK does (`ProductCodes[0]=…`).
    async fn search_subscriptions(
        &self,
        options: &SubscriptionSearchOptions,
    ) -> Result<SubscriptionSearchResult> {
        let text = |value: &Option<bool>| value.map(|value| value.to_string());
        let mut rest = RestCall::get(&["subscriptions"])
            .query("CustomerEmail", options.customer_email.clone())
            .query("ExactMatchEmail", text(&options.exact_match_email))
            .query("AvangateCustomerReference", options.avangate_customer_reference.map(|r| r.to_string()))
            .query("ExternalCustomerReference", options.external_customer_reference.clone())
            .query("SubscriptionEnabled", text(&options.subscription_enabled))
            .query("RecurringEnabled", text(&options.recurring_enabled))
            .query("PurchasedAfter", options.purchased_after.clone())
            .query("PurchasedBefore", options.purchased_before.clone())
            .query("ExpireAfter", options.expire_after.clone())
            .query("ExpireBefore", options.expire_before.clone())
            .query("RenewedAfter", options.renewed_after.clone())
            .query("RenewedBefore", options.renewed_before.clone())
            .query("LifetimeSubscription", text(&options.lifetime_subscription));
        for (index, code) in options.product_codes.iter().enumerate() {
            rest = rest.query(&format!("ProductCodes[{index}]"), Some(code.clone()));
        }
        for (index, code) in options.country_codes.iter().enumerate() {
            rest = rest.query(&format!("CountryCodes[{index}]"), Some(code.clone()));
        }
        let rest = rest.page(options.pagination.as_ref());
        let call = Call::new("searchSubscriptions", vec![argument(options)?], Some(rest));
        self.send(&call).await?.read()
    }

    async fn renewal_details(&self, reference: &str) -> Result<RenewalDetails> {
        let rest = RestCall::get(&["subscriptions", reference, "renewal"]);
        self.send(&Call::new("getRenewalDetails", vec![json!(reference)], Some(rest))).await?.read()
    }

    async fn enable_recurring_billing(&self, reference: &str) -> Result<bool> {
        let rest = RestCall::new(reqwest::Method::POST, &["subscriptions", reference, "renewal"]);
        self.send(&Call::new("enableRecurringBilling", vec![json!(reference)], Some(rest))).await?.read()
    }

    async fn disable_recurring_billing(
        &self,
        reference: &str,
        churn_reasons: &[&str],
        churn_reason_other: Option<&str>,
    ) -> Result<bool> {
        let mut rest = RestCall::new(reqwest::Method::DELETE, &["subscriptions", reference, "renewal"])
            .query("ChurnReasonOther", churn_reason_other.map(str::to_owned));
        for reason in churn_reasons {
            rest = rest.query("ChurnReasons[]", Some((*reason).to_owned()));
        }
        let args = vec![json!(reference), json!(churn_reasons), json!(churn_reason_other)];
        self.send(&Call::new("disableRecurringBilling", args, Some(rest))).await?.read()
    }

    /// REST `POST /subscriptions/{ref}/`.
    async fn enable_subscription(&self, reference: &str) -> Result<bool> {
        let rest = RestCall::new(reqwest::Method::POST, &["subscriptions", reference]);
        self.send(&Call::new("enableSubscription", vec![json!(reference)], Some(rest))).await?.read()
    }

    /// REST `DELETE /subscriptions/{ref}/`.
    async fn cancel_subscription(&self, reference: &str) -> Result<bool> {
        let rest = RestCall::new(reqwest::Method::DELETE, &["subscriptions", reference]);
        self.send(&Call::new("cancelSubscription", vec![json!(reference)], Some(rest))).await?.read()
    }

    /// REST `PUT /subscriptions/{ref}/` with the update as its body.
    async fn update_subscription(&self, update: &SubscriptionUpdate) -> Result<bool> {
        let reference = update.subscription_reference.clone().unwrap_or_default();
        let mut body = update.clone();
        body.subscription_reference = None;
        let rest = RestCall::put(&["subscriptions", &reference], argument(&body)?);
        self.send(&Call::new("updateSubscription", vec![argument(update)?], Some(rest))).await?.read()
    }

    /// REST `PUT /subscriptions/{ref}/history/?Days=N`.
    async fn extend_subscription(&self, reference: &str, days: i64) -> Result<bool> {
        let rest = RestCall::new(reqwest::Method::PUT, &["subscriptions", reference, "history"])
            .query("Days", Some(days.to_string()));
        self.send(&Call::new("extendSubscription", vec![json!(reference), json!(days)], Some(rest)))
            .await?
            .read()
    }

    async fn subscription_history(&self, reference: &str) -> Result<Vec<SubscriptionHistoryRecord>> {
        let rest = RestCall::get(&["subscriptions", reference, "history"]);
        self.send(&Call::new("getSubscriptionHistory", vec![json!(reference)], Some(rest))).await?.read()
    }

    async fn renew_subscription(
        &self,
        reference: &str,
        days: i64,
        price: &str,
        currency: &str,
    ) -> Result<bool> {
        let rest = RestCall::new(reqwest::Method::POST, &["subscriptions", reference, "renew"])
            .query("Days", Some(days.to_string()))
            .query("Price", Some(price.to_owned()))
            .query("Currency", Some(currency.to_owned()));
        let price: serde_json::Value = serde_json::from_str(price)
            .map_err(|error| ClientError::Protocol(format!("price {price}: {error}")))?;
        let params = vec![json!(reference), json!(days), price, json!(currency)];
        self.send(&Call::new("renewSubscription", params, Some(rest))).await?.read()
    }

    async fn subscription_payment(&self, reference: &str) -> Result<SubscriptionPaymentInformation> {
        let rest = RestCall::get(&["subscriptions", reference, "payment"]);
        self.send(&Call::new("getSubscriptionPaymentInformation", vec![json!(reference)], Some(rest)))
            .await?
            .read()
    }

    async fn add_subscription_field(
        &self,
        reference: &str,
        name: &str,
        value: &str,
    ) -> Result<AdditionalField> {
        let rest = RestCall::post(
            &["subscriptions", reference, "additionalInformation"],
            json!({"fieldName": name, "fieldValue": value}),
        );
        let params = vec![json!(reference), json!(name), json!(value)];
        self.send(&Call::new("addSubscriptionAdditionalInformationField", params, Some(rest))).await?.read()
    }

    async fn update_subscription_field(
        &self,
        reference: &str,
        name: &str,
        value: &str,
    ) -> Result<AdditionalField> {
        let rest = RestCall::put(
            &["subscriptions", reference, "additionalInformation", name],
            json!({"fieldValue": value}),
        );
        let params = vec![json!(reference), json!(name), json!(value)];
        self.send(&Call::new("updateSubscriptionAdditionalInformationField", params, Some(rest)))
            .await?
            .read()
    }

    async fn subscription_field(&self, reference: &str, name: &str) -> Result<AdditionalField> {
        let rest = RestCall::get(&["subscriptions", reference, "additionalInformation", name]);
        let params = vec![json!(reference), json!(name)];
        self.send(&Call::new("getSubscriptionAdditionalInformationField", params, Some(rest))).await?.read()
    }

    async fn subscription_fields(&self, reference: &str) -> Result<Vec<AdditionalField>> {
        let rest = RestCall::get(&["subscriptions", reference, "additionalInformation"]);
        self.send(&Call::new("getSubscriptionAdditionalInformation", vec![json!(reference)], Some(rest)))
            .await?
            .read()
    }

    async fn delete_subscription_field(&self, reference: &str, name: &str) -> Result<bool> {
        let rest = RestCall::new(
            reqwest::Method::DELETE,
            &["subscriptions", reference, "additionalInformation", name],
        );
        let params = vec![json!(reference), json!(name)];
        self.send(&Call::new("deleteSubscriptionAdditionalInformationField", params, Some(rest)))
            .await?
            .read()
    }

    /// REST `GET /subscriptions/{ref}/upgrade/`.
    async fn upgrade_options(&self, reference: &str) -> Result<Vec<UpgradeProductInfo>> {
        let rest = RestCall::get(&["subscriptions", reference, "upgrade"]);
        self.send(&Call::new("getProductUpgradeOptions", vec![json!(reference)], Some(rest))).await?.read()
    }

    /// REST `GET /subscriptions/{ref}/upgrade/price/{ProductCode}/{CurrencyCode}/?Options=`.
    async fn upgrade_price(
        &self,
        reference: &str,
        product_code: &str,
        currency: &str,
        options: &str,
    ) -> Result<UpgradePrice> {
        let rest = RestCall::get(&["subscriptions", reference, "upgrade", "price", product_code, currency])
            .query("Options", Some(options.to_owned()).filter(|options| !options.is_empty()));
        let params = vec![json!(reference), json!(product_code), json!(currency), json!(options)];
        self.send(&Call::new("getProductUpgradeOptionsPrice", params, Some(rest))).await?.read()
    }

    /// REST `PUT /subscriptions/{ref}/upgrade/{ProductCode}/?Options=&CustomPrice=`.
    async fn set_subscription_upgrade(
        &self,
        reference: &str,
        product_code: &str,
        options: &str,
        custom_price: Option<&str>,
    ) -> Result<bool> {
        let rest =
            RestCall::new(reqwest::Method::PUT, &["subscriptions", reference, "upgrade", product_code])
                .query("Options", Some(options.to_owned()).filter(|options| !options.is_empty()))
                .query("CustomPrice", custom_price.map(str::to_owned));
        let price = match custom_price {
            Some(price) => serde_json::from_str(price)
                .map_err(|error| ClientError::Protocol(format!("price {price}: {error}")))?,
            None => serde_json::Value::Null,
        };
        let params = vec![json!(reference), json!(product_code), json!(options), price];
        self.send(&Call::new("setSubscriptionUpgrade", params, Some(rest))).await?.read()
    }
}

model! {
    /// A product of `getProductUpgradeOptions`.
    pub struct UpgradeProductInfo {
        product_id: Option<i64> => "ProductId",
        product_code: Option<String> => "ProductCode",
        product_name: Option<String> => "ProductName",
        currency: Option<String> => "Currency",
        price: Option<rust_decimal::Decimal> => "Price",
        price_type: Option<String> => "PriceType",
    }
}

model! {
    /// `getProductUpgradeOptionsPrice`.
    pub struct UpgradePrice {
        billing_price: Option<rust_decimal::Decimal> => "BillingPrice",
        billing_gross_price: Option<rust_decimal::Decimal> => "BillingGrossPrice",
        billing_currency: Option<String> => "BillingCurrency",
        quantity: Option<i64> => "Quantity",
        prorated_price: Option<rust_decimal::Decimal> => "ProratedPrice",
        prorated_gross_price: Option<rust_decimal::Decimal> => "ProratedGrossPrice",
    }
}

#[async_trait]
impl<T: Api + ?Sized> SubscriptionsApi for T {}

model! {
    /// A record of `getSubscriptionHistory`.
    pub struct SubscriptionHistoryRecord {
        reference_no: Option<String> => "ReferenceNo",
        kind: Option<String> => "Type",
        subscription_reference: Option<String> => "SubscriptionReference",
        start_date: Option<String> => "StartDate",
        expiration_date: Option<String> => "ExpirationDate",
        lifetime: Option<bool> => "Lifetime",
    }
}

model! {
    /// `getSubscriptionPaymentInformation`.
    pub struct SubscriptionPaymentInformation {
        kind: Option<String> => "Type",
        currency: Option<String> => "Currency",
        payment_method: Option<SubscriptionCard> => "PaymentMethod",
    }
}

model! {
    pub struct SubscriptionCard {
        first_digits: Option<String> => "FirstDigits",
        last_digits: Option<String> => "LastDigits",
        expiration_month: Option<String> => "ExpirationMonth",
        expiration_year: Option<String> => "ExpirationYear",
        card_type: Option<String> => "CardType",
    }
}

model! {
    /// A subscription's additional information field.
    pub struct AdditionalField {
        name: Option<String> => "fieldName",
        value: Option<String> => "fieldValue",
    }
}
