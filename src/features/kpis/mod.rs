//! What the KPI dashboard sends to the browser.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::domain::kpi::TargetStatus;
use crate::error::AppError;
use leptos::prelude::*;
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

/// A chart's points: (label, value in the KPI's unit, shown). A money
/// KPI has one per currency in view, named by `currency` when there are
/// several.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub currency: Option<String>,
    pub points: Vec<(String, i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpsDashboard {
    pub period_kind: String,
    /// The market's code, "" for all markets.
    pub market: String,
    /// The currencies money is shown in (ISO codes).
    pub currencies: Vec<String>,
    pub period: String,
    pub previous: String,
    /// What the two columns count: the period so far and the same part of
    /// the one before, unless whole periods were asked for or the period
    /// has ended (`Period::compare`).
    pub comparison: crate::domain::kpi::Comparison,
    /// How targets were prorated for a period still running, if they were.
    pub prorated: Option<String>,
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
    pub series: Vec<Series>,
    /// (segment, value, shown) this period, for breakdown bars.
    pub breakdown: Vec<Series>,
    pub categories: Vec<(String, String)>,
    pub brands: Vec<(String, String)>,
    pub refurbishers: Vec<(crate::domain::ids::SellerId, String)>,
    pub open_alerts: i64,
    pub held_payouts: i64,
    pub open_claims: i64,
    pub pending_sellers: i64,
}

/// The dashboard's period and filters, as in the page's query; each may be
/// left out. Text as posted: a flattened form's fields reach serde as
/// strings, so the refurbisher's id is parsed here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpsDashboardQuery {
    pub period: Option<String>,
    /// A market's code ("de-de"); empty for all markets.
    pub market: Option<String>,
    pub at: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    pub seller: Option<String>,
    pub kpi: Option<String>,
    /// "1": compare with the whole previous period, not its same part.
    pub full: Option<String>,
}

#[server(prefix = "/api", endpoint = "ops_dashboard")]
pub async fn load_ops_dashboard(
    // Flattened: the query's fields keep their names on the wire.
    #[server(flatten)] query: OpsDashboardQuery,
) -> Result<OpsDashboard, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let st = crate::i18n::staff::use_staff();
    let r = crate::features::kpis::service::request(st, g.now_ms(), &query)?;
    crate::features::kpis::service::dashboard(&g.state, st, &r).await
}

/// A KPI's target for a kind of period, as typed ("12.5").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiTargetForm {
    pub kpi: String,
    pub period: String,
    pub target: String,
}

#[server(prefix = "/api", endpoint = "kpi_target")]
pub async fn set_kpi_target(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: KpiTargetForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::domain::kpi::{Kpi, PeriodKind};
    use crate::i18n::staff::{use_staff, Staff};
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let st = use_staff();
    let kpi = Kpi::parse(&form.kpi)
        .ok_or_else(|| AppError::invalid("kpi", st.get(Staff::OpsDashboardUnknownKpi)))?;
    let kind = PeriodKind::parse(&form.period)
        .ok_or_else(|| AppError::invalid("period", st.get(Staff::OpsDashboardChoosePeriod)))?;
    crate::features::kpis::service::set_target(&g.state, st, g.user()?.id, kpi, kind, &form.target)
        .await
}

fn status_class(s: Option<TargetStatus>) -> &'static str {
    match s {
        Some(TargetStatus::Met) => "kpi met",
        Some(TargetStatus::Close) => "kpi close",
        Some(TargetStatus::Missed) => "kpi missed",
        None => "kpi",
    }
}

fn status_text(st: crate::i18n::staff::StaffTexts, s: Option<TargetStatus>) -> &'static str {
    use crate::i18n::staff::Staff;
    match s {
        Some(TargetStatus::Met) => st.get(Staff::OpsDashboardStatusMet),
        Some(TargetStatus::Close) => st.get(Staff::OpsDashboardStatusClose),
        Some(TargetStatus::Missed) => st.get(Staff::OpsDashboardStatusMissed),
        None => "",
    }
}

