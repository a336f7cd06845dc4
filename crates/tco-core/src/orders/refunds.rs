//! Money going back: refunds (requests that settle after the merchant's delay) and chargebacks,
//! kept with the order, and the vendor's rules for a new refund (round3-vendor-facts.md §5).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::orders::{Order, OrderStatus, PurchaseType};
use crate::settings::RefundSettings;

vendor_enum! {
    /// A total refund returns what remained of the order; a partial one, less.
    pub enum RefundKind { Total = "TOTAL", Partial = "PARTIAL" }
}

/// A line of a refund: units of an order line and the amount they return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundLine {
    pub line_item_reference: String,
    pub quantity: u32,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub kind: RefundKind,
    /// In the order's currency.
    pub amount: Decimal,
    pub items: Vec<RefundLine>,
    pub reason: String,
    pub comment: String,
    pub requested_at: DateTime<Utc>,
    pub settles_at: DateTime<Utc>,
}

impl Refund {
    /// `PENDING` until it settles, then `COMPLETED`.
    pub fn status(&self, now: DateTime<Utc>) -> &'static str {
        if now >= self.settles_at { "COMPLETED" } else { "PENDING" }
    }
}

/// A chargeback the card holder's bank made (the admin API records it; no API call can).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chargeback {
    pub reason_code: String,
    pub resolution: String,
    pub at: DateTime<Utc>,
}

/// What went back of an order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjustments {
    pub refunds: Vec<Refund>,
    pub chargeback: Option<Chargeback>,
}

/// `issueRefund` as clients send it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefundInput {
    pub amount: Option<Decimal>,
    pub items: Vec<RefundLineInput>,
    pub comment: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefundLineInput {
    pub line_item_reference: Option<String>,
    pub quantity: Option<i64>,
    pub amount: Option<Decimal>,
}

/// The order's lines that can be refunded, with their gross.
fn product_lines(order: &Order) -> impl Iterator<Item = &crate::orders::OrderItem> {
    order.items.iter().filter(|item| item.purchase_type == PurchaseType::Product)
}

impl Order {
    /// What the customer paid.
    pub fn paid_total(&self) -> Decimal {
        self.totals.gross_discounted()
    }

    /// What was refunded so far (requested, settled or not).
    pub fn refunded(&self) -> Decimal {
        self.adjustments.refunds.iter().map(|refund| refund.amount).sum()
    }

    /// What may still be refunded of the whole order.
    pub fn refundable(&self) -> Decimal {
        self.paid_total() - self.refunded()
    }

    /// What may still be refunded of the line `line`.
    pub fn refundable_on_line(&self, line: &crate::orders::OrderItem) -> Decimal {
        line.price.gross_discounted() - self.refunded_on_line(&line.line_item_reference)
    }

    fn refunded_units(&self, line: &str) -> u32 {
        self.adjustments
            .refunds
            .iter()
            .flat_map(|refund| &refund.items)
            .filter(|item| item.line_item_reference == line)
            .map(|item| item.quantity)
            .sum()
    }

    /// What its refunds took back from the line `line`.
    pub fn refunded_on_line(&self, line: &str) -> Decimal {
        self.adjustments
            .refunds
            .iter()
            .flat_map(|refund| &refund.items)
            .filter(|item| item.line_item_reference == line)
            .map(|item| item.amount)
            .sum()
    }
}

const NOT_ALLOWED_STATUS: &str = "You cannot place a refund request due to the order's current status.";

