//! The store contract, run against SQLite and PostgreSQL alike.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use tco_core::{
    Amount, Card, CatalogStore, Credit, CustomerFields, CustomerStatus, CustomerStore, CycleUnit, Impact,
    ImpactMethod, OptionGroupType, Price, PriceImpact, PriceOption, PriceOptionGroup, PriceOptionUse,
    PriceType, PricingConfiguration, PricingSchema, ProductFields, ProductGroup, ProductKey, ProductQuery,
    ProductType, Recurrence, SearchInput, SearchQuery, SessionRecord, SessionStore, SsoGrant, StoreError,
    Unique, UpgradeSchema,
};
use tco_store::{DatabaseLocation, SqlStore, testing};

/// Runs each test body once on a fresh SQLite file and once on a fresh PostgreSQL schema.
macro_rules! store_test {
    ($name:ident, |$store:ident| $body:block) => {
        mod $name {
            use super::*;

            async fn body($store: Arc<SqlStore>) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let directory = tempfile::tempdir().unwrap();
                let store = SqlStore::connect(&testing::sqlite_location(directory.path()), 8).await.unwrap();
                body(Arc::new(store)).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(location) = testing::fresh_postgres_location().await.unwrap() else { return };
                let store = SqlStore::connect(&location, 8).await.unwrap();
                body(Arc::new(store)).await;
            }
        }
    };
}

fn fields(external: Option<&str>) -> CustomerFields {
    CustomerFields {
        external_reference: external.map(str::to_owned),
        first_name: "John".into(),
        last_name: "Doe".into(),
        company: Some("ACME".into()),
        fiscal_code: None,
        address1: "Street 1".into(),
        address2: None,
        city: "Bucharest".into(),
        state: None,
        zip: "010101".into(),
        country_code: "ro".into(),
        phone: Some("+40 700 000 000".into()),
        fax: None,
        email: "John@Example.com".into(),
        language: Some("ro".into()),
        credit: Some(Credit { limit: 51.0, remaining: 21.5, currency: "EUR".into() }),
    }
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap()
}

fn card(token: &str) -> Card {
    Card {
        card_type: "visa".into(),
        last_digits: "1111".into(),
        expiration_month: "12".into(),
        expiration_year: "2030".into(),
        name_on_card: "John Doe".into(),
        transient_token: Some(token.into()),
    }
}

store_test!(customers_round_trip, |store| {
    let status = CustomerStatus { enabled: true, trial: false };
    let reference = store.insert_customer("M", &fields(Some("EXT")), status, &[], now()).await.unwrap();
    assert!(reference > 100_000_000);
    let found = store.find_customer("M", reference).await.unwrap().unwrap();
    assert_eq!(found.fields, fields(Some("EXT")));
    assert!(found.enabled && !found.trial);
    assert_eq!(store.find_customer_by_external("M", "EXT").await.unwrap().unwrap(), found);

    let mut changed = fields(None);
    changed.city = "Cluj".into();
    changed.credit = None;
    assert!(store.update_customer("M", reference, &changed, true, now()).await.unwrap());
    let found = store.find_customer("M", reference).await.unwrap().unwrap();
    assert_eq!(found.fields, changed);
    assert!(store.find_customer_by_external("M", "EXT").await.unwrap().is_none());
    assert!(!store.update_customer("M", reference + 1000, &changed, false, now()).await.unwrap());
});

store_test!(references_are_unique_and_increasing, |store| {
    let first =
        store.insert_customer("A", &fields(None), CustomerStatus::default(), &[], now()).await.unwrap();
    let second =
        store.insert_customer("B", &fields(None), CustomerStatus::default(), &[], now()).await.unwrap();
    assert!(second > first);
});

store_test!(merchants_are_isolated, |store| {
    let reference = store
        .insert_customer("A", &fields(Some("EXT")), CustomerStatus::default(), &[card("tok-a")], now())
        .await
        .unwrap();
    assert!(store.find_customer("B", reference).await.unwrap().is_none());
    assert!(store.find_customer_by_external("B", "EXT").await.unwrap().is_none());
    assert!(store.cards("B", reference).await.unwrap().is_empty());
    assert!(!store.delete_card("B", reference, "tok-a").await.unwrap());
    assert!(!store.update_customer("B", reference, &fields(None), false, now()).await.unwrap());
    let query = SearchQuery::try_from(SearchInput::default()).unwrap();
    assert_eq!(store.search_customers("B", &query).await.unwrap().1, 0);
    // The same external reference is free for another merchant.
    store.insert_customer("B", &fields(Some("EXT")), CustomerStatus::default(), &[], now()).await.unwrap();
    assert_eq!(store.cards("A", reference).await.unwrap().len(), 1);
});

