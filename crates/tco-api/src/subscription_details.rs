//! A subscription's history, payment information and additional information fields: seven
//! operations over `Gateway::subscription_history`, `subscription_payment` and the fields.

use tco_core::{ErrorCode, FieldWrite, Gateway, MerchantContext, Result};

use crate::lenient::Text;
use crate::operation::{Method, Operation, Route};
use crate::subscriptions::day;
use crate::{wire_object, wire_params};

const HISTORY: &str = "/subscriptions/{SubscriptionReference}/history";
const PAYMENT: &str = "/subscriptions/{SubscriptionReference}/payment";
const FIELDS: &str = "/subscriptions/{SubscriptionReference}/additionalInformation";
const FIELD: &str = "/subscriptions/{SubscriptionReference}/additionalInformation/{fieldName}";

wire_object! {
    /// One record of a subscription's history: the order that bought or renewed it, and the
    /// period it paid for.
    pub struct SubscriptionHistoryRecord as "SubscriptionHistoryRecord" {
        ReferenceNo: Option<String>,
        /// `PURCHASE` or `RENEWAL`.
        Type: Option<String>,
        SubscriptionReference: Option<String>,
        StartDate: Option<String>,
        ExpirationDate: Option<String>,
        Lifetime: Option<bool>,
    }
}

wire_params! {
    pub struct GetSubscriptionHistoryParams as "getSubscriptionHistory" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
    }
}

/// `getSubscriptionHistory` (REST `GET /subscriptions/{ref}/history/`).
#[derive(Debug)]
pub struct GetSubscriptionHistory;

impl Operation for GetSubscriptionHistory {
    const NAME: &'static str = "getSubscriptionHistory";
    const DOC: &'static str = "The orders that bought and renewed the subscription, oldest first: the purchase, then \
         each renewal (by the hosted cart or automatic), each with the period it paid for.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::SubscriptionNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, HISTORY)];
    type Params = GetSubscriptionHistoryParams;
    type Output = Vec<SubscriptionHistoryRecord>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Self::Output> {
        let reference = Text::or_empty(params.subscriptionReference);
        let history = gateway.subscription_history(merchant, &reference).await?;
        Ok(history
            .into_iter()
            .map(|record| SubscriptionHistoryRecord {
                ReferenceNo: Some(record.ref_no),
                Type: Some(record.kind.as_str().to_owned()),
                SubscriptionReference: Some(reference.trim().to_owned()),
                StartDate: Some(day(record.start)),
                ExpirationDate: record.expiration.map(day),
                Lifetime: Some(record.expiration.is_none()),
            })
            .collect())
    }

    fn summary(history: &Self::Output) -> String {
        format!("{} records", history.len())
    }
}

wire_object! {
    /// The card a subscription renews with (never its full number).
    pub struct SubscriptionPaymentMethod as "SubscriptionPaymentMethod" {
        FirstDigits: Option<String>,
        LastDigits: Option<String>,
        ExpirationMonth: Option<String>,
        ExpirationYear: Option<String>,
        CardUpdated: Option<bool>,
        Authorize3DSUrl: Option<String>,
        CardType: Option<String>,
    }
}

wire_object! {
    /// How a subscription is paid.
    pub struct SubscriptionPaymentInformation as "SubscriptionPaymentInformation" {
        Type: Option<String>,
        Currency: Option<String>,
        PaymentMethod: Option<SubscriptionPaymentMethod>,
    }
}

wire_params! {
    pub struct GetSubscriptionPaymentInformationParams as "getSubscriptionPaymentInformation" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
    }
}

/// `getSubscriptionPaymentInformation` (REST `GET /subscriptions/{ref}/payment/`).
#[derive(Debug)]
pub struct GetSubscriptionPaymentInformation;

impl Operation for GetSubscriptionPaymentInformation {
    const NAME: &'static str = "getSubscriptionPaymentInformation";
    const DOC: &'static str = "How the subscription renews: the payment type (CC or PAYPAL), the currency and the card's \
         safe parts (first and last digits, expiration, type).";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::SubscriptionNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, PAYMENT)];
    type Params = GetSubscriptionPaymentInformationParams;
    type Output = SubscriptionPaymentInformation;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Self::Output> {
        let payment =
            gateway.subscription_payment(merchant, &Text::or_empty(params.subscriptionReference)).await?;
        Ok(SubscriptionPaymentInformation {
            Type: Some(payment.payment_type),
            Currency: Some(payment.currency),
            PaymentMethod: payment.card.map(|card| SubscriptionPaymentMethod {
                FirstDigits: Some(card.first_digits).filter(|digits| !digits.is_empty()),
                LastDigits: Some(card.last_digits),
                ExpirationMonth: Some(card.expiration_month),
                ExpirationYear: Some(card.expiration_year),
                CardUpdated: Some(false),
                Authorize3DSUrl: None,
                CardType: Some(card.card_type),
            }),
        })
    }

