//! What a subscription carries besides its dates: its history (the purchase and each renewal)
//! and its additional information fields.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

/// The most additional information fields a subscription has, and their longest name and value.
pub const MAX_FIELDS: usize = 5;
pub const MAX_FIELD_LENGTH: usize = 100;

/// A renewal or an upgrade as stored: the order, when, and the expiration it moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalRecord {
    pub kind: HistoryKind,
    pub ref_no: String,
    pub renewed_at: DateTime<Utc>,
    pub expiration_from: DateTime<Utc>,
    pub expiration_to: DateTime<Utc>,
}

vendor_enum! {
    /// What a history record is.
    pub enum HistoryKind { Purchase = "PURCHASE", Renewal = "RENEWAL", Upgrade = "UPGRADE" }
}

/// One record of `getSubscriptionHistory`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    pub kind: HistoryKind,
    pub ref_no: String,
    pub start: DateTime<Utc>,
    /// `None`: lifetime.
    pub expiration: Option<DateTime<Utc>>,
}

/// How a field is written: added (refused if present or if there are five) or updated
/// (refused if absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldWrite {
    Add,
    Update,
}

/// Why the store did not write a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRefusal {
    Exists,
    Full,
    Absent,
}

/// A field name or value as clients send it: trimmed, 1 to 100 characters.
pub(crate) fn field_text(what: &'static str, text: Option<String>) -> Result<String> {
    let text = crate::kernel::fields::optional(what, text, MAX_FIELD_LENGTH)?;
    text.ok_or(Error::MissingField(what))
}
