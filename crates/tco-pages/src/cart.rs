//! The hosted cart: the pages a shopper's browser opens from a manual renewal link or any
//! `getSingleSignOnInCart` link to this gateway. Plain server-rendered HTML with one form; the
//! rules (tokens, eligibility, pricing, placing the order) are the core's — this only renders
//! and reads the form.
//!
//! - `GET /order/renew.php?merchant=…&LICENSE=…&logintoken=…`: spends the login token, shows the
//!   subscription, the renewal price and the shopper's stored cards; `POST` places the renewal.
//! - `GET /order/checkout.php?merchant=…&prod=A,B&qty=1,2&logintoken=…`: the products (or an
//!   empty cart) for the signed-in shopper; `POST` places the order. A link with a `signature`
//!   (`prod=A;B&qty=1;2&currency=…&signature=…`, as the signature service signs it) shows its
//!   products only if the signature verifies and its `expiration` has not passed.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;
use tco_core::{BuyLinkReturn, CHECKOUT_PATH, CartShopper, Error, Gateway, Order, RENEWAL_PATH};

pub(crate) fn router(gateway: Arc<Gateway>) -> Router {
    Router::new()
        .route(RENEWAL_PATH, get(renewal_page).post(renew))
        .route(CHECKOUT_PATH, get(checkout_page).post(checkout))
        .with_state(gateway)
}

#[derive(Debug, Default, Deserialize)]
struct Link {
    #[serde(default, alias = "MERCHANT")]
    merchant: String,
    #[serde(default, rename = "LICENSE", alias = "license")]
    license: String,
    #[serde(default)]
    logintoken: String,
    /// Product codes, comma-separated.
    #[serde(default, alias = "PRODS")]
    prod: String,
    /// Quantities, in the order of `prod`.
    #[serde(default, alias = "QTY")]
    qty: String,
}

#[derive(Debug, Default, Deserialize)]
struct Submitted {
    #[serde(default)]
    merchant: String,
    #[serde(default)]
    license: String,
    #[serde(default)]
    prod: String,
    #[serde(default)]
    qty: String,
    #[serde(default)]
    cart: String,
    /// The chosen card's position among the shopper's cards.
    #[serde(default)]
    card: Option<usize>,
    /// A signed buy link's parameters, form-encoded, for the return to the merchant.
    #[serde(default)]
    link: String,
}

async fn renewal_page(
    State(gateway): State<Arc<Gateway>>,
    peer: Option<Peer>,
    Query(link): Query<Link>,
) -> Response {
    let shopper = match sign_in(&gateway, &link.merchant, &link.logintoken, client_ip(peer)).await {
        Ok(shopper) => shopper,
        Err(page) => return page,
    };
    renewal_form(&gateway, &link.merchant, &link.license, &shopper, None).await
}

async fn renew(State(gateway): State<Arc<Gateway>>, Form(form): Form<Submitted>) -> Response {
    let shopper = match gateway.resume_cart(&form.merchant, &form.cart).await {
        Ok(shopper) => shopper,
        Err(error) => return refused(&error),
    };
    let token = chosen_card(&shopper, form.card);
    match gateway
        .renew_in_cart(&form.merchant, &shopper.customer, &shopper.cards, &form.license, &token)
        .await
    {
        Ok(order) => placed(&gateway, &order, Some(&form.license), None),
        Err(error) => renewal_form(&gateway, &form.merchant, &form.license, &shopper, Some(&error)).await,
    }
}

async fn checkout_page(
    State(gateway): State<Arc<Gateway>>,
    peer: Option<Peer>,
    Query(link): Query<Link>,
    Query(parameters): Query<Vec<(String, String)>>,
) -> Response {
    let shopper = match sign_in(&gateway, &link.merchant, &link.logintoken, client_ip(peer)).await {
        Ok(shopper) => shopper,
        Err(page) => return page,
    };
    // A signed link (InLine, ConvertPlus) whose signature does not verify, or that expired,
    // shows an empty cart, as the vendor's does.
    let (prod, qty, signed) = if gateway.buy_link_is_valid(&link.merchant, &parameters) {
        let signed = parameters.iter().any(|(name, _)| name == "signature");
        let carried = if signed {
            form_urlencoded::Serializer::new(String::new()).extend_pairs(&parameters).finish()
        } else {
            String::new()
        };
        (link.prod, link.qty, carried)
    } else {
        (String::new(), String::new(), String::new())
    };
    let form = Submitted { merchant: link.merchant, prod, qty, link: signed, ..Submitted::default() };
    checkout_form(&form, &shopper, None)
}

