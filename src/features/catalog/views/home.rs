//! The home page: search, categories and the newest devices.

use super::super::*;
use crate::domain::catalog::Category;
use crate::i18n::{use_texts, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SearchBox(#[prop(optional, into)] value: Option<String>) -> impl IntoView {
    let (query, set_query) = signal(String::new());
    let t = use_texts();
    view! {
        <form class="search" action=crate::ui::market::of_page().path("/search") method="get" role="search">
            <label for="device-search">{t.get(Msg::SearchLabel)}</label>
            <div class="search-row">
                <input
                    id="device-search"
                    name="q"
                    type="search"
                    placeholder=t.get(Msg::SearchPlaceholder)
                    autocomplete="off"
                    value=value
                    on:input=move |ev| set_query.set(event_target_value(&ev))
                />
                <button type="submit" class="button primary">{t.get(Msg::SearchButton)}</button>
            </div>
            <crate::features::catalog::views::suggest::Suggestions query=query/>
        </form>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    let data = crate::ui::data::load(|| (), move |_| load_home(t.market().code().to_string()));
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>{t.get(Msg::HomeTitle)}</h1>
            <p class="lead">{t.get(Msg::HomeLead)}</p>
            <SearchBox/>
            <ul class="promises">
                <li>{t.get(Msg::HomePromiseBest)}</li>
                <li>{t.get(Msg::HomePromiseLabel)}</li>
                <li>{t.get(Msg::HomePromisePhotos)}</li>
            </ul>
        </section>
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::HomeLoadingCatalog)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <section aria-labelledby="browse-heading">
                            <h2 id="browse-heading">{t.get(Msg::HomeBrowse)}</h2>
                            <ul class="tiles">
                                {d.categories.into_iter().map(|c| view! {
                                    <li>
                                        <a class="tile" href=crate::ui::market::of_page().path(&format!("/sell/{}", c.slug))>
                                            <span class="tile-name">{Category::from_slug(&c.slug).map_or(c.name.clone(), |k| t.category(k).to_string())}</span>
                                            <span class="tile-count">{t.fill(Msg::BrowseModels, &[("count", &c.models)])}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="newest-heading">
                            <h2 id="newest-heading">{t.get(Msg::HomeNewest)}</h2>
                            <crate::features::catalog::views::browse::ModelLinks models=d.newest/>
                            <p class="muted">{t.fill(Msg::HomeCatalogSize, &[("models", &d.models), ("variants", &d.variants)])}</p>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
