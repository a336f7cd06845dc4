//! Rows to domain types, and the conversions the portable schema needs (booleans as 0/1,
//! times as milliseconds).

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;
use tco_core::{Card, Credit, Customer, CustomerFields, SessionRecord, SsoGrant};

/// The columns [`customer`] reads, in a `SELECT` list.
macro_rules! customer_columns {
    () => {
        "reference, external_reference, first_name, last_name, company, fiscal_code, address1, \
         address2, city, state, zip, country_code, phone, fax, email, language, credit_limit, \
         credit_remaining, credit_currency, enabled, trial"
    };
}
pub(crate) use customer_columns;

pub(crate) fn customer(row: &AnyRow) -> Result<Customer, sqlx::Error> {
    let credit = match (
        row.try_get::<Option<f64>, _>("credit_limit")?,
        row.try_get::<Option<f64>, _>("credit_remaining")?,
        row.try_get::<Option<String>, _>("credit_currency")?,
    ) {
        (Some(limit), Some(remaining), Some(currency)) => Some(Credit { limit, remaining, currency }),
        _ => None,
    };
    Ok(Customer {
        reference: row.try_get("reference")?,
        fields: CustomerFields {
            external_reference: row.try_get("external_reference")?,
            first_name: row.try_get("first_name")?,
            last_name: row.try_get("last_name")?,
            company: row.try_get("company")?,
            fiscal_code: row.try_get("fiscal_code")?,
            address1: row.try_get("address1")?,
            address2: row.try_get("address2")?,
            city: row.try_get("city")?,
            state: row.try_get("state")?,
            zip: row.try_get("zip")?,
            country_code: row.try_get("country_code")?,
            phone: row.try_get("phone")?,
            fax: row.try_get("fax")?,
            email: row.try_get("email")?,
            language: row.try_get("language")?,
            credit,
        },
        enabled: flag(row, "enabled")?,
        trial: flag(row, "trial")?,
        cards: Vec::new(),
    })
}

pub(crate) fn card(row: &AnyRow) -> Result<Card, sqlx::Error> {
    Ok(Card {
        card_type: row.try_get("card_type")?,
        last_digits: row.try_get("last_digits")?,
        expiration_month: row.try_get("expiration_month")?,
        expiration_year: row.try_get("expiration_year")?,
        name_on_card: row.try_get("name_on_card")?,
        transient_token: Some(row.try_get("transient_token")?),
    })
}

pub(crate) fn session(row: &AnyRow) -> Result<SessionRecord, sqlx::Error> {
    Ok(SessionRecord {
        digest: row.try_get("digest")?,
        merchant_code: row.try_get("merchant_code")?,
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
    })
}

pub(crate) fn sso_grant(row: &AnyRow) -> Result<SsoGrant, sqlx::Error> {
    Ok(SsoGrant {
        digest: row.try_get("digest")?,
        merchant_code: row.try_get("merchant_code")?,
        customer_reference: row.try_get("customer_reference")?,
        validation_ip: row.try_get("validation_ip")?,
        expires_at: time(row, "expires_at")?,
    })
}

fn flag(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}

fn time(row: &AnyRow, column: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    let millis: i64 = row.try_get(column)?;
    DateTime::from_timestamp_millis(millis).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: format!("{millis} ms is outside the representable time range").into(),
    })
}

pub(crate) fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

pub(crate) fn bit(flag: bool) -> i64 {
    i64::from(flag)
}