store_test!(external_reference_is_unique_per_merchant, |store| {
    store.insert_customer("M", &fields(Some("EXT")), CustomerStatus::default(), &[], now()).await.unwrap();
    let duplicate =
        store.insert_customer("M", &fields(Some("EXT")), CustomerStatus::default(), &[], now()).await;
    assert_eq!(duplicate.unwrap_err(), StoreError::Duplicate(Unique::ExternalReference));
    // Many customers may have none.
    store.insert_customer("M", &fields(None), CustomerStatus::default(), &[], now()).await.unwrap();
    let other =
        store.insert_customer("M", &fields(None), CustomerStatus::default(), &[], now()).await.unwrap();
    let taken = store.update_customer("M", other, &fields(Some("EXT")), false, now()).await;
    assert_eq!(taken.unwrap_err(), StoreError::Duplicate(Unique::ExternalReference));
    let query = SearchQuery::try_from(SearchInput::default()).unwrap();
    assert_eq!(store.search_customers("M", &query).await.unwrap().1, 3);
});

store_test!(concurrent_duplicates_have_one_winner, |store| {
    let attempts = (0..20).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            store.insert_customer("M", &fields(Some("SAME")), CustomerStatus::default(), &[], now()).await
        })
    });
    let mut winners = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => winners += 1,
            Err(error) => assert_eq!(error, StoreError::Duplicate(Unique::ExternalReference)),
        }
    }
    assert_eq!(winners, 1);
});

// Concurrent writes share transactions on SQLite: a failing one must fail alone.
store_test!(a_failing_write_never_fails_its_neighbours, |store| {
    store.insert_customer("M", &fields(Some("TAKEN")), CustomerStatus::default(), &[], now()).await.unwrap();
    let attempts: Vec<_> = (0..40)
        .map(|index| {
            let store = store.clone();
            let external = if index % 2 == 0 { "TAKEN".to_owned() } else { format!("FREE-{index}") };
            tokio::spawn(async move {
                let created = store
                    .insert_customer(
                        "M",
                        &fields(Some(&external)),
                        CustomerStatus::default(),
                        &[card(&external)],
                        now(),
                    )
                    .await;
                (external, created)
            })
        })
        .collect();
    for attempt in attempts {
        let (external, created) = attempt.await.unwrap();
        if external == "TAKEN" {
            assert_eq!(created.unwrap_err(), StoreError::Duplicate(Unique::ExternalReference));
        } else {
            let reference = created.unwrap();
            let found = store.find_customer_by_external("M", &external).await.unwrap().unwrap();
            assert_eq!(found.reference, reference);
            assert_eq!(store.cards("M", reference).await.unwrap().len(), 1);
        }
    }
    let query = SearchQuery::try_from(SearchInput::default()).unwrap();
    assert_eq!(store.search_customers("M", &query).await.unwrap().1, 21);
});

store_test!(search_filters_and_pages, |store| {
    for index in 0..12_i64 {
        let mut customer = fields(Some(&format!("C{index}")));
        customer.email =
            if index % 3 == 0 { "Three@Example.com".into() } else { format!("c{index}@example.com") };
        customer.country_code = if index < 10 { "us".into() } else { "ro".into() };
        customer.language = (index % 2 == 0).then(|| "en".to_owned());
        let status = CustomerStatus { enabled: index % 4 == 0, trial: index == 5 };
        store.insert_customer("M", &customer, status, &[], now()).await.unwrap();
    }
    let search = |input: SearchInput| {
        let store = store.clone();
        async move {
            let query = SearchQuery::try_from(input).unwrap();
            store.search_customers("M", &query).await.unwrap()
        }
    };
    assert_eq!(
        search(SearchInput { email: Some("THREE@example.com".into()), ..Default::default() }).await.1,
        4
    );
    assert_eq!(search(SearchInput { country_code: Some("RO".into()), ..Default::default() }).await.1, 2);
    assert_eq!(search(SearchInput { language: Some("en".into()), ..Default::default() }).await.1, 6);
    assert_eq!(search(SearchInput { trial: Some(true), ..Default::default() }).await.1, 1);
    assert_eq!(search(SearchInput { status: Some("ACTIVE".into()), ..Default::default() }).await.1, 3);
    assert_eq!(search(SearchInput { status: Some("INACTIVE".into()), ..Default::default() }).await.1, 9);
    assert_eq!(
        search(SearchInput { phone: Some("+40 700 000 000".into()), ..Default::default() }).await.1,
        12
    );
    let (page, count) = search(SearchInput { page: Some(3), limit: Some(5), ..Default::default() }).await;
    assert_eq!((page.len(), count), (2, 12));
    let (first, _) = search(SearchInput { limit: Some(12), ..Default::default() }).await;
    assert!(first.windows(2).all(|pair| pair[0].reference < pair[1].reference));
    assert_eq!(first[0].fields.external_reference.as_deref(), Some("C0"));
});

