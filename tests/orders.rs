//! Orders and 1-click purchase over REST, JSON-RPC and SOAP (one scenario body each, on SQLite
//! and PostgreSQL): placing orders paid by TEST, CC (authorized and declined cards) and
//! PREVIOUS_ORDER, reading and validating them, the order lifecycle on the gateway's clock, every
//! rule's error with nothing created on a refusal, REST's search, and concurrent orders.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};
use tco_client::{
    Address, Api, ClientError, Credentials, Customer, DynamicOption, DynamicPriceOption, ItemPrice,
    ItemPriceOption, Order, OrderItem, OrderSearchOptions, OrderSearchResult, OrdersApi, PageRequest,
    PaymentDetails, PaymentMethod, Protocol, RecurringOptions, Reference, RestClient, SearchOptions,
    SubscriptionsApi,
};
use tco_tests::{Backend, MERCHANT_A, MERCHANT_B, TestGateway, parity_test};

use crate::catalog::assert_code;

/// Merchant A's data: VAT in Germany, a monthly plan (NET price, a support option adding 20 %),
/// a one-time product sold in several units, a disabled product, and the orders only a data file
/// can give (PayPal without automatic renewal, fraud, refunded). Merchant B has an order too.
pub(crate) fn order_data() -> Value {
    let billing = json!({"FirstName": "Fixture", "LastName": "Buyer", "Email": "fixture@example.com",
        "Address1": "1 Fixture Way", "City": "Springfield", "Zip": "12345", "CountryCode": "US"});
    let card = json!({"Type": "CC", "PaymentMethod": {"CardNumber": "4111111111111111", "ExpirationMonth": "12",
        "ExpirationYear": "2030", "HolderName": "Fixture Buyer"}});
    json!({"Merchants": [
        {
            "Code": "MERCHANT_A",
            "VatRates": {"DE": 19},
            "PriceOptionGroups": [{"Code": "SUPPORT", "Name": "Support", "Type": "RADIO", "Options": [
                {"Code": "STANDARD", "Name": "Standard", "Default": true},
                {"Code": "PREMIUM", "Name": "Premium", "PriceImpact": {"Impact": "ADD", "Method": "PERCENT", "Percent": 20}}
            ]}],
            "Products": [
                {"ProductCode": "PLAN", "ProductName": "Monthly plan", "ShortDescription": "A plan", "PurchaseMultipleUnits": false,
                 "SubscriptionInformation": {"BillingCycle": 1, "BillingCycleUnits": "M"},
                 "PricingConfigurations": [{"PriceType": "NET", "DefaultCurrency": "USD",
                    "Prices": {"Regular": [{"Amount": 49.99, "Currency": "USD"}, {"Amount": 44.99, "Currency": "EUR"}]},
                    "PriceOptions": [{"Code": "SUPPORT", "Required": true}]}]},
                {"ProductCode": "BOOK", "ProductName": "A book", "GeneratesSubscription": false,
                 "PurchaseMultipleUnits": true, "SubscriptionInformation": {"IsOneTimeFee": true},
                 "PricingConfigurations": [{"DefaultCurrency": "USD",
                    "Prices": {"Regular": [{"Amount": 10, "Currency": "USD"}, {"Amount": 9, "Currency": "EUR"}]}}]},
                {"ProductCode": "RETIRED", "ProductName": "Retired", "Enabled": false,
                 "PricingConfigurations": [{"Prices": {"Regular": [{"Amount": 5, "Currency": "USD"}]}}]}
            ],
            "Orders": [
                {"RefNo": "600000001", "OrderDate": "2024-01-01 10:00:00", "Status": "COMPLETE", "Items": [{"Code": "BOOK"}], "BillingDetails": billing,
                 "PaymentDetails": {"Type": "PAYPAL", "PaymentMethod": {"RecurringEnabled": false}}},
                {"RefNo": "600000002", "OrderDate": "2024-01-02 10:00:00", "Status": "COMPLETE", "ApproveStatus": "FRAUD", "Items": [{"Code": "BOOK"}],
                 "BillingDetails": billing, "PaymentDetails": card},
                {"RefNo": "600000003", "OrderDate": "2024-01-03 10:00:00", "Status": "REFUND", "Items": [{"Code": "BOOK"}], "BillingDetails": billing,
                 "PaymentDetails": card},
                {"RefNo": "600000004", "OrderDate": "2024-01-04 10:00:00", "Status": "COMPLETE", "Items": [{"Code": "BOOK"}], "BillingDetails": billing,
                 "PaymentDetails": {"Type": "PAYPAL", "PaymentMethod": {"RecurringEnabled": true}}}
            ]
        },
        {
            "Code": "MERCHANT_B",
            "Products": [{"ProductCode": "B-PLAN", "ProductName": "B's plan",
                "SubscriptionInformation": {"BillingCycle": 1, "BillingCycleUnits": "M"},
                "PricingConfigurations": [{"Prices": {"Regular": [{"Amount": 7, "Currency": "USD"}]}}]}],
            "Orders": [{"RefNo": "600000010", "Status": "COMPLETE", "Items": [{"Code": "B-PLAN"}],
                "BillingDetails": billing, "PaymentDetails": card}]
        }
    ]})
}

/// A gateway with [`order_data`], on a clock the test moves, whose orders complete after a minute.
pub(crate) async fn order_gateway(backend: Backend) -> Option<TestGateway> {
    TestGateway::start_with_data(backend, &order_data(), |config| config.order_completion_secs = 60).await
}

