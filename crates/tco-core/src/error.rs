//! The one error catalogue. Every failure any protocol can report is an [`Error`]; each has a
//! stable [`ErrorCode`] whose string is what REST puts in `error_code`, JSON-RPC in
//! `error.data.error_code` and SOAP in `faultcode`. Adapters map codes to their protocol in
//! exactly one function each; `docs/errors.md` is the table, and a test keeps them in step.

use std::fmt;

/// Declares the catalogue: each code with its stable string, its REST status, its JSON-RPC code
/// and whether it is a fault of the gateway itself (its message says little on the wire and the
/// detail goes to the log). Adapters read these; `docs/errors.md` shows them.
macro_rules! catalogue {
    ($($(#[$doc:meta])* $variant:ident = $text:literal, $status:literal, $rpc:literal, $server:literal;)*) => {
        /// A stable, protocol-neutral error code. The strings never change once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in catalogue order (the order of `docs/errors.md`).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text,)* }
            }

            /// The HTTP status REST answers with.
            pub const fn http_status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* }
            }

            /// The JSON-RPC `error.code`. Application codes stay outside −32768…−32000, which
            /// JSON-RPC reserves; protocol-level failures use its standard codes.
            pub const fn jsonrpc_code(self) -> i32 {
                match self { $(ErrorCode::$variant => $rpc,)* }
            }

            /// True for failures of the gateway itself rather than of the request.
            pub const fn is_server_fault(self) -> bool {
                match self { $(ErrorCode::$variant => $server,)* }
            }
        }
    };
}

