//! Behaviour of [`Gateway`] over the in-memory store, with a manual clock.

use std::sync::Arc;

use chrono::{Duration, NaiveDateTime, Utc};

use crate::memory::MemoryStore;
use crate::*;

const CODE: &str = "MERCHANT";
const CALL: Call = Call::new(Protocol::JsonRpc, "getCustomerInformation");
const SECRET: &str = "s3cr3t";

fn start() -> chrono::DateTime<Utc> {
    NaiveDateTime::parse_from_str("2024-06-01 12:00:00", DATE_FORMAT).unwrap().and_utc()
}

fn gateway() -> (Gateway, Arc<ManualClock>, Arc<MemoryStore>) {
    let clock = Arc::new(ManualClock::new(start()));
    let store = Arc::new(MemoryStore::new());
    let merchants = Merchants::new([Merchant::new(CODE, SECRET), Merchant::new("OTHER", "other")]);
    let gateway = Gateway::new(store.clone(), merchants, Settings::default()).with_clock(clock.clone());
    (gateway, clock, store)
}

fn credentials(code: &str, secret: &str, date: &str, algo: HashAlgorithm) -> Credentials {
    let algo_name = (algo != HashAlgorithm::Md5).then(|| algo.name().to_owned());
    Credentials {
        merchant_code: code.into(),
        date: date.into(),
        hash: sign(&SecretKey::new(secret), code, date, algo),
        algo: algo_name,
    }
}

fn now_credentials(gateway: &Gateway, code: &str, secret: &str) -> Credentials {
    credentials(code, secret, &gateway.now().format(DATE_FORMAT).to_string(), HashAlgorithm::Md5)
}

fn john() -> CustomerInput {
    CustomerInput {
        external_reference: Some("JOHN-1".into()),
        first_name: Some("John".into()),
        last_name: Some("Doe".into()),
        address1: Some("Street 1".into()),
        city: Some("Bucharest".into()),
        zip: Some("010101".into()),
        country_code: Some("US".into()),
        email: Some("John@Example.com".into()),
        ..CustomerInput::default()
    }
}

async fn merchant(gateway: &Gateway, code: &str, secret: &str) -> MerchantContext {
    let session = gateway.login(&now_credentials(gateway, code, secret), Protocol::JsonRpc).await.unwrap();
    gateway.session(session.as_str(), CALL).await.unwrap()
}

#[tokio::test]
async fn login_with_each_algorithm() {
    let (gateway, _, _) = gateway();
    let date = gateway.now().format(DATE_FORMAT).to_string();
    for algo in [HashAlgorithm::Md5, HashAlgorithm::Sha256, HashAlgorithm::Sha3_256] {
        let session =
            gateway.login(&credentials(CODE, SECRET, &date, algo), Protocol::JsonRpc).await.unwrap();
        assert_eq!(session.as_str().len(), 40);
        assert_eq!(gateway.session(session.as_str(), CALL).await.unwrap().code(), CODE);
    }
}

#[tokio::test]
async fn unknown_merchant_and_wrong_hash_fail_identically() {
    let (gateway, _, _) = gateway();
    let wrong_hash =
        gateway.login(&now_credentials(&gateway, CODE, "not the secret"), Protocol::JsonRpc).await;
    let unknown = gateway.login(&now_credentials(&gateway, "NOBODY", SECRET), Protocol::JsonRpc).await;
    assert_eq!(wrong_hash.unwrap_err(), Error::AuthenticationFailed);
    assert_eq!(unknown.unwrap_err(), Error::AuthenticationFailed);
    let mut wrong_algo = now_credentials(&gateway, CODE, SECRET);
    wrong_algo.algo = Some("sha256".into());
    assert_eq!(gateway.login(&wrong_algo, Protocol::JsonRpc).await.unwrap_err(), Error::AuthenticationFailed);
}

