//! Customers: the vendor's customer operations — create, read, update, search, single sign-on
//! in cart and by token, stored cards — and fixtures.
//!
//! Here are the family's types, rules and store port; its operations are `Gateway` methods in
//! `gateway/customers.rs`.

mod store;
pub use store::{CustomerStatus, CustomerStore, SsoGrant};
pub(crate) mod model;
pub(crate) mod search;
pub(crate) mod sso;
pub(crate) mod validation;

pub use model::{
    Card, Credit, CreditInput, Customer, CustomerFields, CustomerInput, CustomerLookup, CustomerReference,
    FixtureCustomer, email_key,
};
pub use search::{SearchInput, SearchQuery};
pub use sso::{DEFAULT_VALIDITY_SECS, MAX_VALIDITY_SECS, SignOnRequest};
pub use validation::validate_customer;
