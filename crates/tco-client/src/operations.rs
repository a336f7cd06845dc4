//! The operations this client calls over JSON-RPC and SOAP, as the vendor documents them: one
//! table of names and positional parameters (session id first, except for `login`), and one
//! request builder per call. Both transports encode the same [`Request`]: JSON-RPC as the
//! `params` array, SOAP as the operation's parts, named from [`OPERATIONS`].

use serde_json::{Value, json};

use crate::error::{ClientError, Result};
use crate::model::{Customer, Reference, SearchOptions, SignOn};

/// Each operation and its parameters in positional order.
pub const OPERATIONS: &[(&str, &[&str])] = &[
    ("login", &["merchantCode", "date", "hash", "algo"]),
    ("createCustomer", &["sessionID", "Customer"]),
    ("getCustomerInformation", &["sessionID", "AvangateCustomerReference", "ExternalCustomerReference"]),
    ("updateCustomerInformation", &["sessionID", "Customer", "UpdateEndUserSubscriptions"]),
    ("searchCustomers", &["sessionID", "SearchOptions"]),
    (
        "getSingleSignOnInCart",
        &["sessionID", "CustomerReference", "customerType", "url", "validityTime", "validationIp"],
    ),
    ("getCustomerInformationBySSOToken", &["sessionID", "singleSignOnToken"]),
    ("addProduct", &["sessionID", "Product"]),
    ("updateProduct", &["sessionID", "Product"]),
    ("getProductByCode", &["sessionID", "ProductCode"]),
    ("getProductById", &["sessionID", "ProductId"]),
    ("searchProducts", &["sessionID", "SearchOptions"]),
    ("addPriceOptionGroup", &["sessionID", "PriceOptionGroup"]),
    ("updatePriceOptionGroup", &["sessionID", "PriceOptionGroup"]),
    ("getPriceOptionGroup", &["sessionID", "GroupCode"]),
    ("getAssignedPriceOptionGroups", &["sessionID", "ProductCode"]),
    ("addProductGroup", &["sessionID", "ProductGroup"]),
    ("updateProductGroup", &["sessionID", "ProductGroup"]),
    ("getProductGroup", &["sessionID", "groupCode"]),
    ("getProductGroups", &["sessionID"]),
    ("assignProductGroup", &["sessionID", "productCode", "groupCode"]),
    ("getAvailableCurrencies", &["sessionID", "countryCode", "paymentMethod"]),
    ("setProductUpgradeSchema", &["sessionID", "productCode", "UpgradeSchema"]),
    ("getProductUpgradeSchema", &["sessionID", "productCode"]),
    ("placeOrder", &["sessionID", "Order"]),
    ("getOrder", &["sessionID", "orderReference"]),
    ("issueRefund", &["sessionID", "RefNo", "amount", "items", "comment", "reason"]),
    ("isValidOrderReference", &["sessionID", "orderReference"]),
    ("searchOrders", &["sessionID", "orderSearchOptions"]),
    ("getSubscription", &["sessionID", "subscriptionReference"]),
    ("getSubscriptions", &["sessionID", "subscriptionReferences", "aggregate"]),
    ("searchSubscriptions", &["sessionID", "SearchBy"]),
    ("getRenewalDetails", &["sessionID", "subscriptionReference"]),
    ("enableRecurringBilling", &["sessionID", "subscriptionReference"]),
    ("disableRecurringBilling", &["sessionID", "subscriptionReference", "ChurnReasons", "ChurnReasonOther"]),
    ("enableSubscription", &["sessionID", "subscriptionReference"]),
    ("cancelSubscription", &["sessionID", "subscriptionReference"]),
    ("updateSubscription", &["sessionID", "Subscription"]),
    ("extendSubscription", &["sessionID", "subscriptionReference", "days"]),
    ("getSubscriptionHistory", &["sessionID", "subscriptionReference"]),
    ("renewSubscription", &["sessionID", "subscriptionReference", "days", "price", "currency"]),
    ("getSubscriptionPaymentInformation", &["sessionID", "subscriptionReference"]),
    ("getProductUpgradeOptions", &["sessionID", "subscriptionReference"]),
    (
        "getProductUpgradeOptionsPrice",
        &["sessionID", "subscriptionReference", "productCode", "currency", "options"],
    ),
    (
        "setSubscriptionUpgrade",
        &["sessionID", "subscriptionReference", "productCode", "options", "customPrice"],
    ),
    (
        "addSubscriptionAdditionalInformationField",
        &["sessionID", "subscriptionReference", "fieldName", "fieldValue"],
    ),
    (
        "updateSubscriptionAdditionalInformationField",
        &["sessionID", "subscriptionReference", "fieldName", "fieldValue"],
    ),
    ("getSubscriptionAdditionalInformationField", &["sessionID", "subscriptionReference", "fieldName"]),
    ("getSubscriptionAdditionalInformation", &["sessionID", "subscriptionReference"]),
    ("deleteSubscriptionAdditionalInformationField", &["sessionID", "subscriptionReference", "fieldName"]),
    ("addSubscription", &["sessionID", "Subscription"]),
    ("createUpSellCampaign", &["sessionID", "UpsellCampaign"]),
    ("updateUpsellCampaign", &["sessionID", "Code", "UpsellCampaign"]),
    ("deleteUpsellCampaign", &["sessionID", "Code"]),
    ("getUpsellCampaign", &["sessionID", "Code"]),
    ("searchUpsellCampaigns", &["sessionID", "Filters"]),
    ("addCrossSellCampaignText", &["sessionID", "Texts"]),
    ("updateCrossSellCampaignText", &["sessionID", "Texts"]),
    ("getCrossSellTexts", &["sessionID", "LanguageCode"]),
    ("addPromotion", &["sessionID", "Promotion"]),
    ("updatePromotion", &["sessionID", "Promotion"]),
    ("getPromotion", &["sessionID", "promotionCode"]),
    ("searchPromotions", &["sessionID", "SearchOptions"]),
    ("updatePromotionCoupon", &["sessionID", "promotionCode", "promotionCoupon"]),
    ("deletePromotionCoupon", &["sessionID", "promotionCode", "promotionCoupon"]),
    ("searchShippingMethods", &["sessionID", "SearchOptions"]),
    (
        "getShippingPrice",
        &["sessionID", "Items", "BillingDetails", "DeliveryDetails", "Currency", "CouponCodes"],
    ),
    ("setPartner", &["sessionID", "partnerCode"]),
    (
        "getPartnerSingleSignOn",
        &["sessionID", "email", "partnerCode", "accessPage", "validityTime", "validationIP"],
    ),
    ("getPartnerPricingLists", &["sessionID"]),
    ("getProductPrice", &["sessionID", "productId", "pricingListCode", "priceOptions"]),
];

