//! `tco-api` is the operation registry of tco-gateway: each vendor operation defined once — its
//! name, positional parameters (session id first), result, REST routes, errors and the core
//! call — together with the vendor's objects as serde types every protocol reads and writes,
//! the leniency rules they share, and the journaled runner. The REST, JSON-RPC and SOAP adapters
//! are codecs driven by it, and the contracts (WSDL, OpenAPI, OpenRPC, `docs/operations.md`)
//! are generated from its [`descriptors`].
//!
//! It depends on `tco-core`, serde, serde_json and chrono only: no web framework, no XML library, no
//! store, no adapter.

pub mod bind;
pub mod browse;
mod contracts;
pub mod cross_sell;
pub mod currencies;
pub mod customers;
pub mod data_file;
pub mod dynamic_items;
pub mod journal;
pub mod lenient;
pub mod money;
mod operation;
pub mod orders;
pub mod page;
pub mod partners;
pub mod price_options;
pub mod product_groups;
pub mod products;
pub mod promotions;
mod registry;
mod schema;
pub mod sessions;
mod shape;
pub mod shipping;
pub mod snapshot;
pub mod subscription_details;
pub mod subscription_import;
pub mod subscriptions;
pub mod upgrades;
pub mod upsell;

pub use contracts::{FAMILIES, family, family_counts, operations_markdown};
pub use lenient::{Place, Text, WireError, from_json, from_positional};
pub use money::Money;
pub use operation::{
    Codec, Descriptor, Method, Operation, Parameters, RestRequest, Route, invoke, invoke_rest, run_as,
};
pub use registry::{
    OperationId, RestAnswer, RestFailure, call, call_rest, descriptors, json, positional_operations,
};
pub use schema::{Dialect, Schemas};
pub use shape::{Describe, Field, Object, Shape};
