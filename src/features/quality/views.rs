//! Refurbisher quality (`/ops/refurbishers`): a scorecard per refurbisher
//! over 90 days, the quality score it feeds, and suspension.

use super::*;
use crate::domain::seller::QualityAction;
use crate::i18n::staff::{use_staff, Staff};
use crate::ui::form::FormError;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn QualityPage() -> impl IntoView {
    let st = use_staff();
    let recompute = ServerAction::<RecomputeScores>::new();
    let suspension = ServerAction::<SetSellerSuspended>::new();
    let data = crate::ui::data::load(
        move || (recompute.version().get(), suspension.version().get()),
        |_| load_scorecards(),
    );
    let error = crate::ui::form::action_error(suspension);
    view! {
        <Title text=st.get(Staff::QualityTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(cards) => view! {
                        <section>
                            <p><a href="/ops">{st.get(Staff::OpsDashboardBack)}</a></p>
                            <h1>{st.get(Staff::QualityTitle)}</h1>
                            <p>{st.get(Staff::QualityIntro)}</p>
                            <p><a href="/ops/refurbishers.csv" rel="external" download="">{st.get(Staff::QualityExport)}</a></p>
                            <PageForm action=recompute class="form inline">
                                <button type="submit" class="button">{st.get(Staff::QualityApply)}</button>
                                <span role="status">{move || recompute.value().get().map(|r| match r { Ok(n) => st.fill(Staff::QualityChanged, &[("n", &n)]), Err(e) => crate::i18n::errors::said(&e) })}</span>
                            </PageForm>
                            <FormError error=error/>
                            <div class="grid-scroll">
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{st.get(Staff::QualityRefurbisher)}</th><th scope="col">{st.get(Staff::QualityTradeIns)}</th><th scope="col">{st.get(Staff::QualityCounterOfferRate)}</th>
                                    <th scope="col">{st.get(Staff::QualityCountersAccepted)}</th><th scope="col">{st.get(Staff::QualityInspectionSla)}</th><th scope="col">{st.get(Staff::QualityPaymentSla)}</th>
                                    <th scope="col">{st.get(Staff::QualityDisputes)}</th><th scope="col">{st.get(Staff::QualityScore)}</th><th scope="col">{st.get(Staff::QualityStatus)}</th>
                                </tr></thead>
                                <tbody>
                                    {cards.into_iter().map(|c| {
                                        let quality_action = c.status.quality_action();
                                        let action_label = quality_action.map_or("suspend", |a| a.label());
                                        let can_act = quality_action.is_some();
                                        let id = format!("suspend-reason-{}", c.seller_id);
                                        let company = [("company", &c.company as &dyn std::fmt::Display)];
                                        let (reason_label, button) = if quality_action == Some(QualityAction::Reinstate) {
                                            (st.fill(Staff::QualityReasonToReinstate, &company), st.fill(Staff::QualityReinstate, &company))
                                        } else {
                                            (st.fill(Staff::QualityReasonToSuspend, &company), st.fill(Staff::QualitySuspend, &company))
                                        };
                                        let computed = c.computed_score.map_or_else(|| st.get(Staff::QualityTooFew).to_string(), |s| s.to_string());
                                        view! {
                                            <tr>
                                                <th scope="row">{c.company.clone()}</th>
                                                <td>{c.volume}</td><td>{c.counter_offer_rate}</td><td>{c.counter_accept_rate}</td>
                                                <td>{c.inspection_sla}</td><td>{c.payment_sla}</td><td>{c.disputes}</td>
                                                <td>{format!("{} ({computed})", c.quality_score)}</td>
                                                <td>
                                                    {st.seller_status(c.status)}
                                                    {can_act.then(|| view! {
                                                        <PageForm action=suspension class="form inline" key=c.seller_id.to_string()>

                                                            <input type="hidden" name="seller_id" value=c.seller_id.to_string()/>
                                                            <input type="hidden" name="suspend" value=action_label/>
                                                            <label for=id.clone() class="visually-hidden">{reason_label}</label>
                                                            <input id=id type="text" name="reason" placeholder=st.get(Staff::QualityReason) size="12"/>
                                                            <button type="submit" class=if action_label == "suspend" { "button small danger" } else { "button small" }>
                                                                {button}
                                                            </button>
                                                        </PageForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops/refurbishers"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
