//! Subscriptions over REST, JSON-RPC and SOAP (one scenario body each, on SQLite and
//! PostgreSQL): reading and searching them, renewal details, recurring billing with churn
//! reasons, enabling, disabling and updating, status on the gateway's clock, every error with
//! nothing changed; and the 1-click renewal through the hosted cart over plain HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::Duration;
use tco_client::{
    Api, Credentials, EndUser, Order, OrdersApi, Protocol, Reference, RestClient, SignOn, Subscription,
    SubscriptionImport, SubscriptionProduct, SubscriptionSearchOptions, SubscriptionUpdate, SubscriptionsApi,
};
use tco_tests::{Backend, MERCHANT_A, TestGateway, parity_test};

use crate::catalog::assert_code;
use crate::orders::{billing, card, item, order_data};

/// The orders' gateway, whose clock moves by days: signatures and sessions stay valid that long.
pub(crate) async fn subscription_gateway(backend: Backend) -> Option<TestGateway> {
    const YEAR: u32 = 366 * 86_400;
    TestGateway::start_with_data(backend, &order_data(), |config| {
        config.order_completion_secs = 60;
        config.auth_window_secs = YEAR;
        config.session_ttl_secs = YEAR;
    })
    .await
}

/// A monthly plan bought by card with automatic renewal, billed to `email` in `country`.
pub(crate) fn plan_order(email: &str, country: &str) -> Order {
    Order {
        currency: Some("usd".into()),
        items: vec![item("PLAN", 1)],
        billing_details: Some(billing(email, country)),
        payment_details: Some(card("TEST", "4111111111111111")),
        ..Order::default()
    }
}

/// Places a plan order; its one subscription's reference.
pub(crate) async fn bought(api: &dyn Api, email: &str, country: &str) -> (Order, String) {
    let order = api.place_order(&plan_order(email, country)).await.unwrap();
    let references = order.subscription_references();
    assert_eq!(references.len(), 1, "{order:?}");
    let reference = references[0].clone();
    (order, reference)
}

fn search() -> SubscriptionSearchOptions {
    SubscriptionSearchOptions::default()
}

async fn found(api: &dyn Api, options: SubscriptionSearchOptions) -> Vec<String> {
    let result = api.search_subscriptions(&options).await.unwrap();
    assert_eq!(result.pagination.count, result.items.len() as u64, "{options:?}");
    result.items.into_iter().map(|subscription| subscription.subscription_reference.unwrap()).collect()
}

