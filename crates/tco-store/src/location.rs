//! Where the database lives, as the user writes it: a `postgres://` URL, a `sqlite:` URL,
//! or a plain file path for SQLite.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug, thiserror::Error)]
pub enum LocationError {
    #[error("unsupported database URL scheme in {0:?}: use postgres://…, sqlite://… or a file path")]
    UnsupportedScheme(String),
    #[error("in-memory SQLite is not supported: the gateway's data must be durable; use a file")]
    InMemory,
}

impl DatabaseLocation {
    pub fn parse(value: &str) -> Result<Self, LocationError> {
        let value = value.trim();
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            return Ok(DatabaseLocation::Postgres(value.to_owned()));
        }
        let path = if let Some(rest) = value.strip_prefix("sqlite:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            // Options such as `?mode=rwc` are the store's business, not the user's.
            rest.split('?').next().unwrap_or_default()
        } else if value.contains("://") {
            return Err(LocationError::UnsupportedScheme(value.to_owned()));
        } else {
            value
        };
        if path.is_empty() || path == ":memory:" {
            return Err(LocationError::InMemory);
        }
        Ok(DatabaseLocation::Sqlite(PathBuf::from(path)))
    }

    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            DatabaseLocation::Sqlite(path) => Some(path),
            DatabaseLocation::Postgres(_) => None,
        }
    }
}

/// Prints the location without a password.
impl fmt::Display for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseLocation::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            DatabaseLocation::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Debug for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseLocation({self})")
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_users_write() {
        assert_eq!(
            DatabaseLocation::parse("data/tco.db").unwrap(),
            DatabaseLocation::Sqlite("data/tco.db".into())
        );
        assert_eq!(
            DatabaseLocation::parse("sqlite://data/tco.db?mode=rwc").unwrap(),
            DatabaseLocation::Sqlite("data/tco.db".into())
        );
        assert_eq!(
            DatabaseLocation::parse("sqlite:/tmp/x.db").unwrap(),
            DatabaseLocation::Sqlite("/tmp/x.db".into())
        );
        assert!(matches!(
            DatabaseLocation::parse("postgres://u@h/db").unwrap(),
            DatabaseLocation::Postgres(_)
        ));
        assert!(DatabaseLocation::parse("mysql://h/db").is_err());
        assert!(DatabaseLocation::parse("sqlite::memory:").is_err());
    }

    #[test]
    fn display_hides_passwords() {
        let location = DatabaseLocation::parse("postgres://tco:hunter2@db:5432/tco").unwrap();
        assert_eq!(location.to_string(), "postgres://tco:***@db:5432/tco");
        let location = DatabaseLocation::parse("postgres://db/tco").unwrap();
        assert_eq!(location.to_string(), "postgres://db/tco");
    }
}
