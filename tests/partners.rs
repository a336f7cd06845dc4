//! Channel Manager over REST, JSON-RPC and SOAP (one scenario body each, on SQLite and
//! PostgreSQL): setPartner, the partner's pricing lists and prices with every documented error,
//! partner single sign-on with every documented error and its page (single use, expiry, IP
//! binding) — and the session's partner seen from another protocol.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use tco_client::{CatalogApi, ChannelManagerApi, PartnerSignOn, UnitPrice};
use tco_tests::{Backend, MERCHANT_A, MERCHANT_B, TestGateway, parity_test};

use crate::catalog::assert_code;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// Merchant A sells a suite (100 USD, 90 EUR; an edition option adding 20 USD or 18 EUR, a
/// support option adding 10 %) and a plan, charges 19 % VAT in Germany, and has a German
/// reseller P1 (lists PL_USD at 20 % margin and PL_EUR at 15 %), an active partner P2 without
/// lists, and an inactive one, GONE, with PL_GONE.
pub(crate) fn partner_data() -> Value {
    json!({"Merchants": [{
        "Code": "MERCHANT_A",
        "VatRates": {"DE": 19},
        "PriceOptionGroups": [
            {"Code": "EDITION", "Name": "Edition", "Type": "RADIO",
             "Options": [{"Code": "MULTI", "Name": "Multi-site", "PriceImpact": {"Impact": "ADD", "Method": "FIXED",
                "Amounts": [{"Currency": "USD", "Amount": 20}, {"Currency": "EUR", "Amount": 18}]}}]},
            {"Code": "SUPPORT", "Name": "Support", "Type": "RADIO",
             "Options": [{"Code": "PRIORITY", "Name": "Priority", "PriceImpact": {"Impact": "ADD", "Method": "PERCENT", "Percent": 10}}]}
        ],
        "Products": [
            {"ProductCode": "SUITE", "ProductName": "Suite", "GeneratesSubscription": false,
             "SubscriptionInformation": {"IsOneTimeFee": true},
             "PricingConfigurations": [{"DefaultCurrency": "USD", "PriceType": "NET",
                "Prices": {"Regular": [{"Amount": 100, "Currency": "USD"}, {"Amount": 90, "Currency": "EUR"}]},
                "PriceOptions": [{"Code": "EDITION", "Required": false}, {"Code": "SUPPORT", "Required": false}]}]},
            {"ProductCode": "PLAN", "ProductName": "Plan",
             "SubscriptionInformation": {"BillingCycle": 1, "BillingCycleUnits": "M"},
             "PricingConfigurations": [{"DefaultCurrency": "USD",
                "Prices": {"Regular": [{"Amount": 49.99, "Currency": "USD"}, {"Amount": 44.99, "Currency": "EUR"}]}}]},
            {"ProductCode": "RETIRED", "ProductName": "Retired", "Enabled": false, "GeneratesSubscription": false,
             "SubscriptionInformation": {"IsOneTimeFee": true},
             "PricingConfigurations": [{"DefaultCurrency": "USD", "Prices": {"Regular": [{"Amount": 5, "Currency": "USD"}]}}]}
        ],
        "Partners": [
            {"PartnerCode": "P1", "UUID": "76914d95-f2a9-47aa-9090-de90e529ce98", "CompanyCommercialName": "Reseller GmbH",
             "Country": "DE", "Users": [{"Email": "pat@reseller.example", "FirstName": "Pat", "LastName": "Partner"}],
             "PricingLists": ["PL_USD", "PL_EUR"]},
            {"PartnerCode": "P2", "CompanyCommercialName": "Newcomer", "Country": "US",
             "Users": [{"Email": "new@comer.example"}]},
            {"PartnerCode": "GONE", "CompanyCommercialName": "Former", "Active": false, "Country": "GB",
             "Users": [{"Email": "fay@former.example"}], "PricingLists": ["PL_GONE"]}
        ],
        "PricingLists": [
            {"Code": "PL_USD", "Name": "Dollars", "Default": true, "Currency": "USD", "PartnerMargin": 20,
             "Products": ["SUITE", "PLAN", "RETIRED"]},
            {"Code": "PL_EUR", "Name": "Euros", "Currency": "EUR", "PartnerMargin": 15, "Products": ["PLAN"]},
            {"Code": "PL_GONE", "Name": "Former", "Currency": "USD", "PartnerMargin": 10, "Products": ["SUITE"]}
        ]
    }]})
}

async fn partner_gateway(backend: Backend) -> Option<TestGateway> {
    TestGateway::start_with_data(backend, &partner_data(), |_| {}).await
}