parity_test!(reading_and_searching_subscriptions, subscription_gateway, |gateway, api| {
    let (order, reference) = bought(api.as_ref(), "Ada.Lovelace@example.com", "GB").await;
    gateway.clock.as_ref().unwrap().advance(Duration::seconds(1));
    let (_, other) = bought(api.as_ref(), "grace@example.com", "US").await;
    let subscription: Subscription = api.subscription(&reference).await.unwrap();
    let day = |text: &Option<String>| text.clone().unwrap()[..10].to_owned();
    assert_eq!(subscription.subscription_reference.as_deref(), Some(reference.as_str()));
    assert_eq!(subscription.status.as_deref(), Some("ACTIVE"));
    assert_eq!((subscription.recurring_enabled, subscription.subscription_enabled), (Some(true), Some(true)));
    assert_eq!((subscription.lifetime, subscription.is_trial), (Some(false), Some(false)));
    assert_eq!(subscription.start_date.as_deref(), Some(day(&order.order_date).as_str()));
    assert_eq!(subscription.avangate_customer_reference, order.customer_reference);
    assert_eq!(subscription.merchant_code.as_deref(), Some(MERCHANT_A.0));
    let product = subscription.product.clone().unwrap();
    assert_eq!((product.product_code.as_deref(), product.product_quantity), (Some("PLAN"), Some(1)));
    assert_eq!(product.price_option_codes, ["STANDARD"]);
    let end_user = subscription.end_user.clone().unwrap();
    assert_eq!(end_user.email.as_deref(), Some("Ada.Lovelace@example.com"));
    assert_eq!(end_user.country_code.as_deref(), Some("gb"));
    assert_eq!(
        subscription.latest_subscription_order.unwrap().ref_no,
        order.ref_no,
        "the order that bought it is the latest"
    );

    if api.protocol() != Protocol::Rest {
        let both = api.subscriptions(&[other.as_str(), reference.as_str()]).await.unwrap();
        let references: Vec<_> = both.iter().map(|s| s.subscription_reference.clone().unwrap()).collect();
        assert_eq!(references, [other.as_str(), reference.as_str()]);
        assert_code(api.subscriptions(&[reference.as_str(), "NOSUCHREF1"]).await, "SUBSCRIPTION_NOT_FOUND");
    }

    // Newest first; each filter narrows.
    assert_eq!(found(api.as_ref(), search()).await, [other.as_str(), reference.as_str()]);
    let email = |text: &str, exact: bool| SubscriptionSearchOptions {
        customer_email: Some(text.into()),
        exact_match_email: Some(exact),
        ..search()
    };
    assert_eq!(found(api.as_ref(), email("lovelace@", false)).await, [reference.as_str()]);
    assert_eq!(found(api.as_ref(), email("ada.lovelace@example.com", true)).await, [reference.as_str()]);
    assert!(found(api.as_ref(), email("lovelace@", true)).await.is_empty());
    let products = |codes: &[&str]| SubscriptionSearchOptions {
        product_codes: codes.iter().map(|code| (*code).to_owned()).collect(),
        ..search()
    };
    assert_eq!(found(api.as_ref(), products(&["BOOK", "PLAN"])).await.len(), 2);
    assert!(found(api.as_ref(), products(&["BOOK"])).await.is_empty());
    let countries = SubscriptionSearchOptions { country_codes: vec!["us".into(), "FR".into()], ..search() };
    assert_eq!(found(api.as_ref(), countries).await, [other.as_str()]);
    let customer =
        SubscriptionSearchOptions { avangate_customer_reference: order.customer_reference, ..search() };
    assert_eq!(found(api.as_ref(), customer).await, [reference.as_str()]);
    let nobody = SubscriptionSearchOptions { avangate_customer_reference: Some(999_999_999), ..search() };
    assert!(found(api.as_ref(), nobody).await.is_empty());
    let lifetime = SubscriptionSearchOptions { lifetime_subscription: Some(true), ..search() };
    assert!(found(api.as_ref(), lifetime).await.is_empty());
    let today = day(&order.order_date);
    let purchased = SubscriptionSearchOptions {
        purchased_after: Some(today.clone()),
        purchased_before: Some(today.clone()),
        ..search()
    };
    assert_eq!(found(api.as_ref(), purchased).await.len(), 2);
    let expiring = SubscriptionSearchOptions { expire_before: Some(today), ..search() };
    assert!(found(api.as_ref(), expiring).await.is_empty());
    let paged = SubscriptionSearchOptions {
        pagination: Some(tco_client::PageRequest { page: 2, limit: 1 }),
        ..search()
    };
    let page = api.search_subscriptions(&paged).await.unwrap();
    assert_eq!((page.items.len(), page.pagination.count), (1, 2));
    assert_eq!(page.items[0].subscription_reference.as_deref(), Some(reference.as_str()));
    let bad_date = SubscriptionSearchOptions { purchased_after: Some("yesterday".into()), ..search() };
    assert_code(api.search_subscriptions(&bad_date).await, "INVALID_FIELD");
    let bad_country = SubscriptionSearchOptions { country_codes: vec!["XX".into()], ..search() };
    assert_code(api.search_subscriptions(&bad_country).await, "INVALID_FIELD");
    assert_code(api.subscription("NOSUCHREF1").await, "SUBSCRIPTION_NOT_FOUND");
});

