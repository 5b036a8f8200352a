//! The best offer for the device as described, and what happens next.

use super::super::*;

use crate::error::AppError;
use crate::features::sell::{OfferKind, OfferQuery, OfferView};
use crate::ui::breadcrumbs::Breadcrumbs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
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
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Finding your best offer…"</p> }>
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
                            <Title text="A few answers are missing"/>
                            <h1>"A few answers are missing"</h1>
                            <ul class="notice error">{fields.0.into_iter().map(|f| view! { <li>{f.message}</li> }).collect_view()}</ul>
                            <p><a class="button primary" href=back>"Back to the questions"</a></p>
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
    let device = format!("{} ({})", offer.model.full_name(), offer.variant_label);
    let accept = format!("{}/accept", offer.model.path(offer.market));
    let edit = offer.model.path(offer.market);
    let headline = match &offer.offer {
        OfferKind::Buy { price, seller_name, competing_offers } => view! {
            <p class="offer-amount" data-testid="offer-amount">{price.to_string()}</p>
            <p class="offer-buyer">
                {format!("from {seller_name}")}
                <span class="muted">{if *competing_offers > 1 { format!(", the best of {competing_offers} offers") } else { String::new() }}</span>
            </p>
        }.into_any(),
        OfferKind::Recycle => view! {
            <p class="offer-amount">"Free recycling"</p>
            <p class="offer-buyer">"No refurbisher buys this device in this condition right now. Our recycling partner takes it for free and recycles it responsibly."</p>
        }.into_any(),
    };
    let button = match offer.offer {
        OfferKind::Buy { .. } => "Accept offer",
        OfferKind::Recycle => "Recycle it for free",
    };
    view! {
        <Title text=format!("Your offer for {device}")/>
        <Breadcrumbs
            items=vec![
                (offer.market.path(&format!("/sell/{}", offer.model.category_slug)), offer.model.category_name.clone()),
                (offer.model.path(offer.market), offer.model.model_name.clone()),
            ]
            current="Your offer".to_string()
        />
        <h1>{format!("Your offer for your {device}")}</h1>
        <section class="offer card" aria-labelledby="offer-heading">
            <h2 id="offer-heading" class="visually-hidden">"Best offer"</h2>
            <p class="muted">{format!("Condition: {}", offer.grade.label())}" · " <a href=edit>"Change answers"</a></p>
            {headline}
            <Form method="GET" action=accept>
                <AnswerFields q=q/>
                <button type="submit" class="button primary large">{button}</button>
            </Form>
        </section>
        <section aria-labelledby="next-heading">
            <h2 id="next-heading">"What happens next"</h2>
            <ol class="steps">
                <li>"Confirm your details: where to send the label, and where to pay you."</li>
                <li>{format!("Print the free prepaid label and ship your device within {} days (by ", offer.market.ship_within_days())}<crate::ui::When m=offer.ship_by.clone()/>" if you accept today)."</li>
                <li>"The refurbisher checks it within 2 business days of receiving it. If it differs from your answers, you get a new offer with photos, and can refuse it for a free return."</li>
                <li>"You are paid by bank transfer within 1 business day of validation."</li>
            </ol>
        </section>
    }
}
