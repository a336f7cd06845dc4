//! Fixture files: customers (with stored cards, and the status the API does not let clients
//! set) loaded at start. The customer fields use the vendor's JSON names, as on REST:
//!
//! ```json
//! [{"Merchant": "TCODEMO", "ExternalCustomerReference": "FIX-1", "FirstName": "Ada", …,
//!   "Enabled": true, "Trial": false,
//!   "ExistingCards": [{"CardType": "visa", "LastDigits": "1111", "ExpirationMonth": "12",
//!                      "ExpirationYear": "2030", "NameOnCard": "Ada L", "TransientToken": {"Token": "…"}}]}]
//! ```
//!
//! `Merchant` may be left out when one merchant is configured. Each fixture needs an
//! `ExternalCustomerReference`: a customer the merchant already has under it is left as it is,
//! so loading twice (or from two instances) adds nothing.

use std::path::Path;

use serde::Deserialize;
use tco_core::{Card, FixtureCustomer, Gateway, Merchant};
use tco_json::CustomerBody;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FixtureFile {
    List(Vec<FixtureDto>),
    Object {
        #[serde(rename = "Customers", alias = "customers")]
        customers: Vec<FixtureDto>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FixtureDto {
    #[serde(default)]
    merchant: Option<String>,
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    trial: bool,
    #[serde(default)]
    existing_cards: Vec<CardFixture>,
    #[serde(flatten)]
    customer: CustomerBody,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CardFixture {
    card_type: String,
    last_digits: String,
    expiration_month: String,
    expiration_year: String,
    name_on_card: String,
    #[serde(default)]
    transient_token: Option<TokenFixture>,
}

/// `{"Token": "…"}` as the API shows it, or the bare string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TokenFixture {
    Object {
        #[serde(rename = "Token")]
        token: String,
    },
    Bare(String),
}

#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("cannot read fixtures {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("invalid fixtures {path}: {source}")]
    Parse { path: String, source: serde_json::Error },
    #[error("fixture #{index} in {path} names no Merchant, and several merchants are configured")]
    NoMerchant { path: String, index: usize },
    #[error("fixture #{index} in {path} was refused: {source}")]
    Refused { path: String, index: usize, source: tco_core::Error },
}

/// Loads the file; returns how many customers were added.
pub async fn load(gateway: &Gateway, merchants: &[Merchant], path: &Path) -> Result<usize, FixtureError> {
    let shown = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|source| FixtureError::Read { path: shown.clone(), source })?;
    let file: FixtureFile =
        serde_json::from_str(&text).map_err(|source| FixtureError::Parse { path: shown.clone(), source })?;
    let fixtures = match file {
        FixtureFile::List(list) | FixtureFile::Object { customers: list } => list,
    };
    let mut added = 0;
    for (index, fixture) in fixtures.into_iter().enumerate() {
        let merchant = match (&fixture.merchant, merchants) {
            (Some(code), _) => code.clone(),
            (None, [only]) => only.code.clone(),
            (None, _) => return Err(FixtureError::NoMerchant { path: shown, index }),
        };
        let customer = FixtureCustomer {
            input: fixture.customer.into(),
            enabled: fixture.enabled,
            trial: fixture.trial,
            cards: fixture.existing_cards.into_iter().map(card).collect(),
        };
        let loaded = gateway
            .load_fixture(&merchant, customer)
            .await
            .map_err(|source| FixtureError::Refused { path: shown.clone(), index, source })?;
        added += usize::from(loaded.is_some());
    }
    Ok(added)
}

fn card(fixture: CardFixture) -> Card {
    Card {
        card_type: fixture.card_type,
        last_digits: fixture.last_digits,
        expiration_month: fixture.expiration_month,
        expiration_year: fixture.expiration_year,
        name_on_card: fixture.name_on_card,
        transient_token: fixture.transient_token.map(|token| match token {
            TokenFixture::Object { token } | TokenFixture::Bare(token) => token,
        }),
    }
}
