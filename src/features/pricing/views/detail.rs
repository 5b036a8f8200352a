//! One listing in detail (`/seller/prices/:variant/:grade`): the price and
//! its weekly cap, where it stands, every competing price (anonymised) and
//! the listing's price history.

use crate::domain::money::Money;
use crate::error::AppError;
use crate::features::pricing::views::grid::{flags, market_line, plain_amount, SavePriceCell};
use crate::features::pricing::*;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(prefix = "/api", endpoint = "listing_detail")]
pub async fn load_listing_detail(
    variant_id: i64,
    grade: String,
) -> Result<ListingDetail, AppError> {
    use crate::domain::account::Role;
    use crate::domain::grade::Grade;
    use crate::features::pricing::service::{cells, seller_ctx, variant_name};
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let ctx = seller_ctx(&g.state, g.user()?.id).await?;
    let grade = Grade::parse(&grade).map_err(|_| AppError::NotFound)?;
    let mut conn = g.state.db.pool().acquire().await.or_internal(&g)?;
    let variant = crate::features::catalog::repo::variant_by_id(&mut *conn, variant_id)
        .await
        .or_internal(&g)?
        .ok_or(AppError::NotFound)?;
    let now = g.now_ms();
    let cell = cells(&mut conn, &ctx, &[variant_id], now, None)
        .await
        .or_internal(&g)?
        .remove(&(variant_id, grade))
        .ok_or(AppError::NotFound)?;
    let week = crate::domain::dates::week_start_ms(now);
    let mut curve: Vec<i64> =
        crate::features::offers::repo::candidates(&mut *conn, variant_id, grade, week)
            .await
            .or_internal(&g)?
            .into_iter()
            .filter(|c| c.seller_id != ctx.seller_id && c.is_eligible())
            .map(|c| c.price_minor)
            .collect();
    curve.sort_unstable_by(|a, b| b.cmp(a));
    let history =
        crate::features::pricing::repo::history(&mut conn, ctx.seller_id, variant_id, grade)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|h| HistoryLine {
                at_ms: h.at,
                old_minor: h.old_price_minor,
                new_minor: h.new_price_minor,
                source: h.source,
                by: h.changed_by.unwrap_or_default(),
            })
            .collect();
    Ok(ListingDetail {
        name: variant_name(&variant),
        sku: variant.sku,
        cell,
        curve,
        history,
    })
}

#[server(prefix = "/api", endpoint = "listing_cap")]
pub async fn save_listing_cap(
    variant_id: i64,
    grade: String,
    weekly_cap: String,
    version: i64,
) -> Result<CellOutcome, AppError> {
    use crate::domain::account::Role;
    use crate::domain::grade::Grade;
    use crate::features::pricing::views::grid::parse_cap;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let ctx = crate::features::pricing::service::seller_ctx(&g.state, g.user()?.id).await?;
    let grade = Grade::parse(&grade).map_err(|e| AppError::invalid("grade", e))?;
    let cap = parse_cap(&weekly_cap).map_err(|e| AppError::invalid("weekly_cap", e))?;
    crate::features::pricing::service::set_listing_cap(
        &g.state, &ctx, variant_id, grade, cap, version,
    )
    .await
}

fn source_label(code: &str) -> &'static str {
    match code {
        "csv" => "CSV import",
        "recommendation" => "Match price to win",
        _ => "Price grid",
    }
}

fn outcome_note(r: &Result<CellOutcome, AppError>) -> Option<(bool, String)> {
    match r {
        Ok(CellOutcome::Saved(_)) => Some((true, "Saved.".into())),
        Ok(CellOutcome::Unchanged(_)) => Some((true, "Nothing to change.".into())),
        Ok(CellOutcome::Stale(now)) => Some((
            false,
            format!(
                "Changed elsewhere since you opened this page: the price is now {}. Your value was not saved.",
                now.price_minor.map(|p| Money::eur(p).to_string()).unwrap_or_else(|| "not buying".into())
            ),
        )),
        Err(AppError::Invalid(_)) => None,
        Err(e) => Some((false, e.to_string())),
    }
}