fn price(currency: &str, net: &str, margin: &str, vat: &str) -> UnitPrice {
    UnitPrice {
        currency: Some(currency.into()),
        net_price_per_unit: Some(dec(net)),
        partner_margin_per_unit: Some(dec(margin)),
        vat_per_unit: Some(dec(vat)),
    }
}

parity_test!(partner_pricing, partner_gateway, |gateway, api| {
    // Before setPartner: the vendor's "No partner is set."
    assert_code(api.partner_pricing_lists().await, "INVALID_PARTNER");
    assert_code(api.product_price("SUITE", "PL_USD", None).await, "INVALID_PARTNER");
    // An empty, unknown or inactive partner is refused and sets nothing.
    for code in ["", "NOPE", "GONE", "p1"] {
        assert_code(api.set_partner(code).await, "INVALID_PARTNER");
    }
    assert_code(api.partner_pricing_lists().await, "INVALID_PARTNER");

    assert!(api.set_partner("P1").await.unwrap());
    let lists = api.partner_pricing_lists().await.unwrap();
    let codes: Vec<_> = lists.iter().map(|list| list.code.clone().unwrap()).collect();
    assert_eq!(codes, ["PL_USD", "PL_EUR"]);
    assert_eq!((lists[0].default, lists[0].currency.as_deref()), (Some(true), Some("USD")));

    // 100 + 20 (edition) + 10 % of 100 (support) = 130; 20 % margin = 26; 104 net; 19 % VAT = 19.76.
    let options = ["MULTI".to_owned(), "PRIORITY".to_owned()];
    assert_eq!(
        api.product_price("SUITE", "PL_USD", Some(&options)).await.unwrap(),
        price("USD", "104.00", "26.00", "19.76")
    );
    // Without options (null or empty): 100 → 20 margin, 80 net, 15.20 VAT.
    assert_eq!(
        api.product_price("SUITE", "PL_USD", None).await.unwrap(),
        price("USD", "80.00", "20.00", "15.20")
    );
    // By numeric id; 49.99 → 10.00 margin (9.998 rounded), 39.99 net, 7.60 VAT.
    let id = api.product_by_code("PLAN").await.unwrap().avangate_id.unwrap();
    assert_eq!(
        api.product_price(&id, "PL_USD", Some(&[])).await.unwrap(),
        price("USD", "39.99", "10.00", "7.60")
    );
    // In euros at 15 %: 44.99 → 6.75, 38.24, 7.27.
    assert_eq!(
        api.product_price("PLAN", "PL_EUR", None).await.unwrap(),
        price("EUR", "38.24", "6.75", "7.27")
    );

    // The seed's errors, in its table's order.
    assert_code(api.product_price(" ", "PL_USD", None).await, "PRODUCT_ERROR");
    assert_code(api.product_price("NO_SUCH_PRODUCT", "PL_USD", None).await, "PRODUCT_ERROR");
    assert_code(api.product_price("SUITE", "PL_NOPE", None).await, "PARTNER_PRICING_LISTS_NOT_FOUND");
    assert_code(api.product_price("SUITE", "PL_GONE", None).await, "PARTNER_PRICING_LISTS_NOT_FOUND");
    assert_code(api.product_price("SUITE", "PL_EUR", None).await, "PRODUCT_NOT_FOUND");
    assert_code(api.product_price("RETIRED", "PL_USD", None).await, "PRODUCT_NOT_FOUND");
    assert_code(
        api.product_price("SUITE", "PL_USD", Some(&["NOT_AN_OPTION".to_owned()])).await,
        "INVALID_FIELD",
    );

    // A refused setPartner keeps the partner set before it.
    assert_code(api.set_partner("GONE").await, "INVALID_PARTNER");
    assert_eq!(api.partner_pricing_lists().await.unwrap().len(), 2);
    // An active partner without pricing lists.
    assert!(api.set_partner("P2").await.unwrap());
    assert_code(api.partner_pricing_lists().await, "PARTNER_PRICING_LISTS_NOT_FOUND");
    assert_code(api.product_price("SUITE", "PL_USD", None).await, "PARTNER_PRICING_LISTS_NOT_FOUND");

    // Another session (another client) has no partner; another merchant has none of A's partners.
    let other = tco_tests::client(&gateway, api.protocol(), MERCHANT_A);
    assert_code(other.partner_pricing_lists().await, "INVALID_PARTNER");
    let intruder = tco_tests::client(&gateway, api.protocol(), MERCHANT_B);
    assert_code(intruder.set_partner("P1").await, "INVALID_PARTNER");
    assert_code(intruder.product_price("SUITE", "PL_USD", None).await, "INVALID_PARTNER");
});

