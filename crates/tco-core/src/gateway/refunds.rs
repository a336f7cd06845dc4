//! Refunds (`issueRefund`) and chargebacks (the admin's): recorded on the order with what they
//! change — its status, the subscriptions a total refund disables, the IPN and LCN they announce.

use crate::StoreError;
use crate::error::{Error, Result};
use crate::gateway::Gateway;
use crate::merchant::MerchantContext;
use crate::notifications::{InsMessage, IpnStatus, NewEvent};
use crate::orders::refunds::plan_refund;
use crate::orders::{Chargeback, OrderAdjustment, OrderStatus, RefundInput, RefundKind};

impl Gateway {
    /// `issueRefund`: a total or partial refund request of a complete order, settling after the
    /// merchant's delay; `REFUND` IPN when it settles.
    pub async fn issue_refund(
        &self,
        merchant: &MerchantContext,
        ref_no: &str,
        input: RefundInput,
    ) -> Result<()> {
        let code = merchant.code();
        let order = self.find_order(code, ref_no.trim()).await?.ok_or(Error::OrderNotFound)?;
        let settings = self.merchant_config(code).refunds.clone();
        let now = self.now();
        let refund = plan_refund(&order, &input, &settings, now)?;
        let total = refund.kind == RefundKind::Total;
        let position = order.adjustments.refunds.len().to_string();
        let mut events = vec![
            NewEvent {
                scheduled_on: Some(refund.settles_at),
                detail: Some(position.clone()),
                ..NewEvent::order(IpnStatus::Refund, &order.ref_no, refund.settles_at)
            },
            NewEvent::ins(InsMessage::RefundIssued, &order.ref_no, refund.settles_at, Some(position)),
        ];
        let mut disable = Vec::new();
        if total && settings.disables_subscriptions {
            for subscription in
                order.subscriptions.iter().filter(|s| s.enabled && s.order_ref_no == order.ref_no)
            {
                let mut disabled = subscription.clone();
                disabled.enabled = false;
                events.extend(self.licence_change_events(&disabled));
                disable.push(subscription.reference.clone());
            }
        }
        let mut after = order.adjustments.clone();
        after.refunds.push(refund);
        let adjustment = OrderAdjustment {
            ref_no: order.ref_no.clone(),
            before: order.adjustments.clone(),
            after,
            status: total.then_some(OrderStatus::Refund),
            disable_subscriptions: disable,
            events,
            now,
        };
        self.adjust(code, adjustment).await
    }

    /// A chargeback (`POST /_admin/orders/{RefNo}/chargeback`): the order is `REVERSED`, with a
    /// `REVERSED` IPN carrying the reason code and resolution.
    pub async fn chargeback(&self, merchant_code: &str, ref_no: &str, reason_code: &str) -> Result<()> {
        let order = self.find_order(merchant_code, ref_no.trim()).await?.ok_or(Error::OrderNotFound)?;
        if order.adjustments.chargeback.is_some() {
            return Err(Error::RefundNotAllowed("The order already has a chargeback."));
        }
        if !matches!(
            order.status(self.now()),
            OrderStatus::Complete | OrderStatus::AuthReceived | OrderStatus::Refund
        ) {
            return Err(Error::RefundNotAllowed("Only a paid order can be charged back."));
        }
        let reason_code = crate::kernel::fields::optional("reason_code", Some(reason_code.to_owned()), 64)?
            .unwrap_or_else(|| "FRAUD".to_owned());
        let now = self.now();
        let mut after = order.adjustments.clone();
        after.chargeback = Some(Chargeback { reason_code, resolution: "OPEN".to_owned(), at: now });
        let adjustment = OrderAdjustment {
            ref_no: order.ref_no.clone(),
            before: order.adjustments.clone(),
            after,
            status: Some(OrderStatus::Reversed),
            disable_subscriptions: Vec::new(),
            events: vec![NewEvent::order(IpnStatus::Reversed, &order.ref_no, now)],
            now,
        };
        self.adjust(merchant_code, adjustment).await
    }

    async fn adjust(&self, merchant_code: &str, adjustment: OrderAdjustment) -> Result<()> {
        match self.store().adjust_order(merchant_code, adjustment).await {
            Err(StoreError::Conflict(_)) => {
                Err(Error::RefundNotAllowed("You already have a pending refund request."))
            }
            result => Ok(result?),
        }
    }
}
