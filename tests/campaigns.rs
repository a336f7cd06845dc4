//! Campaigns and shipping over REST, JSON-RPC and SOAP (one scenario body each, on SQLite and
//! PostgreSQL): upsell campaigns, cross-sell texts, promotions and their coupons, shipping methods
//! and prices, and what coupons and a shipping method do to an order — with every refusal's code
//! and nothing changed by it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use tco_client::{
    CampaignDescription, CampaignDiscount, CampaignsApi, CountryOnly, CrossSellText, DeliveryInformation,
    Order, OrderPromotion, OrderShippingMethod, OrdersApi, Promotion, PromotionCoupon, PromotionProduct,
    PromotionSearchOptions, ShippingCart, ShippingItem, ShippingSearchOptions, UpsellCampaign, UpsellProduct,
    UpsellSearchOptions,
};
use tco_tests::{Backend, TestGateway, parity_test};

use crate::catalog::assert_code;
use crate::orders::{billing, card, item};

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// Merchant A sells a tangible book (0.8 kg; 10 USD, 9 EUR) and a plan, charges 19 % VAT in
/// Germany, and ships with a standard method (everywhere: 4 USD, +6 to Australia, +1.50 under
/// 2 kg, +3 above; +2 on carts under 25 USD net) and an express one (US and DE only, 12 USD,
/// +0.50 per unit); a third is inactive.
fn campaign_data() -> Value {
    json!({"Merchants": [{
        "Code": "MERCHANT_A",
        "VatRates": {"DE": 19},
        "ExchangeRates": {"EUR": 0.9},
        "PriceOptionGroups": [{"Code": "COLOR", "Name": "Color", "Type": "RADIO",
            "Options": [{"Code": "RED", "Name": "Red", "Default": true}, {"Code": "BLUE", "Name": "Blue"}]}],
        "Products": [
            {"ProductCode": "BOOK", "ProductName": "A book", "GeneratesSubscription": false, "PurchaseMultipleUnits": true,
             "Tangible": true, "TangibleDetails": {"UnitDetails": [{"Type": "WEIGHT", "Amount": 0.8}]},
             "SubscriptionInformation": {"IsOneTimeFee": true},
             "PricingConfigurations": [{"DefaultCurrency": "USD", "PriceType": "NET",
                "Prices": {"Regular": [{"Amount": 10, "Currency": "USD"}, {"Amount": 9, "Currency": "EUR"}]}}]},
            {"ProductCode": "PLAN", "ProductName": "Monthly plan",
             "SubscriptionInformation": {"BillingCycle": 1, "BillingCycleUnits": "M"},
             "PricingConfigurations": [{"DefaultCurrency": "USD",
                "Prices": {"Regular": [{"Amount": 50, "Currency": "USD"}, {"Amount": 45, "Currency": "EUR"}]}}]}
        ],
        "ShippingMethods": [
            {"Code": "STD", "Name": "Standard", "BasePrice": 4, "Currency": "USD", "Availability": "ALL",
             "Countries": [{"CountryCode": "AU", "Surcharge": 6}],
             "Surcharge": [{"Type": "WEIGHT", "From": 0, "To": 2, "Amount": 1.5}, {"Type": "WEIGHT", "From": 2, "Amount": 3},
                           {"Type": "PRICE", "From": 0, "To": 25, "Amount": 2}]},
            {"Code": "EXP", "Name": "Express", "BasePrice": 12, "Currency": "USD", "Availability": "CUSTOM",
             "Countries": [{"CountryCode": "US", "Surcharge": 0}, {"CountryCode": "DE", "Surcharge": 0}],
             "Surcharge": [{"Type": "WEIGHT", "From": 0, "Amount": 0.5, "ApplyTo": "PRODUCT"}]},
            {"Code": "OLD", "Name": "Retired method", "BasePrice": 1, "Currency": "USD", "Active": false}
        ]
    }]})
}

async fn campaign_gateway(backend: Backend) -> Option<TestGateway> {
    TestGateway::start_with_data(backend, &campaign_data(), |_| {}).await
}

fn percent(value: &str) -> CampaignDiscount {
    CampaignDiscount { kind: Some("PERCENT".into()), value: Some(dec(value)), ..CampaignDiscount::default() }
}

