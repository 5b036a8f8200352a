//! The best offer for the device as described, and what happens next.

use super::super::*;

use crate::error::AppError;
use crate::features::sell::{OfferKind, OfferQuery, OfferView};
use crate::i18n::{use_texts, Msg};
use crate::ui::breadcrumbs::Breadcrumbs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The hidden fields that carry the answers to the next step.
#[component]
pub fn AnswerFields(q: OfferQuery) -> impl IntoView {
    view! {
        <input type="hidden" name="variant" value=q.variant/>
        <input type="hidden" name="works" value=q.works/>
        <input type="hidden" name="screen" value=q.screen/>
        <input type="hidden" name="body" value=q.body/>
    }
}

#[component]
pub fn OfferPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = crate::features::sell::offer_route_key();
    let data = crate::ui::data::load(key, |(c, b, m, q)| {
        get_offer(c, b, m, q, Some(crate::ui::market::of_page()))
    });
    let t = use_texts();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::OfferFinding)}</p> }>
            {move || Suspend::new(async move {
                let q = OfferQuery::from_map(&query.read_untracked());
                match data.await {
                    Ok(o) => view! { <OfferCard offer=o q=q/> }.into_any(),
                    Err(AppError::Invalid(fields)) => {
                        let back = {
                            let p = params.read_untracked();
                            crate::ui::market::of_page().path(&format!("/sell/{}/{}/{}", p.get("category").unwrap_or_default(), p.get("brand").unwrap_or_default(), p.get("model").unwrap_or_default()))
                        };
                        view! {
                            <Title text=t.get(Msg::OfferAnswersMissing)/>
                            <h1>{t.get(Msg::OfferAnswersMissing)}</h1>
                            <ul class="notice error">{fields.0.into_iter().map(|f| view! { <li>{f.message}</li> }).collect_view()}</ul>
                            <p><a class="button primary" href=back>{t.get(Msg::OfferBackToQuestions)}</a></p>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::errors::PageProblem error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OfferCard(offer: OfferView, q: OfferQuery) -> impl IntoView {
    let t = use_texts();
    let device = format!("{} ({})", offer.model.full_name(), offer.variant_label);
    let accept = format!("{}/accept", offer.model.path(offer.market));
    let edit = offer.model.path(offer.market);
    let headline = match &offer.offer {
        OfferKind::Buy { price, seller_name, competing_offers } => view! {
            <p class="offer-amount" data-testid="offer-amount">{t.money(*price)}</p>
            <p class="offer-buyer">
                {t.fill(Msg::OfferFromBuyer, &[("buyer", seller_name)])}
                <span class="muted">{if *competing_offers > 1 { t.fill(Msg::OfferBestOf, &[("count", competing_offers)]) } else { String::new() }}</span>
            </p>
        }.into_any(),
        OfferKind::Recycle => view! {
            <p class="offer-amount">{t.get(Msg::OfferFreeRecycling)}</p>
            <p class="offer-buyer">{t.get(Msg::OfferRecyclingText)}</p>
        }.into_any(),
    };
    let ship_step = ship_within(t, &offer);
    let button = match offer.offer {
        OfferKind::Buy { .. } => t.get(Msg::OfferAccept),
        OfferKind::Recycle => t.get(Msg::OfferRecycle),
    };
    view! {
        <Title text=t.fill(Msg::OfferTitle, &[("device", &device)])/>
        <Breadcrumbs
            items=vec![
                (offer.market.path(&format!("/sell/{}", offer.model.category_slug)), offer.model.category_label(t)),
                (offer.model.path(offer.market), offer.model.model_name.clone()),
            ]
            current=t.get(Msg::OfferBreadcrumb).to_string()
        />
        <h1>{t.fill(Msg::OfferHeading, &[("device", &device)])}</h1>
        <section class="offer card" aria-labelledby="offer-heading">
            <h2 id="offer-heading" class="visually-hidden">{t.get(Msg::OfferBestOffer)}</h2>
            <p class="muted">{t.fill(Msg::OfferCondition, &[("grade", &t.grade(offer.grade))])}" · " <a href=edit>{t.get(Msg::OfferChangeAnswers)}</a></p>
            {headline}
            // A plain form, as the questionnaire's (`model_page`).
            <form method="get" action=accept>
                <AnswerFields q=q/>
                <button type="submit" class="button primary large">{button}</button>
            </form>
        </section>
        <section aria-labelledby="next-heading">
            <h2 id="next-heading">{t.get(Msg::OfferNext)}</h2>
            <ol class="steps">
                <li>{t.get(Msg::OfferNextDetails)}</li>
                <li>{ship_step}</li>
                <li>{t.get(Msg::OfferNextCheck)}</li>
                <li>{t.get(Msg::OfferNextPaid)}</li>
            </ol>
        </section>
    }
}

/// "… within 14 days (by Fri 11 Dec 2026 if you accept today).".
fn ship_within(t: crate::i18n::Texts, offer: &OfferView) -> impl IntoView {
    crate::ui::with_date(
        t,
        Msg::OfferNextShip,
        &[("days", &offer.market.ship_within_days())],
        offer.ship_by.clone(),
    )
}
