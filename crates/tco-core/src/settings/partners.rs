//! Channel Manager partners as the merchant's account defines them: who the partner is, which
//! users may sign in to its control panel, and the pricing lists it buys from.

use rust_decimal::Decimal;

/// A reseller or distributor of the merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    /// `PartnerCode`, matched exactly (the vendor's codes are case-sensitive).
    pub code: String,
    pub uuid: String,
    /// `CompanyCommercialName`.
    pub name: String,
    /// Only an active partner can be set or signed in to.
    pub active: bool,
    /// Lower-case ISO code: the VAT of the partner's prices is this country's.
    pub country: String,
    pub users: Vec<PartnerUser>,
    /// The codes of the pricing lists assigned to the partner.
    pub pricing_lists: Vec<String>,
}

/// A person who signs in to the partner's control panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerUser {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// A price list the merchant assigns to partners: the products it offers, in one currency, and
/// the partner's margin on them.
#[derive(Debug, Clone, PartialEq)]
pub struct PricingList {
    pub code: String,
    pub name: String,
    /// The merchant's default list.
    pub default: bool,
    pub currency: String,
    /// Percent of the catalog's net price the partner keeps.
    pub partner_margin: Decimal,
    /// The product codes the list offers.
    pub products: Vec<String>,
}

impl Partner {
    /// The user with this e-mail address, whatever its case.
    pub fn user(&self, email: &str) -> Option<&PartnerUser> {
        self.users.iter().find(|user| user.email.eq_ignore_ascii_case(email.trim()))
    }
}
