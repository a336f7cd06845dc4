//! Third-party clients run the vendor's sample flows against a real gateway: PHP (curl with the
//! vendor's `callRPC` helper, and `SoapClient`) and Python (requests + jsonrpcclient, and zeep in
//! strict mode, offline). `scripts/test.sh` installs them (Debian's php-cli, php-curl and
//! php-soap; a virtualenv named by `TCO_PYTHON`); without them these tests fail and say so,
//! unless `TCO_SKIP_EXTERNAL_CLIENTS=1` skips them knowingly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use tco_tests::{Backend, MERCHANT_A, TestGateway};
use tokio::process::Command;

fn skipped() -> bool {
    std::env::var("TCO_SKIP_EXTERNAL_CLIENTS").as_deref() == Ok("1")
}

fn client(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients").join(name).display().to_string()
}

fn python() -> String {
    std::env::var("TCO_PYTHON").unwrap_or_else(|_| {
        panic!("TCO_PYTHON is not set: run scripts/test.sh, which prepares a virtualenv with the clients")
    })
}

/// Runs a client program against `gateway` as merchant A and fails the test with its output if
/// it fails.
async fn run(gateway: &TestGateway, program: &str, script: &str) {
    let (code, secret) = MERCHANT_A;
    let rpc_url = format!("{}/rpc/6.0/", gateway.url());
    let env = [
        ("TCO_URL", gateway.url()),
        ("TCO_RPC_URL", rpc_url),
        ("TCO_MERCHANT_CODE", code.to_owned()),
        ("TCO_MERCHANT_SECRET", secret.to_owned()),
    ];
    run_with(program, script, &env).await;
}

/// Runs the client program `script` with `env`, fails the test with its output if it fails,
/// and returns what it printed.
async fn run_with(program: &str, script: &str, env: &[(&str, String)]) -> String {
    let output = Command::new(program)
        .arg(client(script))
        .envs(env.iter().map(|(name, value)| (name, value)))
        .output()
        .await
        .unwrap_or_else(|error| panic!("cannot run {program} (run scripts/test.sh to install it): {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_curl_runs_the_vendor_jsonrpc_flow() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, "php", "jsonrpc_flow.php").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_jsonrpcclient_runs_the_flow_and_a_batch() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, &python(), "jsonrpc_flow.py").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_soapclient_runs_the_vendor_soap_flow() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, "php", "soap_flow.php").await;
}

/// Issue 27: lists are PHP arrays for a default SoapClient, one element or many, SOAP 1.1 and 1.2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_soapclient_reads_every_list_as_a_php_array() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, "php", "soap_arrays.php").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_zeep_runs_the_soap_flow_strictly_offline() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, &python(), "soap_flow.py").await;
}

/// The README's PHP example (examples/php/soap.php), against a gateway serving the demo merchant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_php_soap_example_works() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start_with(Backend::Sqlite, |config| {
        config.merchants = tco_server::Config::default().merchants;
    })
    .await
    .unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let example = root.join("examples/php/soap.php");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for line in std::fs::read_to_string(&example).unwrap().lines().filter(|line| line.contains("$client")) {
        assert!(readme.contains(line.trim()), "README.md does not show the example line {line:?}");
    }
    let output = Command::new("php").arg(&example).env("TCO_URL", gateway.url()).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("created customer 1") && stdout.contains(r#"string(2) "us""#), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_zeep_reads_every_catalog_and_order_answer_strictly_offline() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    run(&gateway, &python(), "soap_catalog.py").await;
}

/// Runs one of the vendor's catalog samples (`tests/clients/seeds/`) as the demo merchant, after
/// the substitutions `tests/clients/seeds/README.md` lists, each of which must apply; returns
/// what it printed.
async fn run_seed_sample(gateway: &TestGateway, sample: &str, substitutions: &[(&str, &str)]) -> String {
    run_seed_samples(gateway, &[(sample, substitutions)]).await
}

