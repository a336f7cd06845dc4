//! `tco-json` holds the vendor's JSON objects — the Customer with its cards and credit, search
//! options and results — as serde DTOs with their conversions to and from `tco-core` types.
//! REST and JSON-RPC carry the same objects, so both adapters use these instead of keeping
//! two copies that could drift apart.
//!
//! It depends on `tco-core` and serde only: no web framework, no store, no adapter.

mod dto;

pub use dto::*;
