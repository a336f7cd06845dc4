//! Notifications: a merchant's listeners, the events the operations store with their changes,
//! the scheduler's side (which events are due and still true, their fan-out, the deliveries'
//! leases and attempts on the vendor's schedule) and the admin's resend and trigger.

use chrono::Duration;

use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::merchant::SecretKey;
use crate::notifications::{
    Attempt, Delivery, DeliveryFilter, DeliveryState, DispatchReason, DueEvent, InsMessage, IpnStatus,
    Message, NewEvent, NotificationKind, NotificationSettings, next_attempt,
};
use crate::orders::{Order, OrderStatus, Subscription};
use crate::subscriptions::{SubscriptionRecord, SubscriptionStatus};

/// Listeners per kind a merchant may have, and the longest URL.
const MAX_URLS: usize = 10;
const MAX_URL_LENGTH: usize = 2048;
/// The most deliveries a listing answers.
const MAX_LISTED_DELIVERIES: u32 = 1000;

/// What an event is about, as it is when the event is announced.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Order(Box<Order>),
    Subscription(Box<SubscriptionRecord>),
}

/// An event whose moment has come and which still holds, with what the adapter renders it from.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub event: DueEvent,
    pub subject: Subject,
    /// The merchant's secret key, which signs the messages.
    pub secret: SecretKey,
    pub settings: NotificationSettings,
    /// For a renewal order: per product line, the `ExternalReference` of the order that bought
    /// what the line renews (empty when none is renewed).
    pub original_references: Vec<String>,
    /// For INS: the merchant's legacy seller id, the buy-link secret word its `md5_hash` is
    /// keyed with, and US dollars per unit of the order's currency.
    pub legacy: LegacyAccount,
}

/// What the legacy API's INS messages say of the merchant.
#[derive(Debug, Clone, Default)]
pub struct LegacyAccount {
    pub seller_id: String,
    pub secret_word: String,
    pub usd_rate: rust_decimal::Decimal,
}

impl Gateway {
    pub async fn notification_settings(&self, merchant_code: &str) -> Result<NotificationSettings> {
        self.known_merchant(merchant_code)?;
        Ok(self.store().notification_settings(merchant_code).await?)
    }

    /// Replaces a merchant's listeners (each an `http` or `https` URL, at most ten per kind).
    pub async fn set_notification_settings(
        &self,
        merchant_code: &str,
        settings: NotificationSettings,
    ) -> Result<NotificationSettings> {
        self.known_merchant(merchant_code)?;
        for (name, urls) in [("ipn", &settings.ipn), ("lcn", &settings.lcn), ("ins", &settings.ins)] {
            if urls.len() > MAX_URLS {
                return Err(Error::invalid(name, format!("holds more than {MAX_URLS} URLs")));
            }
            for url in urls {
                let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
                if !scheme_ok || url.len() > MAX_URL_LENGTH || url.chars().any(char::is_whitespace) {
                    return Err(Error::invalid(name, format!("{url:?} is not an http(s) URL")));
                }
            }
        }
        self.store().save_notification_settings(merchant_code, &settings).await?;
        Ok(settings)
    }

    /// The key a merchant's notifications are signed with.
    pub fn merchant_secret(&self, merchant_code: &str) -> Option<SecretKey> {
        self.merchants().get(merchant_code).map(|merchant| merchant.secret.clone())
    }

    fn known_merchant(&self, merchant_code: &str) -> Result<()> {
        match self.merchants().get(merchant_code) {
            Some(_) => Ok(()),
            None => Err(Error::invalid("merchant", format!("{merchant_code:?} is not a merchant here"))),
        }
    }

