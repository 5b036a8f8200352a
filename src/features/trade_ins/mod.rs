//! A consumer's trade-ins: the list, and each one's tracking page with its
//! timeline, deadline, label and the actions open to the consumer.

#[cfg(feature = "ssr")]
pub mod downloads;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod label;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use crate::domain::dates::{Date, DAY_MS};
use crate::domain::money::Money;
use crate::domain::tradein::State;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub label: String,
    pub detail: String,
    pub at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeInView {
    pub id: i64,
    pub reference: String,
    pub device: String,
    pub grade_label: String,
    pub price_minor: i64,
    pub final_price_minor: Option<i64>,
    pub recycling: bool,
    pub state: State,
    pub state_label: String,
    pub buyer: String,
    pub ship_by_ms: i64,
    pub now_ms: i64,
    pub carrier: String,
    pub tracking_number: String,
    pub return_tracking_number: Option<String>,
    pub iban_masked: String,
    pub timeline: Vec<TimelineEntry>,
    pub counter_offer: Option<crate::features::orders::CounterOfferView>,
    pub payout: Option<crate::features::orders::PayoutView>,
    /// Why it is on hold, and what the consumer should do.
    pub on_hold: Option<(String, String)>,
}

impl TradeInView {
    pub fn can_ship(&self) -> bool {
        self.state == State::LabelIssued
    }
    pub fn can_cancel(&self) -> bool {
        matches!(self.state, State::Created | State::LabelIssued)
    }
}

#[cfg(feature = "ssr")]
fn state_title(s: State) -> &'static str {
    match s {
        State::Created => "Trade-in created",
        State::LabelIssued => "Label issued",
        State::Shipped => "Shipped",
        State::Received => "Received by the refurbisher",
        State::Inspecting => "Being inspected",
        State::CounterOffered => "New offer proposed",
        State::Validated => "Validated",
        State::Paid => "Paid",
        State::ReturnRequested => "Return on its way",
        State::Returned => "Returned to you",
        State::Suspended => "On hold",
        State::Expired => "Expired",
        State::Cancelled => "Cancelled",
        State::Lost => "Parcel lost in transit",
    }
}

#[server(prefix = "/api", endpoint = "my_trade_ins")]
pub async fn my_trade_ins() -> Result<Vec<TradeInView>, AppError> {
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    let list =
        crate::features::trade_ins::repo::trade_ins::list_for_customer(g.state.db.pool(), user.id)
            .await
            .or_internal(&g)?;
    let mut out = Vec::new();
    for t in list {
        out.push(view_of(&g, t, false).await?);
    }
    Ok(out)
}

#[server(prefix = "/api", endpoint = "trade_in_detail")]
pub async fn trade_in_detail(id: i64) -> Result<TradeInView, AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let t = crate::features::trade_ins::service::owned(&g.state, g.user()?.id, id).await?;
    view_of(&g, t, true).await
}

