//! The API's objects as a client sees them, the same whatever the transport. Every field the
//! vendor may leave unset is an `Option`; serde names are the vendor's (PascalCase).

use serde::{Deserialize, Deserializer, Serialize};

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// The vendor's Customer object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Customer {
    /// Assigned by the server; set it to name the customer in an update.
    pub avangate_customer_reference: Option<i64>,
    pub external_customer_reference: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub fiscal_code: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country_code: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    /// Read-only: the customer's stored cards (`null` on the wire reads as none).
    #[serde(deserialize_with = "null_as_empty")]
    pub existing_cards: Vec<Card>,
    /// Read-only: derived from the customer's subscriptions.
    pub enabled: Option<bool>,
    pub trial: Option<bool>,
    pub language: Option<String>,
    pub credit: Option<Credit>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Card {
    pub card_type: Option<String>,
    pub last_digits: Option<String>,
    pub expiration_month: Option<String>,
    pub expiration_year: Option<String>,
    pub name_on_card: Option<String>,
    /// Filled only when the customer was read by single sign-on token.
    pub transient_token: Option<TransientToken>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransientToken {
    pub token: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Credit {
    pub limit: Option<f64>,
    pub remaining: Option<f64>,
    pub currency: Option<String>,
}

/// `searchCustomers` filters; `None` means no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SearchOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trial: Option<bool>,
    /// `ACTIVE` or `INACTIVE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PageRequest>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PageRequest {
    pub page: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SearchResult {
    pub items: Vec<Customer>,
    pub pagination: Pagination,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Pagination {
    pub page: u32,
    pub limit: u32,
    /// Matches over all pages.
    pub count: u64,
}

/// How a call names a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `AvangateCustomerReference`.
    Internal(i64),
    /// `ExternalCustomerReference`.
    External(String),
    /// Both, which must name the same customer (JSON-RPC and SOAP; REST addresses a customer
    /// by one reference in its path).
    Both(i64, String),
}

/// A single sign-on link request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignOn {
    pub url: String,
    /// Seconds; the server's default (10) when `None`.
    pub validity_secs: Option<u32>,
    pub validation_ip: Option<String>,
}
