//! A consumer's trade-ins page and each trade-in's tracking page, with the
//! claims section it offers.

use super::*;
use crate::domain::dates::DAY_MS;
use crate::domain::ids::TradeInId;
use crate::domain::tradein::State;
use crate::error::AppError;
use crate::features::claims::{ClaimsResource, OpenClaim};
use crate::i18n::{use_texts, Msg};
use crate::ui::form::FormError;
use crate::ui::form::PageForm;
use crate::ui::{split_at_marker, with_date, MARKER};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MyTradeInsPage() -> impl IntoView {
    let data = crate::ui::data::load(|| (), |_| my_trade_ins());
    let texts = use_texts();
    view! {
        <Title text=texts.get(Msg::NavMyTradeIns)/>
        <h1>{texts.get(Msg::NavMyTradeIns)}</h1>
        <Suspense fallback=move || view! { <p class="muted">{texts.get(Msg::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! {
                        <p>{texts.get(Msg::TradeinNoneYet)}" " <a href="/" rel="external">{texts.get(Msg::TradeinFindDevice)}</a></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{texts.get(Msg::TradeinReference)}</th>
                                <th scope="col">{texts.get(Msg::TradeinDevice)}</th>
                                <th scope="col">{texts.get(Msg::TradeinPrice)}</th>
                                <th scope="col">{texts.get(Msg::TradeinStatus)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|t| view! {
                                    <tr>
                                        <td><a href=format!("/trade-ins/{}", t.id)>{t.reference.clone()}</a></td>
                                        <td>{t.device.clone()}</td>
                                        <td>{if t.recycling { texts.get(Msg::OfferFreeRecycling).to_string() } else { texts.money(t.final_price.unwrap_or(t.price)) }}</td>
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
    let texts = use_texts();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{texts.get(Msg::CommonLoading)}</p> }>
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
            .map(|e| crate::i18n::errors::said(&e))
    };
    let texts = use_texts();
    let counter = (t.state == State::CounterOffered).then(|| t.counter_offer.clone()).flatten().map(|c| {
        let days = (c.expires.ms - t.now_ms + DAY_MS - 1).div_euclid(DAY_MS).max(0);
        view! {
            <section class="card counter-offer" aria-labelledby="counter-heading">
                <h2 id="counter-heading">{texts.get(Msg::CounterHeading)}</h2>
                <p class="offer-amount">{texts.money(c.price)}</p>
                <p>{texts.fill(Msg::CounterInsteadOf, &[("price", &texts.money(t.price)), ("reasons", &c.reasons.join(", "))])}</p>
                {(!c.note.is_empty()).then(|| view! { <blockquote>{c.note.clone()}</blockquote> })}
                <ul class="photos">
                    {c.photo_urls.iter().enumerate().map(|(i, url)| view! {
                        <li><a href=url.clone() rel="external"><img src=url.clone() alt=texts.fill(Msg::CounterPhoto, &[("number", &(i + 1))]) loading="lazy" width="240" height="180"/></a></li>
                    }).collect_view()}
                </ul>
                <p class="deadline" role="status">{with_date(texts, Msg::CounterDaysLeft, &[("days", &days)], c.expires.clone())}</p>
                <div class="actions">
                    <PageForm action=answered class="inline">
                        <input type="hidden" name="id" value=t.id.to_string()/>
                        <input type="hidden" name="answer" value="accept"/>
                        <button type="submit" class="button primary">{texts.get(Msg::CounterAccept)}</button>
                    </PageForm>
                    <PageForm action=answered class="inline">
                        <input type="hidden" name="id" value=t.id.to_string()/>
                        <input type="hidden" name="answer" value="decline"/>
                        <button type="submit" class="button">{texts.get(Msg::CounterDecline)}</button>
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
        let text = texts.fill(
            Msg::TradeinPayment,
            &[
                ("amount", &texts.money(p.amount)),
                ("account", &p.iban_masked),
                ("state", &texts.payout_state(p.state)),
            ],
        );
        view! { <p class="notice" role="status">{text}</p> }
    });
    let price = if t.recycling {
        texts.get(Msg::OfferFreeRecycling).to_string()
    } else {
        match t.final_price {
            Some(f) if f != t.price => texts.fill(
                Msg::TradeinPriceAfterCounter,
                &[("final", &texts.money(f)), ("offer", &texts.money(t.price))],
            ),
            _ => texts.money(t.price),
        }
    };
    // Whole days left, rounded up: "14 days" on the day of acceptance.
    let days_left = (t.ship_by.ms - t.now_ms + DAY_MS - 1).div_euclid(DAY_MS);
    let deadline = (t.state == State::LabelIssued).then(|| {
        let text = match days_left {
            ..=0 => with_date(texts, Msg::TradeinShipToday, &[], t.ship_by.clone()),
            1 => with_date(texts, Msg::TradeinDayToShip, &[], t.ship_by.clone()),
            _ => with_date(
                texts,
                Msg::TradeinDaysToShip,
                &[("days", &days_left)],
                t.ship_by.clone(),
            ),
        };
        view! { <p class="deadline" role="status">{text}</p> }
    });
    let title = texts.fill(Msg::TradeinTitle, &[("reference", &t.reference)]);
    let (confirm_before, confirm_after) =
        split_at_marker(texts.fill(Msg::TradeinConfirmEmail, &[("link", &MARKER)]));
    let label_href = format!("/trade-ins/{}/label.pdf", t.id);
    let id = t.id;
    view! {
        <Title text=title.clone()/>
        <p class="muted"><a href="/trade-ins">{texts.get(Msg::NavMyTradeIns)}</a></p>
        <h1>{title}</h1>
        <p class="status-pill" data-state=t.state.code()>{texts.fill(Msg::TradeinStatusIs, &[("status", &t.state_label)])}</p>
        {(!t.email_confirmed && !t.recycling && !matches!(t.state, State::Paid | State::Cancelled | State::Expired)).then(|| view! {
            <div class="notice warning" role="status">
                <p>{confirm_before}<a href="/account">{texts.get(Msg::TradeinConfirmEmailLink)}</a>{confirm_after}</p>
            </div>
        })}
        <dl class="facts">
            <div><dt>{texts.get(Msg::TradeinDevice)}</dt><dd>{t.device.clone()}</dd></div>
            <div><dt>{texts.get(Msg::TradeinConditionDeclared)}</dt><dd>{t.grade_label.clone()}</dd></div>
            <div><dt>{texts.get(if t.recycling { Msg::TradeinDeal } else { Msg::TradeinLockedPrice })}</dt><dd>{price}</dd></div>
            <div><dt>{texts.get(if t.recycling { Msg::TradeinRecycledBy } else { Msg::TradeinBoughtBy })}</dt><dd>{t.buyer.clone()}</dd></div>
            <div><dt>{texts.get(Msg::TradeinTrackingNumber)}</dt><dd><code>{t.tracking_number.clone()}</code>{format!(" ({})", t.carrier)}</dd></div>
            {(!t.iban_masked.is_empty()).then(|| view! { <div><dt>{texts.get(Msg::TradeinPaidTo)}</dt><dd>{t.iban_masked.clone()}</dd></div> })}
            {t.return_tracking_number.clone().map(|r| view! { <div><dt>{texts.get(Msg::TradeinReturnTracking)}</dt><dd><code>{r}</code></dd></div> })}
        </dl>
        {deadline}
        {on_hold}
        {payout}
        {(t.state == State::Paid && !t.recycling).then(|| view! {
            <p><a class="button" href=format!("/trade-ins/{}/certificate.pdf", t.id) rel="external" download=format!("certificate-of-sale-{}.pdf", t.reference)>{texts.get(Msg::TradeinCertificate)}</a></p>
        })}
        {counter}
        <div class="form-error" role="alert">{move || action_error().map(|m| view! { <p>{m}</p> })}</div>
        {(t.state == State::LabelIssued).then(|| view! {
            <section class="card" aria-labelledby="ship-heading">
                <h2 id="ship-heading">{texts.get(Msg::TradeinShipHeading)}</h2>
                <ol class="steps">
                    <li>{texts.get(Msg::TradeinShipReset)}</li>
                    <li>{texts.get(Msg::TradeinShipPack)}</li>
                    <li>{texts.get(Msg::TradeinShipDrop)}</li>
                </ol>
                <p class="actions">
                    <a class="button" href=label_href.clone() rel="external" download=format!("label-{}.pdf", t.reference)>{texts.get(Msg::TradeinDownloadLabel)}</a>
                </p>
            </section>
        })}
        <div class="actions">
            {t.can_ship().then(|| view! {
                <PageForm action=shipped class="inline">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button primary">{texts.get(Msg::TradeinShipped)}</button>
                </PageForm>
            })}
            {t.can_cancel().then(|| view! {
                <PageForm action=cancelled class="inline">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button danger">{texts.get(Msg::TradeinCancel)}</button>
                </PageForm>
            })}
        </div>
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{texts.get(Msg::TradeinTimeline)}</h2>
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
    let texts = use_texts();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await.ok().map(|c| view! {
                    <section class="card" aria-labelledby="claim-heading">
                        <h2 id="claim-heading">{texts.get(Msg::ClaimHeading)}</h2>
                        <ul>
                            {c.claims.into_iter().map(|x| view! {
                                <li><a href=format!("/claims/{}", x.id)>{texts.fill(Msg::ClaimItem, &[("kind", &x.kind), ("state", &texts.claim_state(x.state))])}</a></li>
                            }).collect_view()}
                        </ul>
                        {(!c.kinds.is_empty()).then(|| view! {
                            <PageForm action=action class="form">
                                <FormError error=error/>
                                <input type="hidden" name="trade_in_id" value=trade_in_id.to_string()/>
                                <div class="field">
                                    <label for="claim-kind">{texts.get(Msg::ClaimWhat)}</label>
                                    <select id="claim-kind" name="kind">
                                        {c.kinds.iter().map(|(code, label)| view! { <option value=code.clone()>{label.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="claim-message">{texts.get(Msg::ClaimTellUs)}</label>
                                    <textarea id="claim-message" name="message" rows="4" maxlength="2000"></textarea>
                                    <p class="field-error">{move || error.get().and_then(|e| e.field("message").or_else(|| e.field("kind")))}</p>
                                </div>
                                <button type="submit" class="button">{texts.get(Msg::ClaimOpen)}</button>
                            </PageForm>
                        })}
                    </section>
                })
            })}
        </Suspense>
    }
}