fn upsell(name: &str) -> UpsellCampaign {
    UpsellCampaign {
        name: Some(name.into()),
        display_for_manual_renewals: Some(false),
        discount: Some(percent("5")),
        primary_product: Some(UpsellProduct {
            code: Some("PLAN".into()),
            quantity: Some(1),
            ..UpsellProduct::default()
        }),
        recommended_product: Some(UpsellProduct {
            code: Some("BOOK".into()),
            quantity: Some(0),
            ..UpsellProduct::default()
        }),
        enabled: Some(true),
        description: vec![CampaignDescription {
            language: Some("en".into()),
            text: Some("Add a book".into()),
        }],
        ..UpsellCampaign::default()
    }
}

parity_test!(upsell_campaigns, campaign_gateway, |gateway, api| {
    let created = api.create_upsell_campaign(&upsell("Book with the plan")).await.unwrap();
    let code = created.code.clone().unwrap();
    assert_eq!(code.len(), 36);
    assert_eq!(&code[14..15], "4", "a UUID v4: {code}");
    assert_eq!(created.status.as_deref(), Some("ENABLED"));
    assert_eq!(api.upsell_campaign(&code.to_uppercase()).await.unwrap(), created);

    // Full replacement: a fixed discount, disabled, with an end date.
    let mut replacement = upsell("Book with the plan, fixed");
    replacement.enabled = Some(false);
    replacement.end_date = Some("2099-12-31".into());
    replacement.discount = Some(CampaignDiscount {
        kind: Some("FIXED".into()),
        values: vec![tco_client::CurrencyAmount { currency: Some("USD".into()), amount: Some(dec("2")) }],
        default_currency: Some("USD".into()),
        ..CampaignDiscount::default()
    });
    let updated = api.update_upsell_campaign(&code, &replacement).await.unwrap();
    assert_eq!(
        (updated.status.as_deref(), updated.end_date.as_deref()),
        (Some("DISABLED"), Some("2099-12-31"))
    );
    api.create_upsell_campaign(&upsell("Another")).await.unwrap();

    let search = |options: UpsellSearchOptions| {
        let api = api.clone();
        async move { api.search_upsell_campaigns(&options).await.unwrap() }
    };
    let all = search(UpsellSearchOptions::default()).await;
    assert_eq!(all.upsells_count, Some(2));
    assert_eq!(all.upsells[0].name.as_deref(), Some("Another"));
    let disabled =
        search(UpsellSearchOptions { statuses: vec!["disabled".into()], ..Default::default() }).await;
    assert_eq!(
        disabled.upsells.iter().map(|c| c.code.clone().unwrap()).collect::<Vec<_>>(),
        std::slice::from_ref(&code)
    );
    let named = search(UpsellSearchOptions { name: Some("FIXED".into()), ..Default::default() }).await;
    assert_eq!(named.upsells_count, Some(1));
    let none =
        search(UpsellSearchOptions { primary_product_codes: vec!["BOOK".into()], ..Default::default() })
            .await;
    assert_eq!(none.upsells_count, Some(0));

    // Refusals change nothing.
    let mut unknown_product = upsell("X");
    unknown_product.recommended_product.as_mut().unwrap().code = Some("NOPE".into());
    assert_code(api.update_upsell_campaign(&code, &unknown_product).await, "INVALID_FIELD");
    let mut bad_default = replacement.clone();
    bad_default.discount.as_mut().unwrap().default_currency = Some("EUR".into());
    assert_code(api.create_upsell_campaign(&bad_default).await, "INVALID_FIELD");
    let mut no_name = upsell("X");
    no_name.name = None;
    assert_code(api.create_upsell_campaign(&no_name).await, "MISSING_REQUIRED_FIELD");
    let mut unknown_option = upsell("X");
    unknown_option.primary_product.as_mut().unwrap().price_options =
        vec![tco_client::CampaignPriceOptions { code: Some("SIZE".into()), options: vec![] }];
    assert_code(api.create_upsell_campaign(&unknown_option).await, "PRICE_OPTION_GROUP_NOT_FOUND");
    assert_code(
        api.upsell_campaign("fc580e11-09e4-483f-b73e-cd0f460bcd9d").await,
        "UPSELL_CAMPAIGN_NOT_FOUND",
    );
    assert_eq!(api.upsell_campaign(&code).await.unwrap(), updated);

    assert!(api.delete_upsell_campaign(&code).await.unwrap());
    assert_code(api.delete_upsell_campaign(&code).await, "UPSELL_CAMPAIGN_NOT_FOUND");
    assert_eq!(search(UpsellSearchOptions::default()).await.upsells_count, Some(1));
    drop(gateway);
});