/// Runs samples as one script, each after its substitutions (each must still apply).
async fn run_seed_samples(gateway: &TestGateway, samples: &[(&str, &[(&str, &str)])]) -> String {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/seeds");
    let directory = tempfile::tempdir().unwrap();
    for support in ["auth.php", "soap_auth.php", "set_partner.php", "Config.php", "vendor-autoload.php"] {
        std::fs::copy(seeds.join(support), directory.path().join(support)).unwrap();
    }
    let mut script = String::new();
    for (sample, substitutions) in samples {
        let mut text = std::fs::read_to_string(seeds.join(sample)).unwrap();
        for (from, to) in *substitutions {
            assert!(text.contains(from), "{sample} no longer contains {from:?}");
            text = text.replacen(from, to, 1);
        }
        script.push_str(&text);
    }
    let sample = samples[0].0;
    std::fs::write(directory.path().join(sample), script).unwrap();
    let output = Command::new("php")
        .arg(sample)
        .current_dir(directory.path())
        .env("TCO_URL", gateway.url())
        .env("TCO_MERCHANT_CODE", DEMO.0)
        .env("TCO_MERCHANT_SECRET", DEMO.1)
        .output()
        .await
        .unwrap_or_else(|error| panic!("cannot run php (run scripts/test.sh to install it): {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{sample}:\n{stdout}");
    assert!(output.status.success(), "{sample} failed:\n{stdout}\n{stderr}");
    assert!(
        !stdout.contains("Warning") && !stderr.contains("Warning"),
        "{sample} warned:\n{stdout}\n{stderr}"
    );
    stdout
}

const DEMO: (&str, &str) = ("TCODEMO", "tco-demo-secret");

/// The gateway with the demo merchant and its built-in demo data.
async fn demo_gateway() -> TestGateway {
    TestGateway::start_with(Backend::Sqlite, |config| {
        config.merchants.push(tco_core::Merchant::new(DEMO.0, DEMO.1));
    })
    .await
    .unwrap()
}

const AUTH: (&str, &str) = ("require ('PATH_TO_AUTH');", "require (__DIR__ . '/auth.php');");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_runs_the_vendor_catalog_samples() {
    use tco_client::{CatalogApi, Credentials, RestClient};
    if skipped() {
        return;
    }
    let gateway = demo_gateway().await;
    let api = RestClient::new(&gateway.url(), Credentials::new(DEMO.0, DEMO.1)).unwrap();

    let host = gateway.url().trim_start_matches("http://").to_owned();
    let printed = run_seed_sample(
        &gateway,
        "assign_product_group.php",
        &[
            AUTH,
            ("\"YOUR_PRODUCT_CODE\"", "\"my_product_code_1\""),
            ("\"YOUR_PRODUCT_GROUP_CODE\"", "\"DBA13A4268\""),
        ],
    )
    .await;
    assert!(printed.contains("bool(true)"), "{printed}");
    assert_eq!(
        api.product_by_code("my_product_code_1").await.unwrap().product_group_code.as_deref(),
        Some("DBA13A4268")
    );

    let printed = run_seed_sample(&gateway, "update_product_group.php", &[AUTH]).await;
    assert!(printed.contains("bool(true)"), "{printed}");
    let group = api.product_group("DBA13A4268").await.unwrap();
    assert_eq!((group.name.as_deref(), group.enabled), (Some("New Product Group from API"), Some(false)));

    let printed =
        run_seed_sample(&gateway, "get_available_currencies.php", &[("api.avangate.local:8081", &host)])
            .await;
    assert!(printed.contains(r#""Code":"RON","ISO3DigitCode":"946""#), "{printed}");

    let printed = run_seed_sample(
        &gateway,
        "set_product_upgrade_schema.php",
        &[
            (
                r#"require_once("/srv/www/app/live/htdocs/lib/api/v6.0/vendor/autoload.php");"#,
                r#"require_once(__DIR__ . "/vendor-autoload.php");"#,
            ),
            ("api.avangate.local:8081", &host),
            (r#"$merchantCode = "120000589445";"#, r#"$merchantCode = "TCODEMO";"#),
            (r#"$key = "i9u2+w8%s4^5#8%t)A8?";"#, r#"$key = "tco-demo-secret";"#),
        ],
    )
    .await;
    assert!(printed.contains("SetUpgradeSchema response:"), "{printed}");
    assert!(
        printed.contains("'PricingScheme' => 2") && printed.contains("'OptionPriceOperator' => 'SUBTRACT'"),
        "{printed}"
    );
    let schema = api.upgrade_schema("ADEV17962UPGRADE").await.unwrap().unwrap();
    assert_eq!(schema.allow_upgrade_from, ["ADEV17962UPOPT1", "ADEV17962UPOPT12"]);
}

/// The vendor's campaign and shipping samples as printed (seeds 002 and 004), against the demo
/// merchant: the upsell update (JSON-RPC), the cross-sell texts (SOAP), the shipping method search
/// and the shipping price (JSON-RPC). Each changes or reads what the demo data holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_runs_the_vendor_campaign_and_shipping_samples() {
    use tco_client::{CampaignsApi, Credentials, RestClient};
    if skipped() {
        return;
    }
    let gateway = demo_gateway().await;
    let api = RestClient::new(&gateway.url(), Credentials::new(DEMO.0, DEMO.1)).unwrap();

    run_seed_sample(
        &gateway,
        "update_upsell_campaign.php",
        &[
            AUTH,
            ("upsell campaign\u{2019};", "upsell campaign';"),
            (
                "$upsell = new \\stdClass();",
                "$productCode = 'my_subscription_1';\n$recProductCode = '74B8E17CC0';\n$upsell = new \\stdClass();",
            ),
            (
                "$upsellResponse = callRPC($jsonRpcRequest, $host);",
                "$upsellResponse = callRPC($jsonRpcRequest, $host);\necho json_encode($upsellResponse), \"\\n\";",
            ),
        ],
    )
    .await;
    let campaign = api.upsell_campaign("fc580e11-09e4-483f-b73e-cd0f460bcd9d").await.unwrap();
    assert_eq!(campaign.name.as_deref(), Some("December 2020 upsell campaign"));
    assert_eq!(
        (campaign.start_date.as_deref(), campaign.end_date.as_deref()),
        (Some("2020-12-21"), Some("2020-12-25"))
    );
    assert_eq!(campaign.status.as_deref(), Some("EXPIRED"));
    let text = &campaign.description[0];
    assert_eq!(text.language.as_deref(), Some("en"));
    assert!(text.text.as_deref().unwrap().starts_with("Buy <!--{RECOMMENDED_PRODUCT_NAME}--> for just"));
    let recommended = campaign.recommended_product.unwrap();
    assert_eq!((recommended.code.as_deref(), recommended.quantity), (Some("74B8E17CC0"), Some(0)));
    assert_eq!(recommended.price_options[0].options.len(), 2);

    let printed = run_seed_sample(
        &gateway,
        "add_cross_sell_texts.php",
        &[
            ("require ('PATH_TO_AUTH');", "require (__DIR__ . '/soap_auth.php');"),
            ("echo $e->getMessage();\n}", "echo $e->getMessage();\n}\nvar_dump($csCampaignTextResponse);"),
        ],
    )
    .await;
    assert!(printed.contains("Numele campaniei mele"), "{printed}");
    let english = api.cross_sell_text("EN").await.unwrap();
    assert_eq!(english.title.as_deref(), Some("My campaign name"));
    assert_eq!(
        api.cross_sell_text("ro").await.unwrap().description.as_deref(),
        Some("Descrierea campaniei mele")
    );

    let printed = run_seed_sample(&gateway, "search_shipping_methods.php", &[AUTH]).await;
    // One match: the active method named as the sample searches, delivering to the US.
    assert!(printed.contains("string(5) \"Code1\"") && !printed.contains("\"Code2\""), "{printed}");
    assert!(printed.contains("string(18) \"ShippingMethodName\""), "{printed}");

    let printed = run_seed_sample(
        &gateway,
        "get_shipping_price.php",
        &[
            AUTH,
            (
                "$getShippingPrice = callRPC($jsonRpcRequest, $host);",
                "$getShippingPrice = callRPC($jsonRpcRequest, $host);\necho json_encode($getShippingPrice), \"\\n\";",
            ),
        ],
    )
    .await;
    // Two boxes (3 kg, 40 USD) from the US to Australia: the standard method's 5 + 10 (Australia)
    // + 2 (under 5 kg); the express one's 15 + 15 (Australia) + 1 per unit.
    assert!(printed.contains(r#""Code":"Code1","TrackingURL""#), "{printed}");
    assert!(printed.contains(r#""Net":{"TotalAmount":17,"BasePrice":5,"OverweightAmount":0,"CountrySurcharge":10,"WeightSurcharge":2,"OrderSurcharge":0}"#), "{printed}");
    assert!(printed.contains(r#""Code":"Code2""#) && printed.contains(r#""TotalAmount":32"#), "{printed}");
    assert!(!printed.contains("Code3"), "{printed}");
}

/// The seed's 1-click purchase flow as printed, through PHP's JSON-RPC `callRPC` and through PHP's
/// `SoapClient`, against the demo merchant: the demo order 670174996 is valid, reads back, and pays
/// for a new order given only its e-mail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_runs_the_vendor_one_click_samples() {
    use tco_client::{Api, Credentials, OrdersApi, Reference, RestClient};
    if skipped() {
        return;
    }
    let gateway = demo_gateway().await;
    let api = RestClient::new(&gateway.url(), Credentials::new(DEMO.0, DEMO.1)).unwrap();
    let demo = api.order("670174996").await.unwrap();
    let buyer = Reference::Internal(demo.customer_reference.unwrap());
    let subscriptions_before = api.get_customer(&buyer).await.unwrap();

    let require = ("require('PATH_TO_AUTH');", "require(__DIR__ . '/auth.php');");
    let printed = run_seed_samples(
        &gateway,
        &[
            ("one_click_validate.php", &[require]),
            (
                "one_click_place.php",
                &[
                    ("<?php\nrequire('PATH_TO_AUTH');\n", ""),
                    ("= 'Partner123'\n", "= 'Partner123';\n"),
                    ("= 'MobilePlatform'\n", "= 'MobilePlatform';\n"),
                ],
            ),
        ],
    )
    .await;
    assert!(printed.contains("\"result\":true}"), "{printed}");
    assert!(
        printed.contains("\"AffiliateCode\":\"Partner123\",\"AffiliateSource\":\"MobilePlatform\""),
        "{printed}"
    );
    let placed = printed.rsplit("\"result\":").next().unwrap();
    assert!(placed.starts_with("{\"RefNo\":\"7"), "{printed}");
    assert!(
        placed.contains("\"Status\":\"AUTHRECEIVED\"") && placed.contains("\"City\":\"Atlanta\""),
        "{printed}"
    );
    let rpc_ref_no = placed[10..19].to_owned();

    let printed = run_seed_sample(&gateway, "one_click_soap.php", &[]).await;
    assert!(printed.starts_with("bool(true)"), "{printed}");
    let line = printed.lines().find(|line| line.starts_with("placeOrder: ")).unwrap();
    let soap_ref_no = line.split(' ').nth(1).unwrap().to_owned();
    assert!(line.ends_with(" AUTHRECEIVED Atlanta"), "{printed}");
    assert!(printed.contains("[\"SubscriptionReference\"]=>"), "{printed}");

    // Both new orders copied the demo order's buyer and card, and made a subscription each.
    for ref_no in [rpc_ref_no, soap_ref_no] {
        let order = api.order(&ref_no).await.unwrap();
        assert_eq!(order.billing_details, demo.billing_details, "{ref_no}");
        assert_eq!(order.customer_reference, demo.customer_reference);
        let method = order.payment_details.unwrap().payment_method.unwrap();
        assert_eq!(
            (method.last_digits.as_deref(), method.ref_no.as_deref()),
            (Some("1111"), Some("670174996"))
        );
        assert_eq!(order.items[0].product_details.as_ref().unwrap().subscriptions.len(), 1);
    }
    assert_eq!(api.get_customer(&buyer).await.unwrap().existing_cards, subscriptions_before.existing_cards);
}

/// The 1-click renewal end to end in a real headless browser (Debian's Chromium through
/// chromedriver, driven by Selenium): an order creates a subscription (automatic renewal turned
/// off), the test clock takes it past its expiration, `getRenewalDetails` gives the link and `getSingleSignOnInCart` signs it;
/// the browser renews with the stored card, and reusing the link is refused. The API then shows
/// the renewal order and the subscription a month longer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_renews_a_subscription_in_the_hosted_cart() {
    use chrono::Duration;
    use tco_client::{Api, Credentials, OrdersApi, Reference, RestClient, SignOn, SubscriptionsApi};
    if skipped() {
        return;
    }
    let gateway = crate::subscriptions::subscription_gateway(Backend::Sqlite).await.unwrap();
    let api = RestClient::new(&gateway.url(), Credentials::new(MERCHANT_A.0, MERCHANT_A.1)).unwrap();
    let (order, reference) = crate::subscriptions::bought(&api, "browser@example.com", "US").await;
    // Renewed by hand: automatic renewal off (else the gateway's clock renews it at its expiration).
    assert!(api.disable_recurring_billing(&reference, &[], None).await.unwrap());
    let before = api.subscription(&reference).await.unwrap();
    gateway.clock.as_ref().unwrap().advance(Duration::days(32));
    let link = api.renewal_details(&reference).await.unwrap().manual_renewal_link.unwrap();
    let buyer = Reference::Internal(order.customer_reference.unwrap());
    let url = api
        .sign_on_in_cart(&buyer, &SignOn { url: link, validity_secs: Some(300), ..SignOn::default() })
        .await
        .unwrap();

    let stdout = run_with(
        &python(),
        "renewal_browser.py",
        &[("TCO_CART_URL", url.to_owned()), ("TCO_SUBSCRIPTION", reference.to_owned())],
    )
    .await;
    let ref_no = stdout.lines().find_map(|line| line.strip_prefix("ORDER ")).unwrap().trim().to_owned();

    let renewal = api.order(&ref_no).await.unwrap();
    assert_eq!(renewal.subscription_references(), [reference.as_str()]);
    assert_eq!(renewal.payment_details.unwrap().payment_method.unwrap().last_digits.as_deref(), Some("1111"));
    let renewed = api.subscription(&reference).await.unwrap();
    assert_eq!(renewed.status.as_deref(), Some("ACTIVE"));
    assert!(renewed.expiration_date > before.expiration_date, "{renewed:?}");
    assert_eq!(renewed.latest_subscription_order.unwrap().ref_no, Some(ref_no));
}

/// The vendor's Channel Manager samples as printed (seeds 002 and 004) through `SoapClient`,
/// after the documented setPartner, against the demo merchant: the partner single sign-on URL
/// opens the gateway's page once; the product price is the one the demo data gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_runs_the_vendor_channel_manager_samples() {
    if skipped() {
        return;
    }
    let gateway = demo_gateway().await;
    let auth = [
        (
            "require('PATH_TO_AUTH'); // Authentication example: https://knowledgecenter.2checkout.com/",
            "require(__DIR__ . '/soap_auth.php'); // Authentication example: https://knowledgecenter.2checkout.com/",
        ),
        ("require('PATH_TO_setPartner');", "require(__DIR__ . '/set_partner.php');"),
    ];
    let printed = run_seed_sample(
        &gateway,
        "get_partner_single_sign_on.php",
        &[
            auth[0],
            auth[1],
            ("'YOUR_PARTNER_EMAIL'", "'partner@example.com'"),
            ("'YOUR_PARTNER_CODE'", "'Partner123'"),
            ("'YOUR_ACCESS_PAGE_URL'", "'https://secure.2checkout.com/partners/'"),
            ("VALIDITY_TIME;", "30;"),
            ("'VALIDATION_IP_ADDRESS'", "''"),
        ],
    )
    .await;
    let url = printed
        .split('"')
        .find(|part| part.contains("/partners/sso.php?merchant=TCODEMO&logintoken="))
        .unwrap_or_else(|| panic!("no SSO URL in {printed}"));
    let page = reqwest::get(url).await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("partner@example.com") && page.contains("Partner123"), "{page}");
    assert_eq!(reqwest::get(url).await.unwrap().status().as_u16(), 403, "the link opens once");

    let printed = run_seed_sample(
        &gateway,
        "get_product_price.php",
        &[
            (
                "require('PATH_TO_AUTH'); // Authentication example: https://knowledgecenter.avangate.com/",
                "require(__DIR__ . '/soap_auth.php'); // Authentication example: https://knowledgecenter.avangate.com/",
            ),
            auth[1],
            ("'YOUR_PRODUCT_ID'", "'cm_reseller_pack'"),
            ("'YOUR_PRICING_LIST_CODE'", "'PL_DEFAULT'"),
            ("exit;\n}\n", "exit;\n}\nvar_dump($ProdPrice);\n"),
        ],
    )
    .await;
    // 100 USD + 20 (Pricing_options_group_code1) + 10 % (…code2) = 130; Partner123's list keeps 20 %
    // (26) and its country, Germany, charges 19 % on the 104 left.
    for expected in ["\"USD\"", "104", "26", "19.76"] {
        assert!(printed.contains(expected), "{expected} not in {printed}");
    }
}

/// The cart signature service against an independent Python implementation of the documented
/// algorithm, with PyJWT's tokens and hand-built ones as the SDKs send them (string `iat`/`exp`),
/// and every refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_checks_the_cart_signature_service() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start_with(Backend::Sqlite, |config| {
        config
            .merchants
            .push(tco_core::Merchant::new(DEMO.0, DEMO.1).with_buy_link_secret("word-of-the-demo"));
    })
    .await
    .unwrap();
    run_with(
        &python(),
        "signature_service.py",
        &[
            ("TCO_URL", gateway.url()),
            ("TCO_MERCHANT_CODE", DEMO.0.to_owned()),
            ("TCO_SECRET_WORD", "word-of-the-demo".to_owned()),
            ("TCO_OTHER_MERCHANT", MERCHANT_A.0.to_owned()),
        ],
    )
    .await;
}

/// An injected `INVALID_SESSION` reaches PHP's `SoapClient` as a `SoapFault` with that code, for
/// exactly the calls it was injected into.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_soapclient_meets_an_injected_fault() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    let fault = serde_json::json!({"operation": "searchCustomers", "protocol": "soap", "error": "INVALID_SESSION", "times": 2});
    let (status, _) =
        crate::admin::admin(&gateway, reqwest::Method::POST, "/_admin/faults", Some(fault)).await;
    assert_eq!(status, 201);
    run(&gateway, "php", "injected_fault.php").await;
}

/// `/metrics` parses with the Prometheus project's parser and counts the calls made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_prometheus_client_parses_the_metrics() {
    if skipped() {
        return;
    }
    let gateway = TestGateway::start(Backend::Sqlite).await.unwrap();
    let rpc = gateway.rpc();
    let session = rpc.login(MERCHANT_A).await;
    for _ in 0..5 {
        rpc.call("searchCustomers", serde_json::json!([session])).await;
    }
    gateway.soap().login(MERCHANT_A).await;
    run_with(
        &python(),
        "metrics_scrape.py",
        &[("TCO_URL", gateway.url()), ("TCO_EXPECTED_SEARCHES", "5".to_owned())],
    )
    .await;
}

/// The dashboard in a real headless browser: a SOAP and a REST call show up live in the journal
/// and the chart, an entry opens, the state browser leads to the customer created, every view fits
/// the window, a subscription's timeline follows the clock, and a reset makes the customer go.
/// Saves the screenshots `docs/dashboard*.png` show (under `target/`; copy them there to update
/// the docs).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_watches_the_dashboard() {
    if skipped() {
        return;
    }
    let gateway = demo_gateway().await;
    let screenshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/dashboard.png");
    run_with(
        &python(),
        "dashboard_browser.py",
        &[
            ("TCO_URL", gateway.url()),
            ("TCO_MERCHANT_CODE", DEMO.0.to_owned()),
            ("TCO_MERCHANT_SECRET", DEMO.1.to_owned()),
            ("TCO_SCREENSHOT", screenshot.display().to_string()),
        ],
    )
    .await;
}
