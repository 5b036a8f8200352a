//! What the KPI dashboard sends to the browser.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::domain::kpi::TargetStatus;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiRow {
    pub code: String,
    pub label: String,
    pub value: Option<i64>,
    pub shown: String,
    pub previous_shown: String,
    /// "+3", "-3.1 pts"; None when either side is empty.
    pub change: Option<String>,
    /// Whether the change is good news (colour).
    pub change_good: Option<bool>,
    pub target_shown: Option<String>,
    /// The target as typed back into the form ("12.5").
    pub target_input: String,
    pub status: Option<TargetStatus>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Driver {
    pub segment: String,
    /// The segment's part of the change, formatted in the KPI's unit.
    pub part: String,
    pub delta: i64,
    /// e.g. "where the average best offer fell 8%".
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpsDashboard {
    pub period_kind: String,
    pub period: String,
    pub previous: String,
    pub next: Option<String>,
    pub kpis: Vec<KpiRow>,
    /// The KPI explained and charted below the table.
    pub focus: String,
    pub focus_label: String,
    /// One sentence a person can read, e.g. "Conversion -3.1 pts WoW; -2.4 pts from Smartphones / Apple, where …".
    pub summary: String,
    pub by_category_brand: Vec<Driver>,
    pub by_refurbisher: Vec<Driver>,
    /// (week label, value in the KPI's unit, shown) for the last 12 weeks.
    pub series: Vec<(String, i64, String)>,
    /// (segment, value, shown) this period, for breakdown bars.
    pub breakdown: Vec<(String, i64, String)>,
    pub categories: Vec<(String, String)>,
    pub brands: Vec<(String, String)>,
    pub refurbishers: Vec<(i64, String)>,
    pub open_alerts: i64,
    pub held_payouts: i64,
    pub open_claims: i64,
    pub pending_sellers: i64,
}
