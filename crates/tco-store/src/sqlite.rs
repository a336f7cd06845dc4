//! SQLite, the embedded default, on rusqlite with the bundled library.
//!
//! - **One writer thread** owns the one write connection (WAL, `synchronous=FULL`). It commits
//!   whatever writes are queued, up to [`MAX_BATCH`], in one transaction, so one fsync serves
//!   many requests; a batch in which a request fails (a duplicate) runs again with a savepoint
//!   per request, so that request fails alone. A request is answered only after its batch's
//!   `COMMIT` returned: an acknowledged write survives `kill -9`.
//! - **A transaction of many steps** (a data file loaded whole or not at all) takes the writer for
//!   itself: the writer begins it, runs each step the caller sends (reads too, so they see its
//!   writes) under a savepoint, and commits when told — or rolls back when the caller drops it or
//!   goes quiet for [`TRANSACTION_TIMEOUT`]. Other writes wait meanwhile; reads do not.
//! - **Reads** run inline on the calling thread, on one of a few read connections with cached
//!   statements: no hand-off to another thread per query.
//! - **A read-through cache** of query results, kept exact by the writer: every result is tagged
//!   with the generations of the tables it read, taken before the read; the writer bumps the
//!   generations of the tables a batch wrote once the batch is committed, so a result read
//!   before a commit is never used after it. Safe because the gateway is the file's only writer:
//!   the store holds an exclusive lock on the file, and a second gateway refuses to open it.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;

use async_trait::async_trait;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{Connection, OpenFlags};
use tco_core::{StoreError, StoreResult};

use crate::db::{Conn, DbError, Kind, Param, Row, Work, completed};

/// The most writes one transaction commits together.
pub(crate) const MAX_BATCH: usize = 64;
/// The bytes the read cache may hold before it starts over.
const CACHE_BYTES: usize = 32 * 1024 * 1024;
/// How long a transaction of many steps may wait for its next step before it is rolled back, so
/// that a caller that never finishes cannot hold every writer up.
const TRANSACTION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A write queued for the writer.
trait Job: Send {
    /// Runs the work on the write connection (again, after its batch was rolled back) and keeps
    /// its result; says whether it succeeded.
    fn run(&mut self, conn: &mut WriteConn<'_>) -> bool;
    /// Answers the request, once its batch is committed or has failed.
    fn finish(self: Box<Self>, committed: Result<(), StoreError>);
}

struct Request<T, W> {
    work: W,
    result: Option<Result<T, DbError>>,
    answer: tokio::sync::oneshot::Sender<StoreResult<T>>,
}

impl<T: Send, W: Work<T>> Job for Request<T, W> {
    fn run(&mut self, conn: &mut WriteConn<'_>) -> bool {
        let result = completed((self.work)(conn));
        let succeeded = result.is_ok();
        self.result = Some(result);
        succeeded
    }

