//! The claims queue (`/ops/claims`): open claims oldest first, then the
//! latest resolved. Each links to the claim's page, where ops answer and
//! resolve.

use super::super::*;
use crate::i18n::staff::{use_staff, Staff};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpsClaimsPage() -> impl IntoView {
    let st = use_staff();
    let texts = crate::i18n::use_texts();
    let data = crate::ui::data::load(|| (), |_| load_claims_queue());
    view! {
        <Title text=st.get(Staff::OpsClaimsTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! {
                        <section>
                            <p><a href="/ops">{st.get(Staff::OpsDashboardBack)}</a></p>
                            <h1>{st.get(Staff::OpsClaimsTitle)}</h1>
                            <table class="table">
                                <thead><tr><th scope="col">{st.get(Staff::OpsClaimsClaim)}</th><th scope="col">{st.get(Staff::OpsClaimsConsumer)}</th><th scope="col">{st.get(Staff::OpsClaimsRefurbisher)}</th><th scope="col">{st.get(Staff::OpsClaimsState)}</th><th scope="col">{st.get(Staff::OpsClaimsOpened)}</th></tr></thead>
                                <tbody>
                                    {list.is_empty().then(|| view! { <tr><td colspan="5">{st.get(Staff::OpsClaimsNoClaims)}</td></tr> })}
                                    {list.into_iter().map(|c| {
                                        let line = st.fill(Staff::OpsClaimsLine, &[("reference", &c.reference), ("kind", &texts.claim_kind(c.kind))]);
                                        let state = texts.claim_state(c.state);
                                        let state = match c.outcome {
                                            None => state.to_string(),
                                            Some(o) => st.fill(Staff::OpsClaimsStateOutcome, &[("state", &state), ("outcome", &texts.claim_outcome(o))]),
                                        };
                                        view! {
                                            <tr>
                                                <td><a href=format!("/claims/{}", c.id)>{line}</a></td>
                                                <td>{c.customer_email}</td>
                                                <td>{c.seller}</td>
                                                <td>{state}</td>
                                                <td>{c.opened}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops/claims"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
