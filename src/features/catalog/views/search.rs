//! The catalog search page behind the home page's search box. Works as a
//! plain GET form, so it needs no JavaScript.

use super::super::*;
use crate::features::catalog::views::home::SearchBox;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        ModelSearchForm {
            q: q.get("q").unwrap_or_default(),
            category: q.get("category"),
        }
    };
    let results = crate::ui::data::load(params, search_models);
    view! {
        <Title text="Search"/>
        <section>
            <h1>"Find your device"</h1>
            <SearchBox value=params().q/>
            <Suspense fallback=|| view! { <p class="muted">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(models) if models.is_empty() => view! {
                            <p>"No device matches. Try the brand and model, e.g. \"iPhone 13\"."</p>
                        }.into_any(),
                        Ok(models) => view! {
                            <p class="muted" role="status">{format!("{} devices found", models.len())}</p>
                            <crate::features::catalog::views::browse::ModelLinks models=models/>
                        }.into_any(),
                        Err(e) => view! { <crate::ui::errors::ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
