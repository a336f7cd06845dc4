//! jsonrpsee answers notifications without running them. JSON-RPC 2.0 says a notification is
//! a call whose answer is not wanted — a `createCustomer` notification must still create the
//! customer — so this middleware runs each one as a call and drops the answer.

use std::future::Future;

use jsonrpsee::core::middleware::{Batch, BatchEntry, Notification, RpcServiceT};
use jsonrpsee::server::MethodResponse;
use jsonrpsee::types::{Id, Request};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ExecuteNotificationsLayer;

impl<S> tower::Layer<S> for ExecuteNotificationsLayer {
    type Service = ExecuteNotifications<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ExecuteNotifications(inner)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ExecuteNotifications<S>(S);

impl<S> ExecuteNotifications<S>
where
    S: RpcServiceT<MethodResponse = MethodResponse> + Send + Sync + Clone + 'static,
{
    fn run<'a>(&self, notification: Notification<'a>) -> impl Future<Output = ()> + Send + 'a {
        let inner = self.0.clone();
        async move {
            let params = notification.params.map(Cow::into_owned);
            let call = Request::owned(notification.method.into_owned(), params, Id::Null);
            let _unwanted = inner.call(call).await;
        }
    }
}

impl<S> RpcServiceT for ExecuteNotifications<S>
where
    S: RpcServiceT<
            MethodResponse = MethodResponse,
            BatchResponse = MethodResponse,
            NotificationResponse = MethodResponse,
        > + Send
        + Sync
        + Clone
        + 'static,
{
    type MethodResponse = MethodResponse;
    type NotificationResponse = MethodResponse;
    type BatchResponse = MethodResponse;

    fn call<'a>(&self, request: Request<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        self.0.call(request)
    }

    fn notification<'a>(
        &self,
        notification: Notification<'a>,
    ) -> impl Future<Output = MethodResponse> + Send + 'a {
        let extensions = notification.extensions.clone();
        let run = self.run(notification);
        async move {
            run.await;
            MethodResponse::notification().with_extensions(extensions)
        }
    }

    /// Runs the batch's notifications, then hands the calls (and invalid entries) on; a batch
    /// of notifications only gets no answer, as a single notification does.
    fn batch<'a>(&self, batch: Batch<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        let this = self.clone();
        async move {
            let (mut answered, mut notified) = (Vec::new(), false);
            for entry in batch {
                match entry {
                    Ok(BatchEntry::Notification(notification)) => {
                        notified = true;
                        this.run(notification).await;
                    }
                    other => answered.push(other),
                }
            }
            // An empty batch stays the inner service's business: an invalid request.
            if answered.is_empty() && notified {
                MethodResponse::notification()
            } else {
                this.0.batch(Batch::from(answered)).await
            }
        }
    }
}
