//! A model's page: choose the storage, answer three questions, see the offer.

use super::super::*;
use crate::domain::grading::{BODY_CHOICES, SCREEN_CHOICES, WORKS_CHOICES};
use crate::i18n::{use_texts, Msg};
use crate::ui::breadcrumbs::Breadcrumbs;
use crate::ui::question::Question;
use crate::ui::radios::{radios_html, Radio};
use leptos::prelude::*;
use leptos_meta::Title;
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
                market: Some(crate::ui::market::of_page()),
            }
        },
        load_model_detail,
    );
    let t = use_texts();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let single = d.variants.len() == 1;
                        let market = crate::ui::market::of_page();
                        let action = format!("{}/offer", d.model.path(market));
                        let title = t.fill(Msg::ModelTitle, &[("device", &d.model.full_name())]);
                        view! {
                            <Title text=title.clone()/>
                            <Breadcrumbs
                                items=vec![
                                    (market.path(&format!("/sell/{}", d.model.category_slug)), d.model.category_label(t)),
                                    (market.path(&format!("/sell/{}/{}", d.model.category_slug, d.model.brand_slug)), d.model.brand_name.clone()),
                                ]
                                current=d.model.model_name.clone()
                            />
                            <h1>{title}</h1>
                            <p class="muted">{t.fill(Msg::ModelReleased, &[("year", &d.release_year)])}</p>
                            // A plain form: the offer is a page of its own,
                            // kept rendered for the next visitor, and the
                            // router's form handling is code the first
                            // visit would download for this one submit.
                            <form method="get" action=action class="questionnaire">
                                <fieldset class="question">
                                    <legend>{t.get(Msg::ModelWhichVariant)}</legend>
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
                                    legend=t.get(Msg::QuestionWorks)
                                    hint=t.get(Msg::QuestionWorksHint)
                                    choices=&WORKS_CHOICES
                                    texts=t
                                />
                                <Question name="screen" legend=t.get(Msg::QuestionScreen) choices=&SCREEN_CHOICES texts=t/>
                                <Question name="body" legend=t.get(Msg::QuestionBody) hint=t.get(Msg::QuestionBodyHint) choices=&BODY_CHOICES texts=t/>
                                <button type="submit" class="button primary large">{t.get(Msg::ModelSeeOffer)}</button>
                            </form>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::errors::PageProblem error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
