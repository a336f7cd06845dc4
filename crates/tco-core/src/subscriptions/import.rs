//! `addSubscription`: a subscription bought elsewhere, imported with its product, end user,
//! dates and (optionally) the card it renews with. It has no order; it carries what one would.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::customers::Card;
use crate::error::{Error, Result};
use crate::kernel::fields::{amount, list, optional, required};
use crate::orders::validation::{Prefix, address, date};
use crate::orders::{AddressInput, CardSummary, OrderCustomer, PaymentInput, Subscription};
use crate::subscriptions::SubscriptionImport;

/// `addSubscription`'s Subscription, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionImportInput {
    pub external_subscription_reference: Option<String>,
    /// `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`; none for a lifetime product.
    pub expiration_date: Option<String>,
    pub product_code: Option<String>,
    pub product_id: Option<i64>,
    pub product_quantity: Option<i64>,
    pub price_option_codes: Vec<String>,
    pub end_user: Option<AddressInput>,
    pub language: Option<String>,
    pub external_customer_reference: Option<String>,
    pub recurring_enabled: Option<bool>,
    pub next_renewal_price: Option<Decimal>,
    pub next_renewal_price_currency: Option<String>,
    /// `Payment`: the card it renews with.
    pub payment: Option<PaymentInput>,
    pub test: Option<bool>,
}

/// An import to store: the subscription, what it carries, its customer (found by its external
/// reference, or created from the end user) and the card that customer gets.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSubscriptionImport {
    pub subscription: Subscription,
    pub import: SubscriptionImport,
    pub customer: OrderCustomer,
    pub card: Option<Card>,
    /// When it will go past due and expire, stored in its transaction.
    pub events: Vec<crate::notifications::NewEvent>,
    /// For the customer's status, derived from its subscriptions at this moment.
    pub now: DateTime<Utc>,
}

/// The import's fields that need no store, validated: its dates, quantity, end user, card.
pub(crate) struct ImportFields {
    pub start: DateTime<Utc>,
    pub expiration: Option<DateTime<Utc>>,
    pub quantity: u32,
    pub end_user: crate::orders::Address,
    pub language: String,
    pub price_options: Vec<String>,
    pub next_renewal_price: Option<Decimal>,
    pub card: Option<CardSummary>,
}

pub(crate) fn import_fields(input: &SubscriptionImportInput) -> Result<ImportFields> {
    let start =
        date("StartDate", input.start_date.clone(), false)?.ok_or(Error::MissingField("StartDate"))?;
    let expiration = date("ExpirationDate", input.expiration_date.clone(), true)?;
    if expiration.is_some_and(|expiration| expiration < start) {
        return Err(Error::invalid("ExpirationDate", "is before StartDate"));
    }
    let quantity = match input.product_quantity.unwrap_or(1) {
        quantity @ 1..=crate::orders::MAX_QUANTITY => u32::try_from(quantity).unwrap_or(1),
        _ => return Err(Error::invalid("Product.ProductQuantity", "must be from 1 to 99999")),
    };
    let end_user = address(Prefix::EndUser, input.end_user.clone().ok_or(Error::MissingField("EndUser"))?)?;
    let language = optional("EndUser.Language", input.language.clone(), 8)?
        .map(|language| language.to_ascii_lowercase())
        .unwrap_or_else(|| "en".to_owned());
    let price_options = list("Product.PriceOptionCodes", input.price_option_codes.clone(), |code| {
        required("Product.PriceOptionCodes", Some(code), 255)
    })?;
    let next_renewal_price = match input.next_renewal_price {
        Some(price) => Some(amount("NextRenewalPrice", Some(price))?),
        None => None,
    };
    let card = match &input.payment {
        Some(payment) => Some(crate::orders::validation::card(payment)?.0),
        None => None,
    };
    Ok(ImportFields {
        start,
        expiration,
        quantity,
        end_user,
        language,
        price_options,
        next_renewal_price,
        card,
    })
}