async fn checkout(State(gateway): State<Arc<Gateway>>, Form(form): Form<Submitted>) -> Response {
    let shopper = match gateway.resume_cart(&form.merchant, &form.cart).await {
        Ok(shopper) => shopper,
        Err(error) => return refused(&error),
    };
    let token = chosen_card(&shopper, form.card);
    let items = items(&form.prod, &form.qty);
    if items.is_empty() {
        return checkout_form(&form, &shopper, Some(&Error::OrderProductsEmpty));
    }
    match gateway.buy_in_cart(&form.merchant, &shopper.customer, &shopper.cards, &items, &token).await {
        Ok(order) => match back_to_merchant(&gateway, &form, &order) {
            Some(back) => returned(&gateway, &order, &back),
            None => placed(&gateway, &order, None, None),
        },
        Err(error) => checkout_form(&form, &shopper, Some(&error)),
    }
}

/// The visitor's address, which the server puts on each request.
pub(crate) type Peer = Extension<ConnectInfo<SocketAddr>>;

pub(crate) fn client_ip(peer: Option<Peer>) -> Option<IpAddr> {
    peer.map(|Extension(ConnectInfo(address))| address.ip())
}

/// Spends the login token (from the IP it is bound to, if any); a page saying why not otherwise.
async fn sign_in(
    gateway: &Gateway,
    merchant: &str,
    login_token: &str,
    client_ip: Option<IpAddr>,
) -> Result<CartShopper, Response> {
    if login_token.is_empty() {
        let text = "This page opens from a single sign-on link: the merchant's getSingleSignOnInCart adds the \
                    shopper's logintoken to it.";
        return Err(page(StatusCode::UNAUTHORIZED, "Sign-in needed", &paragraph(text)));
    }
    gateway.open_cart(merchant, login_token, client_ip).await.map_err(|error| refused(&error))
}

fn refused(error: &Error) -> Response {
    match error {
        Error::InvalidSsoToken => page(
            StatusCode::FORBIDDEN,
            "Link expired",
            &paragraph("This link has expired or was already used. Ask for a new one."),
        ),
        _ => page(StatusCode::SERVICE_UNAVAILABLE, "Try again", &paragraph(&error.to_string())),
    }
}

fn chosen_card(shopper: &CartShopper, position: Option<usize>) -> String {
    position
        .and_then(|position| shopper.cards.get(position))
        .and_then(|card| card.transient_token.clone())
        .unwrap_or_default()
}

/// The link's products and quantities, separated by `,` (buy links) or `;` (ConvertPlus).
fn items(products: &str, quantities: &str) -> Vec<(String, i64)> {
    let separator = |c: char| c == ',' || c == ';';
    let mut quantities =
        quantities.split(separator).map(|quantity| quantity.trim().parse::<i64>().unwrap_or(1));
    products
        .split(separator)
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(|code| (code.to_owned(), quantities.next().unwrap_or(1)))
        .collect()
}

