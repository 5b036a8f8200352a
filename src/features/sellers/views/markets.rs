//! A refurbisher's markets (`/seller/markets`): where it buys, with the
//! warehouse each market's parcels go to, a form to buy in another
//! market or move a warehouse, and a button to stop buying in a market.
//! Prices are set per market in the grid.

use super::super::*;
use crate::domain::market::Market;
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
    let choices: Vec<(String, String)> = Market::ALL
        .into_iter()
        .map(|m| {
            (
                m.code().to_string(),
                format!("{} ({})", m.name(), m.currency().code()),
            )
        })
        .collect();
    let countries: Vec<(String, String)> = crate::domain::address::COUNTRIES
        .iter()
        .chain(&[("GB", "United Kingdom"), ("US", "United States")])
        .map(|(code, name)| (code.to_string(), name.to_string()))
        .collect();
    view! {
        <Title text="Markets"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match markets.await {
                    Ok(list) => view! {
                        <section class="card">
                            <p><a href="/seller/prices">"← Prices"</a></p>
                            <h1>"Markets and warehouses"</h1>
                            <p>"You buy from consumers in these markets. Their parcels go to the warehouse you give for each; you price each market in its currency in the price grid."</p>
                            <FormError error=stop_error/>
                            <table class="table">
                                <caption class="visually-hidden">"Your markets"</caption>
                                <thead><tr><th scope="col">"Market"</th><th scope="col">"Warehouse"</th><th scope="col">"Prices"</th><th scope="col">"Buying"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|w| view! {
                                        <tr>
                                            <th scope="row">{format!("{} ({})", w.market.name(), w.market.currency().code())}{w.home.then_some(" · home market")}</th>
                                            <td>{w.name}<br/>{w.address.join(", ")}</td>
                                            <td><a href=format!("/seller/prices?market={}", w.market.code())>{format!("Prices in {}", w.market.name())}</a></td>
                                            <td>{(!w.home).then(|| view! {
                                                <PageForm action=stop class="inline">
                                                    <input type="hidden" name="market" value=w.market.code()/>
                                                    <button type="submit" class="button danger small">{format!("Stop buying in {}", w.market.name())}</button>
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
            <h2>"Buy in another market, or move a warehouse"</h2>
            <p class="muted">"Within the EU a warehouse may be in any member state; consumers in the United Kingdom and the United States ship only within their country."</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <Select label="Market" name="market" options=choices/>
                <TextField label="Warehouse name (on labels)" name="warehouse_name" autocomplete="organization"/>
                <TextField label="Street and number" name="address_line1" autocomplete="address-line1"/>
                <TextField label="Address line 2 (optional)" name="address_line2" autocomplete="address-line2"/>
                <div class="row">
                    <TextField label="Postcode" name="postcode" autocomplete="postal-code"/>
                    <TextField label="City" name="city" autocomplete="address-level2"/>
                </div>
                <TextField label="State (US warehouses)" name="region" autocomplete="address-level1" hint="Its two-letter code, e.g. TX."/>
                <Select label="Country" name="country" options=countries autocomplete="country"/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Save market"</button>
                {move || matches!(action.value().get(), Some(Ok(()))).then(|| view! { <p class="notice success" role="status">"Saved."</p> })}
            </PageForm>
        </section>
    }
}