fn text(language: &str, title: &str) -> CrossSellText {
    CrossSellText {
        language: Some(language.into()),
        title: Some(title.into()),
        description: Some(format!("{title}.")),
    }
}

parity_test!(cross_sell_texts, campaign_gateway, |gateway, api| {
    let all = api.add_cross_sell_texts(&[text("ro", "Numele"), text("EN", "Name")]).await.unwrap();
    assert_eq!(all.iter().map(|t| t.language.clone().unwrap()).collect::<Vec<_>>(), ["en", "ro"]);
    let all = api.update_cross_sell_texts(&[text("en", "New name"), text("br", "Nome")]).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(api.cross_sell_text("en").await.unwrap().title.as_deref(), Some("New name"));
    assert_eq!(api.cross_sell_text("pt-BR").await.unwrap().title.as_deref(), Some("Nome"));

    assert_code(api.cross_sell_text("de").await, "CROSS_SELL_TEXT_NOT_FOUND");
    assert_code(api.add_cross_sell_texts(&[text("en", "Changed"), text("xx", "Bad")]).await, "INVALID_FIELD");
    let untitled = CrossSellText { title: None, ..text("fr", "Titre") };
    assert_code(api.update_cross_sell_texts(&[untitled]).await, "MISSING_REQUIRED_FIELD");
    assert_eq!(api.cross_sell_text("en").await.unwrap().title.as_deref(), Some("New name"));
    drop(gateway);
});

fn promotion(name: &str, coupon: &str, discount: CampaignDiscount) -> Promotion {
    Promotion {
        name: Some(name.into()),
        coupon: Some(PromotionCoupon {
            kind: Some("SINGLE".into()),
            code: Some(coupon.into()),
            ..PromotionCoupon::default()
        }),
        discount: Some(discount),
        products: vec![PromotionProduct { code: Some("BOOK".into()), ..PromotionProduct::default() }],
        ..Promotion::default()
    }
}

fn coupons(codes: &[&str]) -> PromotionCoupon {
    PromotionCoupon {
        kind: Some("MULTIPLE".into()),
        codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        ..Default::default()
    }
}

fn order(items: Vec<tco_client::OrderItem>, country: &str, currency: &str, coupons: &[&str]) -> Order {
    Order {
        currency: Some(currency.into()),
        items,
        billing_details: Some(billing("grace@example.com", country)),
        payment_details: Some(card("TEST", "4111111111111111")),
        promotions: coupons
            .iter()
            .map(|coupon| OrderPromotion { coupon: Some((*coupon).into()), ..OrderPromotion::default() })
            .collect(),
        ..Order::default()
    }
}

