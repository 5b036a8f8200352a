//! The refurbisher area. Its home shows the company's standing; the price
//! grid, orders and KPIs grow here.

use super::super::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// This week's figures with last week's beside each.
#[component]
fn Kpis(s: SellerOverview) -> impl IntoView {
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
        ("Amount paid", t.paid.to_string(), l.paid.to_string()),
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
                            {(!s.status.buys()).then(|| view! {
                                <div class="notice warning" role="status">
                                    <p>"Your account is awaiting approval by our operations team. You can prepare prices now; they compete for devices once you are approved."</p>
                                </div>
                            })}
                            <p class="actions">
                                <a class="button primary" href="/seller/prices">"Prices"</a>
                                <a class="button" href="/seller/orders">"Orders"</a>
                            </p>
                            <dl class="stats">
                                <div><dt>"Status"</dt><dd>{s.status.to_string()}</dd></div>
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