catalogue! {
    // The vendor's own JSON-RPC codes (GermanKingYT/Avangate-Smart-Api-Client).
    AuthenticationError = "AUTHENTICATION_ERROR", 401, 10000, false;
    InvalidSession = "INVALID_SESSION", 401, 10001, false;
    SessionExpired = "SESSION_EXPIRED", 401, 10002, false;
    // Project decisions: the vendor documents no codes for customer methods.
    MissingRequiredField = "MISSING_REQUIRED_FIELD", 400, 40001, false;
    InvalidField = "INVALID_FIELD", 400, 40002, false;
    FiscalCodeWithoutCompany = "FISCAL_CODE_WITHOUT_COMPANY", 400, 40003, false;
    DuplicateExternalReference = "DUPLICATE_EXTERNAL_REFERENCE", 400, 40004, false;
    ReferenceMismatch = "REFERENCE_MISMATCH", 400, 40005, false;
    NotFoundCustomer = "NOT_FOUND_CUSTOMER", 404, 40401, false;
    NotFoundCard = "NOT_FOUND_CARD", 400, 40006, false;
    InvalidSsoToken = "INVALID_SSO_TOKEN", 400, 40007, false;
    // The catalog. PRODUCT_NOT_FOUND is the vendor's (Channel Manager `getProductPrice`); the
    // others are project decisions in its pattern.
    ProductNotFound = "PRODUCT_NOT_FOUND", 404, 40402, false;
    ProductGroupNotFound = "PRODUCT_GROUP_NOT_FOUND", 404, 40403, false;
    PriceOptionGroupNotFound = "PRICE_OPTION_GROUP_NOT_FOUND", 404, 40404, false;
    DuplicateProductCode = "DUPLICATE_PRODUCT_CODE", 400, 40008, false;
    DuplicateProductGroupName = "DUPLICATE_PRODUCT_GROUP_NAME", 400, 40009, false;
    DuplicatePriceOptionGroupCode = "DUPLICATE_PRICE_OPTION_GROUP_CODE", 400, 40010, false;
    // Orders. The ORDER_… codes are the vendor's (KC "Error handling for API 6.0"); the others
    // are project decisions for rules the vendor documents without a readable code.
    OrderNotFound = "ORDER_NOT_FOUND", 404, 40405, false;
    OrderProductsEmpty = "ORDER_PRODUCTS_EMPTY", 400, 40011, false;
    OrderProductCodeInvalid = "ORDER_PRODUCT_CODE_INVALID", 400, 40012, false;
    OrderItemsQuantityInvalid = "ORDER_ITEMS_QUANTITY_INVALID", 400, 40013, false;
    DuplicateOrderExternalReference = "DUPLICATE_ORDER_EXTERNAL_REFERENCE", 400, 40014, false;
    PreviousOrderNotFound = "PREVIOUS_ORDER_NOT_FOUND", 400, 40015, false;
    PreviousOrderNotPaid = "PREVIOUS_ORDER_NOT_PAID", 400, 40016, false;
    PreviousOrderPaymentMethod = "PREVIOUS_ORDER_PAYMENT_METHOD", 400, 40017, false;
    PreviousOrderEmailMismatch = "PREVIOUS_ORDER_EMAIL_MISMATCH", 400, 40018, false;
    // Refunds: the vendor's messages (KC issueRefund pages); its codes were not found, so these
    // four name their families.
    InvalidRefundAmount = "INVALID_REFUND_AMOUNT", 400, 40031, false;
    InvalidRefundItems = "INVALID_REFUND_ITEMS", 400, 40032, false;
    InvalidRefundReason = "INVALID_REFUND_REASON", 400, 40033, false;
    RefundNotAllowed = "REFUND_NOT_ALLOWED", 400, 40034, false;
    // Subscriptions. INVALID_SUBSCRIPTION_OPERATION and INVALID_EXPIRATION_DATE are the
    // vendor's (its SDKs' integration tests); SUBSCRIPTION_NOT_FOUND is a project decision.
    SubscriptionNotFound = "SUBSCRIPTION_NOT_FOUND", 404, 40406, false;
    InvalidSubscriptionOperation = "INVALID_SUBSCRIPTION_OPERATION", 400, 40019, false;
    InvalidExpirationDate = "INVALID_EXPIRATION_DATE", 400, 40020, false;
    SubscriptionFieldNotFound = "SUBSCRIPTION_FIELD_NOT_FOUND", 404, 40411, false;
    // Campaigns and shipping (the gateway's names: the vendor documents none).
    UpsellCampaignNotFound = "UPSELL_CAMPAIGN_NOT_FOUND", 404, 40407, false;
    PromotionNotFound = "PROMOTION_NOT_FOUND", 404, 40408, false;
    CrossSellTextNotFound = "CROSS_SELL_TEXT_NOT_FOUND", 404, 40409, false;
    InvalidCoupon = "INVALID_COUPON", 400, 40021, false;
    DuplicateCouponCode = "DUPLICATE_COUPON_CODE", 400, 40022, false;
    InvalidShippingMethod = "INVALID_SHIPPING_METHOD", 400, 40023, false;
    ProductNotTangible = "PRODUCT_NOT_TANGIBLE", 400, 40024, false;
    // Channel Manager: the vendor's codes and messages (KC Channel Manager pages, SEED-2, SEED-4).
    InvalidPartner = "INVALID_PARTNER", 400, 40025, false;
    InvalidEmail = "INVALID_EMAIL", 400, 40026, false;
    InvalidUser = "INVALID_USER", 400, 40027, false;
    InvalidUrl = "INVALID_URL", 400, 40028, false;
    InvalidValidityTime = "INVALID_VALIDITY_TIME", 400, 40029, false;
    ProductError = "PRODUCT_ERROR", 400, 40030, false;
    PartnerPricingListsNotFound = "PARTNER_PRICING_LISTS_NOT_FOUND", 404, 40410, false;
    // The cart signature service (the gateway's name: the vendor documents no error body).
    InvalidMerchantToken = "INVALID_MERCHANT_TOKEN", 401, 10003, false;
    // Protocol-level failures keep JSON-RPC's standard codes.
    MalformedRequest = "MALFORMED_REQUEST", 400, -32602, false;
    RequestTooLarge = "REQUEST_TOO_LARGE", 413, -32600, false;
    UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE", 415, -32600, false;
    MethodNotAllowed = "METHOD_NOT_ALLOWED", 405, -32600, false;
    UnknownOperation = "UNKNOWN_OPERATION", 404, -32601, false;
    /// A SOAP header the gateway must understand but does not (SOAP's own fault code).
    MustUnderstand = "MUST_UNDERSTAND", 400, -32600, false;
    ConcurrentUpdate = "CONCURRENT_UPDATE", 409, 40901, false;
    /// Never on the wire: an injected fault closes the connection without an answer.
    ConnectionDropped = "CONNECTION_DROPPED", 503, 50004, true;
    ServiceUnavailable = "SERVICE_UNAVAILABLE", 503, 50003, true;
    InternalError = "INTERNAL_ERROR", 500, -32603, true;
}

