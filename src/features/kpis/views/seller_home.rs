//! The refurbisher area. Its home shows the company's standing; the price
//! grid, orders and KPIs grow here.

use super::super::*;
use crate::i18n::staff::{use_staff, Staff};
use leptos::prelude::*;
use leptos_meta::Title;

/// This week's figures with last week's beside each.
#[component]
fn Kpis(s: SellerOverview) -> impl IntoView {
    let st = use_staff();
    let (t, l) = (s.this_week.clone(), s.last_week.clone());
    let bought = match s.weekly_cap {
        Some(cap) => st.fill(
            Staff::SellerHomeBoughtOfCap,
            &[("n", &t.bought), ("cap", &cap)],
        ),
        None => t.bought.to_string(),
    };
    let rows: Vec<(&str, String, String)> = vec![
        (
            st.get(Staff::SellerHomeBought),
            bought,
            l.bought.to_string(),
        ),
        (
            st.get(Staff::SellerHomeReceived),
            t.received.to_string(),
            l.received.to_string(),
        ),
        (
            st.get(Staff::SellerHomeTimeToInspect),
            st.tenths_of_hours(t.avg_inspection_tenths_h),
            st.tenths_of_hours(l.avg_inspection_tenths_h),
        ),
        (
            st.get(Staff::SellerHomeCounterOfferRate),
            st.percent(t.counter_offer_pct),
            st.percent(l.counter_offer_pct),
        ),
        (
            st.get(Staff::SellerHomeCountersAccepted),
            st.percent(t.counter_accept_pct),
            st.percent(l.counter_accept_pct),
        ),
        (
            st.get(Staff::SellerHomePaid),
            st.totals(&t.paid),
            st.totals(&l.paid),
        ),
    ];
    let states = crate::i18n::use_texts();
    view! {
        <section aria-labelledby="kpi-heading">
            <h2 id="kpi-heading">{st.get(Staff::SellerHomeThisWeek)}</h2>
            <table class="table kpis">
                <thead><tr>
                    <th scope="col">{st.get(Staff::SellerHomeIndicator)}</th>
                    <th scope="col">{st.get(Staff::SellerHomeThisWeek)}</th>
                    <th scope="col">{st.get(Staff::SellerHomeLastWeek)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(name, now, before)| view! {
                        <tr><th scope="row">{name}</th><td>{now}</td><td class="muted">{before}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <crate::ui::chart::BarChart
                title=st.get(Staff::SellerHomeBoughtPerWeek).to_string()
                bars=s.weekly_bought.iter().map(|(w, n)| (w.clone(), *n, st.fill(Staff::SellerHomeBoughtInWeek, &[("week", w), ("n", n)]))).collect()
            />
            <h3>{st.get(Staff::SellerHomeByStatus)}</h3>
            <ul class="state-counts">
                {s.by_state.into_iter().map(|(state, n)| view! {
                    <li>{st.fill(Staff::SellerHomeStatusCount, &[("status", &states.state(state)), ("n", &n)])}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn SellerHome() -> impl IntoView {
    let st = use_staff();
    let overview = crate::ui::data::load(|| (), |_| load_seller_overview());
    view! {
        <Title text=st.get(Staff::SellerHomeTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(s) => view! {
                        <section>
                            <h1>{s.company.clone()}</h1>
                            <p class="muted">{st.fill(Staff::SellerHomeWarehouse, &[("city", &s.city), ("country", &s.country)])}</p>
                            {(!s.status.buys()).then(|| view! {
                                <div class="notice warning" role="status">
                                    <p>{st.get(Staff::SellerHomeAwaitingApproval)}</p>
                                </div>
                            })}
                            <p class="actions">
                                <a class="button primary" href="/seller/prices">{st.get(Staff::SellerHomePrices)}</a>
                                <a class="button" href="/seller/orders">{st.get(Staff::SellerHomeOrders)}</a>
                                <a class="button" href="/seller/api">{st.get(Staff::SellerHomeApi)}</a>
                            </p>
                            <dl class="stats">
                                <div><dt>{st.get(Staff::SellerHomeStatus)}</dt><dd>{st.seller_status(s.status)}</dd></div>
                                <div><dt>{st.get(Staff::SellerHomeBuying)}</dt><dd>{st.get(if s.paused { Staff::SellerHomePaused } else { Staff::SellerHomeActive })}</dd></div>
                                <div><dt>{st.get(Staff::SellerHomePricesSet)}</dt><dd>{s.listings}</dd></div>
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
