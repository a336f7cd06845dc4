//! `sales/*`: a sale is an order, its invoices the order and its subscriptions' renewal and
//! upgrade orders, a lineitem an invoice's line.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use tco_core::{
    Error, Gateway, MerchantContext, Order, OrderItem, OrderSearchInput, OrderStatus, PaymentType,
    RefundInput, RefundLineInput, Result,
};

use crate::LegacyRequest;
use crate::wire::{date_time, day, money, number, page_info, paging, payload, text};

/// The refund categories of the legacy API; 7 is internal and refused.
const CATEGORIES: [&str; 17] = [
    "Did not receive order",
    "Did not like item",
    "Item(s) not as described",
    "Fraud",
    "Other",
    "Item not available",
    "Internal",
    "No response from merchant",
    "Recurring last installment",
    "Cancellation",
    "Billed in error",
    "Prohibited product",
    "Service refunded at merchant's request",
    "Non delivery",
    "Not as described",
    "Out of stock",
    "Duplicate",
];

/// The category forbidden to merchants.
pub(crate) const INTERNAL_CATEGORY: &str = "7";

type Answer = Result<(&'static str, Map<String, Value>)>;

/// The sale a request names by `sale_id` or `invoice_id` (an invoice names its sale's first
/// order when it is a renewal: the renewal's line names the subscription, whose order is the
/// sale).
async fn sale_ref_no(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Result<String> {
    if let Some(sale) = request.get("sale_id") {
        return Ok(sale);
    }
    let invoice = request.get("invoice_id").ok_or(Error::MissingField("sale_id"))?;
    let order = gateway.order(merchant, &invoice).await?;
    Ok(order.original_ref_no().to_owned())
}

/// `sales/detail_sale`.
pub(crate) async fn detail_sale(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let ref_no = sale_ref_no(gateway, merchant, request).await?;
    let sale = sale(gateway, merchant, &ref_no, &request.seller_id).await?;
    Ok(("Sale detail retrieved", payload("sale", sale)))
}

/// `acct/detail_pending_payment`'s successor is getOrder: the sale's detail too.
pub(crate) async fn detail_pending_payment(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    detail_sale(gateway, merchant, request).await
}

async fn sale(gateway: &Gateway, merchant: &MerchantContext, ref_no: &str, seller_id: &str) -> Result<Value> {
    let orders = gateway.order_with_renewals(merchant, ref_no).await?;
    let comments = gateway.order_comments(merchant, ref_no).await?;
    let now = gateway.now();
    let Some(first) = orders.first() else { return Err(Error::OrderNotFound) };
    let invoices: Vec<Value> =
        orders.iter().map(|order| invoice(gateway, merchant, order, &first.ref_no, now)).collect();
    let recurring = first.subscriptions.iter().any(|subscription| subscription.recurring_enabled);
    Ok(json!({
        "sale_id": first.ref_no,
        "date_placed": date_time(first.placed_at),
        "vendor_id": seller_id,
        "recurring": number(u8::from(recurring)),
        "customer": customer(first),
        "invoices": invoices,
        "comments": comments.iter().map(|comment| json!({
            "comment": comment.comment,
            "username": comment.username,
            "timestamp": date_time(comment.created_at),
            "changed_by_ip": Value::Null,
        })).collect::<Vec<_>>(),
    }))
}

fn customer(order: &Order) -> Value {
    let billing = &order.billing;
    let card = order.payment.card.as_ref();
    let method = match order.payment.payment_type {
        PaymentType::PayPal => "paypal",
        _ => "credit_card",
    };
    json!({
        "customer_id": number(order.customer_reference),
        "first_name": billing.first_name,
        "last_name": billing.last_name,
        "cardholder_name": card.map(|card| card.holder_name.clone()),
        "email_address": billing.email,
        "phone": billing.phone,
        "address_1": billing.address1,
        "address_2": billing.address2,
        "city": billing.city,
        "state": billing.state,
        "postal_code": billing.zip,
        "country_code": tco_core::country_alpha3(&billing.country_code),
        "country_name": tco_core::country_name(&billing.country_code).unwrap_or_default(),
        "lang": order.language,
        "pay_method": {
            "method": method,
            "first_six_digits": card.map(|card| card.first_digits.clone()),
            "last_two_digits": card.map(|card| card.last_digits.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect::<String>()),
        },
    })
}

fn invoice(
    gateway: &Gateway,
    merchant: &MerchantContext,
    order: &Order,
    sale_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let status = order.status(now);
    let usd = |amount: Decimal| {
        gateway.merchant_config(merchant.code()).convert(amount, &order.currency, "USD").unwrap_or(amount)
    };
    let lineitems: Vec<Value> = order
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let subscription = order.item_subscriptions(item).next();
            let amount = item.price.gross_discounted();
            let refunded = order.refundable_on_line(item) <= Decimal::ZERO && amount > Decimal::ZERO;
            let billing = subscription.map(|subscription| {
                let recurring_status = match (subscription.enabled, subscription.recurring_enabled, subscription.expiration_date) {
                    (_, _, None) => "completed",
                    (true, true, _) => "active",
                    _ => "stopped",
                };
                json!({
                    "amount": money(amount),
                    "bill_method": if subscription.expiration_date.is_some() { "recurring" } else { "single" },
                    "customer_amount": money(amount),
                    "date_next": subscription.expiration_date.map(day),
                    "date_end": Value::Null,
                    "recurring_status": recurring_status,
                    "subscription_reference": subscription.reference,
                    "lineitem_id": lineitem_id(&order.ref_no, index),
                })
            });
            json!({
                "lineitem_id": lineitem_id(&order.ref_no, index),
                "invoice_id": order.ref_no,
                "vendor_product_id": item.product_code,
                "product_id": number(item.product_id),
                "product_name": item.product_name,
                "product_price": money(item.price.unit_net),
                "customer_amount": money(amount),
                "usd_amount": money(usd(amount)),
                "vendor_amount": money(amount),
                "quantity": number(item.quantity),
                "status": if refunded || status == OrderStatus::Refund { "refund" } else { "bill" },
                "billing": billing,
            })
        })
        .collect();
    let total = order.paid_total();
    json!({
        "invoice_id": order.ref_no,
        "sale_id": sale_id,
        "date_placed": date_time(order.placed_at),
        "status": status.in_legacy_invoice(),
        "currency_code": order.currency.to_ascii_uppercase(),
        "customer_total": money(total),
        "vendor_total": money(total),
        "usd_total": money(usd(total)),
        "refunded_total": money(order.refunded()),
        "customer_name": format!("{} {}", order.billing.first_name, order.billing.last_name),
        "lineitems": lineitems,
    })
}