fn sign_on(email: Option<&str>, partner: Option<&str>) -> PartnerSignOn {
    PartnerSignOn {
        email: email.map(str::to_owned),
        partner_code: partner.map(str::to_owned),
        access_page: Some("https://partners.example/cpanel/orders.php?id=7".into()),
        validity_time: Some(60),
        validation_ip: Some(String::new()),
    }
}

/// The page a sign-on link opens: its status and body.
async fn open(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

parity_test!(partner_single_sign_on, partner_gateway, |gateway, api| {
    let user = Some("pat@reseller.example");
    let refused = [
        (sign_on(None, Some("P1")), "INVALID_EMAIL"),
        (sign_on(Some("pat-at-reseller"), Some("P1")), "INVALID_EMAIL"),
        (sign_on(user, None), "INVALID_PARTNER"),
        (sign_on(user, Some("GONE")), "INVALID_PARTNER"),
        (sign_on(user, Some("NOPE")), "INVALID_PARTNER"),
        (sign_on(Some("fay@former.example"), Some("P1")), "INVALID_USER"),
        (sign_on(Some("new@comer.example"), Some("P1")), "INVALID_USER"),
        (PartnerSignOn { access_page: None, ..sign_on(user, Some("P1")) }, "INVALID_URL"),
        (
            PartnerSignOn { access_page: Some("cpanel/orders.php".into()), ..sign_on(user, Some("P1")) },
            "INVALID_URL",
        ),
        (PartnerSignOn { validity_time: Some(0), ..sign_on(user, Some("P1")) }, "INVALID_VALIDITY_TIME"),
        (PartnerSignOn { validity_time: Some(-5), ..sign_on(user, Some("P1")) }, "INVALID_VALIDITY_TIME"),
        (
            PartnerSignOn { validation_ip: Some("300.1.1.1".into()), ..sign_on(user, Some("P1")) },
            "INVALID_FIELD",
        ),
    ];
    for (request, code) in refused {
        assert_code(api.partner_single_sign_on(&request).await, code);
    }

    // No setPartner needed; the e-mail in any case; no IP (null or empty) binds none. The link
    // opens the page once.
    let unbound = PartnerSignOn { validation_ip: None, ..sign_on(Some("PAT@reseller.example"), Some("P1")) };
    let url = api.partner_single_sign_on(&unbound).await.unwrap();
    let prefix = format!("{}/partners/sso.php?merchant=MERCHANT_A&logintoken=", gateway.url());
    assert!(url.starts_with(&prefix), "{url}");
    assert_eq!(url.len(), prefix.len() + 40);
    let (status, page) = open(&url).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("pat@reseller.example") && page.contains(">P1<"), "{page}");
    assert!(page.contains("https://partners.example/cpanel/orders.php?id=7"), "{page}");
    assert_eq!(open(&url).await.0, 403, "a link opens once");

    // The default validity is 10 seconds.
    let default = PartnerSignOn { validity_time: None, ..sign_on(user, Some("P1")) };
    let url = api.partner_single_sign_on(&default).await.unwrap();
    gateway.clock.as_ref().unwrap().advance(chrono::Duration::seconds(11));
    assert_eq!(open(&url).await.0, 403, "expired");

    // Bound to another IP, the link does not open from here; bound to this one, it does.
    let elsewhere = PartnerSignOn { validation_ip: Some("10.9.9.9".into()), ..sign_on(user, Some("P1")) };
    assert_eq!(open(&api.partner_single_sign_on(&elsewhere).await.unwrap()).await.0, 403);
    let here = PartnerSignOn { validation_ip: Some("127.0.0.1".into()), ..sign_on(user, Some("P1")) };
    assert_eq!(open(&api.partner_single_sign_on(&here).await.unwrap()).await.0, 200);
    // Another merchant's name in the link does not spend the token.
    let url = api.partner_single_sign_on(&sign_on(user, Some("P1"))).await.unwrap();
    assert_eq!(open(&url.replace("merchant=MERCHANT_A", "merchant=MERCHANT_B")).await.0, 403);
    assert_eq!(open(&url).await.0, 200);
});

