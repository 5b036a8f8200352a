//! The KPI dashboard (`/ops`): a period (day, ISO week, month) and filters
//! (market, category, brand, refurbisher) in the URL, every KPI with the
//! previous period, the change and its
//! target, the segments that explain the focused KPI's move, 12 weeks of
//! history and a breakdown, each exportable as CSV.

use super::super::*;
use crate::domain::kpi::Span;
use crate::domain::market::Market;
use crate::error::AppError;
use crate::i18n::staff::{use_staff, Staff};
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
    let st = use_staff();
    let id = format!("target-{}", row.code);
    let label = st.fill(Staff::OpsDashboardTargetFor, &[("kpi", &row.label)]);
    let save_for = st.fill(Staff::OpsDashboardSaveTargetFor, &[("kpi", &row.label)]);
    view! {
        <PageForm action=action class="target-form">
            <input type="hidden" name="kpi" value=row.code.clone()/>
            <input type="hidden" name="period" value=period/>
            <label for=id.clone() class="visually-hidden">{label}</label>
            <input id=id type="text" name="target" size="7" value=row.target_input.clone() inputmode="decimal"/>
            <button type="submit" class="button small">{st.get(Staff::OpsDashboardSaveTarget)}<span class="visually-hidden">{save_for}</span></button>
            <span class="field-error" role="status">{move || action.value().get().and_then(|r| r.err()).map(|e| e.field("target").unwrap_or_else(|| crate::i18n::errors::said(&e)))}</span>
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
    let st = use_staff();
    let texts = crate::i18n::use_texts();
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
    let kinds = [
        ("week", Staff::OpsDashboardPeriodWeek),
        ("day", Staff::OpsDashboardPeriodDay),
        ("month", Staff::OpsDashboardPeriodMonth),
    ];
    // The catalog's categories by their names in the user's language.
    let category_name = |slug: &str, name: String| {
        crate::domain::catalog::Category::from_slug(slug)
            .map_or(name, |c| texts.category(c).to_string())
    };
    let market_name =
        |m: Market| crate::i18n::errors::country(texts, m.country()).unwrap_or(m.name());
    view! {
        <form method="get" action="/ops" class="filters" aria-label=st.get(Staff::OpsDashboardFilters)>
            <label>{st.get(Staff::OpsDashboardPeriod)}
                <select name="period" aria-describedby=described("period")>
                    {kinds.into_iter().map(|(v, l)| opt(v.into(), st.get(l).into(), period_kind.clone())).collect_view()}
                </select>
            </label>
            {field_error(&error, "period")}
            <label>{st.fill(Staff::OpsDashboardWhich, &[("example", &period_label)])} <input type="text" name="at" value=get("at") size="10" aria-describedby=described("at")/></label>
            {field_error(&error, "at")}
            <label>{st.get(Staff::OpsDashboardMarket)}
                <select name="market" aria-describedby=described("market")>
                    <option value="">{st.get(Staff::OpsDashboardAllMarkets)}</option>
                    {Market::ALL.into_iter().map(|m| opt(m.code().into(), market_name(m).into(), get("market"))).collect_view()}
                </select>
            </label>
            {field_error(&error, "market")}
            <label>{st.get(Staff::OpsDashboardCategory)}
                <select name="category">
                    <option value="">{st.get(Staff::OpsDashboardAllCategories)}</option>
                    {categories.into_iter().map(|(s, n)| { let n = category_name(&s, n); opt(s, n, get("category")) }).collect_view()}
                </select>
            </label>
            <label>{st.get(Staff::OpsDashboardBrand)}
                <select name="brand">
                    <option value="">{st.get(Staff::OpsDashboardAllBrands)}</option>
                    {brands.into_iter().map(|(s, n)| opt(s, n, get("brand"))).collect_view()}
                </select>
            </label>
            <label>{st.get(Staff::OpsDashboardRefurbisher)}
                <select name="seller">
                    <option value="">{st.get(Staff::OpsDashboardAllRefurbishers)}</option>
                    {refurbishers.into_iter().map(|(id, n)| opt(id.to_string(), n, get("seller"))).collect_view()}
                </select>
            </label>
            <input type="hidden" name="kpi" value=d.as_ref().map(|d| d.focus.clone()).unwrap_or_else(|| get("kpi"))/>
            {d.as_ref().is_some_and(|d| !d.comparison.like_for_like && d.comparison.partial).then(|| view! { <input type="hidden" name="full" value="1"/> })}
            <button type="submit" class="button">{st.get(Staff::OpsDashboardShow)}</button>
        </form>
    }
}

