//! The one error catalogue. Every failure any protocol can report is an [`Error`]; each has a
//! stable [`ErrorCode`] whose string is what REST puts in `error_code`, JSON-RPC in
//! `error.data.error_code` and SOAP in `faultcode`. Adapters map codes to their protocol in
//! exactly one function each; `docs/errors.md` is the table, and a test keeps them in step.

use std::fmt;

/// A stable, protocol-neutral error code. The strings never change once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    AuthenticationError,
    InvalidSession,
    SessionExpired,
    MissingRequiredField,
    InvalidField,
    FiscalCodeWithoutCompany,
    DuplicateExternalReference,
    ReferenceMismatch,
    NotFoundCustomer,
    NotFoundCard,
    InvalidSsoToken,
    MalformedRequest,
    RequestTooLarge,
    UnsupportedMediaType,
    MethodNotAllowed,
    UnknownOperation,
    ServiceUnavailable,
    InternalError,
}

impl ErrorCode {
    /// Every code, in catalogue order (the order of `docs/errors.md`).
    pub const ALL: [ErrorCode; 18] = [
        ErrorCode::AuthenticationError,
        ErrorCode::InvalidSession,
        ErrorCode::SessionExpired,
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::FiscalCodeWithoutCompany,
        ErrorCode::DuplicateExternalReference,
        ErrorCode::ReferenceMismatch,
        ErrorCode::NotFoundCustomer,
        ErrorCode::NotFoundCard,
        ErrorCode::InvalidSsoToken,
        ErrorCode::MalformedRequest,
        ErrorCode::RequestTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::MethodNotAllowed,
        ErrorCode::UnknownOperation,
        ErrorCode::ServiceUnavailable,
        ErrorCode::InternalError,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::AuthenticationError => "AUTHENTICATION_ERROR",
            ErrorCode::InvalidSession => "INVALID_SESSION",
            ErrorCode::SessionExpired => "SESSION_EXPIRED",
            ErrorCode::MissingRequiredField => "MISSING_REQUIRED_FIELD",
            ErrorCode::InvalidField => "INVALID_FIELD",
            ErrorCode::FiscalCodeWithoutCompany => "FISCAL_CODE_WITHOUT_COMPANY",
            ErrorCode::DuplicateExternalReference => "DUPLICATE_EXTERNAL_REFERENCE",
            ErrorCode::ReferenceMismatch => "REFERENCE_MISMATCH",
            ErrorCode::NotFoundCustomer => "NOT_FOUND_CUSTOMER",
            ErrorCode::NotFoundCard => "NOT_FOUND_CARD",
            ErrorCode::InvalidSsoToken => "INVALID_SSO_TOKEN",
            ErrorCode::MalformedRequest => "MALFORMED_REQUEST",
            ErrorCode::RequestTooLarge => "REQUEST_TOO_LARGE",
            ErrorCode::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ErrorCode::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ErrorCode::UnknownOperation => "UNKNOWN_OPERATION",
            ErrorCode::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            ErrorCode::InternalError => "INTERNAL_ERROR",
        }
    }

    /// True for failures of the gateway itself rather than of the request; their messages
    /// say little on the wire and the detail goes to the log.
    pub const fn is_server_fault(self) -> bool {
        matches!(self, ErrorCode::ServiceUnavailable | ErrorCode::InternalError)
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
    #[error("The service is temporarily unavailable; try again.")]
    ServiceUnavailable,
    #[error("Internal error.")]
    Internal,
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
            Error::InvalidField { .. } => ErrorCode::InvalidField,
            Error::FiscalCodeWithoutCompany => ErrorCode::FiscalCodeWithoutCompany,
            Error::DuplicateExternalReference => ErrorCode::DuplicateExternalReference,
            Error::ReferenceMismatch => ErrorCode::ReferenceMismatch,
            Error::CustomerNotFound => ErrorCode::NotFoundCustomer,
            Error::CardNotFound => ErrorCode::NotFoundCard,
            Error::InvalidSsoToken => ErrorCode::InvalidSsoToken,
            Error::MalformedRequest(_) => ErrorCode::MalformedRequest,
            Error::RequestTooLarge { .. } => ErrorCode::RequestTooLarge,
            Error::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Error::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Error::UnknownOperation(_) => ErrorCode::UnknownOperation,
            Error::ServiceUnavailable => ErrorCode::ServiceUnavailable,
            Error::Internal => ErrorCode::InternalError,
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidField { field, reason: reason.into() }
    }
}

/// What a [`crate::Store`] reports. The detail strings are for the log, never for clients.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The merchant already has a customer with this ExternalCustomerReference (enforced by
    /// the database, so concurrent writers on several instances cannot both win).
    #[error("duplicate external customer reference")]
    DuplicateExternalReference,
    /// The database cannot be reached or refused the connection; worth retrying later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error("store failure: {0}")]
    Failure(String),
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::DuplicateExternalReference => Error::DuplicateExternalReference,
            StoreError::Unavailable(detail) => {
                tracing::error!(%detail, "store unavailable");
                Error::ServiceUnavailable
            }
            StoreError::Failure(detail) => {
                tracing::error!(%detail, "store failure");
                Error::Internal
            }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_screaming_snake_case() {
        let strings: HashSet<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
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
