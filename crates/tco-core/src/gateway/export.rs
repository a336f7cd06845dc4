//! The Instant Search Order Export (`/action/ise`, the legacy `list_sales`' successor): a signed
//! request checked here (round3-vendor-facts.md §6), then the period's orders read page by page,
//! so an export of any size holds one page at a time.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::auth::{HashAlgorithm, hmac_hex, length_prefixed};
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::orders::{Order, OrderQuery, OrderStatus};

/// The parameters the HASH covers, in this order.
pub const EXPORT_SIGNED: [&str; 9] = [
    "MERCHANT",
    "STARTDATE",
    "ENDDATE",
    "ORDERSTATUS",
    "REQ_DATE",
    "PRODUCT_ID",
    "COUNTRY_CODE",
    "FILTER_STRING",
    "FILTER_FIELD",
];
/// How far `REQ_DATE` may be from the real clock.
const REQUEST_WINDOW: Duration = Duration::minutes(10);
/// Orders read at once.
const EXPORT_PAGE: u32 = 500;

vendor_enum! {
    pub enum ExportStatus {
        All = "ALL",
        Complete = "COMPLETE",
        Refund = "REFUND",
        Unfinished = "UNFINISHED",
        CompleteAndRefund = "COMPLETE_AND_REFUND",
        Reversed = "REVERSED",
    }
}

vendor_enum! {
    pub enum ExportFilter { RefNo = "REFNO", RefNoExt = "REFNOEXT", Name = "NAME", Email = "EMAIL", CouponCode = "COUPONCODE" }
}

/// A checked export request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub merchant_code: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    status: ExportStatus,
    product: Option<String>,
    country: Option<String>,
    filter: Option<(ExportFilter, String)>,
}

fn refused(why: impl Into<String>) -> Error {
    Error::invalid("ISE", why.into())
}

fn day(name: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| refused(format!("{name} is a Y-m-d date")))
}

impl Gateway {
    /// Checks an export request (`parameters` as sent): the merchant, the HASH (HMAC-SHA256 with
    /// its secret key, or MD5 if `SIGNATURE_ALG` says so, over the signed parameters' values,
    /// length-prefixed), `REQ_DATE` within ten minutes of the real clock, and the filters.
    pub fn export_request(&self, parameters: &[(String, String)]) -> Result<Export> {
        let value = |name: &str| {
            parameters
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map_or("", |(_, value)| value.as_str())
        };
        let merchant = self.merchants().get(value("MERCHANT").trim()).ok_or(Error::AuthenticationFailed)?;
        let algo = match value("SIGNATURE_ALG").trim().to_ascii_lowercase().as_str() {
            "" | "sha256" => HashAlgorithm::Sha256,
            "md5" => HashAlgorithm::Md5,
            other => return Err(refused(format!("SIGNATURE_ALG {other:?} is sha256 or md5"))),
        };
        let source = length_prefixed(EXPORT_SIGNED.iter().map(|name| value(name)));
        if !hmac_hex(&merchant.secret, &source, algo).eq_ignore_ascii_case(value("HASH").trim()) {
            return Err(Error::AuthenticationFailed);
        }
        let requested = chrono::NaiveDateTime::parse_from_str(value("REQ_DATE").trim(), "%Y%m%d%H%M%S")
            .map_err(|_| refused("REQ_DATE is the UTC time as YmdHis"))?
            .and_utc();
        let wall = self.wall_clock();
        if (requested - wall).abs() > REQUEST_WINDOW {
            return Err(Error::DateOutsideWindow {
                date: value("REQ_DATE").to_owned(),
                window_secs: REQUEST_WINDOW.num_seconds(),
            });
        }
        let start = day("STARTDATE", value("STARTDATE"))?;
        let end = day("ENDDATE", value("ENDDATE"))?;
        let status_text = value("ORDERSTATUS");
        let status = match status_text.trim() {
            "" => ExportStatus::All,
            text => ExportStatus::parse(text).ok_or_else(|| {
                refused(format!("ORDERSTATUS is one of {}", ExportStatus::NAMES.join(", ")))
            })?,
        };
        let filter = match (value("FILTER_FIELD").trim(), value("FILTER_STRING").trim()) {
            (_, "") => None,
            (field, text) => Some((
                ExportFilter::parse(field).ok_or_else(|| {
                    refused(format!("FILTER_FIELD is one of {}", ExportFilter::NAMES.join(", ")))
                })?,
                text.to_owned(),
            )),
        };
        let nonempty = |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
        Ok(Export {
            merchant_code: merchant.code.clone(),
            start: start.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            end: end.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc(),
            status,
            product: nonempty(value("PRODUCT_ID")),
            country: nonempty(value("COUNTRY_CODE")).map(|code| code.to_ascii_lowercase()),
            filter,
        })
    }

    /// Page `page` (from 1) of the export's orders, newest first, and whether more may follow.
    pub async fn export_page(&self, export: &Export, page: u32) -> Result<(Vec<Order>, bool)> {
        let query = OrderQuery {
            start: Some(export.start),
            end: Some(export.end),
            page,
            limit: EXPORT_PAGE,
            ..OrderQuery::default()
        };
        let now = self.now();
        let (orders, _) = self.store().search_orders(&export.merchant_code, &query, now).await?;
        let more = orders.len() == EXPORT_PAGE as usize;
        Ok((orders.into_iter().filter(|order| export.selects(order, now)).collect(), more))
    }
}

impl Export {
    fn selects(&self, order: &Order, now: DateTime<Utc>) -> bool {
        let status = order.status(now);
        let by_status = match self.status {
            ExportStatus::All => true,
            ExportStatus::Complete => status == OrderStatus::Complete,
            ExportStatus::Refund => status == OrderStatus::Refund,
            ExportStatus::Unfinished => matches!(status, OrderStatus::Pending | OrderStatus::AuthReceived),
            ExportStatus::CompleteAndRefund => matches!(status, OrderStatus::Complete | OrderStatus::Refund),
            ExportStatus::Reversed => status == OrderStatus::Reversed,
        };
        let by_product = self.product.as_ref().is_none_or(|product| {
            order
                .items
                .iter()
                .any(|item| item.product_id.to_string() == *product || item.product_code == *product)
        });
        let by_country = self.country.as_ref().is_none_or(|country| order.billing.country_code == *country);
        let by_filter = self.filter.as_ref().is_none_or(|(field, text)| {
            let text = text.to_lowercase();
            match field {
                ExportFilter::RefNo => order.ref_no == text,
                ExportFilter::RefNoExt => {
                    order.external_reference.as_deref().is_some_and(|ext| ext.to_lowercase() == text)
                }
                ExportFilter::Name => format!("{} {}", order.billing.first_name, order.billing.last_name)
                    .to_lowercase()
                    .contains(&text),
                ExportFilter::Email => order.billing.email.to_lowercase() == text,
                ExportFilter::CouponCode => order.promotions.iter().any(|promotion| {
                    promotion.coupon.as_deref().is_some_and(|coupon| coupon.to_lowercase() == text)
                }),
            }
        });
        by_status && by_product && by_country && by_filter
    }
}
