//! Channel Manager partners as the merchant's account defines them: who the partner is, which
//! users may sign in to its control panel, and the pricing lists it buys from.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::settings::{Partner, PartnerUser};

/// `getProductPrice`'s answer: what the partner pays for one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitPrice {
    pub currency: String,
    pub net_price_per_unit: Decimal,
    pub partner_margin_per_unit: Decimal,
    pub vat_per_unit: Decimal,
}

/// A request for a partner user's single sign-on link, as a client sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerSignOnRequest {
    pub email: Option<String>,
    pub partner_code: Option<String>,
    /// The control-panel page the user lands on.
    pub access_page: Option<String>,
    /// Seconds; absent means the vendor's 10.
    pub validity_secs: Option<i64>,
    /// The user's IP the link is bound to; none when absent or empty.
    pub validation_ip: Option<String>,
}

/// A single-use grant to sign a partner user in, stored by digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerGrant {
    pub digest: String,
    pub merchant_code: String,
    pub partner_code: String,
    pub email: String,
    pub access_page: String,
    pub validation_ip: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// Who a partner single sign-on link signed in, and where to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerSignIn {
    pub partner: Partner,
    pub user: PartnerUser,
    pub access_page: String,
}
