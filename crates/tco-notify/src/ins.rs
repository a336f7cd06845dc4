//! INS, the legacy 2Checkout API's notifications: a sale's event as `key=value` fields in the
//! order the vendor's documentation lists them, items numbered from `_1`, signed with
//! `md5_hash = UPPER(MD5(sale_id + vendor_id + invoice_id + secret word))`. A listener accepts
//! one by answering 2xx: INS has no read receipt.

use md5::{Digest, Md5};
use rust_decimal::Decimal;
use tco_core::{Announcement, DueEvent, InsMessage, Order, OrderItem, PaymentType, refund_of};

use crate::ipn::money;

/// `UPPER(MD5(sale_id + vendor_id + invoice_id + secret_word))`, plain MD5 of the concatenation.
pub fn md5_hash(sale_id: &str, vendor_id: &str, invoice_id: &str, secret_word: &str) -> String {
    let digest = Md5::digest(format!("{sale_id}{vendor_id}{invoice_id}{secret_word}").as_bytes());
    hex::encode_upper(digest)
}

fn description(message: InsMessage) -> &'static str {
    match message {
        InsMessage::OrderCreated => "New Order Created",
        InsMessage::FraudStatusChanged => "Fraud Status Changed",
        InsMessage::InvoiceStatusChanged => "Invoice Status Changed",
        InsMessage::RefundIssued => "Refund Issued",
        InsMessage::RecurringInstallmentSuccess => "Recurring Installment Successfully Billed",
        InsMessage::RecurringInstallmentFailed => "Recurring Installment Failed to Bill",
        InsMessage::RecurringStopped => "Recurring Stopped",
    }
}

fn put(out: &mut Vec<(String, String)>, name: &str, value: String) {
    out.push((name.to_owned(), value));
}