    /// Events due on the gateway's clock, oldest first, that still hold, and whether `limit`
    /// events were due (more may be); those that no longer hold (an order refunded before it
    /// completed, a subscription renewed or extended before it went past due) are dropped here,
    /// and renewals are made here.
    pub async fn due_announcements(&self, limit: u32) -> Result<(Vec<Announcement>, bool)> {
        let now = self.now();
        let mut announcements = Vec::new();
        let due = self.store().due_events(now, limit).await?;
        let full = due.len() == limit as usize;
        for event in due {
            if event.kind == NotificationKind::Renewal {
                // A renewal announces itself through the order it places; the event only goes.
                self.renew_when_due(&event).await?;
                self.store().fan_out(&event, &[], now).await?;
                continue;
            }
            let subject = self.subject_of(&event).await?;
            let settings = self.store().notification_settings(&event.merchant_code).await?;
            let secret = self.merchant_secret(&event.merchant_code);
            let wanted = event.event != IpnStatus::Pending.as_str() || settings.pending_orders;
            let subject = subject.filter(|subject| wanted && holds(&event, subject, self));
            if let Some(Subject::Subscription(record)) = &subject
                && event.scheduled_on.is_some()
            {
                // The clock made it past due or expired: its customer may be active no more.
                self.store().refresh_customer_status(record.subscription.customer_reference, now).await?;
            }
            match (subject, secret) {
                (Some(subject), Some(secret)) => {
                    let original_references =
                        self.original_references(&event.merchant_code, &subject).await?;
                    let legacy = self.legacy_account(&event, &subject);
                    announcements.push(Announcement {
                        event,
                        subject,
                        secret,
                        settings,
                        original_references,
                        legacy,
                    })
                }
                _ => {
                    self.store().fan_out(&event, &[], now).await?;
                }
            }
        }
        Ok((announcements, full))
    }

    fn legacy_account(&self, event: &DueEvent, subject: &Subject) -> LegacyAccount {
        if event.kind != NotificationKind::Ins {
            return LegacyAccount::default();
        }
        let config = self.merchant_config(&event.merchant_code);
        let currency = match subject {
            Subject::Order(order) => order.currency.clone(),
            Subject::Subscription(record) => record.currency().to_owned(),
        };
        LegacyAccount {
            seller_id: self.legacy_user(&event.merchant_code).map(|user| user.seller_id).unwrap_or_default(),
            secret_word: self.buy_link_secret_word(&event.merchant_code).unwrap_or_default(),
            usd_rate: config
                .convert(rust_decimal::Decimal::ONE, &currency, "USD")
                .unwrap_or(rust_decimal::Decimal::ONE),
        }
    }

    /// What a renewal order's IPN names as `ORIGINAL_REFNOEXT[]`.
    async fn original_references(&self, merchant_code: &str, subject: &Subject) -> Result<Vec<String>> {
        let Subject::Order(order) = subject else { return Ok(Vec::new()) };
        let lines =
            order.items.iter().filter(|item| item.purchase_type == crate::orders::PurchaseType::Product);
        if !order.items.iter().any(|item| item.renews.is_some()) {
            return Ok(Vec::new());
        }
        let mut references = Vec::new();
        for item in lines {
            let original = item
                .renews
                .as_ref()
                .and_then(|renewed| {
                    order.subscriptions.iter().find(|subscription| &subscription.reference == renewed)
                })
                .map(|subscription| subscription.order_ref_no.clone());
            let external = match original {
                Some(ref_no) => {
                    self.find_order(merchant_code, &ref_no).await?.and_then(|order| order.external_reference)
                }
                None => None,
            };
            references.push(external.unwrap_or_default());
        }
        Ok(references)
    }

    async fn subject_of(&self, event: &DueEvent) -> Result<Option<Subject>> {
        Ok(match event.kind {
            NotificationKind::Ipn | NotificationKind::Ins => self
                .find_order(&event.merchant_code, &event.subject)
                .await?
                .map(|order| Subject::Order(Box::new(order))),
            NotificationKind::Lcn | NotificationKind::Renewal => self
                .find_subscription(&event.merchant_code, &event.subject)
                .await?
                .map(|record| Subject::Subscription(Box::new(record))),
        })
    }

    /// Stores an announcement's messages as deliveries to the merchant's listeners (once, should
    /// several instances announce it); the new deliveries' ids.
    pub async fn fan_out(&self, event: &DueEvent, messages: &[Message]) -> Result<Vec<i64>> {
        Ok(self.store().fan_out(event, messages, self.now()).await?)
    }

    /// Deliveries due now, leased to `owner` for `lease` of real time.
    pub async fn lease_deliveries(&self, owner: &str, lease: Duration, limit: u32) -> Result<Vec<Delivery>> {
        let wall = self.wall_clock();
        let until = crate::kernel::dates::shifted(wall, lease);
        Ok(self.store().lease_deliveries(owner, self.now(), wall, until, limit).await?)
    }

