//! An in-memory [`Store`] for unit tests of the core and of adapters. Not durable and not
//! shared between processes; the server uses `tco-store`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::customer::{Card, Customer, CustomerFields, CustomerReference};
use crate::error::StoreError;
use crate::ports::{CustomerStatus, SessionRecord, SsoGrant, Store, StoreResult};
use crate::search::SearchQuery;

#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    last_reference: CustomerReference,
    customers: BTreeMap<CustomerReference, (String, Customer)>,
    cards: Vec<(CustomerReference, Card)>,
    sessions: BTreeMap<String, SessionRecord>,
    grants: BTreeMap<String, SsoGrant>,
}

impl MemoryStore {
    pub fn new() -> Self {
        MemoryStore::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut state)
    }
}

impl State {
    fn customer(&self, merchant: &str, reference: CustomerReference) -> Option<&Customer> {
        self.customers.get(&reference).filter(|(owner, _)| owner == merchant).map(|(_, customer)| customer)
    }

    fn external_taken(&self, merchant: &str, external: &str, except: Option<CustomerReference>) -> bool {
        self.customers.values().any(|(owner, customer)| {
            owner == merchant
                && Some(customer.reference) != except
                && customer.fields.external_reference.as_deref() == Some(external)
        })
    }
}

fn matches(customer: &Customer, query: &SearchQuery) -> bool {
    let fields = &customer.fields;
    query.email_key.as_ref().is_none_or(|key| *key == fields.email_key())
        && query.phone.as_ref().is_none_or(|phone| fields.phone.as_ref() == Some(phone))
        && query.country_code.as_ref().is_none_or(|code| *code == fields.country_code)
        && query.language.as_ref().is_none_or(|language| fields.language.as_ref() == Some(language))
        && query.trial.is_none_or(|trial| trial == customer.trial)
        && query.enabled.is_none_or(|enabled| enabled == customer.enabled)
}

#[async_trait]
impl Store for MemoryStore {
    async fn ping(&self) -> StoreResult<()> {
        Ok(())
    }

    async fn insert_session(&self, session: &SessionRecord) -> StoreResult<()> {
        self.with(|state| state.sessions.insert(session.digest.clone(), session.clone()));
        Ok(())
    }

    async fn find_session(&self, digest: &str) -> StoreResult<Option<SessionRecord>> {
        Ok(self.with(|state| state.sessions.get(digest).cloned()))
    }

    async fn purge_sessions(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        Ok(self.with(|state| {
            let size = state.sessions.len();
            state.sessions.retain(|_, session| session.expires_at >= before);
            (size - state.sessions.len()) as u64
        }))
    }

    async fn insert_customer(
        &self,
        merchant_code: &str,
        fields: &CustomerFields,
        status: CustomerStatus,
        cards: &[Card],
        _now: DateTime<Utc>,
    ) -> StoreResult<CustomerReference> {
        self.with(|state| {
            if let Some(external) = &fields.external_reference
                && state.external_taken(merchant_code, external, None)
            {
                return Err(StoreError::DuplicateExternalReference);
            }
            state.last_reference += 1;
            let reference = state.last_reference;
            let customer = Customer {
                reference,
                fields: fields.clone(),
                enabled: status.enabled,
                trial: status.trial,
                cards: Vec::new(),
            };
            state.customers.insert(reference, (merchant_code.to_owned(), customer));
            state.cards.extend(cards.iter().map(|card| (reference, card.clone())));
            Ok(reference)
        })
    }

    async fn find_customer(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
    ) -> StoreResult<Option<Customer>> {
        Ok(self.with(|state| state.customer(merchant_code, reference).cloned()))
    }

    async fn find_customer_by_external(
        &self,
        merchant_code: &str,
        external_reference: &str,
    ) -> StoreResult<Option<Customer>> {
        Ok(self.with(|state| {
            state
                .customers
                .values()
                .find(|(owner, customer)| {
                    owner == merchant_code
                        && customer.fields.external_reference.as_deref() == Some(external_reference)
                })
                .map(|(_, customer)| customer.clone())
        }))
    }

    async fn update_customer(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
        fields: &CustomerFields,
        _end_user_update: bool,
        _now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        self.with(|state| {
            if state.customer(merchant_code, reference).is_none() {
                return Ok(false);
            }
            if let Some(external) = &fields.external_reference
                && state.external_taken(merchant_code, external, Some(reference))
            {
                return Err(StoreError::DuplicateExternalReference);
            }
            if let Some((_, customer)) = state.customers.get_mut(&reference) {
                customer.fields = fields.clone();
            }
            Ok(true)
        })
    }

    async fn search_customers(
        &self,
        merchant_code: &str,
        query: &SearchQuery,
    ) -> StoreResult<(Vec<Customer>, u64)> {
        Ok(self.with(|state| {
            let hits: Vec<&Customer> = state
                .customers
                .values()
                .filter(|(owner, customer)| owner == merchant_code && matches(customer, query))
                .map(|(_, customer)| customer)
                .collect();
            let offset = usize::try_from(query.offset()).unwrap_or(usize::MAX);
            let page = hits.iter().skip(offset).take(query.limit as usize).map(|c| (*c).clone()).collect();
            (page, hits.len() as u64)
        }))
    }

    async fn cards(&self, merchant_code: &str, reference: CustomerReference) -> StoreResult<Vec<Card>> {
        Ok(self.with(|state| {
            if state.customer(merchant_code, reference).is_none() {
                return Vec::new();
            }
            state
                .cards
                .iter()
                .filter(|(owner, _)| *owner == reference)
                .map(|(_, card)| card.clone())
                .collect()
        }))
    }

    async fn delete_card(
        &self,
        merchant_code: &str,
        reference: CustomerReference,
        transient_token: &str,
    ) -> StoreResult<bool> {
        Ok(self.with(|state| {
            if state.customer(merchant_code, reference).is_none() {
                return false;
            }
            let size = state.cards.len();
            state.cards.retain(|(owner, card)| {
                !(*owner == reference && card.transient_token.as_deref() == Some(transient_token))
            });
            state.cards.len() < size
        }))
    }

    async fn insert_sso_grant(&self, grant: &SsoGrant) -> StoreResult<()> {
        self.with(|state| state.grants.insert(grant.digest.clone(), grant.clone()));
        Ok(())
    }

    async fn take_sso_grant(&self, merchant_code: &str, digest: &str) -> StoreResult<Option<SsoGrant>> {
        Ok(self.with(|state| {
            let owned = state.grants.get(digest).is_some_and(|grant| grant.merchant_code == merchant_code);
            if owned { state.grants.remove(digest) } else { None }
        }))
    }

    async fn purge_sso_grants(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        Ok(self.with(|state| {
            let size = state.grants.len();
            state.grants.retain(|_, grant| grant.expires_at >= before);
            (size - state.grants.len()) as u64
        }))
    }
}