/// The INS fields of an order's event.
pub fn fields(order: &Order, announcement: &Announcement) -> Vec<(String, String)> {
    let event: &DueEvent = &announcement.event;
    let message = InsMessage::parse(&event.event).unwrap_or(InsMessage::OrderCreated);
    let legacy = &announcement.legacy;
    let usd = |amount: Decimal| money((amount * legacy.usd_rate).round_dp(2));
    let sale = order.original_ref_no().to_owned();
    let refund = match message {
        InsMessage::RefundIssued => refund_of(order, event),
        _ => None,
    };
    // Recurring messages are about one line: the subscription's.
    let lines: Vec<&OrderItem> = match (message, event.detail.as_deref()) {
        (
            InsMessage::RecurringInstallmentFailed
            | InsMessage::RecurringStopped
            | InsMessage::RecurringInstallmentSuccess,
            Some(reference),
        ) => order
            .items
            .iter()
            .filter(|item| {
                item.renews.as_deref() == Some(reference)
                    || order.subscriptions.iter().any(|subscription| {
                        subscription.reference == reference
                            && subscription.line_item_reference == item.line_item_reference
                    })
            })
            .collect(),
        _ => {
            order.items.iter().filter(|item| item.purchase_type == tco_core::PurchaseType::Product).collect()
        }
    };
    let invoice_amount = refund.map_or_else(|| order.paid_total(), |refund| refund.amount);
    let billing = &order.billing;
    let delivery = order.delivery.as_ref();
    let recurring = order.subscriptions.iter().any(|subscription| subscription.recurring_enabled);
    let payment_type = match order.payment.payment_type {
        PaymentType::PayPal => "paypal ec",
        _ => "credit card",
    };
    let invoice_status = order.status(event.due_at).in_legacy_invoice();
    let mut out: Vec<(String, String)> = Vec::new();
    put(&mut out, "sale_id", sale.clone());
    put(&mut out, "sale_date_placed", order.placed_at.format("%Y-%m-%d %H:%M:%S").to_string());
    put(&mut out, "recurring", u8::from(recurring).to_string());
    put(&mut out, "payment_type", payment_type.to_owned());
    put(&mut out, "list_currency", order.currency.to_ascii_uppercase());
    put(&mut out, "fraud_status", "pass".to_owned());
    put(&mut out, "order_ref", order.ref_no.clone());
    put(&mut out, "order_no", "0".to_owned());
    put(&mut out, "vendor_id", legacy.seller_id.clone());
    put(&mut out, "vendor_order_id", order.external_reference.clone().unwrap_or_default());
    put(&mut out, "invoice_id", order.ref_no.clone());
    put(&mut out, "invoice_status", invoice_status.to_owned());
    put(&mut out, "invoice_list_amount", money(invoice_amount));
    put(&mut out, "invoice_usd_amount", usd(invoice_amount));
    put(&mut out, "invoice_cust_amount", money(invoice_amount));
    put(&mut out, "item_count", lines.len().to_string());
    put(&mut out, "auth_exp", String::new());
    put(&mut out, "customer_first_name", billing.first_name.clone());
    put(&mut out, "customer_last_name", billing.last_name.clone());
    put(&mut out, "customer_name", format!("{} {}", billing.first_name, billing.last_name));
    put(&mut out, "customer_email", billing.email.clone());
    put(&mut out, "customer_phone", billing.phone.clone().unwrap_or_default());
    put(&mut out, "customer_ip", order.payment.customer_ip.clone().unwrap_or_default());
    put(&mut out, "customer_ip_country", String::new());
    put(&mut out, "cust_currency", order.currency.to_ascii_uppercase());
    put(&mut out, "bill_city", billing.city.clone());
    put(&mut out, "bill_country", tco_core::country_alpha3(&billing.country_code));
    put(&mut out, "bill_postal_code", billing.zip.clone());
    put(&mut out, "bill_state", billing.state.clone().unwrap_or_default());
    put(&mut out, "bill_street_address", billing.address1.clone());
    put(&mut out, "bill_street_address2", billing.address2.clone().unwrap_or_default());
    put(&mut out, "ship_status", if delivery.is_some() { "not_shipped" } else { "" }.to_owned());
    put(&mut out, "ship_tracking_number", String::new());
    put(
        &mut out,
        "ship_name",
        delivery.map(|d| format!("{} {}", d.first_name, d.last_name)).unwrap_or_default(),
    );
    put(&mut out, "ship_street_address", delivery.map(|d| d.address1.clone()).unwrap_or_default());
    put(&mut out, "ship_street_address2", delivery.and_then(|d| d.address2.clone()).unwrap_or_default());
    put(&mut out, "ship_city", delivery.map(|d| d.city.clone()).unwrap_or_default());
    put(&mut out, "ship_state", delivery.and_then(|d| d.state.clone()).unwrap_or_default());
    put(&mut out, "ship_postal_code", delivery.map(|d| d.zip.clone()).unwrap_or_default());
    put(
        &mut out,
        "ship_country",
        delivery.map(|d| tco_core::country_alpha3(&d.country_code)).unwrap_or_default(),
    );
    put(&mut out, "message_id", event.id.to_string());
    put(&mut out, "message_type", message.as_str().to_owned());
    put(&mut out, "message_description", description(message).to_owned());
    put(&mut out, "timestamp", event.due_at.format("%Y-%m-%d %H:%M:%S").to_string());
    // Counted once every field is written.
    let key_count_at = out.len();
    let kind = if refund.is_some() { "refund" } else { "bill" };
    for (index, item) in lines.iter().enumerate() {
        let n = index + 1;
        let amount = match refund {
            Some(refund) => refund
                .items
                .iter()
                .find(|line| line.line_item_reference == item.line_item_reference)
                .map_or_else(|| item.price.gross_discounted(), |line| line.amount),
            None => item.price.gross_discounted(),
        };
        let subscription = order.item_subscriptions(item).next();
        put(&mut out, &format!("item_name_{n}"), item.product_name.clone());
        put(&mut out, &format!("item_id_{n}"), item.product_code.clone());
        put(&mut out, &format!("item_list_amount_{n}"), money(amount));
        put(&mut out, &format!("item_usd_amount_{n}"), usd(amount));
        put(&mut out, &format!("item_cust_amount_{n}"), money(amount));
        put(&mut out, &format!("item_type_{n}"), kind.to_owned());
        put(
            &mut out,
            &format!("item_duration_{n}"),
            if subscription.is_some() { "Forever" } else { "" }.to_owned(),
        );
        put(&mut out, &format!("item_recurrence_{n}"), String::new());
        let status = match (subscription, message) {
            (None, _) => "",
            (Some(_), InsMessage::RecurringStopped) => "stop",
            (Some(_), InsMessage::RecurringInstallmentFailed) => "fail",
            (Some(subscription), _) if subscription.recurring_enabled => "live",
            (Some(_), _) => "stop",
        };
        put(&mut out, &format!("item_rec_status_{n}"), status.to_owned());
        let next = subscription.and_then(|subscription| subscription.expiration_date);
        put(
            &mut out,
            &format!("item_rec_date_next_{n}"),
            next.map(|at| at.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        );
        put(
            &mut out,
            &format!("item_rec_install_billed_{n}"),
            if subscription.is_some() { "1" } else { "" }.to_owned(),
        );
    }
    let key_count = out.len() + 2;
    out.insert(key_count_at, ("key_count".to_owned(), key_count.to_string()));
    let hash = md5_hash(&sale, &legacy.seller_id, &order.ref_no, &legacy.secret_word);
    out.push(("md5_hash".to_owned(), hash));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_md5_hash() {
        // Vendor facts §3's worked example.
        assert_eq!(
            md5_hash("1234567890", "901234567", "9876543210", "tango"),
            "3E38AAB2A6D66E006F29F4DF7FA59820"
        );
    }
}