store_test!(cards_keep_order_and_delete_once, |store| {
    let reference = store
        .insert_customer("M", &fields(None), CustomerStatus::default(), &[card("t1"), card("t2")], now())
        .await
        .unwrap();
    let tokens: Vec<_> =
        store.cards("M", reference).await.unwrap().into_iter().map(|c| c.transient_token.unwrap()).collect();
    assert_eq!(tokens, ["t1", "t2"]);
    assert!(store.delete_card("M", reference, "t1").await.unwrap());
    assert!(!store.delete_card("M", reference, "t1").await.unwrap());
    assert_eq!(store.cards("M", reference).await.unwrap().len(), 1);
});

store_test!(sessions_round_trip_and_purge, |store| {
    let session = SessionRecord {
        digest: "d1".into(),
        merchant_code: "M".into(),
        created_at: now(),
        expires_at: now() + Duration::minutes(10),
    };
    assert_eq!(store.insert_session(&session, 10).await.unwrap(), Vec::<String>::new());
    assert_eq!(store.find_session("d1").await.unwrap(), Some(session));
    assert_eq!(store.find_session("d2").await.unwrap(), None);
    assert_eq!(store.purge_sessions(now()).await.unwrap(), 0);
    assert_eq!(store.purge_sessions(now() + Duration::minutes(11)).await.unwrap(), 1);
    assert_eq!(store.find_session("d1").await.unwrap(), None);
});

store_test!(sessions_and_grants_are_bounded_per_merchant, |store| {
    let session = |merchant: &str, index: i64| SessionRecord {
        digest: format!("{merchant}{index}"),
        merchant_code: merchant.into(),
        created_at: now() + Duration::seconds(index),
        expires_at: now() + Duration::seconds(index + 600),
    };
    store.insert_session(&session("OTHER", 0), 3).await.unwrap();
    let mut evicted = Vec::new();
    for index in 0..5 {
        evicted.extend(store.insert_session(&session("M", index), 3).await.unwrap());
    }
    assert_eq!(evicted, ["M0", "M1"], "the oldest go first");
    assert!(store.find_session("M1").await.unwrap().is_none());
    assert!(store.find_session("M2").await.unwrap().is_some());
    assert!(store.find_session("OTHER0").await.unwrap().is_some(), "another merchant's stay");
    for index in 0..4 {
        let grant = SsoGrant {
            digest: format!("g{index}"),
            merchant_code: "M".into(),
            customer_reference: 1,
            validation_ip: None,
            expires_at: now() + Duration::seconds(index),
        };
        store.insert_sso_grant(&grant, 2).await.unwrap();
    }
    assert_eq!(store.take_sso_grant("M", "g1").await.unwrap(), None);
    assert!(store.take_sso_grant("M", "g3").await.unwrap().is_some());
});

store_test!(sso_grants_are_taken_once_by_their_merchant, |store| {
    let grant = SsoGrant {
        digest: "g".into(),
        merchant_code: "M".into(),
        customer_reference: 42,
        validation_ip: Some("10.0.0.1".into()),
        expires_at: now(),
    };
    store.insert_sso_grant(&grant, 10).await.unwrap();
    assert_eq!(store.take_sso_grant("OTHER", "g").await.unwrap(), None);
    let takers = (0..8).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.take_sso_grant("M", "g").await.unwrap() })
    });
    let mut taken = Vec::new();
    for taker in takers {
        taken.extend(taker.await.unwrap());
    }
    assert_eq!(taken, vec![grant]);
});

