//! The delivery loop: announce the events that fell due on the gateway's clock, then post the
//! deliveries that are due, a bounded number at once, in order for each listener, each with a
//! timeout; every instance on a database runs one, and leases keep them from posting the same
//! delivery together.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Duration as Span;
use tco_core::{Delivery, DeliveryState, Gateway};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::{messages, verdict};

/// How often the loop looks for due work.
const TICK: Duration = Duration::from_millis(200);
/// Listeners posted to at once (each listener's deliveries go one after another).
const CONCURRENT_LISTENERS: usize = 16;
/// How long a listener has to answer, and how much of its answer is read.
const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_ANSWER: usize = 64 * 1024;
/// How long an instance holds a delivery: longer than an attempt can take, short enough that
/// another instance soon takes over one left by an instance that died.
const LEASE: Span = Span::seconds(30);
/// Work taken per tick.
const BATCH: u32 = 64;

/// Told of each delivery attempt's outcome (the server counts them).
pub trait DeliveryObserver: Send + Sync + std::fmt::Debug {
    fn attempted(&self, delivery: &Delivery, state: DeliveryState, verdict: &str);
}

#[derive(Debug, Clone)]
pub struct Dispatcher {
    gateway: Gateway,
    client: reqwest::Client,
    /// This instance, as its leases name it.
    owner: String,
    observer: Option<Arc<dyn DeliveryObserver>>,
}

impl Dispatcher {
    pub fn new(
        gateway: Gateway,
        observer: Option<Arc<dyn DeliveryObserver>>,
    ) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("tco-gateway/", env!("CARGO_PKG_VERSION"), " notifications"))
            .build()?;
        let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
        let owner = format!("{}-{nanos:x}", std::process::id());
        Ok(Dispatcher { gateway, client, owner, observer })
    }

    /// Runs until the task is dropped or aborted: a round, then another at once while the last
    /// one found a full batch of work (a backlog after a clock jump or a burst), else after a tick.
    pub async fn run(self) {
        loop {
            let busy = match self.tick().await {
                Ok(busy) => busy,
                Err(error) => {
                    tracing::warn!(%error, "notifications: a round failed; retrying");
                    false
                }
            };
            if !busy {
                tokio::time::sleep(TICK).await;
            }
        }
    }

    /// One round: announce what fell due, post what is due; whether either filled its batch.
    pub async fn tick(&self) -> tco_core::Result<bool> {
        let (announcements, full) = self.gateway.due_announcements(BATCH).await?;
        for announcement in announcements {
            let messages = messages(&announcement);
            self.gateway.fan_out(&announcement.event, &messages).await?;
        }
        let leased = self.gateway.lease_deliveries(&self.owner, LEASE, BATCH).await?;
        let busy = full || leased.len() == BATCH as usize;
        let mut by_listener: BTreeMap<String, Vec<Delivery>> = BTreeMap::new();
        for delivery in leased {
            by_listener.entry(delivery.url.clone()).or_default().push(delivery);
        }
        let permits = Arc::new(Semaphore::new(CONCURRENT_LISTENERS));
        let mut posting = JoinSet::new();
        for (_, deliveries) in by_listener {
            let (dispatcher, permits) = (self.clone(), permits.clone());
            posting.spawn(async move {
                let _permit = permits.acquire_owned().await;
                for delivery in deliveries {
                    dispatcher.deliver(delivery).await;
                }
            });
        }
        while posting.join_next().await.is_some() {}
        Ok(busy)
    }

    async fn deliver(&self, delivery: Delivery) {
        let span = tracing::info_span!("notification", id = delivery.id, kind = delivery.kind.as_str(), event = %delivery.event);
        let _entered = span.enter();
        let (http_status, judged) = match self.post(&delivery).await {
            Ok((status, body)) => {
                let secret = self.gateway.merchant_secret(&delivery.merchant_code);
                let judged = match secret {
                    // INS has no read receipt: a 2xx is its acknowledgement.
                    Some(_) if delivery.kind == tco_core::NotificationKind::Ins => crate::Verdict {
                        accepted: (200..300).contains(&status),
                        text: match status {
                            200..=299 => "accepted".to_owned(),
                            _ => format!("HTTP {status}: an INS listener answers 2xx"),
                        },
                    },
                    Some(secret) => verdict(&secret, delivery.kind, &delivery.fields, &body),
                    None => {
                        crate::Verdict { accepted: false, text: "the merchant is not configured here".into() }
                    }
                };
                (Some(status), judged)
            }
            Err(error) => (None, crate::Verdict { accepted: false, text: format!("no answer: {error}") }),
        };
        match self
            .gateway
            .record_attempt(&delivery, &self.owner, http_status, judged.text.clone(), judged.accepted)
            .await
        {
            Ok(state) => {
                tracing::info!(url = %delivery.url, state = state.as_str(), verdict = %judged.text, "notification attempt");
                if let Some(observer) = &self.observer {
                    observer.attempted(&delivery, state, &judged.text);
                }
            }
            Err(error) => tracing::warn!(%error, "notification attempt not recorded"),
        }
    }

    /// Posts the delivery's fields, form-encoded; the answer's status and (the start of) its body.
    async fn post(&self, delivery: &Delivery) -> Result<(u16, String), String> {
        let response = self
            .client
            .post(&delivery.url)
            .form(&delivery.fields)
            .send()
            .await
            .map_err(|error| describe(&error))?;
        let status = response.status().as_u16();
        let mut response = response;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| describe(&error))? {
            body.extend_from_slice(&chunk);
            if body.len() >= MAX_ANSWER {
                body.truncate(MAX_ANSWER);
                break;
            }
        }
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        format!("timed out after {} s", TIMEOUT.as_secs())
    } else if error.is_connect() {
        "the listener refused the connection".to_owned()
    } else {
        error.to_string()
    }
}
