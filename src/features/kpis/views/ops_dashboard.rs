//! The KPI dashboard (`/ops`): a period (day, ISO week, month) and filters
//! (market, category, brand, refurbisher) in the URL, every KPI with the
//! previous period, the change and its
//! target, the segments that explain the focused KPI's move, 12 weeks of
//! history and a breakdown, each exportable as CSV.

use super::super::*;
use crate::domain::kpi::Span;
use crate::domain::market::Market;
use crate::error::AppError;
use crate::ui::chart::BarChart;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
fn TargetForm(row: KpiRow, period: String, on_saved: Callback<()>) -> impl IntoView {
    let action = ServerAction::<SetKpiTarget>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_saved.run(());
        }
    });
    let id = format!("target-{}", row.code);
    view! {
        <PageForm action=action class="target-form">
            <input type="hidden" name="kpi" value=row.code.clone()/>
            <input type="hidden" name="period" value=period/>
            <label for=id.clone() class="visually-hidden">{format!("Target for {}", row.label)}</label>
            <input id=id type="text" name="target" size="7" value=row.target_input.clone() inputmode="decimal"/>
            <button type="submit" class="button small">{"Save target".to_string()}<span class="visually-hidden">{format!(" for {}", row.label)}</span></button>
            <span class="field-error" role="status">{move || action.value().get().and_then(|r| r.err()).map(|e| e.field("target").unwrap_or_else(|| e.to_string()))}</span>
        </PageForm>
    }
}

/// A refused filter's message beside its field (`id` for aria-describedby).
fn field_error(error: &Option<AppError>, field: &'static str) -> impl IntoView {
    error.as_ref().and_then(|e| e.field(field)).map(|m| {
        view! { <span class="field-error" id=format!("{field}-error") role="alert">{m}</span> }
    })
}

/// The period and filters. Shown with `error` when the query was refused
/// (then without the dashboard's lists), each message beside its field.
#[component]
fn Filters(d: Option<OpsDashboard>, error: Option<AppError>) -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let opt = move |value: String, label: String, current: String| {
        let sel = value == current;
        view! { <option value=value selected=sel>{label}</option> }
    };
    let described = |field: &'static str| {
        error
            .as_ref()
            .and_then(|e| e.field(field))
            .map(|_| format!("{field}-error"))
    };
    let period_kind = d
        .as_ref()
        .map(|d| d.period_kind.clone())
        .unwrap_or_else(|| get("period"));
    let period_label = d
        .as_ref()
        .map(|d| d.period.clone())
        .unwrap_or_else(|| "2026-W10".into());
    let (categories, brands, refurbishers) = d
        .as_ref()
        .map(|d| {
            (
                d.categories.clone(),
                d.brands.clone(),
                d.refurbishers.clone(),
            )
        })
        .unwrap_or_default();
    view! {
        <form method="get" action="/ops" class="filters" aria-label="Period and filters">
            <label>"Period"
                <select name="period" aria-describedby=described("period")>
                    {[("week", "ISO week"), ("day", "Day"), ("month", "Month")].into_iter().map(|(v, l)| opt(v.into(), l.into(), period_kind.clone())).collect_view()}
                </select>
            </label>
            {field_error(&error, "period")}
            <label>"Which (e.g. " {period_label} ")" <input type="text" name="at" value=get("at") size="10" aria-describedby=described("at")/></label>
            {field_error(&error, "at")}
            <label>"Market"
                <select name="market" aria-describedby=described("market")>
                    <option value="">"All markets"</option>
                    {Market::ALL.into_iter().map(|m| opt(m.code().into(), m.name().into(), get("market"))).collect_view()}
                </select>
            </label>
            {field_error(&error, "market")}
            <label>"Category"
                <select name="category">
                    <option value="">"All categories"</option>
                    {categories.into_iter().map(|(s, n)| opt(s, n, get("category"))).collect_view()}
                </select>
            </label>
            <label>"Brand"
                <select name="brand">
                    <option value="">"All brands"</option>
                    {brands.into_iter().map(|(s, n)| opt(s, n, get("brand"))).collect_view()}
                </select>
            </label>
            <label>"Refurbisher"
                <select name="seller">
                    <option value="">"All refurbishers"</option>
                    {refurbishers.into_iter().map(|(id, n)| opt(id.to_string(), n, get("seller"))).collect_view()}
                </select>
            </label>
            <input type="hidden" name="kpi" value=d.as_ref().map(|d| d.focus.clone()).unwrap_or_else(|| get("kpi"))/>
            {d.as_ref().is_some_and(|d| !d.comparison.like_for_like && d.comparison.partial).then(|| view! { <input type="hidden" name="full" value="1"/> })}
            <button type="submit" class="button">"Show"</button>
        </form>
    }
}

