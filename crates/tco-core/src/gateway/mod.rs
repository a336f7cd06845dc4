//! [`Gateway`]: every API operation, once. Adapters parse their protocol, call one method
//! here and serialise the answer. This module holds the gateway itself — settings,
//! authentication, sessions, the journal entry points, the admin controls — and the store it runs
//! on (`store.rs`); each family's operations are in a file of their own beside it, over the
//! family's types, rules and port (`crate::customers`, `crate::orders`, …). It stands on every
//! family; no family knows it.

mod buy_links;
mod campaigns;
mod cart;
mod catalog;
mod customers;
mod export;
mod notifications;
mod orders;
mod partners;
mod placing;
mod refunds;
mod renewals;
mod shipping;
mod snapshots;
mod store;
mod subscription_details;
mod subscription_import;
mod subscriptions;
mod upgrades;

pub use export::{EXPORT_SIGNED, Export, ExportFilter, ExportStatus};
pub use notifications::{Announcement, LegacyAccount, Subject, refund_of};
pub use store::{AdminStore, SessionRecord, SessionStore, Store, Transaction};
pub use subscription_details::PaymentInformation;
pub use upgrades::{UpgradeOption, UpgradePrice, UpgradeQuote};

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

use crate::auth::{self, Credentials, HashAlgorithm};
use crate::error::{Error, ErrorCode, Result};
use crate::faults::{self, FaultAction, Faults};
use crate::journal::{Call, CallObserver, Journal, JournalEntry, Outcome, Protocol, REDACTED};
use crate::kernel::clock::{Clock, SystemClock};
use crate::kernel::fields::plausible_token;
use crate::kernel::random::{OsRandom, RandomSource};
use crate::kernel::token;
use crate::merchant::{LegacyApiUser, MerchantContext, Merchants, SecretKey};
use crate::session_cache::SessionCache;
use crate::settings::MerchantConfig;
use crate::time_travel::{ClockChange, ClockSetting, TravelClock};

/// Tunable rules. The defaults are the vendor's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// How long a session lives from login (fixed, not sliding: the vendor says "max 10 minutes").
    pub session_ttl: Duration,
    /// How far a request's `date` may be from the server's clock, either way.
    pub auth_window: Duration,
    /// Expired sessions are kept this long so that using one reports SESSION_EXPIRED rather
    /// than INVALID_SESSION.
    pub expired_session_retention: Duration,
    /// Sessions kept per merchant, expired ones included: a login beyond it removes the
    /// oldest, so a client that logs in in a loop cannot grow the database without bound.
    pub max_sessions_per_merchant: u32,
    /// Single sign-on tokens kept per merchant; beyond it those that expire first go.
    pub max_sso_tokens_per_merchant: u32,
    /// How long an authorized (`AUTHRECEIVED`) order takes to become `COMPLETE`.
    pub order_completion: Duration,
    /// How long a subscription past its expiration stays past due before it expires.
    pub grace_period: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_ttl: Duration::minutes(10),
            auth_window: Duration::minutes(10),
            expired_session_retention: Duration::hours(24),
            max_sessions_per_merchant: 10_000,
            max_sso_tokens_per_merchant: 10_000,
            order_completion: Duration::seconds(5),
            grace_period: Duration::days(5),
        }
    }
}

/// A session id as handed to a client. Its `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionId(String);

impl SessionId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionId(<redacted>)")
    }
}

#[derive(Debug, Clone)]
pub struct Gateway {
    store: Arc<dyn Store>,
    merchants: Merchants,
    settings: Settings,
    clock: Arc<TravelClock>,
    random: Arc<dyn RandomSource>,
    journal: Arc<Journal>,
    observer: Option<Arc<dyn CallObserver>>,
    faults: Arc<Faults>,
    sessions: Arc<SessionCache>,
    /// Each merchant's account settings (currencies, cart templates…), from its data file.
    configs: Arc<RwLock<HashMap<String, Arc<MerchantConfig>>>>,
    /// Where shoppers reach this gateway (the hosted cart's links), set once it listens.
    public_url: Arc<OnceLock<String>>,
}

impl Gateway {
    /// A gateway without a journal; see [`Gateway::with_journal`].
    pub fn new(store: Arc<dyn Store>, merchants: Merchants, settings: Settings) -> Self {
        Gateway {
            store,
            merchants,
            settings,
            clock: Arc::new(TravelClock::new(Arc::new(SystemClock))),
            random: Arc::new(OsRandom),
            journal: Arc::new(Journal::new(0, 0)),
            observer: None,
            faults: Arc::default(),
            sessions: Arc::new(SessionCache::new(100_000)),
            configs: Arc::default(),
            public_url: Arc::default(),
        }
    }

