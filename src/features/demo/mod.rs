//! Data loaded at start: the device catalog (always, when it changed) and the
//! demo marketplace (with `SEED_DEMO`). Its service writes through the other
//! features' services where a step has one, and its own repository for the
//! bulk history and the lookups only seeding needs.

mod repo;
pub mod service;

pub use service::{
    ensure_recycling_partner, history, load_catalog, marketplace, pricing, SeedError,
};