/// A chart's title, naming its currency when several are shown apart.
fn titled(title: String, s: &Series) -> String {
    match &s.currency {
        Some(c) => format!("{title}, in {c}"),
        None => title,
    }
}

#[component]
fn Drivers(title: &'static str, rows: Vec<Driver>) -> impl IntoView {
    view! {
        <table class="table">
            <caption>{title}</caption>
            <thead><tr><th scope="col">"Segment"</th><th scope="col">"Part of the change"</th><th scope="col">"Note"</th></tr></thead>
            <tbody>
                {if rows.is_empty() {
                    view! { <tr><td colspan="3">"No segment moved."</td></tr> }.into_any()
                } else {
                    rows.into_iter().map(|r| view! {
                        <tr><td>{r.segment}</td><td>{r.part}</td><td>{r.note}</td></tr>
                    }).collect_view().into_any()
                }}
            </tbody>
        </table>
    }
}

/// A column's heading: "2026-W49 so far", "2026-W48, same part".
fn column(label: &str, cut: bool, suffix: &str) -> String {
    if cut {
        format!("{label}{suffix}")
    } else {
        label.to_string()
    }
}

/// One span as the heading shows it, machine-readable too.
#[component]
fn SpanText(span: Span) -> impl IntoView {
    use crate::domain::dates::{utc_iso_minute, utc_minute_label};
    view! {
        <time datetime=utc_iso_minute(span.start_ms)>{utc_minute_label(span.start_ms)}</time>
        " – "
        <time datetime=utc_iso_minute(span.end_ms)>{utc_minute_label(span.end_ms)}</time>
        " UTC"
    }
}

/// The heading names both spans the columns count, and whether the
/// previous one is cut to match; a link switches to whole periods and
/// back while the period is running.
#[component]
fn ComparedSpans(d: OpsDashboard, pairs: Vec<(String, String)>) -> impl IntoView {
    let c = d.comparison;
    let against = if c.like_for_like {
        "against the same part of"
    } else if c.partial {
        "against the whole of"
    } else {
        "against"
    };
    let so_far = if c.partial { " so far" } else { "" };
    let toggle = c.partial.then(|| {
        if c.like_for_like {
            view! { <a href=href(&pairs, &[("full", "1")])>"Compare with the whole previous period"</a> }.into_any()
        } else {
            view! { <a href=href(&pairs, &[("full", "")])>"Compare like for like"</a> }.into_any()
        }
    });
    view! {
        <h2 id="kpi-spans">
            {format!("KPIs for {}{so_far}, ", d.period)}
            <SpanText span=c.current/>
            {format!(", {against} {}, ", d.previous)}
            <SpanText span=c.previous/>
        </h2>
        {(toggle.is_some() || d.prorated.is_some()).then(|| view! {
            <p class="muted">
                {d.prorated.clone()}
                " "
                {toggle}
            </p>
        })}
    }
}

