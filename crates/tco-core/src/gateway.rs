//! [`Gateway`]: every API operation, once. Adapters parse their protocol, call one method
//! here and serialise the answer; no business rule lives anywhere else.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

use crate::auth::{self, Credentials, HashAlgorithm};
use crate::customer::{Customer, CustomerInput, CustomerLookup, CustomerReference, FixtureCustomer};
use crate::describe;
use crate::error::{Error, Result, StoreError};
use crate::journal::{Journal, JournalEntry, Outcome, Protocol, REDACTED};
use crate::merchant::{MerchantContext, Merchants, SecretKey};
use crate::ports::{
    Clock, CustomerStatus, OsRandom, RandomSource, SessionRecord, SsoGrant, Store, SystemClock,
};
use crate::search::{SearchInput, SearchPage, SearchQuery};
use crate::session_cache::SessionCache;
use crate::sso::{self, SignOnRequest};
use crate::token;
use crate::validation::validate_customer;

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_ttl: Duration::minutes(10),
            auth_window: Duration::minutes(10),
            expired_session_retention: Duration::hours(24),
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
    clock: Arc<dyn Clock>,
    random: Arc<dyn RandomSource>,
    journal: Arc<Journal>,
    sessions: Arc<SessionCache>,
}

/// Which call a request is: the protocol it came over and the vendor's operation name. Adapters
/// name the call when they authenticate it, so the journal can record it, refused or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub protocol: Protocol,
    pub operation: &'static str,
}

impl Call {
    pub const fn new(protocol: Protocol, operation: &'static str) -> Self {
        Call { protocol, operation }
    }
}

impl Gateway {
    /// A gateway without a journal; see [`Gateway::with_journal`].
    pub fn new(store: Arc<dyn Store>, merchants: Merchants, settings: Settings) -> Self {
        Gateway {
            store,
            merchants,
            settings,
            clock: Arc::new(SystemClock),
            random: Arc::new(OsRandom),
            journal: Arc::new(Journal::new(0)),
            sessions: Arc::new(SessionCache::new(100_000)),
        }
    }

    pub fn with_journal(mut self, journal: Arc<Journal>) -> Self {
        self.journal = journal;
        self
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn with_random(mut self, random: Arc<dyn RandomSource>) -> Self {
        self.random = random;
        self
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
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

    /// The merchant code the credentials prove, or why they do not.
    fn verify(&self, credentials: &Credentials) -> Result<String> {
        let algo = HashAlgorithm::parse(credentials.algo.as_deref())?;
        auth::check_date(&credentials.date, self.clock.now(), self.settings.auth_window.num_seconds())?;
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
        let result = self.open_session(credentials).await;
        let arguments = vec![
            ("merchantCode", credentials.merchant_code.clone()),
            ("date", credentials.date.clone()),
            ("hash", REDACTED.to_owned()),
            ("algo", credentials.algo.clone().unwrap_or_default()),
        ];
        let outcome = match &result {
            Ok(_) => Outcome::Success(REDACTED.to_owned()),
            Err(error) => Outcome::Failure(error.code()),
        };
        self.journal.record(JournalEntry {
            time: self.clock.now(),
            merchant: Some(credentials.merchant_code.clone()),
            protocol,
            operation: "login",
            arguments,
            outcome,
            latency_us: elapsed_us(started),
        });
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
            expires_at: now + self.settings.session_ttl,
        };
        self.store.insert_session(&record).await?;
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
        resolved.map(|code| MerchantContext::new(code, call, started))
    }

    async fn resolve_session(&self, session_id: &str) -> Result<String> {
        let session_id = session_id.trim();
        if session_id.is_empty() {
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
                self.sessions.insert(digest, record.merchant_code.clone(), record.expires_at, now);
                record.merchant_code
            }
        };
        if self.merchants.get(&merchant_code).is_none() {
            // The merchant was removed from this instance's configuration.
            return Err(Error::InvalidSession);
        }
        Ok(merchant_code)
    }

    // ----- customers -----