#[cfg(feature = "ssr")]
async fn view_of(
    g: &crate::platform::session::guard::Guarded,
    t: crate::features::trade_ins::repo::trade_ins::TradeInRecord,
    with_timeline: bool,
) -> Result<TradeInView, AppError> {
    use crate::domain::catalog::storage_label;
    use crate::features::trade_ins::repo::shipments::Direction;
    use crate::platform::session::guard::OrInternal;
    let pool = g.state.db.pool();
    let inbound = crate::features::trade_ins::repo::shipments::find(pool, t.id, Direction::Inbound)
        .await
        .or_internal(g)?;
    let ret = crate::features::trade_ins::repo::shipments::find(pool, t.id, Direction::Return)
        .await
        .or_internal(g)?;
    let mut timeline = Vec::new();
    if with_timeline {
        for e in crate::features::trade_ins::repo::trade_ins::events(pool, t.id)
            .await
            .or_internal(g)?
        {
            timeline.push(TimelineEntry {
                label: state_title(e.to_state).to_string(),
                detail: e.reason,
                at_ms: e.at,
            });
        }
        for e in crate::features::trade_ins::repo::shipments::events_for_trade_in(pool, t.id)
            .await
            .or_internal(g)?
        {
            let label = if e.direction == "return" {
                format!("Return parcel: {}", e.description)
            } else {
                format!("Parcel: {}", e.description)
            };
            timeline.push(TimelineEntry {
                label,
                detail: String::new(),
                at_ms: e.at,
            });
        }
        timeline.sort_by_key(|e| e.at_ms);
    }
    let (counter_offer, payout) = if with_timeline {
        (
            crate::features::orders::counter_offer_view(g, t.id).await?,
            crate::features::orders::payout_view(g, t.id).await?,
        )
    } else {
        (None, None)
    };
    let on_hold = if t.state == State::Suspended {
        crate::domain::sla::SuspendReason::parse(&t.suspended_reason)
            .map(|r| (r.label().to_string(), r.what_to_do().to_string()))
    } else {
        None
    };
    let mut variant = storage_label(t.storage_gb as u32);
    if !t.connectivity.is_empty() {
        variant = format!("{variant}, {}", t.connectivity);
    }
    Ok(TradeInView {
        id: t.id,
        reference: t.reference,
        device: format!(
            "{} ({variant})",
            crate::domain::catalog::full_name(&t.brand_name, &t.model_name)
        ),
        grade_label: t.grade.label().to_string(),
        price_minor: t.price_minor,
        final_price_minor: t.final_price_minor,
        recycling: t.recycling,
        state: t.state,
        state_label: crate::domain::tradein::state_label(t.state).to_string(),
        buyer: t.seller_name,
        ship_by_ms: t.ship_by_at,
        now_ms: g.now_ms(),
        carrier: inbound
            .as_ref()
            .map(|s| s.carrier.clone())
            .unwrap_or_default(),
        tracking_number: inbound.map(|s| s.tracking_number).unwrap_or_default(),
        return_tracking_number: ret.map(|s| s.tracking_number),
        iban_masked: t.iban_masked,
        timeline,
        counter_offer,
        payout,
        on_hold,
    })
}

#[server(prefix = "/api", endpoint = "mark_shipped")]
pub async fn mark_shipped(id: i64) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    crate::features::trade_ins::service::mark_shipped(&g.state, g.user()?.id, id).await
}

#[server(prefix = "/api", endpoint = "answer_counter_offer")]
pub async fn answer_counter_offer(id: i64, answer: String) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => {
            return Err(AppError::invalid(
                "answer",
                "choose to accept or decline the new offer",
            ))
        }
    };
    crate::features::orders::service::answer_counter_offer(&g.state, g.user()?.id, id, accept).await
}

