//! The legacy wire's conventions: every number a string, money with two decimals, dates
//! `YYYY-MM-DD HH:MM:SS`, ISO-3 countries, and the `page_info` of lists.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

pub(crate) fn money(amount: Decimal) -> Value {
    Value::String(format!("{:.2}", amount.round_dp(2)))
}

pub(crate) fn number(value: impl ToString) -> Value {
    Value::String(value.to_string())
}

pub(crate) fn text(value: impl Into<String>) -> Value {
    Value::String(value.into())
}

pub(crate) fn date_time(moment: DateTime<Utc>) -> Value {
    Value::String(moment.format("%Y-%m-%d %H:%M:%S").to_string())
}

pub(crate) fn day(moment: DateTime<Utc>) -> Value {
    Value::String(moment.format("%Y-%m-%d").to_string())
}

/// A one-member payload.
pub(crate) fn payload(name: &str, value: Value) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(name.to_owned(), value);
    map
}

/// A list's `page_info`, its URLs under `path` with the query's page size.
pub(crate) fn page_info(path: &str, page: u64, size: u64, total: u64) -> Value {
    let last_page = total.div_ceil(size).max(1);
    let first_entry = if total == 0 { 0 } else { (page - 1) * size + 1 };
    let last_entry = (page * size).min(total);
    let url = |page: u64| format!("/api/{path}?cur_page={page}&pagesize={size}");
    let optional = |page: Option<u64>| page.map_or(Value::Null, number);
    json!({
        "cur_page": number(page),
        "first_entry": number(first_entry),
        "first_page": "1",
        "first_page_url": url(1),
        "last_entry": number(last_entry),
        "last_page": number(last_page),
        "last_page_url": url(last_page),
        "next_page": optional((page < last_page).then_some(page + 1)),
        "pagesize": number(size),
        "previous_page": optional((page > 1).then(|| page - 1)),
        "total_entries": number(total),
    })
}

/// `cur_page` (from 1) and `pagesize` (1 to 100, 20 by default).
pub(crate) fn paging(request: &crate::LegacyRequest) -> tco_core::Result<(u64, u64)> {
    let read = |name: &'static str, default: u64, max: u64| match request.get(name) {
        None => Ok(default),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|value| (1..=max).contains(value))
            .ok_or_else(|| tco_core::Error::invalid(name, format!("must be a number from 1 to {max}"))),
    };
    Ok((read("cur_page", 1, u64::MAX / 200)?, read("pagesize", 20, 100)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_info_counts_entries_and_pages() {
        let info = page_info("sales/list_sales", 2, 2, 5);
        assert_eq!(info["first_entry"], "3");
        assert_eq!(info["last_entry"], "4");
        assert_eq!(info["last_page"], "3");
        assert_eq!(info["next_page"], "3");
        assert_eq!(info["previous_page"], "1");
        let empty = page_info("sales/list_sales", 1, 20, 0);
        assert_eq!((empty["first_entry"].as_str(), empty["next_page"].is_null()), (Some("0"), true));
    }
}
