//! The partner sign-in page a `getPartnerSingleSignOn` link opens: it spends the link's token
//! (once, before it expires, from the bound IP if any) and shows which partner user it signed
//! in and the control-panel page they asked for. The rules are the core's.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use tco_core::{Error, Gateway, PARTNER_SIGN_ON_PATH};

use crate::cart::{Peer, client_ip, escape, page, paragraph};

pub(crate) fn router(gateway: Arc<Gateway>) -> Router {
    Router::new().route(PARTNER_SIGN_ON_PATH, get(sign_in)).with_state(gateway)
}

#[derive(Debug, Default, Deserialize)]
struct Link {
    #[serde(default)]
    merchant: String,
    #[serde(default)]
    logintoken: String,
}

async fn sign_in(
    State(gateway): State<Arc<Gateway>>,
    peer: Option<Peer>,
    Query(link): Query<Link>,
) -> Response {
    match gateway.partner_sign_in(&link.merchant, &link.logintoken, client_ip(peer)).await {
        Ok(signed_in) => {
            let user = &signed_in.user;
            let body = format!(
                "<p>Signed in as <strong id=\"user\">{}</strong> {} of the partner \
                 <strong id=\"partner\">{}</strong> ({}).</p><p>Continue to <a id=\"page\" href=\"{page}\">{page}</a>.</p>",
                escape(&user.email),
                escape(&format!("({} {})", user.first_name, user.last_name)),
                escape(&signed_in.partner.code),
                escape(&signed_in.partner.name),
                page = escape(&signed_in.access_page),
            );
            page(StatusCode::OK, "Partner control panel", &body)
        }
        Err(Error::InvalidSsoToken) => page(
            StatusCode::FORBIDDEN,
            "Link expired",
            &paragraph("This sign-in link has expired or was already used. Ask for a new one."),
        ),
        Err(error) => page(StatusCode::SERVICE_UNAVAILABLE, "Try again", &paragraph(&error.to_string())),
    }
}
