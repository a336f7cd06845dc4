//! The PostgreSQL connections, pooled without sqlx's `Pool`: that pings every connection as it
//! goes back (a round trip and two thread wake-ups per request) to find the ones a cancelled
//! request left mid-statement. Here a connection goes back only when its use ended cleanly — a
//! lease dropped half-way closes its connection — and once a broken connection is seen (a
//! database restart), the connections opened before then are closed instead of used.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, PgConnection};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Long enough to queue behind busy connections, short enough that an outage is answered
/// (SERVICE_UNAVAILABLE) rather than left hanging.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub(crate) struct Pool {
    options: PgConnectOptions,
    idle: Mutex<Vec<Idle>>,
    permits: Semaphore,
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

/// A connection lent to one request. Unless the request marks it [`clean`](Lease::clean), it
/// is closed when dropped, never reused.
pub(crate) struct Lease<'p> {
    pool: &'p Pool,
    connection: Option<PgConnection>,
    opened: u64,
    pub(crate) clean: bool,
    _permit: SemaphorePermit<'p>,
}

impl Pool {
    pub(crate) fn new(url: &str, size: u32) -> Result<Pool, sqlx::Error> {
        Ok(Pool {
            options: url.parse()?,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(size.max(1) as usize),
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

    /// Connections opened until now are not used again.
    pub(crate) fn mark_broken(&self) {
        self.broken_at.store(self.now(), Ordering::Relaxed);
    }

    /// A pause of a few milliseconds that differs between callers, for retries.
    pub(crate) fn jitter(&self) -> u64 {
        u64::from(self.now().to_le_bytes()[1]) * 8
    }

    pub(crate) async fn acquire(&self) -> Result<Lease<'_>, sqlx::Error> {
        let permit = match tokio::time::timeout(ACQUIRE_TIMEOUT, self.permits.acquire()).await {
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
        Ok(self.lease(connection, opened, permit))
    }

    fn lease<'p>(&'p self, connection: PgConnection, opened: u64, permit: SemaphorePermit<'p>) -> Lease<'p> {
        Lease { pool: self, connection: Some(connection), opened, clean: false, _permit: permit }
    }

    /// Lends no more connections and closes the idle ones.
    pub(crate) fn close(&self) {
        self.permits.close();
        self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }
}

impl Deref for Lease<'_> {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        // Present until the lease is dropped.
        self.connection.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl DerefMut for Lease<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.connection.as_mut().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take()
            && self.clean
            && !self.pool.permits.is_closed()
        {
            let idle = Idle { connection, opened: self.opened };
            self.pool.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(idle);
        }
    }
}

impl std::fmt::Debug for Lease<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lease").field("opened", &self.opened).field("clean", &self.clean).finish()
    }
}
