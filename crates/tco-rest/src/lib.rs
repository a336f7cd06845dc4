//! `tco-rest` is the REST adapter of tco-gateway: an axum [`Router`] serving the vendor's
//! `/rest/6.0/` customer resources. Every request is authenticated by its
//! `X-Avangate-Authentication` header; bodies and answers are the vendor's PascalCase JSON
//! (the objects in `tco-json`);
//! errors are `{"error_code","message"}` with the status from [`error::status`].
//!
//! It depends on `tco-core`, `tco-json` and axum only: never on another adapter or on a store. It holds
//! no business rule; every handler parses, calls one core operation and serialises.

pub mod auth;
mod dto;
pub mod error;
mod extract;
mod handlers;
mod span;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get};
use axum::{Router, middleware};
use tco_core::{Error, Gateway};

use crate::error::RestError;

/// The prefix the server mounts [`router`] under.
pub const PREFIX: &str = "/rest/6.0";

#[derive(Debug, Clone)]
pub struct RestState {
    pub gateway: Arc<Gateway>,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
}

/// The routes, relative to [`PREFIX`]; each answers with and without a trailing slash.
pub fn router(state: RestState) -> Router {
    let routes = [
        ("/customers", get(handlers::list_customers).post(handlers::create_customer)),
        ("/customers/{reference}", get(handlers::get_customer).put(handlers::update_customer)),
        ("/customers/{reference}/cart", get(handlers::sign_on_in_cart)),
        ("/customers/{reference}/credit-card/{token}", axum::routing::delete(handlers::delete_card)),
    ];
    let mut router = Router::new();
    for (path, methods) in routes {
        router = with_and_without_slash(router, path, methods);
    }
    router
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.body_limit))
        .layer(middleware::from_fn(span::trace_request))
        .with_state(state)
}

fn with_and_without_slash(
    router: Router<RestState>,
    path: &str,
    methods: MethodRouter<RestState>,
) -> Router<RestState> {
    router.route(path, methods.clone()).route(&format!("{path}/"), methods)
}

async fn unknown_route(uri: axum::http::Uri) -> RestError {
    Error::UnknownOperation(format!("no REST resource at {}.", uri.path())).into()
}

async fn method_not_allowed(method: axum::http::Method) -> RestError {
    Error::MethodNotAllowed(format!("{method} is not supported on this resource.")).into()
}
