//! A subscription's renewals (written with each renewal order, `orders.rs`) and its additional
//! information fields.

use tco_core::{FieldRefusal, FieldWrite, HistoryKind, RenewalRecord, StoreResult};

use crate::SqlStore;
use crate::db::{Conn, DbError, Param};

pub(crate) async fn renewals(
    store: &SqlStore,
    merchant_code: &str,
    reference: &str,
) -> StoreResult<Vec<RenewalRecord>> {
    store
        .backend
        .rows(
            "SELECT kind, ref_no, renewed_at, expiration_from, expiration_to FROM tco_renewals \
             WHERE merchant_code = $1 AND reference = $2 ORDER BY renewed_at, expiration_from",
            vec![Param::from(merchant_code), Param::from(reference)],
            |row| {
                let kind = row.text("kind")?;
                Ok(RenewalRecord {
                    kind: HistoryKind::parse(&kind)
                        .ok_or_else(|| DbError::Decode(format!("history kind {kind}")))?,
                    ref_no: row.text("ref_no")?,
                    renewed_at: row.time("renewed_at")?,
                    expiration_from: row.time("expiration_from")?,
                    expiration_to: row.time("expiration_to")?,
                })
            },
        )
        .await
}

async fn fields(conn: &mut dyn Conn, key: &[Param]) -> Result<Vec<(String, String)>, DbError> {
    let rows = conn
        .query(
            "SELECT name, value FROM tco_subscription_fields WHERE merchant_code = $1 AND reference = $2 \
             ORDER BY position",
            key,
        )
        .await?;
    rows.iter().map(|row| Ok((row.text("name")?, row.text("value")?))).collect()
}

pub(crate) async fn subscription_fields(
    store: &SqlStore,
    merchant_code: &str,
    reference: &str,
) -> StoreResult<Vec<(String, String)>> {
    let key = vec![Param::from(merchant_code), Param::from(reference)];
    store
        .backend
        .read(move |conn| {
            let key = key.clone();
            Box::pin(async move { fields(conn, &key).await })
        })
        .await
}

pub(crate) async fn write_field(
    store: &SqlStore,
    merchant_code: &str,
    reference: &str,
    (name, value): (&str, &str),
    write: FieldWrite,
    max: usize,
) -> StoreResult<Result<(), FieldRefusal>> {
    let key = vec![Param::from(merchant_code), Param::from(reference)];
    let (name, value) = (name.to_owned(), value.to_owned());
    store
        .backend
        .write(move |conn| {
            let (key, name, value) = (key.clone(), name.clone(), value.clone());
            Box::pin(async move {
                let present = fields(conn, &key).await?;
                let exists = present.iter().any(|(known, _)| *known == name);
                let mut values = key.clone();
                values.extend([Param::from(&name), Param::from(&value)]);
                match write {
                    FieldWrite::Add if exists => return Ok(Err(FieldRefusal::Exists)),
                    FieldWrite::Add if present.len() >= max => return Ok(Err(FieldRefusal::Full)),
                    FieldWrite::Update if !exists => return Ok(Err(FieldRefusal::Absent)),
                    FieldWrite::Add => {
                        conn.execute(
                            "INSERT INTO tco_subscription_fields (merchant_code, reference, name, value, position) \
                             SELECT $1, $2, $3, $4, COALESCE(MAX(position), -1) + 1 FROM tco_subscription_fields \
                             WHERE merchant_code = $1 AND reference = $2",
                            &values,
                        )
                        .await?
                    }
                    FieldWrite::Update => {
                        conn.execute(
                            "UPDATE tco_subscription_fields SET value = $4 \
                             WHERE merchant_code = $1 AND reference = $2 AND name = $3",
                            &values,
                        )
                        .await?
                    }
                };
                Ok(Ok(()))
            })
        })
        .await
}

pub(crate) async fn delete_field(
    store: &SqlStore,
    merchant_code: &str,
    reference: &str,
    name: &str,
) -> StoreResult<bool> {
    let deleted = store
        .backend
        .execute(
            "DELETE FROM tco_subscription_fields WHERE merchant_code = $1 AND reference = $2 AND name = $3",
            vec![Param::from(merchant_code), Param::from(reference), Param::from(name)],
        )
        .await?;
    Ok(deleted == 1)
}
