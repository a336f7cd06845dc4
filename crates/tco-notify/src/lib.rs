//! `tco-notify` is tco-gateway's outbound adapter for notifications: it renders the core's due
//! events as the vendor's messages — IPN for orders, LCN for subscriptions, the legacy API's INS
//! for sales — with their
//! parameters in the vendor's order and their three signatures, posts them to the merchant's
//! listeners, and judges each answer's read receipt; the core decides what happened, when, and
//! what a failed attempt means for the next one.
//!
//! It depends on `tco-core` and an HTTP client only: it knows the wire, not the rules, and no
//! store, server framework or other protocol.

mod conformance;
mod dispatch;
pub mod ins;
pub mod ipn;
mod lcn;
pub mod receipt;
pub mod signature;

pub use dispatch::{DeliveryObserver, Dispatcher};
pub use receipt::{Verdict, expected_receipt, verdict};

use tco_core::{Announcement, Message, Subject};

/// A message's parameters being written, keeping those the merchant chose.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    wanted: Option<&'a [String]>,
    pairs: Vec<(String, String)>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(wanted: Option<&'a [String]>) -> Self {
        Fields { wanted, pairs: Vec::new() }
    }

    fn wants(&self, name: &str) -> bool {
        self.wanted.is_none_or(|wanted| wanted.iter().any(|field| field.eq_ignore_ascii_case(name)))
    }

    pub(crate) fn one(&mut self, name: &str, value: impl AsRef<str>) {
        if self.wants(name) {
            self.pairs.push((name.to_owned(), value.as_ref().to_owned()));
        }
    }

    pub(crate) fn many(&mut self, name: &str, values: Vec<String>) {
        if self.wants(name) {
            self.pairs.extend(values.into_iter().map(|value| (name.to_owned(), value)));
        }
    }

    pub(crate) fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }
}

/// A country's English name, as the vendor's `COUNTRY` says it (the code itself if unknown).
pub(crate) fn country_name(code: &str) -> String {
    if code.is_empty() {
        return String::new();
    }
    tco_core::country_name(code).map_or_else(|| code.to_ascii_uppercase(), str::to_owned)
}

/// The messages of an announcement, signed: the message itself and, when the trigger asked,
/// the listener edge cases.
pub fn messages(announcement: &Announcement) -> Vec<Message> {
    let event = &announcement.event;
    if event.kind == tco_core::NotificationKind::Ins {
        // INS carries its own md5_hash and has no listener edge cases here.
        return match &announcement.subject {
            Subject::Order(order) => vec![Message { case: None, fields: ins::fields(order, announcement) }],
            Subject::Subscription(_) => Vec::new(),
        };
    }
    let fields = match &announcement.subject {
        Subject::Order(order) => ipn::fields(order, announcement),
        Subject::Subscription(record) => lcn::fields(record, event),
    }
    .into_pairs();
    let mut messages = vec![Message { case: None, fields: fields.clone() }];
    if event.conformance {
        messages.extend(conformance::cases(event.kind, &fields));
    }
    for message in &mut messages {
        message.fields = signature::signed(&announcement.secret, std::mem::take(&mut message.fields));
    }
    messages
}