    fn finish(self: Box<Self>, committed: Result<(), StoreError>) {
        let answer = match (committed, self.result) {
            (_, Some(Err(error))) => Err(error.into_store()),
            (Err(error), _) => Err(error),
            (Ok(()), Some(Ok(value))) => Ok(value),
            (Ok(()), None) => Err(StoreError::Unavailable("the write was not run".into())),
        };
        let _ = self.answer.send(answer);
    }
}

/// What the writer is asked to do.
enum Message {
    Write(Box<dyn Job>),
    /// Begin a transaction and run its steps until it commits or is dropped.
    Transaction {
        steps: mpsc::Receiver<Step>,
        begun: tokio::sync::oneshot::Sender<StoreResult<()>>,
    },
}

/// A step of a transaction.
enum Step {
    Run(Box<dyn Job>),
    Commit(tokio::sync::oneshot::Sender<StoreResult<()>>),
}

type Queue = mpsc::Sender<Message>;

#[derive(Debug)]
pub(crate) struct Sqlite {
    /// The writer's queue and thread; `None` once closed.
    writer: Mutex<Option<(Queue, JoinHandle<()>)>>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
    cache: Arc<Cache>,
    /// The exclusive lock on the database file, held until the store is closed.
    lock: Mutex<Option<File>>,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the database {0} is used by another tco-gateway (it is locked); one gateway per SQLite file")]
    Locked(String),
    #[error("cannot open the database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("cannot lock the database {path}: {source}")]
    Lock { path: String, source: std::io::Error },
    #[error("cannot start the database writer: {0}")]
    Thread(std::io::Error),
}

impl Sqlite {
    /// Opens the file (creating it), takes its lock, and starts the writer. `readers` read
    /// connections are opened (at least one).
    pub(crate) fn open(path: &Path, readers: usize) -> Result<Sqlite, OpenError> {
        let shown = path.display().to_string();
        let open_error = |source| OpenError::Open { path: shown.clone(), source };
        let writer = Connection::open(path).map_err(open_error)?;
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                 PRAGMA busy_timeout = 5000;",
            )
            .map_err(open_error)?;
        let lock = File::options()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|source| OpenError::Lock { path: shown.clone(), source })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(OpenError::Locked(shown)),
            Err(std::fs::TryLockError::Error(source)) => return Err(OpenError::Lock { path: shown, source }),
        }
        crate::migrate::sqlite(&writer).map_err(open_error)?;
        let readers = (0..readers.max(1))
            .map(|_| {
                let reader = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                reader.execute_batch("PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;")?;
                reader.set_prepared_statement_cache_capacity(64);
                Ok(Mutex::new(reader))
            })
            .collect::<Result<Vec<_>, rusqlite::Error>>()
            .map_err(open_error)?;
        writer.set_prepared_statement_cache_capacity(64);
        let cache = Arc::new(Cache::default());
        let (jobs, queue) = mpsc::channel::<Message>();
        let writer_cache = cache.clone();
        let writer_path = path.to_owned();
        let thread = std::thread::Builder::new()
            .name("tco-sqlite-writer".into())
            .spawn(move || write_loop(writer, &writer_path, &queue, &writer_cache))
            .map_err(OpenError::Thread)?;
        Ok(Sqlite {
            writer: Mutex::new(Some((jobs, thread))),
            readers,
            next: AtomicUsize::new(0),
            cache,
            lock: Mutex::new(Some(lock)),
        })
    }

    /// Lets the writer finish what is queued, closes the write connection and releases the
    /// file's lock, so that another store may open it. Later writes fail as unavailable.
    pub(crate) async fn close(&self) {
        let writer = lock(&self.writer).take();
        if let Some((jobs, thread)) = writer {
            drop(jobs);
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
        lock(&self.lock).take();
    }

    /// Read connections busy now, and how many there are.
    pub(crate) fn usage(&self) -> (usize, usize) {
        let busy = self.readers.iter().filter(|reader| reader.try_lock().is_err()).count();
        (busy, self.readers.len())
    }

    pub(crate) fn read<T>(&self, work: &impl Work<T>) -> StoreResult<T> {
        let index = self.next.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        // Another reader may hold this one: try the others before waiting.
        let mut reader = None;
        for offset in 0..self.readers.len() {
            if let Ok(guard) = self.readers[(index + offset) % self.readers.len()].try_lock() {
                reader = Some(guard);
                break;
            }
        }
        let mut reader = match reader {
            Some(reader) => reader,
            None => lock(&self.readers[index]),
        };
        let mut conn = ReadConn { connection: &mut reader, cache: &self.cache };
        completed(work(&mut conn)).map_err(DbError::into_store)
    }

    pub(crate) async fn write<T: Send + 'static>(&self, work: impl Work<T>) -> StoreResult<T> {
        let (answer, answered) = tokio::sync::oneshot::channel::<StoreResult<T>>();
        let job = Box::new(Request { work, result: None, answer });
        self.send(Message::Write(job))?;
        answered.await.unwrap_or_else(|_| Err(stopped()))
    }

    fn send(&self, message: Message) -> StoreResult<()> {
        match lock(&self.writer).as_ref() {
            Some((jobs, _)) => jobs.send(message).map_err(|_| stopped()),
            None => Err(stopped()),
        }
    }

    /// Begins a transaction of many steps on the writer (once the writes queued before it are
    /// committed).
    pub(crate) async fn begin(&self) -> StoreResult<SqliteTransaction> {
        let (steps, receiver) = mpsc::channel();
        let (begun, began) = tokio::sync::oneshot::channel();
        self.send(Message::Transaction { steps: receiver, begun })?;
        began.await.unwrap_or_else(|_| Err(stopped()))?;
        Ok(SqliteTransaction { steps: Mutex::new(Some(steps)) })
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the SQLite writer has stopped".into())
}

/// A transaction the writer runs step by step; dropped before [`SqliteTransaction::commit`], it
/// is rolled back.
#[derive(Debug)]
pub(crate) struct SqliteTransaction {
    steps: Mutex<Option<mpsc::Sender<Step>>>,
}

