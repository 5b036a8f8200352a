//! The refurbisher area. Its home shows the company's standing; the price
//! grid, orders and KPIs grow here.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerOverview {
    pub company: String,
    pub status: String,
    pub paused: bool,
    pub listings: i64,
    pub city: String,
    pub country: String,
    pub weekly_cap: Option<i64>,
    pub this_week: WeekView,
    pub last_week: WeekView,
    /// (state label, count)
    pub by_state: Vec<(String, i64)>,
    /// Devices bought per ISO week, oldest first: (week label, count).
    pub weekly_bought: Vec<(String, i64)>,
}

/// One week of a refurbisher's figures, ready to show.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekView {
    pub bought: i64,
    pub received: i64,
    pub inspected: i64,
    /// Tenths of an hour, e.g. 53 = 5.3 h.
    pub avg_inspection_tenths_h: Option<i64>,
    pub counter_offer_pct: Option<i64>,
    pub counter_accept_pct: Option<i64>,
    pub paid_minor: i64,
}

#[cfg(feature = "ssr")]
impl From<crate::features::kpis::repo::seller_kpis::WeekFigures> for WeekView {
    fn from(f: crate::features::kpis::repo::seller_kpis::WeekFigures) -> WeekView {
        WeekView {
            bought: f.bought,
            received: f.received,
            inspected: f.inspected,
            avg_inspection_tenths_h: f.avg_inspection_ms.map(|ms| ms / 360_000),
            counter_offer_pct: (f.inspected > 0).then(|| f.counter_offers * 100 / f.inspected),
            counter_accept_pct: (f.counter_answered > 0)
                .then(|| f.counter_accepted * 100 / f.counter_answered),
            paid_minor: f.paid_minor,
        }
    }
}

#[server(prefix = "/api", endpoint = "seller_overview")]
pub async fn load_seller_overview() -> Result<SellerOverview, AppError> {
    use crate::domain::account::Role;
    use crate::features::sellers::repo as sellers;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let user = g.user()?;
    let found = sellers::overview_for_user(g.state.db.pool(), user.id)
        .await
        .or_internal(&g)?;
    let s = found.ok_or(AppError::NotFound)?;
    use crate::domain::dates::{week_start_ms, Date, DAY_MS};
    use crate::features::kpis::repo::seller_kpis as kpis;
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
        .filter_map(|(code, n)| {
            crate::domain::tradein::State::parse(&code)
                .map(|st| (crate::domain::tradein::state_label(st).to_string(), n))
        })
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

fn pct(v: Option<i64>) -> String {
    v.map(|p| format!("{p}%")).unwrap_or_else(|| "–".into())
}

fn hours(v: Option<i64>) -> String {
    v.map(|t| format!("{}.{} h", t / 10, t % 10))
        .unwrap_or_else(|| "–".into())
}

/// This week's figures with last week's beside each.
#[component]
fn Kpis(s: SellerOverview) -> impl IntoView {
    use crate::domain::money::Money;
    let (t, l) = (s.this_week.clone(), s.last_week.clone());
    let cap = s.weekly_cap.map(|c| format!(" of {c}")).unwrap_or_default();
    let rows: Vec<(&str, String, String)> = vec![
        (
            "Devices bought",
            format!("{}{cap}", t.bought),
            l.bought.to_string(),
        ),
        (
            "Parcels received",
            t.received.to_string(),
            l.received.to_string(),
        ),
        (
            "Average time to inspect",
            hours(t.avg_inspection_tenths_h),
            hours(l.avg_inspection_tenths_h),
        ),
        (
            "Counter-offer rate",
            pct(t.counter_offer_pct),
            pct(l.counter_offer_pct),
        ),
        (
            "Counter-offers accepted",
            pct(t.counter_accept_pct),
            pct(l.counter_accept_pct),
        ),
        (
            "Amount paid",
            Money::eur(t.paid_minor).to_string(),
            Money::eur(l.paid_minor).to_string(),
        ),
    ];
    view! {
        <section aria-labelledby="kpi-heading">
            <h2 id="kpi-heading">"This week"</h2>
            <table class="table kpis">
                <thead><tr><th scope="col">"Indicator"</th><th scope="col">"This week"</th><th scope="col">"Last week"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(name, now, before)| view! {
                        <tr><th scope="row">{name}</th><td>{now}</td><td class="muted">{before}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <crate::ui::chart::BarChart
                title="Devices bought per week".to_string()
                bars=s.weekly_bought.iter().map(|(w, n)| (w.clone(), *n, format!("{w}: {n} devices"))).collect()
            />
            <h3>"Trade-ins by status"</h3>
            <ul class="state-counts">
                {s.by_state.into_iter().map(|(label, n)| view! { <li>{format!("{label}: {n}")}</li> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn SellerHome() -> impl IntoView {
    let overview = crate::ui::data::load(|| (), |_| load_seller_overview());
    view! {
        <Title text="Refurbisher area"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(s) => view! {
                        <section>
                            <h1>{s.company.clone()}</h1>
                            <p class="muted">{format!("Warehouse: {}, {}", s.city, s.country)}</p>
                            {(s.status != "approved").then(|| view! {
                                <div class="notice warning" role="status">
                                    <p>"Your account is awaiting approval by our operations team. You can prepare prices now; they compete for devices once you are approved."</p>
                                </div>
                            })}
                            <p class="actions">
                                <a class="button primary" href="/seller/prices">"Prices"</a>
                                <a class="button" href="/seller/orders">"Orders"</a>
                            </p>
                            <dl class="stats">
                                <div><dt>"Status"</dt><dd>{s.status.clone()}</dd></div>
                                <div><dt>"Buying"</dt><dd>{if s.paused { "paused" } else { "active" }}</dd></div>
                                <div><dt>"Prices set"</dt><dd>{s.listings}</dd></div>
                            </dl>
                            <Kpis s=s.clone()/>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
