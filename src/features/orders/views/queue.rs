//! The refurbisher's order queue and each order's page: receive,
//! inspect, counter-offer, suspend, return, pay.

use super::super::*;
use crate::domain::grading::{BODY_CHOICES, SCREEN_CHOICES, WORKS_CHOICES};
use crate::domain::ids::TradeInId;
use crate::domain::money::Money;
use crate::domain::sla::{CounterReason, SuspendReason};
use crate::domain::tradein::State;
use crate::error::AppError;
use crate::ui::form::{
    CheckboxGroup, FileField, FormError, FormState, PageForm, TextArea, TextField, UploadForm,
};

use crate::ui::question::Question;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SellerOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let receive = ServerAction::<ReceiveParcel>::new();
    let key = move || {
        let q = query.read();
        OrdersFilter {
            tab: q.get("tab"),
            q: q.get("q"),
        }
    };
    let data = crate::ui::data::load(key, load_seller_orders);
    let receive_error = crate::ui::form::action_error(receive);
    view! {
        <Title text="Orders"/>
        <p class="muted"><a href="/seller">"Refurbisher area"</a></p>
        <h1>"Orders"</h1>
        <section class="card" aria-labelledby="receive-heading">
            <h2 id="receive-heading">"Receive a parcel"</h2>
            <PageForm action=receive class="form inline-form">
                <FormError error=receive_error/>
                <TextField label="Tracking number or order reference" name="code" autocomplete="off"/>
                <button type="submit" class="button primary">"Mark received"</button>
            </PageForm>
        </section>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <OrdersTable page=page/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller/orders"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrdersTable(page: OrdersPage) -> impl IntoView {
    let current = page.tab.clone();
    view! {
        <nav aria-label="Order stages" class="tabs">
            <ul>
                {page.tabs.into_iter().map(|(code, label, n)| {
                    let selected = code == current;
                    view! {
                        <li>
                            <a href=format!("/seller/orders?tab={code}") aria-current=selected.then_some("page")>
                                {label}" "<span class="count">{n}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        <Form method="GET" action="/seller/orders" attr:class="search-inline" attr:role="search">
            <label for="order-search">"Find an order"</label>
            <input id="order-search" name="q" type="search" placeholder="Reference, tracking number or IMEI"/>
            <button type="submit" class="button small">"Find"</button>
        </Form>
        {if page.rows.is_empty() {
            view! { <p class="muted">"No orders here."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <thead><tr>
                        <th scope="col">"Reference"</th><th scope="col">"Device"</th><th scope="col">"Declared"</th>
                        <th scope="col">"Price"</th><th scope="col">"Status"</th><th scope="col">"Due"</th>
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|r| {
                            let overdue = r.due.as_ref().is_some_and(|d| d.overdue);
                            view! {
                                <tr class:overdue=overdue>
                                    <td><a href=format!("/seller/orders/{}", r.id)>{r.reference.clone()}</a><br/><code class="muted">{r.tracking_number.clone()}</code></td>
                                    <td>{r.device.clone()}</td>
                                    <td>{r.grade_label.clone()}</td>
                                    <td>{r.price.to_string()}</td>
                                    <td>{r.state_label.clone()}</td>
                                    <td>{r.due.map(|d| view! {
                                        <span class:overdue-label=d.overdue>{format!("{} ", d.label)}<crate::ui::When m=d.at/>{d.overdue.then_some(" (overdue)")}</span>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

#[component]
pub fn SellerOrderPage() -> impl IntoView {
    let params = use_params_map();
    let inspect = ServerAction::<InspectOrder>::new();
    let act = ServerAction::<OrderAction>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<TradeInId>().ok())
            .unwrap_or(TradeInId(0))
    };
    let data = crate::ui::data::load(
        move || (id(), inspect.version().get(), act.version().get()),
        |(id, _, _)| load_seller_order(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <OrderView o=o inspect=inspect act=act/> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::ui::errors::NotFound/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here=format!("/seller/orders/{}", id())/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ActionButton(
    act: ServerAction<OrderAction>,
    id: TradeInId,
    step: OrderStep,
    label: &'static str,
    #[prop(optional)] primary: bool,
) -> impl IntoView {
    view! {
        <PageForm action=act class="inline">
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="action" value=step.code()/>
            <button type="submit" class=if primary { "button primary" } else { "button" } disabled=move || act.pending().get()>{label}</button>
        </PageForm>
    }
}

#[component]
fn OrderView(
    o: OrderDetail,
    inspect: ServerAction<InspectOrder>,
    act: ServerAction<OrderAction>,
) -> impl IntoView {
    let id = o.id;
    let inspect_error = crate::ui::form::action_error(inspect);
    let act_error = crate::ui::form::action_error(act);
    let result = move || inspect.value().get().and_then(Result::ok);
    let can_inspect = matches!(o.state, State::Received | State::Inspecting);
    let can_counter = o.state == State::Inspecting && o.found_grade.is_some();
    view! {
        <Title text=format!("Order {}", o.reference)/>
        <p class="muted"><a href="/seller/orders">"Orders"</a></p>
        <h1>{format!("Order {}", o.reference)}</h1>
        <p class="status-pill" data-state=o.state.code()>{format!("Status: {}", o.state_label)}</p>
        <dl class="facts">
            <div><dt>"Device"</dt><dd>{o.device.clone()}</dd></div>
            <div><dt>"Declared condition"</dt><dd>{o.declared_grade.clone()}<br/><span class="muted">{o.declared_answers.clone()}</span></dd></div>
            <div><dt>"Accepted price"</dt><dd>{o.price.to_string()}</dd></div>
            <div><dt>{if o.has_imei { "Declared IMEI" } else { "Serial number" }}</dt><dd><code>{o.identifier.clone()}</code></dd></div>
            <div><dt>"Tracking"</dt><dd><code>{o.tracking_number.clone()}</code></dd></div>
            {o.found_grade.clone().map(|f| view! { <div><dt>"Inspection found"</dt><dd>{f}</dd></div> })}
            {(!o.suspended_reason.is_empty()).then(|| view! { <div><dt>"On hold because"</dt><dd>{o.suspended_reason.clone()}</dd></div> })}
            {o.payout.clone().map(|p| view! { <div><dt>"Payout"</dt><dd>{format!("{} to {} ({})", p.amount, p.iban_masked, p.state.code())}</dd></div> })}
            {o.return_tracking_number.clone().map(|r| view! { <div><dt>"Return tracking"</dt><dd><code>{r}</code></dd></div> })}
        </dl>
        {(!o.claims.is_empty()).then(|| view! {
            <section aria-labelledby="claims-heading">
                <h2 id="claims-heading">"Claims"</h2>
                <ul>
                    {o.claims.iter().map(|c| view! {
                        <li><a href=format!("/claims/{}", c.id)>{format!("Claim #{}: {}", c.id, c.kind)}</a>{format!(" ({})", c.state.code())}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <FormError error=act_error/>
        {move || result().map(|r| match r {
            InspectionResult::Validated => view! { <div class="notice" role="status"><p>"Inspection matches: the trade-in is validated and the payout is created."</p></div> }.into_any(),
            InspectionResult::Worse { found, .. } => view! { <div class="notice warning" role="status"><p>{format!("Inspection found: {found}. Make a counter-offer with photos, or validate at the accepted price.")}</p></div> }.into_any(),
            InspectionResult::Suspended(reason) => view! { <div class="notice error" role="status"><p>{format!("Suspended: {reason}.")}</p></div> }.into_any(),
        })}

        {can_inspect.then(|| view! {
            <section class="card" aria-labelledby="inspect-heading">
                <h2 id="inspect-heading">"Inspect"</h2>
                <PageForm action=inspect class="form questionnaire">
                    <FormError error=inspect_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    {o.has_imei.then(|| view! {
                        <TextField label="IMEI found on the device" name="imei_found" autocomplete="off"/>
                    })}
                    <Question name="works" legend="Does it turn on and work normally?" choices=&WORKS_CHOICES/>
                    <Question name="screen" legend="What does the screen look like?" choices=&SCREEN_CHOICES/>
                    <Question name="body" legend="What does the body look like?" choices=&BODY_CHOICES/>
                    <button type="submit" class="button primary">"Record inspection"</button>
                </PageForm>
            </section>
        })}

        {can_counter.then(|| view! { <CounterOfferForm id=id price=o.price suggested=o.suggested_price/> })}

        <div class="actions">
            {(o.state == State::Inspecting).then(|| view! { <ActionButton act=act id=id step=OrderStep::Validate label="Validate at the accepted price"/> })}
            {(o.state == State::Validated).then(|| view! { <ActionButton act=act id=id step=OrderStep::ConfirmPayment label="Confirm payment" primary=true/> })}
            {(o.state == State::Suspended).then(|| view! { <ActionButton act=act id=id step=OrderStep::Return label="Return the device"/> })}
            {(o.state == State::Paid).then(|| view! {
                <a class="button" href=format!("/trade-ins/{id}/certificate.pdf") rel="external" download="certificate-of-sale.pdf">"Download the certificate of sale"</a>
            })}
            {(o.state == State::ReturnRequested).then(|| view! {
                <a class="button" href=format!("/trade-ins/{id}/return-label.pdf") rel="external" download="return-label.pdf">"Download return label"</a>
                <ActionButton act=act id=id step=OrderStep::ReturnDelivered label="Return delivered"/>
            })}
        </div>
        {matches!(o.state, State::Received | State::Inspecting).then(|| view! { <SuspendForm act=act id=id/> })}
    }
}

#[component]
fn SuspendForm(act: ServerAction<OrderAction>, id: TradeInId) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="suspend-heading">
            <h2 id="suspend-heading">"Put on hold"</h2>
            <PageForm action=act class="form">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="action" value=OrderStep::Suspend.code()/>
                <div class="field">
                    <label for="suspend-reason">"Reason"</label>
                    <select id="suspend-reason" name="reason">
                        {SuspendReason::ALL.into_iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button danger">"Suspend"</button>
            </PageForm>
        </section>
    }
}

/// Photos go with the form, so the browser posts it itself; a refusal
/// comes back with every field and the photos that passed kept.
#[component]
fn CounterOfferForm(id: TradeInId, price: Money, suggested: Option<Money>) -> impl IntoView {
    let suggestion = suggested.map(Money::field_text).unwrap_or_default();
    let reasons = CounterReason::ALL
        .into_iter()
        .map(|r| (r.code(), r.label()))
        .collect::<Vec<_>>();
    view! {
        <section class="card" aria-labelledby="counter-heading">
            <h2 id="counter-heading">"Counter-offer"</h2>
            <p class="muted">{format!("The new price must be lower than the accepted {price}.")}
                {suggested.map(|p| format!(" Your own price for the grade found is {p}."))}</p>
            <UploadForm form=crate::features::orders::counter_offer_form(id) class="form">
                <FormError/>
                <TextField label="New price (EUR)" name="price" inputmode="decimal" autocomplete="off" value=suggestion/>
                <CheckboxGroup name="reasons" legend="Reasons" choices=reasons/>
                <TextArea label="Note for the customer (optional)" name="note" maxlength=1000/>
                <ProofPhotos/>
                <button type="submit" class="button primary">"Send counter-offer"</button>
            </UploadForm>
        </section>
    }
}

/// The photo field, after the photos a refused form kept: each shown with a
/// box to keep it (ticked), so they are not chosen again.
#[component]
fn ProofPhotos() -> impl IntoView {
    let kept = use_context::<FormState>()
        .map(|s| s.values("pending_photo"))
        .unwrap_or_default();
    let label = if kept.is_empty() {
        "Proof photos (JPEG, PNG or WebP, up to 5 MB each)"
    } else {
        "More proof photos (optional: JPEG, PNG or WebP, up to 5 MB each)"
    };
    let thumbnails = (!kept.is_empty()).then(|| {
        let photos = kept
            .into_iter()
            .enumerate()
            .map(|(i, token)| {
                let box_id = format!("kept-photo-{i}");
                let n = i + 1;
                view! {
                    <li class="kept-photo">
                        <img src=format!("/photos/pending/{token}") alt=format!("Photo {n}, already added") width="96" height="96"/>
                        <div class="field checkbox">
                            <input type="checkbox" id=box_id.clone() name="pending_photo" value=token checked=true/>
                            <label for=box_id>{format!("Keep photo {n}")}</label>
                        </div>
                    </li>
                }
            })
            .collect_view();
        view! {
            <fieldset class="group">
                <legend>"Photos already added"</legend>
                <ul class="kept-photos">{photos}</ul>
            </fieldset>
        }
    });
    view! {
        {thumbnails}
        <FileField label=label name="photos" accept="image/jpeg,image/png,image/webp" multiple=true/>
    }
}
