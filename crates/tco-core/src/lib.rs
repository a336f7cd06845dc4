//! `tco-core` is the protocol-neutral heart of tco-gateway, a re-implementation of the
//! 2Checkout (Avangate) merchant API 6.0: merchants and their HMAC authentication, sessions,
//! customers with validation, search, single sign-on tokens and stored cards, the one error
//! catalogue, and the ports (store, clock, randomness) the outside world plugs into.
//!
//! It must not depend on any web, wire-format or database crate (no axum, hyper, jsonrpsee,
//! quick-xml, serde_json, sqlx): domain types here are not wire types, and the REST, JSON-RPC
//! and SOAP adapters each own their DTOs and convert.

mod auth;
mod customer;
mod describe;
mod error;
mod gateway;
mod iso;
mod journal;
pub mod memory;
mod merchant;
mod operations;
mod ports;
mod search;
mod session_cache;
mod sso;
mod token;
mod validation;

pub use auth::{Credentials, DATE_FORMAT, HashAlgorithm, sign, string_to_sign};
pub use customer::{
    Card, Credit, CreditInput, Customer, CustomerFields, CustomerInput, CustomerLookup, CustomerReference,
    FixtureCustomer, email_key,
};
pub use error::{Error, ErrorCode, Result, StoreError};
pub use gateway::{Call, Gateway, SessionId, Settings};
pub use journal::{Journal, JournalEntry, JournalFilter, Outcome, Protocol, REDACTED};
pub use merchant::{Merchant, MerchantContext, Merchants, SecretKey};
pub use operations::{POSITIONAL_OPERATIONS, positional_operation};
pub use ports::{
    Clock, CountingRandom, CustomerStatus, ManualClock, OsRandom, RandomError, RandomSource, SessionRecord,
    SsoGrant, Store, StoreResult, SystemClock,
};
pub use search::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, SearchInput, SearchPage, SearchQuery};
pub use sso::{DEFAULT_VALIDITY_SECS, MAX_VALIDITY_SECS, SignOnRequest};
pub use validation::validate_customer;

#[cfg(test)]
mod gateway_tests;
