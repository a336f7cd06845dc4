//! Automatic renewal on the gateway's clock: at a subscription's expiration, with recurring
//! billing on and a card, a renewal order is placed and paid (the test card decides), which moves
//! the expiration a cycle and announces itself (IPN for the order, LCN for the subscription, the
//! next renewal scheduled). A declined charge leaves the subscription past due and is tried again
//! daily through the grace period; after it the subscription expires.

use chrono::Duration;

use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::merchant::MerchantContext;
use crate::notifications::{DueEvent, InsMessage, NewEvent};
use crate::orders::validation::renewal_declined;
use crate::orders::{
    AddressInput, CardSummary, ItemInput, OrderInput, PaymentInput, Placement, RenewalTerms,
};
use crate::subscriptions::SubscriptionRecord;

/// How long after a declined renewal the card is charged again.
const RETRY_AFTER: Duration = Duration::days(1);

impl Gateway {
    /// Renews the subscription of a due renewal event, if it is still the one it was scheduled
    /// for (same expiration, enabled, renewing automatically).
    pub(crate) async fn renew_when_due(&self, event: &DueEvent) -> Result<()> {
        let merchant_code = &event.merchant_code;
        let Some(record) = self.find_subscription(merchant_code, &event.subject).await? else {
            return Ok(());
        };
        let subscription = &record.subscription;
        let Some(expiration) = subscription.expiration_date else { return Ok(()) };
        if event.scheduled_on != Some(expiration) || !subscription.enabled || !subscription.recurring_enabled
        {
            return Ok(());
        }
        let now = self.now();
        let expires = crate::kernel::dates::shifted(expiration, self.settings().grace_period);
        let Some(card) = record.card().cloned() else { return Ok(()) };
        if renewal_declined(&card, now) {
            let retry = crate::kernel::dates::shifted(event.due_at, RETRY_AFTER);
            let mut events = Vec::new();
            if retry < expires {
                events.push(NewEvent::renewal(&subscription.reference, expiration, retry));
            }
            if !subscription.order_ref_no.is_empty() {
                let failed = InsMessage::RecurringInstallmentFailed;
                let detail = Some(subscription.reference.clone());
                events.push(NewEvent::ins(failed, &subscription.order_ref_no, now, detail));
            }
            self.store().add_events(merchant_code, &events).await?;
            tracing::info!(reference = %subscription.reference, "automatic renewal declined");
            return Ok(());
        }
        let placement = renewal_placement(&record, card);
        match self.place(merchant_code, placement).await {
            Ok(order) => {
                tracing::info!(reference = %subscription.reference, ref_no = %order.ref_no, "renewed automatically");
                Ok(())
            }
            // Another instance renewed it first.
            Err(Error::ConcurrentUpdate) => Ok(()),
            Err(error) if !error.code().is_server_fault() => {
                tracing::warn!(reference = %subscription.reference, %error, "automatic renewal refused");
                Ok(())
            }
            Err(error) => Err(error),
        }
    }
}

impl Gateway {
    /// `renewSubscription`: renews now for `days` at the net unit `price` in the subscription's
    /// `currency`, charged to its card.
    pub async fn renew_subscription(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        days: Option<i64>,
        price: Option<rust_decimal::Decimal>,
        currency: Option<String>,
    ) -> Result<()> {
        let days = days.ok_or(Error::MissingField("days"))?;
        if !(1..=crate::gateway::subscriptions::MAX_EXTENSION_DAYS as i64).contains(&days) {
            return Err(Error::invalid("days", "must be a positive number of days up to 36525"));
        }
        let price = crate::kernel::fields::charge("price", price.ok_or(Error::MissingField("price"))?)?;
        if price.is_zero() {
            return Err(Error::invalid("price", "must be a positive amount"));
        }
        let record = self.subscription(merchant, reference).await?;
        let currency =
            currency.map(|code| code.trim().to_ascii_uppercase()).ok_or(Error::MissingField("currency"))?;
        if !currency.eq_ignore_ascii_case(record.currency()) {
            return Err(Error::invalid(
                "currency",
                format!("is the subscription's currency, {}", record.currency()),
            ));
        }
        let subscription = &record.subscription;
        if !subscription.enabled {
            return Err(Error::InvalidSubscriptionOperation("Cannot renew a disabled subscription"));
        }
        if subscription.expiration_date.is_none() {
            return Err(Error::InvalidSubscriptionOperation("A lifetime subscription is not renewed."));
        }
        let card = record
            .card()
            .cloned()
            .ok_or(Error::InvalidSubscriptionOperation("The subscription has no card to charge."))?;
        if renewal_declined(&card, self.now()) {
            return Err(Error::InvalidSubscriptionOperation("The renewal payment was declined."));
        }
        let placement = Placement {
            renewal_terms: Some(RenewalTerms { days: Some(days), unit_price: price }),
            ..renewal_placement(&record, card)
        };
        self.place(merchant.code(), placement).await.map(drop)
    }
}

/// A renewal of the subscription, charged to `card`: its product, quantity and options, its
/// end user billed, in its currency (the clock's, `renewSubscription`'s and the hosted cart's).
pub(crate) fn renewal_placement(record: &SubscriptionRecord, card: CardSummary) -> Placement {
    let subscription = &record.subscription;
    let end_user = record.end_user();
    let input = OrderInput {
        currency: Some(record.currency().to_owned()),
        country: Some(end_user.country_code.clone()),
        language: Some(record.language().to_owned()),
        customer_reference: Some(subscription.customer_reference),
        items: vec![ItemInput {
            code: Some(subscription.product_code.clone()),
            quantity: Some(i64::from(subscription.quantity)),
            price_options: record.price_options(),
            ..ItemInput::default()
        }],
        billing: Some(AddressInput::from(end_user)),
        payment: Some(PaymentInput::card(record.currency(), subscription.recurring_enabled)),
        ..OrderInput::default()
    };
    let renewal_terms =
        record.agreed_renewal_price().map(|unit_price| RenewalTerms { days: None, unit_price });
    Placement {
        input,
        stored_card: Some(card),
        renews: Some(subscription.clone()),
        renewal_terms,
        ..Placement::default()
    }
}
