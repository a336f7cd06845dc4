//! Tenant isolation as a matrix: merchant B tries every operation on each kind of merchant A's
//! references (internal, external, SSO token, card token, catalog codes, order and subscription references,
//! campaign, promotion, coupon and shipping method codes, Channel Manager partners and pricing lists) over REST, JSON-RPC and SOAP. Each
//! attempt must answer exactly as for a reference that does not exist, and A's data must be
//! unchanged afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use serde_json::json;
use tco_client::{
    Address, Api, CampaignsApi, CatalogApi, ChannelManagerApi, ClientError, CountryOnly, Credentials,
    CrossSellText, Customer, DeliveryInformation, JsonRpcClient, Order, OrderItem, OrderPromotion,
    OrderShippingMethod, OrdersApi, PartnerSignOn, PaymentDetails, PaymentMethod, PriceOptionGroup, Product,
    ProductGroup, ProductSearchOptions, Promotion, PromotionCoupon, PromotionSearchOptions, Reference,
    RestClient, ShippingCart, ShippingItem, ShippingSearchOptions, SignOn, SoapClient,
    SubscriptionSearchOptions, SubscriptionUpdate, SubscriptionsApi, UpsellCampaign, UpsellProduct,
    UpsellSearchOptions,
};
use tco_tests::{Backend, MERCHANT_A, MERCHANT_B, TestGateway};

fn clients(gateway: &TestGateway, (code, secret): (&str, &str)) -> Vec<Arc<dyn Api>> {
    let credentials = Credentials::new(code, secret);
    vec![
        Arc::new(RestClient::new(&gateway.url(), credentials.clone()).unwrap()),
        Arc::new(JsonRpcClient::new(&gateway.url(), credentials.clone())),
        Arc::new(SoapClient::new(&gateway.url(), credentials)),
    ]
}

