//! The catalog search page behind the home page's search box. Works as a
//! plain GET form, so it needs no JavaScript.

use crate::error::AppError;
use crate::features::catalog::views::home::{ModelCard, SearchBox};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const MAX_QUERY_CHARS: usize = 100;

#[server(prefix = "/api", endpoint = "search_models")]
pub async fn search_models(
    q: String,
    category: Option<String>,
) -> Result<Vec<ModelCard>, AppError> {
    use crate::domain::catalog::Category;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("use at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let category = match category.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(slug) => Some(
            Category::from_slug(slug)
                .ok_or_else(|| AppError::invalid("category", "unknown category"))?,
        ),
    };
    let models = g
        .state
        .feature::<crate::features::catalog::cache::CatalogCache>()
        .all_models(&g.state.db)
        .await
        .or_internal(&g)?;
    let in_category: Vec<_> = models
        .iter()
        .filter(|m| category.is_none_or(|c| c.slug() == m.category_slug))
        .collect();
    if q.trim().is_empty() {
        // A category without words: all its models, newest first.
        let mut all: Vec<ModelCard> = in_category.iter().map(|m| card(m)).collect();
        all.sort_by(|a, b| {
            b.release_year
                .cmp(&a.release_year)
                .then(a.name.cmp(&b.name))
        });
        return Ok(all);
    }
    Ok(rank_cards(&q, &in_category, 60))
}

#[cfg(feature = "ssr")]
pub fn card(m: &crate::features::catalog::repo::ModelSummary) -> ModelCard {
    ModelCard {
        slug: m.slug.clone(),
        name: m.name.clone(),
        brand: m.brand_name.clone(),
        brand_slug: m.brand_slug.clone(),
        category_slug: m.category_slug.clone(),
        release_year: m.release_year,
    }
}

/// The domain's typo-tolerant ranking over catalog models.
#[cfg(feature = "ssr")]
pub fn rank_cards(
    q: &str,
    models: &[&crate::features::catalog::repo::ModelSummary],
    limit: usize,
) -> Vec<ModelCard> {
    use crate::domain::search::{rank, Entry};
    let entries: Vec<Entry> = models
        .iter()
        .enumerate()
        .map(|(id, m)| Entry {
            id,
            brand: m.brand_name.clone(),
            name: m.name.clone(),
            release_year: m.release_year,
        })
        .collect();
    rank(q, &entries, limit)
        .into_iter()
        .filter_map(|i| models.get(i))
        .map(|m| card(m))
        .collect()
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (q.get("q").unwrap_or_default(), q.get("category"))
    };
    let results = crate::ui::data::load(params, |(q, category)| search_models(q, category));
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
                            <crate::features::catalog::views::browse::ModelLinks models=models/>
                        }.into_any(),
                        Err(e) => view! { <crate::ui::errors::ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