    pub async fn create_customer(
        &self,
        merchant: &MerchantContext,
        input: CustomerInput,
    ) -> Result<CustomerReference> {
        let arguments = describe::customer(&input, None);
        let result = self.create_customer_unjournaled(merchant, input).await;
        self.journal_call(merchant, arguments, &result, |reference| reference.to_string());
        result
    }

    /// With `include_payment_data`, the customer's stored cards come along, without their
    /// transient tokens (those only come with [`Gateway::customer_by_sso_token`]).
    pub async fn get_customer(
        &self,
        merchant: &MerchantContext,
        lookup: &CustomerLookup,
        include_payment_data: bool,
    ) -> Result<Customer> {
        let arguments = describe::get(lookup, include_payment_data);
        let result = self.get_customer_unjournaled(merchant, lookup, include_payment_data).await;
        self.journal_call(merchant, arguments, &result, |customer| customer.reference.to_string());
        result
    }

    /// Replaces the customer's editable fields. `target` names the customer (REST's path);
    /// without it, the `AvangateCustomerReference` inside `input` does (SOAP and JSON-RPC).
    /// `end_user_update` is the vendor's `UpdateEndUserSubscriptions` flag: the gateway has
    /// no subscriptions to copy the changes to, so it records the flag and nothing more.
    pub async fn update_customer(
        &self,
        merchant: &MerchantContext,
        target: Option<&CustomerLookup>,
        input: CustomerInput,
        end_user_update: bool,
    ) -> Result<()> {
        let arguments = describe::update(target, &input, end_user_update);
        let result = self.update_customer_unjournaled(merchant, target, input, end_user_update).await;
        self.journal_call(merchant, arguments, &result, |()| "true".to_owned());
        result
    }

    pub async fn search_customers(
        &self,
        merchant: &MerchantContext,
        input: SearchInput,
    ) -> Result<SearchPage> {
        let arguments = describe::search(&input);
        let result = self.search_customers_unjournaled(merchant, input).await;
        self.journal_call(merchant, arguments, &result, |page| {
            format!("{} of {}", page.items.len(), page.count)
        });
        result
    }

    /// `getSingleSignOnInCart`: a single-use token for the customer, appended to `url` as
    /// `logintoken`.
    pub async fn sign_on_in_cart(
        &self,
        merchant: &MerchantContext,
        lookup: &CustomerLookup,
        request: SignOnRequest,
    ) -> Result<String> {
        let arguments = describe::sign_on(lookup, &request);
        let result = self.sign_on_in_cart_unjournaled(merchant, lookup, request).await;
        self.journal_call(merchant, arguments, &result, |_| "logintoken issued".to_owned());
        result
    }

    /// `getCustomerInformationBySSOToken`: consumes the token and returns its customer with
    /// every stored card's transient token.
    pub async fn customer_by_sso_token(
        &self,
        merchant: &MerchantContext,
        sso_token: &str,
    ) -> Result<Customer> {
        let arguments = vec![("singleSignOnToken", REDACTED.to_owned())];
        let result = self.customer_by_sso_token_unjournaled(merchant, sso_token).await;
        self.journal_call(merchant, arguments, &result, |customer| customer.reference.to_string());
        result
    }

    pub async fn delete_card(
        &self,
        merchant: &MerchantContext,
        lookup: &CustomerLookup,
        transient_token: &str,
    ) -> Result<()> {
        let arguments = describe::delete_card(lookup);
        let result = self.delete_card_unjournaled(merchant, lookup, transient_token).await;
        self.journal_call(merchant, arguments, &result, |()| "deleted".to_owned());
        result
    }

