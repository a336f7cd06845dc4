//! Search statements built from the filters a search actually has, so that each statement the
//! database plans has only conditions an index can serve — not `($2 IS NULL OR column = $2)`,
//! which no plan can. Values are always parameters (`?` in a condition becomes the next `$n`);
//! the texts are interned, since the [`crate::db::Conn`] API and SQLite's statement and result
//! caches key statements by their `&'static str`: the texts are the combinations of a search's
//! conditions, a bounded set.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use crate::db::Param;

/// A statement being built.
#[derive(Debug, Clone)]
pub(crate) struct Query {
    sql: String,
    params: Vec<Param>,
}

impl Query {
    /// Starts with `sql` (e.g. `FROM tco_orders WHERE merchant_code = ?`) and its values.
    pub(crate) fn new(sql: &str, values: impl IntoIterator<Item = Param>) -> Self {
        let mut query = Query { sql: String::new(), params: Vec::new() };
        query.push(sql, values);
        query
    }

    /// Adds `AND condition`.
    pub(crate) fn and(&mut self, condition: &str, values: impl IntoIterator<Item = Param>) -> &mut Self {
        self.sql.push_str(" AND ");
        self.push(condition, values)
    }

    /// Appends `sql`, each `?` in it the next value.
    pub(crate) fn push(&mut self, sql: &str, values: impl IntoIterator<Item = Param>) -> &mut Self {
        let mut values = values.into_iter();
        for part in sql.split_inclusive('?') {
            match part.strip_suffix('?') {
                Some(text) => {
                    self.sql.push_str(text);
                    self.params.push(values.next().unwrap_or(Param::Null(crate::db::Kind::Text)));
                    self.sql.push_str(&format!("${}", self.params.len()));
                }
                None => self.sql.push_str(part),
            }
        }
        self
    }

    /// `prefix` followed by the statement so far (`SELECT COUNT(*) AS count` + `FROM …`).
    pub(crate) fn select(&self, prefix: &str) -> Query {
        Query { sql: format!("{prefix} {}", self.sql), params: self.params.clone() }
    }

    pub(crate) fn finish(self) -> (&'static str, Vec<Param>) {
        (intern(self.sql), self.params)
    }
}

/// A search: its filter (`FROM … WHERE …`), its order and the key its rows are fetched by. A page
/// is read in two statements: the page's keys, which walk the filter's index in the order's
/// direction and skip the entries before the page without reading a row, then the page's rows
/// by key.
#[derive(Debug, Clone)]
pub(crate) struct Search {
    pub filter: Query,
    /// The `ORDER BY` terms (`placed_at DESC, ref_no DESC`): an index's, after the filter's.
    pub order: &'static str,
    /// The column the page's rows are fetched by (`ref_no`).
    pub key: &'static str,
}

impl Search {
    /// The page's keys, in order.
    pub(crate) fn keys(&self, limit: u32, offset: u64) -> (&'static str, Vec<Param>) {
        let mut keys = self.filter.select(&format!("SELECT {}", self.key));
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        keys.push(
            &format!(" ORDER BY {} LIMIT ? OFFSET ?", self.order),
            [Param::from(i64::from(limit)), Param::from(offset)],
        );
        keys.finish()
    }

    /// How many match.
    pub(crate) fn count(&self) -> (&'static str, Vec<Param>) {
        self.filter.select("SELECT COUNT(*) AS count").finish()
    }

    /// `select` (`SELECT … FROM …`) of the rows whose key is one of `keys`.
    pub(crate) fn rows(&self, select: &str, keys: &[Param]) -> (&'static str, Vec<Param>) {
        let marks = vec!["?"; keys.len()].join(", ");
        Query::new(&format!("{select} WHERE {} IN ({marks})", self.key), keys.iter().cloned()).finish()
    }
}

/// The rows in the order of their keys (`key` reads a row's).
pub(crate) fn in_order<T>(keys: &[Param], rows: Vec<T>, key: impl Fn(&T) -> Param) -> Vec<T> {
    let mut rows: Vec<Option<T>> = rows.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(keys.len());
    for wanted in keys {
        if let Some(row) = rows.iter_mut().find(|row| row.as_ref().is_some_and(|row| key(row) == *wanted)) {
            ordered.extend(row.take());
        }
    }
    ordered
}

pub(crate) fn intern(sql: String) -> &'static str {
    static TEXTS: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Mutex::default);
    let mut texts = TEXTS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = texts.get(sql.as_str()) {
        return known;
    }
    let text: &'static str = Box::leak(sql.into_boxed_str());
    texts.insert(text);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_the_parameters_and_interns_the_text() {
        let mut query = Query::new("FROM t WHERE a = ?", [Param::from("x")]);
        query.and("(b = ? OR c <= ?)", [Param::from(1i64), Param::from(2i64)]);
        let (sql, params) = query.select("SELECT *").finish();
        assert_eq!(sql, "SELECT * FROM t WHERE a = $1 AND (b = $2 OR c <= $3)");
        assert_eq!(params.len(), 3);
        let mut again = Query::new("FROM t WHERE a = ?", [Param::from("y")]);
        again.and("(b = ? OR c <= ?)", [Param::from(5i64), Param::from(6i64)]);
        assert!(std::ptr::eq(again.select("SELECT *").finish().0, sql), "one text for one shape");
    }
}
