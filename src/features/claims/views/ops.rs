//! The claims queue (`/ops/claims`): open claims oldest first, then the
//! latest resolved. Each links to the claim's page, where ops answer and
//! resolve.

use super::super::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpsClaimsPage() -> impl IntoView {
    let data = crate::ui::data::load(|| (), |_| load_claims_queue());
    view! {
        <Title text="Claims"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! {
                        <section>
                            <p><a href="/ops">"← Operations console"</a></p>
                            <h1>"Claims"</h1>
                            <table class="table">
                                <thead><tr><th scope="col">"Claim"</th><th scope="col">"Consumer"</th><th scope="col">"Refurbisher"</th><th scope="col">"State"</th><th scope="col">"Opened"</th></tr></thead>
                                <tbody>
                                    {list.is_empty().then(|| view! { <tr><td colspan="5">"No claims."</td></tr> })}
                                    {list.into_iter().map(|c| view! {
                                        <tr>
                                            <td><a href=format!("/claims/{}", c.id)>{format!("{}: {}", c.reference, c.kind)}</a></td>
                                            <td>{c.customer_email}</td>
                                            <td>{c.seller}</td>
                                            <td>{if c.outcome.is_empty() { c.state.code().to_string() } else { format!("{} ({})", c.state.code(), c.outcome) }}</td>
                                            <td>{c.opened}</td>
                                        </tr>
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