#[component]
pub fn OpsDashboardPage() -> impl IntoView {
    let query = use_query_map();
    let data = crate::ui::data::load(
        move || {
            let q = query.read();
            OpsDashboardQuery {
                period: q.get("period"),
                // Unlike the refurbisher, a mangled market is refused beside
                // its field: its figures would be in another currency.
                market: q.get("market"),
                at: q.get("at"),
                category: q.get("category"),
                brand: q.get("brand"),
                // A link with a mangled refurbisher shows everyone's figures.
                seller: q.get("seller").filter(|s| s.parse::<i64>().is_ok()),
                kpi: q.get("kpi"),
                full: q.get("full"),
            }
        },
        load_ops_dashboard,
    );
    let refresh = Callback::new(move |_| data.refetch());
    view! {
        <Title text="Operations"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading KPIs…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let pairs: Vec<(String, String)> = {
                            let q = query.read_untracked();
                            ["period", "at", "market", "category", "brand", "seller", "kpi", "full"].into_iter().filter_map(|k| q.get(k).map(|v| (k.to_string(), v))).collect()
                        };
                        let prev = href(&pairs, &[("period", &d.period_kind), ("at", &d.previous)]);
                        let next = d.next.clone().map(|n| href(&pairs, &[("period", &d.period_kind), ("at", &n)]));
                        let period_kind = d.period_kind.clone();
                        view! {
                            <section class="ops-dashboard">
                                <h1>"Operations console"</h1>
                                <nav class="actions" aria-label="Queues">
                                    <a class="button" href="/ops/alerts">{format!("Alerts ({})", d.open_alerts)}</a>
                                    <a class="button" href="/ops/fraud">{format!("Fraud review ({})", d.held_payouts)}</a>
                                    <a class="button" href="/ops/claims">{format!("Claims ({})", d.open_claims)}</a>
                                    <a class="button" href="/ops/sellers">{format!("Refurbisher applications ({})", d.pending_sellers)}</a>
                                    <a class="button" href="/ops/refurbishers">"Refurbisher quality"</a>
                                    <a class="button" href="/ops/blocklist">"IMEI blocklist"</a>
                                    <a class="button" href="/ops/suspended">"Suspended trade-ins"</a>
                                    <a class="button" href="/ops/audit">"Audit log"</a>
                                </nav>
                                <Filters d=Some(d.clone()) error=None/>
                                <ComparedSpans d=d.clone() pairs=pairs.clone()/>
                                <p class="pager">
                                    <a href=prev rel="prev">{format!("← {}", d.previous)}</a>
                                    {next.map(|n| view! { <a href=n rel="next">"Next period →"</a> })}
                                    <a href=csv_href(&pairs, "kpis") rel="external" download="">"Export KPIs (CSV)"</a>
                                </p>
                                <p class="muted" id="money-note">{format!(
                                    "Money is shown per currency ({}) and never added across currencies; money targets are in EUR.",
                                    d.currencies.join(", ")
                                )}</p>
                                <div class="grid-scroll">
                                <table class="table kpi-table">
                                    <thead><tr>
                                        <th scope="col">"KPI"</th><th scope="col">{column(&d.period, d.comparison.partial, " so far")}</th><th scope="col">{column(&d.previous, d.comparison.like_for_like, ", same part")}</th>
                                        <th scope="col">"Change"</th><th scope="col">"Target"</th><th scope="col">{format!("Set target per {}", d.period_kind)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {d.kpis.iter().map(|k| {
                                            let focus = href(&pairs, &[("kpi", &k.code)]);
                                            let change_class = match k.change_good { Some(true) => "good", Some(false) => "bad", None => "" };
                                            view! {
                                                <tr class=status_class(k.status)>
                                                    <th scope="row"><a href=focus>{k.label.clone()}</a></th>
                                                    <td>{k.shown.clone()}</td>
                                                    <td class="muted">{k.previous_shown.clone()}</td>
                                                    <td class=change_class>{k.change.clone().unwrap_or_else(|| "–".into())}</td>
                                                    <td>{k.target_shown.clone().map(|t| format!("{t} ({})", status_text(k.status))).unwrap_or_default()}</td>
                                                    <td><TargetForm row=k.clone() period=period_kind.clone() on_saved=refresh/></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                                <section aria-labelledby="focus-heading">
                                    <h2 id="focus-heading">{format!("What moved: {}", d.focus_label)}</h2>
                                    <p class="summary">{d.summary.clone()}</p>
                                    <Drivers title="By category and brand" rows=d.by_category_brand.clone()/>
                                    <Drivers title="By refurbisher" rows=d.by_refurbisher.clone()/>
                                    {d.series.iter().map(|series| view! {
                                        <BarChart
                                            title=titled(format!("{}, last 12 weeks", d.focus_label), series)
                                            bars=series.points.iter().map(|(w, v, s)| (w.rsplit('-').next().unwrap_or(w).to_string(), *v, format!("{w}: {s}"))).collect()
                                            shown=series.points.iter().map(|(_, _, s)| s.clone()).collect()
                                        />
                                    }).collect_view()}
                                    <p><a href=csv_href(&pairs, "series") rel="external" download="">"Export the 12 weeks (CSV)"</a></p>
                                    {d.breakdown.iter().map(|series| view! {
                                        <BarChart
                                            title=titled(format!("{} by category and brand, {}", d.focus_label, d.period), series)
                                            bars=series.points.iter().enumerate().map(|(i, (seg, v, s))| (format!("{}", i + 1), *v, format!("{seg}: {s}"))).collect()
                                            shown=series.points.iter().map(|(_, _, s)| s.clone()).collect()
                                        />
                                        <ol class="legend">{series.points.iter().map(|(seg, _, s)| view! { <li>{format!("{seg}: {s}")}</li> }).collect_view()}</ol>
                                    }).collect_view()}
                                    <p><a href=csv_href(&pairs, "breakdown") rel="external" download="">"Export the breakdown (CSV)"</a></p>
                                </section>
                            </section>
                        }.into_any()
                    }
                    // A refused filter: the form again, the message beside its field.
                    Err(e @ AppError::Invalid(_)) => {
                        #[cfg(feature = "ssr")]
                        crate::platform::session::guard::set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
                        view! {
                        <section class="ops-dashboard">
                            <h1>"Operations console"</h1>
                            <crate::ui::errors::ErrorNotice error=e.clone()/>
                            <Filters d=None error=Some(e)/>
                        </section>
                    }.into_any()
                    }
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