#[component]
fn Detail(d: ListingDetail, refresh: Callback<()>) -> impl IntoView {
    let price_action = ServerAction::<SavePriceCell>::new();
    let cap_action = ServerAction::<SaveListingCap>::new();
    Effect::new(move |_| {
        if matches!(price_action.value().get(), Some(Ok(_)))
            || matches!(cap_action.value().get(), Some(Ok(_)))
        {
            refresh.run(());
        }
    });
    let price_error = Signal::derive(move || {
        price_action
            .value()
            .get()
            .and_then(|r| r.err())
            .and_then(|e| e.field("price"))
    });
    let cap_error = Signal::derive(move || {
        cap_action
            .value()
            .get()
            .and_then(|r| r.err())
            .and_then(|e| e.field("weekly_cap"))
    });
    let c = d.cell.clone();
    let mut bars: Vec<(String, i64, String)> = d
        .curve
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                format!("#{}", i + 1),
                p / 100,
                format!("A competitor: {}", Money::eur(*p)),
            )
        })
        .collect();
    if let Some(mine) = c.price_minor {
        bars.push((
            "You".into(),
            mine / 100,
            format!("You: {}", Money::eur(mine)),
        ));
        bars.sort_by(|a, b| b.1.cmp(&a.1));
    }
    let points: Vec<(i64, Option<i64>)> =
        d.history.iter().map(|h| (h.at_ms, h.new_minor)).collect();
    let until = d.history.last().map(|h| h.at_ms + 1).unwrap_or(1);
    let until = until.max(points.first().map(|p| p.0 + 86_400_000).unwrap_or(1));
    view! {
        <section class="listing-detail">
            <p><a href="/seller/prices">"← Back to the price grid"</a></p>
            <h1>{format!("{} — {}", d.name, c.grade.label())}</h1>
            <p class="muted">{d.sku.clone()}</p>
            <dl class="stats">
                <div><dt>"Your price"</dt><dd>{c.price_minor.map(|p| Money::eur(p).to_string()).unwrap_or_else(|| "not buying".into())}</dd></div>
                <div><dt>"Position"</dt><dd>{market_line(&c)}</dd></div>
                <div><dt>"Refurbishers buying"</dt><dd>{c.competitors + usize::from(c.price_minor.is_some())}</dd></div>
                <div><dt>"Weekly cap"</dt><dd>{c.weekly_cap.map(|n| format!("{n} devices")).unwrap_or_else(|| "none".into())}</dd></div>
            </dl>
            <ul class="flags">{flags(&c).into_iter().map(|f| view! { <li class="flag">{f}</li> }).collect_view()}</ul>
            <div class="two-forms">
                <ActionForm action=price_action attr:class="form card">
                    <h2>"Price"</h2>
                    <FormError error=Signal::derive(move || price_action.value().get().and_then(|r| r.err()).filter(|e| e.field("price").is_none()))/>
                    <input type="hidden" name="variant_id" value=c.variant_id/>
                    <input type="hidden" name="grade" value=c.grade.code()/>
                    {c.version.map(|v| view! { <input type="hidden" name="version" value=v/> })}
                    <TextField label="Price in EUR" name="price" value=c.price_minor.map(plain_amount).unwrap_or_default()
                        hint="From 1 to 5,000 EUR. Empty: stop buying." error=price_error/>
                    <button type="submit" class="button primary">"Save price"</button>
                    {move || price_action.value().get().as_ref().and_then(outcome_note).map(|(ok, text)| view! {
                        <p class=if ok { "notice success" } else { "notice error" } role="status">{text}</p>
                    })}
                </ActionForm>
                {c.version.map(|v| view! {
                    <ActionForm action=cap_action attr:class="form card">
                        <h2>"Weekly cap"</h2>
                        <input type="hidden" name="variant_id" value=c.variant_id/>
                        <input type="hidden" name="grade" value=c.grade.code()/>
                        <input type="hidden" name="version" value=v/>
                        <TextField label="Devices per week for this listing" name="weekly_cap" value=c.weekly_cap.map(|n| n.to_string()).unwrap_or_default()
                            hint="Empty: no cap. It leaves the offers once reached and comes back next Monday." error=cap_error/>
                        <button type="submit" class="button">"Save cap"</button>
                        {move || cap_action.value().get().as_ref().and_then(outcome_note).map(|(ok, text)| view! {
                            <p class=if ok { "notice success" } else { "notice error" } role="status">{text}</p>
                        })}
                    </ActionForm>
                })}
            </div>
            <h2>"Competing prices"</h2>
            {if bars.is_empty() {
                view! { <p>"Nobody buys this variant in this grade yet."</p> }.into_any()
            } else {
                view! { <crate::ui::chart::BarChart title="Live prices for this variant and grade, in EUR (competitors anonymised)".to_string() bars=bars/> }.into_any()
            }}
            <h2>"Price history"</h2>
            {(!points.is_empty()).then(|| view! { <crate::ui::chart::StepChart title="Your price over time".to_string() points=points until_ms=until unit="EUR"/> })}
            <table class="table">
                <caption class="visually-hidden">"Every change of this price"</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Old"</th><th scope="col">"New"</th><th scope="col">"Source"</th><th scope="col">"By"</th></tr></thead>
                <tbody>
                    {d.history.iter().rev().map(|h| {
                        let show = |p: Option<i64>| p.map(|p| Money::eur(p).to_string()).unwrap_or_else(|| "—".into());
                        view! {
                            <tr>
                                <td>{crate::ui::format_when(h.at_ms)}</td>
                                <td>{show(h.old_minor)}</td>
                                <td>{show(h.new_minor)}</td>
                                <td>{source_label(&h.source)}</td>
                                <td>{h.by.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
pub fn ListingDetailPage() -> impl IntoView {
    let params = use_params_map();
    let detail = crate::ui::data::load(
        move || {
            (
                params
                    .read()
                    .get("variant")
                    .and_then(|v| v.parse::<i64>().ok()),
                params.read().get("grade").unwrap_or_default(),
            )
        },
        |(v, g)| async move {
            match v {
                Some(v) => load_listing_detail(v, g).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let refresh = Callback::new(move |_| detail.refetch());
    view! {
        <Title text="Listing"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Detail d=d refresh=refresh/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller/prices"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
