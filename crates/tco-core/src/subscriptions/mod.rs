//! Subscriptions: reading and searching them, their status on the gateway's clock, recurring
//! billing and churn reasons, enabling, disabling and updating them, and the manual renewal
//! link that leads to the hosted cart ([`cart`]), and importing subscriptions bought elsewhere
//! ([`import`]).
//!
//! Here are the family's types, rules and store port; its operations are `Gateway` methods in
//! `gateway/subscriptions.rs`.

mod store;
pub use store::SubscriptionStore;
pub mod cart;
pub(crate) mod details;
pub(crate) mod import;
pub(crate) mod model;

pub use details::{FieldRefusal, FieldWrite, HistoryKind, HistoryRecord, MAX_FIELDS, RenewalRecord};
pub use import::{NewSubscriptionImport, SubscriptionImportInput};

use chrono::{DateTime, Utc};

pub use model::{
    ChurnReason, Origin, SubscriptionChange, SubscriptionImport, SubscriptionQuery, SubscriptionRecord,
    SubscriptionSearchInput, SubscriptionStatus, SubscriptionUpdateInput,
};

use crate::error::{Error, Result};
use crate::kernel::fields::optional;
use crate::orders::validation::date;

/// The vendor's references are ten letters and digits; anything far from that is not looked up.
pub(crate) fn plausible_reference(reference: &str) -> bool {
    !reference.is_empty() && reference.len() <= 64 && reference.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `YYYY-MM-DD` (the end of that day) or `YYYY-MM-DD HH:MM:SS`, UTC, as the searches read dates.
pub(crate) fn expiration_date(text: &str) -> Result<DateTime<Utc>> {
    match date("ExpirationDate", Some(text.to_owned()), true) {
        Ok(Some(moment)) => Ok(moment),
        _ => Err(Error::InvalidExpirationDate(format!("\"{text}\" is not a date (YYYY-MM-DD)"))),
    }
}

/// The churn reasons as stored: the documented codes, and the shopper's words only with
/// `CHURN_REASON_OTHER` or `CHURN_REASON_EXTRAORDINARY`.
pub(crate) fn churn(reasons: &[String], other: Option<String>) -> Result<Option<String>> {
    let mut parsed = Vec::with_capacity(reasons.len());
    for reason in reasons {
        let reason = reason.trim();
        let known = ChurnReason::parse(reason).ok_or_else(|| {
            Error::invalid(
                "ChurnReasons",
                format!("\"{reason}\" is not one of {}", ChurnReason::NAMES.join(", ")),
            )
        })?;
        parsed.push(known);
    }
    let other = optional("ChurnReasonOther", other, 500)?;
    if other.is_some()
        && !parsed.iter().any(|reason| matches!(reason, ChurnReason::Other | ChurnReason::Extraordinary))
    {
        return Err(Error::invalid(
            "ChurnReasonOther",
            "is accepted only with CHURN_REASON_OTHER or CHURN_REASON_EXTRAORDINARY",
        ));
    }
    if parsed.is_empty() && other.is_none() {
        return Ok(None);
    }
    let mut text: Vec<&str> = parsed.iter().map(|reason| reason.as_str()).collect();
    if let Some(other) = &other {
        text.push(other);
    }
    Ok(Some(text.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn churn_reasons_are_the_documented_ones() {
        assert_eq!(churn(&[], None), Ok(None));
        let reasons = vec!["CHURN_REASON_HIGH_PRICE".to_owned(), "CHURN_REASON_OTHER".to_owned()];
        assert_eq!(
            churn(&reasons, Some("too slow".into())),
            Ok(Some("CHURN_REASON_HIGH_PRICE\nCHURN_REASON_OTHER\ntoo slow".into()))
        );
        assert!(matches!(
            churn(&["BORED".into()], None),
            Err(Error::InvalidField { field: "ChurnReasons", .. })
        ));
        assert!(matches!(
            churn(&["CHURN_REASON_HIGH_PRICE".into()], Some("why".into())),
            Err(Error::InvalidField { field: "ChurnReasonOther", .. })
        ));
    }

    #[test]
    fn expiration_dates() {
        assert_eq!(expiration_date("2030-01-31").unwrap().to_string(), "2030-01-31 23:59:59 UTC");
        assert_eq!(expiration_date("2030-01-31 10:00:00").unwrap().to_string(), "2030-01-31 10:00:00 UTC");
        assert!(matches!(expiration_date("31/01/2030"), Err(Error::InvalidExpirationDate(_))));
    }
}