#[server(prefix = "/api", endpoint = "cancel_trade_in")]
pub async fn cancel_trade_in(id: i64) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    crate::features::trade_ins::service::cancel(&g.state, g.user()?.id, id).await
}

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
                        <p>"You have no trade-ins yet. " <a href="/">"Find your device"</a></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <table class="table">
                            <thead><tr><th scope="col">"Reference"</th><th scope="col">"Device"</th><th scope="col">"Price"</th><th scope="col">"Status"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|t| view! {
                                    <tr>
                                        <td><a href=format!("/trade-ins/{}", t.id)>{t.reference.clone()}</a></td>
                                        <td>{t.device.clone()}</td>
                                        <td>{if t.recycling { "Free recycling".to_string() } else { Money::eur(t.final_price_minor.unwrap_or(t.price_minor)).to_string() }}</td>
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
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
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
        let days = (c.expires_at_ms - t.now_ms + DAY_MS - 1).div_euclid(DAY_MS).max(0);
        view! {
            <section class="card counter-offer" aria-labelledby="counter-heading">
                <h2 id="counter-heading">"A new offer after inspection"</h2>
                <p class="offer-amount">{Money::eur(c.price_minor).to_string()}</p>
                <p>{format!("instead of {}. Reasons: {}.", Money::eur(t.price_minor), c.reasons.join(", ").to_lowercase())}</p>
                {(!c.note.is_empty()).then(|| view! { <blockquote>{c.note.clone()}</blockquote> })}
                <ul class="photos">
                    {c.photo_urls.iter().enumerate().map(|(i, url)| view! {
                        <li><a href=url.clone() rel="external"><img src=url.clone() alt=format!("Inspection photo {}", i + 1) loading="lazy" width="240" height="180"/></a></li>
                    }).collect_view()}
                </ul>
                <p class="deadline" role="status">{format!("{days} days left to answer (until {}). Without an answer, your device comes back to you for free.", Date::from_unix_ms(c.expires_at_ms))}</p>
                <div class="actions">
                    <ActionForm action=answered attr:class="inline">
                        <input type="hidden" name="id" value=t.id.to_string()/>
                        <input type="hidden" name="answer" value="accept"/>
                        <button type="submit" class="button primary">"Accept new offer"</button>
                    </ActionForm>
                    <ActionForm action=answered attr:class="inline">
                        <input type="hidden" name="id" value=t.id.to_string()/>
                        <input type="hidden" name="answer" value="decline"/>
                        <button type="submit" class="button">"Decline and get my device back"</button>
                    </ActionForm>
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
        let state = match p.state.as_str() {
            "pending" => "being prepared",
            "sent" => "sent",
            _ => "received by your bank",
        };
        view! { <p class="notice" role="status">{format!("Payment of {} to {}: {state}.", Money::eur(p.amount_minor), p.iban_masked)}</p> }
    });
    let price = if t.recycling {
        "Free recycling".to_string()
    } else {
        match t.final_price_minor {
            Some(f) if f != t.price_minor => format!(
                "{} (accepted offer {})",
                Money::eur(f),
                Money::eur(t.price_minor)
            ),
            _ => Money::eur(t.price_minor).to_string(),
        }
    };
    // Whole days left, rounded up: "14 days" on the day of acceptance.
    let days_left = (t.ship_by_ms - t.now_ms + DAY_MS - 1).div_euclid(DAY_MS);
    let deadline = (t.state == State::LabelIssued).then(|| {
        let when = Date::from_unix_ms(t.ship_by_ms);
        let text = if days_left >= 1 {
            format!("{days_left} days left to ship (by {when})")
        } else {
            format!("Ship today: the label expires on {when}")
        };
        view! { <p class="deadline" role="status">{text}</p> }
    });
    let label_href = format!("/trade-ins/{}/label.pdf", t.id);
    let id = t.id;
    view! {
        <Title text=format!("Trade-in {}", t.reference)/>
        <p class="muted"><a href="/trade-ins">"My trade-ins"</a></p>
        <h1>{format!("Trade-in {}", t.reference)}</h1>
        <p class="status-pill" data-state=t.state.code()>{format!("Status: {}", t.state_label)}</p>
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
                <ActionForm action=shipped attr:class="inline">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button primary">"I've shipped it"</button>
                </ActionForm>
            })}
            {t.can_cancel().then(|| view! {
                <ActionForm action=cancelled attr:class="inline">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button danger">"Cancel trade-in"</button>
                </ActionForm>
            })}
        </div>
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            <ol class="timeline">
                {t.timeline.into_iter().map(|e| view! {
                    <li>
                        <span class="when">{crate::ui::format_when(e.at_ms)}</span>
                        <span class="what">{e.label}</span>
                        {(!e.detail.is_empty()).then(|| view! { <span class="muted">{format!(" — {}", e.detail)}</span> })}
                    </li>
                }).collect_view()}
            </ol>
            <crate::features::claims::ClaimBox trade_in_id=t.id data=claims/>
        </section>
    }
}
