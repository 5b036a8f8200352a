//! A refurbisher's markets (`/seller/markets`): where it buys, with the
//! warehouse each market's parcels go to, a form to buy in another
//! market or move a warehouse, and a button to stop buying in a market.
//! Prices are set per market in the grid.

use super::super::*;
use crate::domain::market::Market;
use crate::i18n::staff::{use_staff, Staff};
use crate::i18n::Texts;
use crate::ui::form::{FormError, PageForm, Select, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SellerMarketsPage() -> impl IntoView {
    let markets = crate::ui::data::load(|| (), |_| load_seller_markets());
    let action = ServerAction::<SaveSellerMarket>::new();
    let stop = ServerAction::<StopSellerMarket>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            markets.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = stop.value().get() {
            markets.refetch();
        }
    });
    let stop_error = crate::ui::form::action_error(stop);
    let error = crate::ui::form::action_error(action);
    let st = use_staff();
    let texts = crate::i18n::use_texts();
    let with_currency = move |m: Market| format!("{} ({})", name(texts, m), m.currency().code());
    let choices: Vec<(String, String)> = Market::ALL
        .into_iter()
        .map(|m| (m.code().to_string(), with_currency(m)))
        .collect();
    let countries: Vec<(String, String)> = crate::domain::address::COUNTRIES
        .iter()
        .chain(&[("GB", "United Kingdom"), ("US", "United States")])
        .map(|(code, name)| {
            let name = crate::i18n::errors::country(texts, code).unwrap_or(name);
            (code.to_string(), name.to_string())
        })
        .collect();
    view! {
        <Title text=st.get(Staff::MarketsTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match markets.await {
                    Ok(list) => view! {
                        <section class="card">
                            <p><a href="/seller/prices">{st.get(Staff::MarketsPricesLink)}</a></p>
                            <h1>{st.get(Staff::MarketsHeading)}</h1>
                            <p>{st.get(Staff::MarketsIntro)}</p>
                            <FormError error=stop_error/>
                            <table class="table">
                                <caption class="visually-hidden">{st.get(Staff::MarketsYours)}</caption>
                                <thead><tr><th scope="col">{st.get(Staff::MarketsMarket)}</th><th scope="col">{st.get(Staff::MarketsWarehouse)}</th><th scope="col">{st.get(Staff::MarketsPrices)}</th><th scope="col">{st.get(Staff::MarketsBuying)}</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|w| view! {
                                        <tr>
                                            <th scope="row">{if w.home {
                                                st.fill(Staff::MarketsHomeMarket, &[("market", &with_currency(w.market))])
                                            } else {
                                                with_currency(w.market)
                                            }}</th>
                                            <td>{w.name}<br/>{w.address.join(", ")}</td>
                                            <td><a href=format!("/seller/prices?market={}", w.market.code())>{st.fill(Staff::MarketsPricesIn, &[("market", &name(texts, w.market))])}</a></td>
                                            <td>{(!w.home).then(|| view! {
                                                <PageForm action=stop class="inline">
                                                    <input type="hidden" name="market" value=w.market.code()/>
                                                    <button type="submit" class="button danger small">{st.fill(Staff::MarketsStop, &[("market", &name(texts, w.market))])}</button>
                                                </PageForm>
                                            })}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller/markets"/> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card">
            <h2>{st.get(Staff::MarketsFormHeading)}</h2>
            <p class="muted">{st.get(Staff::MarketsFormHint)}</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <Select label=st.get(Staff::MarketsMarket) name="market" options=choices/>
                <TextField label=st.get(Staff::MarketsWarehouseName) name="warehouse_name" autocomplete="organization"/>
                <super::address::StreetAndCity/>
                <TextField label=st.get(Staff::MarketsRegion) name="region" autocomplete="address-level1" hint=st.get(Staff::MarketsRegionHint)/>
                <Select label=st.get(Staff::CommonAddressCountry) name="country" options=countries autocomplete="country"/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{st.get(Staff::MarketsSave)}</button>
                {move || matches!(action.value().get(), Some(Ok(()))).then(|| view! { <p class="notice success" role="status">{st.get(Staff::MarketsSaved)}</p> })}
            </PageForm>
        </section>
    }
}

/// A market's country in the page's language (its English is the domain's).
fn name(texts: Texts, market: Market) -> &'static str {
    crate::i18n::errors::country(texts, market.country()).unwrap_or(market.name())
}
