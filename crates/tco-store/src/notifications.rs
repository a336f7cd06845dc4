//! The notifications' port: each merchant's settings (one JSON document), the events' outbox
//! and the deliveries with their attempts (JSON lists in their row) and leases.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use tco_core::{
    Attempt, Delivery, DeliveryFilter, DeliveryState, DueEvent, Message, NewEvent, NotificationKind,
    NotificationSettings, NotificationStore, StoreResult,
};

use crate::SqlStore;
use crate::db::{Conn, Counter, DbError, Param, Row, params};
use crate::query::Query;

#[derive(Debug, Serialize, Deserialize, Default)]
#[serde(default)]
struct SettingsDocument {
    ipn: Vec<String>,
    lcn: Vec<String>,
    #[serde(default)]
    ins: Vec<String>,
    pending_orders: bool,
    ipn_fields: Option<Vec<String>>,
}

impl From<SettingsDocument> for NotificationSettings {
    fn from(document: SettingsDocument) -> Self {
        NotificationSettings {
            ipn: document.ipn,
            lcn: document.lcn,
            ins: document.ins,
            pending_orders: document.pending_orders,
            ipn_fields: document.ipn_fields,
        }
    }
}

impl From<&NotificationSettings> for SettingsDocument {
    fn from(settings: &NotificationSettings) -> Self {
        SettingsDocument {
            ipn: settings.ipn.clone(),
            lcn: settings.lcn.clone(),
            ins: settings.ins.clone(),
            pending_orders: settings.pending_orders,
            ipn_fields: settings.ipn_fields.clone(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct AttemptDocument {
    at: i64,
    http_status: Option<u16>,
    verdict: String,
    accepted: bool,
}

const DELIVERY_COLUMNS: &str = "id, event_id, merchant_code, kind, event, subject, url, conformance_case, fields, \
    state, attempts, created_at, first_attempt_at, next_attempt_at";

fn json<T: Serialize>(value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|error| DbError::Decode(error.to_string()))
}

fn parsed<T: for<'de> Deserialize<'de>>(what: &str, text: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|error| DbError::Decode(format!("{what}: {error}")))
}

fn kind(row: &Row) -> Result<NotificationKind, DbError> {
    let text = row.text("kind")?;
    NotificationKind::parse(&text).ok_or_else(|| DbError::Decode(format!("kind {text}")))
}

fn optional_time(row: &Row, column: &str) -> Result<Option<DateTime<Utc>>, DbError> {
    Ok(match row.optional_integer(column)? {
        None => None,
        Some(_) => Some(row.time(column)?),
    })
}

fn delivery(row: &Row) -> Result<Delivery, DbError> {
    let state = row.text("state")?;
    let attempts: Vec<AttemptDocument> = parsed("attempts", &row.text("attempts")?)?;
    Ok(Delivery {
        id: row.integer("id")?,
        event_id: row.integer("event_id")?,
        merchant_code: row.text("merchant_code")?,
        kind: kind(row)?,
        event: row.text("event")?,
        subject: row.text("subject")?,
        url: row.text("url")?,
        case: row.optional_text("conformance_case")?,
        fields: parsed("fields", &row.text("fields")?)?,
        state: DeliveryState::parse(&state).ok_or_else(|| DbError::Decode(format!("state {state}")))?,
        attempts: attempts
            .into_iter()
            .map(|attempt| Attempt {
                at: DateTime::from_timestamp_millis(attempt.at).unwrap_or_default(),
                http_status: attempt.http_status,
                verdict: attempt.verdict,
                accepted: attempt.accepted,
            })
            .collect(),
        created_at: row.time("created_at")?,
        first_attempt_at: optional_time(row, "first_attempt_at")?,
        next_attempt_at: optional_time(row, "next_attempt_at")?,
    })
}

async fn settings(conn: &mut dyn Conn, merchant_code: &str) -> Result<SettingsDocument, DbError> {
    let row = conn
        .optional(
            "SELECT document FROM tco_notification_settings WHERE merchant_code = $1",
            &[Param::from(merchant_code)],
        )
        .await?;
    match row {
        Some(row) => parsed("notification settings", &row.text("document")?),
        None => Ok(SettingsDocument::default()),
    }
}

/// `count` new ids in one statement: PostgreSQL draws each from the sequence (concurrent
/// transactions cannot overlap), SQLite's one writer moves the counter row by `count`.
async fn notification_ids(conn: &mut dyn Conn, count: usize) -> Result<Vec<i64>, DbError> {
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    if conn.is_postgres() {
        let rows = conn
            .query(
                "SELECT nextval('tco_notification_id') AS value FROM generate_series(1, $1)",
                &[Param::Integer(count)],
            )
            .await?;
        return rows.iter().map(|row| row.integer("value")).collect();
    }
    let first = Counter::NotificationId.reserve(conn, count.unsigned_abs()).await?;
    Ok((first..first.saturating_add(count)).collect())
}

/// Stores events for `merchant_code` (those with no subject are about `subject`); their ids
/// (none for a scheduled event already stored).
pub(crate) async fn insert_events(
    conn: &mut dyn Conn,
    merchant_code: &str,
    events: &[NewEvent],
    subject: &str,
) -> Result<Vec<i64>, DbError> {
    let mut ids = Vec::with_capacity(events.len());
    if events.is_empty() {
        return Ok(ids);
    }
    // An IPN goes to the listeners the merchant has when its order is placed or changed: with
    // none, nobody is told, not even of the order's completion later (placing an order stays
    // cheap for a merchant that listens to nothing). An LCN goes to those it has then; what the
    // clock will do to a subscription is kept whoever listens, as it keeps its customer's status
    // and renews it.
    let settings = settings(conn, merchant_code).await?;
    let kept: Vec<&NewEvent> = events
        .iter()
        .filter(|event| match event.kind {
            NotificationKind::Ipn => !settings.ipn.is_empty(),
            NotificationKind::Lcn => event.scheduled_on.is_some() || !settings.lcn.is_empty(),
            NotificationKind::Ins => !settings.ins.is_empty(),
            NotificationKind::Renewal => true,
        })
        .collect();
    if kept.is_empty() {
        return Ok(ids);
    }
    let numbers = notification_ids(conn, kept.len()).await?;
    for (event, id) in kept.into_iter().zip(numbers) {
        let subject = if event.subject.is_empty() { subject } else { &event.subject };
        let dedupe = event.scheduled_on.map(|on| {
            let detail = event.detail.as_deref().unwrap_or_default();
            let (due, on) = (event.due_at.timestamp_millis(), on.timestamp_millis());
            format!("{}:{subject}:{detail}:{due}:{on}", event.event)
        });
        let stored = conn
            .execute(
                "INSERT INTO tco_events (id, merchant_code, kind, event, subject, due_at, scheduled_on, \
                 conformance, dedupe, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (merchant_code, dedupe) DO NOTHING",
                &[
                    Param::Integer(id),
                    Param::from(merchant_code),
                    Param::from(event.kind.as_str()),
                    Param::from(&event.event),
                    Param::from(subject),
                    Param::from(event.due_at),
                    Param::from(event.scheduled_on),
                    Param::from(event.conformance),
                    Param::from(dedupe),
                    Param::from(event.detail.as_deref()),
                ],
            )
            .await?;
        if stored == 1 {
            ids.push(id);
        }
    }
    Ok(ids)
}

async fn fan_out(
    conn: &mut dyn Conn,
    event: &DueEvent,
    messages: &[Message],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, DbError> {
    let taken = conn.execute("DELETE FROM tco_events WHERE id = $1", &[Param::from(event.id)]).await?;
    if taken != 1 {
        return Ok(Vec::new());
    }
    let settings = settings(conn, &event.merchant_code).await?;
    let urls = match event.kind {
        NotificationKind::Ipn => settings.ipn,
        NotificationKind::Lcn => settings.lcn,
        NotificationKind::Ins => settings.ins,
        NotificationKind::Renewal => Vec::new(),
    };
    let mut ids = Vec::new();
    for message in messages {
        let fields = json(&message.fields)?;
        for url in &urls {
            let id = Counter::NotificationId.next(conn).await?;
            conn.execute(
                "INSERT INTO tco_deliveries (id, event_id, merchant_code, kind, event, subject, url, \
                 conformance_case, fields, state, attempts, created_at, next_attempt_at) \
                 VALUES ($1, $10, $2, $3, $4, $5, $6, $7, $8, 'pending', '[]', $9, $9)",
                &[
                    Param::Integer(id),
                    Param::from(&event.merchant_code),
                    Param::from(event.kind.as_str()),
                    Param::from(&event.event),
                    Param::from(&event.subject),
                    Param::from(url),
                    Param::from(message.case.as_deref()),
                    Param::from(&fields),
                    Param::from(now),
                    Param::Integer(event.id),
                ],
            )
            .await?;
            ids.push(id);
        }
    }
    Ok(ids)
}

async fn due_deliveries(
    conn: &mut dyn Conn,
    now: DateTime<Utc>,
    wall: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<i64>, DbError> {
    let due = conn
        .query(
            "SELECT id FROM tco_deliveries WHERE next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $2) \
             ORDER BY next_attempt_at, id LIMIT $3",
            &[Param::from(now), Param::from(wall), Param::from(i64::from(limit))],
        )
        .await?;
    due.iter().map(|row| row.integer("id")).collect()
}

async fn lease(
    conn: &mut dyn Conn,
    owner: &str,
    due: &[i64],
    now: DateTime<Utc>,
    wall: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Vec<Delivery>, DbError> {
    let mut leased = Vec::with_capacity(due.len());
    for id in due {
        // Another instance may have leased it since: only a row still free is taken.
        let taken = conn
            .query(
                "UPDATE tco_deliveries SET lease_owner = $1, lease_until = $2 WHERE id = $3 \
                 AND next_attempt_at <= $4 AND (lease_until IS NULL OR lease_until < $5) \
                 RETURNING id, event_id, merchant_code, kind, event, subject, url, conformance_case, fields, \
                 state, attempts, created_at, first_attempt_at, next_attempt_at",
                &[
                    Param::from(owner),
                    Param::from(lease_until),
                    Param::from(*id),
                    Param::from(now),
                    Param::from(wall),
                ],
            )
            .await?;
        for row in &taken {
            leased.push(delivery(row)?);
        }
    }
    Ok(leased)
}

async fn record(
    conn: &mut dyn Conn,
    id: i64,
    owner: &str,
    attempt: &Attempt,
    state: DeliveryState,
    next_attempt_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    let Some(row) = conn
        .optional("SELECT attempts, lease_owner FROM tco_deliveries WHERE id = $1", &[Param::from(id)])
        .await?
    else {
        return Ok(());
    };
    if row.optional_text("lease_owner")?.as_deref() != Some(owner) {
        // The lease ran out and another instance took the delivery over: its record counts.
        return Ok(());
    }
    let mut attempts: Vec<AttemptDocument> = parsed("attempts", &row.text("attempts")?)?;
    attempts.push(AttemptDocument {
        at: attempt.at.timestamp_millis(),
        http_status: attempt.http_status,
        verdict: attempt.verdict.clone(),
        accepted: attempt.accepted,
    });
    conn.execute(
        "UPDATE tco_deliveries SET attempts = $1, state = $2, next_attempt_at = $3, \
         first_attempt_at = COALESCE(first_attempt_at, $4), lease_owner = NULL, lease_until = NULL \
         WHERE id = $5",
        &[
            Param::from(json(&attempts)?),
            Param::from(state.as_str()),
            Param::from(next_attempt_at),
            Param::from(attempt.at),
            Param::from(id),
        ],
    )
    .await?;
    Ok(())
}

#[async_trait]
impl NotificationStore for SqlStore {
    async fn notification_settings(&self, merchant_code: &str) -> StoreResult<NotificationSettings> {
        let merchant_code = merchant_code.to_owned();
        let document = self
            .backend
            .read(move |conn| {
                let merchant_code = merchant_code.clone();
                Box::pin(async move { settings(conn, &merchant_code).await })
            })
            .await?;
        Ok(document.into())
    }

    async fn save_notification_settings(
        &self,
        merchant_code: &str,
        settings: &NotificationSettings,
    ) -> StoreResult<()> {
        let document = json(&SettingsDocument::from(settings)).map_err(DbError::into_store)?;
        self.backend
            .execute(
                "INSERT INTO tco_notification_settings (merchant_code, document) VALUES ($1, $2) \
                 ON CONFLICT (merchant_code) DO UPDATE SET document = excluded.document",
                params![merchant_code, document],
            )
            .await
            .map(drop)
    }

    async fn add_events(&self, merchant_code: &str, events: &[NewEvent]) -> StoreResult<Vec<i64>> {
        let (merchant_code, events) = (merchant_code.to_owned(), events.to_vec());
        self.backend
            .write(move |conn| {
                let (merchant_code, events) = (merchant_code.clone(), events.clone());
                Box::pin(async move { insert_events(conn, &merchant_code, &events, "").await })
            })
            .await
    }

    async fn due_events(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<DueEvent>> {
        self.backend
            .rows(
                "SELECT id, merchant_code, kind, event, subject, due_at, scheduled_on, conformance, detail \
                 FROM tco_events WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2",
                params![now, i64::from(limit)],
                |row| {
                    Ok(DueEvent {
                        id: row.integer("id")?,
                        merchant_code: row.text("merchant_code")?,
                        kind: kind(row)?,
                        event: row.text("event")?,
                        subject: row.text("subject")?,
                        due_at: row.time("due_at")?,
                        scheduled_on: optional_time(row, "scheduled_on")?,
                        conformance: row.flag("conformance")?,
                        detail: row.optional_text("detail")?,
                    })
                },
            )
            .await
    }

    async fn fan_out(
        &self,
        event: &DueEvent,
        messages: &[Message],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        let (event, messages) = (event.clone(), messages.to_vec());
        self.backend
            .write(move |conn| {
                let (event, messages) = (event.clone(), messages.clone());
                Box::pin(async move { fan_out(conn, &event, &messages, now).await })
            })
            .await
    }

    async fn lease_deliveries(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        wall: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>> {
        // Looked for first by a read, so that an idle gateway writes nothing.
        let due = self
            .backend
            .read(move |conn| Box::pin(async move { due_deliveries(conn, now, wall, limit).await }))
            .await?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let owner = owner.to_owned();
        self.backend
            .write(move |conn| {
                let (owner, due) = (owner.clone(), due.clone());
                Box::pin(async move { lease(conn, &owner, &due, now, wall, lease_until).await })
            })
            .await
    }

    async fn record_attempt(
        &self,
        id: i64,
        owner: &str,
        attempt: &Attempt,
        state: DeliveryState,
        next_attempt_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let (owner, attempt) = (owner.to_owned(), attempt.clone());
        self.backend
            .write(move |conn| {
                let (owner, attempt) = (owner.clone(), attempt.clone());
                Box::pin(async move { record(conn, id, &owner, &attempt, state, next_attempt_at).await })
            })
            .await
    }

    async fn deliveries(&self, filter: &DeliveryFilter) -> StoreResult<Vec<Delivery>> {
        let mut query = Query::new(&format!("SELECT {DELIVERY_COLUMNS} FROM tco_deliveries WHERE 1 = 1"), []);
        if let Some(merchant_code) = &filter.merchant_code {
            query.and("merchant_code = ?", [Param::from(merchant_code)]);
        }
        if let Some(kind) = filter.kind {
            query.and("kind = ?", [Param::from(kind.as_str())]);
        }
        if let Some(event_id) = filter.event_id {
            query.and("event_id = ?", [Param::Integer(event_id)]);
        }
        if let Some(state) = filter.state {
            query.and("state = ?", [Param::from(state.as_str())]);
        }
        query.push(" ORDER BY id DESC LIMIT ?", [Param::Integer(i64::from(filter.limit))]);
        let (sql, values) = query.finish();
        self.backend
            .read(move |conn| {
                let values = values.clone();
                Box::pin(async move { conn.query(sql, &values).await?.iter().map(delivery).collect() })
            })
            .await
    }

    async fn delivery(&self, id: i64) -> StoreResult<Option<Delivery>> {
        self.backend
            .read(move |conn| {
                Box::pin(async move {
                    let row = conn
                        .optional(
                            "SELECT id, event_id, merchant_code, kind, event, subject, url, conformance_case, \
                             fields, state, attempts, created_at, first_attempt_at, next_attempt_at \
                             FROM tco_deliveries WHERE id = $1",
                            &[Param::from(id)],
                        )
                        .await?;
                    row.as_ref().map(delivery).transpose()
                })
            })
            .await
    }

    async fn resend_delivery(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let changed = self
            .backend
            .execute(
                "UPDATE tco_deliveries SET state = 'pending', next_attempt_at = $1, first_attempt_at = NULL, \
                 lease_owner = NULL, lease_until = NULL WHERE id = $2",
                params![now, id],
            )
            .await?;
        Ok(changed == 1)
    }
}
