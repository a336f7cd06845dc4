//! A subscription's history, payment information and additional information fields.

use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::merchant::MerchantContext;
use crate::orders::CardSummary;
use crate::subscriptions::details::field_text;
use crate::subscriptions::{
    FieldRefusal, FieldWrite, HistoryKind, HistoryRecord, MAX_FIELDS, SubscriptionRecord,
};

/// How a subscription is paid, as `getSubscriptionPaymentInformation` tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInformation {
    pub payment_type: String,
    pub currency: String,
    pub card: Option<CardSummary>,
}

impl Gateway {
    /// `getSubscriptionHistory`: the purchase, then each renewal, oldest first.
    pub async fn subscription_history(
        &self,
        merchant: &MerchantContext,
        reference: &str,
    ) -> Result<Vec<HistoryRecord>> {
        let record = self.subscription(merchant, reference).await?;
        let subscription = &record.subscription;
        let renewals = self.store().renewals(merchant.code(), &subscription.reference).await?;
        // The purchase ran to the first renewal's starting point, or runs to the expiration still.
        let first_expiration =
            renewals.first().map(|renewal| renewal.expiration_from).or(subscription.expiration_date);
        let mut history = vec![HistoryRecord {
            kind: HistoryKind::Purchase,
            ref_no: subscription.order_ref_no.clone(),
            start: subscription.start_date,
            expiration: first_expiration,
        }];
        history.extend(renewals.into_iter().map(|renewal| HistoryRecord {
            kind: renewal.kind,
            ref_no: renewal.ref_no,
            // A renewal's period starts where the last one ended; an upgrade's, when it was made.
            start: match renewal.kind {
                HistoryKind::Upgrade => renewal.renewed_at,
                _ => renewal.expiration_from,
            },
            expiration: Some(renewal.expiration_to),
        }));
        Ok(history)
    }

    /// `getSubscriptionPaymentInformation`: how it renews.
    pub async fn subscription_payment(
        &self,
        merchant: &MerchantContext,
        reference: &str,
    ) -> Result<PaymentInformation> {
        let record: SubscriptionRecord = self.subscription(merchant, reference).await?;
        let payment_type = match &record.origin {
            crate::subscriptions::Origin::Order(order) => match order.payment.payment_type {
                crate::orders::PaymentType::PayPal => "PAYPAL",
                _ => "CC",
            },
            crate::subscriptions::Origin::Import(_) => "CC",
        };
        Ok(PaymentInformation {
            payment_type: payment_type.to_owned(),
            currency: record.currency().to_ascii_uppercase(),
            card: record.card().cloned(),
        })
    }

    /// `getSubscriptionAdditionalInformation`: its fields, in the order they were added.
    pub async fn subscription_fields(
        &self,
        merchant: &MerchantContext,
        reference: &str,
    ) -> Result<Vec<(String, String)>> {
        let record = self.subscription(merchant, reference).await?;
        Ok(self.store().subscription_fields(merchant.code(), &record.subscription.reference).await?)
    }

    /// `getSubscriptionAdditionalInformationField`.
    pub async fn subscription_field(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        name: Option<String>,
    ) -> Result<(String, String)> {
        let name = field_text("fieldName", name)?;
        let fields = self.subscription_fields(merchant, reference).await?;
        fields.into_iter().find(|(known, _)| *known == name).ok_or(Error::SubscriptionFieldNotFound(name))
    }

    /// `addSubscriptionAdditionalInformationField` and `updateSubscriptionAdditionalInformationField`.
    pub async fn write_subscription_field(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        name: Option<String>,
        value: Option<String>,
        write: FieldWrite,
    ) -> Result<(String, String)> {
        let record = self.subscription(merchant, reference).await?;
        let (name, value) = (field_text("fieldName", name)?, field_text("fieldValue", value)?);
        let written = self
            .store()
            .write_subscription_field(
                merchant.code(),
                &record.subscription.reference,
                (&name, &value),
                write,
                MAX_FIELDS,
            )
            .await?;
        match written {
            Ok(()) => Ok((name, value)),
            Err(FieldRefusal::Exists) => {
                Err(Error::invalid("fieldName", format!("{name:?} is a field already")))
            }
            Err(FieldRefusal::Full) => {
                Err(Error::invalid("fieldName", format!("a subscription has at most {MAX_FIELDS} fields")))
            }
            Err(FieldRefusal::Absent) => Err(Error::SubscriptionFieldNotFound(name)),
        }
    }

    /// `deleteSubscriptionAdditionalInformationField`.
    pub async fn delete_subscription_field(
        &self,
        merchant: &MerchantContext,
        reference: &str,
        name: Option<String>,
    ) -> Result<()> {
        let record = self.subscription(merchant, reference).await?;
        let name = field_text("fieldName", name)?;
        match self
            .store()
            .delete_subscription_field(merchant.code(), &record.subscription.reference, &name)
            .await?
        {
            true => Ok(()),
            false => Err(Error::SubscriptionFieldNotFound(name)),
        }
    }
}