    /// Records how an attempt went: delivered on a valid receipt, else retried on the vendor's
    /// schedule (on the gateway's clock) until two days after the first attempt.
    pub async fn record_attempt(
        &self,
        delivery: &Delivery,
        owner: &str,
        http_status: Option<u16>,
        verdict: String,
        accepted: bool,
    ) -> Result<DeliveryState> {
        let now = self.now();
        let attempt = Attempt { at: now, http_status, verdict, accepted };
        let first = delivery.first_attempt_at.unwrap_or(now);
        let failed = 1 + delivery.attempts.iter().filter(|earlier| earlier.at >= first).count();
        let (state, next) = match accepted {
            true => (DeliveryState::Delivered, None),
            false => match next_attempt(first, failed, now) {
                Some(next) => (DeliveryState::Failing, Some(next)),
                None => (DeliveryState::GivenUp, None),
            },
        };
        self.store().record_attempt(delivery.id, owner, &attempt, state, next).await?;
        Ok(state)
    }

    pub async fn deliveries(&self, mut filter: DeliveryFilter) -> Result<Vec<Delivery>> {
        filter.limit = filter.limit.clamp(1, MAX_LISTED_DELIVERIES);
        Ok(self.store().deliveries(&filter).await?)
    }

    /// Sends a delivery again, at once, with the same message.
    pub async fn resend_delivery(&self, id: i64) -> Result<()> {
        match self.store().resend_delivery(id, self.now()).await? {
            true => Ok(()),
            false => Err(Error::invalid("id", format!("there is no notification {id}"))),
        }
    }

    /// Announces an order's `status` now, on the order as it is (the admin's trigger); with
    /// `conformance`, the listener edge cases too.
    pub async fn trigger_order_notification(
        &self,
        merchant_code: &str,
        ref_no: &str,
        status: &str,
        conformance: bool,
    ) -> Result<Vec<i64>> {
        self.known_merchant(merchant_code)?;
        let status = IpnStatus::parse(status)
            .ok_or_else(|| Error::invalid("status", format!("is one of {}", IpnStatus::NAMES.join(", "))))?;
        let order = self.find_order(merchant_code, ref_no).await?.ok_or(Error::OrderNotFound)?;
        let event = NewEvent { conformance, ..NewEvent::order(status, &order.ref_no, self.now()) };
        Ok(self.store().add_events(merchant_code, &[event]).await?)
    }

    /// Announces a subscription change for `reason` now (the admin's trigger).
    pub async fn trigger_licence_notification(
        &self,
        merchant_code: &str,
        reference: &str,
        reason: &str,
        conformance: bool,
    ) -> Result<Vec<i64>> {
        self.known_merchant(merchant_code)?;
        let reason = DispatchReason::parse(reason).ok_or_else(|| {
            Error::invalid("reason", format!("is one of {}", DispatchReason::NAMES.join(", ")))
        })?;
        let record =
            self.find_subscription(merchant_code, reference).await?.ok_or(Error::SubscriptionNotFound)?;
        let event =
            NewEvent { conformance, ..NewEvent::licence(reason, &record.subscription.reference, self.now()) };
        Ok(self.store().add_events(merchant_code, &[event]).await?)
    }

