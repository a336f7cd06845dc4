//! An order as an IPN: the parameters in the order the vendor sends them (the SDKs' 2023
//! fixture, round3-vendor-facts.md §1.3), one `NAME[]` element per product line, values in the
//! vendor's formats.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use tco_core::{Address, Announcement, Order, OrderItem, PaymentType, PurchaseType};

use crate::{Fields, country_name};

/// The vendor's `Y-m-d H:i:s` and `YmdHis`.
pub(crate) const DATE: &str = "%Y-%m-%d %H:%M:%S";
pub(crate) const IPN_DATE: &str = "%Y%m%d%H%M%S";

/// Every parameter the gateway can send, in the vendor's order (the signatures follow).
pub const IPN_FIELDS: &[&str] = &[
    "GIFT_ORDER",
    "SALEDATE",
    "PAYMENTDATE",
    "REFNO",
    "REFNOEXT",
    "SHOPPER_REFERENCE_NUMBER",
    "ORDERNO",
    "ORDERSTATUS",
    "PAYMETHOD",
    "PAYMETHOD_CODE",
    "FIRSTNAME",
    "LASTNAME",
    "COMPANY",
    "REGISTRATIONNUMBER",
    "FISCALCODE",
    "TAX_OFFICE",
    "CBANKNAME",
    "CBANKACCOUNT",
    "ADDRESS1",
    "ADDRESS2",
    "CITY",
    "STATE",
    "ZIPCODE",
    "COUNTRY",
    "COUNTRY_CODE",
    "PHONE",
    "FAX",
    "CUSTOMEREMAIL",
    "FIRSTNAME_D",
    "LASTNAME_D",
    "COMPANY_D",
    "ADDRESS1_D",
    "ADDRESS2_D",
    "CITY_D",
    "STATE_D",
    "ZIPCODE_D",
    "COUNTRY_D",
    "COUNTRY_D_CODE",
    "PHONE_D",
    "EMAIL_D",
    "IPADDRESS",
    "IPCOUNTRY",
    "COMPLETE_DATE",
    "TIMEZONE_OFFSET",
    "CURRENCY",
    "LANGUAGE",
    "ORDERFLOW",
    "IPN_PID[]",
    "IPN_PNAME[]",
    "IPN_PCODE[]",
    "IPN_EXTERNAL_REFERENCE[]",
    "IPN_INFO[]",
    "IPN_QTY[]",
    "IPN_PRICE[]",
    "IPN_VAT[]",
    "IPN_VAT_RATE[]",
    "IPN_VER[]",
    "IPN_DISCOUNT[]",
    "IPN_PROMOTION_CATEGORY[]",
    "IPN_PROMONAME[]",
    "IPN_PROMOCODE[]",
    "IPN_ORDER_COSTS[]",
    "IPN_SKU[]",
    "IPN_PARTNER_CODE",
    "IPN_PGROUP[]",
    "IPN_PGROUP_NAME[]",
    "MESSAGE_ID",
    "MESSAGE_TYPE",
    "IPN_LICENSE_PROD[]",
    "IPN_LICENSE_TYPE[]",
    "IPN_LICENSE_REF[]",
    "IPN_LICENSE_EXP[]",
    "IPN_LICENSE_START[]",
    "IPN_LICENSE_LIFETIME[]",
    "IPN_LICENSE_ADDITIONAL_INFO[]",
    "IPN_DELIVEREDCODES[]",
    "IPN_DOWNLOAD_LINK",
    "IPN_TOTAL[]",
    "IPN_TOTALGENERAL",
    "IPN_SHIPPING",
    "IPN_SHIPPING_TAX",
    "AVANGATE_CUSTOMER_REFERENCE",
    "EXTERNAL_CUSTOMER_REFERENCE",
    "IPN_PARTNER_MARGIN_PERCENT",
    "IPN_PARTNER_MARGIN",
    "IPN_EXTRA_MARGIN",
    "IPN_EXTRA_DISCOUNT",
    "IPN_COUPON_DISCOUNT",
    "IPN_LINK_SOURCE",
    "IPN_COMMISSION",
    "REFUND_TYPE",
    "CHARGEBACK_RESOLUTION",
    "CHARGEBACK_REASON_CODE",
    "TEST_ORDER",
    "IPN_ORDER_ORIGIN",
    "FRAUD_STATUS",
    "CARD_TYPE",
    "CARD_LAST_DIGITS",
    "CARD_EXPIRATION_DATE",
    "GATEWAY_RESPONSE",
    "IPN_DATE",
    "FX_RATE",
    "FX_MARKUP",
    "PAYABLE_AMOUNT",
    "PAYOUT_CURRENCY",
    "VENDOR_CODE",
    "PROPOSAL_ID",
];