impl SqliteTransaction {
    fn send(&self, step: Step) -> StoreResult<()> {
        let ended = || StoreError::Failure("the transaction has ended".into());
        lock(&self.steps).as_ref().ok_or_else(ended)?.send(step).map_err(|_| ended())
    }

    /// Runs `work` inside the transaction, reads and writes alike.
    pub(crate) async fn run<T: Send + 'static>(&self, work: impl Work<T>) -> StoreResult<T> {
        let (answer, answered) = tokio::sync::oneshot::channel::<StoreResult<T>>();
        self.send(Step::Run(Box::new(Request { work, result: None, answer })))?;
        answered.await.unwrap_or_else(|_| Err(StoreError::Failure("the transaction was rolled back".into())))
    }

    pub(crate) async fn commit(&self) -> StoreResult<()> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.send(Step::Commit(answer))?;
        lock(&self.steps).take();
        answered.await.unwrap_or_else(|_| Err(StoreError::Failure("the transaction was rolled back".into())))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The writer: takes what is queued, runs it in one transaction, commits, answers; or runs a
/// transaction of many steps.
fn write_loop(mut connection: Connection, path: &Path, queue: &mpsc::Receiver<Message>, cache: &Cache) {
    let mut next = None;
    loop {
        let message = match next.take() {
            Some(message) => message,
            None => match queue.recv() {
                Ok(message) => message,
                Err(_) => return,
            },
        };
        match message {
            Message::Transaction { steps, begun } => {
                connection = run_transaction(connection, path, &steps, begun, cache);
            }
            Message::Write(first) => {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match queue.try_recv() {
                        Ok(Message::Write(job)) => batch.push(job),
                        Ok(transaction) => {
                            next = Some(transaction);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                connection = commit_batch(connection, path, batch, cache);
            }
        }
    }
}

/// Runs a transaction's steps, each under a savepoint (a failed step changes nothing and the
/// caller decides), until it is committed or abandoned.
fn run_transaction(
    mut connection: Connection,
    path: &Path,
    steps: &mpsc::Receiver<Step>,
    begun: tokio::sync::oneshot::Sender<StoreResult<()>>,
    cache: &Cache,
) -> Connection {
    if let Err(error) = connection.execute_batch("BEGIN IMMEDIATE") {
        let _ = begun.send(Err(crate::error::sqlite_error(&error)));
        return connection;
    }
    if begun.send(Ok(())).is_err() {
        return end(connection, path, "ROLLBACK");
    }
    let mut written = Vec::new();
    loop {
        match steps.recv_timeout(TRANSACTION_TIMEOUT) {
            Ok(Step::Run(mut job)) => {
                let open = !connection.is_autocommit() && connection.execute_batch("SAVEPOINT step").is_ok();
                let ok = run(
                    job.as_mut(),
                    &mut WriteConn { connection: &mut connection, written: &mut written, open },
                );
                if open {
                    let _ = if ok {
                        connection.execute_batch("RELEASE step")
                    } else {
                        connection.execute_batch("ROLLBACK TO step; RELEASE step")
                    };
                }
                job.finish(Ok(()));
            }
            Ok(Step::Commit(answer)) => {
                let committed = if connection.is_autocommit() {
                    Err(StoreError::Unavailable("the transaction was rolled back by SQLite".into()))
                } else {
                    connection.execute_batch("COMMIT").map_err(|error| crate::error::sqlite_error(&error))
                };
                if committed.is_ok() {
                    cache.advance(&written);
                } else if !connection.is_autocommit() {
                    connection = end(connection, path, "ROLLBACK");
                }
                tracing::debug!(committed = committed.is_ok(), "SQLite transaction");
                let _ = answer.send(committed);
                return connection;
            }
            Err(reason) => {
                if matches!(reason, mpsc::RecvTimeoutError::Timeout) {
                    tracing::warn!("a transaction waited too long for its next step: rolled back");
                }
                return if connection.is_autocommit() {
                    connection
                } else {
                    end(connection, path, "ROLLBACK")
                };
            }
        }
    }
}

/// Runs a batch and commits it. Most batches succeed whole, so they first run without a
/// savepoint per request — one costs a copy of every page the request changes. If a request
/// fails, the batch is rolled back and run again with a savepoint each, so that the failing
/// request fails alone; a batch of one needs none.
fn commit_batch(
    mut connection: Connection,
    path: &Path,
    mut batch: Vec<Box<dyn Job>>,
    cache: &Cache,
) -> Connection {
    let mut written = Vec::new();
    let mut outcome = run_batch(&mut connection, &mut batch, &mut written, false);
    if batch.len() > 1 && outcome.begun.is_ok() && outcome.succeeded.contains(&false) {
        connection = end(connection, path, "ROLLBACK");
        written.clear();
        outcome = run_batch(&mut connection, &mut batch, &mut written, true);
    }
    let committed = match outcome.begun {
        Err(error) => Err(error),
        // A statement that failed for lack of space may have rolled the whole transaction back.
        Ok(()) if connection.is_autocommit() => {
            Err(StoreError::Unavailable("the write transaction was rolled back by SQLite".into()))
        }
        Ok(()) if !outcome.succeeded.contains(&true) => {
            connection = end(connection, path, "ROLLBACK");
            Ok(())
        }
        Ok(()) => connection.execute_batch("COMMIT").map_err(|error| crate::error::sqlite_error(&error)),
    };
    if committed.is_err() && !connection.is_autocommit() {
        connection = end(connection, path, "ROLLBACK");
    }
    if committed.is_ok() && outcome.succeeded.contains(&true) {
        cache.advance(&written);
    }
    tracing::trace!(requests = batch.len(), committed = committed.is_ok(), "SQLite write batch");
    for (job, succeeded) in batch.into_iter().zip(outcome.succeeded) {
        job.finish(if succeeded { committed.clone() } else { Ok(()) });
    }
    connection
}

/// How a run of a batch went: whether its transaction began, and which requests succeeded.
struct Outcome {
    begun: Result<(), StoreError>,
    succeeded: Vec<bool>,
}

/// Runs the batch in a transaction (left open). Without savepoints it stops at the first
/// failure, since the batch will run again.
fn run_batch(
    connection: &mut Connection,
    batch: &mut [Box<dyn Job>],
    written: &mut Vec<&'static str>,
    savepoints: bool,
) -> Outcome {
    if let Err(error) = connection.execute_batch("BEGIN IMMEDIATE") {
        return Outcome {
            begun: Err(crate::error::sqlite_error(&error)),
            succeeded: vec![false; batch.len()],
        };
    }
    let mut succeeded = Vec::with_capacity(batch.len());
    for job in batch.iter_mut() {
        // A failed statement (a full disk) may have rolled the whole transaction back: then
        // nothing may run, or it would commit on its own.
        let open = !connection.is_autocommit()
            && (!savepoints || connection.execute_batch("SAVEPOINT request").is_ok());
        let ok = run(job.as_mut(), &mut WriteConn { connection, written, open });
        if savepoints && open {
            let _ = if ok {
                connection.execute_batch("RELEASE request")
            } else {
                connection.execute_batch("ROLLBACK TO request; RELEASE request")
            };
        }
        succeeded.push(ok);
        if !ok && !savepoints {
            break;
        }
    }
    succeeded.resize(batch.len(), false);
    Outcome { begun: Ok(()), succeeded }
}

/// Runs a job; one that panicked counts as failed and leaves the writer running.
fn run(job: &mut dyn Job, conn: &mut WriteConn<'_>) -> bool {
    std::panic::catch_unwind(AssertUnwindSafe(|| job.run(conn))).unwrap_or(false)
}

/// Ends the open transaction with `sql`; if that fails and the transaction's state is unknown,
/// the connection is never used again.
fn end(connection: Connection, path: &Path, sql: &str) -> Connection {
    if connection.execute_batch(sql).is_ok() || connection.is_autocommit() {
        return connection;
    }
    match reopen(path) {
        Ok(fresh) => fresh,
        Err(error) => {
            tracing::error!(%error, "cannot reopen the SQLite write connection");
            connection
        }
    }
}

fn reopen(path: &Path) -> Result<Connection, rusqlite::Error> {
    let connection = Connection::open(path)?;
    connection
        .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")?;
    connection.set_prepared_statement_cache_capacity(64);
    Ok(connection)
}

/// The write connection inside the batch's transaction.
pub(crate) struct WriteConn<'a> {
    connection: &'a mut Connection,
    written: &'a mut Vec<&'static str>,
    /// False when the transaction is not open (it did not begin, or SQLite rolled it back):
    /// nothing may then be written.
    open: bool,
}

#[async_trait]
impl Conn for WriteConn<'_> {
    fn is_postgres(&self) -> bool {
        false
    }

    async fn query(&mut self, sql: &'static str, params: &[Param]) -> Result<Vec<Row>, DbError> {
        self.note(sql)?;
        run_query(self.connection, sql, params)
    }

    async fn execute(&mut self, sql: &'static str, params: &[Param]) -> Result<u64, DbError> {
        self.note(sql)?;
        tracing::trace!(sql, "SQLite statement");
        let mut statement = self.connection.prepare_cached(sql)?;
        bind(&mut statement, params)?;
        Ok(statement.raw_execute()? as u64)
    }
}

