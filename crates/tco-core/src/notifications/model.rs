//! Events, deliveries and settings.

use chrono::{DateTime, Utc};

vendor_enum! {
    /// IPN for orders, LCN for subscriptions, INS (the legacy API's notifications) for sales —
    /// and the gateway's own automatic renewals, events of the same outbox that announce nothing
    /// themselves (the renewal order and the LCN do).
    pub enum NotificationKind { Ipn = "ipn", Lcn = "lcn", Ins = "ins", Renewal = "renewal" }
}

vendor_enum! {
    /// An INS `message_type`.
    pub enum InsMessage {
        OrderCreated = "ORDER_CREATED",
        FraudStatusChanged = "FRAUD_STATUS_CHANGED",
        InvoiceStatusChanged = "INVOICE_STATUS_CHANGED",
        RefundIssued = "REFUND_ISSUED",
        RecurringInstallmentSuccess = "RECURRING_INSTALLMENT_SUCCESS",
        RecurringInstallmentFailed = "RECURRING_INSTALLMENT_FAILED",
        RecurringStopped = "RECURRING_STOPPED",
    }
}

vendor_enum! {
    /// `ORDERSTATUS` as IPN says it (`PAYMENT_AUTHORIZED` where the API says `AUTHRECEIVED`).
    pub enum IpnStatus {
        PaymentAuthorized = "PAYMENT_AUTHORIZED",
        Complete = "COMPLETE",
        Pending = "PENDING",
        Refund = "REFUND",
        Reversed = "REVERSED",
        Canceled = "CANCELED",
    }
}

vendor_enum! {
    /// An LCN's `DISPATCH_REASON`.
    pub enum DispatchReason {
        LicenceChange = "LICENCE_CHANGE",
        LicencePastDue = "LICENCE_PASTDUE",
        LicenceExpiration = "LICENCE_EXPIRATION",
    }
}

/// Something to announce, stored with the change that causes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: NotificationKind,
    /// The `ORDERSTATUS` or the dispatch reason.
    pub event: String,
    /// The `RefNo` or the subscription reference; empty for the order being stored with it.
    pub subject: String,
    /// When it happens; later than now for what the clock will cause.
    pub due_at: DateTime<Utc>,
    /// For a scheduled event: the subscription's expiration it was scheduled on (it is dropped
    /// if the subscription has moved on by then), so scheduling the same moment twice stores one.
    pub scheduled_on: Option<DateTime<Utc>>,
    /// For a triggered event: the listener edge cases to send besides the message itself.
    pub conformance: bool,
    /// Which part of the subject it is about (a refund's position among the order's refunds).
    pub detail: Option<String>,
}

impl NewEvent {
    fn now(kind: NotificationKind, event: &str, subject: &str, at: DateTime<Utc>) -> Self {
        NewEvent {
            kind,
            event: event.to_owned(),
            subject: subject.to_owned(),
            due_at: at,
            scheduled_on: None,
            conformance: false,
            detail: None,
        }
    }

    /// An order's new `ORDERSTATUS` at `at`; `ref_no` empty for the order stored with it.
    pub fn order(status: IpnStatus, ref_no: &str, at: DateTime<Utc>) -> Self {
        NewEvent::now(NotificationKind::Ipn, status.as_str(), ref_no, at)
    }

    /// An automatic renewal of the subscription due at its expiration `expiration` (or a retry of
    /// one at `at`).
    pub fn renewal(reference: &str, expiration: DateTime<Utc>, at: DateTime<Utc>) -> Self {
        NewEvent {
            scheduled_on: Some(expiration),
            ..NewEvent::now(NotificationKind::Renewal, "RENEWAL", reference, at)
        }
    }

    /// An INS message about the sale (order) `ref_no` at `at` (`ref_no` empty for the order stored
    /// with it); `detail` names the refund's position or the subscription it is about.
    pub fn ins(message: InsMessage, ref_no: &str, at: DateTime<Utc>, detail: Option<String>) -> Self {
        NewEvent { detail, ..NewEvent::now(NotificationKind::Ins, message.as_str(), ref_no, at) }
    }

    /// A subscription's change at `at`.
    pub fn licence(reason: DispatchReason, reference: &str, at: DateTime<Utc>) -> Self {
        NewEvent::now(NotificationKind::Lcn, reason.as_str(), reference, at)
    }
}

/// An event whose time has come, as the store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueEvent {
    pub id: i64,
    pub merchant_code: String,
    pub kind: NotificationKind,
    pub event: String,
    pub subject: String,
    pub due_at: DateTime<Utc>,
    pub scheduled_on: Option<DateTime<Utc>>,
    pub conformance: bool,
    pub detail: Option<String>,
}

/// One message of an event to every listener of its kind: the fields in the order sent, and
/// for a conformance case, which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub case: Option<String>,
    pub fields: Vec<(String, String)>,
}

vendor_enum! {
    pub enum DeliveryState { Pending = "pending", Delivered = "delivered", Failing = "failing", GivenUp = "given_up" }
}

/// One try at a listener, and what its answer was worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    /// `None` when no answer came (refused, timed out).
    pub http_status: Option<u16>,
    /// `accepted`, or why not (no receipt, a bad hash, a wrong algorithm…), with warnings.
    pub verdict: String,
    pub accepted: bool,
}

/// A message on its way to one listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    /// The event it announces (a triggered event's deliveries are found by it).
    pub event_id: i64,
    pub merchant_code: String,
    pub kind: NotificationKind,
    pub event: String,
    pub subject: String,
    pub url: String,
    pub case: Option<String>,
    pub fields: Vec<(String, String)>,
    pub state: DeliveryState,
    pub attempts: Vec<Attempt>,
    pub created_at: DateTime<Utc>,
    /// The first attempt since it was made (or resent): the two days of retries count from it.
    pub first_attempt_at: Option<DateTime<Utc>>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// Which deliveries a listing shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryFilter {
    pub merchant_code: Option<String>,
    pub kind: Option<NotificationKind>,
    pub state: Option<DeliveryState>,
    pub event_id: Option<i64>,
    pub limit: u32,
}

/// A merchant's listeners and what it asks to be told.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationSettings {
    pub ipn: Vec<String>,
    pub lcn: Vec<String>,
    /// The legacy API's INS listeners.
    pub ins: Vec<String>,
    /// IPN for declined orders (`PENDING`), as the vendor's "Pending orders" trigger.
    pub pending_orders: bool,
    /// The IPN parameters sent, when the merchant chose (the documented ones otherwise).
    pub ipn_fields: Option<Vec<String>>,
}
