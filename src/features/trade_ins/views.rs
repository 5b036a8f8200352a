//! A consumer's trade-ins page and each trade-in's tracking page, with the
//! claims section it offers.

use super::*;
use crate::domain::dates::DAY_MS;
use crate::domain::ids::TradeInId;
use crate::domain::tradein::State;
use crate::error::AppError;
use crate::features::claims::{ClaimsResource, OpenClaim};
use crate::ui::form::FormError;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MyTradeInsPage() -> impl IntoView {
    let data = crate::ui::data::load(|| (), |_| my_trade_ins());
    view! {
        <Title text="My trade-ins"/>
        <h1>"My trade-ins"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! {
                        <p>"You have no trade-ins yet. " <a href="/" rel="external">"Find your device"</a></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <table class="table">
                            <thead><tr><th scope="col">"Reference"</th><th scope="col">"Device"</th><th scope="col">"Price"</th><th scope="col">"Status"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|t| view! {
                                    <tr>
                                        <td><a href=format!("/trade-ins/{}", t.id)>{t.reference.clone()}</a></td>
                                        <td>{t.device.clone()}</td>
                                        <td>{if t.recycling { "Free recycling".to_string() } else { t.final_price.unwrap_or(t.price).to_string() }}</td>
                                        <td>{t.state_label.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/trade-ins"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn TradeInPage() -> impl IntoView {
    let params = use_params_map();
    let shipped = ServerAction::<MarkShipped>::new();
    let cancelled = ServerAction::<CancelTradeIn>::new();
    let answered = ServerAction::<AnswerCounterOffer>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<TradeInId>().ok())
            .unwrap_or(TradeInId(0))
    };
    let data = crate::ui::data::load(
        move || {
            (
                id(),
                shipped.version().get(),
                cancelled.version().get(),
                answered.version().get(),
            )
        },
        |(id, _, _, _)| trade_in_detail(id),
    );
    // What can be claimed follows the trade-in's state, so it reloads with it.
    let claims = crate::ui::data::load(
        move || {
            (
                id(),
                shipped.version().get(),
                cancelled.version().get(),
                answered.version().get(),
            )
        },
        |(id, _, _, _)| crate::features::claims::load_trade_in_claims(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let here = format!("/trade-ins/{}", id());
                match data.await {
                    Ok(t) => view! { <TradeInDetail t=t claims=claims shipped=shipped cancelled=cancelled answered=answered/> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::ui::errors::NotFound/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here=here/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TradeInDetail(
    t: TradeInView,
    claims: crate::features::claims::ClaimsResource,
    shipped: ServerAction<MarkShipped>,
    cancelled: ServerAction<CancelTradeIn>,
    answered: ServerAction<AnswerCounterOffer>,
) -> impl IntoView {
    let action_error = move || {
        shipped
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| cancelled.value().get().and_then(Result::err))
            .or_else(|| answered.value().get().and_then(Result::err))
            .map(|e| e.to_string())
    };
    let counter = (t.state == State::CounterOffered).then(|| t.counter_offer.clone()).flatten().map(|c| {
        let days = (c.expires.ms - t.now_ms + DAY_MS - 1).div_euclid(DAY_MS).max(0);
        view! {
            <section class="card counter-offer" aria-labelledby="counter-heading">
                <h2 id="counter-heading">"A new offer after inspection"</h2>
                <p class="offer-amount">{c.price.to_string()}</p>
                <p>{format!("instead of {}. Reasons: {}.", t.price, c.reasons.join(", ").to_lowercase())}</p>
                {(!c.note.is_empty()).then(|| view! { <blockquote>{c.note.clone()}</blockquote> })}
                <ul class="photos">
                    {c.photo_urls.iter().enumerate().map(|(i, url)| view! {
                        <li><a href=url.clone() rel="external"><img src=url.clone() alt=format!("Inspection photo {}", i + 1) loading="lazy" width="240" height="180"/></a></li>
                    }).collect_view()}
                </ul>
                <p class="deadline" role="status">{format!("{days} days left to answer (until ")}<crate::ui::When m=c.expires.clone()/>"). Without an answer, your device comes back to you for free."</p>
                <div class="actions">
                    <PageForm action=answered class="inline">
                        <input type="hidden" name="id" value=t.id.to_string()/>
                        <input type="hidden" name="answer" value="accept"/>
                        <button type="submit" class="button primary">"Accept new offer"</button>
                    </PageForm>
                    <PageForm action=answered class="inline">
                        <input type="hidden" name="id" value=t.id.to_string()/>
                        <input type="hidden" name="answer" value="decline"/>
                        <button type="submit" class="button">"Decline and get my device back"</button>
                    </PageForm>
                </div>
            </section>
        }
    });
    let on_hold = t.on_hold.clone().map(|(why, todo)| {
        view! {
            <div class="notice warning" role="status"><p><strong>{why}". "</strong>{todo}</p></div>
        }
    });
    let payout = t.payout.clone().map(|p| {
        let state = p.state.consumer_text();
        view! { <p class="notice" role="status">{format!("Payment of {} to {}: {state}.", p.amount, p.iban_masked)}</p> }
    });
    let price = if t.recycling {
        "Free recycling".to_string()
    } else {
        match t.final_price {
            Some(f) if f != t.price => format!("{f} (accepted offer {})", t.price),
            _ => t.price.to_string(),
        }
    };
    // Whole days left, rounded up: "14 days" on the day of acceptance.
    let days_left = (t.ship_by.ms - t.now_ms + DAY_MS - 1).div_euclid(DAY_MS);
    let deadline = (t.state == State::LabelIssued).then(|| {
        let when = view! { <crate::ui::When m=t.ship_by.clone()/> };
        if days_left >= 1 {
            view! { <p class="deadline" role="status">{format!("{days_left} days left to ship (by ")}{when}")"</p> }.into_any()
        } else {
            view! { <p class="deadline" role="status">"Ship today: the label expires on "{when}</p> }.into_any()
        }
    });
    let label_href = format!("/trade-ins/{}/label.pdf", t.id);
    let id = t.id;
    view! {
        <Title text=format!("Trade-in {}", t.reference)/>
        <p class="muted"><a href="/trade-ins">"My trade-ins"</a></p>
        <h1>{format!("Trade-in {}", t.reference)}</h1>
        <p class="status-pill" data-state=t.state.code()>{format!("Status: {}", t.state_label)}</p>
        {(!t.email_confirmed && !t.recycling && !matches!(t.state, State::Paid | State::Cancelled | State::Expired)).then(|| view! {
            <div class="notice warning" role="status">
                <p>"We send your payment only once your email address is confirmed: open the link we emailed you, or " <a href="/account">"get a new one from your account"</a>"."</p>
            </div>
        })}
        <dl class="facts">
            <div><dt>"Device"</dt><dd>{t.device.clone()}</dd></div>
            <div><dt>"Condition declared"</dt><dd>{t.grade_label.clone()}</dd></div>
            <div><dt>{if t.recycling { "Deal" } else { "Locked price" }}</dt><dd>{price}</dd></div>
            <div><dt>{if t.recycling { "Recycled by" } else { "Bought by" }}</dt><dd>{t.buyer.clone()}</dd></div>
            <div><dt>"Tracking number"</dt><dd><code>{t.tracking_number.clone()}</code>{format!(" ({})", t.carrier)}</dd></div>
            {(!t.iban_masked.is_empty()).then(|| view! { <div><dt>"Paid to"</dt><dd>{t.iban_masked.clone()}</dd></div> })}
            {t.return_tracking_number.clone().map(|r| view! { <div><dt>"Return tracking"</dt><dd><code>{r}</code></dd></div> })}
        </dl>
        {deadline}
        {on_hold}
        {payout}
        {(t.state == State::Paid && !t.recycling).then(|| view! {
            <p><a class="button" href=format!("/trade-ins/{}/certificate.pdf", t.id) rel="external" download=format!("certificate-of-sale-{}.pdf", t.reference)>"Download the certificate of sale"</a></p>
        })}
        {counter}
        <div class="form-error" role="alert">{move || action_error().map(|m| view! { <p>{m}</p> })}</div>
        {(t.state == State::LabelIssued).then(|| view! {
            <section class="card" aria-labelledby="ship-heading">
                <h2 id="ship-heading">"Ship your device"</h2>
                <ol class="steps">
                    <li>"Reset the device, take out your SIM and memory cards."</li>
                    <li>"Pack it in a padded box or envelope, without charger or accessories."</li>
                    <li>"Stick the label on the parcel and drop it at any post office."</li>
                </ol>
                <p class="actions">
                    <a class="button" href=label_href.clone() rel="external" download=format!("label-{}.pdf", t.reference)>"Download shipping label"</a>
                </p>
            </section>
        })}
        <div class="actions">
            {t.can_ship().then(|| view! {
                <PageForm action=shipped class="inline">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button primary">"I've shipped it"</button>
                </PageForm>
            })}
            {t.can_cancel().then(|| view! {
                <PageForm action=cancelled class="inline">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button danger">"Cancel trade-in"</button>
                </PageForm>
            })}
        </div>
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            <ol class="timeline">
                {t.timeline.into_iter().map(|e| view! {
                    <li>
                        <span class="when"><crate::ui::When m=e.at/></span>
                        <span class="what">{e.label}</span>
                        {(!e.detail.is_empty()).then(|| view! { <span class="muted">{format!(" — {}", e.detail)}</span> })}
                    </li>
                }).collect_view()}
            </ol>
            <ClaimBox trade_in_id=t.id data=claims/>
        </section>
    }
}

/// On a consumer's trade-in page: its claims, and a form to open one.
#[component]
pub fn ClaimBox(trade_in_id: TradeInId, data: ClaimsResource) -> impl IntoView {
    let action = ServerAction::<OpenClaim>::new();
    let error = crate::ui::form::action_error(action);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await.ok().map(|c| view! {
                    <section class="card" aria-labelledby="claim-heading">
                        <h2 id="claim-heading">"Something wrong?"</h2>
                        <ul>
                            {c.claims.into_iter().map(|x| view! {
                                <li><a href=format!("/claims/{}", x.id)>{format!("Claim: {} ({})", x.kind, x.state.code())}</a></li>
                            }).collect_view()}
                        </ul>
                        {(!c.kinds.is_empty()).then(|| view! {
                            <PageForm action=action class="form">
                                <FormError error=error/>
                                <input type="hidden" name="trade_in_id" value=trade_in_id.to_string()/>
                                <div class="field">
                                    <label for="claim-kind">"What went wrong"</label>
                                    <select id="claim-kind" name="kind">
                                        {c.kinds.iter().map(|(code, label)| view! { <option value=code.clone()>{label.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="claim-message">"Tell us what happened"</label>
                                    <textarea id="claim-message" name="message" rows="4" maxlength="2000"></textarea>
                                    <p class="field-error">{move || error.get().and_then(|e| e.field("message").or_else(|| e.field("kind")))}</p>
                                </div>
                                <button type="submit" class="button">"Open a claim"</button>
                            </PageForm>
                        })}
                    </section>
                })
            })}
        </Suspense>
    }
}
