//! `GET /`: what a new user sees at the gateway's address — the endpoints, the merchant codes
//! (never a secret, but the demo merchant's published one), the version, the store, and the way
//! to the dashboard.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tco_core::Gateway;
use tco_store::DatabaseLocation;

use crate::Config;
use crate::admin::access::{Access, Guard};
use crate::config::{DEMO_MERCHANT_CODE, DEMO_MERCHANT_SECRET};
use tco_pages::escape;

#[derive(Clone)]
struct Landing {
    gateway: Arc<Gateway>,
    /// The page but for the clock line, which moves.
    top: Arc<str>,
    bottom: Arc<str>,
}

pub(crate) fn router(gateway: Arc<Gateway>, config: &Config, location: &DatabaseLocation) -> Router {
    let merchants: String = config
        .merchants
        .iter()
        .map(|merchant| {
            // The demo merchant's secret is in the README; no other secret is ever shown.
            let published =
                merchant.code == DEMO_MERCHANT_CODE && merchant.secret.expose() == DEMO_MERCHANT_SECRET;
            let secret = if published {
                format!(
                    " — secret key <code>{}</code> (the published demo key)",
                    escape(DEMO_MERCHANT_SECRET)
                )
            } else {
                String::new()
            };
            format!("<li><code>{}</code>{secret}</li>", escape(&merchant.code))
        })
        .collect();
    let admin = match Guard::of(config).map(|guard| guard.access) {
        Some(Access::Open) => "<a href=\"/_admin/\">Dashboard</a>: the live call journal, the state of each merchant, reset, time travel and fault injection (open: the gateway listens on a loopback address).".to_owned(),
        Some(Access::Token(_)) => "<a href=\"/_admin/\">Dashboard</a> (it asks for the admin token).".to_owned(),
        None => "The dashboard and admin API are off: the gateway listens on a non-loopback address without <code>--admin-token</code>.".to_owned(),
    };
    let descriptors = tco_api::descriptors();
    let families: String = tco_api::family_counts(&descriptors)
        .iter()
        .map(|(family, count)| format!("<tr><th>{}</th><td>{count}</td></tr>", escape(family)))
        .collect();
    let top = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tco-gateway</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.45}}\
         code{{background:#f3f3f3;padding:0 .25em}}th{{text-align:left;padding-right:1.5em;font-weight:600}}</style></head><body>\
         <h1>tco-gateway {version}</h1>\
         <p>A local 2Checkout (Avangate) merchant API 6.0: REST, JSON-RPC and SOAP on one state.</p>\
         <h2>Endpoints</h2><table>\
         <tr><th>REST</th><td><code>/rest/6.0/</code> — signed with <code>X-Avangate-Authentication</code> (<code>tco-gateway sign --merchant CODE:SECRET</code> prints one)</td></tr>\
         <tr><th>JSON-RPC</th><td><code>/rpc/6.0/</code></td></tr>\
         <tr><th>SOAP</th><td><code>/soap/6.0/</code>, WSDL at <a href=\"/soap/6.0/?wsdl\"><code>/soap/6.0/?wsdl</code></a></td></tr>\
         <tr><th>OpenAPI</th><td><a href=\"/rest/6.0/openapi.json\"><code>/rest/6.0/openapi.json</code></a> (the admin API included)</td></tr>\
         <tr><th>OpenRPC</th><td><a href=\"/rpc/6.0/openrpc.json\"><code>/rpc/6.0/openrpc.json</code></a></td></tr>\
         <tr><th>Metrics</th><td><a href=\"/metrics\"><code>/metrics</code></a> (Prometheus)</td></tr>\
         <tr><th>Legacy API</th><td><code>/api/{{group}}/{{call}}</code> — the legacy 2Checkout API v1, HTTP Basic with the merchant's legacy API user; its OpenAPI at <a href=\"/api/openapi.json\"><code>/api/openapi.json</code></a></td></tr>\
         <tr><th>Health</th><td><a href=\"/health\"><code>/health</code></a></td></tr></table>\
         <h2>Operations</h2><p>{count} operations, each on REST, JSON-RPC and SOAP (a few REST only, as on the vendor's API) — \
         every one with its parameters, routes and errors in <a href=\"/docs/operations.md\"><code>operations.md</code></a>:</p>\
         <table>{families}</table>\
         <p>Beside them: IPN, LCN and INS notifications to the merchant's listeners, the hosted renewal cart, the \
         Instant Search Order Export at <code>/action/ise</code>, and the cart signature service.</p>\
         <h2>Merchants</h2><ul>{merchants}</ul>\
         <h2>Store</h2><p><code>{store}</code></p>",
        version = env!("CARGO_PKG_VERSION"),
        count = descriptors.len(),
        store = escape(&store_name(location)),
    );
    let bottom = format!("<h2>Administration</h2><p>{admin}</p></body></html>");
    Router::new().route("/", get(page)).route("/docs/operations.md", get(operations)).with_state(Landing {
        gateway,
        top: top.into(),
        bottom: bottom.into(),
    })
}

/// `GET /docs/operations.md`: every operation, generated from the registry as it runs.
async fn operations() -> Response {
    let markdown = tco_api::operations_markdown(&tco_api::descriptors());
    ([(CONTENT_TYPE, "text/markdown; charset=utf-8")], markdown).into_response()
}

/// The store without anything secret: SQLite's file, or PostgreSQL's host and database.
fn store_name(location: &DatabaseLocation) -> String {
    match location {
        DatabaseLocation::Sqlite(path) => format!("SQLite {}", path.display()),
        DatabaseLocation::Postgres(url) => {
            let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
            let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("PostgreSQL {}", host.split('?').next().unwrap_or_default())
        }
    }
}

async fn page(State(landing): State<Landing>) -> Response {
    let setting = landing.gateway.clock_setting();
    let clock = if setting == tco_core::ClockSetting::default() {
        String::new()
    } else {
        format!(
            "<h2>Clock</h2><p>Time travel is on: the gateway's time is <code>{}</code>.</p>",
            landing.gateway.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )
    };
    let html = format!("{}{clock}{}", landing.top, landing.bottom);
    ([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_is_named_without_its_password() {
        let postgres =
            DatabaseLocation::Postgres("postgres://user:pw@db.example:5432/tco?sslmode=disable".into());
        assert_eq!(store_name(&postgres), "PostgreSQL db.example:5432/tco");
        let sqlite = DatabaseLocation::Sqlite("data/tco-gateway.db".into());
        assert_eq!(store_name(&sqlite), "SQLite data/tco-gateway.db");
    }
}
