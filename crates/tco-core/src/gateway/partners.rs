//! Channel Manager's operations: `setPartner`, partner sign-on and its page, pricing lists and
//! partner prices.

use crate::catalog::{Product, ProductKey};
use crate::customers::sso::{self, DEFAULT_VALIDITY_SECS, MAX_VALIDITY_SECS};
use crate::customers::validation::email;
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::kernel::token;
use crate::merchant::MerchantContext;
use crate::orders::pricing::Pricing;
use crate::partners::PARTNER_SIGN_ON_PATH;
use crate::partners::model::{PartnerGrant, PartnerSignIn, PartnerSignOnRequest, UnitPrice};
use crate::settings::{Partner, PricingList};
use chrono::Duration;
use rust_decimal::Decimal;
use std::net::IpAddr;

const NO_PARTNER_SET: &str = "No partner is set.";

/// The pricing's refusals name the order's fields; here the option codes are `priceOptions`.
fn options_error(error: Error) -> Error {
    match error {
        Error::InvalidField { field: "Items.PriceOptions", reason } => Error::invalid("priceOptions", reason),
        Error::MissingField(_) => {
            Error::invalid("priceOptions", "a required option group has no option chosen")
        }
        other => other,
    }
}

impl Gateway {
    /// `setPartner`: the partner the session's Channel Manager calls work for, kept with the
    /// session (so every protocol and instance using it sees it). A REST request has no
    /// session: it names its partner on each call, and this only checks the partner.
    pub async fn set_partner(&self, merchant: &MerchantContext, partner_code: Option<&str>) -> Result<bool> {
        let config = self.merchant_config(merchant.code());
        let partner = config.active_partner(partner_code.unwrap_or_default())?;
        if let Some(session) = merchant.session()
            && !self.store().set_session_partner(session, &partner.code).await?
        {
            return Err(Error::InvalidSession);
        }
        Ok(true)
    }

    /// The partner a call works for: the one it names (REST), else its session's; still active.
    async fn current_partner(&self, merchant: &MerchantContext, named: Option<&str>) -> Result<Partner> {
        let code = match (named.map(str::trim).filter(|code| !code.is_empty()), merchant.session()) {
            (Some(code), _) => Some(code.to_owned()),
            (None, Some(session)) => self.store().session_partner(session).await?,
            (None, None) => None,
        };
        let code = code.ok_or(Error::InvalidPartner(NO_PARTNER_SET))?;
        self.merchant_config(merchant.code()).active_partner(&code).cloned()
    }

    /// `getPartnerPricingLists`: the pricing lists assigned to the partner.
    pub async fn partner_pricing_lists(
        &self,
        merchant: &MerchantContext,
        named_partner: Option<&str>,
    ) -> Result<Vec<PricingList>> {
        let partner = self.current_partner(merchant, named_partner).await?;
        let config = self.merchant_config(merchant.code());
        let lists: Vec<PricingList> = config
            .pricing_lists
            .iter()
            .filter(|list| partner.pricing_lists.contains(&list.code))
            .cloned()
            .collect();
        if lists.is_empty() {
            return Err(Error::PartnerPricingListsNotFound);
        }
        Ok(lists)
    }

    /// `getProductPrice`: one unit of the product (by code or id) with the chosen options, from
    /// the catalog's price in the list's currency for the partner's country: the partner's
    /// margin is the list's percentage of the net price, rounded to the currency; the partner
    /// pays the rest, and VAT of its country on it.
    pub async fn partner_product_price(
        &self,
        merchant: &MerchantContext,
        named_partner: Option<&str>,
        product_id: Option<&str>,
        pricing_list_code: Option<&str>,
        options: &[String],
    ) -> Result<UnitPrice> {
        let partner = self.current_partner(merchant, named_partner).await?;
        let product = self.partner_product(merchant.code(), product_id).await?;
        let config = self.merchant_config(merchant.code());
        let code = pricing_list_code.map(str::trim).unwrap_or_default();
        let list = config
            .pricing_lists
            .iter()
            .find(|list| list.code == code && partner.pricing_lists.contains(&list.code))
            .ok_or(Error::PartnerPricingListsNotFound)?;
        if !product.fields.enabled || !list.products.contains(&product.fields.code) {
            return Err(Error::ProductNotInPricingList);
        }
        let groups = self.offered_option_groups(merchant.code(), &product).await?;
        let pricing =
            Pricing { config: &config, currency: &list.currency, country: &partner.country, renewal: false };
        let (price, _) = pricing.item(&product, 1, options, &groups).map_err(options_error)?;
        let round =
            |value: Decimal| crate::kernel::fields::round_money(value, config.decimals(&list.currency));
        let margin = round(price.unit_net * list.partner_margin / Decimal::ONE_HUNDRED);
        let net = price.unit_net - margin;
        Ok(UnitPrice {
            currency: list.currency.clone(),
            net_price_per_unit: net,
            partner_margin_per_unit: margin,
            vat_per_unit: round(net * price.vat_percent / Decimal::ONE_HUNDRED),
        })
    }

