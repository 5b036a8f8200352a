//! A model's page: choose the storage, answer three questions, see the offer.

use crate::domain::grading::{Choice, BODY_CHOICES, SCREEN_CHOICES, WORKS_CHOICES};
use crate::error::AppError;
use crate::features::catalog::views::browse::Breadcrumbs;
use crate::features::sell::ModelRef;
use crate::ui::radios::{radios_html, Radio};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantChoice {
    pub sku: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelDetail {
    pub model: ModelRef,
    pub release_year: i64,
    pub variants: Vec<VariantChoice>,
}

#[server(prefix = "/api", endpoint = "model_detail")]
pub async fn load_model_detail(
    category: String,
    brand: String,
    model: String,
) -> Result<ModelDetail, AppError> {
    use crate::domain::catalog::{storage_label, Category};
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    let variants = g
        .state
        .feature::<crate::features::catalog::cache::CatalogCache>()
        .variants_of_model(&g.state.db, &category, &brand, &model)
        .await
        .or_internal(&g)?;
    let first = variants.first().ok_or(AppError::NotFound)?;
    let c = Category::from_slug(&first.category_slug).ok_or(AppError::NotFound)?;
    Ok(ModelDetail {
        model: ModelRef {
            category_slug: first.category_slug.clone(),
            category_name: c.name().into(),
            brand_slug: first.brand_slug.clone(),
            brand_name: first.brand_name.clone(),
            model_slug: first.model_slug.clone(),
            model_name: first.model_name.clone(),
        },
        release_year: first.release_year,
        variants: variants
            .iter()
            .map(|v| VariantChoice {
                sku: v.sku.clone(),
                label: if v.connectivity.is_empty() {
                    storage_label(v.storage_gb as u32)
                } else {
                    format!("{}, {}", storage_label(v.storage_gb as u32), v.connectivity)
                },
            })
            .collect(),
    })
}

/// One question as a radio group: a legend, then each answer with its
/// explanation tied to it for screen readers.
#[component]
pub fn Question(
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    choices: &'static [Choice],
) -> impl IntoView {
    view! {
        <fieldset class="question">
            <legend>{legend}</legend>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <div class="choices" inner_html=question_choices_html(name, choices)/>
        </fieldset>
    }
}

/// A question's answers never change, so their markup is written once per
/// process (a handful of questions, each kept for good).
fn question_choices_html(name: &'static str, choices: &'static [Choice]) -> &'static str {
    type Written = (&'static str, usize, &'static str);
    static WRITTEN: std::sync::Mutex<Vec<Written>> = std::sync::Mutex::new(Vec::new());
    let key = choices.as_ptr() as usize;
    let mut written = WRITTEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, html)) = written.iter().find(|(n, k, _)| *n == name && *k == key) {
        return html;
    }
    let radios = choices.iter().map(|c| Radio {
        value: c.code,
        label: c.label,
        description: Some(c.explanation),
        checked: false,
    });
    let html: &'static str = Box::leak(radios_html(name, radios).into_boxed_str());
    written.push((name, key, html));
    html
}

#[component]
pub fn ModelPage() -> impl IntoView {
    let params = use_params_map();
    let data = crate::ui::data::load(
        move || {
            let p = params.read();
            (
                p.get("category").unwrap_or_default(),
                p.get("brand").unwrap_or_default(),
                p.get("model").unwrap_or_default(),
            )
        },
        |(c, b, m)| load_model_detail(c, b, m),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let single = d.variants.len() == 1;
                        let action = format!("{}/offer", d.model.path());
                        view! {
                            <Title text=format!("Sell your {}", d.model.full_name())/>
                            <Breadcrumbs
                                items=vec![
                                    (format!("/sell/{}", d.model.category_slug), d.model.category_name.clone()),
                                    (format!("/sell/{}/{}", d.model.category_slug, d.model.brand_slug), d.model.brand_name.clone()),
                                ]
                                current=d.model.model_name.clone()
                            />
                            <h1>{format!("Sell your {}", d.model.full_name())}</h1>
                            <p class="muted">{format!("Released in {}. Three questions, then your best offer.", d.release_year)}</p>
                            <Form method="GET" action=action attr:class="questionnaire">
                                <fieldset class="question">
                                    <legend>"Which model exactly?"</legend>
                                    <div
                                        class="choices compact"
                                        inner_html=radios_html(
                                            "variant",
                                            d.variants.iter().map(|v| Radio { value: &v.sku, label: &v.label, description: None, checked: single }),
                                        )
                                    />
                                </fieldset>
                                <Question
                                    name="works"
                                    legend="Does it turn on and work normally?"
                                    hint="Touchscreen, cameras, buttons, Face ID or fingerprint, charging and sound all work, and it has never had liquid damage."
                                    choices=&WORKS_CHOICES
                                />
                                <Question name="screen" legend="What does the screen look like?" choices=&SCREEN_CHOICES/>
                                <Question name="body" legend="What does the body look like?" hint="The frame, back and edges." choices=&BODY_CHOICES/>
                                <button type="submit" class="button primary large">"See my offer"</button>
                            </Form>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::errors::PageProblem error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
