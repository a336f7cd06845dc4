//! The field rules every family reads its input with: text trimmed and bounded, with no control
//! characters (so nothing a store cannot hold reaches one — PostgreSQL refuses NUL); codes and
//! lookup keys; amounts; countries; bounded lists; enumerations.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{Error, Result};
use crate::kernel::iso;

/// Codes (product, group, option, promotion…).
pub(crate) const CODE_MAX: usize = 100;
pub(crate) const NAME_MAX: usize = 255;
pub(crate) const TEXT_MAX: usize = 10_000;
pub(crate) const URL_MAX: usize = 2_000;
/// A product's pricing configurations, a configuration's prices, a group's options…
const ITEMS_MAX: usize = 200;
/// Amounts stay under ten billion with at most four decimals: fourteen significant digits.
const AMOUNT_MAX: i64 = 10_000_000_000;
const AMOUNT_DECIMALS: u32 = 4;

/// Values are trimmed; empty and whitespace-only ones count as absent: PHP and SOAP clients
/// send `""` for fields they leave unset.
pub(crate) fn optional(
    field: &'static str,
    value: Option<String>,
    max_chars: usize,
) -> Result<Option<String>> {
    let Some(value) = value.map(trimmed).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max_chars {
        return Err(Error::invalid(field, format!("longer than {max_chars} characters")));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(Some(value))
}

pub(crate) fn trimmed(value: String) -> String {
    let trimmed = value.trim();
    if trimmed.len() == value.len() { value } else { trimmed.to_owned() }
}

/// Whether a bearer value a client presents (session id, SSO or card token) could have been
/// issued: anything longer or with control characters is refused before any store sees it.
pub(crate) fn plausible_token(value: &str) -> bool {
    !value.is_empty() && value.len() <= 128 && !value.chars().any(char::is_control)
}

pub(crate) fn required(field: &'static str, value: Option<String>, max_chars: usize) -> Result<String> {
    optional(field, value, max_chars)?.ok_or(Error::MissingField(field))
}

/// A code (product, group, option): printable, no spaces at either end, at most 100 characters.
pub(crate) fn code(field: &'static str, value: Option<String>) -> Result<Option<String>> {
    optional(field, value, CODE_MAX)
}

/// A lookup key as a client sends it, in stored form; `None` when nothing stored could match
/// (too long, control characters), so the lookup finds nothing without asking the store.
pub(crate) fn lookup_code(value: &str) -> Option<String> {
    code("code", Some(value.to_owned())).ok().flatten()
}

pub(crate) fn list<T, I>(
    field: &'static str,
    items: Vec<I>,
    each: impl FnMut(I) -> Result<T>,
) -> Result<Vec<T>> {
    if items.len() > ITEMS_MAX {
        return Err(Error::invalid(field, format!("holds more than {ITEMS_MAX} items")));
    }
    items.into_iter().map(each).collect()
}

/// One of an enumeration's names (`parse`), in any case.
pub(crate) fn parsed<T>(
    field: &'static str,
    value: Option<String>,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
) -> Result<Option<T>> {
    let Some(text) = optional(field, value, 32)? else { return Ok(None) };
    parse(&text)
        .map(Some)
        .ok_or_else(|| Error::invalid(field, format!("\"{text}\" is not one of {}", names.join(", "))))
}

/// An amount charged to a card instead of a catalog price (`customPrice`, `renewSubscription`'s
/// price): at least 0, under 10,000,000,000, at most 2 decimals — bounded, so pricing it cannot
/// overflow.
pub(crate) fn charge(field: &'static str, value: Decimal) -> Result<Decimal> {
    let value = value.normalize();
    if value.is_sign_negative() || value >= Decimal::from(AMOUNT_MAX) || value.scale() > 2 {
        return Err(Error::invalid(
            field,
            "must be an amount of zero or more, under 10,000,000,000, with at most 2 decimals",
        ));
    }
    Ok(value)
}

pub(crate) fn amount(field: &'static str, value: Option<Decimal>) -> Result<Decimal> {
    let value = value.ok_or(Error::MissingField(field))?.normalize();
    if value.is_sign_negative() || value >= Decimal::from(AMOUNT_MAX) {
        return Err(Error::invalid(field, "must be at least 0 and under 10,000,000,000"));
    }
    if value.scale() > AMOUNT_DECIMALS {
        return Err(Error::invalid(field, format!("has more than {AMOUNT_DECIMALS} decimals")));
    }
    Ok(value)
}

/// An ISO 3166-1 alpha-2 country, lower-case.
pub(crate) fn country(field: &'static str, value: String) -> Result<String> {
    let lowercase = value.trim().to_ascii_lowercase();
    if iso::is_country_code(&lowercase) {
        Ok(lowercase)
    } else {
        Err(Error::invalid(field, format!("\"{value}\" is not an ISO 3166-1 alpha-2 country code")))
    }
}

/// A country that must be given.
pub(crate) fn required_country(field: &'static str, value: Option<String>) -> Result<String> {
    country(field, required(field, value, 2)?)
}

/// An amount rounded to a currency's `decimals`, half away from zero, as every price is.
pub(crate) fn round_money(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charge_is_bounded() {
        assert_eq!(charge("price", Decimal::new(1234, 2)).ok(), Some(Decimal::new(1234, 2)));
        assert_eq!(charge("price", Decimal::ZERO).ok(), Some(Decimal::ZERO));
        for refused in [Decimal::new(-1, 0), Decimal::new(1, 3), Decimal::from(AMOUNT_MAX), Decimal::MAX] {
            assert!(charge("price", refused).is_err(), "{refused}");
        }
    }
}
