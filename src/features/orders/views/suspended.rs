//! Suspended trade-ins waiting for an operations decision.

use super::super::*;
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpsSuspendedPage() -> impl IntoView {
    let decide = ServerAction::<OpsDecideSuspended>::new();
    let data = crate::ui::data::load(move || decide.version().get(), |_| load_ops_suspended());
    let error = crate::ui::form::action_error(decide);
    view! {
        <Title text="Suspended trade-ins"/>
        <p class="muted"><a href="/ops">"Operations console"</a></p>
        <h1>"Suspended trade-ins"</h1>
        <FormError error=error/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(items) if items.is_empty() => view! { <p>"Nothing is on hold."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="cards">
                            {items.into_iter().map(|i| view! {
                                <li class="card">
                                    <h2>{format!("{} · {}", i.reference, i.device)}</h2>
                                    <p>{format!("{} — {} (since {})", i.seller, i.reason, i.since)}</p>
                                    <PageForm action=decide class="form" key=i.id.to_string()>

                                        <input type="hidden" name="id" value=i.id.to_string()/>
                                        <TextField label="Reason for the decision" name="reason"/>
                                        <div class="actions">
                                            <button type="submit" name="decision" value="resume" class="button primary">"Resume inspection"</button>
                                            <button type="submit" name="decision" value="return" class="button">"Return to customer"</button>
                                        </div>
                                    </PageForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops/suspended"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
