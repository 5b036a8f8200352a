//! Browsing the catalog: category -> brand -> model.

use super::super::*;
use crate::features::catalog::ModelCard;
use crate::ui::breadcrumbs::Breadcrumbs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A list of links to model pages.
#[component]
pub fn ModelLinks(models: Vec<ModelCard>) -> impl IntoView {
    view! {
        <ul class="model-list">
            {models
                .into_iter()
                .map(|m| {
                    let href = m.href(crate::ui::market::of_page());
                    view! {
                        <li>
                            <a href=href>
                                {m.brand_prefix().map(|b| view! { <span class="model-brand">{b}</span>" " })}
                                <span class="model-name">{m.name.clone()}</span>
                            </a>
                            <span class="muted">{format!(" ({})", m.release_year)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let data = crate::ui::data::load(
        move || params.read().get("category").unwrap_or_default(),
        load_category_listing,
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => {
                        let slug = c.slug.clone();
                        view! {
                            <Title text=format!("Sell your {}", c.name.to_lowercase())/>
                            <Breadcrumbs items=vec![] current=c.name.clone()/>
                            <h1>{format!("Which brand is your {}?", singular(&c.slug))}</h1>
                            <ul class="tiles">
                                {c.brands.into_iter().map(|b| view! {
                                    <li>
                                        <a class="tile" href=crate::ui::market::of_page().path(&format!("/sell/{}/{}", slug, b.slug))>
                                            <span class="tile-name">{b.name}</span>
                                            <span class="tile-count">{format!("{} models", b.models)}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::errors::PageProblem error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn BrandPage() -> impl IntoView {
    let params = use_params_map();
    let data = crate::ui::data::load(
        move || {
            let p = params.read();
            BrandListingQuery {
                category: p.get("category").unwrap_or_default(),
                brand: p.get("brand").unwrap_or_default(),
            }
        },
        load_brand_listing,
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(b) => view! {
                        <Title text=format!("Sell your {} {}", b.brand_name, b.category_name.to_lowercase())/>
                        <Breadcrumbs items=vec![(crate::ui::market::of_page().path(&format!("/sell/{}", b.category_slug)), b.category_name.clone())] current=b.brand_name.clone()/>
                        <h1>{format!("Which {} model?", b.brand_name)}</h1>
                        <ModelLinks models=b.models/>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::PageProblem error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
