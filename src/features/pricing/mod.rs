//! What the price grid, its detail panel and the CSV import send to the
//! browser. Shared by the server functions and the pages.

#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::domain::grade::Grade;
use crate::domain::listing_price::MarketPosition;
use crate::domain::price_import::Counts;
use serde::{Deserialize, Serialize};

/// One cell (variant x grade) of a refurbisher's grid, with where it
/// stands in the market.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridCell {
    pub variant_id: i64,
    pub grade: Grade,
    /// None: not buying.
    pub price_minor: Option<i64>,
    /// None: no listing yet. Saving names the version it started from.
    pub version: Option<i64>,
    pub weekly_cap: Option<i64>,
    /// Other refurbishers whose offer for this cell is live now.
    pub competitors: usize,
    pub best_competitor_minor: Option<i64>,
    /// Rank, buyers and price to win; only when buying.
    pub position: Option<MarketPosition>,
    /// Why this listing is not in the offers right now, if it is not.
    pub not_competing: Option<String>,
    /// More than 30% over the second-best price.
    pub far_above_market: bool,
    /// What the refurbisher paid on average last month for this variant
    /// and grade, when the price is now below it.
    pub below_paid_minor: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRow {
    pub variant_id: i64,
    pub sku: String,
    /// "Apple iPhone 13 · 128 GB"
    pub name: String,
    pub cells: Vec<GridCell>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridPage {
    pub rows: Vec<GridRow>,
    /// Variants matching the filters, on all pages.
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub status: String,
    pub paused: bool,
    pub weekly_cap: Option<i64>,
    pub units_this_week: i64,
    pub categories: Vec<(String, String)>,
    pub brands: Vec<(String, String)>,
}

/// The result of saving one cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellOutcome {
    Saved(GridCell),
    Unchanged(GridCell),
    /// Someone changed it first (another tab, an import): nothing was
    /// written; this is the cell as it is now.
    Stale(GridCell),
}

/// One price a "match price to win" would set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchLine {
    pub variant_id: i64,
    pub grade: Grade,
    pub name: String,
    pub current_minor: i64,
    pub new_minor: i64,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: usize,
    pub reason: String,
}

/// A CSV import's dry run, or what it applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: usize,
    pub counts: Counts,
    /// The first bad rows (all of them up to a limit), by line.
    pub errors: Vec<RowProblem>,
    pub error_count: usize,
    /// Names the grid the preview was made against; applying needs it.
    /// Empty once applied (the next import previews again).
    pub base: String,
    pub applied: bool,
}

/// How many bad rows a report lists (all are counted).
pub const MAX_LISTED_ERRORS: usize = 500;

/// A price history entry, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at_ms: i64,
    pub old_minor: Option<i64>,
    pub new_minor: Option<i64>,
    pub source: String,
    pub by: String,
}

/// The detail panel of one listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingDetail {
    pub name: String,
    pub sku: String,
    pub cell: GridCell,
    /// Every live competing price, best first (anonymised).
    pub curve: Vec<i64>,
    pub history: Vec<HistoryLine>,
}
