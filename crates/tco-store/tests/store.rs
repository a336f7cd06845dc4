//! The store contract, run against SQLite and PostgreSQL alike.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use tco_core::{
    Card, Credit, CustomerFields, CustomerStatus, SearchInput, SearchQuery, SessionRecord, SsoGrant, Store,
    StoreError,
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
    assert_eq!(duplicate.unwrap_err(), StoreError::DuplicateExternalReference);
    // Many customers may have none.
    store.insert_customer("M", &fields(None), CustomerStatus::default(), &[], now()).await.unwrap();
    let other =
        store.insert_customer("M", &fields(None), CustomerStatus::default(), &[], now()).await.unwrap();
    let taken = store.update_customer("M", other, &fields(Some("EXT")), false, now()).await;
    assert_eq!(taken.unwrap_err(), StoreError::DuplicateExternalReference);
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
            Err(error) => assert_eq!(error, StoreError::DuplicateExternalReference),
        }
    }
    assert_eq!(winners, 1);
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
    store.insert_session(&session).await.unwrap();
    assert_eq!(store.find_session("d1").await.unwrap(), Some(session));
    assert_eq!(store.find_session("d2").await.unwrap(), None);
    assert_eq!(store.purge_sessions(now()).await.unwrap(), 0);
    assert_eq!(store.purge_sessions(now() + Duration::minutes(11)).await.unwrap(), 1);
    assert_eq!(store.find_session("d1").await.unwrap(), None);
});

store_test!(sso_grants_are_taken_once_by_their_merchant, |store| {
    let grant = SsoGrant {
        digest: "g".into(),
        merchant_code: "M".into(),
        customer_reference: 42,
        validation_ip: Some("10.0.0.1".into()),
        expires_at: now(),
    };
    store.insert_sso_grant(&grant).await.unwrap();
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
