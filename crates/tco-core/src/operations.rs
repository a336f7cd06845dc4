//! The vendor's SOAP and JSON-RPC operations with their parameters in positional order: the
//! session id first, except for `login`. Both adapters bind arguments by these positions and
//! report a wrong one by these names.

/// Operation name and parameter names.
pub const POSITIONAL_OPERATIONS: &[(&str, &[&str])] = &[
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
];

/// The operation's canonical name and parameters; names match case-insensitively.
pub fn positional_operation(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    POSITIONAL_OPERATIONS.iter().find(|(operation, _)| operation.eq_ignore_ascii_case(name)).copied()
}
