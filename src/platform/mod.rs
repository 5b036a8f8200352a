//! Server-only infrastructure that knows no feature: configuration, the
//! database, secrets, the clock, telemetry, background jobs, caches,
//! sessions and the guard, HTTP plumbing, and the adapters for the outside
//! world (mail, carrier, payouts, PDF, images).

pub mod cache;
pub mod carrier;
pub mod clock;
pub mod config;
pub mod csv;
pub mod db;
pub mod http;
pub mod images;
pub mod jobs;
pub mod mail;
pub mod notify;
pub mod payouts;
pub mod pdf;
pub mod rate_limit;
pub mod secret;
pub mod session;
pub mod state;
pub mod telemetry;
pub mod webhook;
pub mod zone;

/// What the adapters' trait methods return (object-safe async).
pub use futures_util::future::BoxFuture;
