//! Browsing the catalog: category -> brand -> model.

use super::super::*;
use crate::domain::catalog::Category;
use crate::features::catalog::ModelCard;
use crate::i18n::{use_texts, Msg};
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
    let t = use_texts();
    let data = crate::ui::data::load(
        move || params.read().get("category").unwrap_or_default(),
        move |category| load_category_listing(t.market().code().to_string(), category),
    );
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => {
                        let slug = c.slug.clone();
                        let category = Category::from_slug(&c.slug);
                        let name = category.map_or(c.name.clone(), |k| t.category(k).to_string());
                        view! {
                            <Title text=category.map_or(String::new(), |k| t.sell_category(k).to_string())/>
                            <Breadcrumbs items=vec![] current=name/>
                            <h1>{category.map_or(String::new(), |k| t.which_brand(k).to_string())}</h1>
                            <ul class="tiles">
                                {c.brands.into_iter().map(|b| view! {
                                    <li>
                                        <a class="tile" href=crate::ui::market::of_page().path(&format!("/sell/{}/{}", slug, b.slug))>
                                            <span class="tile-name">{b.name}</span>
                                            <span class="tile-count">{t.fill(Msg::BrowseModels, &[("count", &b.models)])}</span>
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
    let market = use_texts().market();
    let data = crate::ui::data::load(
        move || {
            let p = params.read();
            BrandListingQuery {
                market: market.code().to_string(),
                category: p.get("category").unwrap_or_default(),
                brand: p.get("brand").unwrap_or_default(),
            }
        },
        load_brand_listing,
    );
    let t = use_texts();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(b) => view! {
                        <Title text=Category::from_slug(&b.category_slug).map_or(String::new(), |k| t.sell_brand(k, &b.brand_name))/>
                        <Breadcrumbs items=vec![(crate::ui::market::of_page().path(&format!("/sell/{}", b.category_slug)), Category::from_slug(&b.category_slug).map_or(b.category_name.clone(), |k| t.category(k).to_string()))] current=b.brand_name.clone()/>
                        <h1>{t.fill(Msg::BrowseWhichModel, &[("brand", &b.brand_name)])}</h1>
                        <ModelLinks models=b.models/>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::PageProblem error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
