//! Channel Manager: the partner a session works for (`setPartner`), partner users' single
//! sign-on into the control panel (`getPartnerSingleSignOn` and the page its link opens), the
//! partner's pricing lists and the price of a product in one (`getPartnerPricingLists`,
//! `getProductPrice`). Partners and pricing lists are account settings from the merchant's data
//! file ([`MerchantConfig`]); what changes — the session's partner, sign-on grants — is stored.
//!
//! Here are the family's types, rules and store port; its operations are `Gateway` methods in
//! `gateway/partners.rs`.

mod store;
pub use store::PartnerStore;
pub(crate) mod model;

pub use self::model::{PartnerGrant, PartnerSignIn, PartnerSignOnRequest, UnitPrice};
use crate::error::{Error, Result};
use crate::settings::MerchantConfig;
use crate::settings::Partner;

/// Where a partner single sign-on link lands, under the gateway's public URL.
pub const PARTNER_SIGN_ON_PATH: &str = "/partners/sso.php";

const PARTNER_MANDATORY: &str = "The partner code is mandatory.";
const PARTNER_INACTIVE: &str = "Partner code provided is not associated to an active partner account.";

impl MerchantConfig {
    /// The active partner with this code.
    pub(crate) fn active_partner(&self, code: &str) -> Result<&Partner> {
        let code = code.trim();
        if code.is_empty() {
            return Err(Error::InvalidPartner(PARTNER_MANDATORY));
        }
        self.partners
            .iter()
            .find(|partner| partner.code == code && partner.active)
            .ok_or(Error::InvalidPartner(PARTNER_INACTIVE))
    }
}