parity_test!(promotions_and_coupons, campaign_gateway, |gateway, api| {
    let added = api.add_promotion(&promotion("Ten off", "TEN", percent("10"))).await.unwrap();
    let code = added.code.clone().unwrap();
    assert_eq!((code.len(), added.kind.as_deref(), added.enabled), (10, Some("REGULAR"), Some(true)));
    assert_eq!(api.promotion(&code).await.unwrap(), added);

    // Coupons: added, unique per merchant whatever their case, removed.
    let with_more = api.add_promotion_coupons(&code, &coupons(&["BOOKS-1", "BOOKS-2"])).await.unwrap();
    assert_eq!(with_more.coupon.as_ref().unwrap().codes, ["TEN", "BOOKS-1", "BOOKS-2"]);
    assert_code(
        api.add_promotion(&promotion("Clash", "books-1", percent("5"))).await,
        "DUPLICATE_COUPON_CODE",
    );
    let fewer = api.delete_promotion_coupons(&code, &coupons(&["BOOKS-2"])).await.unwrap();
    assert_eq!(fewer.coupon.as_ref().unwrap().codes, ["TEN", "BOOKS-1"]);
    assert_code(api.delete_promotion_coupons(&code, &coupons(&["NOPE"])).await, "INVALID_COUPON");
    assert_code(api.promotion("0000000000").await, "PROMOTION_NOT_FOUND");
    assert_code(api.add_promotion_coupons("0000000000", &coupons(&["X1"])).await, "PROMOTION_NOT_FOUND");
    let mut unknown = promotion("Unknown", "U", percent("5"));
    unknown.code = Some("0000000000".into());
    assert_code(api.update_promotion(&unknown).await, "PROMOTION_NOT_FOUND");

    // A fixed promotion, disabled by an update, then a search.
    let fixed = CampaignDiscount {
        kind: Some("FIXED".into()),
        values: vec![tco_client::CurrencyAmount { currency: Some("EUR".into()), amount: Some(dec("2.5")) }],
        default_currency: Some("EUR".into()),
        ..CampaignDiscount::default()
    };
    let second = api.add_promotion(&promotion("Fixed off", "FIXED", fixed)).await.unwrap();
    let mut disabled = second.clone();
    disabled.enabled = Some(false);
    let disabled = api.update_promotion(&disabled).await.unwrap();
    assert_eq!(disabled.enabled, Some(false));
    let enabled = api
        .search_promotions(&PromotionSearchOptions {
            enabled: Some(true),
            ..PromotionSearchOptions::default()
        })
        .await
        .unwrap();
    assert_eq!((enabled.items.len(), enabled.pagination.count), (1, 1));
    assert_eq!(enabled.items[0].code, Some(code.clone()));

    // An order with the coupon: 3 books at 9 EUR to Germany, 10 % off the net, 19 % VAT on the rest.
    let placed =
        api.place_order(&order(vec![item("BOOK", 3), item("PLAN", 1)], "DE", "EUR", &["ten"])).await.unwrap();
    let book = &placed.items[0];
    let price = book.price.as_ref().unwrap();
    // 9 × 10 % = 0.90 off each; 8.10 × 19 % = 1.539 → 1.54 VAT each.
    assert_eq!(
        (price.unit_discount, price.discount, price.vat),
        (Some(dec("0.9")), Some(dec("2.7")), Some(dec("4.62")))
    );
    assert_eq!(price.gross_discounted_price, Some(dec("28.92")));
    // The plan is not in the promotion: 45 + 8.55 VAT.
    assert_eq!(placed.items[1].price.as_ref().unwrap().discount, Some(dec("0")));
    assert_eq!(placed.discount, Some(dec("2.7")));
    assert_eq!(placed.gross_discounted_price, Some(dec("82.47")));
    assert_eq!(placed.promotions.len(), 1);
    assert_eq!(
        (
            placed.promotions[0].code.as_deref(),
            placed.promotions[0].coupon.as_deref(),
            placed.promotions[0].discount_label.as_deref()
        ),
        (Some(code.as_str()), Some("ten"), Some("10%"))
    );
    assert_eq!(api.order(placed.ref_no.as_deref().unwrap()).await.unwrap().promotions, placed.promotions);

    // A disabled promotion's coupon, or an unknown one, places nothing.
    let before = api.search_orders(&Default::default()).await.map(|r| r.pagination.count).ok();
    assert_code(
        api.place_order(&order(vec![item("BOOK", 1)], "US", "USD", &["FIXED"])).await,
        "INVALID_COUPON",
    );
    assert_code(
        api.place_order(&order(vec![item("BOOK", 1)], "US", "USD", &["NOPE"])).await,
        "INVALID_COUPON",
    );
    assert_eq!(api.search_orders(&Default::default()).await.map(|r| r.pagination.count).ok(), before);
    drop(gateway);
});

fn cart(quantity: i64, billing: &str, delivery: &str, currency: &str, coupons: &[&str]) -> ShippingCart {
    ShippingCart {
        items: vec![ShippingItem { code: Some("BOOK".into()), quantity: Some(quantity) }],
        billing_details: Some(CountryOnly { country_code: Some(billing.into()) }),
        delivery_details: Some(CountryOnly { country_code: Some(delivery.into()) }),
        currency: Some(currency.into()),
        coupon_codes: coupons.iter().map(|c| (*c).to_owned()).collect(),
    }
}

/// Quantity, billing and delivery countries, currency, coupons; each method's code with its net
/// and gross totals.
type Row<'a> = (i64, &'a str, &'a str, &'a str, &'a [&'a str], &'a [(&'a str, &'a str, &'a str)]);

