//! A refurbisher's scorecard as the quality page shows it.

#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub seller_id: i64,
    pub company: String,
    pub status: String,
    /// Trade-ins accepted in the window.
    pub volume: i64,
    pub counter_offer_rate: String,
    pub counter_accept_rate: String,
    pub inspection_sla: String,
    pub payment_sla: String,
    pub disputes: i64,
    pub quality_score: i64,
    /// What the score would be from this scorecard (None: too little volume).
    pub computed_score: Option<i64>,
}
