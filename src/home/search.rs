//! The catalog search page behind the home page's search box. Works as a
//! plain GET form, so it needs no JavaScript.

use super::{ModelCard, SearchBox};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const MAX_QUERY_CHARS: usize = 100;

#[server(prefix = "/api", endpoint = "search_models")]
pub async fn search_models(q: String, category: Option<String>) -> Result<Vec<ModelCard>, AppError> {
    use crate::domain::catalog::Category;
    use crate::server::api::{guard, Access, OrInternal};
    use crate::server::repo::catalog;
    let g = guard(Access::Public).await?;
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid("q", format!("use at most {MAX_QUERY_CHARS} characters")));
    }
    let category = match category.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(slug) => Some(Category::from_slug(slug).ok_or_else(|| AppError::invalid("category", "unknown category"))?),
    };
    let found = catalog::search_models(g.state.db.pool(), &q, category.map(|c| c.slug()), 60).await.or_internal(&g)?;
    Ok(found
        .into_iter()
        .map(|m| ModelCard { slug: m.slug, name: m.name, brand: m.brand_name, category_slug: m.category_slug, release_year: m.release_year })
        .collect())
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (q.get("q").unwrap_or_default(), q.get("category"))
    };
    let results = Resource::new(params, |(q, category)| search_models(q, category));
    view! {
        <Title text="Search"/>
        <section>
            <h1>"Find your device"</h1>
            <SearchBox value=params().0/>
            <Suspense fallback=|| view! { <p class="muted">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(models) if models.is_empty() => view! {
                            <p>"No device matches. Try the brand and model, e.g. \"iPhone 13\"."</p>
                        }.into_any(),
                        Ok(models) => view! {
                            <p class="muted" role="status">{format!("{} devices found", models.len())}</p>
                            <ul class="model-list">
                                {models.into_iter().map(|m| view! {
                                    <li>
                                        <span class="model-brand">{m.brand}</span>
                                        " "
                                        <span class="model-name">{m.name}</span>
                                        <span class="muted">{format!(" ({})", m.release_year)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <crate::ui::errors::ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