pub(crate) fn billing(email: &str, country: &str) -> Address {
    Address {
        first_name: Some("Grace".into()),
        last_name: Some("Hopper".into()),
        email: Some(email.into()),
        address1: Some("1 Navy Yard".into()),
        city: Some("Arlington".into()),
        zip: Some("22202".into()),
        country_code: Some(country.into()),
        ..Address::default()
    }
}

pub(crate) fn card(kind: &str, number: &str) -> PaymentDetails {
    PaymentDetails {
        kind: Some(kind.into()),
        currency: Some("usd".into()),
        customer_ip: Some("10.0.0.1".into()),
        payment_method: Some(PaymentMethod {
            card_number: Some(number.into()),
            expiration_month: Some("12".into()),
            expiration_year: Some("2030".into()),
            ccid: Some("123".into()),
            holder_name: Some("Grace Hopper".into()),
            recurring_enabled: Some(true),
            ..PaymentMethod::default()
        }),
    }
}

pub(crate) fn previous(ref_no: &str) -> PaymentDetails {
    PaymentDetails {
        kind: Some("PREVIOUS_ORDER".into()),
        currency: Some("usd".into()),
        payment_method: Some(PaymentMethod {
            ref_no: Some(ref_no.into()),
            recurring_enabled: Some(true),
            ..PaymentMethod::default()
        }),
        ..PaymentDetails::default()
    }
}

pub(crate) fn item(code: &str, quantity: i64) -> OrderItem {
    OrderItem { code: Some(code.into()), quantity: Some(quantity), ..OrderItem::default() }
}

/// An order of one monthly plan paid by TEST card, billed to `email` in the US.
pub(crate) fn plan_order(email: &str) -> Order {
    Order {
        currency: Some("usd".into()),
        language: Some("en".into()),
        items: vec![item("PLAN", 1)],
        billing_details: Some(billing(email, "US")),
        payment_details: Some(card("TEST", "4111111111111111")),
        ..Order::default()
    }
}

fn amount(text: &str) -> Option<rust_decimal::Decimal> {
    Some(text.parse().unwrap())
}

fn rest(gateway: &TestGateway, (code, secret): (&str, &str)) -> RestClient {
    RestClient::new(&gateway.url(), Credentials::new(code, secret)).unwrap()
}

/// How many orders and customers merchant A has (REST, whatever protocol the scenario uses).
async fn counts(gateway: &TestGateway) -> (u64, u64) {
    let api = rest(gateway, MERCHANT_A);
    let orders = api.search_orders(&OrderSearchOptions::default()).await.unwrap().pagination.count;
    let customers = api.search_customers(&SearchOptions::default()).await.unwrap().pagination.count;
    (orders, customers)
}

async fn customer_of(client: &Arc<dyn Api>, order: &Order) -> Customer {
    client.get_customer(&Reference::Internal(order.customer_reference.unwrap())).await.unwrap()
}