parity_test!(changing_subscriptions, subscription_gateway, |gateway, api| {
    let (order, reference) = bought(api.as_ref(), "changes@example.com", "US").await;
    let buyer = Reference::Internal(order.customer_reference.unwrap());
    let before = api.subscription(&reference).await.unwrap();

    // Renewal details: the link is this gateway's hosted cart.
    let details = api.renewal_details(&reference).await.unwrap();
    assert_eq!(details.recurring_enabled, Some(true));
    let link = details.manual_renewal_link.unwrap();
    assert_eq!(
        link,
        format!("{}/order/renew.php?merchant={}&LICENSE={reference}", gateway.url(), MERCHANT_A.0)
    );

    // Recurring billing: churn reasons checked, the status unchanged.
    assert_code(api.disable_recurring_billing(&reference, &["BORED"], None).await, "INVALID_FIELD");
    assert_code(
        api.disable_recurring_billing(&reference, &["CHURN_REASON_HIGH_PRICE"], Some("why")).await,
        "INVALID_FIELD",
    );
    assert_eq!(api.subscription(&reference).await.unwrap(), before, "a refused call changes nothing");
    let reasons = ["CHURN_REASON_HIGH_PRICE", "CHURN_REASON_OTHER"];
    assert!(api.disable_recurring_billing(&reference, &reasons, Some("too slow")).await.unwrap());
    let disabled = api.subscription(&reference).await.unwrap();
    assert_eq!((disabled.recurring_enabled, disabled.status.as_deref()), (Some(false), Some("ACTIVE")));
    assert_eq!(api.renewal_details(&reference).await.unwrap().recurring_enabled, Some(false));
    assert!(api.enable_recurring_billing(&reference).await.unwrap());
    assert_eq!(api.subscription(&reference).await.unwrap().recurring_enabled, Some(true));

    // Enabling and disabling the subscription; the customer follows.
    assert_code(api.enable_subscription(&reference).await, "INVALID_SUBSCRIPTION_OPERATION");
    assert_eq!(api.get_customer(&buyer).await.unwrap().enabled, Some(true));
    assert!(api.cancel_subscription(&reference).await.unwrap());
    let cancelled = api.subscription(&reference).await.unwrap();
    assert_eq!(
        (cancelled.subscription_enabled, cancelled.status.as_deref()),
        (Some(false), Some("DISABLED"))
    );
    assert_eq!(api.get_customer(&buyer).await.unwrap().enabled, Some(false));
    assert_code(api.cancel_subscription(&reference).await, "INVALID_SUBSCRIPTION_OPERATION");
    assert!(api.enable_subscription(&reference).await.unwrap());
    assert_eq!(api.get_customer(&buyer).await.unwrap().enabled, Some(true));

    // Updating: a past expiration is refused; a future one is kept.
    let update = |date: &str| SubscriptionUpdate {
        subscription_reference: Some(reference.clone()),
        expiration_date: Some(date.into()),
        ..SubscriptionUpdate::default()
    };
    assert_code(api.update_subscription(&update("2001-01-01")).await, "INVALID_EXPIRATION_DATE");
    assert_code(api.update_subscription(&update("tomorrow")).await, "INVALID_EXPIRATION_DATE");
    assert_eq!(api.subscription(&reference).await.unwrap().expiration_date, before.expiration_date);
    assert!(api.update_subscription(&update("2099-12-31")).await.unwrap());
    let mut off = update("2099-12-31");
    off.recurring_enabled = Some(false);
    assert!(api.update_subscription(&off).await.unwrap());
    let updated = api.subscription(&reference).await.unwrap();
    assert_eq!(updated.expiration_date.as_deref(), Some("2099-12-31"));
    assert_eq!(updated.recurring_enabled, Some(false));

    // Unknown references.
    for result in [
        api.renewal_details("NOSUCHREF1").await.map(|_| true),
        api.enable_recurring_billing("NOSUCHREF1").await,
        api.disable_recurring_billing("NOSUCHREF1", &[], None).await,
        api.enable_subscription("NOSUCHREF1").await,
        api.cancel_subscription("NOSUCHREF1").await,
        api.update_subscription(&SubscriptionUpdate {
            subscription_reference: Some("NOSUCHREF1".into()),
            recurring_enabled: Some(true),
            ..SubscriptionUpdate::default()
        })
        .await,
    ] {
        assert_code(result, "SUBSCRIPTION_NOT_FOUND");
    }
});

