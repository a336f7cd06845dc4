//! A merchant's stored state as rows, table by table: what `GET /_admin/snapshot` writes into a
//! data file and loading that file puts back, so references, `RefNo`s and dates come back as they
//! were. The store decides which tables hold a merchant's state; the core only carries them.

/// One stored value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

/// A table's rows of one merchant (without the merchant's code, which the loading merchant
/// supplies).
#[derive(Debug, Clone, PartialEq)]
pub struct TableRows {
    pub table: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A merchant's stored state, parents before children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredState {
    /// The schema version it was taken at: loading refuses another.
    pub schema: i64,
    pub tables: Vec<TableRows>,
}
