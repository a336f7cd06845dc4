//! A subscription's history (the purchase, then each renewal), payment information and additional
//! information fields, over REST, JSON-RPC and SOAP on both stores.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use tco_client::{ClientError, OrdersApi, SubscriptionsApi};
use tco_tests::parity_test;

use crate::subscriptions::{bought, subscription_gateway};

fn code<T: std::fmt::Debug>(result: Result<T, ClientError>) -> String {
    match result {
        Err(ClientError::Api { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

parity_test!(history_and_payment, subscription_gateway, |gateway, client| {
    let (order, reference) = bought(client.as_ref(), "history@example.com", "US").await;
    let history = client.subscription_history(&reference).await.unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(
        (history[0].kind.as_deref(), history[0].reference_no.as_deref()),
        (Some("PURCHASE"), order.ref_no.as_deref())
    );
    assert_eq!(history[0].lifetime, Some(false));
    let payment = client.subscription_payment(&reference).await.unwrap();
    assert_eq!((payment.kind.as_deref(), payment.currency.as_deref()), (Some("CC"), Some("USD")));
    let card = payment.payment_method.unwrap();
    assert_eq!(card.last_digits.as_deref(), Some("1111"));

    // Renewed by the clock: a second record, starting where the first ended.
    gateway.clock.as_ref().unwrap().advance(chrono::Duration::days(32));
    let deadline = Instant::now() + Duration::from_secs(20);
    let history = loop {
        let history = client.subscription_history(&reference).await.unwrap();
        if history.len() == 2 {
            break history;
        }
        assert!(Instant::now() < deadline, "never renewed: {history:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(history[1].kind.as_deref(), Some("RENEWAL"));
    assert_eq!(history[1].start_date, history[0].expiration_date);
    assert_ne!(history[1].reference_no, history[0].reference_no);
    let subscription = client.subscription(&reference).await.unwrap();
    assert_eq!(history[1].expiration_date, subscription.expiration_date);
    assert_eq!(code(client.subscription_history("NOSUCHSUBS").await), "SUBSCRIPTION_NOT_FOUND");
    assert_eq!(code(client.subscription_payment("NOSUCHSUBS").await), "SUBSCRIPTION_NOT_FOUND");
});

parity_test!(additional_information, subscription_gateway, |gateway, client| {
    let _ = &gateway;
    let (_, reference) = bought(client.as_ref(), "fields@example.com", "US").await;
    assert!(client.subscription_fields(&reference).await.unwrap().is_empty());
    let added = client.add_subscription_field(&reference, "Seat", "Ada").await.unwrap();
    assert_eq!((added.name.as_deref(), added.value.as_deref()), (Some("Seat"), Some("Ada")));
    for (name, value) in [("Team", "Blue"), ("Plan", "Gold"), ("Zone", "EU"), ("Tier", "3")] {
        client.add_subscription_field(&reference, name, value).await.unwrap();
    }
    // Refusals change nothing: a sixth, a duplicate, a value over 100 characters, no name.
    assert_eq!(code(client.add_subscription_field(&reference, "Sixth", "x").await), "INVALID_FIELD");
    assert_eq!(code(client.add_subscription_field(&reference, "Seat", "Bob").await), "INVALID_FIELD");
    assert_eq!(
        code(client.update_subscription_field(&reference, "Seat", &"x".repeat(101)).await),
        "INVALID_FIELD"
    );
    assert_eq!(
        code(client.add_subscription_field("NOSUCHSUBS", "Seat", "x").await),
        "SUBSCRIPTION_NOT_FOUND"
    );
    let fields = client.subscription_fields(&reference).await.unwrap();
    let names: Vec<&str> = fields.iter().map(|field| field.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["Seat", "Team", "Plan", "Zone", "Tier"]);
    assert_eq!(client.subscription_field(&reference, "Seat").await.unwrap().value.as_deref(), Some("Ada"));

    let updated = client.update_subscription_field(&reference, "Seat", "Grace").await.unwrap();
    assert_eq!(updated.value.as_deref(), Some("Grace"));
    assert_eq!(client.subscription_field(&reference, "Seat").await.unwrap().value.as_deref(), Some("Grace"));
    assert_eq!(
        code(client.update_subscription_field(&reference, "Nope", "x").await),
        "SUBSCRIPTION_FIELD_NOT_FOUND"
    );
    assert_eq!(code(client.subscription_field(&reference, "Nope").await), "SUBSCRIPTION_FIELD_NOT_FOUND");

    assert!(client.delete_subscription_field(&reference, "Team").await.unwrap());
    assert_eq!(
        code(client.delete_subscription_field(&reference, "Team").await),
        "SUBSCRIPTION_FIELD_NOT_FOUND"
    );
    assert_eq!(client.subscription_fields(&reference).await.unwrap().len(), 4);
    // Room again for a fifth.
    client.add_subscription_field(&reference, "Sixth", "now fits").await.unwrap();
});

parity_test!(renew_subscription, subscription_gateway, |gateway, client| {
    let _ = &gateway;
    let (_, reference) = bought(client.as_ref(), "renew-now@example.com", "US").await;
    let before = client.subscription(&reference).await.unwrap();
    let expiration = |text: &str| chrono::NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").unwrap();
    assert!(client.renew_subscription(&reference, 30, "12.5", "USD").await.unwrap());
    let after = client.subscription(&reference).await.unwrap();
    let moved = expiration(after.expiration_date.as_deref().unwrap())
        - expiration(before.expiration_date.as_deref().unwrap());
    assert_eq!(moved.num_days(), 30);
    let history = client.subscription_history(&reference).await.unwrap();
    assert_eq!(history.len(), 2);
    let renewal = client.order(history[1].reference_no.as_deref().unwrap()).await.unwrap();
    assert_eq!(renewal.net_price, Some("12.50".parse().unwrap()), "{renewal:?}");
    // Refusals change nothing.
    assert_eq!(code(client.renew_subscription(&reference, 0, "12.5", "USD").await), "INVALID_FIELD");
    assert_eq!(code(client.renew_subscription(&reference, 30, "-1", "USD").await), "INVALID_FIELD");
    assert_eq!(code(client.renew_subscription(&reference, 30, "12.5", "EUR").await), "INVALID_FIELD");
    assert_eq!(
        code(client.renew_subscription("NOSUCHSUBS", 30, "12.5", "USD").await),
        "SUBSCRIPTION_NOT_FOUND"
    );
    assert!(client.cancel_subscription(&reference).await.unwrap());
    assert_eq!(
        code(client.renew_subscription(&reference, 30, "12.5", "USD").await),
        "INVALID_SUBSCRIPTION_OPERATION"
    );
    assert_eq!(client.subscription_history(&reference).await.unwrap().len(), 2);
});

parity_test!(moving_a_subscription_to_another_customer, subscription_gateway, |gateway, client| {
    let _ = &gateway;
    let (order, reference) = bought(client.as_ref(), "mover@example.com", "US").await;
    let first_owner = order.customer_reference.unwrap();
    let heir =
        tco_client::Customer { external_customer_reference: Some("HEIR-1".into()), ..crate::orders::ada() };
    let heir = client.create_customer(&heir).await.unwrap();
    let moving = |external: &str| tco_client::SubscriptionUpdate {
        subscription_reference: Some(reference.clone()),
        external_customer_reference: Some(external.into()),
        ..Default::default()
    };
    // An unknown customer is refused, and nothing moves.
    assert_eq!(code(client.update_subscription(&moving("NOBODY-HERE")).await), "NOT_FOUND_CUSTOMER");
    assert_eq!(client.subscription(&reference).await.unwrap().avangate_customer_reference, Some(first_owner));
    assert!(client.update_subscription(&moving("HEIR-1")).await.unwrap());
    assert_eq!(client.subscription(&reference).await.unwrap().avangate_customer_reference, Some(heir));
    // The customers' status follows: the heir is active, the first owner no longer.
    let enabled = |customer: i64| {
        let client = client.clone();
        async move { client.get_customer(&tco_client::Reference::Internal(customer)).await.unwrap().enabled }
    };
    assert_eq!(enabled(heir).await, Some(true));
    assert_eq!(enabled(first_owner).await, Some(false));
});

parity_test!(changing_a_subscriptions_end_user, subscription_gateway, |gateway, client| {
    let _ = &gateway;
    let (_, reference) = bought(client.as_ref(), "first-user@example.com", "US").await;
    let end_user = tco_client::EndUser {
        first_name: Some("Grace".into()),
        last_name: Some("Hopper".into()),
        email: Some("Grace.Hopper@example.com".into()),
        address1: Some("1 Navy Yard".into()),
        city: Some("Arlington".into()),
        zip: Some("22202".into()),
        country_code: Some("DE".into()),
        ..Default::default()
    };
    let update = |end_user: tco_client::EndUser| tco_client::SubscriptionUpdate {
        subscription_reference: Some(reference.clone()),
        end_user: Some(end_user),
        ..Default::default()
    };
    // Without an e-mail address: refused, nothing changed.
    let nameless = tco_client::EndUser { email: None, ..end_user.clone() };
    assert_eq!(code(client.update_subscription(&update(nameless)).await), "MISSING_REQUIRED_FIELD");
    let unchanged = client.subscription(&reference).await.unwrap().end_user.unwrap();
    assert_eq!(unchanged.email.as_deref(), Some("first-user@example.com"));

    assert!(client.update_subscription(&update(end_user)).await.unwrap());
    let now = client.subscription(&reference).await.unwrap().end_user.unwrap();
    assert_eq!(
        (now.first_name.as_deref(), now.email.as_deref(), now.country_code.as_deref()),
        (Some("Grace"), Some("Grace.Hopper@example.com"), Some("de"))
    );
    // The searches see the new end user.
    let search = tco_client::SubscriptionSearchOptions {
        customer_email: Some("grace.hopper@example.com".into()),
        ..Default::default()
    };
    let found = client.search_subscriptions(&search).await.unwrap();
    assert_eq!(found.items.len(), 1);
});