impl WriteConn<'_> {
    fn note(&mut self, sql: &'static str) -> Result<(), DbError> {
        if !self.open {
            return Err(DbError::Store(StoreError::Unavailable(
                "the write transaction could not begin".into(),
            )));
        }
        if let Some(table) = written_table(sql)
            && !self.written.contains(&table)
        {
            self.written.push(table);
        }
        Ok(())
    }
}

/// A read connection, with the cache in front of it.
struct ReadConn<'a> {
    connection: &'a mut Connection,
    cache: &'a Cache,
}

#[async_trait]
impl Conn for ReadConn<'_> {
    fn is_postgres(&self) -> bool {
        false
    }

    async fn query(&mut self, sql: &'static str, params: &[Param]) -> Result<Vec<Row>, DbError> {
        let tables = self.cache.tables(sql);
        if tables.is_empty() {
            // Nothing a write could change (a health check): always asks the database.
            return run_query(self.connection, sql, params);
        }
        let generations = self.cache.generations(&tables);
        if let Some(rows) = self.cache.get(sql, params, &generations) {
            return Ok(rows);
        }
        let rows = run_query(self.connection, sql, params)?;
        self.cache.put(sql, params, generations, &rows);
        Ok(rows)
    }

    async fn execute(&mut self, _: &'static str, _: &[Param]) -> Result<u64, DbError> {
        Err(DbError::Decode("a read tried to write".into()))
    }
}