parity_test!(shipping_methods_and_prices, campaign_gateway, |gateway, api| {
    let all = api.search_shipping_methods(&ShippingSearchOptions::default()).await.unwrap();
    assert_eq!(all.items.iter().map(|m| m.code.clone().unwrap()).collect::<Vec<_>>(), ["STD", "EXP", "OLD"]);
    let options = ShippingSearchOptions {
        countries: vec!["AU".into(), "UK".into()],
        active: Some(true),
        ..Default::default()
    };
    let australia = api.search_shipping_methods(&options).await.unwrap();
    assert_eq!((australia.items.len(), australia.items[0].name.as_deref()), (1, Some("Standard")));
    let named = ShippingSearchOptions { name: Some("press".into()), ..Default::default() };
    assert_eq!(api.search_shipping_methods(&named).await.unwrap().items[0].code.as_deref(), Some("EXP"));

    // Hand-computed table: quantity, billing, delivery, currency, coupons, then each method's net
    // and gross totals.
    api.add_promotion(&promotion("Half", "HALF", percent("50"))).await.unwrap();
    let table: &[Row] = &[
        // 2 books, 1.6 kg, 20 USD: STD 4 + 1.50 + 2 (under 25); EXP 12 + 2 × 0.50.
        (2, "US", "US", "USD", &[], &[("STD", "7.5", "7.5"), ("EXP", "13", "13")]),
        // 3 books, 2.4 kg, 30 USD, to Australia: STD 4 + 6 + 3; EXP does not deliver there.
        (3, "US", "AU", "USD", &[], &[("STD", "13", "13")]),
        // The same with half off: 15 USD net, so the small-cart 2 applies.
        (3, "US", "AU", "USD", &["HALF"], &[("STD", "15", "15")]),
        // In euros (0.9 per dollar), billed in Germany (19 %): 3 books are 27 EUR = 30 USD;
        // STD 3.60 + 2.70 = 6.30, gross 4.28 + 3.21 = 7.49; EXP 10.80 + 1.35 = 12.15, gross
        // 12.85 + 1.61 = 14.46.
        (3, "DE", "DE", "EUR", &[], &[("STD", "6.3", "7.49"), ("EXP", "12.15", "14.46")]),
    ];
    for (quantity, billing, delivery, currency, coupons, expected) in table {
        let prices =
            api.shipping_price(&cart(*quantity, billing, delivery, currency, coupons)).await.unwrap();
        let actual: Vec<(String, Decimal, Decimal)> = prices
            .iter()
            .map(|price| {
                let details = price.price_details.as_ref().unwrap();
                let total = |parts: &Option<tco_client::ShippingPriceParts>| {
                    parts.as_ref().unwrap().total_amount.unwrap()
                };
                (price.code.clone().unwrap(), total(&details.net), total(&details.gross))
            })
            .collect();
        let expected: Vec<(String, Decimal, Decimal)> =
            expected.iter().map(|(code, net, gross)| ((*code).to_owned(), dec(net), dec(gross))).collect();
        assert_eq!(actual, expected, "{quantity} {billing} {delivery} {currency} {coupons:?}");
    }

    // Refusals.
    let mut plan = cart(1, "US", "US", "USD", &[]);
    plan.items[0].code = Some("PLAN".into());
    assert_code(api.shipping_price(&plan).await, "PRODUCT_NOT_TANGIBLE");
    assert_code(api.shipping_price(&cart(1, "US", "US", "USD", &["NOPE"])).await, "INVALID_COUPON");
    assert_code(api.shipping_price(&cart(1, "XX", "US", "USD", &[])).await, "INVALID_FIELD");

    // An order shipped with the standard method: 2 books to the US, a SHIPPING line of 7.50.
    let mut shipped = order(vec![item("BOOK", 2)], "US", "USD", &[]);
    shipped.delivery_information = Some(DeliveryInformation {
        shipping_method: Some(OrderShippingMethod {
            code: Some("std".into()),
            ..OrderShippingMethod::default()
        }),
    });
    let placed = api.place_order(&shipped).await.unwrap();
    assert_eq!(placed.has_shipping, Some(true));
    let line = placed.items.iter().find(|item| item.purchase_type.as_deref() == Some("SHIPPING")).unwrap();
    assert_eq!(
        (line.code.as_deref(), line.price.as_ref().unwrap().net_price),
        (Some("STD"), Some(dec("7.5")))
    );
    assert_eq!(placed.net_price, Some(dec("27.5")));
    let read = api.order(placed.ref_no.as_deref().unwrap()).await.unwrap();
    assert_eq!(read.delivery_information.unwrap().shipping_method.unwrap().code.as_deref(), Some("STD"));

    // A method that does not deliver there, an inactive one, or nothing tangible to ship.
    for (method, items) in
        [("EXP", vec![item("BOOK", 1)]), ("OLD", vec![item("BOOK", 1)]), ("STD", vec![item("PLAN", 1)])]
    {
        let mut refused = order(items, "AU", "USD", &[]);
        refused.delivery_information = Some(DeliveryInformation {
            shipping_method: Some(OrderShippingMethod {
                code: Some(method.into()),
                ..OrderShippingMethod::default()
            }),
        });
        assert_code(api.place_order(&refused).await, "INVALID_SHIPPING_METHOD");
    }
    drop(gateway);
});

