//! Money going back over REST, JSON-RPC and SOAP (one scenario body, both stores): a partial
//! then a total refund with the vendor's answers and messages, the order's `Refunds` and status,
//! the refund IPNs a listener verifies, the subscriptions a total refund disables; the refusals
//! with nothing changed; REST bodies with lower-case keys and a single item; an admin chargeback.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::json;
use tco_client::{Order, OrdersApi, RefundItem, SubscriptionsApi};
use tco_tests::{Backend, MERCHANT_A, TestGateway, backend_test, parity_test};

use crate::admin::admin;
use crate::notifications::{Listener, deliveries, field, listen, wait_for};
use crate::orders::{billing, card, item, order_data};

async fn refund_gateway(backend: Backend) -> Option<TestGateway> {
    TestGateway::start_with_data(backend, &order_data(), |config| config.order_completion_secs = 0).await
}

/// A plan and two books, paid by TEST card in the US (no VAT): 49.99 + 2 × 10.
fn plan_and_books(email: &str) -> Order {
    Order {
        currency: Some("usd".into()),
        language: Some("en".into()),
        items: vec![item("PLAN", 1), item("BOOK", 2)],
        billing_details: Some(billing(email, "US")),
        payment_details: Some(card("TEST", "4111111111111111")),
        ..Order::default()
    }
}

fn line_of(order: &Order, code: &str) -> String {
    order
        .items
        .iter()
        .find(|line| line.code.as_deref() == Some(code))
        .and_then(|line| line.line_item_reference.clone())
        .unwrap()
}

