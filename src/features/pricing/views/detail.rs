//! One listing in detail (`/seller/prices/:variant/:grade`): the price and
//! its weekly cap, where it stands, every competing price (anonymised) and
//! the listing's price history.

use super::super::*;
use crate::domain::ids::VariantId;
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::features::pricing::flags;
use crate::features::pricing::market_line;
use crate::features::pricing::market_name;
use crate::features::pricing::plain_amount;
use crate::features::pricing::SavePriceCell;
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// One text per currency: a field's label is a `&'static str`.
fn price_label(st: StaffTexts, currency: Currency) -> &'static str {
    st.get(match currency {
        Currency::Eur => Staff::ListingPriceInEur,
        Currency::Gbp => Staff::ListingPriceInGbp,
        Currency::Usd => Staff::ListingPriceInUsd,
    })
}

#[component]
fn Detail(d: ListingDetail, refresh: Callback<()>) -> impl IntoView {
    let st = use_staff();
    let t = crate::i18n::use_texts();
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
    let amount = move |minor: i64| st.money(Money::new(minor, currency));
    let mut bars: Vec<(String, i64, String)> = d
        .curve
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                format!("#{}", i + 1),
                p / 100,
                st.fill(Staff::ListingCompetitor, &[("price", &amount(*p))]),
            )
        })
        .collect();
    if let Some(mine) = c.price_minor {
        bars.push((
            st.get(Staff::ListingYou).into(),
            mine / 100,
            st.fill(Staff::ListingYouAt, &[("price", &amount(mine))]),
        ));
        bars.sort_by_key(|b| std::cmp::Reverse(b.1));
    }
    let points: Vec<(i64, Option<i64>)> = d
        .history
        .iter()
        .map(|h| (h.at.ms, h.new.map(Money::minor)))
        .collect();
    let until = d.history.last().map(|h| h.at.ms + 1).unwrap_or(1);
    let until = until.max(points.first().map(|p| p.0 + 86_400_000).unwrap_or(1));
    let market_name = market_name(t, market);
    view! {
        <section class="listing-detail">
            <p><a href=format!("/seller/prices?market={}", market.code())>{st.get(Staff::GridBack)}</a></p>
            <h1>{format!("{} — {}", d.name, t.grade(c.grade))}</h1>
            <p class="muted">{format!("{} · {} ({})", d.sku, market_name, currency.code())}</p>
            <dl class="stats">
                <div><dt>{st.get(Staff::ListingYourPrice)}</dt><dd>{c.price_minor.map(amount).unwrap_or_else(|| st.get(Staff::GridNotBuying).into())}</dd></div>
                <div><dt>{st.get(Staff::ListingPosition)}</dt><dd>{market_line(st, &c, currency)}</dd></div>
                <div><dt>{st.get(Staff::ListingBuyers)}</dt><dd>{if c.market_hidden {
                    st.get(Staff::ListingBuyersHidden).to_string()
                } else {
                    (c.competitors + usize::from(c.price_minor.is_some())).to_string()
                }}</dd></div>
                <div><dt>{st.get(Staff::ListingWeeklyCap)}</dt><dd>{c.weekly_cap.map(|n| st.fill(Staff::ListingCapDevices, &[("n", &n)])).unwrap_or_else(|| st.get(Staff::ListingNoCap).into())}</dd></div>
            </dl>
            <ul class="flags">{flags(st, &c, currency).into_iter().map(|f| view! { <li class="flag">{f}</li> }).collect_view()}</ul>
            <div class="two-forms">
                <PageForm action=price_action class="form card">
                    <h2>{st.get(Staff::ListingPrice)}</h2>
                    <FormError error=Signal::derive(move || price_action.value().get().and_then(|r| r.err()).filter(|e| e.field("price").is_none()))/>
                    <input type="hidden" name="market" value=market.code()/>
                    <input type="hidden" name="variant_id" value=c.variant_id.to_string()/>
                    <input type="hidden" name="grade" value=c.grade.code()/>
                    {c.version.map(|v| view! { <input type="hidden" name="version" value=v/> })}
                    <TextField label=price_label(st, currency) name="price" value=c.price_minor.map(plain_amount).unwrap_or_default()
                        hint=st.fill(Staff::ListingPriceHint, &[("currency", &currency.code())]) error=price_error/>
                    <button type="submit" class="button primary">{st.get(Staff::ListingSavePrice)}</button>
                    {move || price_action.value().get().as_ref().and_then(|r| outcome_note(st, r, currency)).map(|(ok, text)| view! {
                        <p class=if ok { "notice success" } else { "notice error" } role="status">{text}</p>
                    })}
                </PageForm>
                {c.version.map(|v| view! {
                    <PageForm action=cap_action class="form card">
                        <h2>{st.get(Staff::ListingWeeklyCap)}</h2>
                        <input type="hidden" name="market" value=market.code()/>
                        <input type="hidden" name="variant_id" value=c.variant_id.to_string()/>
                        <input type="hidden" name="grade" value=c.grade.code()/>
                        <input type="hidden" name="version" value=v/>
                        <TextField label=st.get(Staff::ListingCapLabel) name="weekly_cap" value=c.weekly_cap.map(|n| n.to_string()).unwrap_or_default()
                            hint=st.get(Staff::ListingCapHint) error=cap_error/>
                        <button type="submit" class="button">{st.get(Staff::ListingSaveCap)}</button>
                        {move || cap_action.value().get().as_ref().and_then(|r| outcome_note(st, r, currency)).map(|(ok, text)| view! {
                            <p class=if ok { "notice success" } else { "notice error" } role="status">{text}</p>
                        })}
                    </PageForm>
                })}
            </div>
            <h2>{st.get(Staff::ListingCompeting)}</h2>
            {if c.market_hidden {
                view! { <p>{st.get(Staff::ListingCompetingHidden)}</p> }.into_any()
            } else if bars.is_empty() {
                view! { <p>{st.get(Staff::ListingNobody)}</p> }.into_any()
            } else {
                view! { <crate::ui::chart::BarChart title=st.fill(Staff::ListingCurve, &[("market", &market_name), ("currency", &currency.code())]) bars=bars/> }.into_any()
            }}
            <h2>{st.get(Staff::ListingHistory)}</h2>
            {(!points.is_empty()).then(|| view! { <crate::ui::chart::StepChart title=st.get(Staff::ListingOverTime).to_string() points=points until_ms=until unit=currency.code()/> })}
            <table class="table">
                <caption class="visually-hidden">{st.get(Staff::ListingHistoryCaption)}</caption>
                <thead><tr><th scope="col">{st.get(Staff::ListingWhen)}</th><th scope="col">{st.get(Staff::ListingOld)}</th><th scope="col">{st.get(Staff::ListingNew)}</th><th scope="col">{st.get(Staff::ListingSource)}</th><th scope="col">{st.get(Staff::ListingBy)}</th></tr></thead>
                <tbody>
                    {d.history.iter().rev().map(|h| {
                        let show = |p: Option<Money>| p.map(|p| st.money(p)).unwrap_or_else(|| "—".into());
                        view! {
                            <tr>
                                <td><crate::ui::When m=h.at.clone()/></td>
                                <td>{show(h.old)}</td>
                                <td>{show(h.new)}</td>
                                <td>{source_label(st, &h.source)}</td>
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
    let st = use_staff();
    view! {
        <Title text=st.get(Staff::ListingTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Detail d=d refresh=refresh/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller/prices"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