    /// What placing `order` announces: authorized (and completed, at its time, on the clock), or
    /// declined; and when each subscription it creates will go past due and expire.
    pub(crate) fn order_events(&self, order: &Order) -> Vec<NewEvent> {
        let mut events = Vec::new();
        match order.stored_status {
            OrderStatus::AuthReceived | OrderStatus::Complete => {
                events.push(NewEvent::order(IpnStatus::PaymentAuthorized, "", order.placed_at));
                // The legacy API's INS: a new sale, whose fraud review passes at once, or another
                // installment of a recurring one.
                let installment = order.items.iter().find_map(|item| item.renews.clone());
                match installment {
                    Some(_) => events.push(NewEvent::ins(
                        InsMessage::RecurringInstallmentSuccess,
                        "",
                        order.placed_at,
                        installment,
                    )),
                    None => events.extend(
                        [InsMessage::OrderCreated, InsMessage::FraudStatusChanged]
                            .map(|message| NewEvent::ins(message, "", order.placed_at, None)),
                    ),
                }
                let complete_at = match order.stored_status {
                    OrderStatus::Complete => Some(order.placed_at),
                    _ => order.complete_at,
                };
                if let Some(at) = complete_at {
                    // Completed, the invoice is deposited: IPN COMPLETE, and INS says the
                    // invoice's status changed.
                    events.push(NewEvent {
                        scheduled_on: Some(at),
                        ..NewEvent::order(IpnStatus::Complete, "", at)
                    });
                    events.push(NewEvent {
                        scheduled_on: Some(at),
                        ..NewEvent::ins(InsMessage::InvoiceStatusChanged, "", at, None)
                    });
                }
            }
            OrderStatus::Pending => events.push(NewEvent::order(IpnStatus::Pending, "", order.placed_at)),
            OrderStatus::Canceled | OrderStatus::Refund | OrderStatus::Reversed => {}
        }
        for subscription in &order.subscriptions {
            events.extend(self.lifecycle_events(subscription));
        }
        events
    }

    /// A subscription's LCN for a change now (the reason its status after the change gives), and
    /// its past-due and expiration moments scheduled on its new expiration.
    pub(crate) fn licence_change_events(&self, changed: &Subscription) -> Vec<NewEvent> {
        let now = self.now();
        let reason = match changed.status(now, self.settings().grace_period) {
            SubscriptionStatus::PastDue => DispatchReason::LicencePastDue,
            SubscriptionStatus::Expired => DispatchReason::LicenceExpiration,
            _ => DispatchReason::LicenceChange,
        };
        let mut events = vec![NewEvent::licence(reason, &changed.reference, now)];
        events.extend(self.lifecycle_events(changed));
        events
    }

    /// What the clock will do to the subscription unless it moves on: renew it at its expiration
    /// (with automatic renewal on), else make it past due, then expired. The renewal comes first,
    /// so a renewed subscription is past due never.
    pub(crate) fn lifecycle_events(&self, subscription: &Subscription) -> Vec<NewEvent> {
        let Some(expiration) = subscription.expiration_date.filter(|_| subscription.enabled) else {
            return Vec::new();
        };
        let expires = crate::kernel::dates::shifted(expiration, self.settings().grace_period);
        let now = self.now();
        let renewal = subscription
            .recurring_enabled
            .then(|| NewEvent::renewal(&subscription.reference, expiration, expiration));
        let licence =
            [(DispatchReason::LicencePastDue, expiration), (DispatchReason::LicenceExpiration, expires)]
                .into_iter()
                .filter(|(_, at)| *at > now)
                .map(|(reason, at)| NewEvent {
                    scheduled_on: Some(expiration),
                    ..NewEvent::licence(reason, &subscription.reference, at)
                });
        renewal.into_iter().chain(licence).collect()
    }
}

/// The refund a `REFUND` event announces: the one at the position its detail names.
pub fn refund_of<'a>(order: &'a Order, event: &DueEvent) -> Option<&'a crate::orders::Refund> {
    let position: usize = event.detail.as_deref()?.parse().ok()?;
    order.adjustments.refunds.get(position)
}

/// Whether a due event still describes its subject: a scheduled one only if the subject is still
/// on the course it was scheduled on.
fn holds(event: &DueEvent, subject: &Subject, gateway: &Gateway) -> bool {
    let Some(scheduled_on) = event.scheduled_on else {
        return true;
    };
    match subject {
        Subject::Order(order) if event.event == IpnStatus::Refund.as_str() => {
            refund_of(order, event).is_some()
        }
        // It completed then, whatever happened to it since (a refund announces itself after).
        Subject::Order(order) => {
            order.complete_at == Some(scheduled_on) || order.stored_status == OrderStatus::Complete
        }
        Subject::Subscription(record) => {
            let subscription = &record.subscription;
            subscription.expiration_date == Some(scheduled_on)
                && subscription.status(event.due_at, gateway.settings().grace_period)
                    != SubscriptionStatus::Disabled
        }
    }
}