/// The current URL's query with some keys replaced.
fn href(pairs: &[(String, String)], set: &[(&str, &str)]) -> String {
    let mut out: Vec<String> = pairs
        .iter()
        .filter(|(k, v)| !v.is_empty() && !set.iter().any(|(s, _)| s == k))
        .map(|(k, v)| format!("{k}={}", crate::ui::url_encode(v)))
        .collect();
    out.extend(
        set.iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::ui::url_encode(v))),
    );
    format!("/ops?{}", out.join("&"))
}

fn csv_href(pairs: &[(String, String)], table: &str) -> String {
    href(pairs, &[("table", table)]).replacen("/ops?", "/ops/export.csv?", 1)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerOverview {
    pub company: String,
    pub status: crate::domain::seller::SellerStatus,
    pub paused: bool,
    pub listings: i64,
    pub city: String,
    pub country: String,
    pub weekly_cap: Option<i64>,
    pub this_week: WeekView,
    pub last_week: WeekView,
    pub by_state: Vec<(crate::domain::tradein::State, i64)>,
    /// Devices bought per ISO week, oldest first: (week label, count).
    pub weekly_bought: Vec<(String, i64)>,
}

/// One week of a refurbisher's figures, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekView {
    pub bought: i64,
    pub received: i64,
    pub inspected: i64,
    /// Tenths of an hour, e.g. 53 = 5.3 h.
    pub avg_inspection_tenths_h: Option<i64>,
    pub counter_offer_pct: Option<i64>,
    pub counter_accept_pct: Option<i64>,
    pub paid: crate::domain::money::Totals,
}

#[cfg(feature = "ssr")]
impl From<crate::features::kpis::service::WeekFigures> for WeekView {
    fn from(f: crate::features::kpis::service::WeekFigures) -> WeekView {
        WeekView {
            bought: f.bought,
            received: f.received,
            inspected: f.inspected,
            avg_inspection_tenths_h: f.avg_inspection_ms.map(|ms| ms / 360_000),
            counter_offer_pct: (f.inspected > 0).then(|| f.counter_offers * 100 / f.inspected),
            counter_accept_pct: (f.counter_answered > 0)
                .then(|| f.counter_accepted * 100 / f.counter_answered),
            paid: f.paid,
        }
    }
}

#[server(prefix = "/api", endpoint = "seller_overview")]
pub async fn load_seller_overview() -> Result<SellerOverview, AppError> {
    use crate::domain::account::Role;
    use crate::features::sellers::service as sellers;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let user = g.user()?;
    let found = sellers::overview_for_user(g.state.db.pool(), user.id)
        .await
        .or_internal(&g)?;
    let s = found.ok_or(AppError::NotFound)?;
    use crate::domain::dates::{week_start_ms, Date, DAY_MS};
    use crate::features::kpis::service::seller_kpis as kpis;
    let week = 7 * DAY_MS;
    let this_start = week_start_ms(g.now_ms());
    let mut conn = g.state.db.pool().acquire().await.or_internal(&g)?;
    // Eight weeks, oldest first; the last two are this week and last week.
    let mut weeks = Vec::new();
    for k in (0..8).rev() {
        let start = this_start - k * week;
        weeks.push((
            start,
            kpis::week(&mut conn, s.id, start, start + week)
                .await
                .or_internal(&g)?,
        ));
    }
    let weekly_bought = weeks
        .iter()
        .map(|(start, f)| {
            (
                format!("W{}", Date::from_unix_ms(*start).iso_week().1),
                f.bought,
            )
        })
        .collect();
    let this_week = weeks[7].1.clone();
    let last_week = weeks[6].1.clone();
    let by_state = kpis::by_state(&mut conn, s.id)
        .await
        .or_internal(&g)?
        .into_iter()
        .filter_map(|(code, n)| crate::domain::tradein::State::parse(&code).map(|st| (st, n)))
        .collect();
    Ok(SellerOverview {
        company: s.company,
        status: s.status,
        paused: s.paused,
        listings: s.listings,
        city: s.city,
        country: s.country,
        weekly_cap: s.weekly_cap,
        this_week: this_week.into(),
        last_week: last_week.into(),
        by_state,
        weekly_bought,
    })
}
