//! The list of operations. Everything per operation that a protocol or a contract needs comes
//! from here: JSON-RPC and SOAP dispatch ([`call`]), the REST routes ([`call_rest`],
//! [`descriptors`]), the names for spans and the journal, and the generated WSDL, OpenAPI,
//! OpenRPC and `docs/operations.md`. An operation added to the list but missing a piece of
//! [`Operation`] does not compile.

use tco_core::{Call, Credentials, Error, Gateway, Protocol, Result};

use crate::cross_sell::{AddCrossSellCampaignText, GetCrossSellTexts, UpdateCrossSellCampaignText};
use crate::currencies::GetAvailableCurrencies;
use crate::customers::{
    CreateCustomer, DeleteCustomerCard, GetCustomerInformation, GetCustomerInformationBySsoToken,
    GetSingleSignOnInCart, SearchCustomers, UpdateCustomerInformation,
};
use crate::operation::{Codec, Descriptor, Operation, RestRequest, invoke, invoke_rest};
use crate::orders::{GetOrder, IsValidOrderReference, IssueRefund, PlaceOrder, SearchOrders};
use crate::partners::{GetPartnerPricingLists, GetPartnerSingleSignOn, GetProductPrice, SetPartner};
use crate::price_options::{
    AddPriceOptionGroup, GetAssignedPriceOptionGroups, GetPriceOptionGroup, UpdatePriceOptionGroup,
};
use crate::product_groups::{
    AddProductGroup, AssignProductGroup, GetProductGroup, GetProductGroups, UpdateProductGroup,
};
use crate::products::{AddProduct, GetProductByCode, GetProductById, SearchProducts, UpdateProduct};
use crate::promotions::{
    AddPromotion, DeletePromotionCoupon, GetPromotion, SearchPromotions, UpdatePromotion,
    UpdatePromotionCoupon,
};
use crate::sessions::Login;
use crate::shipping::{GetShippingPrice, SearchShippingMethods};
use crate::subscription_details::{
    AddSubscriptionAdditionalInformationField, DeleteSubscriptionAdditionalInformationField,
    GetSubscriptionAdditionalInformation, GetSubscriptionAdditionalInformationField, GetSubscriptionHistory,
    GetSubscriptionPaymentInformation, RenewSubscription, UpdateSubscriptionAdditionalInformationField,
};
use crate::subscription_import::AddSubscription;
use crate::subscriptions::{
    CancelSubscription, DisableRecurringBilling, EnableRecurringBilling, EnableSubscription,
    ExtendSubscription, GetRenewalDetails, GetSubscription, GetSubscriptions, SearchSubscriptions,
    UpdateSubscription,
};
use crate::upgrades::{
    GetProductUpgradeOptions, GetProductUpgradeOptionsPrice, GetProductUpgradeSchema,
    SetProductUpgradeSchema, SetSubscriptionUpgrade,
};
use crate::upsell::{
    CreateUpSellCampaign, DeleteUpsellCampaign, GetUpsellCampaign, SearchUpsellCampaigns,
    UpdateUpsellCampaign,
};

/// A REST call's answer: the JSON text of a success, or the error with the body the vendor
/// gives it where that is not the usual `{"error_code","message"}`.
#[derive(Debug)]
pub struct RestFailure {
    pub error: Error,
    pub body: Option<serde_json::Value>,
}

/// A REST call's successful answer: its JSON text, and for a created resource its path under
/// the REST root (for `Location`).
#[derive(Debug)]
pub struct RestAnswer {
    pub json: String,
    pub location: Option<String>,
}

