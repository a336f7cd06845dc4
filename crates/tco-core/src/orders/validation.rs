//! Order validation: addresses, the payment (cards by their test numbers), search filters.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::input::{AddressInput, OrderSearchInput, PaymentInput};
use super::model::{Address, ApproveStatus, CardSummary, OrderQuery, OrderStatus, PaymentType};
use crate::error::{Error, Result};
use crate::kernel::dates::shifted;
use crate::kernel::fields::{optional, parsed, required};
use crate::kernel::iso;
use crate::kernel::paging::page_and_limit;

/// What the emulator's test cards do. The vendor documents 4111 1111 1111 1111 for test
/// orders; the others follow the card networks' usual test numbers.
pub const AUTHORIZED_CARDS: &[&str] =
    &["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "4000000000000341"];
/// Cards that pay an order but decline every later charge: automatic renewals fail with them.
pub const RENEWAL_DECLINED_CARDS: &[&str] = &["4000000000000341"];

/// Whether an automatic renewal charged to `card` at `now` is declined: a card of
/// [`RENEWAL_DECLINED_CARDS`] (told by its first and last digits) or one that has expired.
pub(crate) fn renewal_declined(
    card: &crate::orders::CardSummary,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    card.expired(now)
        || RENEWAL_DECLINED_CARDS
            .iter()
            .any(|number| number.starts_with(&card.first_digits) && number.ends_with(&card.last_digits))
}
/// Cards whose payment is declined: the order stays `PENDING` with a `CARD_PAYMENT_ERROR`.
pub const DECLINED_CARDS: &[&str] = &["4000000000000002", "4000000000009995", "5105105105105100"];

pub(crate) fn address(prefix: Prefix, input: AddressInput) -> Result<Address> {
    let email = required(prefix.field("Email"), input.email, 254)?;
    if !email.contains('@') || email.contains(char::is_whitespace) {
        return Err(Error::invalid(prefix.field("Email"), format!("\"{email}\" is not an e-mail address")));
    }
    let country = required(prefix.field("CountryCode"), input.country_code, 16)?.to_ascii_lowercase();
    if !iso::is_country_code(&country) {
        return Err(Error::invalid(
            prefix.field("CountryCode"),
            format!("\"{country}\" is not an ISO 3166-1 country"),
        ));
    }
    Ok(Address {
        first_name: required(prefix.field("FirstName"), input.first_name, 100)?,
        last_name: required(prefix.field("LastName"), input.last_name, 100)?,
        company: optional(prefix.field("Company"), input.company, 200)?,
        fiscal_code: optional(prefix.field("FiscalCode"), input.fiscal_code, 50)?,
        email,
        phone: optional(prefix.field("Phone"), input.phone, 50)?,
        address1: required(prefix.field("Address1"), input.address1, 255)?,
        address2: optional(prefix.field("Address2"), input.address2, 255)?,
        city: required(prefix.field("City"), input.city, 100)?,
        state: optional(prefix.field("State"), input.state, 100)?,
        zip: required(prefix.field("Zip"), input.zip, 20)?,
        country_code: country,
    })
}

/// Which details an address field belongs to, for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Prefix {
    Billing,
    Delivery,
    /// An imported subscription's `EndUser`.
    EndUser,
}

