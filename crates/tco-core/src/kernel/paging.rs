//! Paging, as every search reads it: which page of how many items.

use crate::error::{Error, Result};

/// One page of a search's results, and how many match over all pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub limit: u32,
    pub count: u64,
}

impl<T> Page<T> {
    /// The page of a list already filtered and ordered (lists the store hands over whole).
    pub(crate) fn of(items: Vec<T>, page: u32, limit: u32) -> Page<T> {
        let (items, count) = page_of(items, page, limit);
        Page { items, page, limit, count }
    }

    /// The same page with each item converted.
    pub fn map<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(convert).collect(),
            page: self.page,
            limit: self.limit,
            count: self.count,
        }
    }
}

pub const DEFAULT_PAGE_LIMIT: u32 = 10;

pub const MAX_PAGE_LIMIT: u32 = 200;

/// Which page of how many items, as every search reads them: page from 1 (default 1), limit
/// from 1 to [`MAX_PAGE_LIMIT`] (default [`DEFAULT_PAGE_LIMIT`]); `fields` name the two in errors.
pub(crate) fn page_and_limit(
    page: Option<i64>,
    limit: Option<i64>,
    fields: (&'static str, &'static str),
) -> Result<(u32, u32)> {
    let page = match page {
        None => 1,
        Some(page) => u32::try_from(page)
            .ok()
            .filter(|page| *page >= 1)
            .ok_or_else(|| Error::invalid(fields.0, "must be a positive integer"))?,
    };
    let limit = match limit {
        None => DEFAULT_PAGE_LIMIT,
        Some(limit) => u32::try_from(limit)
            .ok()
            .filter(|limit| (1..=MAX_PAGE_LIMIT).contains(limit))
            .ok_or_else(|| Error::invalid(fields.1, format!("must be from 1 to {MAX_PAGE_LIMIT}")))?,
    };
    Ok((page, limit))
}

/// One page of a list already filtered and ordered (lists the store hands over whole), and how
/// many it holds.
fn page_of<T>(items: Vec<T>, page: u32, limit: u32) -> (Vec<T>, u64) {
    let count = items.len() as u64;
    let offset = (page.saturating_sub(1) as usize).saturating_mul(limit as usize);
    (items.into_iter().skip(offset).take(limit as usize).collect(), count)
}
