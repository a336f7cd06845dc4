//! The catalog over REST, JSON-RPC and SOAP (one scenario body each, on SQLite and PostgreSQL):
//! product groups, price option groups, products, currencies and upgrade schemas — round trips,
//! the errors bad input gets, and that a refused call changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use tco_client::{
    Api, CatalogApi, ClientError, CurrencyAmount, PageRequest, Price, PriceImpact, PriceOption,
    PriceOptionAssignment, PriceOptionGroup, Prices, PricingConfiguration, Product, ProductGroup,
    ProductSearchOptions, Protocol, SubscriptionInformation, UpgradeSchema, UpgradeSettings,
};
use tco_tests::parity_test;

fn amount(text: &str) -> rust_decimal::Decimal {
    text.parse().unwrap()
}

#[track_caller]
pub(crate) fn assert_code<T: std::fmt::Debug>(result: Result<T, ClientError>, code: &str) {
    match result {
        Err(error) => assert_eq!(error.code(), Some(code), "{error}"),
        Ok(value) => panic!("expected {code}, got {value:?}"),
    }
}

/// An interval group of users: 1–5 and 6–10, the second adding 10 USD or 9 EUR.
pub(crate) fn users_group(code: &str) -> PriceOptionGroup {
    PriceOptionGroup {
        name: Some("Users".into()),
        description: Some("How many people use it".into()),
        code: Some(code.into()),
        kind: Some("interval".into()),
        required: Some(true),
        options: vec![
            PriceOption {
                name: Some("1-5".into()),
                code: Some("U5".into()),
                scale_min: Some(1),
                scale_max: Some(5),
                default: Some(true),
                ..Default::default()
            },
            PriceOption {
                name: Some("6-10".into()),
                code: Some("U10".into()),
                scale_min: Some(6),
                scale_max: Some(10),
                price_impact: Some(PriceImpact {
                    impact: Some("ADD".into()),
                    method: Some("FIXED".into()),
                    amounts: vec![
                        CurrencyAmount { currency: Some("USD".into()), amount: Some(amount("10")) },
                        CurrencyAmount { currency: Some("EUR".into()), amount: Some(amount("9.5")) },
                    ],
                    ..Default::default()
                }),
                ..Default::default()
            },
        ],
    }
}

