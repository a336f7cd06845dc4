//! `tco-pages` is the shopper-facing front end of tco-gateway, beside the REST, JSON-RPC and SOAP
//! ones: the hosted cart's pages (`/order/renew.php`, `/order/checkout.php`), the partner sign-in
//! page a `getPartnerSingleSignOn` link opens, the InLine/ConvertPlus cart signature service, and
//! the Instant Search Order Export (`/action/ise`).
//! Pages are server-rendered HTML with no external assets; the rules are the core's.
//!
//! It depends on the core and its framework only: no other front end, no store, no server.

mod cart;
mod error;
mod ise;
mod partner_page;
mod signature;

use std::sync::Arc;

use axum::Router;
use tco_core::Gateway;

pub use cart::escape;
pub use signature::SIGNATURE_PATH;

/// The pages and the signature service, on one router.
pub fn router(gateway: Arc<Gateway>) -> Router {
    cart::router(gateway.clone())
        .merge(partner_page::router(gateway.clone()))
        .merge(signature::router(gateway.clone()))
        .merge(ise::router(gateway))
}