#[tokio::test]
async fn stale_dates_are_refused() {
    let (gateway, _, _) = gateway();
    let stale = (gateway.now() - Duration::minutes(11)).format(DATE_FORMAT).to_string();
    let error = gateway
        .login(&credentials(CODE, SECRET, &stale, HashAlgorithm::Md5), Protocol::JsonRpc)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::DateOutsideWindow { .. }));
    assert_eq!(error.code(), ErrorCode::AuthenticationError);
}

#[tokio::test]
async fn sessions_expire_at_the_exact_boundary() {
    let (gateway, clock, _) = gateway();
    let session = gateway.login(&now_credentials(&gateway, CODE, SECRET), Protocol::JsonRpc).await.unwrap();
    clock.advance(Duration::minutes(10) - Duration::milliseconds(1));
    assert!(gateway.session(session.as_str(), CALL).await.is_ok());
    clock.advance(Duration::milliseconds(1));
    assert_eq!(gateway.session(session.as_str(), CALL).await.unwrap_err(), Error::SessionExpired);
    assert_eq!(gateway.session("0123456789abcdef", CALL).await.unwrap_err(), Error::InvalidSession);
    assert_eq!(gateway.session("", CALL).await.unwrap_err(), Error::InvalidSession);
}

#[tokio::test]
async fn create_get_update_round_trip() {
    let (gateway, _, _) = gateway();
    let merchant = merchant(&gateway, CODE, SECRET).await;
    let reference = gateway.create_customer(&merchant, john()).await.unwrap();

    let by_internal =
        gateway.get_customer(&merchant, &CustomerLookup::Internal(reference), false).await.unwrap();
    let by_external =
        gateway.get_customer(&merchant, &CustomerLookup::External("JOHN-1".into()), false).await.unwrap();
    assert_eq!(by_internal, by_external);
    assert_eq!(by_internal.fields.country_code, "us");
    assert!(!by_internal.enabled && !by_internal.trial);

    let update = CustomerInput { avangate_reference: Some(reference), city: Some("Cluj".into()), ..john() };
    gateway.update_customer(&merchant, None, update, true).await.unwrap();
    let updated = gateway.get_customer(&merchant, &CustomerLookup::Internal(reference), false).await.unwrap();
    assert_eq!(updated.fields.city, "Cluj");
}

#[tokio::test]
async fn rejected_writes_change_nothing() {
    let (gateway, _, _) = gateway();
    let merchant = merchant(&gateway, CODE, SECRET).await;
    let reference = gateway.create_customer(&merchant, john()).await.unwrap();
    let before = gateway.get_customer(&merchant, &CustomerLookup::Internal(reference), false).await.unwrap();

    let bad = CustomerInput {
        avangate_reference: Some(reference),
        city: Some("Cluj".into()),
        country_code: Some("ZZ".into()),
        ..john()
    };
    assert!(gateway.update_customer(&merchant, None, bad, false).await.is_err());
    let duplicate = gateway.create_customer(&merchant, john()).await.unwrap_err();
    assert_eq!(duplicate, Error::DuplicateExternalReference);

    let after = gateway.get_customer(&merchant, &CustomerLookup::Internal(reference), false).await.unwrap();
    assert_eq!(before, after);
    let all = gateway.search_customers(&merchant, SearchInput::default()).await.unwrap();
    assert_eq!(all.count, 1);
}

#[tokio::test]
async fn references_must_agree() {
    let (gateway, _, _) = gateway();
    let merchant = merchant(&gateway, CODE, SECRET).await;
    let first = gateway.create_customer(&merchant, john()).await.unwrap();
    let second = gateway
        .create_customer(&merchant, CustomerInput { external_reference: Some("JANE".into()), ..john() })
        .await
        .unwrap();
    let mismatch = CustomerLookup::Both(first, "JANE".into());
    assert_eq!(
        gateway.get_customer(&merchant, &mismatch, false).await.unwrap_err(),
        Error::ReferenceMismatch
    );
    let update = CustomerInput { avangate_reference: Some(second), ..john() };
    let error = gateway
        .update_customer(&merchant, Some(&CustomerLookup::Internal(first)), update, false)
        .await
        .unwrap_err();
    assert_eq!(error, Error::ReferenceMismatch);
    let missing = gateway.update_customer(&merchant, None, john(), false).await.unwrap_err();
    assert_eq!(missing, Error::MissingField("AvangateCustomerReference"));
}