/// A monthly subscription at 49.99 USD / 44.99 EUR, offering `options` when given.
pub(crate) fn sample_product(code: &str, options: Option<&str>) -> Product {
    Product {
        product_code: Some(code.into()),
        product_name: Some(format!("Plan {code}")),
        product_version: Some("1.0".into()),
        subscription_information: Some(SubscriptionInformation {
            billing_cycle: Some(1),
            billing_cycle_units: Some("M".into()),
            ..Default::default()
        }),
        pricing_configurations: vec![PricingConfiguration {
            name: Some("Standard".into()),
            default_currency: Some("USD".into()),
            prices: Some(Prices {
                regular: vec![
                    Price {
                        amount: Some(amount("49.99")),
                        currency: Some("USD".into()),
                        ..Default::default()
                    },
                    Price {
                        amount: Some(amount("44.99")),
                        currency: Some("eur".into()),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            }),
            price_options: options
                .map(|code| vec![PriceOptionAssignment { code: Some(code.into()), required: Some(true) }])
                .unwrap_or_default(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

async fn group_code(api: &Arc<dyn Api>, name: &str) -> String {
    let groups = api.product_groups().await.unwrap();
    groups.into_iter().find(|group| group.name.as_deref() == Some(name)).and_then(|group| group.code).unwrap()
}

parity_test!(product_groups, |gateway, api| {
    let _ = &gateway;
    assert!(api.product_groups().await.unwrap().is_empty());
    let tools = ProductGroup {
        name: Some("Tools".into()),
        code: Some("IGNORED".into()),
        description: Some("Hand tools".into()),
        ..Default::default()
    };
    api.add_product_group(&tools).await.unwrap();
    let code = group_code(&api, "Tools").await;
    assert!(
        code.len() == 10 && code.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()),
        "{code}"
    );
    let stored = api.product_group(&code).await.unwrap();
    assert_eq!(
        stored,
        ProductGroup {
            name: Some("Tools".into()),
            code: Some(code.clone()),
            template_name: Some("Default Template".into()),
            description: Some("Hand tools".into()),
            enabled: Some(true),
        }
    );

    // Refused: a name taken (any case), an unknown template, no name; nothing changes.
    assert_code(
        api.add_product_group(&ProductGroup { name: Some("TOOLS".into()), ..Default::default() }).await,
        "DUPLICATE_PRODUCT_GROUP_NAME",
    );
    let odd_template =
        ProductGroup { name: Some("Other".into()), template_name: Some("Nope".into()), ..Default::default() };
    assert_code(api.add_product_group(&odd_template).await, "INVALID_FIELD");
    assert_code(api.add_product_group(&ProductGroup::default()).await, "MISSING_REQUIRED_FIELD");
    assert_eq!(api.product_groups().await.unwrap(), vec![stored.clone()]);

    api.add_product_group(&ProductGroup { name: Some("Apps".into()), ..Default::default() }).await.unwrap();
    let updated = ProductGroup { name: Some("Power tools".into()), enabled: Some(false), ..stored.clone() };
    api.update_product_group(&updated).await.unwrap();
    let names: Vec<_> = api.product_groups().await.unwrap().into_iter().map(|g| g.name.unwrap()).collect();
    assert_eq!(names, ["Apps", "Power tools"]);
    assert_eq!(api.product_group(&code).await.unwrap().enabled, Some(false));
    let clash = ProductGroup { name: Some("apps".into()), ..updated.clone() };
    assert_code(api.update_product_group(&clash).await, "DUPLICATE_PRODUCT_GROUP_NAME");
    let unknown = ProductGroup { code: Some("0000000000".into()), ..updated };
    assert_code(api.update_product_group(&unknown).await, "PRODUCT_GROUP_NOT_FOUND");
    assert_code(api.product_group("0000000000").await, "PRODUCT_GROUP_NOT_FOUND");
    assert_eq!(api.product_group(&code).await.unwrap().name.as_deref(), Some("Power tools"));
});

parity_test!(products_and_price_options, |gateway, api| {
    let _ = &gateway;
    api.add_price_option_group(&users_group("USERS")).await.unwrap();
    let stored_users = api.price_option_group("USERS").await.unwrap();
    let mut expected_users = users_group("USERS");
    expected_users.kind = Some("INTERVAL".into());
    expected_users.options[1].default = Some(false);
    expected_users.options[1].price_impact.as_mut().unwrap().percent = None;
    assert_eq!(stored_users, expected_users);
    assert_code(api.add_price_option_group(&users_group("USERS")).await, "DUPLICATE_PRICE_OPTION_GROUP_CODE");
    let mut overlapping = users_group("OVER");
    overlapping.options[1].scale_min = Some(5);
    assert_code(api.add_price_option_group(&overlapping).await, "INVALID_FIELD");
    assert_code(api.price_option_group("OVER").await, "PRICE_OPTION_GROUP_NOT_FOUND");

    api.add_product_group(&ProductGroup { name: Some("Plans".into()), ..Default::default() }).await.unwrap();
    let group = group_code(&api, "Plans").await;
    let mut plan = sample_product("PLAN1", Some("USERS"));
    plan.product_group_code = Some(group.clone());
    api.add_product(&plan).await.unwrap();
    let stored = api.product_by_code("PLAN1").await.unwrap();
    let id = stored.avangate_id.clone().unwrap();
    assert!(id.parse::<i64>().unwrap() > 4_600_000);
    assert_eq!(stored.group_name.as_deref(), Some("Plans"));
    assert_eq!(stored.product_type.as_deref(), Some("REGULAR"));
    assert_eq!(stored.enabled, Some(true));
    let configuration = &stored.pricing_configurations[0];
    assert_eq!(configuration.default, Some(true));
    assert_eq!(configuration.code.as_ref().map(String::len), Some(10));
    let prices = &configuration.prices.as_ref().unwrap().regular;
    assert_eq!(prices[0].amount, Some(amount("49.99")));
    assert_eq!(prices[1].currency.as_deref(), Some("EUR"));
    assert_eq!(stored.subscription_information.as_ref().unwrap().billing_cycle_units.as_deref(), Some("M"));
    if api.protocol() == Protocol::Rest {
        assert!(matches!(api.product_by_id(&id).await, Err(ClientError::Unsupported(_))));
    } else {
        assert_eq!(api.product_by_id(&id).await.unwrap(), stored);
        assert_code(api.product_by_id("1").await, "PRODUCT_NOT_FOUND");
    }
    assert_eq!(api.assigned_price_option_groups("PLAN1").await.unwrap(), vec![stored_users]);

    // Refused: a code taken, an unknown option group or product group, a currency the merchant
    // does not sell in, an unknown type; none of them stores anything.
    assert_code(api.add_product(&sample_product("PLAN1", None)).await, "DUPLICATE_PRODUCT_CODE");
    assert_code(
        api.add_product(&sample_product("PLAN2", Some("NONE"))).await,
        "PRICE_OPTION_GROUP_NOT_FOUND",
    );
    let mut orphan = sample_product("PLAN2", None);
    orphan.product_group_code = Some("0000000000".into());
    assert_code(api.add_product(&orphan).await, "PRODUCT_GROUP_NOT_FOUND");
    let mut yen = sample_product("PLAN2", None);
    yen.pricing_configurations[0].prices.as_mut().unwrap().regular[0].currency = Some("JPY".into());
    assert_code(api.add_product(&yen).await, "INVALID_FIELD");
    let mut service = sample_product("PLAN2", None);
    service.product_type = Some("SERVICE".into());
    assert_code(api.add_product(&service).await, "INVALID_FIELD");
    assert_code(
        api.add_product(&Product { product_code: Some("PLAN2".into()), ..Default::default() }).await,
        "MISSING_REQUIRED_FIELD",
    );
    assert_code(api.product_by_code("PLAN2").await, "PRODUCT_NOT_FOUND");

    // Update replaces; the configuration keeps its code when sent back.
    let mut changed = stored.clone();
    changed.product_name = Some("Plan one, renamed".into());
    changed.pricing_configurations[0].prices.as_mut().unwrap().regular[0].amount = Some(amount("39.5"));
    api.update_product(&changed).await.unwrap();
    let read = api.product_by_code("PLAN1").await.unwrap();
    assert_eq!(read.product_name.as_deref(), Some("Plan one, renamed"));
    assert_eq!(read.pricing_configurations[0].code, configuration.code);
    assert_eq!(
        read.pricing_configurations[0].prices.as_ref().unwrap().regular[0].amount,
        Some(amount("39.5"))
    );
    let mut bundle = read.clone();
    bundle.product_type = Some("BUNDLE".into());
    assert_code(api.update_product(&bundle).await, "INVALID_FIELD");
    assert_code(api.update_product(&sample_product("NOPE", None)).await, "PRODUCT_NOT_FOUND");

    // Search and assignment.
    for index in 2..=5 {
        let mut product = sample_product(&format!("PLAN{index}"), None);
        product.enabled = Some(index != 3);
        api.add_product(&product).await.unwrap();
    }
    let search = |options: ProductSearchOptions| {
        let api = api.clone();
        async move { api.search_products(&options).await.unwrap() }
    };
    let all = search(ProductSearchOptions::default()).await;
    assert_eq!(all.pagination.count, 5);
    assert_eq!(all.items[0].product_code.as_deref(), Some("PLAN1"));
    assert_eq!(
        search(ProductSearchOptions { enabled: Some(false), ..Default::default() }).await.pagination.count,
        1
    );
    assert_eq!(
        search(ProductSearchOptions { name: Some("RENAMED".into()), ..Default::default() }).await.items.len(),
        1
    );
    assert_eq!(
        search(ProductSearchOptions { group_name: Some("plans".into()), ..Default::default() })
            .await
            .pagination
            .count,
        1
    );
    let codes = ProductSearchOptions { codes: vec!["PLAN4".into(), "PLAN2".into()], ..Default::default() };
    assert_eq!(search(codes).await.pagination.count, 2);
    let paged = search(ProductSearchOptions {
        pagination: Some(PageRequest { page: 2, limit: 2 }),
        ..Default::default()
    })
    .await;
    assert_eq!((paged.items.len(), paged.pagination.page, paged.pagination.count), (2, 2, 5));
    let bad_page =
        ProductSearchOptions { pagination: Some(PageRequest { page: 1, limit: 500 }), ..Default::default() };
    assert_code(api.search_products(&bad_page).await, "INVALID_FIELD");
    api.assign_product_group("PLAN2", &group).await.unwrap();
    assert_eq!(
        search(ProductSearchOptions { group_name: Some("Plans".into()), ..Default::default() })
            .await
            .pagination
            .count,
        2
    );
    assert_code(api.assign_product_group("NONE", &group).await, "PRODUCT_NOT_FOUND");
    assert_code(api.assign_product_group("PLAN2", "0000000000").await, "PRODUCT_GROUP_NOT_FOUND");
});

parity_test!(currencies, |gateway, api| {
    let _ = &gateway;
    let codes = |currencies: Vec<tco_client::Currency>| -> Vec<String> {
        currencies.into_iter().map(|currency| currency.code.unwrap()).collect()
    };
    let all = api.available_currencies(None, None).await.unwrap();
    assert_eq!(all[0].iso3_digit_code.as_deref(), Some("840"));
    assert_eq!(all[0].decimals.as_deref(), Some("2"));
    assert_eq!(codes(all), ["USD", "EUR", "GBP"]);
    assert_eq!(codes(api.available_currencies(Some("ro"), Some("CC")).await.unwrap()), ["USD", "EUR", "GBP"]);
    assert!(api.available_currencies(Some("ro"), Some("WIRE")).await.unwrap().is_empty());
    assert_code(api.available_currencies(Some("ro"), None).await, "MISSING_REQUIRED_FIELD");
    assert_code(api.available_currencies(None, Some("CC")).await, "MISSING_REQUIRED_FIELD");
    assert_code(api.available_currencies(Some("XX"), Some("CC")).await, "INVALID_FIELD");
});

parity_test!(upgrade_schemas, |gateway, api| {
    let _ = &gateway;
    for code in ["TARGET", "FROM1", "FROM2"] {
        api.add_product(&sample_product(code, None)).await.unwrap();
    }
    assert_eq!(api.upgrade_schema("TARGET").await.unwrap(), None);
    let schema = UpgradeSchema {
        upgrade_settings: Some(UpgradeSettings {
            pricing_scheme: Some(2),
            option_price_operator: Some("SUBSTRACT".into()),
            option_price_percentage: Some(2),
            subscription_upgrade_type: Some(2),
            use_product_catalog_pricing: Some(true),
            prorate_ignore_grace_period: Some(false),
        }),
        allow_upgrade_from: vec!["FROM1".into(), "FROM2".into()],
    };
    let stored = api.set_upgrade_schema("TARGET", &schema).await.unwrap();
    let mut expected = schema.clone();
    expected.upgrade_settings.as_mut().unwrap().option_price_operator = Some("SUBTRACT".into());
    assert_eq!(stored, expected);
    assert_eq!(api.upgrade_schema("TARGET").await.unwrap(), Some(expected.clone()));

    let with = |change: fn(&mut UpgradeSchema)| {
        let mut changed = schema.clone();
        change(&mut changed);
        changed
    };
    let invalid_scheme = with(|s| s.upgrade_settings.as_mut().unwrap().pricing_scheme = Some(5));
    assert_code(api.set_upgrade_schema("TARGET", &invalid_scheme).await, "INVALID_FIELD");
    let invalid_type = with(|s| s.upgrade_settings.as_mut().unwrap().subscription_upgrade_type = Some(8));
    assert_code(api.set_upgrade_schema("TARGET", &invalid_type).await, "INVALID_FIELD");
    let unknown_from = with(|s| s.allow_upgrade_from = vec!["NOPE".into()]);
    assert_code(api.set_upgrade_schema("TARGET", &unknown_from).await, "INVALID_FIELD");
    let no_scheme = with(|s| s.upgrade_settings.as_mut().unwrap().pricing_scheme = None);
    assert_code(api.set_upgrade_schema("TARGET", &no_scheme).await, "MISSING_REQUIRED_FIELD");
    assert_code(api.set_upgrade_schema("NOPE", &schema).await, "PRODUCT_NOT_FOUND");
    assert_code(api.upgrade_schema("NOPE").await, "PRODUCT_NOT_FOUND");
    assert_eq!(api.upgrade_schema("TARGET").await.unwrap(), Some(expected));
});