impl Prefix {
    fn field(self, name: &'static str) -> &'static str {
        macro_rules! names {
            ($($name:literal),*) => {
                match (self, name) {
                    $((Prefix::Billing, $name) => concat!("BillingDetails.", $name),
                      (Prefix::Delivery, $name) => concat!("DeliveryDetails.", $name),
                      (Prefix::EndUser, $name) => concat!("EndUser.", $name),)*
                    _ => name,
                }
            };
        }
        names!(
            "Email",
            "CountryCode",
            "FirstName",
            "LastName",
            "Company",
            "FiscalCode",
            "Phone",
            "Address1",
            "Address2",
            "City",
            "State",
            "Zip"
        )
    }
}

/// A card payment's safe parts, and whether the test card is declined.
pub(crate) fn card(input: &PaymentInput) -> Result<(CardSummary, bool)> {
    let number: String = input
        .card_number
        .as_deref()
        .ok_or(Error::MissingField("PaymentDetails.PaymentMethod.CardNumber"))?
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let declined = DECLINED_CARDS.contains(&number.as_str());
    if !declined && !AUTHORIZED_CARDS.contains(&number.as_str()) {
        return Err(Error::invalid(
            "PaymentDetails.PaymentMethod.CardNumber",
            "is not a test card: use 4111111111111111 (authorized) or 4000000000000002 (declined)",
        ));
    }
    let month = required("PaymentDetails.PaymentMethod.ExpirationMonth", input.expiration_month.clone(), 2)?;
    let year = required("PaymentDetails.PaymentMethod.ExpirationYear", input.expiration_year.clone(), 4)?;
    if !month.parse::<u8>().is_ok_and(|month| (1..=12).contains(&month)) {
        return Err(Error::invalid("PaymentDetails.PaymentMethod.ExpirationMonth", "must be 1 to 12"));
    }
    if !year.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid("PaymentDetails.PaymentMethod.ExpirationYear", "must be a year"));
    }
    let card_type = optional("PaymentDetails.PaymentMethod.CardType", input.card_type.clone(), 30)?
        .map(|kind| kind.to_ascii_lowercase())
        .unwrap_or_else(|| network(&number).to_owned());
    Ok((
        CardSummary {
            first_digits: number.chars().take(4).collect(),
            last_digits: number.chars().skip(number.len().saturating_sub(4)).collect(),
            card_type,
            expiration_month: format!("{:0>2}", month),
            expiration_year: year,
            holder_name: required("PaymentDetails.PaymentMethod.HolderName", input.holder_name.clone(), 100)?,
        },
        declined,
    ))
}

fn network(number: &str) -> &'static str {
    match number.as_bytes().first() {
        Some(b'4') => "visa",
        Some(b'5') => "mastercard",
        Some(b'3') => "amex",
        Some(b'6') => "discover",
        _ => "card",
    }
}

pub(crate) fn payment_type(input: &PaymentInput) -> Result<PaymentType> {
    let text = required("PaymentDetails.Type", input.payment_type.clone(), 32)?;
    PaymentType::parse(&text).ok_or_else(|| {
        Error::invalid(
            "PaymentDetails.Type",
            format!("\"{text}\" is not one of {}", PaymentType::NAMES.join(", ")),
        )
    })
}

/// The order search's filters. Without `StartDate` or `Newer` the vendor answers the orders of the
/// last 7 days (by the gateway's clock, `now`); `StartDate` wins over `Newer`.
pub(crate) fn order_query(input: OrderSearchInput, now: DateTime<Utc>) -> Result<OrderQuery> {
    let status = parsed("Status", input.status, OrderStatus::parse, OrderStatus::NAMES)?;
    let approve_status =
        parsed("ApproveStatus", input.approve_status, ApproveStatus::parse, ApproveStatus::NAMES)?;
    let test = match optional("IncludeTestOrders", input.include_test_orders, 8)?
        .map(|text| text.to_ascii_uppercase())
    {
        None => None,
        Some(text) if text == "YES" => None,
        Some(text) if text == "NO" => Some(false),
        Some(text) if text == "ONLY" => Some(true),
        Some(text) => {
            return Err(Error::invalid(
                "IncludeTestOrders",
                format!("\"{text}\" is not one of YES, NO, ONLY"),
            ));
        }
    };
    let start = match date("StartDate", input.start_date, false)? {
        Some(start) => Some(start),
        None => Some(date("Newer", input.newer, false)?.unwrap_or_else(|| shifted(now, -Duration::days(7)))),
    };
    let (page, limit) = page_and_limit(input.page, input.limit, ("Page", "Limit"))?;
    Ok(OrderQuery {
        ref_no: optional("RefNo", input.ref_no, 20)?,
        status,
        approve_status,
        start,
        end: date("EndDate", input.end_date, true)?,
        partner_orders: input.partner_orders,
        external_reference: optional("ExternalRefNo", input.external_ref_no, 100)?,
        test,
        page,
        limit,
    })
}

/// `YYYY-MM-DD` (the whole day: its start, or with `end` its end) or `YYYY-MM-DD HH:MM:SS`, UTC.
pub(crate) fn date(field: &'static str, value: Option<String>, end: bool) -> Result<Option<DateTime<Utc>>> {
    let Some(text) = optional(field, value, 32)? else { return Ok(None) };
    if let Ok(moment) = NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S") {
        return Ok(Some(moment.and_utc()));
    }
    let day = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("\"{text}\" is not a date (YYYY-MM-DD)")))?;
    let moment = if end { day.and_hms_opt(23, 59, 59) } else { day.and_hms_opt(0, 0, 0) };
    Ok(moment.map(|moment| moment.and_utc()))
}