/// An invoice's line as the legacy API numbers it: the invoice's `RefNo` and the line's position.
fn lineitem_id(ref_no: &str, index: usize) -> String {
    format!("{ref_no}{:02}", index + 1)
}

/// The invoice and the line a `lineitem_id` names.
async fn lineitem(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Result<(Order, OrderItem)> {
    let id = request.required("lineitem_id")?;
    let invalid = || Error::invalid("lineitem_id", "is not a lineitem of a sale");
    if id.len() < 3 || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid());
    }
    let (ref_no, position) = id.split_at(id.len() - 2);
    let position: usize = position.parse().map_err(|_| invalid())?;
    let order = gateway.order(merchant, ref_no).await?;
    let line = position.checked_sub(1).and_then(|index| order.items.get(index)).cloned();
    match line {
        Some(line) => Ok((order, line)),
        None => Err(Error::OrderNotFound),
    }
}

/// `sales/list_sales`: the sales (first orders, not renewals) that match, newest first unless
/// `sort_col`/`sort_dir` say otherwise, a page of them.
/// How many orders `list_sales` filters at most.
const MAX_SCANNED: usize = 100_000;

pub(crate) async fn list_sales(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let (page, size) = paging(request)?;
    let start = request.get("sale_date_begin").unwrap_or_else(|| "2000-01-01".to_owned());
    let end = request.get("sale_date_end");
    // A sale (or its first invoice) named: that order only, not the date window.
    let ref_no = request.get("sale_id").or_else(|| request.get("invoice_id"));
    let mut sales = Vec::new();
    let mut scanned = 0;
    let mut search_page = 1;
    loop {
        let input = OrderSearchInput {
            ref_no: ref_no.clone(),
            start_date: Some(start.clone()),
            end_date: end.clone(),
            page: Some(search_page),
            limit: Some(200),
            ..OrderSearchInput::default()
        };
        let found = gateway.search_orders(merchant, input).await?;
        scanned += found.items.len();
        // The other filters are applied here, to at most the first 100,000 orders of the window.
        let done = found.items.len() < 200 || scanned >= MAX_SCANNED;
        sales.extend(found.items.into_iter().filter(|order| matches(order, request)));
        if done {
            break;
        }
        search_page += 1;
    }
    sort(&mut sales, request)?;
    let total = sales.len() as u64;
    let config = gateway.merchant_config(merchant.code());
    let skip = usize::try_from((page - 1) * size).unwrap_or(usize::MAX);
    let summaries: Vec<Value> = sales
        .iter()
        .skip(skip)
        .take(usize::try_from(size).unwrap_or(20))
        .map(|order| {
            let total = order.paid_total();
            json!({
                "sale_id": order.ref_no,
                "date_placed": date_time(order.placed_at),
                "customer_name": format!("{} {}", order.billing.first_name, order.billing.last_name),
                "recurring": number(u8::from(order.subscriptions.iter().any(|s| s.recurring_enabled))),
                "recurring_declined": Value::Null,
                "decline_code": order.error.as_ref().map(|(code, _)| code.clone()),
                "usd_total": money(config.convert(total, &order.currency, "USD").unwrap_or(total)),
                "sale_url": text(format!("/api/sales/detail_sale?sale_id={}", order.ref_no)),
            })
        })
        .collect();
    let mut answer = payload("sale_summary", Value::Array(summaries));
    answer.insert("page_info".into(), page_info("sales/list_sales", page, size, total));
    Ok(("Sales list retrieved", answer))
}