#[tokio::test]
async fn sqlite_data_survives_reopening() {
    let directory = tempfile::tempdir().unwrap();
    let location = DatabaseLocation::Sqlite(directory.path().join("nested/dir/tco.db"));
    let store = SqlStore::connect(&location, 2).await.unwrap();
    let reference =
        store.insert_customer("M", &fields(Some("X")), CustomerStatus::default(), &[], now()).await.unwrap();
    store.close().await;
    let reopened = SqlStore::connect(&location, 2).await.unwrap();
    assert!(reopened.find_customer("M", reference).await.unwrap().is_some());
    let next =
        reopened.insert_customer("M", &fields(None), CustomerStatus::default(), &[], now()).await.unwrap();
    assert_eq!(next, reference + 1);
}

#[tokio::test]
async fn a_sqlite_file_serves_one_store_at_a_time() {
    let directory = tempfile::tempdir().unwrap();
    let location = testing::sqlite_location(directory.path());
    let first = SqlStore::connect(&location, 2).await.unwrap();
    let refused = SqlStore::connect(&location, 2).await.unwrap_err();
    assert!(matches!(refused, tco_store::ConnectError::Sqlite(tco_store::OpenError::Locked(_))), "{refused}");
    assert!(refused.to_string().contains("used by another tco-gateway"), "{refused}");
    let reference =
        first.insert_customer("M", &fields(None), CustomerStatus::default(), &[], now()).await.unwrap();
    first.close().await;
    let second = SqlStore::connect(&location, 2).await.unwrap();
    assert!(second.find_customer("M", reference).await.unwrap().is_some());
}

/// Without statistics, PostgreSQL's generic plan once preferred the `(merchant_code, …)` index
/// for `reference = $2 AND merchant_code = $1` and walked every customer of the merchant. Each
/// lookup must go through its unique index whatever the table holds.
#[tokio::test]
async fn postgres_lookups_use_their_unique_index_without_statistics() {
    let Some(location) = testing::fresh_postgres_location().await.unwrap() else { return };
    let store = SqlStore::connect(&location, 2).await.unwrap();
    let plans = testing::postgres_lookup_plans(&location, 5_000).await.unwrap();
    assert_eq!(plans.len(), 14);
    for lookup in plans {
        for index in lookup.indexes {
            assert!(lookup.plan.contains(index), "{} does not use {index}:\n{}", lookup.name, lookup.plan);
        }
        assert!(!lookup.plan.contains("Seq Scan"), "{} scans:\n{}", lookup.name, lookup.plan);
        assert!(!lookup.plan.contains("tco_customers_email"), "{}:\n{}", lookup.name, lookup.plan);
    }
    store.close().await;
}

/// Issue 28: every search statement (each filter alone; its keys and its count) finds its rows
/// through an index and reads them in the index's order — no table read whole, no sort but the
/// ones `SearchPlan::allowed` explains.
fn assert_search_plans(plans: &[testing::SearchPlan]) {
    assert!(plans.len() >= 60, "{} statements", plans.len());
    let faults: Vec<String> = plans
        .iter()
        .filter_map(|plan| {
            plan.fault().map(|fault| format!("{} {fault}:\n{}\n{}", plan.name, plan.sql, plan.plan))
        })
        .collect();
    assert!(faults.is_empty(), "{}", faults.join("\n\n"));
}

#[tokio::test]
async fn sqlite_searches_use_an_index_for_their_filter_and_order() {
    let directory = tempfile::tempdir().unwrap();
    let store = SqlStore::connect(&testing::sqlite_location(directory.path()), 2).await.unwrap();
    assert_search_plans(&testing::sqlite_search_plans(&store, "M").await.unwrap());
    store.close().await;
}

#[tokio::test]
async fn postgres_searches_use_an_index_for_their_filter_and_order() {
    let Some(location) = testing::fresh_postgres_location().await.unwrap() else { return };
    let store = SqlStore::connect(&location, 2).await.unwrap();
    assert_search_plans(&testing::postgres_search_plans(&location, 5_000).await.unwrap());
    store.close().await;
}

fn product_fields(code: &str, name: &str) -> ProductFields {
    ProductFields {
        code: code.into(),
        external_reference: None,
        name: name.into(),
        version: Some("1.0".into()),
        product_type: ProductType::Regular,
        enabled: true,
        generates_subscription: true,
        purchase_multiple_units: true,
        gift_option: false,
        tangible: false,
        weight: None,
        group_code: None,
        short_description: None,
        long_description: None,
        trial_url: None,
        trial_description: None,
        recurrence: Some(Recurrence { length: 1, unit: CycleUnit::Month }),
        pricing_configurations: vec![PricingConfiguration {
            code: "CFG1".into(),
            name: "Default".into(),
            default: true,
            billing_countries: vec![],
            schema: PricingSchema::Flat,
            price_type: PriceType::Net,
            default_currency: "USD".into(),
            prices: vec![Price {
                amount: "49.99".parse().unwrap(),
                currency: "USD".into(),
                min_quantity: 1,
                max_quantity: None,
                option_codes: vec![],
            }],
            renewal_prices: vec![],
            price_options: vec![PriceOptionUse { group_code: "USERS".into(), required: true }],
        }],
    }
}

