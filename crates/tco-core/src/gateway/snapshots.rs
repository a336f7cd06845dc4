//! Snapshots: a merchant's stored state taken whole and put back into a merchant that has none.

use crate::error::{Error, Result, StoreError};
use crate::gateway::Gateway;
use crate::snapshot::StoredState;

impl Gateway {
    /// The merchant's stored state.
    pub async fn merchant_state(&self, merchant_code: &str) -> Result<StoredState> {
        if self.merchants().get(merchant_code).is_none() {
            return Err(Error::invalid("merchant", format!("{merchant_code:?} is not a merchant here")));
        }
        Ok(self.store().export_merchant(merchant_code).await?)
    }

    /// Puts a snapshot's stored state back for the merchant; the number of rows put back, none
    /// when the merchant has state already (it is left as it is, as loading leaves what exists).
    pub async fn restore_merchant_state(&self, merchant_code: &str, state: &StoredState) -> Result<usize> {
        match self.store().import_merchant(merchant_code, state).await {
            Ok(true) => Ok(state.tables.iter().map(|table| table.rows.len()).sum()),
            Ok(false) => {
                tracing::info!(merchant = merchant_code, "a snapshot was not loaded: the merchant has state");
                Ok(0)
            }
            Err(StoreError::Conflict(message)) => Err(Error::invalid("Snapshot", message)),
            Err(error) => Err(error.into()),
        }
    }
}