async fn renewal_form(
    gateway: &Gateway,
    merchant: &str,
    license: &str,
    shopper: &CartShopper,
    error: Option<&Error>,
) -> Response {
    let (record, price) = match gateway.renewal_offer(merchant, &shopper.customer, license).await {
        Ok(Ok(offer)) => offer,
        Ok(Err(why)) => return page(StatusCode::CONFLICT, "Renewal not available", &paragraph(why)),
        Err(error) => return refused(&error),
    };
    let subscription = &record.subscription;
    let status = subscription.status(gateway.now(), gateway.settings().grace_period);
    let expires =
        subscription.expiration_date.map(|at| at.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let mut body = signed_in(shopper);
    if let Some(error) = error {
        body.push_str(&alert(error));
    }
    let _ = write!(
        body,
        "<table><tr><th>Subscription</th><td id=\"subscription\">{}</td></tr>\
         <tr><th>Product</th><td>{} × {}</td></tr>\
         <tr><th>Status</th><td id=\"status\">{}</td></tr>\
         <tr><th>Expires</th><td id=\"expires\">{}</td></tr>\
         <tr><th>Renewal price</th><td id=\"price\">{} {}</td></tr></table>",
        escape(&subscription.reference),
        escape(&subscription.product_name),
        subscription.quantity,
        status.as_str(),
        expires,
        price.gross,
        escape(&price.currency),
    );
    let hidden = [("merchant", merchant), ("license", license), ("cart", &shopper.cart_token)];
    body.push_str(&card_form(RENEWAL_PATH, &hidden, shopper));
    page(StatusCode::OK, "Renew your subscription", &body)
}

fn checkout_form(form: &Submitted, shopper: &CartShopper, error: Option<&Error>) -> Response {
    let mut body = signed_in(shopper);
    if let Some(error) = error {
        body.push_str(&alert(error));
    }
    let items = items(&form.prod, &form.qty);
    if items.is_empty() {
        body.push_str(&paragraph("Your cart is empty."));
        return page(StatusCode::OK, "Your cart", &body);
    }
    body.push_str("<table><tr><th>Product</th><th>Quantity</th></tr>");
    for (code, quantity) in &items {
        let _ = write!(body, "<tr><td>{}</td><td>{quantity}</td></tr>", escape(code));
    }
    body.push_str("</table>");
    let hidden = [
        ("merchant", form.merchant.as_str()),
        ("prod", &form.prod),
        ("qty", &form.qty),
        ("cart", &shopper.cart_token),
        ("link", &form.link),
    ];
    body.push_str(&card_form(CHECKOUT_PATH, &hidden, shopper));
    page(StatusCode::OK, "Your cart", &body)
}

fn signed_in(shopper: &CartShopper) -> String {
    let fields = &shopper.customer.fields;
    format!(
        "<p id=\"shopper\">Signed in as {} {} ({})</p>",
        escape(&fields.first_name),
        escape(&fields.last_name),
        escape(&fields.email)
    )
}

/// The stored cards to choose from and the button; the form carries `hidden`.
fn card_form(action: &str, hidden: &[(&str, &str)], shopper: &CartShopper) -> String {
    let mut form = format!("<form method=\"post\" action=\"{action}\">");
    for (name, value) in hidden {
        let _ = write!(form, "<input type=\"hidden\" name=\"{name}\" value=\"{}\">", escape(value));
    }
    if shopper.cards.is_empty() {
        form.push_str("<p>You have no stored card: pay by card once through the API first.</p>");
    }
    form.push_str("<fieldset><legend>Pay with</legend>");
    for (position, card) in shopper.cards.iter().enumerate() {
        let checked = if position == 0 { " checked" } else { "" };
        let _ = write!(
            form,
            "<label><input type=\"radio\" name=\"card\" value=\"{position}\"{checked}> {} ending in {} \
             (expires {}/{})</label><br>",
            escape(&card.card_type),
            escape(&card.last_digits),
            escape(&card.expiration_month),
            escape(&card.expiration_year),
        );
    }
    form.push_str("</fieldset><button type=\"submit\" id=\"place-order\">Place order</button></form>");
    form
}

fn placed(gateway: &Gateway, order: &Order, renewed: Option<&str>, back: Option<&str>) -> Response {
    let mut body = format!(
        "<p>Thank you. Order <strong id=\"order\">{}</strong> is <span id=\"order-status\">{}</span>: {} {}.</p>",
        escape(&order.ref_no),
        order.status(gateway.now()).as_str(),
        order.totals.gross,
        escape(&order.currency),
    );
    if let Some(reference) = renewed {
        let expires = order
            .subscriptions
            .iter()
            .find(|subscription| subscription.reference == reference)
            .and_then(|subscription| subscription.expiration_date);
        if let Some(expires) = expires {
            let _ = write!(
                body,
                "<p>Subscription {} now runs until <span id=\"expires\">{}</span>.</p>",
                escape(reference),
                expires.format("%Y-%m-%d")
            );
        }
    }
    if let Some(url) = back {
        let _ = write!(body, "<p><a id=\"return\" href=\"{}\">Back to the merchant</a></p>", escape(url));
    }
    page(StatusCode::OK, "Order placed", &body)
}

/// The return to the merchant of an order bought from the signed buy link the form carried.
fn back_to_merchant(gateway: &Gateway, form: &Submitted, order: &Order) -> Option<BuyLinkReturn> {
    let link: Vec<(String, String)> = form_urlencoded::parse(form.link.as_bytes()).into_owned().collect();
    let (_, return_url) = link.iter().find(|(name, _)| name == "return-url")?;
    // The return page sees the return URL's own parameters too: the signature covers them.
    let url_query: Vec<(String, String)> = return_url
        .split_once('?')
        .map(|(_, query)| form_urlencoded::parse(query.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    gateway.buy_link_return(&form.merchant, &link, &url_query, order)
}

/// Back to the merchant from a signed buy link: a redirect (`return-type=redirect`), or the
/// Thank-You page with a link (`return-type=link`, the default).
fn returned(gateway: &Gateway, order: &Order, back: &BuyLinkReturn) -> Response {
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(&back.parameters).finish();
    let separator = if back.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{separator}{query}", back.url);
    if back.redirect {
        return (StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, url)]).into_response();
    }
    placed(gateway, order, None, Some(&url))
}

fn alert(error: &Error) -> String {
    format!("<p class=\"error\" role=\"alert\">{} ({})</p>", escape(&error.to_string()), error.code())
}

pub(crate) fn paragraph(text: &str) -> String {
    format!("<p>{}</p>", escape(text))
}

pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · tco-gateway cart</title>\
         <style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}}th{{text-align:left;padding-right:1em}}\
         .error{{color:#b00}}</style></head><body><h1>{title}</h1>{body}</body></html>",
        title = escape(title),
    );
    (status, Html(html)).into_response()
}

/// `text` made safe inside HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}
