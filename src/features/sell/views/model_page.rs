//! A model's page: choose the storage, answer three questions, see the offer.

use super::super::*;
use crate::domain::grading::{BODY_CHOICES, SCREEN_CHOICES, WORKS_CHOICES};
use crate::ui::breadcrumbs::Breadcrumbs;
use crate::ui::question::Question;
use crate::ui::radios::{radios_html, Radio};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ModelPage() -> impl IntoView {
    let params = use_params_map();
    let data = crate::ui::data::load(
        move || {
            let p = params.read();
            ModelPath {
                category: p.get("category").unwrap_or_default(),
                brand: p.get("brand").unwrap_or_default(),
                model: p.get("model").unwrap_or_default(),
            }
        },
        load_model_detail,
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let single = d.variants.len() == 1;
                        let market = crate::ui::market::of_page();
                        let action = format!("{}/offer", d.model.path(market));
                        view! {
                            <Title text=format!("Sell your {}", d.model.full_name())/>
                            <Breadcrumbs
                                items=vec![
                                    (market.path(&format!("/sell/{}", d.model.category_slug)), d.model.category_name.clone()),
                                    (market.path(&format!("/sell/{}/{}", d.model.category_slug, d.model.brand_slug)), d.model.brand_name.clone()),
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
