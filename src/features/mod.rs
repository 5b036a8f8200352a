//! One folder per feature, each with the same shape: `mod.rs` (wire types
//! and server functions), views, `service.rs` (ssr: one transaction per
//! user action; what other features call) and `repo.rs` (ssr, private: its
//! SQL).

pub mod accounts;
pub mod alerts;
pub mod api_tokens;
pub mod audit;
pub mod catalog;
pub mod claims;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod fraud;
pub mod kpis;
#[cfg(feature = "ssr")]
pub mod offers;
/// The offers repository's packed-text reader alone, for the fuzz target
/// `offer_unpack` (the `fuzzing` feature builds no server).
#[cfg(all(feature = "fuzzing", not(feature = "ssr")))]
pub mod offers {
    #[path = "repo/packed.rs"]
    pub mod packed;
}

pub mod orders;
pub mod pricing;
pub mod privacy;
pub mod quality;
pub mod sell;
#[cfg(feature = "ssr")]
pub mod seller_api;
pub mod seller_events;
pub mod sellers;
pub mod trade_ins;
