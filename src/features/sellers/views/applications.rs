//! Refurbisher applications (`/ops/sellers`): pending ones to approve or
//! reject, and the latest decisions with who made them and when.

use super::super::*;
use crate::i18n::staff::{use_staff, Staff};
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
    let st = use_staff();
    let [reason_for, approve, reject] = [
        Staff::ApplicationsReasonFor,
        Staff::ApplicationsApprove,
        Staff::ApplicationsReject,
    ]
    .map(|msg| st.fill(msg, &[("company", &app.company)]));
    let reason_id = format!("reason-{}", app.seller_id);
    view! {
        <PageForm action=action class="form inline">
            <crate::ui::form::FormError error=error/>
            <input type="hidden" name="seller_id" value=app.seller_id.to_string()/>
            <div class="field">
                <label for=reason_id.clone()>{reason_for}</label>
                <input id=reason_id type="text" name="reason" maxlength="500"/>
                <p class="field-error">{move || error.get().and_then(|e| e.field("reason"))}</p>
            </div>
            <button type="submit" name="decision" value="approve" class="button primary">{approve}</button>
            <button type="submit" name="decision" value="reject" class="button danger">{reject}</button>
        </PageForm>
    }
}

#[component]
pub fn OpsSellersPage() -> impl IntoView {
    let apps = crate::ui::data::load(|| (), |_| load_seller_applications());
    let refresh = Callback::new(move |_| apps.refetch());
    let st = use_staff();
    view! {
        <Title text=st.get(Staff::ApplicationsTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match apps.await {
                    Ok(list) => {
                        let (pending, decided): (Vec<_>, Vec<_>) = list.into_iter().partition(|a| a.status == crate::domain::seller::SellerStatus::Pending);
                        view! {
                            <section>
                                <p><a href="/ops">{st.get(Staff::ApplicationsConsole)}</a></p>
                                <h1>{st.get(Staff::ApplicationsTitle)}</h1>
                                <h2>{st.fill(Staff::ApplicationsAwaiting, &[("count", &pending.len())])}</h2>
                                {pending.is_empty().then(|| view! { <p>{st.get(Staff::ApplicationsNoneWaiting)}</p> })}
                                <ul class="cards">
                                    {pending.into_iter().map(|a| view! {
                                        <li class="card">
                                            <h3>{a.company.clone()}</h3>
                                            <p>{st.fill(Staff::ApplicationsVat, &[("number", &a.vat_number)])}</p>
                                            <p>{a.address.join(", ")}</p>
                                            <p>{a.contact.clone()}</p>
                                            <p class="muted">{applied(st, a.applied.clone())}</p>
                                            {(!a.email_confirmed).then(|| view! {
                                                <p class="notice warning" role="status">{st.get(Staff::ApplicationsUnconfirmed)}</p>
                                            })}
                                            <Decide app=a on_done=refresh/>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <h2>{st.get(Staff::ApplicationsLatest)}</h2>
                                <table class="table">
                                    <thead><tr><th scope="col">{st.get(Staff::ApplicationsCompany)}</th><th scope="col">{st.get(Staff::ApplicationsStatus)}</th><th scope="col">{st.get(Staff::ApplicationsDecided)}</th><th scope="col">{st.get(Staff::ApplicationsReason)}</th></tr></thead>
                                    <tbody>
                                        {decided.into_iter().map(|a| view! {
                                            <tr><td>{a.company}</td><td>{st.seller_status(a.status)}</td><td>{a.decided.unwrap_or_else(|| st.get(Staff::ApplicationsAtSetup).into())}</td><td>{a.reason}</td></tr>
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

/// "Applied {date}", the date kept as a machine-readable `<time>`.
fn applied(
    st: crate::i18n::staff::StaffTexts,
    date: crate::domain::dates::Moment,
) -> impl IntoView {
    let (before, after) = crate::ui::split_at_marker(
        st.fill(Staff::ApplicationsApplied, &[("date", &crate::ui::MARKER)]),
    );
    view! { {before}<crate::ui::When m=date/>{after} }
}
