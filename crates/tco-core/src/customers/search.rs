//! `searchCustomers`: filters and pagination, validated before they reach the store.

use super::model::email_key;
use crate::error::{Error, Result};
use crate::kernel::fields::optional;
use crate::kernel::paging::page_and_limit;

/// Search options as a client sends them; `None` and `""` mean "no filter".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchInput {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country_code: Option<String>,
    pub language: Option<String>,
    pub trial: Option<bool>,
    /// `ACTIVE` or `INACTIVE`, case-insensitive.
    pub status: Option<String>,
    /// 1-based.
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// Validated filters: every `Some` must match. Results are ordered by reference, so pages
/// are stable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Compared with [`crate::CustomerFields::email_key`]: exact but case-insensitive.
    pub email_key: Option<String>,
    pub phone: Option<String>,
    pub country_code: Option<String>,
    pub language: Option<String>,
    pub trial: Option<bool>,
    pub enabled: Option<bool>,
    pub page: u32,
    pub limit: u32,
}

impl SearchQuery {
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.limit)
    }
}

impl TryFrom<SearchInput> for SearchQuery {
    type Error = Error;

    fn try_from(input: SearchInput) -> Result<Self> {
        let enabled = match optional("Status", input.status, 16)? {
            None => None,
            Some(status) => match status.trim().to_ascii_uppercase().as_str() {
                "ACTIVE" => Some(true),
                "INACTIVE" => Some(false),
                _ => return Err(Error::invalid("Status", "must be ACTIVE or INACTIVE")),
            },
        };
        let (page, limit) = page_and_limit(input.page, input.limit, ("Pagination.Page", "Pagination.Limit"))?;
        Ok(SearchQuery {
            email_key: optional("Email", input.email, 254)?.map(|email| email_key(email.trim())),
            phone: optional("Phone", input.phone, 50)?,
            country_code: optional("CountryCode", input.country_code, 16)?
                .map(|code| code.trim().to_ascii_lowercase()),
            language: optional("Language", input.language, 16)?.map(|code| code.trim().to_ascii_lowercase()),
            trial: input.trial,
            enabled,
            page,
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::paging::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT};

    #[test]
    fn defaults_and_normalisation() {
        let query = SearchQuery::try_from(SearchInput {
            email: Some(" John@Example.COM ".into()),
            country_code: Some("US".into()),
            status: Some("active".into()),
            phone: Some(String::new()),
            ..SearchInput::default()
        })
        .unwrap();
        assert_eq!(query.email_key.as_deref(), Some("john@example.com"));
        assert_eq!(query.country_code.as_deref(), Some("us"));
        assert_eq!(query.enabled, Some(true));
        assert_eq!(query.phone, None);
        assert_eq!((query.page, query.limit, query.offset()), (1, DEFAULT_PAGE_LIMIT, 0));
    }

    #[test]
    fn bad_options_are_refused() {
        for input in [
            SearchInput { status: Some("DELETED".into()), ..SearchInput::default() },
            SearchInput { page: Some(0), ..SearchInput::default() },
            SearchInput { page: Some(-3), ..SearchInput::default() },
            SearchInput { limit: Some(0), ..SearchInput::default() },
            SearchInput { limit: Some(i64::from(MAX_PAGE_LIMIT) + 1), ..SearchInput::default() },
        ] {
            assert!(matches!(SearchQuery::try_from(input), Err(Error::InvalidField { .. })));
        }
    }

    #[test]
    fn offset_is_computed_without_overflow() {
        let query = SearchQuery::try_from(SearchInput {
            page: Some(i64::from(u32::MAX)),
            limit: Some(200),
            ..SearchInput::default()
        })
        .unwrap();
        assert_eq!(query.offset(), (u64::from(u32::MAX) - 1) * 200);
    }
}