    /// The product `productId` names: its code, or its numeric id.
    async fn partner_product(&self, merchant_code: &str, product_id: Option<&str>) -> Result<Product> {
        let id = product_id.map(str::trim).filter(|id| !id.is_empty()).ok_or(Error::ProductError)?;
        let by_code = self.store().find_product(merchant_code, &ProductKey::Code(id.to_owned())).await?;
        let found = match (by_code, id.parse::<i64>()) {
            (Some(product), _) => Some(product),
            (None, Ok(number)) => self.store().find_product(merchant_code, &ProductKey::Id(number)).await?,
            (None, Err(_)) => None,
        };
        found.ok_or(Error::ProductError)
    }

    /// `getPartnerSingleSignOn`: a single-use link to the gateway's partner sign-in page for a
    /// user of an active partner, valid `validityTime` seconds (10 by default).
    pub async fn partner_single_sign_on(
        &self,
        merchant: &MerchantContext,
        request: PartnerSignOnRequest,
    ) -> Result<String> {
        let address = request.email.map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
        let address = address.ok_or(Error::InvalidEmail("The email address is mandatory."))?;
        let address =
            email(address).map_err(|_| Error::InvalidEmail("Please specify a valid email address."))?;
        let config = self.merchant_config(merchant.code());
        let partner = config.active_partner(request.partner_code.as_deref().unwrap_or_default())?;
        let user = partner.user(&address).ok_or(Error::InvalidUser)?;
        let access_page =
            request.access_page.map(|page| page.trim().to_owned()).filter(|page| !page.is_empty());
        let access_page = access_page.ok_or(Error::InvalidUrl("The page URL is mandatory."))?;
        if !sso::is_absolute_url(&access_page) || access_page.len() > 2048 {
            return Err(Error::InvalidUrl("The page URL provided is not valid."));
        }
        let validity_secs = match request.validity_secs {
            None => DEFAULT_VALIDITY_SECS,
            Some(secs) if (1..=MAX_VALIDITY_SECS).contains(&secs) => secs,
            Some(_) => return Err(Error::InvalidValidityTime),
        };
        // The vendor refuses null but takes "": the wire adapters read both as not given.
        let validation_ip = match request.validation_ip.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(ip) => Some(
                sso::canonical_ip(ip)
                    .ok_or_else(|| Error::invalid("validationIP", "must be an IPv4 or IPv6 address"))?,
            ),
        };
        let token = token::new_token(self.random())?;
        let grant = PartnerGrant {
            digest: token::digest(&token),
            merchant_code: merchant.code().to_owned(),
            partner_code: partner.code.clone(),
            email: user.email.clone(),
            access_page,
            validation_ip,
            expires_at: crate::kernel::dates::shifted(self.now(), Duration::seconds(validity_secs)),
        };
        self.store().insert_partner_grant(&grant, self.settings().max_sso_tokens_per_merchant).await?;
        Ok(format!(
            "{}{PARTNER_SIGN_ON_PATH}?merchant={}&logintoken={token}",
            self.public_url(),
            merchant.code()
        ))
    }

    /// Spends a partner sign-on token (once, before it expires, from the bound IP if any): the
    /// user it signs in, while the partner and the user still exist and the partner is active.
    pub async fn partner_sign_in(
        &self,
        merchant_code: &str,
        login_token: &str,
        client_ip: Option<IpAddr>,
    ) -> Result<PartnerSignIn> {
        let login_token = login_token.trim();
        if self.merchants().get(merchant_code).is_none()
            || !crate::kernel::fields::plausible_token(login_token)
        {
            return Err(Error::InvalidSsoToken);
        }
        let grant = self.store().take_partner_grant(merchant_code, &token::digest(login_token)).await?;
        let grant = grant.filter(|grant| self.now() < grant.expires_at).ok_or(Error::InvalidSsoToken)?;
        if !sso::ip_allows(grant.validation_ip.as_deref(), client_ip) {
            return Err(Error::InvalidSsoToken);
        }
        let config = self.merchant_config(merchant_code);
        let partner = config.active_partner(&grant.partner_code).map_err(|_| Error::InvalidSsoToken)?;
        let user = partner.user(&grant.email).cloned().ok_or(Error::InvalidSsoToken)?;
        Ok(PartnerSignIn { partner: partner.clone(), user, access_page: grant.access_page })
    }
}