/// Whether an order is a sale the request's filters keep.
fn matches(order: &Order, request: &LegacyRequest) -> bool {
    let is_renewal = order.items.iter().any(|item| item.renews.is_some());
    let name = format!("{} {}", order.billing.first_name, order.billing.last_name).to_lowercase();
    let contains =
        |value: &str, part: Option<String>| part.is_none_or(|part| value.contains(&part.to_lowercase()));
    !is_renewal
        && request.get("sale_id").is_none_or(|sale| sale == order.ref_no)
        && request.get("invoice_id").is_none_or(|invoice| invoice == order.ref_no)
        && contains(&name, request.get("customer_name"))
        && request.get("customer_email").is_none_or(|email| email.eq_ignore_ascii_case(&order.billing.email))
        && request
            .get("customer_phone")
            .is_none_or(|phone| order.billing.phone.as_deref().is_some_and(|known| known.starts_with(&phone)))
        && request
            .get("vendor_product_id")
            .is_none_or(|code| order.items.iter().any(|item| item.product_code == code))
        && request.get("refunded").is_none_or(|flag| (flag == "1") == (order.refunded() > Decimal::ZERO))
        && request.get("active_recurrings").is_none_or(|flag| {
            (flag == "1") == order.subscriptions.iter().any(|s| s.enabled && s.recurring_enabled)
        })
}

fn sort(sales: &mut [Order], request: &LegacyRequest) -> Result<()> {
    let column = request.get("sort_col").unwrap_or_else(|| "date_placed".to_owned());
    let descending = match request.get("sort_dir").map(|dir| dir.to_ascii_uppercase()) {
        None => true,
        Some(dir) if dir == "DESC" => true,
        Some(dir) if dir == "ASC" => false,
        Some(_) => return Err(Error::invalid("sort_dir", "is ASC or DESC")),
    };
    match column.as_str() {
        "sale_id" => {
            sales.sort_by(|a, b| a.ref_no.len().cmp(&b.ref_no.len()).then_with(|| a.ref_no.cmp(&b.ref_no)))
        }
        "date_placed" => {
            sales.sort_by(|a, b| a.placed_at.cmp(&b.placed_at).then_with(|| a.ref_no.cmp(&b.ref_no)))
        }
        "customer_name" => sales.sort_by(|a, b| {
            (&a.billing.first_name, &a.billing.last_name).cmp(&(&b.billing.first_name, &b.billing.last_name))
        }),
        "usd_total" => sales.sort_by_key(Order::paid_total),
        "recurring" | "recurring_declined" => sales.sort_by_key(|order| {
            order.subscriptions.iter().any(|subscription| subscription.recurring_enabled)
        }),
        _ => {
            return Err(Error::invalid(
                "sort_col",
                "is one of sale_id, date_placed, customer_name, recurring, recurring_declined, usd_total",
            ));
        }
    }
    if descending {
        sales.reverse();
    }
    Ok(())
}

