//! The vendor's JSON shapes (PascalCase names, `null` for unset fields, `[]` for no cards)
//! and their conversion to and from core types.

use serde::{Deserialize, Deserializer, Serialize};
use tco_core::{Card, Credit, CreditInput, Customer, CustomerInput, SearchInput, SearchPage};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerDto {
    pub avangate_customer_reference: i64,
    pub external_customer_reference: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub fiscal_code: Option<String>,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub zip: String,
    pub country_code: String,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: String,
    pub existing_cards: Vec<CardDto>,
    pub enabled: bool,
    pub trial: bool,
    pub language: Option<String>,
    pub credit: Option<CreditDto>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CardDto {
    pub card_type: String,
    pub last_digits: String,
    pub expiration_month: String,
    pub expiration_year: String,
    pub name_on_card: String,
    pub transient_token: Option<TransientTokenDto>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransientTokenDto {
    pub token: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreditDto {
    pub limit: f64,
    pub remaining: f64,
    pub currency: String,
}

impl From<Customer> for CustomerDto {
    fn from(customer: Customer) -> Self {
        let fields = customer.fields;
        CustomerDto {
            avangate_customer_reference: customer.reference,
            external_customer_reference: fields.external_reference,
            first_name: fields.first_name,
            last_name: fields.last_name,
            company: fields.company,
            fiscal_code: fields.fiscal_code,
            address1: fields.address1,
            address2: fields.address2,
            city: fields.city,
            state: fields.state,
            zip: fields.zip,
            country_code: fields.country_code,
            phone: fields.phone,
            fax: fields.fax,
            email: fields.email,
            existing_cards: customer.cards.into_iter().map(CardDto::from).collect(),
            enabled: customer.enabled,
            trial: customer.trial,
            language: fields.language,
            credit: fields.credit.map(CreditDto::from),
        }
    }
}

impl From<Card> for CardDto {
    fn from(card: Card) -> Self {
        CardDto {
            card_type: card.card_type,
            last_digits: card.last_digits,
            expiration_month: card.expiration_month,
            expiration_year: card.expiration_year,
            name_on_card: card.name_on_card,
            transient_token: card.transient_token.map(|token| TransientTokenDto { token }),
        }
    }
}

impl From<Credit> for CreditDto {
    fn from(credit: Credit) -> Self {
        CreditDto { limit: credit.limit, remaining: credit.remaining, currency: credit.currency }
    }
}

/// A customer as clients send it. Every field is optional here (the core decides what is
/// required); unknown fields and the read-only `Enabled`, `Trial` and `ExistingCards` are
/// ignored. Strings also accept JSON numbers, since PHP clients often send a zip or phone
/// as an integer.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CustomerBody {
    /// An integer, or a numeric string as SOAP responses carry it when a client round-trips one.
    #[serde(alias = "CustomerReference", deserialize_with = "lenient_integer")]
    pub avangate_customer_reference: Option<i64>,
    #[serde(deserialize_with = "lenient_string")]
    pub external_customer_reference: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub first_name: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub last_name: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub company: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub fiscal_code: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub address1: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub address2: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub city: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub state: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub zip: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub country_code: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub phone: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub fax: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub language: Option<String>,
    pub credit: Option<CreditBody>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreditBody {
    pub limit: Option<f64>,
    pub remaining: Option<f64>,
    #[serde(deserialize_with = "lenient_string")]
    pub currency: Option<String>,
}

impl From<CustomerBody> for CustomerInput {
    fn from(body: CustomerBody) -> Self {
        CustomerInput {
            avangate_reference: body.avangate_customer_reference,
            external_reference: body.external_customer_reference,
            first_name: body.first_name,
            last_name: body.last_name,
            company: body.company,
            fiscal_code: body.fiscal_code,
            address1: body.address1,
            address2: body.address2,
            city: body.city,
            state: body.state,
            zip: body.zip,
            country_code: body.country_code,
            phone: body.phone,
            fax: body.fax,
            email: body.email,
            language: body.language,
            credit: body.credit.map(|credit| CreditInput {
                limit: credit.limit,
                remaining: credit.remaining,
                currency: credit.currency,
            }),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrNumber {
    String(String),
    Integer(i64),
    Float(f64),
}

fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let value = Option::<StringOrNumber>::deserialize(deserializer)
        .map_err(|_| serde::de::Error::custom("expected a string"))?;
    Ok(value.map(|value| match value {
        StringOrNumber::String(text) => text,
        StringOrNumber::Integer(number) => number.to_string(),
        StringOrNumber::Float(number) => number.to_string(),
    }))
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SearchResultDto {
    pub items: Vec<CustomerDto>,
    pub pagination: PaginationDto,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PaginationDto {
    pub page: u32,
    pub limit: u32,
    pub count: u64,
}

impl From<SearchPage> for SearchResultDto {
    fn from(page: SearchPage) -> Self {
        SearchResultDto {
            items: page.items.into_iter().map(CustomerDto::from).collect(),
            pagination: PaginationDto { page: page.page, limit: page.limit, count: page.count },
        }
    }
}

/// The `SearchOptions` object of `searchCustomers` (JSON-RPC; REST passes the same filters
/// as query parameters).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SearchOptionsBody {
    #[serde(deserialize_with = "lenient_string")]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub phone: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub country_code: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub language: Option<String>,
    pub trial: Option<bool>,
    #[serde(deserialize_with = "lenient_string")]
    pub status: Option<String>,
    pub pagination: Option<PaginationBody>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PaginationBody {
    #[serde(deserialize_with = "lenient_integer")]
    pub page: Option<i64>,
    #[serde(deserialize_with = "lenient_integer")]
    pub limit: Option<i64>,
}

impl From<SearchOptionsBody> for SearchInput {
    fn from(body: SearchOptionsBody) -> Self {
        let pagination = body.pagination.unwrap_or_default();
        SearchInput {
            email: body.email,
            phone: body.phone,
            country_code: body.country_code,
            language: body.language,
            trial: body.trial,
            status: body.status,
            page: pagination.page,
            limit: pagination.limit,
        }
    }
}

/// Integers also as numeric strings, as PHP clients build them from form input.
fn lenient_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    let expected = || serde::de::Error::custom("expected an integer");
    match Option::<StringOrNumber>::deserialize(deserializer).map_err(|_| expected())? {
        None => Ok(None),
        Some(StringOrNumber::Integer(number)) => Ok(Some(number)),
        Some(StringOrNumber::String(text)) if text.trim().is_empty() => Ok(None),
        Some(StringOrNumber::String(text)) => text.trim().parse().map(Some).map_err(|_| expected()),
        Some(StringOrNumber::Float(_)) => Err(expected()),
    }
}

/// Deserialises a JSON value into one of these DTOs; the error names the field that was
/// wrong (`FirstName: expected a string`).
pub fn from_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        match path.as_str() {
            "." | "" => error.inner().to_string(),
            _ => format!("{path}: {}", error.inner()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_accept_what_php_clients_send() {
        let body: CustomerBody = serde_json::from_str(
            r#"{"AvangateCustomerReference":"141589723","Zip":12345,"Phone":null,"Enabled":true,
                "ExistingCards":null,"Unknown":1,"Credit":{"Limit":51.0,"Remaining":21,"Currency":"EUR"}}"#,
        )
        .unwrap();
        assert_eq!(body.avangate_customer_reference, Some(141_589_723));
        assert_eq!(body.zip.as_deref(), Some("12345"));
        assert_eq!(body.phone, None);
        assert_eq!(body.credit.unwrap().remaining, Some(21.0));
        let body: CustomerBody = serde_json::from_str(r#"{"CustomerReference":7}"#).unwrap();
        assert_eq!(body.avangate_customer_reference, Some(7));
    }

    #[test]
    fn wrong_types_name_the_field() {
        let mut deserializer = serde_json::Deserializer::from_str(r#"{"FirstName":{"a":1}}"#);
        let error = serde_path_to_error::deserialize::<_, CustomerBody>(&mut deserializer).unwrap_err();
        assert_eq!(error.path().to_string(), "FirstName");
    }
}
