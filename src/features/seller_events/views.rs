//! `/seller/api/webhooks`: the refurbisher's webhook endpoints, each with
//! its latest deliveries and a "send again" button per delivery.

use super::*;
use crate::i18n::staff::{use_staff, Staff};
use crate::ui::form::{Checkbox, Fieldset, FormError, PageForm, TextField};
use leptos_meta::Title;

/// A kind's label, by its code.
fn kind_label(code: &str) -> Staff {
    match code {
        "order.created" => Staff::WebhooksKindOrderCreated,
        "order.shipped" => Staff::WebhooksKindOrderShipped,
        "order.received" => Staff::WebhooksKindOrderReceived,
        "order.inspecting" => Staff::WebhooksKindOrderInspecting,
        "order.counter_offered" => Staff::WebhooksKindOrderCounterOffered,
        "order.counter_offer_accepted" => Staff::WebhooksKindOrderCounterOfferAccepted,
        "order.counter_offer_declined" => Staff::WebhooksKindOrderCounterOfferDeclined,
        "order.validated" => Staff::WebhooksKindOrderValidated,
        "order.paid" => Staff::WebhooksKindOrderPaid,
        "order.suspended" => Staff::WebhooksKindOrderSuspended,
        "order.return_requested" => Staff::WebhooksKindOrderReturnRequested,
        "order.returned" => Staff::WebhooksKindOrderReturned,
        "order.expired" => Staff::WebhooksKindOrderExpired,
        "order.cancelled" => Staff::WebhooksKindOrderCancelled,
        "order.lost" => Staff::WebhooksKindOrderLost,
        "claim.opened" => Staff::WebhooksKindClaimOpened,
        "payout.settled" => Staff::WebhooksKindPayoutSettled,
        "listing.capped" => Staff::WebhooksKindListingCapped,
        "listing.updated" => Staff::WebhooksKindListingUpdated,
        _ => Staff::WebhooksKindListingsImported,
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let endpoints = crate::ui::data::load(|| (), |_| load_webhook_endpoints());
    let create = ServerAction::<CreateWebhookEndpoint>::new();
    let delete = ServerAction::<DeleteWebhookEndpoint>::new();
    let enable = ServerAction::<EnableWebhookEndpoint>::new();
    let again = ServerAction::<SendWebhookAgain>::new();
    Effect::new(move |_| {
        let changed = [
            matches!(create.value().get(), Some(Ok(_))),
            matches!(delete.value().get(), Some(Ok(()))),
            matches!(enable.value().get(), Some(Ok(()))),
            matches!(again.value().get(), Some(Ok(()))),
        ];
        if changed.contains(&true) {
            endpoints.refetch();
        }
    });
    let error = crate::ui::form::action_error(create);
    let list_error = crate::ui::form::action_error(again);
    let st = use_staff();
    view! {
        <Title text=st.get(Staff::WebhooksTitle)/>
        <section class="card">
            <p><a href="/seller/api">{st.get(Staff::WebhooksBack)}</a></p>
            <h1>{st.get(Staff::WebhooksHeading)}</h1>
            <p>{st.get(Staff::WebhooksIntro)}</p>
        </section>
        <section class="card" aria-labelledby="new-endpoint">
            <h2 id="new-endpoint">{st.get(Staff::WebhooksNewHeading)}</h2>
            <PageForm action=create class="form" novalidate=true>
                <FormError error=error/>
                <TextField label=st.get(Staff::WebhooksUrl) name="url" kind="url" hint=st.get(Staff::WebhooksUrlHint)/>
                <Fieldset name="kinds" legend=st.get(Staff::WebhooksKinds)>
                    {KIND_BOXES.iter().map(|(name, code)| view! {
                        <Checkbox name=name label=st.get(kind_label(code))/>
                    }).collect_view()}
                </Fieldset>
                <button type="submit" class="button primary" disabled=move || create.pending().get()>{st.get(Staff::WebhooksCreate)}</button>
            </PageForm>
            {move || match create.value().get() {
                Some(Ok(secret)) => Some(view! {
                    <div class="notice success" role="status">
                        <p>{st.get(Staff::WebhooksCreated)}</p>
                        <label for="new-endpoint-secret">{st.get(Staff::WebhooksSecret)}</label>
                        <input id="new-endpoint-secret" type="text" readonly value=secret class="token"/>
                    </div>
                }),
                _ => None,
            }}
        </section>
        <section class="card" aria-labelledby="endpoints">
            <h2 id="endpoints">{st.get(Staff::WebhooksYours)}</h2>
            <FormError error=list_error/>
            <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
                {move || Suspend::new(async move {
                    match endpoints.await {
                        Ok(list) if list.is_empty() => view! { <p>{st.get(Staff::WebhooksNone)}</p> }.into_any(),
                        Ok(list) => list.into_iter().map(|e| {
                            let heading = format!("endpoint-{}", e.id);
                            let labelled_by = heading.clone();
                            let title = st.fill(Staff::WebhooksEndpoint, &[("url", &e.url)]);
                            let sends = st.fill(Staff::WebhooksSends, &[("kinds", &e.kinds.join(", "))]);
                            let added = st.fill(Staff::WebhooksAdded, &[("when", &e.created)]);
                            let delete_label = st.fill(Staff::WebhooksDelete, &[("url", &e.url)]);
                            let enable_label = st.fill(Staff::WebhooksEnable, &[("url", &e.url)]);
                            let id = e.id.to_string();
                            let (enable_id, delete_id) = (id.clone(), id.clone());
                            let state = match e.disabled.clone() {
                                None => view! { <p class="badge ok">{st.get(Staff::WebhooksOn)}</p> }.into_any(),
                                Some(reason) => view! {
                                    <p class="badge warn" role="status">{st.fill(Staff::WebhooksOff, &[("reason", &reason)])}</p>
                                    <PageForm action=enable class="inline">
                                        <input type="hidden" name="id" value=enable_id/>
                                        <button type="submit" class="button small">{enable_label}</button>
                                    </PageForm>
                                }.into_any(),
                            };
                            view! {
                                <article class="endpoint" aria-labelledby=labelled_by>
                                    <h3 id=heading>{title}</h3>
                                    <p>{sends}</p>
                                    <p class="muted">{added}</p>
                                    {state}
                                    <PageForm action=delete class="inline">
                                        <input type="hidden" name="id" value=delete_id/>
                                        <button type="submit" class="button danger small">{delete_label}</button>
                                    </PageForm>
                                    <h4>{st.get(Staff::WebhooksLog)}</h4>
                                    {if e.deliveries.is_empty() {
                                        view! { <p>{st.get(Staff::WebhooksNoDelivery)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <table class="table">
                                                <thead><tr>
                                                    <th scope="col">{st.get(Staff::WebhooksEvent)}</th>
                                                    <th scope="col">{st.get(Staff::WebhooksKind)}</th>
                                                    <th scope="col">{st.get(Staff::WebhooksState)}</th>
                                                    <th scope="col">{st.get(Staff::WebhooksAttempts)}</th>
                                                    <th scope="col">{st.get(Staff::WebhooksLast)}</th>
                                                    <th scope="col">{st.get(Staff::WebhooksNext)}</th>
                                                    <th scope="col">{st.get(Staff::WebhooksSentAt)}</th>
                                                    <td></td>
                                                </tr></thead>
                                                <tbody>
                                                    {e.deliveries.into_iter().map(|d| {
                                                        let endpoint = id.clone();
                                                        view! {
                                                            <tr>
                                                                <th scope="row"><code>{d.event.clone()}</code></th>
                                                                <td>{d.kind}</td>
                                                                <td>{d.state}</td>
                                                                <td>{d.attempts}</td>
                                                                <td>{d.last.unwrap_or_default()}</td>
                                                                <td>{d.next.unwrap_or_default()}</td>
                                                                <td>{d.created}</td>
                                                                <td>
                                                                    <PageForm action=again class="inline">
                                                                        <input type="hidden" name="endpoint" value=endpoint/>
                                                                        <input type="hidden" name="delivery" value=d.id.to_string()/>
                                                                        <button type="submit" class="button small">{st.fill(Staff::WebhooksAgain, &[("event", &d.event)])}</button>
                                                                    </PageForm>
                                                                </td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        }.into_any()
                                    }}
                                </article>
                            }
                        }).collect_view().into_any(),
                        Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller/api/webhooks"/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
