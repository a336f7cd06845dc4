//! The data the gateway starts with: the built-in demo data (for the demo merchant) and the
//! `--fixtures` file, read from disk and handed to `tco_api::data_file`, which checks and loads
//! them in one transaction.

use std::path::Path;

use tco_api::data_file::{DEMO_DATA, DataFile, DataFileError};
use tco_core::Merchant;

/// The demo data and the data file at `path`, read and checked. With `only_served`, the file's
/// merchants that are not served are skipped rather than refused.
pub(crate) fn starting_data(
    merchants: &[Merchant],
    path: Option<&Path>,
    only_served: bool,
) -> Result<Vec<DataFile>, DataFileError> {
    let fixtures = match path {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|error| DataFileError {
                file: name.clone(),
                message: format!("cannot be read: {error}"),
            })?;
            Some(DataFile::parse(&text, &name, merchants, only_served)?)
        }
        None => None,
    };
    // A merchant whose snapshot the fixtures hold starts from it, not from the demo data.
    let snapshots: Vec<&str> = fixtures.iter().flat_map(DataFile::snapshot_codes).collect();
    let demo_merchants: Vec<Merchant> =
        merchants.iter().filter(|merchant| !snapshots.contains(&merchant.code.as_str())).cloned().collect();
    let mut files = vec![DataFile::parse(DEMO_DATA, "the built-in demo data", &demo_merchants, true)?];
    files.extend(fixtures);
    Ok(files)
}