macro_rules! operations {
    ($($operation:ident),* $(,)?) => {
        /// An operation, named once — from a JSON-RPC method, a SOAP operation or a REST route —
        /// and dispatched by it without another look-up.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum OperationId {
            $($operation),*
        }

        impl OperationId {
            /// The vendor's name of the operation.
            pub fn name(self) -> &'static str {
                match self {
                    $(OperationId::$operation => <$operation>::NAME),*
                }
            }

            /// The JSON-RPC method or SOAP operation `name`, matched whatever its case (the
            /// vendor's backend is PHP, where method names are case-insensitive).
            pub fn positional(name: &str) -> Option<OperationId> {
                static BY_NAME: std::sync::LazyLock<std::collections::HashMap<String, OperationId>> =
                    std::sync::LazyLock::new(|| {
                        [$((<$operation>::NAME, <$operation>::POSITIONAL, OperationId::$operation)),*]
                            .into_iter()
                            .filter(|(_, positional, _)| *positional)
                            .map(|(name, _, id)| (name.to_ascii_lowercase(), id))
                            .collect()
                    });
                BY_NAME.get(name.to_ascii_lowercase().as_str()).copied()
            }
        }

        /// Every operation, in the order the contracts list them.
        pub fn descriptors() -> Vec<Descriptor> {
            vec![$(Descriptor::of::<$operation>(OperationId::$operation)),*]
        }

        /// Runs the JSON-RPC method or SOAP operation `operation` (from [`OperationId::positional`]).
        pub async fn call<C: Codec>(gateway: &Gateway, protocol: Protocol, operation: OperationId, codec: &C) -> Result<C::Encoded> {
            match operation {
                $(OperationId::$operation if <$operation>::POSITIONAL => invoke::<$operation, C>(gateway, protocol, codec).await,)*
                _ => Err(Error::UnknownOperation(format!("{} is not an operation of this service.", operation.name()))),
            }
        }

        /// Runs the REST operation `operation` (from a route of [`descriptors`]) signed with
        /// `credentials`, and answers JSON text. `request` is built only once the signature is
        /// verified, so a bad signature is answered before anything else.
        pub async fn call_rest<'r>(
            gateway: &Gateway,
            credentials: &Credentials,
            operation: OperationId,
            request: impl FnOnce() -> Result<RestRequest<'r>>,
        ) -> std::result::Result<RestAnswer, RestFailure> {
            let failure = |error| RestFailure { error, body: None };
            let call = Call::new(Protocol::Rest, operation.name());
            let merchant = gateway.authenticate(credentials, call).map_err(failure)?;
            let request = match request() {
                Ok(request) => request,
                Err(error) => {
                    gateway.journal_call(&merchant, Vec::new(), Err(error.code()), None);
                    return Err(failure(error));
                }
            };
            match operation {
                $(OperationId::$operation => match invoke_rest::<$operation>(gateway, &merchant, &request).await {
                    Ok(output) => match json(&output) {
                        Ok(json) => Ok(RestAnswer { json, location: <$operation>::location(&output) }),
                        Err(error) => Err(RestFailure { error, body: None }),
                    },
                    Err(error) => {
                        let body = <$operation>::rest_error(&error);
                        Err(RestFailure { error, body })
                    }
                },)*
            }
        }
    };
}

operations![
    Login,
    CreateCustomer,
    GetCustomerInformation,
    UpdateCustomerInformation,
    SearchCustomers,
    GetSingleSignOnInCart,
    GetCustomerInformationBySsoToken,
    DeleteCustomerCard,
    AddProduct,
    UpdateProduct,
    GetProductByCode,
    GetProductById,
    SearchProducts,
    AddPriceOptionGroup,
    UpdatePriceOptionGroup,
    GetPriceOptionGroup,
    GetAssignedPriceOptionGroups,
    AddProductGroup,
    UpdateProductGroup,
    GetProductGroup,
    GetProductGroups,
    AssignProductGroup,
    GetAvailableCurrencies,
    SetProductUpgradeSchema,
    GetProductUpgradeSchema,
    PlaceOrder,
    GetOrder,
    IssueRefund,
    IsValidOrderReference,
    SearchOrders,
    GetSubscription,
    GetSubscriptions,
    SearchSubscriptions,
    GetRenewalDetails,
    EnableRecurringBilling,
    DisableRecurringBilling,
    EnableSubscription,
    CancelSubscription,
    UpdateSubscription,
    ExtendSubscription,
    GetSubscriptionHistory,
    RenewSubscription,
    GetSubscriptionPaymentInformation,
    GetProductUpgradeOptions,
    GetProductUpgradeOptionsPrice,
    SetSubscriptionUpgrade,
    AddSubscriptionAdditionalInformationField,
    GetSubscriptionAdditionalInformationField,
    GetSubscriptionAdditionalInformation,
    UpdateSubscriptionAdditionalInformationField,
    DeleteSubscriptionAdditionalInformationField,
    AddSubscription,
    CreateUpSellCampaign,
    UpdateUpsellCampaign,
    DeleteUpsellCampaign,
    GetUpsellCampaign,
    SearchUpsellCampaigns,
    AddCrossSellCampaignText,
    UpdateCrossSellCampaignText,
    GetCrossSellTexts,
    AddPromotion,
    UpdatePromotion,
    GetPromotion,
    SearchPromotions,
    UpdatePromotionCoupon,
    DeletePromotionCoupon,
    SearchShippingMethods,
    GetShippingPrice,
    SetPartner,
    GetPartnerSingleSignOn,
    GetPartnerPricingLists,
    GetProductPrice,
];

/// The JSON-RPC methods and SOAP operations with their parameter names in positional order.
pub fn positional_operations() -> Vec<(&'static str, Vec<&'static str>)> {
    descriptors()
        .into_iter()
        .filter(|operation| operation.positional)
        .map(|operation| (operation.name, operation.params.fields.iter().map(|field| field.name).collect()))
        .collect()
}

/// A result as JSON text.
pub fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|error| {
        tracing::error!(%error, "a result could not be written as JSON");
        Error::Internal
    })
}