    fn summary(payment: &Self::Output) -> String {
        payment.Type.clone().unwrap_or_default()
    }
}

wire_object! {
    /// An additional information field of a subscription.
    pub struct AdditionalInformationField as "AdditionalInformationField" {
        fieldName: Option<String>,
        fieldValue: Option<String>,
    }
}

fn field((name, value): (String, String)) -> AdditionalInformationField {
    AdditionalInformationField { fieldName: Some(name), fieldValue: Some(value) }
}

const FIELD_ERRORS: &[ErrorCode] = &[
    ErrorCode::SubscriptionNotFound,
    ErrorCode::SubscriptionFieldNotFound,
    ErrorCode::MissingRequiredField,
    ErrorCode::InvalidField,
];

wire_params! {
    pub struct AddSubscriptionAdditionalInformationFieldParams as "addSubscriptionAdditionalInformationField" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
        fieldName: Option<String> = body_member("fieldName"),
        fieldValue: Option<String> = body_member("fieldValue"),
    }
}

/// `addSubscriptionAdditionalInformationField` (REST `POST …/additionalInformation/`).
#[derive(Debug)]
pub struct AddSubscriptionAdditionalInformationField;

impl Operation for AddSubscriptionAdditionalInformationField {
    const NAME: &'static str = "addSubscriptionAdditionalInformationField";
    const DOC: &'static str = "Adds a field (a name and a value of 1 to 100 characters) and answers it; at most 5 fields \
         per subscription, names unique (INVALID_FIELD otherwise).";
    const ERRORS: &'static [ErrorCode] = FIELD_ERRORS;
    const REST: &'static [Route] =
        &[Route::new(Method::Post, FIELDS).body(&AdditionalInformationField::OBJECT)];
    type Params = AddSubscriptionAdditionalInformationFieldParams;
    type Output = AdditionalInformationField;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Self::Output> {
        let reference = Text::or_empty(params.subscriptionReference);
        gateway
            .write_subscription_field(
                merchant,
                &reference,
                params.fieldName,
                params.fieldValue,
                FieldWrite::Add,
            )
            .await
            .map(field)
    }

    fn summary(field: &Self::Output) -> String {
        field.fieldName.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct UpdateSubscriptionAdditionalInformationFieldParams as "updateSubscriptionAdditionalInformationField" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
        fieldName: Option<String> = path("fieldName"),
        fieldValue: Option<String> = body_member("fieldValue"),
    }
}

/// `updateSubscriptionAdditionalInformationField` (REST `PUT …/additionalInformation/{fieldName}/`).
#[derive(Debug)]
pub struct UpdateSubscriptionAdditionalInformationField;

impl Operation for UpdateSubscriptionAdditionalInformationField {
    const NAME: &'static str = "updateSubscriptionAdditionalInformationField";
    const DOC: &'static str = "Changes a field's value and answers the field.";
    const ERRORS: &'static [ErrorCode] = FIELD_ERRORS;
    const REST: &'static [Route] =
        &[Route::new(Method::Put, FIELD).body(&AdditionalInformationField::OBJECT)];
    type Params = UpdateSubscriptionAdditionalInformationFieldParams;
    type Output = AdditionalInformationField;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Self::Output> {
        let reference = Text::or_empty(params.subscriptionReference);
        gateway
            .write_subscription_field(
                merchant,
                &reference,
                params.fieldName,
                params.fieldValue,
                FieldWrite::Update,
            )
            .await
            .map(field)
    }

    fn summary(field: &Self::Output) -> String {
        field.fieldName.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct GetSubscriptionAdditionalInformationFieldParams as "getSubscriptionAdditionalInformationField" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
        fieldName: Option<String> = path("fieldName"),
    }
}

/// `getSubscriptionAdditionalInformationField` (REST `GET …/additionalInformation/{fieldName}/`).
#[derive(Debug)]
pub struct GetSubscriptionAdditionalInformationField;