/// The refund category's text, as the core's reason (category 7 is refused before).
fn category(request: &LegacyRequest) -> Result<String> {
    let category = request.required("category")?;
    let index: usize =
        category.parse().map_err(|_| Error::invalid("category", "is a number from 1 to 17"))?;
    match index.checked_sub(1).and_then(|index| CATEGORIES.get(index)) {
        Some(text) if category != INTERNAL_CATEGORY => Ok((*text).to_owned()),
        _ => Err(Error::invalid("category", "is a number from 1 to 17, other than 7")),
    }
}

/// `sales/refund_invoice`: the invoice's remaining balance, or `amount` of it.
pub(crate) async fn refund_invoice(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let reason = category(request)?;
    let comment = request.required("comment")?;
    let ref_no = match request.get("invoice_id") {
        Some(invoice) => invoice,
        None => request.required("sale_id")?,
    };
    let order = gateway.order(merchant, &ref_no).await?;
    let remaining = order.refundable();
    let amount = match request.get("amount") {
        None => remaining,
        Some(text) => {
            let amount: Decimal = text.parse().map_err(|_| Error::invalid("amount", "is not an amount"))?;
            match request.get("currency").map(|currency| currency.to_ascii_lowercase()) {
                Some(currency) if currency == "usd" => {
                    gateway.merchant_config(merchant.code()).convert(amount, "USD", &order.currency)?
                }
                Some(currency) if currency == "vendor" || currency == "customer" => amount,
                Some(_) => return Err(Error::invalid("currency", "is usd, vendor or customer")),
                None => return Err(Error::MissingField("currency")),
            }
        }
    };
    if amount > remaining {
        return Err(Error::invalid("amount", "Amount greater than remaining balance on invoice."));
    }
    let input =
        RefundInput { amount: Some(amount), items: Vec::new(), comment: Some(comment), reason: Some(reason) };
    gateway.issue_refund(merchant, &order.ref_no, input).await?;
    Ok(("refund added to invoice", Map::new()))
}

/// `sales/refund_lineitem`: the whole line.
pub(crate) async fn refund_lineitem(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let reason = category(request)?;
    let comment = request.required("comment")?;
    let (order, line) = lineitem(gateway, merchant, request).await?;
    let left = order.refundable_on_line(&line);
    if left <= Decimal::ZERO {
        return Err(Error::RefundNotAllowed("Lineitem was already refunded."));
    }
    let input = RefundInput {
        amount: Some(left),
        items: vec![RefundLineInput {
            line_item_reference: Some(line.line_item_reference.clone()),
            quantity: Some(i64::from(line.quantity)),
            amount: Some(left),
        }],
        comment: Some(comment),
        reason: Some(reason),
    };
    gateway.issue_refund(merchant, &order.ref_no, input).await?;
    Ok(("lineitem refunded", Map::new()))
}

/// `sales/stop_lineitem_recurring`: the line's subscription stops renewing.
pub(crate) async fn stop_lineitem_recurring(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let (order, line) = lineitem(gateway, merchant, request).await?;
    let subscription = order.item_subscriptions(&line).next();
    let Some(subscription) = subscription.filter(|subscription| subscription.recurring_enabled) else {
        return Err(Error::InvalidSubscriptionOperation("Lineitem is not scheduled to recur."));
    };
    gateway.set_recurring_billing(merchant, &subscription.reference, false, &[], None).await?;
    Ok(("Recurring billing stopped for lineitem", Map::new()))
}

/// `sales/create_comment`.
pub(crate) async fn create_comment(
    gateway: &Gateway,
    merchant: &MerchantContext,
    request: &LegacyRequest,
) -> Answer {
    let sale = request.required("sale_id")?;
    gateway.add_order_comment(merchant, &sale, request.get("sale_comment"), &request.username).await?;
    Ok(("Created comment successfully.", Map::new()))
}