impl ErrorCode {
    /// The code with this string, in any case.
    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|code| code.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every failure of an operation. The `Display` text is the message clients see.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Unknown merchant and wrong hash deliberately share this variant and its message.
    #[error("Authentication failed: invalid merchant code or hash.")]
    AuthenticationFailed,
    #[error(
        "Authentication failed: the date \"{date}\" is more than {window_secs} seconds away from the server's UTC time."
    )]
    DateOutsideWindow { date: String, window_secs: i64 },
    #[error("Authentication failed: the date must be UTC in the format YYYY-MM-DD HH:MM:SS.")]
    MalformedDate,
    #[error(
        "Authentication failed: unsupported hash algorithm \"{0}\"; use md5 (the default), sha256 or sha3-256."
    )]
    UnsupportedAlgorithm(String),
    #[error("Authentication failed: {0}")]
    MalformedCredentials(String),
    #[error("Invalid session: the session id is unknown. Log in again.")]
    InvalidSession,
    #[error("Session expired: log in again.")]
    SessionExpired,
    #[error("{0} is required.")]
    MissingField(&'static str),
    #[error("{field} is invalid: {reason}.")]
    InvalidField { field: &'static str, reason: String },
    /// A value that cannot be read as what its name calls for (a REST query parameter); the
    /// text names it.
    #[error("{0}")]
    InvalidValue(String),
    #[error("FiscalCode requires Company: a customer with a fiscal code (VAT ID) must have a company name.")]
    FiscalCodeWithoutCompany,
    #[error("The ExternalCustomerReference is used by another customer account.")]
    DuplicateExternalReference,
    #[error("AvangateCustomerReference and ExternalCustomerReference do not belong to the same customer.")]
    ReferenceMismatch,
    #[error("Customer not found.")]
    CustomerNotFound,
    #[error("No stored card of this customer has this transient token.")]
    CardNotFound,
    #[error("The single sign-on token is unknown, already used or expired.")]
    InvalidSsoToken,
    #[error("There is no product with this code or id.")]
    ProductNotFound,
    #[error("There is no product group with the code \"{0}\".")]
    ProductGroupNotFound(String),
    #[error("There is no price option group with the code \"{0}\".")]
    PriceOptionGroupNotFound(String),
    #[error("The ProductCode is used by another product.")]
    DuplicateProductCode,
    #[error("Another product group has this name.")]
    DuplicateProductGroupName,
    #[error("Another price option group has this code.")]
    DuplicatePriceOptionGroupCode,
    #[error("There is no order with this reference.")]
    OrderNotFound,
    #[error("The order has no items.")]
    OrderProductsEmpty,
    /// The vendor's two messages: for an item without a code, and for a code it does not sell.
    #[error("{}", if .0.is_empty() { "Invalid product code.".to_owned() } else { format!("Requested product [{}] was not found.", .0) })]
    OrderProductCodeInvalid(String),
    #[error("Item quantity must be between 1 and 99999 (1 for a product sold one unit at a time).")]
    OrderItemsQuantityInvalid,
    #[error("Another order of the merchant has this ExternalReference.")]
    DuplicateOrderExternalReference,
    #[error("The order reference used as payment (PaymentMethod.RefNo) is not an order of this merchant.")]
    PreviousOrderNotFound,
    #[error("The order used as payment is not authorized or complete, or was flagged as fraud.")]
    PreviousOrderNotPaid,
    #[error("The order used as payment was not paid by card.")]
    PreviousOrderPaymentMethod,
    #[error("BillingDetails.Email differs from the billing e-mail of the order used as payment.")]
    PreviousOrderEmailMismatch,
    /// The vendor's wording, e.g. "ORDER_AMOUNT missing or format incorrect".
    #[error("{0}")]
    InvalidRefundAmount(&'static str),
    #[error("{0}")]
    InvalidRefundItems(&'static str),
    #[error("{0} is mandatory.")]
    InvalidRefundReason(&'static str),
    /// The vendor's wording, e.g. "You have already placed a Total refund for this order."
    #[error("{0}")]
    RefundNotAllowed(&'static str),
    #[error("There is no subscription with this reference.")]
    SubscriptionNotFound,
    /// The vendor's wording, e.g. "Cannot enable already enabled subscription".
    #[error("{0}")]
    InvalidSubscriptionOperation(&'static str),
    #[error("Invalid expiration date: {0}.")]
    InvalidExpirationDate(String),
    #[error("The subscription has no additional information field \"{0}\".")]
    SubscriptionFieldNotFound(String),
    #[error("There is no upsell campaign with this code.")]
    UpsellCampaignNotFound,
    #[error("There is no promotion with this code.")]
    PromotionNotFound,
    #[error("There is no cross-sell text in this language.")]
    CrossSellTextNotFound,
    #[error("The coupon code \"{0}\" is unknown, disabled or expired.")]
    InvalidCoupon(String),
    #[error("Another promotion of the merchant has this coupon code.")]
    DuplicateCouponCode,
    #[error("Invalid shipping method: {0}.")]
    InvalidShippingMethod(String),
    #[error("{0} is not a tangible product: only tangible products are shipped.")]
    ProductNotTangible(String),
    /// The vendor's three messages: none given, none active with the code, none set.
    #[error("{0}")]
    InvalidPartner(&'static str),
    #[error("{0}")]
    InvalidEmail(&'static str),
    #[error("Email address provided is not associated to a partner account user.")]
    InvalidUser,
    #[error("{0}")]
    InvalidUrl(&'static str),
    #[error("Validity time needs to be a positive numeric value.")]
    InvalidValidityTime,
    #[error("Invalid product ID.")]
    ProductError,
    #[error("There are no pricing lists with the provided code.")]
    PartnerPricingListsNotFound,
    #[error("There is no active product with the provided ID in the given pricing list.")]
    ProductNotInPricingList,
    #[error("Invalid merchant-token: {0}.")]
    InvalidMerchantToken(&'static str),
    #[error("Malformed request: {0}")]
    MalformedRequest(String),
    #[error("Request too large: the body exceeds {limit_bytes} bytes.")]
    RequestTooLarge { limit_bytes: usize },
    #[error("Unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("Method not allowed: {0}")]
    MethodNotAllowed(String),
    #[error("Unknown operation: {0}")]
    UnknownOperation(String),
    /// A SOAP header entry addressed to the gateway with `mustUnderstand`: the gateway
    /// understands no header, so SOAP requires it to refuse the message.
    #[error("The SOAP header {header} must be understood, and this service does not understand it.")]
    MustUnderstand { header: String, namespace: String },
    #[error("The record was changed by concurrent requests at the same moment; try again.")]
    ConcurrentUpdate,
    #[error("The service is temporarily unavailable; try again.")]
    ServiceUnavailable,
    #[error("Internal error.")]
    Internal,
    /// A fault the admin API injected: the code's usual answer, with this message.
    #[error("Injected fault (tco-gateway admin API): {0}.")]
    Injected(ErrorCode),
    /// A fault the admin API injected: the server closes the connection without answering.
    #[error("Injected fault (tco-gateway admin API): the connection is dropped.")]
    ConnectionDropped,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::AuthenticationFailed
            | Error::DateOutsideWindow { .. }
            | Error::MalformedDate
            | Error::UnsupportedAlgorithm(_)
            | Error::MalformedCredentials(_) => ErrorCode::AuthenticationError,
            Error::InvalidSession => ErrorCode::InvalidSession,
            Error::SessionExpired => ErrorCode::SessionExpired,
            Error::MissingField(_) => ErrorCode::MissingRequiredField,
            Error::InvalidField { .. } | Error::InvalidValue(_) => ErrorCode::InvalidField,
            Error::FiscalCodeWithoutCompany => ErrorCode::FiscalCodeWithoutCompany,
            Error::DuplicateExternalReference => ErrorCode::DuplicateExternalReference,
            Error::ReferenceMismatch => ErrorCode::ReferenceMismatch,
            Error::CustomerNotFound => ErrorCode::NotFoundCustomer,
            Error::CardNotFound => ErrorCode::NotFoundCard,
            Error::InvalidSsoToken => ErrorCode::InvalidSsoToken,
            Error::ProductNotFound => ErrorCode::ProductNotFound,
            Error::ProductGroupNotFound(_) => ErrorCode::ProductGroupNotFound,
            Error::PriceOptionGroupNotFound(_) => ErrorCode::PriceOptionGroupNotFound,
            Error::DuplicateProductCode => ErrorCode::DuplicateProductCode,
            Error::DuplicateProductGroupName => ErrorCode::DuplicateProductGroupName,
            Error::DuplicatePriceOptionGroupCode => ErrorCode::DuplicatePriceOptionGroupCode,
            Error::OrderNotFound => ErrorCode::OrderNotFound,
            Error::OrderProductsEmpty => ErrorCode::OrderProductsEmpty,
            Error::OrderProductCodeInvalid(_) => ErrorCode::OrderProductCodeInvalid,
            Error::OrderItemsQuantityInvalid => ErrorCode::OrderItemsQuantityInvalid,
            Error::DuplicateOrderExternalReference => ErrorCode::DuplicateOrderExternalReference,
            Error::PreviousOrderNotFound => ErrorCode::PreviousOrderNotFound,
            Error::PreviousOrderNotPaid => ErrorCode::PreviousOrderNotPaid,
            Error::PreviousOrderPaymentMethod => ErrorCode::PreviousOrderPaymentMethod,
            Error::PreviousOrderEmailMismatch => ErrorCode::PreviousOrderEmailMismatch,
            Error::SubscriptionNotFound => ErrorCode::SubscriptionNotFound,
            Error::InvalidSubscriptionOperation(_) => ErrorCode::InvalidSubscriptionOperation,
            Error::SubscriptionFieldNotFound(_) => ErrorCode::SubscriptionFieldNotFound,
            Error::InvalidRefundAmount(_) => ErrorCode::InvalidRefundAmount,
            Error::InvalidRefundItems(_) => ErrorCode::InvalidRefundItems,
            Error::InvalidRefundReason(_) => ErrorCode::InvalidRefundReason,
            Error::RefundNotAllowed(_) => ErrorCode::RefundNotAllowed,
            Error::InvalidExpirationDate(_) => ErrorCode::InvalidExpirationDate,
            Error::UpsellCampaignNotFound => ErrorCode::UpsellCampaignNotFound,
            Error::PromotionNotFound => ErrorCode::PromotionNotFound,
            Error::CrossSellTextNotFound => ErrorCode::CrossSellTextNotFound,
            Error::InvalidCoupon(_) => ErrorCode::InvalidCoupon,
            Error::DuplicateCouponCode => ErrorCode::DuplicateCouponCode,
            Error::InvalidShippingMethod(_) => ErrorCode::InvalidShippingMethod,
            Error::ProductNotTangible(_) => ErrorCode::ProductNotTangible,
            Error::InvalidPartner(_) => ErrorCode::InvalidPartner,
            Error::InvalidEmail(_) => ErrorCode::InvalidEmail,
            Error::InvalidUser => ErrorCode::InvalidUser,
            Error::InvalidUrl(_) => ErrorCode::InvalidUrl,
            Error::InvalidValidityTime => ErrorCode::InvalidValidityTime,
            Error::ProductError => ErrorCode::ProductError,
            Error::PartnerPricingListsNotFound => ErrorCode::PartnerPricingListsNotFound,
            Error::ProductNotInPricingList => ErrorCode::ProductNotFound,
            Error::InvalidMerchantToken(_) => ErrorCode::InvalidMerchantToken,
            Error::MalformedRequest(_) => ErrorCode::MalformedRequest,
            Error::RequestTooLarge { .. } => ErrorCode::RequestTooLarge,
            Error::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Error::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Error::UnknownOperation(_) => ErrorCode::UnknownOperation,
            Error::MustUnderstand { .. } => ErrorCode::MustUnderstand,
            Error::ConcurrentUpdate => ErrorCode::ConcurrentUpdate,
            Error::ServiceUnavailable => ErrorCode::ServiceUnavailable,
            Error::Internal => ErrorCode::InternalError,
            Error::Injected(code) => *code,
            Error::ConnectionDropped => ErrorCode::ConnectionDropped,
        }
    }

    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidField { field, reason: reason.into() }
    }
}

/// What must be unique per merchant, enforced by the database (so concurrent writers on several
/// instances cannot both win).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    ExternalReference,
    ProductCode,
    ProductGroupName,
    ProductGroupCode,
    PriceOptionGroupCode,
    OrderExternalReference,
    /// Set only by the data file (the store allocates the others).
    OrderRefNo,
    SubscriptionReference,
    UpsellCampaignCode,
    PromotionCode,
    /// A coupon code, whatever its case, across the merchant's promotions.
    CouponCode,
}

/// What a [`crate::Store`] reports. The detail strings are for the log, never for clients.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The merchant already has a row with this unique value.
    #[error("duplicate {0:?}")]
    Duplicate(Unique),
    /// The database cannot be reached, refused the connection or is out of space; worth
    /// retrying later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The write kept losing to concurrent writers (deadlocks); worth retrying at once.
    #[error("store conflict: {0}")]
    Conflict(String),
    /// A promotion already discounted its `MaximumOrdersNumber` orders (another order took the
    /// last one meanwhile): the order is priced again without it.
    #[error("promotion {0} has no orders left")]
    LimitReached(String),
    #[error("store failure: {0}")]
    Failure(String),
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Duplicate(Unique::ExternalReference) => Error::DuplicateExternalReference,
            StoreError::Duplicate(Unique::ProductCode) => Error::DuplicateProductCode,
            StoreError::Duplicate(Unique::ProductGroupName) => Error::DuplicateProductGroupName,
            StoreError::Duplicate(Unique::PriceOptionGroupCode) => Error::DuplicatePriceOptionGroupCode,
            StoreError::Duplicate(Unique::OrderExternalReference) => Error::DuplicateOrderExternalReference,
            StoreError::Duplicate(Unique::OrderRefNo) => Error::invalid("RefNo", "is another order's"),
            StoreError::Duplicate(Unique::SubscriptionReference) => {
                Error::invalid("SubscriptionReferences", "holds another subscription's reference")
            }
            StoreError::Duplicate(Unique::CouponCode) => Error::DuplicateCouponCode,
            // Generated codes are drawn again before it comes to this.
            StoreError::Duplicate(
                Unique::ProductGroupCode | Unique::UpsellCampaignCode | Unique::PromotionCode,
            ) => Error::Internal,
            StoreError::Unavailable(detail) => {
                tracing::error!(%detail, "store unavailable");
                Error::ServiceUnavailable
            }
            StoreError::Conflict(detail) => {
                tracing::warn!(%detail, "write lost to concurrent writers");
                Error::ConcurrentUpdate
            }
            // Placing an order prices it again instead; elsewhere it is the same race.
            StoreError::LimitReached(code) => {
                tracing::warn!(promotion = %code, "promotion used up by a concurrent order");
                Error::ConcurrentUpdate
            }
            StoreError::Failure(detail) => {
                tracing::error!(%detail, "store failure");
                Error::Internal
            }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

pub type StoreResult<T> = std::result::Result<T, StoreError>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_screaming_snake_case() {
        let strings: HashSet<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        for code in ErrorCode::ALL {
            assert_eq!(code.is_server_fault(), code.http_status() >= 500, "{code}");
            let reserved = (-32768..=-32000).contains(&code.jsonrpc_code());
            assert!(!reserved || [-32600, -32601, -32602, -32603].contains(&code.jsonrpc_code()), "{code}");
        }
        assert_eq!(strings.len(), ErrorCode::ALL.len());
        for code in strings {
            assert!(code.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{code}");
        }
    }

    #[test]
    fn unknown_merchant_and_wrong_hash_share_one_answer() {
        assert_eq!(Error::AuthenticationFailed.code(), ErrorCode::AuthenticationError);
        assert_eq!(Error::MalformedDate.code(), ErrorCode::AuthenticationError);
    }
}