    /// Sets where shoppers reach the gateway (`http://host:port`), once; later calls change
    /// nothing.
    pub fn set_public_url(&self, url: &str) {
        let _ = self.public_url.set(url.trim_end_matches('/').to_owned());
    }

    /// Where shoppers reach the gateway: the hosted cart's links start with it.
    pub fn public_url(&self) -> &str {
        self.public_url.get().map_or("http://127.0.0.1:8080", String::as_str)
    }

    pub fn with_journal(mut self, journal: Arc<Journal>) -> Self {
        self.journal = journal;
        self
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Runs on `clock` (the real time; the admin API's time travel moves the gateway's time
    /// relative to it).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Arc::new(TravelClock::new(clock));
        self
    }

    /// Shows every journaled call to `observer` as well.
    pub fn with_observer(mut self, observer: Arc<dyn CallObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// The faults the admin API injects.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    pub fn with_random(mut self, random: Arc<dyn RandomSource>) -> Self {
        self.random = random;
        self
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(crate) fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    pub(crate) fn random(&self) -> &dyn RandomSource {
        self.random.as_ref()
    }

    pub(crate) fn merchants(&self) -> &Merchants {
        &self.merchants
    }

    /// Sets a merchant's account settings (from its data file).
    pub fn configure_merchant(&self, code: &str, config: MerchantConfig) {
        let mut configs = self.configs.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        configs.insert(code.to_owned(), Arc::new(config));
    }

    /// A merchant's account settings if a data file gave any.
    pub fn configured_merchant(&self, code: &str) -> Option<Arc<MerchantConfig>> {
        let configs = self.configs.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        configs.get(code).cloned()
    }

    /// Forgets a merchant's account settings: it is on the defaults again (a reset).
    pub fn forget_merchant_config(&self, code: &str) {
        let mut configs = self.configs.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        configs.remove(code);
    }

    /// A merchant's account settings; the defaults for a merchant without a data file.
    pub fn merchant_config(&self, code: &str) -> Arc<MerchantConfig> {
        let configs = self.configs.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        configs.get(code).cloned().unwrap_or_default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    // ----- authentication and sessions -----

    /// Verifies signed credentials (REST's header) for `call`; a refusal is journaled.
    pub fn authenticate(&self, credentials: &Credentials, call: Call) -> Result<MerchantContext> {
        let started = Instant::now();
        let verified = self.verify(credentials);
        if let Err(error) = &verified {
            self.journal_refusal(call, Some(&credentials.merchant_code), error, started);
        }
        verified.map(|code| MerchantContext::new(code, call, started))
    }

    /// Verifies the legacy API's HTTP Basic user for `call`: the merchant whose legacy API user
    /// it is. A refusal is journaled.
    pub fn authenticate_legacy(&self, username: &str, password: &str, call: Call) -> Result<MerchantContext> {
        let started = Instant::now();
        let merchants = self.merchants();
        let found = merchants
            .codes()
            .find(|code| {
                self.legacy_user(code).is_some_and(|user| {
                    let same_user = auth::same_secret(user.username.as_bytes(), username.as_bytes());
                    let same_password =
                        auth::same_secret(user.password.expose().as_bytes(), password.as_bytes());
                    same_user & same_password
                })
            })
            .map(str::to_owned);
        match found {
            Some(code) => Ok(MerchantContext::new(code, call, started)),
            None => {
                let error = Error::AuthenticationFailed;
                self.journal_refusal(call, None, &error, started);
                Err(error)
            }
        }
    }

    /// The merchant's legacy API user: its configuration's, else its data file's.
    pub fn legacy_user(&self, merchant_code: &str) -> Option<LegacyApiUser> {
        let merchant = self.merchants().get(merchant_code)?;
        merchant.legacy_api.clone().or_else(|| self.merchant_config(merchant_code).legacy_api.clone())
    }

    /// The merchant code the credentials prove, or why they do not.
    fn verify(&self, credentials: &Credentials) -> Result<String> {
        let algo = HashAlgorithm::parse(credentials.algo.as_deref())?;
        // Against the real clock: clients sign with theirs while the gateway travels in time.
        auth::check_date(&credentials.date, self.clock.wall(), self.settings.auth_window.num_seconds())?;
        // An unknown merchant goes through the same HMAC work as a known one, against a key
        // nobody has, so neither the answer nor its timing tells the two apart.
        let unknown = SecretKey::new("\u{0}unknown merchant\u{0}");
        let (secret, known) = match self.merchants.get(&credentials.merchant_code) {
            Some(merchant) => (&merchant.secret, true),
            None => (&unknown, false),
        };
        let matches = auth::hash_matches(
            secret,
            &credentials.merchant_code,
            &credentials.date,
            algo,
            &credentials.hash,
        );
        if matches && known {
            Ok(credentials.merchant_code.clone())
        } else {
            Err(Error::AuthenticationFailed)
        }
    }

    /// `login`: authenticates and opens a session usable from any protocol and instance.
    pub async fn login(&self, credentials: &Credentials, protocol: Protocol) -> Result<SessionId> {
        let started = Instant::now();
        let call = Call::new(protocol, "login");
        let (result, injected) =
            self.with_faults(call, Some(&credentials.merchant_code), self.open_session(credentials)).await;
        let arguments = [
            ("merchantCode", credentials.merchant_code.clone()),
            ("date", credentials.date.clone()),
            ("hash", REDACTED.to_owned()),
            ("algo", credentials.algo.clone().unwrap_or_default()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        let outcome = match &result {
            Ok(_) => Outcome::Success(REDACTED.to_owned()),
            Err(error) => Outcome::Failure(error.code()),
        };
        let entry = JournalEntry {
            time: self.clock.now(),
            merchant: Some(credentials.merchant_code.clone()),
            protocol,
            operation: "login",
            arguments,
            outcome,
            latency_us: elapsed_us(started),
            injected,
        };
        self.record(entry, result.is_err());
        result
    }

    async fn open_session(&self, credentials: &Credentials) -> Result<SessionId> {
        let merchant_code = self.verify(credentials)?;
        let id = token::new_token(self.random.as_ref())?;
        let now = self.clock.now();
        let record = SessionRecord {
            digest: token::digest(&id),
            merchant_code,
            created_at: now,
            expires_at: crate::kernel::dates::shifted(now, self.settings.session_ttl),
        };
        let evicted = self.store.insert_session(&record, self.settings.max_sessions_per_merchant).await?;
        self.sessions.remove(&evicted);
        self.sessions.insert(record.digest, record.merchant_code, record.expires_at, now);
        Ok(SessionId(id))
    }

    /// Resolves the session id sent with a SOAP or JSON-RPC `call`; a refusal is journaled.
    pub async fn session(&self, session_id: &str, call: Call) -> Result<MerchantContext> {
        let started = Instant::now();
        let resolved = self.resolve_session(session_id).await;
        if let Err(error) = &resolved {
            self.journal_refusal(call, None, error, started);
        }
        resolved.map(|(code, digest)| MerchantContext::new(code, call, started).in_session(digest))
    }

    /// The merchant and the digest of a live session.
    async fn resolve_session(&self, session_id: &str) -> Result<(String, String)> {
        let session_id = session_id.trim();
        if !plausible_token(session_id) {
            return Err(Error::InvalidSession);
        }
        let digest = token::digest(session_id);
        let now = self.clock.now();
        let merchant_code = match self.sessions.get(&digest, now) {
            Some(merchant_code) => merchant_code,
            None => {
                let record = self.store.find_session(&digest).await?.ok_or(Error::InvalidSession)?;
                if now >= record.expires_at {
                    return Err(Error::SessionExpired);
                }
                self.sessions.insert(digest.clone(), record.merchant_code.clone(), record.expires_at, now);
                record.merchant_code
            }
        };
        if self.merchants.get(&merchant_code).is_none() {
            // The merchant was removed from this instance's configuration.
            return Err(Error::InvalidSession);
        }
        Ok((merchant_code, digest))
    }

    // ----- the journal -----

    /// Journals an authenticated call: its protocol-neutral arguments and its outcome (a short
    /// description of the result, or the error code).
    pub fn journal_call(
        &self,
        merchant: &MerchantContext,
        arguments: Vec<(String, String)>,
        outcome: std::result::Result<String, ErrorCode>,
        injected: Option<String>,
    ) {
        let call = merchant.call();
        let entry = JournalEntry {
            time: self.clock.now(),
            merchant: Some(merchant.code().to_owned()),
            protocol: call.protocol,
            operation: call.operation,
            arguments,
            outcome: match outcome {
                Ok(summary) => Outcome::Success(summary),
                Err(code) => Outcome::Failure(code),
            },
            latency_us: elapsed_us(merchant.started()),
            injected,
        };
        self.record(entry, false);
    }

    /// Journals a call an adapter refused before it reached the core (credentials it could not
    /// even parse, say).
    pub fn record_refusal(&self, call: Call, merchant: Option<&str>, error: &Error) {
        self.journal_refusal(call, merchant, error, Instant::now());
    }

    fn journal_refusal(&self, call: Call, merchant: Option<&str>, error: &Error, started: Instant) {
        let entry = JournalEntry {
            time: self.clock.now(),
            merchant: merchant.map(str::to_owned),
            protocol: call.protocol,
            operation: call.operation,
            arguments: Vec::new(),
            outcome: Outcome::Failure(error.code()),
            latency_us: elapsed_us(started),
            injected: None,
        };
        self.record(entry, true);
    }

    fn record(&self, entry: JournalEntry, refusal: bool) {
        if let Some(observer) = &self.observer {
            observer.observe(&entry);
        }
        if refusal { self.journal.record_refusal(entry) } else { self.journal.record(entry) }
    }

    // ----- the admin controls -----

    /// Runs `run` (the call) under the faults injected into `call` of `merchant`: a fault that
    /// fires waits out its latency first, or answers its error instead of running the call. The
    /// second value describes the fault for the journal.
    pub async fn with_faults<T>(
        &self,
        call: Call,
        merchant: Option<&str>,
        run: impl Future<Output = Result<T>>,
    ) -> (Result<T>, Option<String>) {
        let Some(action) = self.faults.decide(call, merchant) else {
            return (run.await, None);
        };
        let result = match action {
            FaultAction::Error(code) => Err(Error::Injected(code)),
            FaultAction::Drop => Err(Error::ConnectionDropped),
            FaultAction::Latency(delay) => {
                faults::delay(delay).await;
                run.await
            }
        };
        (result, Some(action.describe()))
    }

    /// Erases everything of a merchant this gateway serves — customers, catalog, orders,
    /// subscriptions, campaigns, partners' grants, sessions, journal entries; the rows deleted.
    /// Its account settings stay until its data file is loaded again.
    pub async fn erase_merchant(&self, merchant_code: &str) -> Result<u64> {
        let erased = self.store.erase_merchant(merchant_code).await?;
        self.sessions.forget_merchant(merchant_code);
        self.journal.forget_merchant(merchant_code);
        Ok(erased)
    }

    /// Runs `work` on a gateway whose store is one transaction, and commits it if `work`
    /// succeeds: all of it is written or none. Other writes may wait meanwhile.
    pub async fn atomically<T, E, F, Fut>(&self, work: F) -> Result<T, E>
    where
        E: From<Error>,
        F: FnOnce(Gateway) -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let transaction = self.store.begin().await.map_err(|error| E::from(error.into()))?;
        let inside = Gateway { store: transaction.store(), ..self.clone() };
        let value = work(inside).await?;
        transaction.commit().await.map_err(|error| E::from(error.into()))?;
        Ok(value)
    }

    /// Sessions not yet expired, over every merchant.
    pub async fn live_sessions(&self) -> Result<u64> {
        Ok(self.store.live_sessions(self.clock.now()).await?)
    }

    /// The real time, which signed request dates are checked against.
    pub fn wall_clock(&self) -> DateTime<Utc> {
        self.clock.wall()
    }

    /// Where the gateway's time stands relative to the real clock.
    pub fn clock_setting(&self) -> ClockSetting {
        self.clock.setting()
    }

    /// Moves the gateway's clock, for every instance on the database.
    pub async fn change_clock(&self, change: ClockChange) -> Result<ClockSetting> {
        let setting = self.clock.setting().changed(change, self.clock.wall())?;
        self.store.save_clock_setting(&setting).await?;
        self.clock.apply(setting);
        Ok(setting)
    }

    /// Takes up the clock setting another instance saved (unless this one moved the clock
    /// meanwhile).
    pub async fn sync_clock(&self) -> Result<()> {
        let version = self.clock.version();
        let setting = self.store.clock_setting().await?;
        if !setting.in_range(self.clock.wall()) {
            // Saved by an older version, or by hand: obeying it would overflow the dates. Warned
            // at start and when it replaces a setting, not every second.
            if version == 0 || self.clock.setting() != ClockSetting::default() {
                tracing::warn!(?setting, "the stored clock setting is out of range: ignored, real time used");
            }
            self.clock.apply_unless_changed(ClockSetting::default(), version);
            return Ok(());
        }
        self.clock.apply_unless_changed(setting, version);
        Ok(())
    }

    // ----- operations of the server itself -----

    pub async fn health(&self) -> Result<()> {
        Ok(self.store.ping().await?)
    }

    /// Deletes sessions and SSO grants nobody can use any more. The server calls it now and
    /// then; correctness never depends on it.
    pub async fn purge_expired(&self) -> Result<u64> {
        let now = self.clock.now();
        let sessions = self
            .store
            .purge_sessions(crate::kernel::dates::shifted(now, -self.settings.expired_session_retention))
            .await?;
        let grants = self.store.purge_sso_grants(now).await?;
        let partner_grants = self.store.purge_partner_grants(now).await?;
        Ok(sessions + grants + partner_grants)
    }
}

fn elapsed_us(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
}