fn group(code: &str, name: &str) -> ProductGroup {
    ProductGroup {
        code: code.into(),
        name: name.into(),
        template_name: "Default Template".into(),
        description: None,
        enabled: true,
    }
}

store_test!(products_round_trip_and_stay_with_their_merchant, |store| {
    let id = store.insert_product("M", &product_fields("P1", "First"), now()).await.unwrap();
    assert!(id > 4_600_000);
    let found = store.find_product("M", &ProductKey::Code("P1".into())).await.unwrap().unwrap();
    assert_eq!(found.fields, product_fields("P1", "First"));
    assert_eq!(store.find_product("M", &ProductKey::Id(id)).await.unwrap().unwrap(), found);
    assert!(store.find_product("OTHER", &ProductKey::Id(id)).await.unwrap().is_none());
    assert!(store.find_product("OTHER", &ProductKey::Code("P1".into())).await.unwrap().is_none());
    let duplicate = store.insert_product("M", &product_fields("P1", "Again"), now()).await;
    assert_eq!(duplicate.unwrap_err(), StoreError::Duplicate(Unique::ProductCode));
    store.insert_product("OTHER", &product_fields("P1", "Theirs"), now()).await.unwrap();

    store.insert_product_group("M", &group("AAAAAAAAAA", "Tools")).await.unwrap();
    let taken = store.insert_product_group("M", &group("BBBBBBBBBB", "TOOLS")).await;
    assert_eq!(taken.unwrap_err(), StoreError::Duplicate(Unique::ProductGroupName));
    assert!(store.set_product_group("M", "P1", "AAAAAAAAAA").await.unwrap());
    let mut changed = product_fields("P1", "Renamed");
    changed.group_code = Some("AAAAAAAAAA".into());
    changed.pricing_configurations[0].prices[0].amount = "0.10".parse().unwrap();
    assert!(store.update_product("M", &changed, now()).await.unwrap());
    let found = store.find_product("M", &ProductKey::Code("P1".into())).await.unwrap().unwrap();
    assert_eq!(found.fields.pricing_configurations[0].prices[0].amount.to_string(), "0.10");
    assert_eq!(found.group.map(|group| group.name).as_deref(), Some("Tools"));
    assert!(!store.update_product("OTHER2", &changed, now()).await.unwrap());

    let schema = UpgradeSchema {
        pricing_scheme: 2,
        option_price_operator: Some(Impact::Subtract),
        option_price_percentage: Some(2),
        use_product_catalog_pricing: true,
        prorate_ignore_grace_period: false,
        subscription_upgrade_type: 2,
        allow_upgrade_from: vec!["P0".into()],
    };
    assert!(store.upgrade_schema("M", "P1").await.unwrap().is_none());
    assert!(store.set_upgrade_schema("M", "P1", &schema).await.unwrap());
    assert_eq!(store.upgrade_schema("M", "P1").await.unwrap(), Some(schema));
    assert!(store.upgrade_schema("OTHER", "P1").await.unwrap().is_none());
});

store_test!(product_search_filters_and_pages, |store| {
    store.insert_product_group("M", &group("AAAAAAAAAA", "Tools")).await.unwrap();
    for index in 0..12 {
        let mut fields = product_fields(&format!("P{index:02}"), &format!("Item {index} 100%_off"));
        fields.enabled = index % 3 != 0;
        fields.product_type = if index == 5 { ProductType::Bundle } else { ProductType::Regular };
        fields.group_code = (index < 4).then(|| "AAAAAAAAAA".to_owned());
        store.insert_product("M", &fields, now()).await.unwrap();
    }
    let search = |change: fn(&mut ProductQuery)| {
        let store = store.clone();
        async move {
            let mut query = ProductQuery { page: 1, limit: 200, ..Default::default() };
            change(&mut query);
            store.search_products("M", &query).await.unwrap()
        }
    };
    assert_eq!(search(|_| {}).await.1, 12);
    assert_eq!(search(|q| q.name = Some("ITEM 1".into())).await.1, 3, "Item 1, 10, 11");
    assert_eq!(search(|q| q.name = Some("0%_o".into())).await.1, 12, "% and _ match themselves");
    assert_eq!(search(|q| q.name = Some("x%".into())).await.1, 0);
    assert_eq!(search(|q| q.enabled = Some(false)).await.1, 4);
    assert_eq!(search(|q| q.types = vec![ProductType::Bundle]).await.1, 1);
    assert_eq!(search(|q| q.group_name = Some("tools".into())).await.1, 4);
    assert_eq!(search(|q| q.codes = vec!["P03".into(), "P01".into(), "NONE".into()]).await.1, 2);
    let (page, count) = search(|q| {
        q.page = 3;
        q.limit = 5
    })
    .await;
    assert_eq!((page.len(), count), (2, 12));
    assert_eq!(
        store
            .search_products("OTHER", &ProductQuery { page: 1, limit: 10, ..Default::default() })
            .await
            .unwrap()
            .1,
        0
    );
});

