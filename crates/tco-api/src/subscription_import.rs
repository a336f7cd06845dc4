//! `addSubscription` (REST `POST /subscriptions/`): importing a subscription bought elsewhere,
//! as the Python SDK's `Subscription.create` and the vendor's samples send it.

use tco_core::{Error, ErrorCode, Gateway, MerchantContext, PaymentInput, Result, SubscriptionImportInput};

use crate::money::Money;
use crate::operation::{Method, Operation, Route};
use crate::orders::PaymentMethod;
use crate::subscriptions::{EndUser, SubscriptionProduct};
use crate::{wire_object, wire_params};

wire_object! {
    /// A subscription to import: its `Product` (by `ProductCode`, else `ProductId`, with
    /// `ProductQuantity` and `PriceOptionCodes`), `EndUser`, `StartDate` and `ExpirationDate`
    /// (`YYYY-MM-DD`), the customer's `ExternalCustomerReference` (found, or created from the
    /// end user), and optionally the `Payment` card it renews with and its `NextRenewalPrice`.
    pub struct SubscriptionImport as "SubscriptionImport" {
        ExternalSubscriptionReference: Option<String>,
        StartDate: Option<String>,
        ExpirationDate: Option<String>,
        RecurringEnabled: Option<bool>,
        Product: Option<SubscriptionProduct>,
        EndUser: Option<EndUser>,
        ExternalCustomerReference: Option<String>,
        NextRenewalPrice: Option<Money>,
        NextRenewalPriceCurrency: Option<String>,
        Payment: Option<PaymentMethod>,
        Test: Option<bool>,
    }
}

wire_params! {
    pub struct AddSubscriptionParams as "addSubscription" {
        Subscription: Option<SubscriptionImport> = body,
    }
}

/// `addSubscription`.
#[derive(Debug)]
pub struct AddSubscription;

impl Operation for AddSubscription {
    const NAME: &'static str = "addSubscription";
    const DOC: &'static str = "Imports a subscription bought elsewhere and returns its new SubscriptionReference. It \
         has no order: getSubscription shows it with its end user and no LatestSubscriptionOrder until it renews; \
         it renews in NextRenewalPriceCurrency (default: the merchant's currency), with its Payment card (a test \
         card, stored with the customer) if it came with one, at NextRenewalPrice (net, per unit; the catalog's \
         renewal price without one, or after an upgrade) for a cycle of its product. On REST: 201.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::ProductNotFound,
        ErrorCode::DuplicateExternalReference,
    ];
    const REST: &'static [Route] =
        &[Route::new(Method::Post, "/subscriptions").body(&SubscriptionImport::OBJECT).created()];
    type Params = AddSubscriptionParams;
    type Output = String;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<String> {
        let import = params.Subscription.ok_or(Error::MissingField("Subscription"))?;
        let product = import.Product.unwrap_or_default();
        let product_id = match product.ProductId.map(|text| text.0).filter(|id| !id.trim().is_empty()) {
            Some(id) => Some(
                id.trim()
                    .parse()
                    .map_err(|_| Error::invalid("Product.ProductId", format!("\"{id}\" is not an id")))?,
            ),
            None => None,
        };
        let end_user = import.EndUser.map(EndUser::into_input);
        let input = SubscriptionImportInput {
            external_subscription_reference: import.ExternalSubscriptionReference,
            start_date: import.StartDate,
            expiration_date: import.ExpirationDate,
            product_code: product.ProductCode,
            product_id,
            product_quantity: product.ProductQuantity,
            price_option_codes: product.PriceOptionCodes,
            language: end_user.as_ref().and_then(|(_, language)| language.clone()),
            end_user: end_user.map(|(address, _)| address),
            external_customer_reference: import.ExternalCustomerReference,
            recurring_enabled: import.RecurringEnabled,
            next_renewal_price: import.NextRenewalPrice.map(|money| money.0),
            next_renewal_price_currency: import.NextRenewalPriceCurrency,
            payment: import.Payment.map(|card| PaymentInput {
                card_number: card.CardNumber.map(|text| text.0),
                card_type: card.CardType,
                expiration_month: card.ExpirationMonth.map(|text| text.0),
                expiration_year: card.ExpirationYear.map(|text| text.0),
                ccid: card.CCID.map(|text| text.0),
                holder_name: card.HolderName,
                ..PaymentInput::default()
            }),
            test: import.Test,
        };
        gateway.add_subscription(merchant, input).await
    }

    fn location(reference: &String) -> Option<String> {
        Some(format!("/subscriptions/{reference}/"))
    }

    fn summary(reference: &String) -> String {
        reference.clone()
    }
}
