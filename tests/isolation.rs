//! Tenant isolation as a matrix: merchant B tries every operation on each kind of merchant A's
//! references (internal, external, SSO token, card token) over REST, JSON-RPC and SOAP. Each
//! attempt must answer exactly as for a reference that does not exist, and A's data must be
//! unchanged afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use serde_json::json;
use tco_client::{
    Api, ClientError, Credentials, Customer, JsonRpcClient, Reference, RestClient, SignOn, SoapClient,
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
fn answer<T: std::fmt::Debug>(result: Result<T, ClientError>) -> (Option<String>, String) {
    match result {
        Err(ClientError::Api { code, message, .. }) => (Some(code), message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn isolation_matrix(backend: Backend) {
    let directory = tempfile::tempdir().unwrap();
    let fixtures = directory.path().join("fixtures.json");
    std::fs::write(
        &fixtures,
        json!([{"Merchant": "MERCHANT_A", "ExternalCustomerReference": "A-ONLY", "FirstName": "Alice", "LastName": "A",
                "Address1": "1 A St", "City": "Aville", "Zip": "11111", "CountryCode": "US", "Email": "alice@a.example",
                "ExistingCards": [{"CardType": "visa", "LastDigits": "4242", "ExpirationMonth": "12",
                                   "ExpirationYear": "2030", "NameOnCard": "Alice", "TransientToken": {"Token": "a-card-token"}}]}])
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

    let after = owners[0].get_customer(&Reference::External("A-ONLY".into())).await.unwrap();
    assert_eq!(after, before, "merchant A's customer and card are untouched");
    println!("isolation matrix ({backend:?}): {attempts} attempts, each answered as for a missing reference");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn isolation_matrix_sqlite() {
    isolation_matrix(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn isolation_matrix_postgres() {
    isolation_matrix(Backend::Postgres).await;
}