#[tokio::test]
async fn merchants_cannot_see_each_other() {
    let (gateway, _, _) = gateway();
    let owner = merchant(&gateway, CODE, SECRET).await;
    let intruder = merchant(&gateway, "OTHER", "other").await;
    let reference = gateway.create_customer(&owner, john()).await.unwrap();
    for lookup in [
        CustomerLookup::Internal(reference),
        CustomerLookup::External("JOHN-1".into()),
        CustomerLookup::InternalOrExternal(reference.to_string()),
    ] {
        assert_eq!(
            gateway.get_customer(&intruder, &lookup, true).await.unwrap_err(),
            Error::CustomerNotFound
        );
    }
    // The same external reference is free for another merchant.
    gateway.create_customer(&intruder, john()).await.unwrap();
    let link = gateway
        .sign_on_in_cart(
            &owner,
            &CustomerLookup::Internal(reference),
            SignOnRequest { url: Some("https://shop.test/cart".into()), ..SignOnRequest::default() },
        )
        .await
        .unwrap();
    let token = link.rsplit_once("logintoken=").unwrap().1;
    assert_eq!(gateway.customer_by_sso_token(&intruder, token).await.unwrap_err(), Error::InvalidSsoToken);
    // The intruder's attempt did not burn the owner's token.
    assert_eq!(gateway.customer_by_sso_token(&owner, token).await.unwrap().reference, reference);
}

#[tokio::test]
async fn sso_tokens_are_single_use_and_expire() {
    let (gateway, clock, _) = gateway();
    let merchant = merchant(&gateway, CODE, SECRET).await;
    gateway
        .load_fixture(
            CODE,
            FixtureCustomer {
                input: john(),
                enabled: true,
                trial: false,
                cards: vec![Card {
                    card_type: "visa".into(),
                    last_digits: "1111".into(),
                    expiration_month: "12".into(),
                    expiration_year: "2030".into(),
                    name_on_card: "John Doe".into(),
                    transient_token: None,
                }],
            },
        )
        .await
        .unwrap();
    let lookup = CustomerLookup::External("JOHN-1".into());
    let request =
        || SignOnRequest { url: Some("https://shop.test/cart?x=1".into()), ..SignOnRequest::default() };

    let link = gateway.sign_on_in_cart(&merchant, &lookup, request()).await.unwrap();
    assert!(link.starts_with("https://shop.test/cart?x=1&logintoken="));
    let token = link.rsplit_once("logintoken=").unwrap().1.to_owned();
    let customer = gateway.customer_by_sso_token(&merchant, &token).await.unwrap();
    let card_token = customer.cards[0].transient_token.clone().unwrap();
    assert!(customer.enabled);
    assert_eq!(gateway.customer_by_sso_token(&merchant, &token).await.unwrap_err(), Error::InvalidSsoToken);

    // Plain reads show the cards but never their tokens.
    let plain = gateway.get_customer(&merchant, &lookup, true).await.unwrap();
    assert_eq!(plain.cards.len(), 1);
    assert_eq!(plain.cards[0].transient_token, None);

    let link = gateway.sign_on_in_cart(&merchant, &lookup, request()).await.unwrap();
    let token = link.rsplit_once("logintoken=").unwrap().1.to_owned();
    clock.advance(Duration::seconds(DEFAULT_VALIDITY_SECS));
    assert_eq!(gateway.customer_by_sso_token(&merchant, &token).await.unwrap_err(), Error::InvalidSsoToken);

    assert_eq!(gateway.delete_card(&merchant, &lookup, "nope").await.unwrap_err(), Error::CardNotFound);
    gateway.delete_card(&merchant, &lookup, &card_token).await.unwrap();
    assert!(gateway.get_customer(&merchant, &lookup, true).await.unwrap().cards.is_empty());
    assert_eq!(gateway.delete_card(&merchant, &lookup, &card_token).await.unwrap_err(), Error::CardNotFound);
}