impl Operation for GetSubscriptionAdditionalInformationField {
    const NAME: &'static str = "getSubscriptionAdditionalInformationField";
    const DOC: &'static str = "The field with this name.";
    const ERRORS: &'static [ErrorCode] = FIELD_ERRORS;
    const REST: &'static [Route] = &[Route::new(Method::Get, FIELD)];
    type Params = GetSubscriptionAdditionalInformationFieldParams;
    type Output = AdditionalInformationField;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Self::Output> {
        let reference = Text::or_empty(params.subscriptionReference);
        gateway.subscription_field(merchant, &reference, params.fieldName).await.map(field)
    }

    fn summary(field: &Self::Output) -> String {
        field.fieldName.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct GetSubscriptionAdditionalInformationParams as "getSubscriptionAdditionalInformation" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
    }
}

/// `getSubscriptionAdditionalInformation` (REST `GET …/additionalInformation/`).
#[derive(Debug)]
pub struct GetSubscriptionAdditionalInformation;

impl Operation for GetSubscriptionAdditionalInformation {
    const NAME: &'static str = "getSubscriptionAdditionalInformation";
    const DOC: &'static str = "The subscription's fields, in the order they were added.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::SubscriptionNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, FIELDS)];
    type Params = GetSubscriptionAdditionalInformationParams;
    type Output = Vec<AdditionalInformationField>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Self::Output> {
        let reference = Text::or_empty(params.subscriptionReference);
        Ok(gateway.subscription_fields(merchant, &reference).await?.into_iter().map(field).collect())
    }

    fn summary(fields: &Self::Output) -> String {
        format!("{} fields", fields.len())
    }
}

wire_params! {
    pub struct DeleteSubscriptionAdditionalInformationFieldParams as "deleteSubscriptionAdditionalInformationField" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
        fieldName: Option<String> = path("fieldName"),
    }
}

/// `deleteSubscriptionAdditionalInformationField` (REST `DELETE …/additionalInformation/{fieldName}/`).
#[derive(Debug)]
pub struct DeleteSubscriptionAdditionalInformationField;

impl Operation for DeleteSubscriptionAdditionalInformationField {
    const NAME: &'static str = "deleteSubscriptionAdditionalInformationField";
    const DOC: &'static str = "Removes the field and returns true.";
    const ERRORS: &'static [ErrorCode] = FIELD_ERRORS;
    const REST: &'static [Route] = &[Route::new(Method::Delete, FIELD)];
    type Params = DeleteSubscriptionAdditionalInformationFieldParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let reference = Text::or_empty(params.subscriptionReference);
        gateway.delete_subscription_field(merchant, &reference, params.fieldName).await.map(|()| true)
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}

wire_params! {
    pub struct RenewSubscriptionParams as "renewSubscription" {
        subscriptionReference: Option<Text> = path("SubscriptionReference"),
        days: Option<i64> = query("Days"),
        price: Option<crate::money::Money> = query("Price"),
        currency: Option<String> = query("Currency"),
    }
}

/// `renewSubscription` (REST `POST /subscriptions/{ref}/renew/?Days=&Price=&Currency=`, the
/// gateway's route: the vendor's REST one was not found).
#[derive(Debug)]
pub struct RenewSubscription;

impl Operation for RenewSubscription {
    const NAME: &'static str = "renewSubscription";
    const DOC: &'static str = "Renews the subscription now, charging its card: a renewal order at `price` (the net unit \
         price, the billing country's VAT added) in the subscription's `currency`, extending the expiration by `days`; \
         returns true. A disabled or lifetime subscription, one without a card, or a declined charge is \
         INVALID_SUBSCRIPTION_OPERATION.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::SubscriptionNotFound,
        ErrorCode::InvalidSubscriptionOperation,
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
    ];
    const REST: &'static [Route] =
        &[Route::new(Method::Post, "/subscriptions/{SubscriptionReference}/renew").parameters(&[
            ("Days", "Days the renewal adds"),
            ("Price", "The renewal's net unit price"),
            ("Currency", "The subscription's currency"),
        ])];
    type Params = RenewSubscriptionParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let reference = Text::or_empty(params.subscriptionReference);
        let price = params.price.map(|price| price.0);
        gateway
            .renew_subscription(merchant, &reference, params.days, price, params.currency)
            .await
            .map(|()| true)
    }

    fn summary(done: &bool) -> String {
        done.to_string()
    }
}
