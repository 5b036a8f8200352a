//! The home page: search, categories and the newest devices.

use super::super::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SearchBox(#[prop(optional, into)] value: Option<String>) -> impl IntoView {
    let (query, set_query) = signal(String::new());
    view! {
        <form class="search" action=crate::ui::market::of_page().path("/search") method="get" role="search">
            <label for="device-search">"Search for your device"</label>
            <div class="search-row">
                <input
                    id="device-search"
                    name="q"
                    type="search"
                    placeholder="e.g. iPhone 13, Galaxy S21, PS5"
                    autocomplete="off"
                    value=value
                    on:input=move |ev| set_query.set(event_target_value(&ev))
                />
                <button type="submit" class="button primary">"Search"</button>
            </div>
            <crate::features::catalog::views::suggest::Suggestions query=query/>
        </form>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let data = crate::ui::data::load(|| (), |_| load_home());
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>"Sell your old device to the refurbisher who pays most"</h1>
            <p class="lead">
                "Refurbishers compete for your phone, tablet, console or laptop. "
                "See the best offer in seconds, ship it free with a prepaid label, get paid by bank transfer."
            </p>
            <SearchBox/>
            <ul class="promises">
                <li>"Best of several offers, not one buyer's price"</li>
                <li>"Free prepaid shipping label"</li>
                <li>"Photo proof for any price change, or your device back free"</li>
            </ul>
        </section>
        <Suspense fallback=|| view! { <p class="muted">"Loading the catalog…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <section aria-labelledby="browse-heading">
                            <h2 id="browse-heading">"Browse by category"</h2>
                            <ul class="tiles">
                                {d.categories.into_iter().map(|c| view! {
                                    <li>
                                        <a class="tile" href=crate::ui::market::of_page().path(&format!("/sell/{}", c.slug))>
                                            <span class="tile-name">{c.name}</span>
                                            <span class="tile-count">{format!("{} models", c.models)}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="newest-heading">
                            <h2 id="newest-heading">"Newest devices we buy"</h2>
                            <crate::features::catalog::views::browse::ModelLinks models=d.newest/>
                            <p class="muted">{format!("{} models and {} variants in the catalog.", d.models, d.variants)}</p>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
