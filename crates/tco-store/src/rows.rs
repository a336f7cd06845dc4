//! Rows to domain types (booleans are stored as 0/1, times as epoch milliseconds).

use tco_core::{Card, Credit, Customer, CustomerFields, SessionRecord, SsoGrant};

use crate::db::{DbError, Param, Row, params};

/// The columns [`customer`] reads, in a `SELECT` list.
macro_rules! customer_columns {
    () => {
        "reference, merchant_code, external_reference, first_name, last_name, company, fiscal_code, \
         address1, address2, city, state, zip, country_code, phone, fax, email, language, credit_limit, \
         credit_remaining, credit_currency, enabled, trial"
    };
}
pub(crate) use customer_columns;

pub(crate) fn customer(row: &Row) -> Result<Customer, DbError> {
    let credit = match (
        row.optional_real("credit_limit")?,
        row.optional_real("credit_remaining")?,
        row.optional_text("credit_currency")?,
    ) {
        (Some(limit), Some(remaining), Some(currency)) => Some(Credit { limit, remaining, currency }),
        _ => None,
    };
    Ok(Customer {
        reference: row.integer("reference")?,
        fields: CustomerFields {
            external_reference: row.optional_text("external_reference")?,
            first_name: row.text("first_name")?,
            last_name: row.text("last_name")?,
            company: row.optional_text("company")?,
            fiscal_code: row.optional_text("fiscal_code")?,
            address1: row.text("address1")?,
            address2: row.optional_text("address2")?,
            city: row.text("city")?,
            state: row.optional_text("state")?,
            zip: row.text("zip")?,
            country_code: row.text("country_code")?,
            phone: row.optional_text("phone")?,
            fax: row.optional_text("fax")?,
            email: row.text("email")?,
            language: row.optional_text("language")?,
            credit,
        },
        enabled: row.flag("enabled")?,
        trial: row.flag("trial")?,
        cards: Vec::new(),
    })
}

/// A customer's editable fields as the 19 parameters both `INSERT` and `UPDATE` list, in order
/// (`external_reference` … `credit_currency`).
pub(crate) fn customer_fields(fields: &CustomerFields) -> Vec<Param> {
    let credit = fields.credit.as_ref();
    params![
        &fields.external_reference,
        &fields.first_name,
        &fields.last_name,
        &fields.company,
        &fields.fiscal_code,
        &fields.address1,
        &fields.address2,
        &fields.city,
        &fields.state,
        &fields.zip,
        &fields.country_code,
        &fields.phone,
        &fields.fax,
        &fields.email,
        fields.email_key(),
        &fields.language,
        credit.map(|credit| credit.limit),
        credit.map(|credit| credit.remaining),
        credit.map(|credit| &credit.currency),
    ]
}

pub(crate) fn card(row: &Row) -> Result<Card, DbError> {
    Ok(Card {
        card_type: row.text("card_type")?,
        last_digits: row.text("last_digits")?,
        expiration_month: row.text("expiration_month")?,
        expiration_year: row.text("expiration_year")?,
        name_on_card: row.text("name_on_card")?,
        transient_token: Some(row.text("transient_token")?),
    })
}

pub(crate) fn session(row: &Row) -> Result<SessionRecord, DbError> {
    Ok(SessionRecord {
        digest: row.text("digest")?,
        merchant_code: row.text("merchant_code")?,
        created_at: row.time("created_at")?,
        expires_at: row.time("expires_at")?,
    })
}

pub(crate) fn sso_grant(row: &Row) -> Result<SsoGrant, DbError> {
    Ok(SsoGrant {
        digest: row.text("digest")?,
        merchant_code: row.text("merchant_code")?,
        customer_reference: row.integer("customer_reference")?,
        validation_ip: row.optional_text("validation_ip")?,
        expires_at: row.time("expires_at")?,
    })
}