fn run_query(connection: &Connection, sql: &'static str, params: &[Param]) -> Result<Vec<Row>, DbError> {
    tracing::trace!(sql, "SQLite query");
    let mut statement = connection.prepare_cached(sql)?;
    bind(&mut statement, params)?;
    let columns: Arc<[String]> = statement.column_names().map(str::to_owned).collect();
    let count = columns.len();
    let mut rows = statement.raw_query();
    let mut result = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(count);
        for index in 0..count {
            values.push(match row.get_ref(index)? {
                ValueRef::Null => Param::Null(Kind::Text),
                ValueRef::Integer(value) => Param::Integer(value),
                ValueRef::Real(value) => Param::Real(value),
                ValueRef::Text(text) => Param::Text(String::from_utf8_lossy(text).into_owned()),
                ValueRef::Blob(_) => return Err(DbError::Decode("a blob column".into())),
            });
        }
        result.push(Row { columns: columns.clone(), values: values.into() });
    }
    Ok(result)
}

/// `$1` … `$64`, written once.
static PARAMETER_NAMES: LazyLock<Vec<String>> = LazyLock::new(|| (1..=64).map(|n| format!("${n}")).collect());

/// Binds `$1`, `$2`, … by name: SQLite numbers named parameters in order of first appearance,
/// which is not their number when a statement names `$3` before `$1`.
fn bind(statement: &mut rusqlite::CachedStatement<'_>, params: &[Param]) -> Result<(), DbError> {
    for (position, param) in params.iter().enumerate() {
        let name = match PARAMETER_NAMES.get(position) {
            Some(name) => std::borrow::Cow::Borrowed(name.as_str()),
            None => std::borrow::Cow::Owned(format!("${}", position + 1)),
        };
        let Some(index) = statement.parameter_index(&name)? else {
            continue;
        };
        let value = match param {
            Param::Null(_) => ToSqlOutput::Owned(SqlValue::Null),
            Param::Integer(value) => ToSqlOutput::Owned(SqlValue::Integer(*value)),
            Param::Real(value) => ToSqlOutput::Owned(SqlValue::Real(*value)),
            Param::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        };
        statement.raw_bind_parameter(index, value)?;
    }
    Ok(())
}