/// The vendor's samples send `Promotions` as coupon codes themselves (`["TEN"]`), where an order
/// read back holds promotion objects: each protocol reads the plain codes too.
async fn coupon_codes_as_strings(backend: Backend) {
    let Some(gateway) = campaign_gateway(backend).await else { return };
    let rest = gateway.rest();
    let promotion = json!({"Name": "Ten", "Coupon": {"Type": "SINGLE", "Code": "TEN"},
        "Discount": {"Type": "PERCENT", "Value": 10}, "Products": [{"Code": "BOOK"}]});
    assert_eq!(rest.post("/promotions/", &promotion).await.status.as_u16(), 201);
    let order = json!({"Currency": "USD", "Items": [{"Code": "BOOK", "Quantity": 1}], "Promotions": ["TEN"],
        "BillingDetails": {"FirstName": "Grace", "LastName": "Hopper", "Email": "grace@example.com",
            "Address1": "1 Main St", "City": "Arlington", "Zip": "22201", "CountryCode": "US"},
        "PaymentDetails": {"Type": "TEST", "Currency": "USD", "PaymentMethod": {"CardNumber": "4111111111111111",
            "ExpirationMonth": "12", "ExpirationYear": "2030", "HolderName": "Grace Hopper"}}});

    let placed = rest.post("/orders/", &order).await;
    assert_eq!(
        (placed.status.as_u16(), placed.json["Discount"].as_f64()),
        (201, Some(1.0)),
        "REST: {}",
        placed.text
    );

    let rpc = gateway.rpc();
    let session = rpc.login(tco_tests::MERCHANT_A).await;
    let placed = rpc.call("placeOrder", json!([session, order])).await;
    assert_eq!(placed.json["result"]["Discount"].as_f64(), Some(1.0), "JSON-RPC: {}", placed.text);
    assert_eq!(placed.json["result"]["Promotions"][0]["Coupon"], "TEN");

    let soap = gateway.soap();
    let session = soap.login(tco_tests::MERCHANT_A).await;
    let placed = soap
        .call(
            "placeOrder",
            &format!(
                "<sessionID>{session}</sessionID><Order><Currency>USD</Currency>\
                 <Items><Code>BOOK</Code><Quantity>1</Quantity></Items><Promotions>TEN</Promotions>\
                 <BillingDetails><FirstName>Grace</FirstName><LastName>Hopper</LastName>\
                 <Email>grace@example.com</Email><Address1>1 Main St</Address1><City>Arlington</City>\
                 <Zip>22201</Zip><CountryCode>US</CountryCode></BillingDetails>\
                 <PaymentDetails><Type>TEST</Type><Currency>USD</Currency><PaymentMethod>\
                 <CardNumber>4111111111111111</CardNumber><ExpirationMonth>12</ExpirationMonth>\
                 <ExpirationYear>2030</ExpirationYear><HolderName>Grace Hopper</HolderName>\
                 </PaymentMethod></PaymentDetails></Order>"
            ),
        )
        .await;
    assert_eq!(placed.fault_code(), None, "SOAP");
    let discount = placed.result().child("Discount").map(|discount| discount.text.clone());
    assert_eq!(discount.as_deref(), Some("1"), "SOAP");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coupon_codes_as_strings_sqlite() {
    coupon_codes_as_strings(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coupon_codes_as_strings_postgres() {
    coupon_codes_as_strings(Backend::Postgres).await;
}
