//! Subscription upgrades: the products a subscription may move to, what moving costs under each
//! pricing scheme (prorated, a downgrade's negative price, the full price with its percentage),
//! and the upgrade itself, over REST, JSON-RPC and SOAP on both stores.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use serde_json::{Value, json};
use tco_client::{ClientError, OrdersApi, SubscriptionsApi};
use tco_tests::{Backend, TestGateway, parity_test};

use crate::orders::{billing, card, item};

fn code<T: std::fmt::Debug>(result: Result<T, ClientError>) -> String {
    match result {
        Err(ClientError::Api { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn money(text: &str) -> Option<Decimal> {
    Some(text.parse().unwrap())
}

/// A monthly product at `usd` dollars, net; `schema` its upgrade schema.
fn product(code: &str, usd: u32, schema: Option<Value>) -> Value {
    let mut product = json!({"ProductCode": code, "ProductName": code,
        "SubscriptionInformation": {"BillingCycle": 1, "BillingCycleUnits": "M"},
        "PricingConfigurations": [{"PriceType": "NET", "DefaultCurrency": "USD",
            "Prices": {"Regular": [{"Amount": usd, "Currency": "USD"}]}}]});
    if let Some(schema) = schema {
        product["UpgradeSchema"] = schema;
    }
    product
}

fn schema(pricing_scheme: u8, upgrade_type: u8, percentage: i64) -> Value {
    json!({"UpgradeSettings": {"PricingScheme": pricing_scheme, "OptionPriceOperator": "ADD",
        "OptionPricePercentage": percentage, "SubscriptionUpgradeType": upgrade_type,
        "UseProductCatalogPricing": true, "ProrateIgnoreGracePeriod": false},
        "AllowUpgradeFrom": ["BASIC"]})
}

/// A monthly `product` bought with the 4111 card (automatic renewal on): its subscription.
async fn subscription_of(client: &dyn tco_client::Api, product: &str, email: &str) -> String {
    let order = tco_client::Order {
        currency: Some("usd".into()),
        items: vec![item(product, 1)],
        billing_details: Some(billing(email, "US")),
        payment_details: Some(card("TEST", "4111111111111111")),
        ..tco_client::Order::default()
    };
    let order = client.place_order(&order).await.unwrap();
    order.subscription_references()[0].clone()
}

async fn upgrade_gateway(backend: Backend) -> Option<TestGateway> {
    let mut suite = product(
        "SUITE",
        40,
        Some(json!({"UpgradeSettings": {"PricingScheme": 1,
        "OptionPriceOperator": "ADD", "OptionPricePercentage": 0, "SubscriptionUpgradeType": 1,
        "UseProductCatalogPricing": true, "ProrateIgnoreGracePeriod": false}, "AllowUpgradeFrom": ["STARTER"]})),
    );
    suite["PricingConfigurations"][0]["PriceOptions"] = json!([{"Code": "SEATS", "Required": false}]);
    let data = json!({"Merchants": [{"Code": "MERCHANT_A", "Products": [
        product("BASIC", 10, None),
        // Prorated on what was paid, the duration kept.
        product("PRO", 30, Some(schema(3, 3, 0))),
        // Cheaper: a downgrade.
        product("LITE", 5, Some(schema(3, 3, 0))),
        // The full price and 10 % more, a new cycle from the upgrade.
        product("FULL", 50, Some(schema(1, 2, 10))),
        product("OTHER", 70, None),
        // Type 1: a new subscription, at the full price, in place of a STARTER one.
        product("STARTER", 10, None),
        suite,
    ],
    // An interval (scale) group: how many seats.
    "PriceOptionGroups": [{"Code": "SEATS", "Name": "Seats", "Type": "INTERVAL", "Required": false, "Options": [
        {"Code": "S5", "Name": "1-5 seats", "ScaleMin": 1, "ScaleMax": 5, "Default": true},
        {"Code": "S10", "Name": "6-10 seats", "ScaleMin": 6, "ScaleMax": 10,
         "PriceImpact": {"Impact": "ADD", "Method": "FIXED", "Amounts": [{"Currency": "USD", "Amount": 10}]}}]}]
    }]});
    TestGateway::start_with_data(backend, &data, |config| {
        config.order_completion_secs = 60;
        config.auth_window_secs = 366 * 86_400;
        config.session_ttl_secs = 366 * 86_400;
    })
    .await
}

parity_test!(subscription_upgrades, upgrade_gateway, |gateway, client| {
    let reference = subscription_of(client.as_ref(), "BASIC", "upgrade@example.com").await;

    let options = client.upgrade_options(&reference).await.unwrap();
    let offered: Vec<_> =
        options.iter().map(|product| (product.product_code.as_deref().unwrap(), product.price)).collect();
    assert_eq!(offered, [("FULL", money("50")), ("LITE", money("5")), ("PRO", money("30"))]);
    assert_eq!(options[0].currency.as_deref(), Some("USD"));

    // The clock has not moved since the purchase: the whole cycle is left.
    let pro = client.upgrade_price(&reference, "PRO", "USD", "").await.unwrap();
    assert_eq!((pro.billing_price, pro.prorated_price), (money("20.00"), money("20.00")), "{pro:?}");
    assert_eq!((pro.billing_currency.as_deref(), pro.quantity), (Some("USD"), Some(1)));
    let lite = client.upgrade_price(&reference, "LITE", "usd", "").await.unwrap();
    assert_eq!((lite.billing_price, lite.prorated_price), (money("0.00"), money("-5.00")), "{lite:?}");
    let full = client.upgrade_price(&reference, "FULL", "USD", "").await.unwrap();
    assert_eq!((full.billing_price, full.prorated_price), (money("55.00"), money("55.00")), "{full:?}");
    // Refusals: not an upgrade option, no currency the merchant has, no such subscription.
    assert_eq!(code(client.upgrade_price(&reference, "OTHER", "USD", "").await), "INVALID_FIELD");
    assert_eq!(code(client.upgrade_price(&reference, "PRO", "XXX", "").await), "INVALID_FIELD");
    assert_eq!(code(client.upgrade_price(&reference, "NOPE", "USD", "").await), "PRODUCT_NOT_FOUND");
    assert_eq!(code(client.upgrade_options("NOSUCHSUBS").await), "SUBSCRIPTION_NOT_FOUND");

    // Automatic renewal off: refused, nothing changed.
    assert!(client.disable_recurring_billing(&reference, &[], None).await.unwrap());
    assert_eq!(
        code(client.set_subscription_upgrade(&reference, "PRO", "", None).await),
        "INVALID_SUBSCRIPTION_OPERATION"
    );
    assert_eq!(client.subscription_history(&reference).await.unwrap().len(), 1);
    assert!(client.enable_recurring_billing(&reference).await.unwrap());

    let before = client.subscription(&reference).await.unwrap();
    assert!(client.set_subscription_upgrade(&reference, "PRO", "", None).await.unwrap());
    let after = client.subscription(&reference).await.unwrap();
    assert_eq!(after.product.as_ref().unwrap().product_code.as_deref(), Some("PRO"));
    assert_eq!(after.expiration_date, before.expiration_date, "type 3 keeps the duration");
    let history = client.subscription_history(&reference).await.unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[1].kind.as_deref(), Some("UPGRADE"));
    let upgrade = client.order(history[1].reference_no.as_deref().unwrap()).await.unwrap();
    assert_eq!(upgrade.net_price, money("20.00"), "{upgrade:?}");
    // From PRO, BASIC's upgrades are no longer offered.
    assert!(client.upgrade_options(&reference).await.unwrap().is_empty());
    assert_eq!(code(client.set_subscription_upgrade(&reference, "FULL", "", None).await), "INVALID_FIELD");

    // It renews as PRO, at PRO's price.
    gateway.clock.as_ref().unwrap().advance(chrono::Duration::days(32));
    let deadline = Instant::now() + Duration::from_secs(20);
    let history = loop {
        let history = client.subscription_history(&reference).await.unwrap();
        if history.len() == 3 {
            break history;
        }
        assert!(Instant::now() < deadline, "never renewed: {history:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(history[2].kind.as_deref(), Some("RENEWAL"));
    let renewal = client.order(history[2].reference_no.as_deref().unwrap()).await.unwrap();
    assert_eq!(renewal.net_price, money("30.00"), "{renewal:?}");
});

parity_test!(custom_price_upgrade_prolongs, upgrade_gateway, |gateway, client| {
    let _ = &gateway;
    let reference = subscription_of(client.as_ref(), "BASIC", "custom@example.com").await;
    assert_eq!(
        code(client.set_subscription_upgrade(&reference, "FULL", "", Some("-1")).await),
        "INVALID_FIELD"
    );
    assert_eq!(
        code(client.set_subscription_upgrade(&reference, "FULL", "", Some("10000000000")).await),
        "INVALID_FIELD",
        "an amount no price reaches is refused, not overflowing"
    );
    gateway.clock.as_ref().unwrap().advance(chrono::Duration::days(10));
    assert!(client.set_subscription_upgrade(&reference, "FULL", "", Some("12.34")).await.unwrap());
    let history = client.subscription_history(&reference).await.unwrap();
    let upgrade = client.order(history[1].reference_no.as_deref().unwrap()).await.unwrap();
    assert_eq!(upgrade.net_price, money("12.34"));
    // Type 2: a new monthly cycle from the upgrade, ten days after the purchase.
    let subscription = client.subscription(&reference).await.unwrap();
    let day = |text: &str| chrono::NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").unwrap();
    let expected = (chrono::Utc::now() + chrono::Duration::days(10))
        .date_naive()
        .checked_add_months(chrono::Months::new(1))
        .unwrap();
    let expiration = day(subscription.expiration_date.as_deref().unwrap());
    assert!((expiration - expected).num_days().abs() <= 1, "{expiration} vs {expected}");
});

// SubscriptionUpgradeType 1: the upgrade buys a new subscription of the new product, from the day
// of the upgrade, and disables the upgraded one, whose history records the upgrade's order.
parity_test!(upgrade_by_a_new_subscription, upgrade_gateway, |gateway, client| {
    let reference = subscription_of(client.as_ref(), "STARTER", "suite@example.com").await;
    let before = client.subscription(&reference).await.unwrap();
    let offered: Vec<_> = client
        .upgrade_options(&reference)
        .await
        .unwrap()
        .iter()
        .map(|product| product.product_code.clone().unwrap())
        .collect();
    assert_eq!(offered, ["SUITE"]);
    gateway.clock.as_ref().unwrap().advance(chrono::Duration::days(5));
    // An interval group's option by its value: 7 seats are the 6-10 option, 10 USD more.
    let seven = client.upgrade_price(&reference, "SUITE", "USD", "SEATS=7").await.unwrap();
    assert_eq!(seven.billing_price, money("50.00"), "{seven:?}");
    assert_eq!(code(client.upgrade_price(&reference, "SUITE", "USD", "SEATS=70").await), "INVALID_FIELD");
    assert_eq!(code(client.upgrade_price(&reference, "SUITE", "USD", "SEATS=many").await), "INVALID_FIELD");

    assert!(client.set_subscription_upgrade(&reference, "SUITE", "SEATS=7", None).await.unwrap());
    let old = client.subscription(&reference).await.unwrap();
    assert_eq!((old.subscription_enabled, old.status.as_deref()), (Some(false), Some("DISABLED")));
    assert_eq!(old.expiration_date, before.expiration_date, "its own expiration kept");
    assert_eq!(
        old.product.as_ref().unwrap().product_code.as_deref(),
        Some("STARTER"),
        "it stays what it was"
    );
    let history = client.subscription_history(&reference).await.unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[1].kind.as_deref(), Some("UPGRADE"));
    let upgrade = client.order(history[1].reference_no.as_deref().unwrap()).await.unwrap();
    assert_eq!(upgrade.net_price, money("50.00"), "scheme 1: the full price, 7 seats");
    let created = upgrade.subscription_references();
    assert_eq!(created.len(), 1, "{upgrade:?}");
    assert_ne!(created[0], reference);

    let new = client.subscription(&created[0]).await.unwrap();
    assert_eq!(new.product.as_ref().unwrap().product_code.as_deref(), Some("SUITE"));
    assert_eq!(new.product.as_ref().unwrap().price_option_codes, ["S10"]);
    assert_eq!((new.status.as_deref(), new.recurring_enabled), (Some("ACTIVE"), Some(true)));
    assert_eq!(new.avangate_customer_reference, old.avangate_customer_reference);
    let new_history = client.subscription_history(&created[0]).await.unwrap();
    assert_eq!(new_history.len(), 1);
    assert_eq!(new_history[0].kind.as_deref(), Some("PURCHASE"));
    // A monthly cycle from the upgrade, five days after the purchase.
    let day = |text: &str| chrono::NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").unwrap();
    let expected = (chrono::Utc::now() + chrono::Duration::days(5))
        .date_naive()
        .checked_add_months(chrono::Months::new(1))
        .unwrap();
    let expiration = day(new.expiration_date.as_deref().unwrap());
    assert!((expiration - expected).num_days().abs() <= 1, "{expiration} vs {expected}");
    // The disabled one is upgraded no more.
    assert_eq!(
        code(client.set_subscription_upgrade(&reference, "SUITE", "", None).await),
        "INVALID_SUBSCRIPTION_OPERATION"
    );
});