fn refusal(result: tco_client::Result<bool>) -> (String, String) {
    match result {
        Err(tco_client::ClientError::Api { code, message, .. }) => (code, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

parity_test!(a_partial_then_a_total_refund, refund_gateway, |gateway, client| {
    let listener = Listener::python("sha256").await;
    listen(&gateway, &[&listener], &[&listener]).await;
    let order = client.place_order(&plan_and_books("refund@example.com")).await.unwrap();
    let ref_no = order.ref_no.clone().unwrap();
    let reference = order.subscription_references()[0].clone();
    let books = line_of(&order, "BOOK");
    assert_eq!(order.gross_discounted_price, Some("69.99".parse().unwrap()));

    // Partial: one book of the two.
    let one_book = [RefundItem {
        line_item_reference: Some(books.clone()),
        quantity: Some(1),
        amount: Some(Decimal::TEN),
    }];
    assert!(client.issue_refund(&ref_no, "10", &one_book, "One book back", "Other").await.unwrap());
    let partly = client.order(&ref_no).await.unwrap();
    assert_eq!(partly.status.as_deref(), Some("COMPLETE"));
    let refunds = partly.refunds.clone().unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!((refunds[0].amount, refunds[0].status.as_deref()), (Some(Decimal::TEN), Some("COMPLETED")));
    assert_eq!(
        (refunds[0].reason.as_deref(), refunds[0].comment.as_deref()),
        (Some("Other"), Some("One book back"))
    );
    assert_eq!(refunds[0].items[0].quantity, Some(1));

    // Refusals, each changing nothing.
    let (code, message) = refusal(client.issue_refund(&ref_no, "60", &[], "Too much", "Other").await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("INVALID_REFUND_AMOUNT", "The maximum refundable amount for this order has been exceeded.")
    );
    let three_books =
        [RefundItem { line_item_reference: Some(books.clone()), quantity: Some(2), ..RefundItem::default() }];
    let (code, message) =
        refusal(client.issue_refund(&ref_no, "20", &three_books, "Two more", "Other").await);
    assert_eq!((code.as_str(), message.as_str()), ("INVALID_REFUND_ITEMS", "Invalid PRODUCTS_QTY"));
    let (code, _) = refusal(client.issue_refund(&ref_no, "5", &[], "", "Other").await);
    assert_eq!(code, "INVALID_REFUND_REASON");
    assert_eq!(client.order(&ref_no).await.unwrap().refunds.unwrap().len(), 1);

    // Total: what remains.
    assert!(client.issue_refund(&ref_no, "59.99", &[], "All back", "Duplicate purchase").await.unwrap());
    let refunded = client.order(&ref_no).await.unwrap();
    assert_eq!(refunded.status.as_deref(), Some("REFUND"));
    assert_eq!(refunded.refunds.as_ref().unwrap().len(), 2);
    assert_eq!(client.subscription(&reference).await.unwrap().status.as_deref(), Some("DISABLED"));
    let (code, message) = refusal(client.issue_refund(&ref_no, "1", &[], "Again", "Other").await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("REFUND_NOT_ALLOWED", "You have already placed a Total refund for this order.")
    );

    // Unpaid: a declined card's order.
    let mut declined = plan_and_books("declined-refund@example.com");
    declined.payment_details = Some(card("CC", "4000000000000002"));
    let declined = client.place_order(&declined).await.unwrap().ref_no.unwrap();
    let (code, message) = refusal(client.issue_refund(&declined, "1", &[], "Unpaid", "Other").await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("REFUND_NOT_ALLOWED", "You cannot place a refund request due to the order's current status.")
    );
    let (code, _) = refusal(client.issue_refund("999999999", "1", &[], "Nothing", "Other").await);
    assert_eq!(code, "ORDER_NOT_FOUND");

    // The listener verified both refund IPNs; the subscription's LCN says it was disabled.
    let ipn = wait_for(&gateway, "kind=ipn&limit=20", |list| {
        list.iter().filter(|d| d["event"] == "REFUND" && d["state"] == "delivered").count() == 2
    })
    .await;
    let mut types: Vec<String> =
        ipn.iter().filter(|d| d["event"] == "REFUND").map(|d| field(d, "REFUND_TYPE").unwrap()).collect();
    types.sort();
    assert_eq!(types, ["PARTIAL", "TOTAL"]);
    let lcn = wait_for(&gateway, "kind=lcn", |list| list.iter().any(|d| d["state"] == "delivered")).await;
    assert_eq!(field(&lcn[0], "DISABLED").as_deref(), Some("1"));
    let messages = listener.messages();
    assert!(
        messages
            .iter()
            .filter(|m| m["event"] == "REFUND")
            .all(|m| m["verified"]["SIGNATURE_SHA3_256"] == true),
        "{messages:#?}"
    );
});

// REST bodies as the PHP SDK and the WooCommerce plugins send them (lower-case keys), and
// `Items` as the single object of the vendor's partial-refund sample.
backend_test!(rest_refunds_in_any_case, refund_gateway, |gateway| {
    let client = tco_tests::client(&gateway, tco_client::Protocol::Rest, MERCHANT_A);
    let order = client.place_order(&plan_and_books("lower@example.com")).await.unwrap();
    let ref_no = order.ref_no.clone().unwrap();
    let rest = gateway.rest();
    let single = json!({"amount": 10, "comment": "One book", "reason": "Other",
        "items": {"LineItemReference": line_of(&order, "BOOK"), "Quantity": 1, "Amount": 10}});
    let reply = rest.post(&format!("/orders/{ref_no}/refund/"), &single).await;
    assert_eq!((reply.status.as_u16(), reply.json.clone()), (200, json!(true)), "{}", reply.text);
    let total = json!({"amount": "59.99", "comment": "The rest", "reason": "Other", "items": ""});
    let reply = rest.post(&format!("/orders/{ref_no}/refund/"), &total).await;
    assert_eq!((reply.status.as_u16(), reply.json.clone()), (200, json!(true)), "{}", reply.text);
    let reply = rest.post(&format!("/orders/{ref_no}/refund/"), &total).await;
    reply.assert_error(400, "REFUND_NOT_ALLOWED");
    let read = rest.get(&format!("/orders/{ref_no}/")).await;
    assert_eq!(read.json["Status"], "REFUND");
    assert_eq!(read.json["Refunds"][0]["Items"][0]["Quantity"], 1);
    assert_eq!(read.json["Refunds"][1]["Amount"], json!(59.99));
});

// A chargeback, which no API call makes: the admin's, on a complete order.
backend_test!(chargebacks, refund_gateway, |gateway| {
    let listener = Listener::python("sha256").await;
    listen(&gateway, &[&listener], &[]).await;
    let client = tco_tests::client(&gateway, tco_client::Protocol::JsonRpc, MERCHANT_A);
    let ref_no = client.place_order(&plan_and_books("chargeback@example.com")).await.unwrap().ref_no.unwrap();
    let path = format!("/_admin/orders/{ref_no}/chargeback");
    let (status, answer) =
        admin(&gateway, Method::POST, &path, Some(json!({"reason_code": "UNAUTHORIZED"}))).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(client.order(&ref_no).await.unwrap().status.as_deref(), Some("REVERSED"));
    let reversed = wait_for(&gateway, "kind=ipn", |list| {
        list.iter().any(|d| d["event"] == "REVERSED" && d["state"] == "delivered")
    })
    .await;
    let reversed = reversed.iter().find(|d| d["event"] == "REVERSED").unwrap();
    assert_eq!(field(reversed, "CHARGEBACK_REASON_CODE").as_deref(), Some("UNAUTHORIZED"));
    assert_eq!(field(reversed, "CHARGEBACK_RESOLUTION").as_deref(), Some("OPEN"));
    let (status, _) = admin(&gateway, Method::POST, &path, None).await;
    assert_eq!(status, 400, "a second chargeback is refused");
    let (status, _) = admin(&gateway, Method::POST, "/_admin/orders/999999999/chargeback", None).await;
    assert_eq!(status, 404);
    let (code, _) = refusal(client.issue_refund(&ref_no, "1", &[], "After a chargeback", "Other").await);
    assert_eq!(code, "REFUND_NOT_ALLOWED");
    assert!(deliveries(&gateway, "kind=lcn").await.is_empty());
});

/// Runs the independent Python signer for an export of merchant A: the status and the body.
async fn export(gateway: &TestGateway, query: &str, extra: &[&str]) -> (u16, String) {
    export_as(gateway, MERCHANT_A, query, extra).await
}

async fn export_as(
    gateway: &TestGateway,
    (code, secret): (&str, &str),
    query: &str,
    extra: &[&str],
) -> (u16, String) {
    let python = std::env::var("TCO_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/ise_export.py");
    let output = tokio::process::Command::new(python)
        .arg(script)
        .args([gateway.url().as_str(), code, secret, query])
        .args(extra)
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let (status, body) = text.split_once('\n').unwrap_or((&text, ""));
    (status.trim().parse().unwrap_or(0), body.to_owned())
}

// The export as §6 signs it (an independent Python signer): the period's orders as CSV, one row
// per line, filtered by status and e-mail; XML when asked; MD5 accepted; a wrong hash or an old
// `REQ_DATE` refused.
backend_test!(the_order_export, refund_gateway, |gateway| {
    let client = tco_tests::client(&gateway, tco_client::Protocol::Rest, MERCHANT_A);
    let kept = client.place_order(&plan_and_books("kept@example.com")).await.unwrap().ref_no.unwrap();
    let returned = client.place_order(&plan_and_books("returned@example.com")).await.unwrap().ref_no.unwrap();
    assert!(client.issue_refund(&returned, "69.99", &[], "Returned", "Other").await.unwrap());
    let mut declined = plan_and_books("declined-export@example.com");
    declined.payment_details = Some(card("CC", "4000000000000002"));
    let declined = client.place_order(&declined).await.unwrap().ref_no.unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let period = format!("STARTDATE={today}&ENDDATE={today}");
    let rows = |body: &str, ref_no: &str| {
        body.lines().filter(|line| line.starts_with(&format!("{ref_no},"))).count()
    };

    let (status, all) = export(&gateway, &format!("{period}&ORDERSTATUS=ALL"), &[]).await;
    assert_eq!(status, 200, "{all}");
    let header = all.lines().next().unwrap();
    assert!(header.starts_with("REFNO,REFNOEXT,ORDERSTATUS,SALEDATE"), "{header}");
    assert_eq!((rows(&all, &kept), rows(&all, &returned), rows(&all, &declined)), (2, 2, 2), "{all}");
    assert_eq!(all.lines().count(), 7, "the data file's 2024 orders are outside the period: {all}");
    assert!(
        all.lines()
            .any(|line| line.starts_with(&kept) && line.contains(",COMPLETE,") && line.contains(",BOOK,"))
    );

    let (_, refunded) = export(&gateway, &format!("{period}&ORDERSTATUS=REFUND"), &[]).await;
    assert_eq!((rows(&refunded, &kept), rows(&refunded, &returned)), (0, 2), "{refunded}");
    assert!(refunded.lines().nth(1).unwrap().contains(",REFUND,"));
    let (_, unfinished) = export(&gateway, &format!("{period}&ORDERSTATUS=UNFINISHED"), &[]).await;
    assert_eq!((rows(&unfinished, &declined), unfinished.lines().count()), (2, 3), "{unfinished}");
    let (_, both) = export(&gateway, &format!("{period}&ORDERSTATUS=COMPLETE_AND_REFUND"), &[]).await;
    assert_eq!(both.lines().count(), 5, "{both}");
    let by_email = format!("{period}&ORDERSTATUS=ALL&FILTER_FIELD=EMAIL&FILTER_STRING=Kept@Example.com");
    let (_, kept_only) = export(&gateway, &by_email, &[]).await;
    assert_eq!((rows(&kept_only, &kept), kept_only.lines().count()), (2, 3), "{kept_only}");
    let (status, xml) =
        export(&gateway, &format!("{period}&ORDERSTATUS=REFUND&EXPORT_FORMAT=XML"), &[]).await;
    assert_eq!(status, 200);
    assert!(xml.starts_with("<?xml") && xml.contains(&format!("<Order><REFNO>{returned}</REFNO>")), "{xml}");
    assert!(xml.contains("<REFUNDED>69.99</REFUNDED>"), "{xml}");
    let (status, md5) = export(&gateway, &format!("{period}&ORDERSTATUS=COMPLETE"), &["md5"]).await;
    assert_eq!((status, rows(&md5, &kept)), (200, 2), "{md5}");
    let (status, posted) =
        export(&gateway, &format!("{period}&ORDERSTATUS=COMPLETE"), &["sha256", "0", "post"]).await;
    assert_eq!((status, rows(&posted, &kept), posted.lines().count()), (200, 2, 3), "a form POST: {posted}");

    // Merchant B's export holds none of A's orders.
    let (status, theirs) =
        export_as(&gateway, tco_tests::MERCHANT_B, &format!("{period}&ORDERSTATUS=ALL"), &[]).await;
    assert_eq!(status, 200, "{theirs}");
    assert!(
        theirs.lines().skip(1).all(|line| line.starts_with("600000010,")),
        "only B's own order: {theirs}"
    );
    assert_eq!((rows(&theirs, &kept), rows(&theirs, &returned), rows(&theirs, &declined)), (0, 0, 0));
    let (status, refused) = export(&gateway, &format!("{period}&ORDERSTATUS=ALL"), &["sha256", "-660"]).await;
    assert_eq!(status, 401, "a REQ_DATE 11 minutes old: {refused}");
    let forged = reqwest::get(format!(
        "{}/action/ise?MERCHANT=MERCHANT_A&{period}&ORDERSTATUS=ALL&REQ_DATE={}&HASH={}",
        gateway.url(),
        chrono::Utc::now().format("%Y%m%d%H%M%S"),
        "0".repeat(64)
    ))
    .await
    .unwrap();
    assert_eq!(forged.status().as_u16(), 401);
    assert!(forged.text().await.unwrap().starts_with("AUTHENTICATION_ERROR"));
});

/// A merchant whose refunds settle after an hour: the refund is pending, a second request is
/// refused, the clock settles it; an order older than the age limit is refused.
async fn slow_refund_gateway(backend: Backend) -> Option<TestGateway> {
    let mut data = order_data();
    data["Merchants"][0]["Refunds"] = json!({"SettleAfterSeconds": 3600, "AgeLimitDays": 90});
    TestGateway::start_with_data(backend, &data, |config| config.order_completion_secs = 0).await
}

backend_test!(refunds_settle_on_the_clock, slow_refund_gateway, |gateway| {
    let client = tco_tests::client(&gateway, tco_client::Protocol::JsonRpc, MERCHANT_A);
    let ref_no = client.place_order(&plan_and_books("slow@example.com")).await.unwrap().ref_no.unwrap();
    assert!(client.issue_refund(&ref_no, "69.99", &[], "All", "Other").await.unwrap());
    let pending = client.order(&ref_no).await.unwrap();
    assert_eq!(pending.status.as_deref(), Some("COMPLETE"));
    assert_eq!(pending.refunds.unwrap()[0].status.as_deref(), Some("PENDING"));
    let (code, message) = refusal(client.issue_refund(&ref_no, "1", &[], "More", "Other").await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("REFUND_NOT_ALLOWED", "You have already placed a Total refund for this order.")
    );
    admin(&gateway, Method::POST, "/_admin/clock", Some(json!({"advance": "2h"}))).await;
    let settled = client.order(&ref_no).await.unwrap();
    assert_eq!(settled.status.as_deref(), Some("REFUND"));
    assert_eq!(settled.refunds.unwrap()[0].status.as_deref(), Some("COMPLETED"));
    admin(&gateway, Method::DELETE, "/_admin/clock", None).await;
    // The data file's order of 2024-01-04 is older than 90 days.
    let (code, message) = refusal(client.issue_refund("600000004", "1", &[], "Old", "Other").await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("REFUND_NOT_ALLOWED", "The allowed period to request a new refund for this order has expired.")
    );
});