pub(crate) fn money(amount: Decimal) -> String {
    format!("{:.2}", amount.round_dp(2))
}

fn date(at: Option<DateTime<Utc>>) -> String {
    at.map(|at| at.format(DATE).to_string()).unwrap_or_default()
}

/// The vendor's `MESSAGE_TYPE` for an `ORDERSTATUS`.
fn message_type(status: &str) -> &str {
    match status {
        "PAYMENT_AUTHORIZED" => "AUTH",
        other => other,
    }
}

/// An order's IPN for the announcement's `ORDERSTATUS`, dated by its event, unsigned: the
/// parameters the merchant chose (all when it chose none); for a refund's, about that refund;
/// for a renewal order, with the renewed orders' external references.
pub(crate) fn fields<'a>(order: &Order, announcement: &'a Announcement) -> Fields<'a> {
    let event = &announcement.event;
    let (status, at, message_id, merchant_code) =
        (event.event.as_str(), event.due_at, event.id, &event.merchant_code);
    let original_references = &announcement.original_references;
    let refund = tco_core::refund_of(order, event);
    let wanted = announcement.settings.ipn_fields.as_deref();
    let lines: Vec<&OrderItem> =
        order.items.iter().filter(|item| item.purchase_type == PurchaseType::Product).collect();
    let shipping = order.items.iter().find(|item| item.purchase_type == PurchaseType::Shipping);
    let empty = Address::default();
    let billing = &order.billing;
    let delivery = order.delivery.as_ref().unwrap_or(&empty);
    let card = order.payment.card.as_ref();
    let paid = matches!(status, "PAYMENT_AUTHORIZED" | "COMPLETE" | "REFUND" | "REVERSED");
    let per_line = |value: &dyn Fn(&OrderItem) -> String| -> Vec<String> {
        lines.iter().map(|item| value(item)).collect()
    };
    let licences = |value: &dyn Fn(&tco_core::Subscription) -> String| -> Vec<String> {
        lines
            .iter()
            .map(|item| order.item_subscriptions(item).next().map(value).unwrap_or_default())
            .collect()
    };
    let promotion = |item: &OrderItem, value: &dyn Fn(&tco_core::AppliedPromotion) -> String| {
        item.promotion
            .as_ref()
            .and_then(|code| order.promotions.iter().find(|promotion| &promotion.code == code))
            .map(value)
            .unwrap_or_default()
    };
    let (pay_method, pay_method_code) = match order.payment.payment_type {
        PaymentType::PayPal => ("PayPal", "PAYPAL"),
        _ => ("Visa/MasterCard", "CCVISAMC"),
    };
    let mut out = Fields::new(wanted);
    out.one("GIFT_ORDER", "0");
    out.one("SALEDATE", date(Some(order.placed_at)));
    out.one("PAYMENTDATE", date(paid.then_some(order.placed_at)));
    out.one("REFNO", &order.ref_no);
    out.one("REFNOEXT", order.external_reference.clone().unwrap_or_default());
    // Renewal orders only: where the vendor's list puts it was not legible.
    if !original_references.is_empty() {
        out.many("ORIGINAL_REFNOEXT[]", original_references.clone());
    }
    out.one("SHOPPER_REFERENCE_NUMBER", "");
    out.one("ORDERNO", &order.ref_no);
    out.one("ORDERSTATUS", status);
    out.one("PAYMETHOD", pay_method);
    out.one("PAYMETHOD_CODE", pay_method_code);
    out.one("FIRSTNAME", &billing.first_name);
    out.one("LASTNAME", &billing.last_name);
    out.one("COMPANY", billing.company.clone().unwrap_or_default());
    out.one("REGISTRATIONNUMBER", "");
    out.one("FISCALCODE", billing.fiscal_code.clone().unwrap_or_default());
    for name in ["TAX_OFFICE", "CBANKNAME", "CBANKACCOUNT"] {
        out.one(name, "");
    }
    out.one("ADDRESS1", &billing.address1);
    out.one("ADDRESS2", billing.address2.clone().unwrap_or_default());
    out.one("CITY", &billing.city);
    out.one("STATE", billing.state.clone().unwrap_or_default());
    out.one("ZIPCODE", &billing.zip);
    out.one("COUNTRY", country_name(&billing.country_code));
    out.one("COUNTRY_CODE", billing.country_code.to_ascii_lowercase());
    out.one("PHONE", billing.phone.clone().unwrap_or_default());
    out.one("FAX", "");
    out.one("CUSTOMEREMAIL", &billing.email);
    out.one("FIRSTNAME_D", &delivery.first_name);
    out.one("LASTNAME_D", &delivery.last_name);
    out.one("COMPANY_D", delivery.company.clone().unwrap_or_default());
    out.one("ADDRESS1_D", &delivery.address1);
    out.one("ADDRESS2_D", delivery.address2.clone().unwrap_or_default());
    out.one("CITY_D", &delivery.city);
    out.one("STATE_D", delivery.state.clone().unwrap_or_default());
    out.one("ZIPCODE_D", &delivery.zip);
    out.one("COUNTRY_D", country_name(&delivery.country_code));
    out.one("COUNTRY_D_CODE", delivery.country_code.to_ascii_lowercase());
    out.one("PHONE_D", delivery.phone.clone().unwrap_or_default());
    out.one("EMAIL_D", &delivery.email);
    out.one("IPADDRESS", order.payment.customer_ip.clone().unwrap_or_default());
    out.one("IPCOUNTRY", country_name(&billing.country_code));
    out.one("COMPLETE_DATE", date(order.finish_date(at)));
    out.one("TIMEZONE_OFFSET", "GMT+00:00");
    out.one("CURRENCY", &order.currency);
    out.one("LANGUAGE", &order.language);
    out.one("ORDERFLOW", "REGULAR");
    out.many("IPN_PID[]", per_line(&|item| item.product_id.to_string()));
    out.many("IPN_PNAME[]", per_line(&|item| item.product_name.clone()));
    out.many("IPN_PCODE[]", per_line(&|item| item.product_code.clone()));
    out.many("IPN_EXTERNAL_REFERENCE[]", per_line(&|_| String::new()));
    out.many("IPN_INFO[]", per_line(&|item| item.price_options.join(",")));
    out.many("IPN_QTY[]", per_line(&|item| item.quantity.to_string()));
    out.many("IPN_PRICE[]", per_line(&|item| money(item.price.unit_net)));
    out.many("IPN_VAT[]", per_line(&|item| money(item.price.vat)));
    out.many("IPN_VAT_RATE[]", per_line(&|item| format!("{:.4}", item.price.vat_percent.round_dp(4))));
    out.many("IPN_VER[]", per_line(&|_| "1".to_owned()));
    out.many("IPN_DISCOUNT[]", per_line(&|item| money(item.price.discount)));
    out.many("IPN_PROMOTION_CATEGORY[]", per_line(&|item| promotion(item, &|_| "Regular".to_owned())));
    out.many("IPN_PROMONAME[]", per_line(&|item| promotion(item, &|promotion| promotion.name.clone())));
    out.many(
        "IPN_PROMOCODE[]",
        per_line(&|item| promotion(item, &|promotion| promotion.coupon.clone().unwrap_or_default())),
    );
    out.many("IPN_ORDER_COSTS[]", per_line(&|_| money(Decimal::ZERO)));
    out.many("IPN_SKU[]", per_line(&|_| String::new()));
    out.one("IPN_PARTNER_CODE", "");
    out.many("IPN_PGROUP[]", per_line(&|_| "0".to_owned()));
    out.many("IPN_PGROUP_NAME[]", per_line(&|_| String::new()));
    out.one("MESSAGE_ID", message_id.to_string());
    out.one("MESSAGE_TYPE", message_type(status));
    out.many("IPN_LICENSE_PROD[]", licences(&|subscription| subscription.product_code.clone()));
    out.many(
        "IPN_LICENSE_TYPE[]",
        licences(&|subscription| if subscription.trial { "TRIAL" } else { "REGULAR" }.to_owned()),
    );
    out.many("IPN_LICENSE_REF[]", licences(&|subscription| subscription.reference.clone()));
    out.many("IPN_LICENSE_EXP[]", licences(&|subscription| licence_expiration(subscription.expiration_date)));
    out.many("IPN_LICENSE_START[]", licences(&|subscription| date(Some(subscription.start_date))));
    out.many(
        "IPN_LICENSE_LIFETIME[]",
        licences(&|subscription| if subscription.lifetime() { "YES" } else { "NO" }.to_owned()),
    );
    out.many("IPN_LICENSE_ADDITIONAL_INFO[]", per_line(&|_| String::new()));
    out.many("IPN_DELIVEREDCODES[]", per_line(&|_| String::new()));
    out.one("IPN_DOWNLOAD_LINK", "");
    out.many("IPN_TOTAL[]", per_line(&|item| money(item.price.gross_discounted())));
    out.one("IPN_TOTALGENERAL", money(order.totals.gross_discounted()));
    out.one("IPN_SHIPPING", money(shipping.map_or(Decimal::ZERO, |line| line.price.net_discounted())));
    out.one("IPN_SHIPPING_TAX", money(shipping.map_or(Decimal::ZERO, |line| line.price.vat)));
    out.one("AVANGATE_CUSTOMER_REFERENCE", order.customer_reference.to_string());
    out.one("EXTERNAL_CUSTOMER_REFERENCE", order.external_customer_reference.clone().unwrap_or_default());
    for name in ["IPN_PARTNER_MARGIN_PERCENT", "IPN_PARTNER_MARGIN", "IPN_EXTRA_MARGIN", "IPN_EXTRA_DISCOUNT"]
    {
        out.one(name, money(Decimal::ZERO));
    }
    out.one("IPN_COUPON_DISCOUNT", money(order.totals.discount));
    out.one("IPN_LINK_SOURCE", order.source.clone().unwrap_or_default());
    out.one("IPN_COMMISSION", money(Decimal::ZERO));
    let refund_type = match (status, refund) {
        ("REFUND", Some(refund)) => refund.kind.as_str(),
        ("REFUND", None) => "TOTAL",
        _ => "",
    };
    out.one("REFUND_TYPE", refund_type);
    let chargeback = order.adjustments.chargeback.as_ref();
    out.one("CHARGEBACK_RESOLUTION", chargeback.map_or("NONE", |chargeback| chargeback.resolution.as_str()));
    out.one("CHARGEBACK_REASON_CODE", chargeback.map_or("", |chargeback| chargeback.reason_code.as_str()));
    out.one("TEST_ORDER", if order.test { "1" } else { "0" });
    out.one("IPN_ORDER_ORIGIN", "API");
    out.one("FRAUD_STATUS", if paid { "APPROVED" } else { "PENDING" });
    out.one("CARD_TYPE", card.map(|card| card.card_type.clone()).unwrap_or_default());
    out.one("CARD_LAST_DIGITS", card.map(|card| card.last_digits.clone()).unwrap_or_default());
    out.one(
        "CARD_EXPIRATION_DATE",
        card.map(|card| format!("{:0>2}/{}", card.expiration_month, last_two(&card.expiration_year)))
            .unwrap_or_default(),
    );
    let response = match &order.error {
        Some((_, message)) => message.clone(),
        None if paid => "Approved".to_owned(),
        None => String::new(),
    };
    out.one("GATEWAY_RESPONSE", response);
    out.one("IPN_DATE", at.format(IPN_DATE).to_string());
    out.one("FX_RATE", "1");
    out.one("FX_MARKUP", money(Decimal::ZERO));
    out.one("PAYABLE_AMOUNT", money(order.totals.gross_discounted()));
    out.one("PAYOUT_CURRENCY", &order.currency);
    out.one("VENDOR_CODE", merchant_code);
    out.one("PROPOSAL_ID", "");
    out
}

fn last_two(year: &str) -> &str {
    year.get(year.len().saturating_sub(2)..).unwrap_or(year)
}

/// A licence's expiration; a lifetime one is the vendor's `9999-12-31 23:59:59`.
pub(crate) fn licence_expiration(expiration: Option<DateTime<Utc>>) -> String {
    match expiration {
        Some(at) => at.format(DATE).to_string(),
        None => "9999-12-31 23:59:59".to_owned(),
    }
}