parity_test!(subscription_status_follows_the_clock, subscription_gateway, |gateway, api| {
    let (order, reference) = bought(api.as_ref(), "clock@example.com", "US").await;
    let buyer = Reference::Internal(order.customer_reference.unwrap());
    let clock = gateway.clock.clone().unwrap();
    let status = || async { api.subscription(&reference).await.unwrap().status.unwrap() };
    clock.advance(Duration::days(27));
    assert_eq!(status().await, "ACTIVE");
    clock.advance(Duration::days(5));
    assert_eq!(status().await, "PASTDUE", "past its expiration, within the 5-day grace period");
    clock.advance(Duration::days(5));
    assert_eq!(status().await, "EXPIRED");
    let expired = SubscriptionSearchOptions { expire_before: Some(clock_day(&gateway)), ..search() };
    assert_eq!(found(api.as_ref(), expired).await, [reference.as_str()]);
    assert!(api.get_customer(&buyer).await.is_ok());
});

fn clock_day(gateway: &TestGateway) -> String {
    use tco_core::Clock;
    gateway.clock.as_ref().unwrap().now().format("%Y-%m-%d").to_string()
}

/// The hosted cart over plain HTTP: the renewal link, signed on with `getSingleSignOnInCart`,
/// shows the subscription and the shopper's card; the form renews it once; the link then fails.
async fn renewal_through_the_cart(backend: Backend) {
    let Some(gateway) = subscription_gateway(backend).await else { return };
    let api = RestClient::new(&gateway.url(), Credentials::new(MERCHANT_A.0, MERCHANT_A.1)).unwrap();
    let (order, reference) = bought(&api, "renew@example.com", "DE").await;
    let buyer = Reference::Internal(order.customer_reference.unwrap());
    let before = api.subscription(&reference).await.unwrap();
    gateway.clock.as_ref().unwrap().advance(Duration::days(31));
    assert_eq!(api.subscription(&reference).await.unwrap().status.as_deref(), Some("PASTDUE"));

    let link = api.renewal_details(&reference).await.unwrap().manual_renewal_link.unwrap();
    let sign_on = SignOn { url: link, validity_secs: Some(600), ..SignOn::default() };
    let url = api.sign_on_in_cart(&buyer, &sign_on).await.unwrap();
    let http = reqwest::Client::new();
    let page = http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&reference) && html.contains("PASTDUE") && html.contains("ending in 1111"),
        "{html}"
    );
    assert!(html.contains("59.49 usd") || html.contains("59.49 USD"), "49.99 net + 19 % German VAT: {html}");
    let cart = between(&html, "name=\"cart\" value=\"", "\"");

    // A form without a card is answered with the page again and a fresh cart token.
    let form = [("merchant", MERCHANT_A.0), ("license", reference.as_str()), ("cart", cart.as_str())];
    let again = post_form(&http, &gateway, &form).await;
    let again = again.text().await.unwrap();
    assert!(again.contains("NOT_FOUND_CARD"), "{again}");
    let cart = between(&again, "name=\"cart\" value=\"", "\"");
    let form =
        [("merchant", MERCHANT_A.0), ("license", reference.as_str()), ("cart", cart.as_str()), ("card", "0")];
    let placed = post_form(&http, &gateway, &form).await;
    let placed = placed.text().await.unwrap();
    assert!(placed.contains("Order placed"), "{placed}");
    let ref_no = between(&placed, "<strong id=\"order\">", "<");

    let renewal = api.order(&ref_no).await.unwrap();
    assert_eq!(renewal.status.as_deref(), Some("AUTHRECEIVED"));
    assert_eq!(renewal.customer_reference, order.customer_reference);
    assert_eq!(renewal.subscription_references(), [reference.as_str()]);
    let renewed = api.subscription(&reference).await.unwrap();
    assert_eq!(renewed.status.as_deref(), Some("ACTIVE"));
    assert_eq!(renewed.latest_subscription_order.clone().unwrap().ref_no.as_deref(), Some(ref_no.as_str()));
    assert!(renewed.last_renewal_date.is_some());
    assert!(renewed.expiration_date > before.expiration_date, "{renewed:?}");

    // Spent: the link and the form's token fail, and nothing else is ordered.
    let reused = http.get(&url).send().await.unwrap();
    assert_eq!(reused.status(), 403);
    let replayed = post_form(&http, &gateway, &form).await;
    assert_eq!(replayed.status(), 403);
    assert_eq!(api.subscription(&reference).await.unwrap().expiration_date, renewed.expiration_date);

    // Not eligible: a disabled subscription shows why and changes nothing.
    assert!(api.cancel_subscription(&reference).await.unwrap());
    let link = api.renewal_details(&reference).await.unwrap().manual_renewal_link.unwrap();
    let url = api.sign_on_in_cart(&buyer, &SignOn { url: link, ..SignOn::default() }).await.unwrap();
    let refused = http.get(&url).send().await.unwrap();
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("disabled"));
}