#[tokio::test]
async fn fixtures_load_once() {
    let (gateway, _, _) = gateway();
    let fixture = FixtureCustomer { input: john(), enabled: false, trial: false, cards: vec![] };
    assert!(gateway.load_fixture(CODE, fixture.clone()).await.unwrap().is_some());
    assert_eq!(gateway.load_fixture(CODE, fixture.clone()).await.unwrap(), None);
    assert!(gateway.load_fixture("NOBODY", fixture).await.is_err());
}

#[tokio::test]
async fn search_filters_and_pages() {
    let (gateway, _, _) = gateway();
    let merchant = merchant(&gateway, CODE, SECRET).await;
    for index in 0..25 {
        let input = CustomerInput {
            external_reference: Some(format!("C{index}")),
            email: Some(if index % 5 == 0 {
                "Five@Example.com".into()
            } else {
                format!("c{index}@example.com")
            }),
            country_code: Some(if index < 20 { "us".into() } else { "RO".into() }),
            ..john()
        };
        gateway.create_customer(&merchant, input).await.unwrap();
    }
    let page = |input: SearchInput| gateway.search_customers(&merchant, input);
    let fives =
        page(SearchInput { email: Some("five@EXAMPLE.com".into()), ..SearchInput::default() }).await.unwrap();
    assert_eq!(fives.count, 5);
    let romanians =
        page(SearchInput { country_code: Some("ro".into()), ..SearchInput::default() }).await.unwrap();
    assert_eq!(romanians.count, 5);
    let third = page(SearchInput { page: Some(3), ..SearchInput::default() }).await.unwrap();
    assert_eq!((third.count, third.items.len(), third.page, third.limit), (25, 5, 3, 10));
    let first = page(SearchInput { limit: Some(2), ..SearchInput::default() }).await.unwrap();
    assert!(first.items[0].reference < first.items[1].reference);
    let active = page(SearchInput { status: Some("ACTIVE".into()), ..SearchInput::default() }).await.unwrap();
    assert_eq!(active.count, 0);
}

#[tokio::test]
async fn the_journal_records_calls_without_secrets() {
    let (gateway, _, _) = gateway();
    let gateway = gateway.with_journal(Arc::new(Journal::new(10)));
    let credentials = now_credentials(&gateway, CODE, SECRET);
    let session = gateway.login(&credentials, Protocol::Soap).await.unwrap();
    let call = Call::new(Protocol::Soap, "createCustomer");
    let merchant = gateway.session(session.as_str(), call).await.unwrap();
    let reference = gateway.create_customer(&merchant, john()).await.unwrap();
    let refused = gateway.session("nope", Call::new(Protocol::JsonRpc, "searchCustomers")).await;
    assert!(refused.is_err());

    let entries = gateway.journal().entries(&JournalFilter::default());
    let summary: Vec<_> =
        entries.iter().map(|e| (e.protocol, e.operation, e.merchant.as_deref(), e.outcome.clone())).collect();
    assert_eq!(
        summary,
        [
            (Protocol::Soap, "login", Some(CODE), Outcome::Success(REDACTED.into())),
            (Protocol::Soap, "createCustomer", Some(CODE), Outcome::Success(reference.to_string())),
            (Protocol::JsonRpc, "searchCustomers", None, Outcome::Failure(ErrorCode::InvalidSession)),
        ]
    );
    assert!(entries[1].arguments.contains(&("CountryCode", "US".to_owned())));
    let everything = format!("{entries:?}");
    assert!(!everything.contains(&credentials.hash) && !everything.contains(session.as_str()));
}