/// The table an `INSERT INTO`, `UPDATE` or `DELETE FROM` writes.
fn written_table(sql: &'static str) -> Option<&'static str> {
    let mut words = sql.split_whitespace();
    let table = match words.next()?.to_ascii_uppercase().as_str() {
        "INSERT" | "DELETE" => words.nth(1),
        "UPDATE" => words.next(),
        _ => None,
    }?;
    Some(table.split('(').next().unwrap_or(table))
}

/// The tables a query reads: every name after `FROM` or `JOIN`.
fn read_tables(sql: &'static str) -> Vec<&'static str> {
    let words: Vec<&'static str> = sql.split_whitespace().collect();
    let mut tables: Vec<&'static str> = words
        .windows(2)
        .filter(|pair| pair[0].eq_ignore_ascii_case("FROM") || pair[0].eq_ignore_ascii_case("JOIN"))
        .map(|pair| pair[1].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_'))
        .collect();
    tables.sort_unstable();
    tables.dedup();
    tables
}

/// Query results by statement and parameters, each with the generations of its tables.
#[derive(Debug, Default)]
struct Cache {
    generations: RwLock<HashMap<&'static str, u64>>,
    /// The tables each statement reads, by the address of its text.
    tables: RwLock<HashMap<usize, Arc<[&'static str]>>>,
    entries: RwLock<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// By the hash of the statement's address and its parameters; the entry says which they
    /// were, so a lookup allocates nothing.
    map: HashMap<u64, Entry>,
    bytes: usize,
}

#[derive(Debug)]
struct Entry {
    sql: usize,
    params: Vec<Param>,
    /// The generations of the tables the rows were read from.
    generations: Vec<u64>,
    rows: Vec<Row>,
}

fn key(sql: &'static str, params: &[Param]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    (sql.as_ptr() as usize).hash(&mut hasher);
    params.hash(&mut hasher);
    hasher.finish()
}

impl Cache {
    fn tables(&self, sql: &'static str) -> Arc<[&'static str]> {
        let address = sql.as_ptr() as usize;
        if let Some(tables) = read(&self.tables).get(&address) {
            return tables.clone();
        }
        let tables: Arc<[&'static str]> = read_tables(sql).into();
        write(&self.tables).insert(address, tables.clone());
        tables
    }

    fn generations(&self, tables: &[&'static str]) -> Vec<u64> {
        let generations = read(&self.generations);
        tables.iter().map(|table| generations.get(table).copied().unwrap_or(0)).collect()
    }

    fn get(&self, sql: &'static str, params: &[Param], generations: &[u64]) -> Option<Vec<Row>> {
        let entries = read(&self.entries);
        let entry = entries.map.get(&key(sql, params))?;
        let current =
            entry.sql == sql.as_ptr() as usize && entry.params == params && entry.generations == generations;
        current.then(|| entry.rows.clone())
    }

    fn put(&self, sql: &'static str, params: &[Param], generations: Vec<u64>, rows: &[Row]) {
        let size = 64
            + params.iter().map(Param::size).sum::<usize>()
            + rows.iter().map(|row| row.values.iter().map(Param::size).sum::<usize>()).sum::<usize>();
        let entry =
            Entry { sql: sql.as_ptr() as usize, params: params.to_vec(), generations, rows: rows.to_vec() };
        let mut entries = write(&self.entries);
        if entries.bytes + size > CACHE_BYTES {
            entries.map.clear();
            entries.bytes = 0;
        }
        entries.bytes += size;
        entries.map.insert(key(sql, params), entry);
    }

    /// After a commit: results that read these tables are out of date.
    fn advance(&self, tables: &[&'static str]) {
        if tables.is_empty() {
            return;
        }
        let mut generations = write(&self.generations);
        for table in tables {
            *generations.entry(table).or_insert(0) += 1;
        }
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Where the SQLite file for `location` lives, its directory created.
pub(crate) fn prepare_path(path: &Path) -> std::io::Result<PathBuf> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)?;
    let parent = parent.canonicalize()?;
    Ok(parent.join(path.file_name().unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_of_statements() {
        assert_eq!(written_table("INSERT INTO tco_customers (a) VALUES ($1)"), Some("tco_customers"));
        assert_eq!(written_table("UPDATE tco_counters SET value = value + 1"), Some("tco_counters"));
        assert_eq!(written_table("DELETE FROM tco_cards WHERE x = $1"), Some("tco_cards"));
        assert_eq!(written_table("SELECT 1"), None);
        assert_eq!(
            read_tables("SELECT a FROM tco_cards WHERE EXISTS (SELECT 1 FROM tco_customers WHERE b = $1)"),
            ["tco_cards", "tco_customers"]
        );
    }
}