/// The error without anything that names the reference tried.
fn answer<T: std::fmt::Debug>(result: Result<T, ClientError>) -> Answer {
    match result {
        Err(ClientError::Api { code, message, .. }) => (Some(code), message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Each attempt on A's object must answer with the code of the attempt on a missing one (the
/// messages repeat the codes sent, so only the codes are compared). Returns how many.
fn compare(protocol: tco_client::Protocol, kind: &str, pairs: Vec<(&str, Answer, Answer)>) -> usize {
    for (what, foreign, absent) in &pairs {
        assert_eq!(
            foreign.0, absent.0,
            "{protocol:?} {what}: a foreign {kind} must answer like a missing one"
        );
    }
    pairs.len()
}

type Answer = (Option<String>, String);

/// A test-card order of one `code`, billed to `billing`.
fn buying(code: &str, billing: Option<Address>) -> Order {
    Order {
        items: vec![OrderItem { code: Some(code.into()), quantity: Some(1), ..OrderItem::default() }],
        billing_details: billing,
        payment_details: Some(PaymentDetails {
            kind: Some("TEST".into()),
            payment_method: Some(PaymentMethod {
                card_number: Some("4111111111111111".into()),
                expiration_month: Some("12".into()),
                expiration_year: Some("2030".into()),
                holder_name: Some("B".into()),
                ..PaymentMethod::default()
            }),
            ..PaymentDetails::default()
        }),
        ..Order::default()
    }
}

async fn isolation_matrix(backend: Backend) {
    let directory = tempfile::tempdir().unwrap();
    let fixtures = directory.path().join("fixtures.json");
    // The data file in its merchant form: A's customer with a card, and a catalog.
    std::fs::write(
        &fixtures,
        json!({"Merchants": [{
            "Code": "MERCHANT_A",
            "ProductGroups": [{"Code": "AAAAAAAAAA", "Name": "A group"}],
            "PriceOptionGroups": [{"Code": "A-OPTIONS", "Name": "A options", "Type": "RADIO",
                                   "Options": [{"Code": "ONE", "Name": "One"}]}],
            "Products": [{"ProductCode": "A-PRODUCT", "ProductName": "A product", "ProductGroupCode": "AAAAAAAAAA",
                          "GeneratesSubscription": true,
                          "SubscriptionInformation": {"BillingCycle": 1, "BillingCycleUnits": "M"},
                          "PricingConfigurations": [{"Prices": {"Regular": [{"Amount": 5, "Currency": "USD"}]},
                                                     "PriceOptions": [{"Code": "A-OPTIONS"}]}],
                          "UpgradeSchema": {"UpgradeSettings": {"PricingScheme": 1, "SubscriptionUpgradeType": 1},
                                            "AllowUpgradeFrom": ["A-PRODUCT"]}}],
            "Customers": [{"ExternalCustomerReference": "A-ONLY", "FirstName": "Alice", "LastName": "A",
                "Address1": "1 A St", "City": "Aville", "Zip": "11111", "CountryCode": "US", "Email": "alice@a.example",
                "ExistingCards": [{"CardType": "visa", "LastDigits": "4242", "ExpirationMonth": "12",
                                   "ExpirationYear": "2030", "NameOnCard": "Alice", "TransientToken": {"Token": "a-card-token"}}]}],
            "Orders": [{"RefNo": "600000100", "Status": "COMPLETE", "ExternalCustomerReference": "A-ONLY",
                "SubscriptionReferences": ["ASUBSCRIPT"],
                "Items": [{"Code": "A-PRODUCT", "PriceOptions": ["ONE"]}],
                "BillingDetails": {"FirstName": "Alice", "LastName": "A", "Email": "alice@a.example", "Address1": "1 A St",
                                   "City": "Aville", "Zip": "11111", "CountryCode": "US"},
                "PaymentDetails": {"Type": "TEST", "PaymentMethod": {"CardNumber": "4111111111111111", "ExpirationMonth": "12",
                                   "ExpirationYear": "2030", "HolderName": "Alice"}}}],
            "UpsellCampaigns": [{"Code": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "Name": "A's upsell",
                "DisplayForManualRenewals": false, "Enabled": true, "Discount": {"Type": "PERCENT", "Value": 5},
                "PrimaryProduct": {"Code": "A-PRODUCT", "Quantity": 1}, "RecommendedProduct": {"Code": "A-PRODUCT", "Quantity": 0},
                "Description": [{"Language": "en", "Text": "A's text"}]}],
            "Promotions": [{"Code": "AAAAAAAAAA", "Name": "A's promotion", "Coupon": {"Type": "MULTIPLE", "Codes": ["A-COUPON", "A-SPARE"]},
                "Discount": {"Type": "PERCENT", "Value": 10}, "Type": "GLOBAL"}],
            "CrossSellTexts": [{"Language": "en", "Title": "A's title", "Description": "A's description"}],
            "ShippingMethods": [{"Code": "A-SHIP", "Name": "A's shipping", "BasePrice": 3, "Currency": "USD"}],
            "Partners": [{"PartnerCode": "A-PARTNER", "Country": "US", "Users": [{"Email": "pat@a.example"}],
                          "PricingLists": ["A-LIST"]}],
            "PricingLists": [{"Code": "A-LIST", "Currency": "USD", "PartnerMargin": 10, "Products": ["A-PRODUCT"]}]
        }, {
            "Code": "MERCHANT_B",
            "Products": [{"ProductCode": "B-PRODUCT", "ProductName": "B product",
                          "PricingConfigurations": [{"Prices": {"Regular": [{"Amount": 5, "Currency": "USD"}]}}]},
                         {"ProductCode": "B-BOX", "ProductName": "B box", "Tangible": true, "GeneratesSubscription": false,
                          "SubscriptionInformation": {"IsOneTimeFee": true},
                          "PricingConfigurations": [{"Prices": {"Regular": [{"Amount": 5, "Currency": "USD"}]}}]}],
            "Partners": [{"PartnerCode": "B-PARTNER", "Country": "US", "Users": [{"Email": "bob@b.example"}],
                          "PricingLists": ["B-LIST"]}],
            "PricingLists": [{"Code": "B-LIST", "Currency": "USD", "Products": ["B-PRODUCT"]}]
        }]})
        .to_string(),
    )
    .unwrap();
    let Some(gateway) = TestGateway::start_with(backend, |config| config.fixtures = Some(fixtures)).await
    else {
        return;
    };
    let owners = clients(&gateway, MERCHANT_A);
    let intruders = clients(&gateway, MERCHANT_B);
    let before = owners[0].get_customer(&Reference::External("A-ONLY".into())).await.unwrap();
    let reference = before.avangate_customer_reference.unwrap();
    let missing = 999_999_999;
    let sign_on = SignOn { url: "https://b.example/cart".into(), ..SignOn::default() };
    let mut attempts = 0;

    for (owner, intruder) in owners.iter().zip(&intruders) {
        let protocol = intruder.protocol();
        let link = owner.sign_on_in_cart(&Reference::Internal(reference), &sign_on).await.unwrap();
        let a_token = link.rsplit_once("logintoken=").unwrap().1.to_owned();
        let takeover = Customer {
            avangate_customer_reference: Some(reference),
            city: Some("Bville".into()),
            ..before.clone()
        };
        let takeover_missing = Customer { avangate_customer_reference: Some(missing), ..takeover.clone() };
        let pairs = [
            (
                "get internal",
                answer(intruder.get_customer(&Reference::Internal(reference)).await),
                answer(intruder.get_customer(&Reference::Internal(missing)).await),
            ),
            (
                "get external",
                answer(intruder.get_customer(&Reference::External("A-ONLY".into())).await),
                answer(intruder.get_customer(&Reference::External("NOBODY".into())).await),
            ),
            (
                "update",
                answer(intruder.update_customer(&takeover, false).await),
                answer(intruder.update_customer(&takeover_missing, false).await),
            ),
            (
                "sign on internal",
                answer(intruder.sign_on_in_cart(&Reference::Internal(reference), &sign_on).await),
                answer(intruder.sign_on_in_cart(&Reference::Internal(missing), &sign_on).await),
            ),
            (
                "sign on external",
                answer(intruder.sign_on_in_cart(&Reference::External("A-ONLY".into()), &sign_on).await),
                answer(intruder.sign_on_in_cart(&Reference::External("NOBODY".into()), &sign_on).await),
            ),
            (
                "SSO token",
                answer(intruder.customer_by_sso_token(&a_token).await),
                answer(intruder.customer_by_sso_token(&"0".repeat(40)).await),
            ),
        ];
        for (what, foreign, absent) in pairs {
            assert_eq!(
                foreign, absent,
                "{protocol:?} {what}: a foreign reference must answer like a missing one"
            );
            attempts += 1;
        }
        if protocol == tco_client::Protocol::Rest {
            let foreign = answer(intruder.delete_card(&Reference::Internal(reference), "a-card-token").await);
            let absent = answer(intruder.delete_card(&Reference::Internal(missing), "a-card-token").await);
            assert_eq!(foreign, absent, "REST card deletion");
            let by_b_customer = {
                let mine = intruder
                    .create_customer(&Customer {
                        avangate_customer_reference: None,
                        external_customer_reference: Some("B-COPY".into()),
                        ..before.clone()
                    })
                    .await
                    .unwrap();
                answer(intruder.delete_card(&Reference::Internal(mine), "a-card-token").await)
            };
            assert_eq!(
                by_b_customer.0.as_deref(),
                Some("NOT_FOUND_CARD"),
                "A's card token through B's own customer"
            );
            attempts += 2;
        }
        let found = intruder
            .search_customers(&tco_client::SearchOptions {
                email: Some("alice@a.example".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            found.items.iter().all(|customer| customer.avangate_customer_reference != Some(reference)),
            "{protocol:?} search shows A's customer"
        );
        attempts += 1;
        // A's token still works for A: B's attempt did not burn it.
        assert_eq!(
            owner.customer_by_sso_token(&a_token).await.unwrap().avangate_customer_reference,
            Some(reference)
        );
    }

    // A session of A acts as A only: used for B's customer it finds nothing.
    let b_reference = intruders[0]
        .create_customer(&Customer {
            avangate_customer_reference: None,
            external_customer_reference: Some("B-ONLY".into()),
            ..before.clone()
        })
        .await
        .unwrap();
    for owner in &owners[1..] {
        let error = owner.get_customer(&Reference::Internal(b_reference)).await.unwrap_err();
        assert_eq!(error.code(), Some("NOT_FOUND_CUSTOMER"));
        attempts += 1;
    }

    // Orders and partners first: the catalog's part gives B products with A's codes.
    attempts += order_isolation(&gateway, &owners, &intruders, reference).await;
    attempts += partner_isolation(&owners, &intruders).await;
    attempts += catalog_isolation(&owners, &intruders).await;
    attempts += subscription_isolation(&owners, &intruders).await;
    attempts += campaign_isolation(&owners, &intruders).await;

    let after = owners[0].get_customer(&Reference::External("A-ONLY".into())).await.unwrap();
    assert_eq!(after, before, "merchant A's customer and card are untouched");
    println!("isolation matrix ({backend:?}): {attempts} attempts, each answered as for a missing reference");
}

/// B tries every catalog operation on A's product, groups and schema; each must answer as for
/// one that does not exist, and A's catalog must be unchanged. Returns the attempts made.
async fn catalog_isolation(owners: &[Arc<dyn Api>], intruders: &[Arc<dyn Api>]) -> usize {
    let product = owners[0].product_by_code("A-PRODUCT").await.unwrap();
    let options = owners[0].price_option_group("A-OPTIONS").await.unwrap();
    let group = owners[0].product_group("AAAAAAAAAA").await.unwrap();
    let schema = owners[0].upgrade_schema("A-PRODUCT").await.unwrap().unwrap();
    let id = product.avangate_id.clone().unwrap();
    let mut attempts = 0;
    for intruder in intruders {
        let protocol = intruder.protocol();
        let renamed = |code: &str| Product {
            product_code: Some(code.into()),
            product_name: Some("B's now".into()),
            ..product.clone()
        };
        let options_as = |code: &str| PriceOptionGroup {
            code: Some(code.into()),
            name: Some("B's".into()),
            ..options.clone()
        };
        let group_as =
            |code: &str| ProductGroup { code: Some(code.into()), name: Some("B's".into()), ..group.clone() };
        let mut pairs = vec![
            (
                "product by code",
                answer(intruder.product_by_code("A-PRODUCT").await),
                answer(intruder.product_by_code("NOPE").await),
            ),
            (
                "update product",
                answer(intruder.update_product(&renamed("A-PRODUCT")).await),
                answer(intruder.update_product(&renamed("NOPE")).await),
            ),
            (
                "option group",
                answer(intruder.price_option_group("A-OPTIONS").await),
                answer(intruder.price_option_group("NOPE").await),
            ),
            (
                "update option group",
                answer(intruder.update_price_option_group(&options_as("A-OPTIONS")).await),
                answer(intruder.update_price_option_group(&options_as("NOPE")).await),
            ),
            (
                "assigned option groups",
                answer(intruder.assigned_price_option_groups("A-PRODUCT").await),
                answer(intruder.assigned_price_option_groups("NOPE").await),
            ),
            (
                "product group",
                answer(intruder.product_group("AAAAAAAAAA").await),
                answer(intruder.product_group("BBBBBBBBBB").await),
            ),
            (
                "update product group",
                answer(intruder.update_product_group(&group_as("AAAAAAAAAA")).await),
                answer(intruder.update_product_group(&group_as("BBBBBBBBBB")).await),
            ),
            (
                "assign to A's group",
                answer(intruder.assign_product_group("A-PRODUCT", "AAAAAAAAAA").await),
                answer(intruder.assign_product_group("A-PRODUCT", "BBBBBBBBBB").await),
            ),
            (
                "upgrade schema",
                answer(intruder.upgrade_schema("A-PRODUCT").await),
                answer(intruder.upgrade_schema("NOPE").await),
            ),
            (
                "set upgrade schema",
                answer(intruder.set_upgrade_schema("A-PRODUCT", &schema).await),
                answer(intruder.set_upgrade_schema("NOPE", &schema).await),
            ),
        ];
        if protocol != tco_client::Protocol::Rest {
            pairs.push((
                "product by id",
                answer(intruder.product_by_id(&id).await),
                answer(intruder.product_by_id("1").await),
            ));
        }
        attempts += compare(protocol, "object", pairs);
        let found = intruder
            .search_products(&ProductSearchOptions { codes: vec!["A-PRODUCT".into()], ..Default::default() })
            .await
            .unwrap();
        assert_eq!(found.pagination.count, 0, "{protocol:?} search shows A's product");
        assert!(intruder.product_groups().await.unwrap().iter().all(|listed| listed.code != group.code));
        attempts += 2;
    }
    // The same codes are free for B, and using them changes nothing of A's.
    intruders[0]
        .add_price_option_group(&PriceOptionGroup { code: Some("A-OPTIONS".into()), ..options.clone() })
        .await
        .unwrap();
    let mut copy = product.clone();
    copy.product_group_code = None;
    copy.product_group = None;
    intruders[0].add_product(&copy).await.unwrap();
    attempts += 2;
    assert_eq!(owners[0].product_by_code("A-PRODUCT").await.unwrap(), product);
    assert_eq!(owners[0].price_option_group("A-OPTIONS").await.unwrap(), options);
    assert_eq!(owners[0].product_group("AAAAAAAAAA").await.unwrap(), group);
    assert_eq!(owners[0].upgrade_schema("A-PRODUCT").await.unwrap(), Some(schema));
    attempts
}

/// B tries every order operation on A's order and customer; each must answer as for one that
/// does not exist, and A's order must be unchanged. Returns the attempts made.
async fn order_isolation(
    gateway: &TestGateway,
    owners: &[Arc<dyn Api>],
    intruders: &[Arc<dyn Api>],
    a_customer: i64,
) -> usize {
    let order = owners[0].order("600000100").await.unwrap();
    let (foreign, missing) = ("600000100", "600000199");
    let mut attempts = 0;
    for intruder in intruders {
        let protocol = intruder.protocol();
        let buying = |code: &str| buying(code, order.billing_details.clone());
        let reusing = |ref_no: &str| Order {
            billing_details: Some(Address { email: Some("alice@a.example".into()), ..Address::default() }),
            payment_details: Some(PaymentDetails {
                kind: Some("PREVIOUS_ORDER".into()),
                payment_method: Some(PaymentMethod {
                    ref_no: Some(ref_no.into()),
                    ..PaymentMethod::default()
                }),
                ..PaymentDetails::default()
            }),
            ..buying("B-PRODUCT")
        };
        let for_customer =
            |reference: i64| Order { customer_reference: Some(reference), ..buying("B-PRODUCT") };
        let pairs = vec![
            ("get order", answer(intruder.order(foreign).await), answer(intruder.order(missing).await)),
            (
                "pay with A's order",
                answer(intruder.place_order(&reusing(foreign)).await),
                answer(intruder.place_order(&reusing(missing)).await),
            ),
            (
                "buy A's product",
                answer(intruder.place_order(&buying("A-PRODUCT")).await),
                answer(intruder.place_order(&buying("NOPE")).await),
            ),
            (
                "order for A's customer",
                answer(intruder.place_order(&for_customer(a_customer)).await),
                answer(intruder.place_order(&for_customer(999_999_999)).await),
            ),
            (
                "refund A's order",
                answer(intruder.issue_refund(foreign, "1", &[], "intruding", "Other").await),
                answer(intruder.issue_refund(missing, "1", &[], "intruding", "Other").await),
            ),
        ];
        attempts += compare(protocol, "order", pairs);
        assert!(
            !intruder.is_valid_order_reference(foreign).await.unwrap(),
            "{protocol:?} validates A's order"
        );
        attempts += 1;
    }
    let b_rest = RestClient::new(&gateway.url(), Credentials::new(MERCHANT_B.0, MERCHANT_B.1)).unwrap();
    let listed = b_rest.search_orders(&Default::default()).await.unwrap();
    assert!(
        listed.items.iter().all(|listed| listed.ref_no.as_deref() != Some(foreign)),
        "B's search shows A's order"
    );
    // A's session acts as A only: B's order is not found through it.
    let b_order = buying("B-PRODUCT", order.billing_details.clone());
    let b_order = intruders[0].place_order(&b_order).await.unwrap().ref_no.unwrap();
    for owner in owners {
        assert_eq!(owner.order(&b_order).await.unwrap_err().code(), Some("ORDER_NOT_FOUND"));
        assert!(!owner.is_valid_order_reference(&b_order).await.unwrap());
    }
    attempts += 2 + 2 * owners.len();
    assert_eq!(owners[0].order(foreign).await.unwrap(), order, "A's order is untouched");
    attempts
}

/// B tries every subscription operation on A's subscription; each must answer as for one that
/// does not exist, B's searches must not show it, and it must be unchanged. Returns the
/// attempts made.
async fn subscription_isolation(owners: &[Arc<dyn Api>], intruders: &[Arc<dyn Api>]) -> usize {
    let (foreign, missing) = ("ASUBSCRIPT", "NOSUCHSUBS");
    let subscription = owners[0].subscription(foreign).await.unwrap();
    let a_customer = subscription.avangate_customer_reference;
    let mut attempts = 0;
    for intruder in intruders {
        let protocol = intruder.protocol();
        let update = |reference: &str| SubscriptionUpdate {
            subscription_reference: Some(reference.into()),
            recurring_enabled: Some(false),
            expiration_date: Some("2099-01-01".into()),
            ..SubscriptionUpdate::default()
        };
        let mut pairs = vec![
            (
                "get",
                answer(intruder.subscription(foreign).await),
                answer(intruder.subscription(missing).await),
            ),
            (
                "renewal details",
                answer(intruder.renewal_details(foreign).await),
                answer(intruder.renewal_details(missing).await),
            ),
            (
                "disable recurring billing",
                answer(intruder.disable_recurring_billing(foreign, &["CHURN_REASON_OTHER"], Some("b")).await),
                answer(intruder.disable_recurring_billing(missing, &["CHURN_REASON_OTHER"], Some("b")).await),
            ),
            (
                "enable recurring billing",
                answer(intruder.enable_recurring_billing(foreign).await),
                answer(intruder.enable_recurring_billing(missing).await),
            ),
            (
                "cancel",
                answer(intruder.cancel_subscription(foreign).await),
                answer(intruder.cancel_subscription(missing).await),
            ),
            (
                "extend",
                answer(intruder.extend_subscription(foreign, 30).await),
                answer(intruder.extend_subscription(missing, 30).await),
            ),
            (
                "enable",
                answer(intruder.enable_subscription(foreign).await),
                answer(intruder.enable_subscription(missing).await),
            ),
            (
                "update",
                answer(intruder.update_subscription(&update(foreign)).await),
                answer(intruder.update_subscription(&update(missing)).await),
            ),
            (
                "renew now",
                answer(intruder.renew_subscription(foreign, 30, "1", "USD").await),
                answer(intruder.renew_subscription(missing, 30, "1", "USD").await),
            ),
            (
                "upgrade options",
                answer(intruder.upgrade_options(foreign).await),
                answer(intruder.upgrade_options(missing).await),
            ),
            (
                "upgrade price",
                answer(intruder.upgrade_price(foreign, "PLAN", "USD", "").await),
                answer(intruder.upgrade_price(missing, "PLAN", "USD", "").await),
            ),
            (
                "upgrade",
                answer(intruder.set_subscription_upgrade(foreign, "PLAN", "", None).await),
                answer(intruder.set_subscription_upgrade(missing, "PLAN", "", None).await),
            ),
            (
                "history",
                answer(intruder.subscription_history(foreign).await),
                answer(intruder.subscription_history(missing).await),
            ),
            (
                "payment information",
                answer(intruder.subscription_payment(foreign).await),
                answer(intruder.subscription_payment(missing).await),
            ),
            (
                "add a field",
                answer(intruder.add_subscription_field(foreign, "Seat", "B").await),
                answer(intruder.add_subscription_field(missing, "Seat", "B").await),
            ),
            (
                "read the fields",
                answer(intruder.subscription_fields(foreign).await),
                answer(intruder.subscription_fields(missing).await),
            ),
            (
                "delete a field",
                answer(intruder.delete_subscription_field(foreign, "Seat").await),
                answer(intruder.delete_subscription_field(missing, "Seat").await),
            ),
        ];
        if protocol != tco_client::Protocol::Rest {
            pairs.push((
                "get several",
                answer(intruder.subscriptions(&[foreign]).await),
                answer(intruder.subscriptions(&[missing]).await),
            ));
        }
        attempts += compare(protocol, "subscription", pairs);
        let everything = intruder.search_subscriptions(&SubscriptionSearchOptions::default()).await.unwrap();
        assert!(
            everything.items.iter().all(|found| found.subscription_reference.as_deref() != Some(foreign)),
            "{protocol:?}: B's search shows A's subscription"
        );
        let by_a =
            SubscriptionSearchOptions { avangate_customer_reference: a_customer, ..Default::default() };
        assert!(intruder.search_subscriptions(&by_a).await.unwrap().items.is_empty(), "{protocol:?}");
        attempts += 2;
    }
    assert_eq!(owners[0].subscription(foreign).await.unwrap(), subscription, "A's subscription is untouched");
    attempts
}

/// B tries every campaign and shipping operation on A's upsell campaign, promotion, coupon
/// codes, cross-sell text and shipping method; each must answer as for one that does not exist,
/// B's searches must not show them, A's codes are free for B's own, and A's are unchanged.
/// Returns the attempts made.
async fn campaign_isolation(owners: &[Arc<dyn Api>], intruders: &[Arc<dyn Api>]) -> usize {
    let (campaign_code, missing_campaign) =
        ("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb");
    let (promotion_code, missing_promotion) = ("AAAAAAAAAA", "BBBBBBBBBB");
    let campaign = owners[0].upsell_campaign(campaign_code).await.unwrap();
    let promotion = owners[0].promotion(promotion_code).await.unwrap();
    let text = owners[0].cross_sell_text("en").await.unwrap();
    // B's own product, so that only the code tried can make a difference.
    let b_campaign = UpsellCampaign {
        code: None,
        status: None,
        primary_product: Some(UpsellProduct { code: Some("B-PRODUCT".into()), ..UpsellProduct::default() }),
        recommended_product: Some(UpsellProduct {
            code: Some("B-PRODUCT".into()),
            ..UpsellProduct::default()
        }),
        ..campaign.clone()
    };
    let b_promotion = |code: &str| Promotion { code: Some(code.into()), ..promotion.clone() };
    let coupon = |code: &str| PromotionCoupon {
        kind: Some("MULTIPLE".into()),
        codes: vec![code.into()],
        ..PromotionCoupon::default()
    };
    let shipped = |method: &str| Order {
        delivery_information: Some(DeliveryInformation {
            shipping_method: Some(OrderShippingMethod { code: Some(method.into()), ..Default::default() }),
        }),
        ..buying("B-BOX", Some(b_billing()))
    };
    let with_coupon = |coupon: &str| Order {
        promotions: vec![OrderPromotion { coupon: Some(coupon.into()), ..OrderPromotion::default() }],
        ..buying("B-BOX", Some(b_billing()))
    };
    let shipping_cart = |coupon: &str| ShippingCart {
        items: vec![ShippingItem { code: Some("B-BOX".into()), quantity: Some(1) }],
        billing_details: Some(CountryOnly { country_code: Some("US".into()) }),
        delivery_details: Some(CountryOnly { country_code: Some("US".into()) }),
        currency: Some("USD".into()),
        coupon_codes: vec![coupon.into()],
    };
    let mut attempts = 0;
    for intruder in intruders {
        let protocol = intruder.protocol();
        let pairs = vec![
            (
                "upsell campaign",
                answer(intruder.upsell_campaign(campaign_code).await),
                answer(intruder.upsell_campaign(missing_campaign).await),
            ),
            (
                "update upsell campaign",
                answer(intruder.update_upsell_campaign(campaign_code, &b_campaign).await),
                answer(intruder.update_upsell_campaign(missing_campaign, &b_campaign).await),
            ),
            (
                "delete upsell campaign",
                answer(intruder.delete_upsell_campaign(campaign_code).await),
                answer(intruder.delete_upsell_campaign(missing_campaign).await),
            ),
            (
                "promotion",
                answer(intruder.promotion(promotion_code).await),
                answer(intruder.promotion(missing_promotion).await),
            ),
            (
                "update promotion",
                answer(intruder.update_promotion(&b_promotion(promotion_code)).await),
                answer(intruder.update_promotion(&b_promotion(missing_promotion)).await),
            ),
            (
                "add coupons",
                answer(intruder.add_promotion_coupons(promotion_code, &coupon("B-NEW")).await),
                answer(intruder.add_promotion_coupons(missing_promotion, &coupon("B-NEW")).await),
            ),
            (
                "delete coupons",
                answer(intruder.delete_promotion_coupons(promotion_code, &coupon("A-SPARE")).await),
                answer(intruder.delete_promotion_coupons(missing_promotion, &coupon("A-SPARE")).await),
            ),
            (
                "cross-sell text",
                answer(intruder.cross_sell_text("en").await),
                answer(intruder.cross_sell_text("de").await),
            ),
            (
                "order with A's coupon",
                answer(intruder.place_order(&with_coupon("A-COUPON")).await),
                answer(intruder.place_order(&with_coupon("NO-COUPON")).await),
            ),
            (
                "shipping price with A's coupon",
                answer(intruder.shipping_price(&shipping_cart("A-COUPON")).await),
                answer(intruder.shipping_price(&shipping_cart("NO-COUPON")).await),
            ),
            (
                "order shipped by A's method",
                answer(intruder.place_order(&shipped("A-SHIP")).await),
                answer(intruder.place_order(&shipped("NO-SHIP")).await),
            ),
        ];
        attempts += compare(protocol, "campaign", pairs);
        let upsells = intruder.search_upsell_campaigns(&UpsellSearchOptions::default()).await.unwrap();
        assert_eq!(upsells.upsells_count, Some(0), "{protocol:?}: B's search shows A's upsell campaign");
        let promotions = intruder.search_promotions(&PromotionSearchOptions::default()).await.unwrap();
        assert!(
            promotions.items.iter().all(|listed| listed.code.as_deref() != Some(promotion_code)),
            "{protocol:?}: B's search shows A's promotion"
        );
        let methods = intruder.search_shipping_methods(&ShippingSearchOptions::default()).await.unwrap();
        assert!(methods.items.is_empty(), "{protocol:?}: B's search shows A's shipping method");
        attempts += 3;
    }
    // A's coupon codes and language are free for B, and using them changes nothing of A's.
    let b_own = Promotion { code: None, products: Vec::new(), ..promotion.clone() };
    intruders[0].add_promotion(&b_own).await.unwrap();
    intruders[0]
        .add_cross_sell_texts(&[CrossSellText { title: Some("B's".into()), ..text.clone() }])
        .await
        .unwrap();
    attempts += 2;
    assert_eq!(owners[0].upsell_campaign(campaign_code).await.unwrap(), campaign);
    assert_eq!(owners[0].promotion(promotion_code).await.unwrap(), promotion);
    assert_eq!(owners[0].cross_sell_text("en").await.unwrap(), text);
    attempts
}

/// B tries A's Channel Manager partner, its user and its pricing list; each must answer as for
/// one that does not exist, and A's session keeps its partner. Returns the attempts made.
async fn partner_isolation(owners: &[Arc<dyn Api>], intruders: &[Arc<dyn Api>]) -> usize {
    let mut attempts = 0;
    for (owner, intruder) in owners.iter().zip(intruders) {
        let protocol = intruder.protocol();
        assert!(owner.set_partner("A-PARTNER").await.unwrap());
        let sign_on = |partner: &str, email: &str| PartnerSignOn {
            email: Some(email.into()),
            partner_code: Some(partner.into()),
            access_page: Some("https://partners.example/".into()),
            validation_ip: Some(String::new()),
            ..PartnerSignOn::default()
        };
        let mut pairs = vec![
            (
                "set A's partner",
                answer(intruder.set_partner("A-PARTNER").await),
                answer(intruder.set_partner("NO-PARTNER").await),
            ),
            (
                "sign on A's partner user",
                answer(intruder.partner_single_sign_on(&sign_on("A-PARTNER", "pat@a.example")).await),
                answer(intruder.partner_single_sign_on(&sign_on("NO-PARTNER", "pat@a.example")).await),
            ),
            (
                "sign on A's user as B's partner",
                answer(intruder.partner_single_sign_on(&sign_on("B-PARTNER", "pat@a.example")).await),
                answer(intruder.partner_single_sign_on(&sign_on("B-PARTNER", "nobody@b.example")).await),
            ),
        ];
        assert!(intruder.set_partner("B-PARTNER").await.unwrap());
        pairs.push((
            "price in A's list",
            answer(intruder.product_price("A-PRODUCT", "A-LIST", None).await),
            answer(intruder.product_price("A-PRODUCT", "NO-LIST", None).await),
        ));
        pairs.push((
            "price of A's product",
            answer(intruder.product_price("A-PRODUCT", "B-LIST", None).await),
            answer(intruder.product_price("NO-PRODUCT", "B-LIST", None).await),
        ));
        attempts += compare(protocol, "partner", pairs);
        let lists = intruder.partner_pricing_lists().await.unwrap();
        assert!(lists.iter().all(|list| list.code.as_deref() == Some("B-LIST")), "{protocol:?}: {lists:?}");
        // A's session (or REST client) still works for A's partner.
        let lists = owner.partner_pricing_lists().await.unwrap();
        assert_eq!(lists.iter().map(|list| list.code.clone().unwrap()).collect::<Vec<_>>(), ["A-LIST"]);
        attempts += 1;
    }
    attempts
}

fn b_billing() -> Address {
    Address {
        first_name: Some("Bob".into()),
        last_name: Some("B".into()),
        email: Some("bob@b.example".into()),
        address1: Some("2 B St".into()),
        city: Some("Bville".into()),
        zip: Some("22222".into()),
        country_code: Some("US".into()),
        ..Address::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn isolation_matrix_sqlite() {
    isolation_matrix(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn isolation_matrix_postgres() {
    isolation_matrix(Backend::Postgres).await;
}
