//! Automatic renewal on the gateway's clock (issue 31's engine): a subscription paid by an
//! authorizing card renews at its expiration (a renewal order, IPN and LCN); one paid by
//! 4000000000000341 goes past due, is retried, and expires after the grace period; a jump of three
//! months renews three times, in order; two instances on one PostgreSQL renew once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use tco_client::{Api, OrdersApi, SubscriptionImport, SubscriptionsApi};
use tco_tests::{Backend, MERCHANT_A, TestGateway, backend_test};

use crate::admin::admin;
use crate::notifications::{Listener, field, listen, second_instance, wait_for};
use crate::orders::{billing, card, item, order_data};
use crate::subscriptions::python_sdk_import;

async fn renewal_gateway(backend: Backend) -> Option<TestGateway> {
    TestGateway::start_with_data(backend, &order_data(), |config| {
        config.order_completion_secs = 0;
        config.auth_window_secs = 366 * 86_400;
        config.session_ttl_secs = 366 * 86_400;
    })
    .await
}

/// The monthly plan paid (payment type TEST) with the card `number`, automatic renewal on; its subscription reference.
async fn plan_paid_by(client: &dyn Api, number: &str, email: &str) -> String {
    let order = tco_client::Order {
        currency: Some("usd".into()),
        language: Some("en".into()),
        items: vec![item("PLAN", 1)],
        billing_details: Some(billing(email, "US")),
        payment_details: Some(card("TEST", number)),
        external_reference: Some(format!("EXT-{email}")),
        ..tco_client::Order::default()
    };
    let placed = client.place_order(&order).await.unwrap();
    assert_eq!(placed.status.as_deref(), Some("COMPLETE"), "{number} pays the first order");
    placed.subscription_references()[0].clone()
}

async fn advance(gateway: &TestGateway, by: &str) {
    let (status, clock) = admin(gateway, Method::POST, "/_admin/clock", Some(json!({ "advance": by }))).await;
    assert_eq!(status, 200, "{clock}");
}