/// The partner lives in the session: set over JSON-RPC, it is the partner of the same session's
/// SOAP calls.
async fn session_partner_across_protocols(backend: Backend) {
    let Some(gateway) = partner_gateway(backend).await else { return };
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    let soap = gateway.soap();
    let lists = |session: &str| format!("<sessionID>{session}</sessionID>");
    soap.call("getPartnerPricingLists", &lists(&session)).await.assert_fault("INVALID_PARTNER");
    assert_eq!(rpc.call("setPartner", json!([session, "P1"])).await.json["result"], json!(true));
    let reply = soap.call("getPartnerPricingLists", &lists(&session)).await;
    assert_eq!(reply.fault_code(), None, "{}", reply.text);
    let price = soap
        .call(
            "getProductPrice",
            &format!("<sessionID>{session}</sessionID><productId>PLAN</productId><pricingListCode>PL_EUR</pricingListCode>"),
        )
        .await;
    assert_eq!(
        price.result().child("NetPricePerUnit").map(|net| net.text.as_str()),
        Some("38.24"),
        "{}",
        price.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_partner_across_protocols_sqlite() {
    session_partner_across_protocols(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_partner_across_protocols_postgres() {
    session_partner_across_protocols(Backend::Postgres).await;
}

/// The hosted cart checks signed links as the vendor's cart does: a link whose signature the
/// merchant's buy-link secret word made shows its products; a forged or expired one, an empty cart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_links_in_the_hosted_cart() {
    use tco_client::{Reference, SignOn};
    let gateway = TestGateway::start_with_data(Backend::Sqlite, &partner_data(), |config| {
        config.merchants[0] =
            tco_core::Merchant::new(MERCHANT_A.0, MERCHANT_A.1).with_buy_link_secret("word-a");
    })
    .await
    .unwrap();
    let api = tco_tests::client(&gateway, tco_client::Protocol::Rest, MERCHANT_A);
    let created = gateway.rest().post("/customers/", &tco_tests::sample_customer("SIGNED-1")).await;
    let buyer = Reference::Internal(created.json.as_i64().unwrap());
    let link = |query: &[(&str, &str)]| {
        let parameters: Vec<(String, String)> =
            query.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect();
        let signature = tco_core::sign_buy_link("word-a", &parameters);
        let query: String = query.iter().map(|(name, value)| format!("&{name}={value}")).collect();
        (format!("{}/order/checkout.php?merchant=MERCHANT_A{query}", gateway.url()), signature)
    };
    let open = |url: String| {
        let api = api.clone();
        let buyer = buyer.clone();
        async move {
            let sign_on = SignOn { url, validity_secs: Some(60), ..SignOn::default() };
            let url = api.sign_on_in_cart(&buyer, &sign_on).await.unwrap();
            reqwest::get(&url).await.unwrap().text().await.unwrap()
        }
    };
    let signed = [("currency", "USD"), ("lock", "1"), ("prod", "SUITE;PLAN"), ("qty", "2;1")];
    let (url, signature) = link(&signed);
    let page = open(format!("{url}&signature={signature}")).await;
    assert!(page.contains("<td>SUITE</td><td>2</td>") && page.contains("<td>PLAN</td><td>1</td>"), "{page}");
    // Unsigned parameters (merchant, logintoken, tpl…) may be added; a signed one may not change.
    let page = open(format!("{url}&tpl=default&signature={signature}")).await;
    assert!(page.contains("<td>SUITE</td><td>2</td>"), "{page}");
    let forged = url.replace("qty=2;1", "qty=9;1");
    let page = open(format!("{forged}&signature={signature}")).await;
    assert!(page.contains("Your cart is empty."), "{page}");
    let page = open(format!("{url}&signature={}", "0".repeat(64))).await;
    assert!(page.contains("Your cart is empty."), "{page}");
    // A signed expiration in the past empties the cart; in the future it does not.
    let (url, signature) = link(&[("expiration", "1000000000"), ("prod", "SUITE"), ("qty", "1")]);
    assert!(open(format!("{url}&signature={signature}")).await.contains("Your cart is empty."));
    let (url, signature) = link(&[("expiration", "4102444800"), ("prod", "SUITE"), ("qty", "1")]);
    assert!(open(format!("{url}&signature={signature}")).await.contains("<td>SUITE</td><td>1</td>"));
    // A shopper's sign-on bound to another IP does not open the cart from here; bound to this one, it does.
    for (ip, status) in [("10.9.9.9", 403), ("127.0.0.1", 200)] {
        let url = format!("{}/order/checkout.php?merchant=MERCHANT_A&prod=PLAN&qty=1", gateway.url());
        let sign_on = SignOn { url, validity_secs: Some(60), validation_ip: Some(ip.into()) };
        let url = api.sign_on_in_cart(&buyer, &sign_on).await.unwrap();
        assert_eq!(reqwest::get(&url).await.unwrap().status().as_u16(), status, "bound to {ip}");
    }
    // A link without a signature is a plain catalog link.
    let page =
        open(format!("{}/order/checkout.php?merchant=MERCHANT_A&prod=PLAN&qty=1", gateway.url())).await;
    assert!(page.contains("<td>PLAN</td><td>1</td>"), "{page}");
}