/// Posts the renewal form as a browser does (`application/x-www-form-urlencoded`).
async fn post_form(
    http: &reqwest::Client,
    gateway: &TestGateway,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let encode = |text: &str| {
        text.bytes()
            .map(|byte| match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    char::from(byte).to_string()
                }
                _ => format!("%{byte:02X}"),
            })
            .collect::<String>()
    };
    let body: Vec<String> = form.iter().map(|(name, value)| format!("{name}={}", encode(value))).collect();
    http.post(format!("{}/order/renew.php", gateway.url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.join("&"))
        .send()
        .await
        .unwrap()
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?} in {text}")) + start.len();
    let to = text[from..].find(end).unwrap() + from;
    text[from..to].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renewal_through_the_cart_sqlite() {
    renewal_through_the_cart(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renewal_through_the_cart_postgres() {
    renewal_through_the_cart(Backend::Postgres).await;
}

parity_test!(extending_subscriptions, subscription_gateway, |gateway, api| {
    let (_, reference) = bought(api.as_ref(), "extend@example.com", "US").await;
    let before = api.subscription(&reference).await.unwrap();
    let expiration = |subscription: &tco_client::Subscription| {
        chrono::NaiveDate::parse_from_str(subscription.expiration_date.as_deref().unwrap(), "%Y-%m-%d")
            .unwrap()
    };
    assert!(api.extend_subscription(&reference, 10).await.unwrap());
    let extended = api.subscription(&reference).await.unwrap();
    assert_eq!(expiration(&extended), expiration(&before) + chrono::Duration::days(10));
    assert!(api.extend_subscription(&reference, -3).await.unwrap(), "negative days shorten");
    let shortened = api.subscription(&reference).await.unwrap();
    assert_eq!(expiration(&shortened), expiration(&before) + chrono::Duration::days(7));
    assert_code(api.extend_subscription(&reference, 0).await, "INVALID_FIELD");
    assert_code(api.extend_subscription(&reference, 100_000).await, "INVALID_FIELD");
    assert_code(api.extend_subscription("NOSUCHREF1", 5).await, "SUBSCRIPTION_NOT_FOUND");
    assert_eq!(api.subscription(&reference).await.unwrap(), shortened, "a refused call changes nothing");
    drop(gateway);
});

/// The Python SDK's example import, dated around the gateway's clock.
pub(crate) fn python_sdk_import(start: &str, expiration: &str) -> SubscriptionImport {
    SubscriptionImport {
        external_subscription_reference: Some("ThisIsYourUniqueIdentifier123".into()),
        start_date: Some(start.into()),
        expiration_date: Some(expiration.into()),
        product: Some(SubscriptionProduct {
            product_code: Some("PLAN".into()),
            product_quantity: Some(1),
            price_option_codes: vec!["PREMIUM".into()],
            ..SubscriptionProduct::default()
        }),
        end_user: Some(EndUser {
            first_name: Some("Customer".into()),
            last_name: Some("2Checkout".into()),
            email: Some("customer@2Checkout.com".into()),
            address1: Some("Test Address".into()),
            city: Some("LA".into()),
            state: Some("CA".into()),
            zip: Some("12345".into()),
            country_code: Some("us".into()),
            language: Some("en".into()),
            ..EndUser::default()
        }),
        external_customer_reference: Some("IMPORTED-1".into()),
        next_renewal_price: Some("49.99".parse().unwrap()),
        next_renewal_price_currency: Some("usd".into()),
        payment: Some(tco_client::PaymentMethod {
            card_number: Some("4111111111111111".into()),
            card_type: Some("VISA".into()),
            expiration_month: Some("12".into()),
            expiration_year: Some("2035".into()),
            holder_name: Some("John Doe".into()),
            ccid: Some("123".into()),
            ..tco_client::PaymentMethod::default()
        }),
        test: Some(true),
        ..SubscriptionImport::default()
    }
}

// Issue 27, item 7: an imported subscription behaves like any other.
parity_test!(importing_subscriptions, subscription_gateway, |gateway, api| {
    let clock = gateway.clock.clone().unwrap();
    let today = tco_core::Clock::now(&*clock).date_naive();
    let day = |days: i64| (today + Duration::days(days)).format("%Y-%m-%d").to_string();
    let reference = api.add_subscription(&python_sdk_import(&day(-20), &day(10))).await.unwrap();
    assert_eq!(reference.len(), 10, "{reference}");
    let read = api.subscription(&reference).await.unwrap();
    assert_eq!((read.status.as_deref(), read.recurring_enabled), (Some("ACTIVE"), Some(true)));
    assert_eq!((read.start_date, read.expiration_date.clone()), (Some(day(-20)), Some(day(10))));
    assert_eq!(read.external_subscription_reference.as_deref(), Some("ThisIsYourUniqueIdentifier123"));
    assert_eq!(read.external_customer_reference.as_deref(), Some("IMPORTED-1"));
    assert_eq!(read.latest_subscription_order, None, "no order until it renews");
    let product = read.product.clone().unwrap();
    assert_eq!(
        (product.product_code.as_deref(), product.product_name.as_deref()),
        (Some("PLAN"), Some("Monthly plan"))
    );
    assert_eq!(product.price_option_codes, ["PREMIUM"]);
    assert_eq!(read.end_user.as_ref().unwrap().email.as_deref(), Some("customer@2Checkout.com"));
    // The customer it names was created from the end user, with the card; a second import
    // for that external reference finds the same customer.
    let customer = api.get_customer(&Reference::External("IMPORTED-1".into())).await.unwrap();
    assert_eq!(read.avangate_customer_reference, customer.avangate_customer_reference);
    assert_eq!(customer.enabled, Some(true));
    let second = api.add_subscription(&python_sdk_import(&day(-5), &day(25))).await.unwrap();
    let again = api.subscription(&second).await.unwrap();
    assert_eq!(again.avangate_customer_reference, customer.avangate_customer_reference);
    // Searches see it; its renewal link is the hosted cart's; its status follows the clock.
    let mine =
        SubscriptionSearchOptions { external_customer_reference: Some("IMPORTED-1".into()), ..search() };
    let mut listed = found(api.as_ref(), mine).await;
    listed.sort();
    let mut expected = vec![reference.clone(), second.clone()];
    expected.sort();
    assert_eq!(listed, expected);
    let details = api.renewal_details(&reference).await.unwrap();
    assert!(details.manual_renewal_link.unwrap().contains(&format!("LICENSE={reference}")));
    // Without a card nothing renews it, so it goes past due (one with a card would renew: a
    // race with the scheduler).
    let cardless = SubscriptionImport { payment: None, ..python_sdk_import(&day(-20), &day(10)) };
    let cardless = api.add_subscription(&cardless).await.unwrap();
    clock.advance(Duration::days(11));
    assert_eq!(api.subscription(&cardless).await.unwrap().status.as_deref(), Some("PASTDUE"));
    // Bad input: a clear error, nothing imported.
    let before = found(api.as_ref(), search()).await.len();
    let unknown_product = SubscriptionImport {
        product: Some(SubscriptionProduct {
            product_code: Some("NOPE".into()),
            ..SubscriptionProduct::default()
        }),
        ..python_sdk_import(&day(0), &day(30))
    };
    let backwards = python_sdk_import(&day(0), &day(-30));
    let unknown_option = SubscriptionImport {
        product: Some(SubscriptionProduct {
            price_option_codes: vec!["addon-1_1_annually".into()],
            ..python_sdk_import("", "").product.unwrap()
        }),
        ..python_sdk_import(&day(0), &day(30))
    };
    let no_end_user = SubscriptionImport { end_user: None, ..python_sdk_import(&day(0), &day(30)) };
    let no_start = SubscriptionImport { start_date: None, ..python_sdk_import(&day(0), &day(30)) };
    let real_card = SubscriptionImport {
        payment: Some(tco_client::PaymentMethod {
            card_number: Some("4242424242424241".into()),
            ..python_sdk_import("", "").payment.unwrap()
        }),
        ..python_sdk_import(&day(0), &day(30))
    };
    for (bad, code) in [
        (unknown_product, "PRODUCT_NOT_FOUND"),
        (backwards, "INVALID_FIELD"),
        (unknown_option, "INVALID_FIELD"),
        (no_end_user, "MISSING_REQUIRED_FIELD"),
        (no_start, "MISSING_REQUIRED_FIELD"),
        (real_card, "INVALID_FIELD"),
    ] {
        assert_code(api.add_subscription(&bad).await, code);
    }
    assert_eq!(found(api.as_ref(), search()).await.len(), before);
});

// The Python SDK's `Subscription.create` example body, with this merchant's product and option:
// 201 with the reference.
tco_tests::backend_test!(importing_as_the_python_sdk_sends_it, subscription_gateway, |gateway| {
    let body = serde_json::json!({
        "CustomPriceBillingCyclesLeft": 2,
        "DeliveryInfo": {"Codes": [{"Code": "___TEST___CODE____"}]},
        "EndUser": {"Address1": "Test Address", "Address2": "", "City": "LA", "Company": "", "CountryCode": "us",
            "Email": "customer@2Checkout.com", "Fax": "", "FirstName": "Customer", "Language": "en",
            "LastName": "2Checkout", "Phone": "", "State": "CA", "Zip": "12345"},
        "ExpirationDate": "2015-12-16",
        "ExternalSubscriptionReference": "ThisIsYourUniqueIdentifier123",
        "NextRenewalPrice": 49.99,
        "NextRenewalPriceCurrency": "usd",
        "PartnerCode": "",
        "Payment": {"CCID": "123", "CardNumber": "4111111111111111", "CardType": "VISA", "ExpirationMonth": "12",
            "ExpirationYear": "2018", "HolderName": "John Doe"},
        "Product": {"PriceOptionCodes": ["premium"], "ProductCode": "PLAN", "ProductId": "24584760",
            "ProductName": "2Checkout Subscription", "ProductQuantity": 1, "ProductVersion": ""},
        "StartDate": "2015-02-16",
        "SubscriptionValue": 199,
        "SubscriptionValueCurrency": "usd",
        "Test": 1
    });
    let rest = gateway.rest();
    let created = rest.post("/subscriptions/", &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let reference = created.json.as_str().unwrap().to_owned();
    let read = rest.get(&format!("/subscriptions/{reference}/")).await;
    assert_eq!(
        (read.json["Status"].as_str(), read.json["TestSubscription"].as_bool()),
        (Some("EXPIRED"), Some(true))
    );
    assert_eq!(read.json["ExpirationDate"], "2015-12-16");
});
