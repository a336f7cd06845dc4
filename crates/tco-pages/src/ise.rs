//! The Instant Search Order Export, `GET` or `POST /action/ise` (the vendor's path): the core
//! checks the signed request; this writes the period's orders as CSV (a header row, one row per
//! order line, columns named as the IPN names them) or XML (`EXPORT_FORMAT=XML`), streamed a
//! page of orders at a time.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, RawForm, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{StreamExt as _, stream};
use tco_core::{Error, Gateway, Order, PurchaseType};

use crate::cart::escape;

pub(crate) const ISE_PATH: &str = "/action/ise";

/// The columns, one row per order line: the order's, the line's, then the order's totals.
const ORDER_COLUMNS: [&str; 12] = [
    "REFNO",
    "REFNOEXT",
    "ORDERSTATUS",
    "SALEDATE",
    "COMPLETE_DATE",
    "FIRSTNAME",
    "LASTNAME",
    "COMPANY",
    "CUSTOMEREMAIL",
    "COUNTRY_CODE",
    "CURRENCY",
    "PAYMETHOD",
];
const LINE_COLUMNS: [&str; 9] = [
    "IPN_PID",
    "IPN_PCODE",
    "IPN_PNAME",
    "IPN_QTY",
    "IPN_PRICE",
    "IPN_VAT",
    "IPN_DISCOUNT",
    "IPN_TOTAL",
    "IPN_PROMOCODE",
];
const TOTAL_COLUMNS: [&str; 3] = ["IPN_TOTALGENERAL", "REFUNDED", "TEST_ORDER"];

pub(crate) fn router(gateway: Arc<Gateway>) -> Router {
    Router::new().route(ISE_PATH, get(by_query).post(by_form)).with_state(gateway)
}

async fn by_query(
    State(gateway): State<Arc<Gateway>>,
    Query(parameters): Query<Vec<(String, String)>>,
) -> Response {
    export(gateway, parameters)
}

async fn by_form(
    State(gateway): State<Arc<Gateway>>,
    Query(query): Query<Vec<(String, String)>>,
    RawForm(form): RawForm,
) -> Response {
    let mut parameters = query;
    parameters.extend(form_urlencoded::parse(&form).into_owned());
    export(gateway, parameters)
}

fn export(gateway: Arc<Gateway>, parameters: Vec<(String, String)>) -> Response {
    let export = match gateway.export_request(&parameters) {
        Ok(export) => export,
        Err(error) => return refused(&error),
    };
    let xml = parameters.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("EXPORT_FORMAT") && value.trim().eq_ignore_ascii_case("xml")
    });
    let (content_type, head, tail) = match xml {
        true => (
            "application/xml; charset=utf-8",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Orders>\n".to_owned(),
            "</Orders>\n",
        ),
        false => (
            "text/csv; charset=utf-8",
            format!("{}\r\n", [&ORDER_COLUMNS[..], &LINE_COLUMNS, &TOTAL_COLUMNS].concat().join(",")),
            "",
        ),
    };
    // One page of orders in memory at a time: the next is read when the client has taken this one.
    let pages = stream::unfold(Some(1u32), move |page| {
        let (gateway, export) = (gateway.clone(), export.clone());
        async move {
            let page = page?;
            match gateway.export_page(&export, page).await {
                Ok((orders, more)) => {
                    let text = orders.iter().map(|order| render(&gateway, order, xml)).collect::<String>();
                    Some((Ok::<_, std::io::Error>(Bytes::from(text)), more.then(|| page.saturating_add(1))))
                }
                Err(error) => {
                    tracing::warn!(%error, "the order export stopped");
                    Some((Err(std::io::Error::other(error.to_string())), None))
                }
            }
        }
    });
    let body = stream::once(async move { Ok(Bytes::from(head)) })
        .chain(pages)
        .chain(stream::once(async move { Ok(Bytes::from_static(tail.as_bytes())) }));
    ([(CONTENT_TYPE, content_type)], Body::from_stream(body)).into_response()
}

fn refused(error: &Error) -> Response {
    let status = match error {
        Error::AuthenticationFailed | Error::DateOutsideWindow { .. } => StatusCode::UNAUTHORIZED,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, [(CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{}: {error}\n", error.code()))
        .into_response()
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn render(gateway: &Gateway, order: &Order, xml: bool) -> String {
    let now = gateway.now();
    let date = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|at| at.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default()
    };
    let billing = &order.billing;
    let money = |amount: tco_core::Decimal| format!("{:.2}", amount.round_dp(2));
    let order_values: [String; ORDER_COLUMNS.len()] = [
        order.ref_no.clone(),
        order.external_reference.clone().unwrap_or_default(),
        order.status(now).in_ipn().as_str().to_owned(),
        date(Some(order.placed_at)),
        date(order.finish_date(now)),
        billing.first_name.clone(),
        billing.last_name.clone(),
        billing.company.clone().unwrap_or_default(),
        billing.email.clone(),
        billing.country_code.clone(),
        order.currency.clone(),
        order.payment.payment_type.as_str().to_owned(),
    ];
    let lines: Vec<[String; LINE_COLUMNS.len()]> = order
        .items
        .iter()
        .filter(|item| item.purchase_type == PurchaseType::Product)
        .map(|item| {
            let coupon = item
                .promotion
                .as_ref()
                .and_then(|code| order.promotions.iter().find(|promotion| &promotion.code == code))
                .and_then(|promotion| promotion.coupon.clone())
                .unwrap_or_default();
            [
                item.product_id.to_string(),
                item.product_code.clone(),
                item.product_name.clone(),
                item.quantity.to_string(),
                money(item.price.unit_net),
                money(item.price.vat),
                money(item.price.discount),
                money(item.price.gross_discounted()),
                coupon,
            ]
        })
        .collect();
    let order_tail: [String; TOTAL_COLUMNS.len()] =
        [money(order.paid_total()), money(order.refunded()), if order.test { "1" } else { "0" }.to_owned()];
    if xml {
        let element = |name: &str, value: &str| format!("<{name}>{}</{name}>", escape(value));
        let mut text = String::from("<Order>");
        for (name, value) in ORDER_COLUMNS.iter().zip(&order_values) {
            text.push_str(&element(name, value));
        }
        for (name, value) in TOTAL_COLUMNS.iter().zip(&order_tail) {
            text.push_str(&element(name, value));
        }
        text.push_str("<Items>");
        for line in &lines {
            text.push_str("<Item>");
            for (name, value) in LINE_COLUMNS.iter().zip(line) {
                text.push_str(&element(name, value));
            }
            text.push_str("</Item>");
        }
        text.push_str("</Items></Order>\n");
        return text;
    }
    lines
        .iter()
        .map(|line| {
            let row: Vec<String> =
                order_values.iter().chain(line).chain(&order_tail).map(|value| csv_field(value)).collect();
            format!("{}\r\n", row.join(","))
        })
        .collect()
}
