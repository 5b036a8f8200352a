//! Refurbisher applications (`/ops/sellers`): pending ones to approve or
//! reject, and the latest decisions with who made them and when.

use super::super::*;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn Decide(app: ApplicationView, on_done: Callback<()>) -> impl IntoView {
    let action = ServerAction::<DecideSeller>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_done.run(());
        }
    });
    let error = crate::ui::form::action_error(action);
    let reason_id = format!("reason-{}", app.seller_id);
    view! {
        <PageForm action=action class="form inline">
            <crate::ui::form::FormError error=error/>
            <input type="hidden" name="seller_id" value=app.seller_id.to_string()/>
            <div class="field">
                <label for=reason_id.clone()>{format!("Reason or note for {}", app.company)}</label>
                <input id=reason_id type="text" name="reason" maxlength="500"/>
                <p class="field-error">{move || error.get().and_then(|e| e.field("reason"))}</p>
            </div>
            <button type="submit" name="decision" value="approve" class="button primary">{format!("Approve {}", app.company)}</button>
            <button type="submit" name="decision" value="reject" class="button danger">{format!("Reject {}", app.company)}</button>
        </PageForm>
    }
}

#[component]
pub fn OpsSellersPage() -> impl IntoView {
    let apps = crate::ui::data::load(|| (), |_| load_seller_applications());
    let refresh = Callback::new(move |_| apps.refetch());
    view! {
        <Title text="Refurbisher applications"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match apps.await {
                    Ok(list) => {
                        let (pending, decided): (Vec<_>, Vec<_>) = list.into_iter().partition(|a| a.status == crate::domain::seller::SellerStatus::Pending);
                        view! {
                            <section>
                                <p><a href="/ops">"← Operations console"</a></p>
                                <h1>"Refurbisher applications"</h1>
                                <h2>{format!("Awaiting a decision ({})", pending.len())}</h2>
                                {pending.is_empty().then(|| view! { <p>"No application is waiting."</p> })}
                                <ul class="cards">
                                    {pending.into_iter().map(|a| view! {
                                        <li class="card">
                                            <h3>{a.company.clone()}</h3>
                                            <p>{format!("VAT {}", a.vat_number)}</p>
                                            <p>{a.address.join(", ")}</p>
                                            <p>{a.contact.clone()}</p>
                                            <p class="muted">"Applied " <crate::ui::When m=a.applied.clone()/></p>
                                            {(!a.email_confirmed).then(|| view! {
                                                <p class="notice warning" role="status">"Waiting for the applicant to confirm its email address: it can be approved once it has (or rejected now)."</p>
                                            })}
                                            <Decide app=a on_done=refresh/>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <h2>"Latest decisions"</h2>
                                <table class="table">
                                    <thead><tr><th scope="col">"Company"</th><th scope="col">"Status"</th><th scope="col">"Decided"</th><th scope="col">"Reason"</th></tr></thead>
                                    <tbody>
                                        {decided.into_iter().map(|a| view! {
                                            <tr><td>{a.company}</td><td>{a.status.to_string()}</td><td>{a.decided.unwrap_or_else(|| "at set-up".into())}</td><td>{a.reason}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops/sellers"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
