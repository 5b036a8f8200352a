//! The market as other features use it: every listing competing for a
//! variant and grade, and the weekly cap units a trade-in takes and gives
//! back. Each runs on the caller's connection, inside its transaction, so a
//! unit is taken by the same commit that creates the trade-in.

pub use super::repo::record_views;
pub use super::repo::{
    candidates, candidates_for_variants, give_back_unit, listing_full, take_unit, ShownOffer,
};
