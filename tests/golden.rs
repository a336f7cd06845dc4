//! SOAP golden envelopes: every request in `golden/*.request.xml` (SOAP 1.1 and 1.2, literal
//! and encoded, mixed prefixes, `href`/`multiRef`, nil) goes through the SOAP adapter in order
//! against a gateway on a fresh SQLite store with a fixed clock and a counting random source,
//! and its answer must equal `golden/*.response.xml` byte for byte. `TCO_BLESS=1` rewrites the
//! answers after a deliberate change; review the diff.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use tco_core::{
    Card, CountingRandom, CustomerInput, FixtureCustomer, Gateway, ManualClock, Merchant, Merchants, Settings,
};

async fn gateway(directory: &Path) -> Gateway {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap());
    let store =
        tco_store::SqlStore::connect(&tco_store::testing::sqlite_location(directory), 2).await.unwrap();
    let gateway = Gateway::new(
        Arc::new(store),
        Merchants::new([Merchant::new("MERCHANT", "secret")]),
        Settings::default(),
    )
    .with_clock(Arc::new(clock))
    .with_random(Arc::new(CountingRandom::default()));
    let fixture = FixtureCustomer {
        input: CustomerInput {
            external_reference: Some("FIX-1".into()),
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            address1: Some("12 St James's Square".into()),
            city: Some("London".into()),
            zip: Some("SW1Y 4JH".into()),
            country_code: Some("GB".into()),
            email: Some("ada@example.com".into()),
            ..CustomerInput::default()
        },
        enabled: true,
        trial: false,
        cards: vec![Card {
            card_type: "visa".into(),
            last_digits: "1111".into(),
            expiration_month: "12".into(),
            expiration_year: "2030".into(),
            name_on_card: "Ada Lovelace".into(),
            transient_token: Some("card-1".into()),
        }],
    };
    gateway.load_fixture("MERCHANT", fixture).await.unwrap();
    gateway
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap() + start.len();
    &text[from..from + text[from..].find(end).unwrap()]
}

#[tokio::test]
async fn golden_envelopes() {
    let database = tempfile::tempdir().unwrap();
    let gateway = gateway(database.path()).await;
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let bless = std::env::var("TCO_BLESS").as_deref() == Ok("1");
    let mut requests: Vec<_> = std::fs::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".request.xml"))
        .collect();
    requests.sort();
    assert!(requests.len() >= 15, "golden requests are missing");
    let mut variables: HashMap<&str, String> = HashMap::new();
    for request in requests {
        let name = request.file_name().unwrap().to_string_lossy().replace(".request.xml", "");
        let mut body = std::fs::read_to_string(&request).unwrap();
        for (key, value) in &variables {
            body = body.replace(&format!("{{{{{key}}}}}"), value);
        }
        let content_type = if name.ends_with("-12") { "application/soap+xml" } else { "text/xml" };
        let (_, _, answer) = tco_soap::respond(&gateway, Some(content_type), body.as_bytes()).await;
        if name.starts_with("01-") {
            variables.insert("SESSION", between(&answer, "<return>", "</return>").to_owned());
        }
        if name.starts_with("04-") {
            variables.insert("REFERENCE", between(&answer, "<return>", "</return>").to_owned());
        }
        if name.starts_with("10-") {
            variables.insert("TOKEN", between(&answer, "logintoken=", "</return>").to_owned());
        }
        let golden = directory.join(format!("{name}.response.xml"));
        if bless {
            std::fs::write(&golden, format!("{answer}\n")).unwrap();
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        assert_eq!(answer, expected.trim_end(), "{name}: the answer differs from {}", golden.display());
    }
}