parity_test!(placing_orders_by_card, order_gateway, |gateway, client| {
    // TEST card: authorized at once, priced from the catalog, a subscription and a new customer.
    let placed = client.place_order(&plan_order("grace@example.com")).await.unwrap();
    let ref_no = placed.reference().unwrap().to_owned();
    assert_eq!(ref_no.len(), 9, "{ref_no}");
    assert!(ref_no.chars().all(|c| c.is_ascii_digit()));
    assert_eq!(
        (placed.status.as_deref(), placed.approve_status.as_deref()),
        (Some("AUTHRECEIVED"), Some("WAITING"))
    );
    assert_eq!(
        (placed.test_order, placed.currency.as_deref(), placed.finish_date.as_deref()),
        (Some(true), Some("usd"), None)
    );
    assert!(placed.errors.is_none() || placed.errors == Some(Default::default()), "{:?}", placed.errors);
    let method = placed.payment_details.as_ref().unwrap().payment_method.as_ref().unwrap();
    assert_eq!((method.first_digits.as_deref(), method.last_digits.as_deref()), (Some("4111"), Some("1111")));
    assert_eq!((method.card_type.as_deref(), method.card_number.as_deref()), (Some("visa"), None));
    let line = &placed.items[0];
    assert_eq!(line.line_item_reference.as_ref().unwrap().len(), 40);
    assert!(line.line_item_reference.as_ref().unwrap().chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(line.price_options, ["STANDARD"]);
    let price = line.price.as_ref().unwrap();
    assert_eq!(
        (price.net_price, price.vat, price.gross_price),
        (amount("49.99"), amount("0"), amount("49.99"))
    );
    let references = placed.subscription_references();
    assert_eq!(references.len(), 1);
    assert!(
        references[0].len() == 10
            && references[0].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    );
    let subscription = &line.product_details.as_ref().unwrap().subscriptions[0];
    assert_eq!(
        (subscription.enabled, subscription.recurring_enabled, subscription.lifetime),
        (Some(true), Some(true), Some(false))
    );
    let buyer = customer_of(&client, &placed).await;
    assert_eq!((buyer.email.as_deref(), buyer.enabled), (Some("grace@example.com"), Some(true)));
    assert_eq!(buyer.existing_cards.len(), 1);
    assert_eq!(buyer.existing_cards[0].last_digits.as_deref(), Some("1111"));
    assert_eq!(client.order(&ref_no).await.unwrap(), placed);

    // CC in euros, billed in Germany (19 % VAT), three books and a premium plan, for an existing
    // customer named by external reference: linked to it, its card stored once.
    let customer = Customer { external_customer_reference: Some("EXT-7".into()), ..ada() };
    let reference = client.create_customer(&customer).await.unwrap();
    let mut order = Order {
        currency: Some("EUR".into()),
        external_customer_reference: Some("EXT-7".into()),
        external_reference: Some("cart-42".into()),
        items: vec![item("BOOK", 3), OrderItem { price_options: vec!["premium".into()], ..item("PLAN", 1) }],
        billing_details: Some(billing("ada@example.com", "de")),
        payment_details: Some(card("TEST", "5555 5555 5555 4444")),
        ..Order::default()
    };
    let placed = client.place_order(&order).await.unwrap();
    assert_eq!(placed.customer_reference, Some(reference));
    assert_eq!(placed.external_reference.as_deref(), Some("cart-42"));
    assert_eq!(placed.billing_details.as_ref().unwrap().country_code.as_deref(), Some("de"));
    let books = placed.items[0].price.as_ref().unwrap();
    assert_eq!(
        (books.net_price, books.vat, books.gross_price, books.vat_percent),
        (amount("27"), amount("5.13"), amount("32.13"), amount("19"))
    );
    let plan = placed.items[1].price.as_ref().unwrap();
    // 44.99 + 20 % = 53.988 → 53.99 net, 10.26 VAT.
    assert_eq!(
        (plan.unit_net_price, plan.unit_vat, plan.gross_price),
        (amount("53.99"), amount("10.26"), amount("64.25"))
    );
    assert_eq!(placed.items[1].price_options, ["PREMIUM"]);
    assert_eq!(
        (placed.net_price, placed.vat, placed.gross_price),
        (amount("80.99"), amount("15.39"), amount("96.38"))
    );
    assert_eq!(placed.subscription_references().len(), 1, "a book makes no subscription");
    let buyer = client.get_customer(&Reference::Internal(reference)).await.unwrap();
    assert_eq!((buyer.enabled, buyer.existing_cards.len()), (Some(true), 1));
    assert_eq!(buyer.existing_cards[0].card_type.as_deref(), Some("mastercard"));
    order.external_reference = Some("cart-43".into());
    client.place_order(&order).await.unwrap();
    let buyer = client.get_customer(&Reference::Internal(reference)).await.unwrap();
    assert_eq!(buyer.existing_cards.len(), 1, "the same card is stored once");

    // A declined card: a normal answer, PENDING with the vendor's in-body error; no subscription,
    // no customer, not reusable.
    let (orders, customers) = counts(&gateway).await;
    let declined =
        Order { payment_details: Some(card("CC", "4000000000000002")), ..plan_order("declined@example.com") };
    let placed = client.place_order(&declined).await.unwrap();
    assert_eq!(
        (placed.status.as_deref(), placed.approve_status.as_deref()),
        (Some("PENDING"), Some("WAITING"))
    );
    let error = placed.errors.as_ref().and_then(|errors| errors.card_payment_error.as_deref()).unwrap();
    assert!(error.starts_with("Couldn't complete the payment validation process"), "{error}");
    assert!(placed.subscription_references().is_empty());
    assert_eq!(counts(&gateway).await, (orders + 1, customers + 1), "the order and its buyer are kept");
    assert!(customer_of(&client, &placed).await.existing_cards.is_empty(), "a declined card is not stored");
    assert_eq!(customer_of(&client, &placed).await.enabled, Some(false));
    assert!(!client.is_valid_order_reference(placed.reference().unwrap()).await.unwrap());

    // CC is a real card's charge, which the gateway cannot make: a test card there is declined
    // (the PHP SDK's _testPlaceFail expects a RefNo with Errors), as is any expired card.
    let expired = PaymentDetails {
        payment_method: Some(PaymentMethod {
            expiration_year: Some("2023".into()),
            ..card("TEST", "4111111111111111").payment_method.unwrap()
        }),
        ..card("TEST", "4111111111111111")
    };
    for (payment, why) in [
        (card("CC", "4111111111111111"), "test orders use PaymentDetails Type TEST"),
        (expired, "the card has expired"),
    ] {
        let order = Order { payment_details: Some(payment), ..plan_order("refused-card@example.com") };
        let placed = client.place_order(&order).await.unwrap();
        assert!(placed.reference().is_ok() && placed.status.as_deref() == Some("PENDING"), "{why}");
        let error = placed.errors.as_ref().and_then(|errors| errors.card_payment_error.as_deref()).unwrap();
        assert!(error.contains(why), "{error}");
        assert!(placed.subscription_references().is_empty());
    }
});

pub(crate) fn ada() -> Customer {
    Customer {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        address1: Some("12 St James's Square".into()),
        city: Some("London".into()),
        zip: Some("SW1Y 4JH".into()),
        country_code: Some("GB".into()),
        email: Some("ada@example.com".into()),
        ..Customer::default()
    }
}

parity_test!(paying_with_a_previous_order, order_gateway, |gateway, client| {
    let first = client.place_order(&plan_order("Grace@Example.com")).await.unwrap();
    let first_ref = first.reference().unwrap().to_owned();
    assert!(client.is_valid_order_reference(&first_ref).await.unwrap());

    // Only the e-mail (in another case): the billing details are copied, the card reused, the
    // buyer is the earlier order's customer, and a new subscription is made.
    let only_email = Address { email: Some("grace@EXAMPLE.com".into()), ..Address::default() };
    let order = Order {
        currency: Some("usd".into()),
        items: vec![item("PLAN", 1)],
        billing_details: Some(only_email.clone()),
        payment_details: Some(previous(&first_ref)),
        ..Order::default()
    };
    let placed = client.place_order(&order).await.unwrap();
    assert_eq!(placed.status.as_deref(), Some("AUTHRECEIVED"));
    assert_eq!(placed.billing_details, first.billing_details);
    assert_eq!(placed.customer_reference, first.customer_reference);
    let details = placed.payment_details.as_ref().unwrap();
    assert_eq!(details.kind.as_deref(), Some("PREVIOUS_ORDER"));
    let method = details.payment_method.as_ref().unwrap();
    assert_eq!(
        (method.last_digits.as_deref(), method.ref_no.as_deref()),
        (Some("1111"), Some(first_ref.as_str()))
    );
    let references = placed.subscription_references();
    assert_eq!(references.len(), 1);
    assert_ne!(references, first.subscription_references());
    // An order paid by reuse may itself be reused; the first is untouched.
    assert!(client.is_valid_order_reference(placed.reference().unwrap()).await.unwrap());
    assert_eq!(client.order(&first_ref).await.unwrap(), first);

    // Full billing details may change the address, not the e-mail.
    let moved = Address { city: Some("Boston".into()), ..billing("grace@example.com", "US") };
    let order_moved = Order { billing_details: Some(moved), ..order.clone() };
    assert_eq!(
        client.place_order(&order_moved).await.unwrap().billing_details.unwrap().city.as_deref(),
        Some("Boston")
    );

    // Every rule refused, with its own code, and nothing created.
    let before = counts(&gateway).await;
    let with = |payment: PaymentDetails, billing: Address| Order {
        payment_details: Some(payment),
        billing_details: Some(billing),
        ..order.clone()
    };
    let cases = [
        (with(previous("123456789"), only_email.clone()), "PREVIOUS_ORDER_NOT_FOUND"),
        (with(previous("not-a-number"), only_email.clone()), "PREVIOUS_ORDER_NOT_FOUND"),
        (with(previous("600000010"), only_email.clone()), "PREVIOUS_ORDER_NOT_FOUND"),
        (
            with(
                previous(&first_ref),
                Address { email: Some("else@example.com".into()), ..Address::default() },
            ),
            "PREVIOUS_ORDER_EMAIL_MISMATCH",
        ),
        (with(previous(&first_ref), Address::default()), "MISSING_REQUIRED_FIELD"),
        (
            with(previous(&first_ref), Address { city: Some("Boston".into()), ..only_email.clone() }),
            "MISSING_REQUIRED_FIELD",
        ),
        (
            with(PaymentDetails { payment_method: None, ..previous(&first_ref) }, only_email.clone()),
            "MISSING_REQUIRED_FIELD",
        ),
        (with(previous("600000001"), fixture_email()), "PREVIOUS_ORDER_PAYMENT_METHOD"),
        (with(previous("600000002"), fixture_email()), "PREVIOUS_ORDER_NOT_PAID"),
        (with(previous("600000003"), fixture_email()), "PREVIOUS_ORDER_NOT_PAID"),
    ];
    for (order, code) in cases {
        assert_code(client.place_order(&order).await, code);
    }
    // A declined order cannot be reused either.
    let declined =
        Order { payment_details: Some(card("CC", "4000000000000002")), ..plan_order("grace@example.com") };
    let declined_ref = client.place_order(&declined).await.unwrap().ref_no.unwrap();
    assert_code(
        client.place_order(&with(previous(&declined_ref), only_email.clone())).await,
        "PREVIOUS_ORDER_NOT_PAID",
    );
    assert_eq!(counts(&gateway).await, (before.0 + 1, before.1 + 1), "only the declined order and its buyer");

    // isValidOrderReference says the same, and false for anything unknown.
    for (ref_no, valid) in [
        ("600000004", true),
        ("600000001", false),
        ("600000002", false),
        ("600000003", false),
        ("600000010", false),
        (declined_ref.as_str(), false),
        ("999999999", false),
        ("abc", false),
    ] {
        assert_eq!(client.is_valid_order_reference(ref_no).await.unwrap(), valid, "{ref_no}");
    }
    // PayPal with automatic renewal: reusable; the new order has no card.
    let placed = client.place_order(&with(previous("600000004"), fixture_email())).await.unwrap();
    assert_eq!(placed.status.as_deref(), Some("AUTHRECEIVED"));
});

fn fixture_email() -> Address {
    Address { email: Some("fixture@example.com".into()), ..Address::default() }
}

parity_test!(order_rules, order_gateway, |gateway, client| {
    let before = counts(&gateway).await;
    let order = plan_order("rules@example.com");
    let cases: Vec<(Order, &str)> = vec![
        (Order { items: vec![], ..order.clone() }, "ORDER_PRODUCTS_EMPTY"),
        (Order { items: vec![item("NOPE", 1)], ..order.clone() }, "ORDER_PRODUCT_CODE_INVALID"),
        (Order { items: vec![item("RETIRED", 1)], ..order.clone() }, "ORDER_PRODUCT_CODE_INVALID"),
        (Order { items: vec![item("B-PLAN", 1)], ..order.clone() }, "ORDER_PRODUCT_CODE_INVALID"),
        (
            Order { items: vec![OrderItem { quantity: Some(1), ..OrderItem::default() }], ..order.clone() },
            "ORDER_PRODUCT_CODE_INVALID",
        ),
        (Order { items: vec![item("BOOK", 0)], ..order.clone() }, "ORDER_ITEMS_QUANTITY_INVALID"),
        (Order { items: vec![item("BOOK", 100_000)], ..order.clone() }, "ORDER_ITEMS_QUANTITY_INVALID"),
        (Order { items: vec![item("PLAN", 2)], ..order.clone() }, "ORDER_ITEMS_QUANTITY_INVALID"),
        (
            Order {
                items: vec![OrderItem { price_options: vec!["GOLD".into()], ..item("PLAN", 1) }],
                ..order.clone()
            },
            "INVALID_FIELD",
        ),
        (Order { currency: Some("JPY".into()), ..order.clone() }, "INVALID_FIELD"),
        (Order { billing_details: None, ..order.clone() }, "MISSING_REQUIRED_FIELD"),
        (
            Order {
                billing_details: Some(Address { zip: None, ..billing("a@example.com", "US") }),
                ..order.clone()
            },
            "MISSING_REQUIRED_FIELD",
        ),
        (Order { billing_details: Some(billing("not-an-email", "US")), ..order.clone() }, "INVALID_FIELD"),
        (Order { billing_details: Some(billing("a@example.com", "XX")), ..order.clone() }, "INVALID_FIELD"),
        (Order { payment_details: None, ..order.clone() }, "MISSING_REQUIRED_FIELD"),
        (
            Order {
                payment_details: Some(PaymentDetails {
                    kind: Some("BITCOIN".into()),
                    ..card("CC", "4111111111111111")
                }),
                ..order.clone()
            },
            "INVALID_FIELD",
        ),
        (
            Order {
                payment_details: Some(PaymentDetails {
                    kind: Some("PAYPAL".into()),
                    ..PaymentDetails::default()
                }),
                ..order.clone()
            },
            "INVALID_FIELD",
        ),
        (Order { payment_details: Some(card("CC", "1234567812345678")), ..order.clone() }, "INVALID_FIELD"),
        (Order { customer_reference: Some(987_654_321), ..order.clone() }, "NOT_FOUND_CUSTOMER"),
    ];
    for (order, code) in cases {
        assert_code(client.place_order(&order).await, code);
    }
    assert_eq!(counts(&gateway).await, before, "a refused order creates nothing");

    // An ExternalReference is the merchant's own order id: used once.
    let order = Order { external_reference: Some("shop-1".into()), ..order };
    client.place_order(&order).await.unwrap();
    assert_code(client.place_order(&order).await, "DUPLICATE_ORDER_EXTERNAL_REFERENCE");
    assert_eq!(counts(&gateway).await, (before.0 + 1, before.1 + 1));
    // Merchant B may use the same one.
    let other = tco_tests::client(&gateway, Protocol::Rest, MERCHANT_B);
    let order_b = Order { items: vec![item("B-PLAN", 1)], ..order };
    other.place_order(&order_b).await.unwrap();

    assert_code(client.order("123456789").await, "ORDER_NOT_FOUND");
    assert_code(client.order("600000010").await, "ORDER_NOT_FOUND");
    assert_code(client.order("x").await, "ORDER_NOT_FOUND");
});

parity_test!(order_lifecycle, order_gateway, |gateway, client| {
    let clock = gateway.clock.clone().unwrap();
    let placed = client.place_order(&plan_order("life@example.com")).await.unwrap();
    let ref_no = placed.reference().unwrap().to_owned();
    clock.advance(Duration::seconds(59));
    assert_eq!(client.order(&ref_no).await.unwrap().status.as_deref(), Some("AUTHRECEIVED"));
    clock.advance(Duration::seconds(1));
    let complete = client.order(&ref_no).await.unwrap();
    assert_eq!(
        (complete.status.as_deref(), complete.approve_status.as_deref()),
        (Some("COMPLETE"), Some("OK"))
    );
    assert_eq!(complete.finish_date.as_deref().map(str::len), Some(19));
    assert!(client.is_valid_order_reference(&ref_no).await.unwrap());
    // The search sees the status of the moment too.
    let api = rest(&gateway, MERCHANT_A);
    let found = api
        .search_orders(&OrderSearchOptions { status: Some("COMPLETE".into()), ..Default::default() })
        .await
        .unwrap();
    assert!(found.items.iter().any(|order| order.ref_no.as_deref() == Some(ref_no.as_str())));
});

/// [`order_gateway`] whose requests stay signed while the test moves its clock by days.
async fn order_gateway_over_days(backend: Backend) -> Option<TestGateway> {
    TestGateway::start_with_data(backend, &order_data(), |config| {
        config.order_completion_secs = 60;
        config.auth_window_secs = 30 * 24 * 3600;
    })
    .await
}

fn ref_nos(result: &OrderSearchResult) -> Vec<String> {
    result.items.iter().map(|order| order.ref_no.clone().unwrap()).collect()
}

parity_test!(searching_orders, order_gateway_over_days, |gateway, api| {
    let clock = gateway.clock.clone().unwrap();
    let search = |options: OrderSearchOptions| {
        let api = api.clone();
        async move { api.search_orders(&options).await }
    };
    let since_2024 = || OrderSearchOptions { newer: Some("2024-01-01".into()), ..Default::default() };
    // Without dates, the last 7 days: the 2024 fixtures are older.
    assert_eq!(search(OrderSearchOptions::default()).await.unwrap().pagination.count, 0);
    let january = search(OrderSearchOptions {
        start_date: Some("2024-01-02".into()),
        end_date: Some("2024-01-03".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(ref_nos(&january), ["600000003", "600000002"]);
    assert_eq!(january.items[0].order_date.as_deref(), Some("2024-01-03 10:00:00"));
    // One order eight days ago, three today (a second apart), one of them with an external reference.
    let old = api.place_order(&plan_order("old@example.com")).await.unwrap().ref_no.unwrap();
    clock.advance(Duration::days(8));
    let mut placed = Vec::new();
    for index in 0..3 {
        let mut order = plan_order(&format!("s{index}@example.com"));
        order.external_reference = (index == 1).then(|| "ERP-77".to_owned());
        placed.push(api.place_order(&order).await.unwrap().ref_no.unwrap());
        clock.advance(Duration::seconds(1));
    }
    let recent = search(OrderSearchOptions::default()).await.unwrap();
    assert_eq!(recent.pagination.count, 3, "the last 7 days: not {old}");
    let page = search(OrderSearchOptions {
        pagination: Some(PageRequest { page: 1, limit: 2 }),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!((page.pagination.count, page.pagination.limit, page.items.len()), (3, 2, 2));
    assert_eq!(ref_nos(&page), [placed[2].clone(), placed[1].clone()], "newest first");
    assert_eq!(search(since_2024()).await.unwrap().pagination.count, 8);
    // StartDate wins over Newer.
    let today = tco_core::Clock::now(&*clock).format("%Y-%m-%d").to_string();
    let from_today = OrderSearchOptions { start_date: Some(today), ..since_2024() };
    assert_eq!(search(from_today).await.unwrap().pagination.count, 3);
    let by = |options: OrderSearchOptions| async move { ref_nos(&search(options).await.unwrap()) };
    assert_eq!(
        by(OrderSearchOptions { ref_no: Some("600000002".into()), ..since_2024() }).await,
        ["600000002"]
    );
    assert_eq!(
        by(OrderSearchOptions { approve_status: Some("FRAUD".into()), ..since_2024() }).await,
        ["600000002"]
    );
    assert_eq!(by(OrderSearchOptions { status: Some("refund".into()), ..since_2024() }).await, ["600000003"]);
    // Today's orders are authorized and waiting for a minute; the one of eight days ago completed.
    let waiting = OrderSearchOptions { approve_status: Some("WAITING".into()), ..since_2024() };
    assert_eq!(by(waiting).await, [placed[2].clone(), placed[1].clone(), placed[0].clone()]);
    let complete = OrderSearchOptions { status: Some("COMPLETE".into()), ..since_2024() };
    assert_eq!(by(complete).await, [old.clone(), "600000004".into(), "600000002".into(), "600000001".into()]);
    assert_eq!(
        by(OrderSearchOptions { external_ref_no: Some("ERP-77".into()), ..since_2024() }).await,
        [placed[1].clone()]
    );
    assert_eq!(
        by(OrderSearchOptions { partner_orders: Some(true), ..since_2024() }).await,
        Vec::<String>::new()
    );
    // Orders paid with the TEST method are test orders; the fixtures paid for real.
    let real = OrderSearchOptions { include_test_orders: Some("NO".into()), ..since_2024() };
    assert_eq!(by(real).await, ["600000004", "600000003", "600000002", "600000001"]);
    let tests = OrderSearchOptions { include_test_orders: Some("only".into()), ..since_2024() };
    assert_eq!(by(tests).await, [placed[2].clone(), placed[1].clone(), placed[0].clone(), old]);
    for options in [
        OrderSearchOptions { status: Some("LOST".into()), ..Default::default() },
        OrderSearchOptions { approve_status: Some("MAYBE".into()), ..Default::default() },
        OrderSearchOptions { start_date: Some("yesterday".into()), ..Default::default() },
        OrderSearchOptions { newer: Some("soon".into()), ..Default::default() },
        OrderSearchOptions { include_test_orders: Some("SOMETIMES".into()), ..Default::default() },
        OrderSearchOptions { pagination: Some(PageRequest { page: 1, limit: 201 }), ..Default::default() },
        OrderSearchOptions { pagination: Some(PageRequest { page: 0, limit: 10 }), ..Default::default() },
    ] {
        assert_code(search(options).await, "INVALID_FIELD");
    }
    // Merchant B sees only its own.
    let other = rest(&gateway, MERCHANT_B).search_orders(&since_2024()).await.unwrap();
    assert_eq!(ref_nos(&other), ["600000010"]);
});

tco_tests::backend_test!(concurrent_orders, order_gateway, |gateway| {
    let api = Arc::new(rest(&gateway, MERCHANT_A));
    // Eight orders with one ExternalReference: one is placed.
    let order = Order { external_reference: Some("race-1".into()), ..plan_order("race@example.com") };
    let attempts = (0..8).map(|_| {
        let (api, order) = (api.clone(), order.clone());
        tokio::spawn(async move { api.place_order(&order).await })
    });
    let results: Vec<_> = futures_join(attempts).await;
    assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 1, "{results:?}");
    for result in results.iter().filter(|result| result.is_err()) {
        assert_eq!(result.as_ref().unwrap_err().code(), Some("DUPLICATE_ORDER_EXTERNAL_REFERENCE"));
    }
    // Eight orders for one new customer (by external reference): one customer, eight orders,
    // eight subscriptions, one card.
    let order =
        Order { external_customer_reference: Some("RACER".into()), ..plan_order("racer@example.com") };
    let attempts = (0..8).map(|_| {
        let (api, order) = (api.clone(), order.clone());
        tokio::spawn(async move { api.place_order(&order).await })
    });
    let placed: Vec<Order> = futures_join(attempts).await.into_iter().map(Result::unwrap).collect();
    let customers: std::collections::BTreeSet<_> =
        placed.iter().map(|order| order.customer_reference.unwrap()).collect();
    assert_eq!(customers.len(), 1);
    let references: std::collections::BTreeSet<_> =
        placed.iter().flat_map(Order::subscription_references).collect();
    assert_eq!(references.len(), 8);
    let customer = api.get_customer(&Reference::External("RACER".into())).await.unwrap();
    assert_eq!((customer.enabled, customer.existing_cards.len()), (Some(true), 1));
});

async fn futures_join<T: Send + 'static>(
    tasks: impl Iterator<Item = tokio::task::JoinHandle<Result<T, ClientError>>>,
) -> Vec<Result<T, ClientError>> {
    let mut results = Vec::new();
    for task in tasks.collect::<Vec<_>>() {
        results.push(task.await.unwrap());
    }
    results
}

tco_tests::backend_test!(rest_orders_as_the_sdks_send_them, order_gateway, |gateway| {
    let rest = gateway.rest();
    let body = serde_json::to_value(plan_order("rest@example.com")).unwrap();
    let created = rest.post("/orders/", &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let ref_no = created.json["RefNo"].as_str().unwrap().to_owned();
    let location = created.headers["location"].to_str().unwrap();
    // Relative, as HTTP allows: it holds behind any proxy or host name.
    assert_eq!(location, format!("/rest/6.0/orders/{ref_no}/"));
    // The Ruby SDK's double slash and the others' trailing slash read the same order.
    for path in [format!("/orders/{ref_no}/"), format!("/orders/{ref_no}"), format!("/orders/{ref_no}//")] {
        let read = rest.get(&path).await;
        assert_eq!(
            (read.status.as_u16(), read.json["RefNo"].as_str()),
            (200, Some(ref_no.as_str())),
            "{path}"
        );
    }
    // Prices are JSON numbers; Errors is null for a paid order, as the SDKs test it.
    assert!(created.json["GrossPrice"].is_number() && created.json["Errors"].is_null(), "{}", created.text);
    let valid = rest.get(&format!("/paymentmethods/PREVIOUS_ORDER/refno/{ref_no}/")).await;
    assert_eq!((valid.status.as_u16(), valid.text.as_str()), (200, "true"));
    let unknown = rest.get("/paymentmethods/PREVIOUS_ORDER/refno/1/").await;
    assert_eq!((unknown.status.as_u16(), unknown.text.as_str()), (200, "false"));
    rest.get("/orders/1/").await.assert_error(404, "ORDER_NOT_FOUND");
    // A malformed body changes nothing.
    rest.post("/orders/", &json!({"Items": "PLAN"})).await.assert_error(400, "MALFORMED_REQUEST");
    let all = rest.get("/orders/?Newer=2024-01-01").await;
    assert_eq!(all.json["Pagination"]["Count"], 5, "{}", all.text);
    // The PHP SDK's OrderDynamicProductTest bodies: TEST is placed; CC with the test card is a
    // declined order with Errors (its `_testPlaceFail`).
    let sdk_order = |payment: &str, item: Value| {
        json!({"Country": "us", "Currency": "USD", "CustomerIP": "91.220.121.21", "ExternalReference": null,
            "Language": "en", "Source": "tcolib.local",
            "BillingDetails": {"Address1": "Test Address", "City": "LA", "State": "California", "CountryCode": "US",
                "Email": "testcustomer@2Checkout.com", "FirstName": "Customer", "LastName": "2Checkout", "Zip": "12345"},
            "Items": [item],
            "PaymentDetails": {"Type": payment, "Currency": "USD", "CustomerIP": "91.220.121.21",
                "PaymentMethod": {"CardNumber": "4111111111111111", "CardType": "VISA",
                    "Vendor3DSReturnURL": "www.success.com", "Vendor3DSCancelURL": "www.fail.com",
                    "ExpirationYear": "2032", "ExpirationMonth": "12", "CCID": "123", "HolderName": "John Doe",
                    "RecurringEnabled": false, "HolderNameTime": 1, "CardNumberTime": 1}}})
    };
    let plain = json!({"Name": "Dynamic product", "Description": "Test description", "Quantity": 1, "IsDynamic": true,
        "Tangible": false, "PurchaseType": "PRODUCT", "Price": {"Amount": 1, "Type": "CUSTOM"}});
    let placed = rest.post("/orders/", &sdk_order("TEST", plain)).await;
    assert_eq!((placed.status.as_u16(), &placed.json["GrossPrice"]), (201, &json!(1.0)), "{}", placed.text);
    let surcharged = json!({"Name": "Dynamic product", "Description": "Test description", "Quantity": 1,
        "IsDynamic": true, "Tangible": false, "PurchaseType": "PRODUCT", "Price": {"Amount": 100, "Type": "CUSTOM"},
        "PriceOptions": [{"Name": "OPT1", "Options": [{"Name": "Name LR", "Value": "Value LR", "Surcharge": 7}]}]});
    let failed = rest.post("/orders/", &sdk_order("CC", surcharged)).await;
    assert_eq!((failed.status.as_u16(), &failed.json["Status"]), (201, &json!("PENDING")), "{}", failed.text);
    assert!(failed.json["RefNo"].is_string() && failed.json["Errors"]["CARD_PAYMENT_ERROR"].is_string());
    assert_eq!(failed.json["Items"][0]["PriceOptions"][0]["Options"][0]["Surcharge"], json!(7.0));
});

// Issue 27, item 5: the merchant sells in GBP, the product has prices in USD and EUR only — the
// order is priced from the configuration's default currency at the merchant's rate (0.79).
parity_test!(orders_in_a_currency_without_a_price_are_converted, order_gateway, |gateway, client| {
    let order = Order {
        currency: Some("GBP".into()),
        items: vec![item("BOOK", 2)],
        billing_details: Some(billing("pounds@example.com", "DE")),
        payment_details: Some(card("TEST", "4111111111111111")),
        ..Order::default()
    };
    let placed = client.place_order(&order).await.unwrap();
    let price = placed.items[0].price.as_ref().unwrap();
    // 10 USD × 0.79 = 7.90 GBP net, 19 % German VAT 1.50, for two units.
    assert_eq!(
        (price.unit_net_price, price.unit_vat, price.net_price, price.gross_price),
        (amount("7.9"), amount("1.5"), amount("15.8"), amount("18.8"))
    );
    assert_eq!(placed.currency.as_deref(), Some("gbp"));
    drop(gateway);
});

/// The official SDKs' dynamic product: 100 per unit plus a 7 surcharge, two units.
fn dynamic_item(recurring: Option<RecurringOptions>) -> OrderItem {
    OrderItem {
        is_dynamic: Some(true),
        name: Some("Dynamic product".into()),
        description: Some("Test description".into()),
        quantity: Some(2),
        tangible: Some(false),
        purchase_type: Some("PRODUCT".into()),
        price: Some(ItemPrice { amount: amount("100"), kind: Some("CUSTOM".into()), ..ItemPrice::default() }),
        price_options: vec![ItemPriceOption::Group(DynamicPriceOption {
            name: Some("OPT1".into()),
            options: vec![DynamicOption {
                name: Some("Name LR".into()),
                value: Some("Value LR".into()),
                surcharge: amount("7"),
                ..DynamicOption::default()
            }],
        })],
        recurring_options: recurring,
        ..OrderItem::default()
    }
}

// Issue 27, item 3: dynamic products, priced by the item: 2 × (100 + 7) net, 19 % German VAT.
parity_test!(dynamic_product_orders, order_gateway, |gateway, client| {
    let order = |items| Order {
        currency: Some("USD".into()),
        items,
        billing_details: Some(billing("dynamic@example.com", "DE")),
        payment_details: Some(card("TEST", "4111111111111111")),
        ..Order::default()
    };
    let placed = client.place_order(&order(vec![dynamic_item(None)])).await.unwrap();
    let line = &placed.items[0];
    let price = line.price.as_ref().unwrap();
    assert_eq!(
        (price.unit_net_price, price.unit_vat, price.net_price, price.vat, price.gross_price),
        (amount("107"), amount("20.33"), amount("214"), amount("40.66"), amount("254.66"))
    );
    assert_eq!((price.amount, price.kind.as_deref()), (amount("100"), Some("CUSTOM")));
    assert_eq!(placed.gross_price, amount("254.66"));
    // Shown as sent, and read back the same.
    assert_eq!(
        (line.is_dynamic, line.name.as_deref(), line.code.as_deref()),
        (Some(true), Some("Dynamic product"), None)
    );
    assert_eq!(line.price_options, dynamic_item(None).price_options);
    let details = line.product_details.as_ref().unwrap();
    assert_eq!((details.name.as_deref(), details.is_dynamic), (Some("Dynamic product"), Some(true)));
    assert!(details.subscriptions.is_empty(), "a one-time dynamic product creates no subscription");
    assert_eq!(client.order(placed.reference().unwrap()).await.unwrap(), placed);
    // A recurring one creates a subscription; a catalog item beside it keeps its rules.
    let monthly = RecurringOptions {
        cycle_length: Some(2),
        cycle_unit: Some("MONTH".into()),
        cycle_amount: amount("12.2"),
        ..RecurringOptions::default()
    };
    let placed =
        client.place_order(&order(vec![dynamic_item(Some(monthly.clone())), item("BOOK", 1)])).await.unwrap();
    assert_eq!(placed.items[0].recurring_options.as_ref(), Some(&monthly));
    assert_eq!(placed.items[1].price.as_ref().unwrap().unit_net_price, amount("10"));
    let references = placed.subscription_references();
    assert_eq!(references.len(), 1);
    let subscription = client.subscription(&references[0]).await.unwrap();
    let product = subscription.product.unwrap();
    assert_eq!((product.product_name.as_deref(), product.product_code), (Some("Dynamic product"), None));
    let stub = &placed.items[0].product_details.as_ref().unwrap().subscriptions[0];
    let (purchased, expires) = (stub.purchase_date.clone().unwrap(), stub.expiration_date.clone().unwrap());
    let months = |date: &str| date[..4].parse::<i32>().unwrap() * 12 + date[5..7].parse::<i32>().unwrap();
    assert_eq!(months(&expires) - months(&purchased), 2, "{purchased} → {expires}");
    // Bad input: a clear error, nothing placed.
    let before = counts(&gateway).await;
    let with_codes = OrderItem { price_options: vec!["PREMIUM".into()], ..dynamic_item(None) };
    let without_price = OrderItem { price: None, ..dynamic_item(None) };
    let without_name = OrderItem { name: None, ..dynamic_item(None) };
    let catalog_with_groups =
        OrderItem { price_options: dynamic_item(None).price_options, ..item("PLAN", 1) };
    let weekly = OrderItem {
        recurring_options: Some(RecurringOptions { cycle_unit: Some("FORTNIGHT".into()), ..monthly.clone() }),
        ..dynamic_item(None)
    };
    for (bad, code) in [
        (with_codes, "INVALID_FIELD"),
        (without_price, "MISSING_REQUIRED_FIELD"),
        (without_name, "MISSING_REQUIRED_FIELD"),
        (catalog_with_groups, "INVALID_FIELD"),
        (weekly, "INVALID_FIELD"),
    ] {
        assert_code(client.place_order(&order(vec![bad])).await, code);
    }
    assert_eq!(counts(&gateway).await, before);
});
