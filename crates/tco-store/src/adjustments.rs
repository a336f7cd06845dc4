//! An order's refunds and chargeback, stored as one JSON document in its row (`adjustments`),
//! and [`OrderStore::adjust_order`]'s transaction.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tco_core::{Adjustments, Chargeback, OrderAdjustment, Refund, RefundKind, RefundLine};

use crate::db::{Conn, DbError, Param};

#[derive(Debug, Serialize, Deserialize)]
struct Document {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    refunds: Vec<RefundDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chargeback: Option<(String, String, i64)>,
}

/// Amounts as their decimal text, times as epoch milliseconds.
#[derive(Debug, Serialize, Deserialize)]
struct RefundDocument {
    kind: String,
    amount: String,
    items: Vec<(String, u32, String)>,
    reason: String,
    comment: String,
    requested_at: i64,
    settles_at: i64,
}

fn time(millis: i64) -> Result<DateTime<Utc>, DbError> {
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| DbError::Decode(format!("{millis} ms is out of range")))
}

fn amount(text: &str) -> Result<tco_core::Decimal, DbError> {
    text.parse().map_err(|_| DbError::Decode(format!("an amount {text:?}")))
}

/// The document of `adjustments`; `None` when there are none.
pub(crate) fn encode(adjustments: &Adjustments) -> Result<Option<String>, DbError> {
    if adjustments == &Adjustments::default() {
        return Ok(None);
    }
    let document = Document {
        refunds: adjustments
            .refunds
            .iter()
            .map(|refund| RefundDocument {
                kind: refund.kind.as_str().to_owned(),
                amount: refund.amount.to_string(),
                items: refund
                    .items
                    .iter()
                    .map(|line| (line.line_item_reference.clone(), line.quantity, line.amount.to_string()))
                    .collect(),
                reason: refund.reason.clone(),
                comment: refund.comment.clone(),
                requested_at: refund.requested_at.timestamp_millis(),
                settles_at: refund.settles_at.timestamp_millis(),
            })
            .collect(),
        chargeback: adjustments.chargeback.as_ref().map(|chargeback| {
            (chargeback.reason_code.clone(), chargeback.resolution.clone(), chargeback.at.timestamp_millis())
        }),
    };
    serde_json::to_string(&document).map(Some).map_err(|error| DbError::Decode(error.to_string()))
}

pub(crate) fn decode(text: Option<&str>) -> Result<Adjustments, DbError> {
    let Some(text) = text else { return Ok(Adjustments::default()) };
    let document: Document = serde_json::from_str(text)
        .map_err(|error| DbError::Decode(format!("an order's adjustments: {error}")))?;
    let refunds = document
        .refunds
        .into_iter()
        .map(|refund| {
            Ok(Refund {
                kind: RefundKind::parse(&refund.kind)
                    .ok_or_else(|| DbError::Decode(format!("a refund kind {}", refund.kind)))?,
                amount: amount(&refund.amount)?,
                items: refund
                    .items
                    .into_iter()
                    .map(|(line_item_reference, quantity, line_amount)| {
                        Ok(RefundLine { line_item_reference, quantity, amount: amount(&line_amount)? })
                    })
                    .collect::<Result<_, DbError>>()?,
                reason: refund.reason,
                comment: refund.comment,
                requested_at: time(refund.requested_at)?,
                settles_at: time(refund.settles_at)?,
            })
        })
        .collect::<Result<_, DbError>>()?;
    let chargeback = match document.chargeback {
        Some((reason_code, resolution, at)) => Some(Chargeback { reason_code, resolution, at: time(at)? }),
        None => None,
    };
    Ok(Adjustments { refunds, chargeback })
}

/// Records `adjustment` on the merchant's order, if its adjustments are still those it was
/// decided on.
pub(crate) async fn adjust(
    conn: &mut dyn Conn,
    merchant_code: &str,
    adjustment: &OrderAdjustment,
) -> Result<(), DbError> {
    let before = encode(&adjustment.before)?;
    let row = conn
        .optional(
            "SELECT adjustments, customer_reference FROM tco_orders WHERE ref_no = $1 AND merchant_code = $2",
            &[Param::from(&adjustment.ref_no), Param::from(merchant_code)],
        )
        .await?
        .ok_or(DbError::Store(tco_core::StoreError::Conflict("the order is gone".into())))?;
    if row.optional_text("adjustments")? != before {
        return Err(DbError::Store(tco_core::StoreError::Conflict(
            "the order was refunded meanwhile".into(),
        )));
    }
    conn.execute(
        "UPDATE tco_orders SET adjustments = $1, status = COALESCE($2, status) WHERE ref_no = $3 AND merchant_code = $4",
        &[
            Param::from(encode(&adjustment.after)?),
            Param::from(adjustment.status.map(|status| status.as_str())),
            Param::from(&adjustment.ref_no),
            Param::from(merchant_code),
        ],
    )
    .await?;
    for reference in &adjustment.disable_subscriptions {
        conn.execute(
            "UPDATE tco_subscriptions SET enabled = 0, modified_at = $1 WHERE reference = $2 AND merchant_code = $3",
            &[Param::from(adjustment.now), Param::from(reference), Param::from(merchant_code)],
        )
        .await?;
    }
    if !adjustment.disable_subscriptions.is_empty() {
        let customer = row.integer("customer_reference")?;
        conn.execute(
            crate::orders::CUSTOMER_STATUS,
            &[Param::Integer(customer), Param::from(adjustment.now)],
        )
        .await?;
    }
    crate::notifications::insert_events(conn, merchant_code, &adjustment.events, &adjustment.ref_no).await?;
    Ok(())
}