/// A chart's title, naming its currency when several are shown apart.
fn titled(title: String, s: &Series) -> String {
    match &s.currency {
        Some(c) => use_staff().fill(
            Staff::OpsDashboardInCurrency,
            &[("title", &title), ("currency", c)],
        ),
        None => title,
    }
}

/// "label: value", for a chart's tooltips and legend.
fn point(label: &str, value: &str) -> String {
    use_staff().fill(
        Staff::OpsDashboardPoint,
        &[("label", &label), ("value", &value)],
    )
}

#[component]
fn Drivers(title: &'static str, rows: Vec<Driver>) -> impl IntoView {
    let st = use_staff();
    view! {
        <table class="table">
            <caption>{title}</caption>
            <thead><tr><th scope="col">{st.get(Staff::OpsDashboardSegment)}</th><th scope="col">{st.get(Staff::OpsDashboardPart)}</th><th scope="col">{st.get(Staff::OpsDashboardNote)}</th></tr></thead>
            <tbody>
                {if rows.is_empty() {
                    view! { <tr><td colspan="3">{st.get(Staff::OpsDashboardNoSegment)}</td></tr> }.into_any()
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
fn column(label: &str, cut: bool, cut_text: Staff) -> String {
    if cut {
        use_staff().fill(cut_text, &[("period", &label)])
    } else {
        label.to_string()
    }
}

/// One span as the heading shows it, machine-readable too.
#[component]
fn SpanText(span: Span) -> impl IntoView {
    use crate::domain::dates::utc_iso_minute;
    let st = use_staff();
    view! {
        <time datetime=utc_iso_minute(span.start_ms)>{st.utc_minute(span.start_ms)}</time>
        " – "
        <time datetime=utc_iso_minute(span.end_ms)>{st.utc_minute(span.end_ms)}</time>
        " UTC"
    }
}

/// The heading names both spans the columns count, and whether the
/// previous one is cut to match; a link switches to whole periods and
/// back while the period is running.
#[component]
fn ComparedSpans(d: OpsDashboard, pairs: Vec<(String, String)>) -> impl IntoView {
    use crate::ui::MARKER;
    let st = use_staff();
    let c = d.comparison;
    let heading = if c.like_for_like {
        Staff::OpsDashboardSpansSamePart
    } else if c.partial {
        Staff::OpsDashboardSpansWhole
    } else {
        Staff::OpsDashboardSpans
    };
    // The sentence cut around its two spans, which every language names
    // in this order.
    let sentence = st.fill(
        heading,
        &[
            ("period", &d.period),
            ("current_span", &MARKER),
            ("previous", &d.previous),
            ("previous_span", &MARKER),
        ],
    );
    let mut parts = sentence.splitn(3, MARKER).map(str::to_string);
    let (before, between, after) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let toggle = c.partial.then(|| {
        if c.like_for_like {
            view! { <a href=href(&pairs, &[("full", "1")])>{st.get(Staff::OpsDashboardCompareWhole)}</a> }.into_any()
        } else {
            view! { <a href=href(&pairs, &[("full", "")])>{st.get(Staff::OpsDashboardCompareLikeForLike)}</a> }.into_any()
        }
    });
    view! {
        <h2 id="kpi-spans">
            {before}
            <SpanText span=c.current/>
            {between}
            <SpanText span=c.previous/>
            // An empty text is rendered as a space, kept for hydration.
            {(!after.is_empty()).then_some(after)}
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
    let st = use_staff();
    view! {
        <Title text=st.get(Staff::OpsDashboardTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::OpsDashboardLoading)}</p> }>
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
                        let set_target = match d.period_kind.as_str() {
                            "day" => Staff::OpsDashboardSetTargetDay,
                            "month" => Staff::OpsDashboardSetTargetMonth,
                            _ => Staff::OpsDashboardSetTargetWeek,
                        };
                        let what_moved = st.fill(Staff::OpsDashboardWhatMoved, &[("kpi", &d.focus_label)]);
                        let last_12_weeks = st.fill(Staff::OpsDashboardLast12Weeks, &[("kpi", &d.focus_label)]);
                        let breakdown = st.fill(Staff::OpsDashboardBreakdown, &[("kpi", &d.focus_label), ("period", &d.period)]);
                        view! {
                            <section class="ops-dashboard">
                                <h1>{st.get(Staff::OpsDashboardHeading)}</h1>
                                <nav class="actions" aria-label=st.get(Staff::OpsDashboardQueues)>
                                    <a class="button" href="/ops/alerts">{st.fill(Staff::OpsDashboardAlerts, &[("n", &d.open_alerts)])}</a>
                                    <a class="button" href="/ops/fraud">{st.fill(Staff::OpsDashboardFraud, &[("n", &d.held_payouts)])}</a>
                                    <a class="button" href="/ops/claims">{st.fill(Staff::OpsDashboardClaims, &[("n", &d.open_claims)])}</a>
                                    <a class="button" href="/ops/sellers">{st.fill(Staff::OpsDashboardApplications, &[("n", &d.pending_sellers)])}</a>
                                    <a class="button" href="/ops/refurbishers">{st.get(Staff::OpsDashboardQuality)}</a>
                                    <a class="button" href="/ops/blocklist">{st.get(Staff::OpsDashboardBlocklist)}</a>
                                    <a class="button" href="/ops/suspended">{st.get(Staff::OpsDashboardSuspended)}</a>
                                    <a class="button" href="/ops/audit">{st.get(Staff::OpsDashboardAudit)}</a>
                                </nav>
                                <Filters d=Some(d.clone()) error=None/>
                                <ComparedSpans d=d.clone() pairs=pairs.clone()/>
                                <p class="pager">
                                    <a href=prev rel="prev">{format!("← {}", d.previous)}</a>
                                    {next.map(|n| view! { <a href=n rel="next">{st.get(Staff::OpsDashboardNext)}</a> })}
                                    <a href=csv_href(&pairs, "kpis") rel="external" download="">{st.get(Staff::OpsDashboardExportKpis)}</a>
                                </p>
                                <p class="muted" id="money-note">{st.fill(Staff::OpsDashboardMoneyNote, &[("currencies", &d.currencies.join(", "))])}</p>
                                <div class="grid-scroll">
                                <table class="table kpi-table">
                                    <thead><tr>
                                        <th scope="col">{st.get(Staff::OpsDashboardKpi)}</th><th scope="col">{column(&d.period, d.comparison.partial, Staff::OpsDashboardSoFar)}</th><th scope="col">{column(&d.previous, d.comparison.like_for_like, Staff::OpsDashboardSamePart)}</th>
                                        <th scope="col">{st.get(Staff::OpsDashboardChange)}</th><th scope="col">{st.get(Staff::OpsDashboardTarget)}</th><th scope="col">{st.get(set_target)}</th>
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
                                                    <td class=change_class>{k.change.clone().unwrap_or_else(|| st.get(Staff::CommonNone).into())}</td>
                                                    <td>{k.target_shown.clone().map(|t| st.fill(Staff::OpsDashboardTargetStatus, &[("target", &t), ("status", &status_text(st, k.status))])).unwrap_or_default()}</td>
                                                    <td><TargetForm row=k.clone() period=period_kind.clone() on_saved=refresh/></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                                <section aria-labelledby="focus-heading">
                                    <h2 id="focus-heading">{what_moved}</h2>
                                    <p class="summary">{d.summary.clone()}</p>
                                    <Drivers title=st.get(Staff::OpsDashboardByCategoryBrand) rows=d.by_category_brand.clone()/>
                                    <Drivers title=st.get(Staff::OpsDashboardByRefurbisher) rows=d.by_refurbisher.clone()/>
                                    {d.series.iter().map(|series| view! {
                                        <BarChart
                                            title=titled(last_12_weeks.clone(), series)
                                            bars=series.points.iter().map(|(w, v, s)| (w.rsplit('-').next().unwrap_or(w).to_string(), *v, point(w, s))).collect()
                                            shown=series.points.iter().map(|(_, _, s)| s.clone()).collect()
                                        />
                                    }).collect_view()}
                                    <p><a href=csv_href(&pairs, "series") rel="external" download="">{st.get(Staff::OpsDashboardExportSeries)}</a></p>
                                    {d.breakdown.iter().map(|series| view! {
                                        <BarChart
                                            title=titled(breakdown.clone(), series)
                                            bars=series.points.iter().enumerate().map(|(i, (seg, v, s))| (format!("{}", i + 1), *v, point(seg, s))).collect()
                                            shown=series.points.iter().map(|(_, _, s)| s.clone()).collect()
                                        />
                                        <ol class="legend">{series.points.iter().map(|(seg, _, s)| view! { <li>{point(seg, s)}</li> }).collect_view()}</ol>
                                    }).collect_view()}
                                    <p><a href=csv_href(&pairs, "breakdown") rel="external" download="">{st.get(Staff::OpsDashboardExportBreakdown)}</a></p>
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
                            <h1>{st.get(Staff::OpsDashboardHeading)}</h1>
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