    fn journal_call<T>(
        &self,
        merchant: &MerchantContext,
        arguments: Vec<(&'static str, String)>,
        result: &Result<T>,
        summary: impl FnOnce(&T) -> String,
    ) {
        let outcome = match result {
            Ok(value) => Outcome::Success(summary(value)),
            Err(error) => Outcome::Failure(error.code()),
        };
        let call = merchant.call();
        self.journal.record(JournalEntry {
            time: self.clock.now(),
            merchant: Some(merchant.code().to_owned()),
            protocol: call.protocol,
            operation: call.operation,
            arguments,
            outcome,
            latency_us: elapsed_us(merchant.started()),
        });
    }

    /// Journals a call an adapter refused before it reached the core (credentials it could not
    /// even parse, say).
    pub fn record_refusal(&self, call: Call, merchant: Option<&str>, error: &Error) {
        self.journal_refusal(call, merchant, error, Instant::now());
    }

    fn journal_refusal(&self, call: Call, merchant: Option<&str>, error: &Error, started: Instant) {
        self.journal.record(JournalEntry {
            time: self.clock.now(),
            merchant: merchant.map(str::to_owned),
            protocol: call.protocol,
            operation: call.operation,
            arguments: Vec::new(),
            outcome: Outcome::Failure(error.code()),
            latency_us: elapsed_us(started),
        });
    }

    // ----- the operations, unjournaled -----

    async fn create_customer_unjournaled(
        &self,
        merchant: &MerchantContext,
        input: CustomerInput,
    ) -> Result<CustomerReference> {
        let fields = validate_customer(input)?;
        let reference = self
            .store
            .insert_customer(merchant.code(), &fields, CustomerStatus::default(), &[], self.clock.now())
            .await?;
        Ok(reference)
    }

    async fn get_customer_unjournaled(
        &self,
        merchant: &MerchantContext,
        lookup: &CustomerLookup,
        include_payment_data: bool,
    ) -> Result<Customer> {
        let mut customer = self.resolve(merchant, lookup).await?;
        if include_payment_data {
            customer.cards = self.store.cards(merchant.code(), customer.reference).await?;
            for card in &mut customer.cards {
                card.transient_token = None;
            }
        }
        Ok(customer)
    }

    async fn update_customer_unjournaled(
        &self,
        merchant: &MerchantContext,
        target: Option<&CustomerLookup>,
        input: CustomerInput,
        end_user_update: bool,
    ) -> Result<()> {
        let named_in_body = input.avangate_reference.filter(|reference| *reference != 0);
        let fields = validate_customer(input)?;
        let lookup = match (target, named_in_body) {
            (Some(lookup), _) => lookup.clone(),
            (None, Some(reference)) => CustomerLookup::Internal(reference),
            (None, None) => return Err(Error::MissingField("AvangateCustomerReference")),
        };
        let customer = self.resolve(merchant, &lookup).await?;
        if named_in_body.is_some_and(|reference| reference != customer.reference) {
            return Err(Error::ReferenceMismatch);
        }
        let updated = self
            .store
            .update_customer(merchant.code(), customer.reference, &fields, end_user_update, self.clock.now())
            .await?;
        if updated { Ok(()) } else { Err(Error::CustomerNotFound) }
    }

    async fn search_customers_unjournaled(
        &self,
        merchant: &MerchantContext,
        input: SearchInput,
    ) -> Result<SearchPage> {
        let query = SearchQuery::try_from(input)?;
        let (items, count) = self.store.search_customers(merchant.code(), &query).await?;
        Ok(SearchPage { items, page: query.page, limit: query.limit, count })
    }

    // ----- single sign-on and cards -----

    async fn sign_on_in_cart_unjournaled(
        &self,
        merchant: &MerchantContext,
        lookup: &CustomerLookup,
        request: SignOnRequest,
    ) -> Result<String> {
        let request = sso::validate(request)?;
        let customer = self.resolve(merchant, lookup).await?;
        let token = token::new_token(self.random.as_ref())?;
        self.store
            .insert_sso_grant(&SsoGrant {
                digest: token::digest(&token),
                merchant_code: merchant.code().to_owned(),
                customer_reference: customer.reference,
                validation_ip: request.validation_ip,
                expires_at: self.clock.now() + Duration::seconds(request.validity_secs),
            })
            .await?;
        Ok(sso::append_token(&request.url, &token))
    }

    async fn customer_by_sso_token_unjournaled(
        &self,
        merchant: &MerchantContext,
        sso_token: &str,
    ) -> Result<Customer> {
        let sso_token = sso_token.trim();
        if sso_token.is_empty() {
            return Err(Error::MissingField("SSOToken"));
        }
        let grant = self
            .store
            .take_sso_grant(merchant.code(), &token::digest(sso_token))
            .await?
            .ok_or(Error::InvalidSsoToken)?;
        if self.clock.now() >= grant.expires_at {
            return Err(Error::InvalidSsoToken);
        }
        let mut customer = self
            .store
            .find_customer(merchant.code(), grant.customer_reference)
            .await?
            .ok_or(Error::InvalidSsoToken)?;
        customer.cards = self.store.cards(merchant.code(), customer.reference).await?;
        Ok(customer)
    }

    async fn delete_card_unjournaled(
        &self,
        merchant: &MerchantContext,
        lookup: &CustomerLookup,
        transient_token: &str,
    ) -> Result<()> {
        let customer = self.resolve(merchant, lookup).await?;
        let deleted =
            self.store.delete_card(merchant.code(), customer.reference, transient_token.trim()).await?;
        if deleted { Ok(()) } else { Err(Error::CardNotFound) }
    }

    // ----- operations of the server itself -----

    pub async fn health(&self) -> Result<()> {
        Ok(self.store.ping().await?)
    }

    /// Deletes sessions and SSO grants nobody can use any more. The server calls it now and
    /// then; correctness never depends on it.
    pub async fn purge_expired(&self) -> Result<u64> {
        let now = self.clock.now();
        let sessions = self.store.purge_sessions(now - self.settings.expired_session_retention).await?;
        let grants = self.store.purge_sso_grants(now).await?;
        Ok(sessions + grants)
    }

    /// Loads a fixture customer unless the merchant already has one with its external
    /// reference (required for fixtures, as the key that makes loading idempotent). Returns
    /// `Ok(None)` when it was already there.
    pub async fn load_fixture(
        &self,
        merchant_code: &str,
        fixture: FixtureCustomer,
    ) -> Result<Option<CustomerReference>> {
        if self.merchants.get(merchant_code).is_none() {
            return Err(Error::invalid("Merchant", format!("\"{merchant_code}\" is not configured")));
        }
        let fields = validate_customer(fixture.input)?;
        let external =
            fields.external_reference.clone().ok_or(Error::MissingField("ExternalCustomerReference"))?;
        if self.store.find_customer_by_external(merchant_code, &external).await?.is_some() {
            return Ok(None);
        }
        let mut cards = fixture.cards;
        for card in &mut cards {
            if card.transient_token.as_deref().is_none_or(str::is_empty) {
                card.transient_token = Some(token::new_token(self.random.as_ref())?);
            }
        }
        let status = CustomerStatus { enabled: fixture.enabled, trial: fixture.trial };
        match self.store.insert_customer(merchant_code, &fields, status, &cards, self.clock.now()).await {
            Ok(reference) => Ok(Some(reference)),
            // Another instance loaded the same fixture at the same moment.
            Err(StoreError::DuplicateExternalReference) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn resolve(&self, merchant: &MerchantContext, lookup: &CustomerLookup) -> Result<Customer> {
        let code = merchant.code();
        let found = match lookup {
            CustomerLookup::Internal(reference) => self.store.find_customer(code, *reference).await?,
            CustomerLookup::External(external) => {
                self.store.find_customer_by_external(code, external).await?
            }
            CustomerLookup::Both(reference, external) => {
                let customer =
                    self.store.find_customer(code, *reference).await?.ok_or(Error::CustomerNotFound)?;
                if customer.fields.external_reference.as_deref() != Some(external.as_str()) {
                    return Err(Error::ReferenceMismatch);
                }
                Some(customer)
            }
            CustomerLookup::InternalOrExternal(value) => {
                let as_internal = match value.parse::<CustomerReference>() {
                    Ok(reference) if value.bytes().all(|b| b.is_ascii_digit()) => {
                        self.store.find_customer(code, reference).await?
                    }
                    _ => None,
                };
                match as_internal {
                    Some(customer) => Some(customer),
                    None => self.store.find_customer_by_external(code, value).await?,
                }
            }
        };
        found.ok_or(Error::CustomerNotFound)
    }
}

fn elapsed_us(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
}
