//! One listing in detail (`/seller/prices/:variant/:grade`): the price and
//! its weekly cap, where it stands, every competing price (anonymised) and
//! the listing's price history.

use super::super::*;
use crate::domain::ids::VariantId;
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::features::pricing::flags;
use crate::features::pricing::market_line;
use crate::features::pricing::plain_amount;
use crate::features::pricing::SavePriceCell;
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn price_label(currency: Currency) -> &'static str {
    match currency {
        Currency::Eur => "Price in EUR",
        Currency::Gbp => "Price in GBP",
        Currency::Usd => "Price in USD",
    }
}

fn price_hint(currency: Currency) -> &'static str {
    match currency {
        Currency::Eur => "From 1 to 5,000 EUR. Empty: stop buying.",
        Currency::Gbp => "From 1 to 5,000 GBP. Empty: stop buying.",
        Currency::Usd => "From 1 to 5,000 USD. Empty: stop buying.",
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
    let (market, currency) = (d.market, d.market.currency());
    let amount = move |minor: i64| Money::new(minor, currency).to_string();
    let mut bars: Vec<(String, i64, String)> = d
        .curve
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                format!("#{}", i + 1),
                p / 100,
                format!("A competitor: {}", amount(*p)),
            )
        })
        .collect();
    if let Some(mine) = c.price_minor {
        bars.push(("You".into(), mine / 100, format!("You: {}", amount(mine))));
        bars.sort_by_key(|b| std::cmp::Reverse(b.1));
    }
    let points: Vec<(i64, Option<i64>)> = d
        .history
        .iter()
        .map(|h| (h.at.ms, h.new.map(Money::minor)))
        .collect();
    let until = d.history.last().map(|h| h.at.ms + 1).unwrap_or(1);
    let until = until.max(points.first().map(|p| p.0 + 86_400_000).unwrap_or(1));
    view! {
        <section class="listing-detail">
            <p><a href=format!("/seller/prices?market={}", market.code())>"← Back to the price grid"</a></p>
            <h1>{format!("{} — {}", d.name, c.grade.label())}</h1>
            <p class="muted">{format!("{} · {} ({})", d.sku, market.name(), currency.code())}</p>
            <dl class="stats">
                <div><dt>"Your price"</dt><dd>{c.price_minor.map(amount).unwrap_or_else(|| "not buying".into())}</dd></div>
                <div><dt>"Position"</dt><dd>{market_line(&c, currency)}</dd></div>
                <div><dt>"Refurbishers buying"</dt><dd>{if c.market_hidden {
                    "shown once operations approve your account".to_string()
                } else {
                    (c.competitors + usize::from(c.price_minor.is_some())).to_string()
                }}</dd></div>
                <div><dt>"Weekly cap"</dt><dd>{c.weekly_cap.map(|n| format!("{n} devices")).unwrap_or_else(|| "none".into())}</dd></div>
            </dl>
            <ul class="flags">{flags(&c, currency).into_iter().map(|f| view! { <li class="flag">{f}</li> }).collect_view()}</ul>
            <div class="two-forms">
                <PageForm action=price_action class="form card">
                    <h2>"Price"</h2>
                    <FormError error=Signal::derive(move || price_action.value().get().and_then(|r| r.err()).filter(|e| e.field("price").is_none()))/>
                    <input type="hidden" name="market" value=market.code()/>
                    <input type="hidden" name="variant_id" value=c.variant_id.to_string()/>
                    <input type="hidden" name="grade" value=c.grade.code()/>
                    {c.version.map(|v| view! { <input type="hidden" name="version" value=v/> })}
                    <TextField label=price_label(currency) name="price" value=c.price_minor.map(plain_amount).unwrap_or_default()
                        hint=price_hint(currency) error=price_error/>
                    <button type="submit" class="button primary">"Save price"</button>
                    {move || price_action.value().get().as_ref().and_then(|r| outcome_note(r, currency)).map(|(ok, text)| view! {
                        <p class=if ok { "notice success" } else { "notice error" } role="status">{text}</p>
                    })}
                </PageForm>
                {c.version.map(|v| view! {
                    <PageForm action=cap_action class="form card">
                        <h2>"Weekly cap"</h2>
                        <input type="hidden" name="market" value=market.code()/>
                        <input type="hidden" name="variant_id" value=c.variant_id.to_string()/>
                        <input type="hidden" name="grade" value=c.grade.code()/>
                        <input type="hidden" name="version" value=v/>
                        <TextField label="Devices per week for this listing" name="weekly_cap" value=c.weekly_cap.map(|n| n.to_string()).unwrap_or_default()
                            hint="Empty: no cap. It leaves the offers once reached and comes back next Monday." error=cap_error/>
                        <button type="submit" class="button">"Save cap"</button>
                        {move || cap_action.value().get().as_ref().and_then(|r| outcome_note(r, currency)).map(|(ok, text)| view! {
                            <p class=if ok { "notice success" } else { "notice error" } role="status">{text}</p>
                        })}
                    </PageForm>
                })}
            </div>
            <h2>"Competing prices"</h2>
            {if c.market_hidden {
                view! { <p>"Other refurbishers' prices are shown once operations approve your account."</p> }.into_any()
            } else if bars.is_empty() {
                view! { <p>"Nobody buys this variant in this grade yet."</p> }.into_any()
            } else {
                view! { <crate::ui::chart::BarChart title=format!("Live prices for this variant and grade in {}, in {} (competitors anonymised)", market.name(), currency.code()) bars=bars/> }.into_any()
            }}
            <h2>"Price history"</h2>
            {(!points.is_empty()).then(|| view! { <crate::ui::chart::StepChart title="Your price over time".to_string() points=points until_ms=until unit=currency.code()/> })}
            <table class="table">
                <caption class="visually-hidden">"Every change of this price"</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Old"</th><th scope="col">"New"</th><th scope="col">"Source"</th><th scope="col">"By"</th></tr></thead>
                <tbody>
                    {d.history.iter().rev().map(|h| {
                        let show = |p: Option<Money>| p.map(|p| p.to_string()).unwrap_or_else(|| "—".into());
                        view! {
                            <tr>
                                <td><crate::ui::When m=h.at.clone()/></td>
                                <td>{show(h.old)}</td>
                                <td>{show(h.new)}</td>
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
    let query = leptos_router::hooks::use_query_map();
    let detail = crate::ui::data::load(
        move || {
            (
                params
                    .read()
                    .get("variant")
                    .and_then(|v| v.parse::<VariantId>().ok()),
                params.read().get("grade").unwrap_or_default(),
                query.read().get("market"),
            )
        },
        |(v, g, m)| async move {
            match v {
                Some(v) => load_listing_detail(v, g, m).await,
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
