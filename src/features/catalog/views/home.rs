//! The home page: search, categories and the newest devices.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryTile {
    pub slug: String,
    pub name: String,
    pub models: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelCard {
    pub slug: String,
    pub name: String,
    pub brand: String,
    pub brand_slug: String,
    pub category_slug: String,
    pub release_year: i64,
}

impl ModelCard {
    /// The model's page, where its storage and condition are chosen.
    pub fn href(&self) -> String {
        format!(
            "/sell/{}/{}/{}",
            self.category_slug, self.brand_slug, self.slug
        )
    }

    /// The brand to print before the name, unless the name starts with it.
    pub fn brand_prefix(&self) -> Option<String> {
        (crate::domain::catalog::full_name(&self.brand, &self.name) != self.name)
            .then(|| self.brand.clone())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub categories: Vec<CategoryTile>,
    pub newest: Vec<ModelCard>,
    pub models: i64,
    pub variants: i64,
}

#[server(prefix = "/api", endpoint = "home")]
pub async fn load_home() -> Result<HomeData, AppError> {
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    let home = g
        .state
        .feature::<crate::features::catalog::cache::CatalogCache>()
        .home(&g.state.db)
        .await
        .or_internal(&g)?;
    Ok(HomeData {
        categories: home
            .categories
            .iter()
            .map(|c| CategoryTile {
                slug: c.slug.clone(),
                name: c.name.clone(),
                models: c.models,
            })
            .collect(),
        newest: home.newest.iter().map(super::search::card).collect(),
        models: home.size.models,
        variants: home.size.variants,
    })
}

#[component]
pub fn SearchBox(#[prop(optional, into)] value: Option<String>) -> impl IntoView {
    let (query, set_query) = signal(String::new());
    view! {
        <form class="search" action="/search" method="get" role="search">
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
                                        <a class="tile" href=format!("/sell/{}", c.slug)>
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
