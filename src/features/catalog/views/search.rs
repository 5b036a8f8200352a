//! The catalog search page behind the home page's search box. Works as a
//! plain GET form, so it needs no JavaScript.

use super::super::*;
use crate::features::catalog::views::home::SearchBox;
use crate::i18n::{use_texts, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let market = use_texts().market();
    let params = move || {
        let q = query.read();
        ModelSearchForm {
            market: market.code().to_string(),
            q: q.get("q").unwrap_or_default(),
            category: q.get("category"),
        }
    };
    let results = crate::ui::data::load(params, search_models);
    let t = use_texts();
    view! {
        <Title text=t.get(Msg::SearchTitle)/>
        <section>
            <h1>{t.get(Msg::SearchHeading)}</h1>
            <SearchBox value=params().q/>
            <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::SearchSearching)}</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(models) if models.is_empty() => view! {
                            <p>{t.get(Msg::SearchNothing)}</p>
                        }.into_any(),
                        Ok(models) => view! {
                            <p class="muted" role="status">{t.fill(Msg::SearchFound, &[("count", &models.len())])}</p>
                            <crate::features::catalog::views::browse::ModelLinks models=models/>
                        }.into_any(),
                        Err(e) => view! { <crate::ui::errors::ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
