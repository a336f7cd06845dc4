//! The PostgreSQL connections, pooled without sqlx's `Pool`: that pings every connection as it
//! goes back (a round trip and two thread wake-ups per request) to find the ones a cancelled
//! request left mid-statement. Here a connection goes back at once when its use ended cleanly; a
//! lease dropped half-way (the client hung up) hands its connection to a task that rolls it back
//! and then pools it — closing it instead made every hang-up cost a new connection, and a storm of
//! them a storm of connects that outlasted the acquire timeout. Once a broken connection is seen (a
//! database restart), the connections opened before then are closed instead of used.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Executor, PgConnection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Long enough to queue behind busy connections, short enough that an outage is answered
/// (SERVICE_UNAVAILABLE) rather than left hanging.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub(crate) struct Pool {
    options: PgConnectOptions,
    idle: Mutex<Vec<Idle>>,
    permits: Arc<Semaphore>,
    /// Connections opened since the start (for the metrics: few when they are reused).
    opened_total: AtomicU64,
    size: usize,
    start: Instant,
    /// When a broken connection was last seen, in nanoseconds since `start` (0: never).
    broken_at: AtomicU64,
}

#[derive(Debug)]
struct Idle {
    connection: PgConnection,
    opened: u64,
}

/// A connection lent to one request, which says how its use ended ([`Lease::end`]). One dropped
/// without an end was cancelled half-way: it is rolled back in the background and pooled again.
pub(crate) struct Lease {
    pool: Arc<Pool>,
    connection: Option<PgConnection>,
    opened: u64,
    ending: Ending,
    permit: Option<OwnedSemaphorePermit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// Still in use, or cancelled.
    Unknown,
    Reuse,
    Close,
}

/// How long a cancelled request's connection may take to roll back before it is closed.
const ROLLBACK_TIMEOUT: Duration = Duration::from_secs(2);

impl Pool {
    pub(crate) fn new(url: &str, size: u32) -> Result<Pool, sqlx::Error> {
        Ok(Pool {
            options: url.parse()?,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(size.max(1) as usize)),
            opened_total: AtomicU64::new(0),
            size: size.max(1) as usize,
            start: Instant::now(),
            broken_at: AtomicU64::new(0),
        })
    }

    /// Connections lent out now, and the most there may be.
    pub(crate) fn usage(&self) -> (usize, usize) {
        (self.size.saturating_sub(self.permits.available_permits()), self.size)
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX).max(1)
    }

    /// A connection of its own, outside the pool's count (a long transaction's), opened now.
    pub(crate) async fn connect_alone(&self) -> Result<PgConnection, sqlx::Error> {
        let connection = match tokio::time::timeout(ACQUIRE_TIMEOUT, self.options.connect()).await {
            Ok(connected) => connected?,
            Err(_) => return Err(sqlx::Error::PoolTimedOut),
        };
        self.opened_total.fetch_add(1, Ordering::Relaxed);
        Ok(connection)
    }

    /// Connections opened since the start.
    pub(crate) fn opened_total(&self) -> u64 {
        self.opened_total.load(Ordering::Relaxed)
    }

    /// Connections opened until now are not used again.
    pub(crate) fn mark_broken(&self) {
        self.broken_at.store(self.now(), Ordering::Relaxed);
    }

    /// A pause of a few milliseconds that differs between callers, for retries.
    pub(crate) fn jitter(&self) -> u64 {
        u64::from(self.now().to_le_bytes()[1]) * 8
    }

    pub(crate) async fn acquire(self: &Arc<Self>) -> Result<Lease, sqlx::Error> {
        let permit = match tokio::time::timeout(ACQUIRE_TIMEOUT, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(sqlx::Error::PoolClosed),
            Err(_) => return Err(sqlx::Error::PoolTimedOut),
        };
        let broken_at = self.broken_at.load(Ordering::Relaxed);
        loop {
            let idle = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop();
            match idle {
                Some(idle) if idle.opened > broken_at => {
                    return Ok(self.lease(idle.connection, idle.opened, permit));
                }
                Some(_) => continue, // opened before the breakage: closed by dropping it
                None => break,
            }
        }
        let opened = self.now();
        let connection = match tokio::time::timeout(ACQUIRE_TIMEOUT, self.options.connect()).await {
            Ok(connected) => connected?,
            Err(_) => return Err(sqlx::Error::PoolTimedOut),
        };
        self.opened_total.fetch_add(1, Ordering::Relaxed);
        Ok(self.lease(connection, opened, permit))
    }

    fn lease(self: &Arc<Self>, connection: PgConnection, opened: u64, permit: OwnedSemaphorePermit) -> Lease {
        Lease {
            pool: self.clone(),
            connection: Some(connection),
            opened,
            ending: Ending::Unknown,
            permit: Some(permit),
        }
    }

    fn keep(&self, connection: PgConnection, opened: u64) {
        if !self.permits.is_closed() {
            self.idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(Idle { connection, opened });
        }
    }

    /// Lends no more connections and closes the idle ones.
    pub(crate) fn close(&self) {
        self.permits.close();
        self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }
}

impl Lease {
    /// The use ended: the connection is `reusable` (its statements and transaction are done), or
    /// must be closed.
    pub(crate) fn end(&mut self, reusable: bool) {
        self.ending = if reusable { Ending::Reuse } else { Ending::Close };
    }
}

impl Deref for Lease {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        // Present until the lease is dropped.
        self.connection.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.connection.as_mut().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let Some(mut connection) = self.connection.take() else { return };
        match self.ending {
            Ending::Reuse => self.pool.keep(connection, self.opened),
            Ending::Close => {}
            // Cancelled half-way: finish the statement in flight and roll back, off the request,
            // holding the permit until then so the pool never lends more than its size.
            Ending::Unknown => {
                let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
                let (pool, opened, permit) = (self.pool.clone(), self.opened, self.permit.take());
                runtime.spawn(async move {
                    let rolled_back =
                        tokio::time::timeout(ROLLBACK_TIMEOUT, connection.execute("ROLLBACK")).await;
                    if matches!(rolled_back, Ok(Ok(_))) {
                        pool.keep(connection, opened);
                    }
                    drop(permit);
                });
            }
        }
    }
}

impl std::fmt::Debug for Lease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lease").field("opened", &self.opened).field("ending", &self.ending).finish()
    }
}
