//! Refurbisher quality (`/ops/refurbishers`): a scorecard per refurbisher
//! over 90 days, the quality score it feeds, and suspension.

use super::*;
use crate::ui::form::FormError;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn QualityPage() -> impl IntoView {
    let recompute = ServerAction::<RecomputeScores>::new();
    let suspension = ServerAction::<SetSellerSuspended>::new();
    let data = crate::ui::data::load(
        move || (recompute.version().get(), suspension.version().get()),
        |_| load_scorecards(),
    );
    let error = crate::ui::form::action_error(suspension);
    view! {
        <Title text="Refurbisher quality"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(cards) => view! {
                        <section>
                            <p><a href="/ops">"← Operations console"</a></p>
                            <h1>"Refurbisher quality"</h1>
                            <p>"Last 90 days. The quality score (0 to 1000) breaks ties between equal offers: 1000, less 10 points per percent of counter-offers (at most 400), 2 per percent of inspections or payments outside their SLA, and 20 per dispute per 100 trade-ins (at most 200)."</p>
                            <p><a href="/ops/refurbishers.csv" rel="external" download="">"Export the scorecards (CSV)"</a></p>
                            <PageForm action=recompute class="form inline">
                                <button type="submit" class="button">"Apply the computed scores"</button>
                                <span role="status">{move || recompute.value().get().map(|r| match r { Ok(n) => format!("{n} scores changed."), Err(e) => e.to_string() })}</span>
                            </PageForm>
                            <FormError error=error/>
                            <div class="grid-scroll">
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">"Refurbisher"</th><th scope="col">"Trade-ins"</th><th scope="col">"Counter-offer rate"</th>
                                    <th scope="col">"Counter-offers accepted"</th><th scope="col">"Inspection SLA"</th><th scope="col">"Payment SLA"</th>
                                    <th scope="col">"Disputes"</th><th scope="col">"Score (computed)"</th><th scope="col">"Status"</th>
                                </tr></thead>
                                <tbody>
                                    {cards.into_iter().map(|c| {
                                        let quality_action = c.status.quality_action();
                                        let action_label = quality_action.map_or("suspend", |a| a.label());
                                        let can_act = quality_action.is_some();
                                        let id = format!("suspend-reason-{}", c.seller_id);
                                        view! {
                                            <tr>
                                                <th scope="row">{c.company.clone()}</th>
                                                <td>{c.volume}</td><td>{c.counter_offer_rate}</td><td>{c.counter_accept_rate}</td>
                                                <td>{c.inspection_sla}</td><td>{c.payment_sla}</td><td>{c.disputes}</td>
                                                <td>{format!("{} ({})", c.quality_score, c.computed_score.map(|s| s.to_string()).unwrap_or_else(|| "too few".into()))}</td>
                                                <td>
                                                    {c.status.to_string()}
                                                    {can_act.then(|| view! {
                                                        <PageForm action=suspension class="form inline" key=c.seller_id.to_string()>

                                                            <input type="hidden" name="seller_id" value=c.seller_id.to_string()/>
                                                            <input type="hidden" name="suspend" value=action_label/>
                                                            <label for=id.clone() class="visually-hidden">{format!("Reason to {action_label} {}", c.company)}</label>
                                                            <input id=id type="text" name="reason" placeholder="reason" size="12"/>
                                                            <button type="submit" class=if action_label == "suspend" { "button small danger" } else { "button small" }>
                                                                {format!("{} {}", if action_label == "suspend" { "Suspend" } else { "Reinstate" }, c.company)}
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