/// Whether the order may be refunded at all at `now` (the vendor's order of checks).
fn check_refundable(order: &Order, settings: &RefundSettings, now: DateTime<Utc>) -> Result<()> {
    let refunds = &order.adjustments.refunds;
    if refunds.iter().any(|refund| refund.kind == RefundKind::Total) {
        return Err(Error::RefundNotAllowed("You have already placed a Total refund for this order."));
    }
    if refunds.iter().any(|refund| refund.settles_at > now) {
        return Err(Error::RefundNotAllowed("You already have a pending refund request."));
    }
    match order.status(now) {
        OrderStatus::Complete => {}
        OrderStatus::Canceled => return Err(Error::RefundNotAllowed("Order already canceled")),
        _ => return Err(Error::RefundNotAllowed(NOT_ALLOWED_STATUS)),
    }
    if order.paid_total() <= Decimal::ZERO {
        return Err(Error::RefundNotAllowed(
            "You cannot place a refund request due to the order's payment details.",
        ));
    }
    if now > crate::kernel::dates::shifted(order.placed_at, settings.age_limit) {
        return Err(Error::RefundNotAllowed(
            "The allowed period to request a new refund for this order has expired.",
        ));
    }
    Ok(())
}

/// The lines a refund names, checked against what is left of each.
fn refund_lines(order: &Order, input: &[RefundLineInput]) -> Result<Vec<RefundLine>> {
    let mut lines: Vec<RefundLine> = Vec::with_capacity(input.len());
    for item in input {
        let reference = item.line_item_reference.as_deref().map(str::trim).unwrap_or_default();
        let line = product_lines(order)
            .find(|line| line.line_item_reference == reference)
            .ok_or(Error::InvalidRefundItems("PRODUCTS_CODES missing or format incorrect"))?;
        let quantity =
            item.quantity.ok_or(Error::InvalidRefundItems("PRODUCTS_QTY missing or format incorrect"))?;
        let already = order.refunded_units(reference)
            + lines
                .iter()
                .filter(|taken| taken.line_item_reference == reference)
                .map(|taken| taken.quantity)
                .sum::<u32>();
        let left = line.quantity.saturating_sub(already);
        let quantity = u32::try_from(quantity)
            .ok()
            .filter(|quantity| (1..=left).contains(quantity))
            .ok_or(Error::InvalidRefundItems("Invalid PRODUCTS_QTY"))?;
        let unit = line.price.gross_discounted() / Decimal::from(line.quantity.max(1));
        let amount = match item.amount {
            Some(amount) => amount,
            None => (unit * Decimal::from(quantity)).round_dp(2),
        };
        let line_left = order.refundable_on_line(line);
        if amount <= Decimal::ZERO || amount.normalize().scale() > 2 || amount > line_left {
            return Err(Error::InvalidRefundAmount("Invalid ORDER_AMOUNT"));
        }
        lines.push(RefundLine { line_item_reference: reference.to_owned(), quantity, amount });
    }
    Ok(lines)
}

/// A new refund of `order` as `input` asks, at `now`, or why not (the vendor's messages).
pub(crate) fn plan_refund(
    order: &Order,
    input: &RefundInput,
    settings: &RefundSettings,
    now: DateTime<Utc>,
) -> Result<Refund> {
    check_refundable(order, settings, now)?;
    let amount =
        input.amount.ok_or(Error::InvalidRefundAmount("ORDER_AMOUNT missing or format incorrect"))?;
    if amount <= Decimal::ZERO || amount.normalize().scale() > 2 {
        return Err(Error::InvalidRefundAmount("Invalid ORDER_AMOUNT"));
    }
    let remaining = order.refundable();
    if amount > remaining {
        return Err(Error::InvalidRefundAmount(
            "The maximum refundable amount for this order has been exceeded.",
        ));
    }
    let items = refund_lines(order, &input.items)?;
    let text = |value: &Option<String>, what: &'static str| {
        crate::kernel::fields::optional(what, value.clone(), 255)?.ok_or(Error::InvalidRefundReason(what))
    };
    let comment = text(&input.comment, "Comment")?;
    let reason = text(&input.reason, "Reason")?;
    let kind = if amount == remaining { RefundKind::Total } else { RefundKind::Partial };
    Ok(Refund {
        kind,
        amount: amount.normalize().round_dp(2),
        items,
        reason,
        comment,
        requested_at: now,
        settles_at: crate::kernel::dates::shifted(now, settings.settle_after),
    })
}