/// Waits until `done` holds of the subscription.
async fn wait_subscription(
    client: &dyn Api,
    reference: &str,
    done: impl Fn(&tco_client::Subscription) -> bool,
) -> tco_client::Subscription {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let subscription = client.subscription(reference).await.unwrap();
        if done(&subscription) {
            return subscription;
        }
        assert!(Instant::now() < deadline, "the subscription never got there: {subscription:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn all_orders() -> tco_client::OrderSearchOptions {
    tco_client::OrderSearchOptions {
        start_date: Some("2000-01-01".into()),
        pagination: Some(tco_client::PageRequest { page: 1, limit: 200 }),
        ..Default::default()
    }
}

backend_test!(subscriptions_renew_on_the_clock, renewal_gateway, |gateway| {
    let listener = Listener::python("sha256").await;
    listen(&gateway, &[&listener], &[&listener]).await;
    let client = tco_tests::client(&gateway, tco_client::Protocol::JsonRpc, MERCHANT_A);
    let renewing = plan_paid_by(client.as_ref(), "4111111111111111", "renewing@example.com").await;
    let failing = plan_paid_by(client.as_ref(), "4000000000000341", "failing@example.com").await;
    let before = client.subscription(&renewing).await.unwrap();
    let first_order = before.latest_subscription_order.clone().unwrap().ref_no.unwrap();

    // A month and two days later: one renewed a cycle on, the other past due.
    advance(&gateway, "33d").await;
    let renewed =
        wait_subscription(client.as_ref(), &renewing, |s| s.expiration_date > before.expiration_date).await;
    assert_eq!(renewed.status.as_deref(), Some("ACTIVE"));
    let renewal_order = renewed.latest_subscription_order.clone().unwrap().ref_no.unwrap();
    assert_ne!(renewal_order, first_order);
    let order = client.order(&renewal_order).await.unwrap();
    assert_eq!(order.subscription_references(), [renewing.as_str()]);
    assert_eq!(client.subscription(&failing).await.unwrap().status.as_deref(), Some("PASTDUE"));

    let ipn = wait_for(&gateway, "kind=ipn&limit=50", |list| {
        list.iter().any(|d| {
            d["subject"] == renewal_order.as_str() && d["event"] == "COMPLETE" && d["state"] == "delivered"
        })
    })
    .await;
    let authorized = ipn
        .iter()
        .find(|d| d["subject"] == renewal_order.as_str() && d["event"] == "PAYMENT_AUTHORIZED")
        .unwrap();
    // A renewal order's IPN names the order that bought what it renews.
    assert_eq!(field(authorized, "ORIGINAL_REFNOEXT[]").as_deref(), Some("EXT-renewing@example.com"));
    let lcn = wait_for(&gateway, "kind=lcn&limit=50", |list| {
        list.iter().any(|d| {
            d["subject"] == failing.as_str() && d["event"] == "LICENCE_PASTDUE" && d["state"] == "delivered"
        }) && list.iter().any(|d| {
            d["subject"] == renewing.as_str() && d["event"] == "LICENCE_CHANGE" && d["state"] == "delivered"
        })
    })
    .await;
    assert!(
        !lcn.iter().any(|d| d["subject"] == renewing.as_str() && d["event"] == "LICENCE_PASTDUE"),
        "a renewed subscription is never past due"
    );
    let change =
        lcn.iter().find(|d| d["subject"] == renewing.as_str() && d["event"] == "LICENCE_CHANGE").unwrap();
    assert_eq!(
        field(change, "EXPIRATION_DATE").map(|date| date[..10].to_owned()),
        renewed.expiration_date.as_ref().map(|date| date[..10].to_owned())
    );

    // The grace period (five days) over: the declining card's subscription expires.
    advance(&gateway, "6d").await;
    wait_for(&gateway, "kind=lcn&limit=50", |list| {
        list.iter().any(|d| {
            d["subject"] == failing.as_str()
                && d["event"] == "LICENCE_EXPIRATION"
                && d["state"] == "delivered"
        })
    })
    .await;
    assert_eq!(client.subscription(&failing).await.unwrap().status.as_deref(), Some("EXPIRED"));
    assert_eq!(client.subscription(&renewing).await.unwrap().expiration_date, renewed.expiration_date);
    let messages = listener.messages();
    assert!(messages.iter().all(|m| m["verified"]["SIGNATURE_SHA3_256"] == true), "{messages:#?}");
    admin(&gateway, Method::DELETE, "/_admin/clock", None).await;
});

// An imported subscription renews at the price it was migrated with (`NextRenewalPrice`, net per
// unit), a cycle of its product on.
backend_test!(imported_subscriptions_renew_at_their_agreed_price, renewal_gateway, |gateway| {
    let client = tco_tests::client(&gateway, tco_client::Protocol::JsonRpc, MERCHANT_A);
    let today = tco_core::Clock::now(gateway.clock.as_deref().unwrap()).date_naive();
    let day = |days: i64| today + chrono::Duration::days(days);
    let text = |date: chrono::NaiveDate| date.format("%Y-%m-%d").to_string();
    let import = SubscriptionImport {
        next_renewal_price: Some("12.34".parse().unwrap()),
        ..python_sdk_import(&text(day(-28)), &text(day(2)))
    };
    let reference = client.add_subscription(&import).await.unwrap();
    let before = client.subscription(&reference).await.unwrap();
    assert_eq!(before.expiration_date, Some(text(day(2))));

    advance(&gateway, "3d").await;
    let renewed =
        wait_subscription(client.as_ref(), &reference, |s| s.expiration_date > before.expiration_date).await;
    let month_on = day(2).checked_add_months(chrono::Months::new(1)).unwrap();
    assert_eq!(renewed.expiration_date, Some(text(month_on)), "a cycle of the product on");
    let ref_no = renewed.latest_subscription_order.clone().unwrap().ref_no.unwrap();
    let order = client.order(&ref_no).await.unwrap();
    let price = order.items[0].price.clone().unwrap();
    assert_eq!(price.unit_net_price, Some("12.34".parse().unwrap()), "not the catalog's 49.99 (+20 %)");
    assert_eq!(order.subscription_references(), [reference.as_str()]);
    admin(&gateway, Method::DELETE, "/_admin/clock", None).await;
});

/// Three months in one jump: three renewals, one after the other, each a cycle on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_month_jump_renews_three_times() {
    let gateway = renewal_gateway(Backend::Sqlite).await.unwrap();
    let client = tco_tests::client(&gateway, tco_client::Protocol::Rest, MERCHANT_A);
    let reference = plan_paid_by(client.as_ref(), "5555555555554444", "thrice@example.com").await;
    let before = client.subscription(&reference).await.unwrap().expiration_date.unwrap();
    let expiration = chrono::NaiveDateTime::parse_from_str(&before, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(&before[..10], "%Y-%m-%d")
                .map(|day| day.and_hms_opt(0, 0, 0).unwrap())
        })
        .unwrap();
    // Past the third expiration (two cycles after the first), before the fourth.
    let third = expiration.checked_add_months(chrono::Months::new(2)).unwrap();
    let jump = (third - chrono::Utc::now().naive_utc()).num_seconds() + 86_400;
    advance(&gateway, &format!("{jump}s")).await;
    let fourth =
        expiration.checked_add_months(chrono::Months::new(3)).unwrap().format("%Y-%m-%d").to_string();
    let renewed = wait_subscription(client.as_ref(), &reference, |s| {
        s.expiration_date.as_deref().is_some_and(|date| date.starts_with(&fourth))
    })
    .await;
    assert_eq!(renewed.status.as_deref(), Some("ACTIVE"));
    // Three renewal orders, besides the first.
    let orders = client.search_orders(&all_orders()).await.unwrap();
    let renewals =
        orders.items.iter().filter(|order| order.subscription_references().contains(&reference)).count();
    assert_eq!(renewals, 4, "the first order and three renewals");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        client.subscription(&reference).await.unwrap().expiration_date,
        renewed.expiration_date,
        "no fourth"
    );
    admin(&gateway, Method::DELETE, "/_admin/clock", None).await;
}

/// Two instances on one PostgreSQL: the renewal happens once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_renew_once() {
    let Some(first) = renewal_gateway(Backend::Postgres).await else { return };
    let second = second_instance(&first).await;
    let client = tco_tests::client(&first, tco_client::Protocol::Rest, MERCHANT_A);
    let mut references = Vec::new();
    for index in 0..4 {
        references.push(
            plan_paid_by(client.as_ref(), "4111111111111111", &format!("once{index}@example.com")).await,
        );
    }
    let before = client.subscription(&references[0]).await.unwrap().expiration_date;
    advance(&first, "33d").await;
    for reference in &references {
        wait_subscription(client.as_ref(), reference, |s| s.expiration_date > before).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let orders = client.search_orders(&all_orders()).await.unwrap();
    for reference in &references {
        let count =
            orders.items.iter().filter(|order| order.subscription_references().contains(reference)).count();
        assert_eq!(count, 2, "{reference}: the first order and one renewal");
    }
    drop(second);
    admin(&first, Method::DELETE, "/_admin/clock", None).await;
}
