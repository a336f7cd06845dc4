//! What the gateway tells a merchant's listeners: events (an order authorized, completed; a
//! subscription changed, past due, expired), written in the transaction of the change that
//! causes them or scheduled for the moment the clock causes them; the deliveries they fan out
//! to, one per listener URL, retried on the vendor's schedule; and each merchant's settings.
//! How a message looks on the wire (IPN, LCN fields and their signatures) is the notify
//! adapter's; here is only what happened, when, and how delivery went.

mod model;
mod schedule;
mod store;

pub use model::{
    Attempt, Delivery, DeliveryFilter, DeliveryState, DispatchReason, DueEvent, InsMessage, IpnStatus,
    Message, NewEvent, NotificationKind, NotificationSettings,
};
pub use schedule::next_attempt;
pub use store::NotificationStore;