/// The parameter names of `operation`.
pub(crate) fn names(operation: &str) -> &'static [&'static str] {
    OPERATIONS.iter().find(|(name, _)| *name == operation).map(|(_, names)| *names).unwrap_or(&[])
}

/// One call: the operation and its arguments after the session id (all of them for `login`).
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub operation: &'static str,
    pub args: Vec<Value>,
}

fn request(operation: &'static str, args: Vec<Value>) -> Request {
    Request { operation, args }
}

fn value<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|error| ClientError::Protocol(format!("cannot encode the request: {error}")))
}

pub(crate) fn login(merchant_code: &str, date: &str, hash: &str, algo: Option<&str>) -> Request {
    let mut args = vec![json!(merchant_code), json!(date), json!(hash)];
    if let Some(algo) = algo {
        args.push(json!(algo));
    }
    request("login", args)
}

pub(crate) fn create_customer(customer: &Customer) -> Result<Request> {
    Ok(request("createCustomer", vec![value(customer)?]))
}

pub(crate) fn get_customer(reference: &Reference) -> Request {
    let args = match reference {
        Reference::Internal(number) => vec![json!(number)],
        Reference::External(text) => vec![json!(0), json!(text)],
        Reference::Both(number, text) => vec![json!(number), json!(text)],
    };
    request("getCustomerInformation", args)
}

pub(crate) fn update_customer(customer: &Customer, end_user_update: bool) -> Result<Request> {
    Ok(request("updateCustomerInformation", vec![value(customer)?, json!(end_user_update)]))
}

pub(crate) fn search_customers(options: &SearchOptions) -> Result<Request> {
    Ok(request("searchCustomers", vec![value(options)?]))
}

pub(crate) fn sign_on_in_cart(reference: &Reference, sign_on: &SignOn) -> Request {
    let (reference, kind) = match reference {
        Reference::Internal(number) | Reference::Both(number, _) => {
            (json!(number), "AvangateCustomerReference")
        }
        Reference::External(text) => (json!(text), "ExternalCustomerReference"),
    };
    let args = vec![
        reference,
        json!(kind),
        json!(sign_on.url),
        json!(sign_on.validity_secs),
        json!(sign_on.validation_ip),
    ];
    request("getSingleSignOnInCart", args)
}

pub(crate) fn customer_by_sso_token(token: &str) -> Request {
    request("getCustomerInformationBySSOToken", vec![json!(token)])
}