store_test!(price_option_groups_round_trip, |store| {
    let users = PriceOptionGroup {
        code: "USERS".into(),
        name: "Users".into(),
        description: Some("How many".into()),
        group_type: OptionGroupType::Interval,
        required: true,
        options: vec![PriceOption {
            code: "U1".into(),
            name: "1-5".into(),
            description: None,
            default: true,
            scale_min: Some(1),
            scale_max: Some(5),
            price_impact: Some(PriceImpact {
                impact: Impact::Add,
                method: ImpactMethod::Fixed,
                percent: None,
                amounts: vec![Amount { currency: "USD".into(), amount: "5.5".parse().unwrap() }],
            }),
            subscription_impact: None,
        }],
    };
    store.insert_price_option_group("M", &users).await.unwrap();
    let again = store.insert_price_option_group("M", &users).await;
    assert_eq!(again.unwrap_err(), StoreError::Duplicate(Unique::PriceOptionGroupCode));
    let found = store.find_price_option_groups("M", &["USERS".into(), "NONE".into()]).await.unwrap();
    assert_eq!(found, vec![users.clone()]);
    assert!(store.find_price_option_groups("OTHER", &["USERS".into()]).await.unwrap().is_empty());
    let mut changed = users.clone();
    changed.name = "Seats".into();
    assert!(store.update_price_option_group("M", &changed).await.unwrap());
    assert!(!store.update_price_option_group("OTHER", &changed).await.unwrap());
    assert_eq!(store.find_price_option_groups("M", &["USERS".into()]).await.unwrap()[0].name, "Seats");
    assert_eq!(store.product_groups("M").await.unwrap(), vec![]);
});

// A transaction of many steps (issue 25, item 4): its reads see its writes, nobody else does until
// it commits, a failed step leaves it usable, and one dropped uncommitted leaves nothing behind.
store_test!(transactions_commit_whole_or_not_at_all, |store| {
    use tco_core::AdminStore;
    let now = Utc::now();
    let transaction = store.begin().await.unwrap();
    let inside = transaction.store();
    let first = inside
        .insert_customer("M", &fields(Some("TX-1")), CustomerStatus::default(), &[], now)
        .await
        .unwrap();
    assert!(inside.find_customer("M", first).await.unwrap().is_some(), "seen inside");
    assert!(store.find_customer("M", first).await.unwrap().is_none(), "not seen outside before the commit");
    let duplicate =
        inside.insert_customer("M", &fields(Some("TX-1")), CustomerStatus::default(), &[], now).await;
    assert!(matches!(duplicate, Err(StoreError::Duplicate(Unique::ExternalReference))), "{duplicate:?}");
    let second = inside
        .insert_customer("M", &fields(Some("TX-2")), CustomerStatus::default(), &[], now)
        .await
        .unwrap();
    transaction.commit().await.unwrap();
    assert!(store.find_customer("M", first).await.unwrap().is_some());
    assert!(store.find_customer("M", second).await.unwrap().is_some());

    let abandoned = store.begin().await.unwrap();
    let inside = abandoned.store();
    inside.insert_customer("M", &fields(Some("TX-3")), CustomerStatus::default(), &[], now).await.unwrap();
    drop(inside);
    drop(abandoned);
    // Writes queued after the transaction wait for its end, then go on.
    let fourth =
        store.insert_customer("M", &fields(Some("TX-4")), CustomerStatus::default(), &[], now).await.unwrap();
    assert!(store.find_customer_by_external("M", "TX-3").await.unwrap().is_none(), "rolled back");
    assert!(store.find_customer("M", fourth).await.unwrap().is_some());
});
