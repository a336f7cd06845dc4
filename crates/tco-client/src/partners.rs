//! Channel Manager on every transport, written once over [`Api::send`]. JSON-RPC and SOAP keep
//! the partner in the session; over REST, which has none, the client remembers the partner
//! `set_partner` checked and names it (`PartnerCode`) on each partner call.

use async_trait::async_trait;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Api;
use crate::call::{Call, RestCall, argument};
use crate::error::Result;

model! {
    pub struct PricingList {
        code: Option<String> => "Code",
        name: Option<String> => "Name",
        default: Option<bool> => "Default",
        currency: Option<String> => "Currency",
    }
}

model! {
    pub struct UnitPrice {
        currency: Option<String> => "Currency",
        net_price_per_unit: Option<Decimal> => "NetPricePerUnit",
        partner_margin_per_unit: Option<Decimal> => "PartnerMarginPerUnit",
        vat_per_unit: Option<Decimal> => "VatPerUnit",
    }
}

model! {
    /// `getPartnerSingleSignOn`'s arguments; `validation_ip` `Some("")` for none, as the vendor
    /// asks (it refuses null).
    pub struct PartnerSignOn {
        email: Option<String> => "Email",
        partner_code: Option<String> => "PartnerCode",
        access_page: Option<String> => "AccessPage",
        validity_time: Option<i64> => "ValidityTime",
        validation_ip: Option<String> => "ValidationIp",
    }
}

#[async_trait]
pub trait ChannelManagerApi: Api {
    /// Sets the session's partner (REST: checks it, and the client names it from then on).
    async fn set_partner(&self, partner_code: &str) -> Result<bool> {
        let rest = RestCall::get(&["channelmanager", "partner"])
            .query("PartnerCode", Some(partner_code.to_owned()))
            .sets_partner(partner_code);
        self.send(&Call::new("setPartner", vec![json!(partner_code)], Some(rest))).await?.read()
    }

    async fn partner_single_sign_on(&self, sign_on: &PartnerSignOn) -> Result<String> {
        let rest = RestCall::post(&["channelmanager", "partners", "sso"], argument(sign_on)?);
        let args = vec![
            json!(sign_on.email),
            json!(sign_on.partner_code),
            json!(sign_on.access_page),
            json!(sign_on.validity_time),
            json!(sign_on.validation_ip),
        ];
        self.send(&Call::new("getPartnerSingleSignOn", args, Some(rest))).await?.read()
    }

    async fn partner_pricing_lists(&self) -> Result<Vec<PricingList>> {
        let rest = RestCall::get(&["channelmanager", "pricinglists"]).for_partner();
        self.send(&Call::new("getPartnerPricingLists", Vec::new(), Some(rest))).await?.read()
    }

    /// `options` `None` is sent as null.
    async fn product_price(
        &self,
        product_id: &str,
        pricing_list_code: &str,
        options: Option<&[String]>,
    ) -> Result<UnitPrice> {
        let rest = RestCall::get(&[
            "channelmanager",
            "pricinglists",
            pricing_list_code,
            "products",
            product_id,
            "price",
        ])
        .list("PriceOptions", options.unwrap_or_default())
        .for_partner();
        let args = vec![json!(product_id), json!(pricing_list_code), json!(options)];
        self.send(&Call::new("getProductPrice", args, Some(rest))).await?.read()
    }
}

impl<T: Api + ?Sized> ChannelManagerApi for T {}
