//! Every black-box test of tco-gateway, in one binary: a real server on a loopback port (the same
//! `tco_server::spawn` the binary uses), real HTTP, on SQLite and PostgreSQL; the store ports on
//! both databases; the contracts and the dependency rules. `crates/tco-server/tests` holds the
//! tests that need the real binary (kill -9, full disk, defaults).

mod admin;
mod campaigns;
mod catalog;
mod contracts;
mod control_characters;
mod errors_table;
mod golden;
mod hardening;
mod isolation;
mod journal;
mod jsonrpc;
mod legacy;
mod notifications;
mod orders;
mod parity;
mod partners;
mod real_clients;
mod refunds;
mod reliability;
mod renewals;
mod rest;
mod snapshots;
mod soap;
mod store;
mod subscription_details;
mod subscriptions;
mod tidy;
mod upgrades;
