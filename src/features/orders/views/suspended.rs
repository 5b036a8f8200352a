//! Suspended trade-ins waiting for an operations decision.

use super::super::*;
use crate::i18n::staff::{use_staff, Staff};
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpsSuspendedPage() -> impl IntoView {
    let decide = ServerAction::<OpsDecideSuspended>::new();
    let data = crate::ui::data::load(move || decide.version().get(), |_| load_ops_suspended());
    let error = crate::ui::form::action_error(decide);
    let st = use_staff();
    view! {
        <Title text=st.get(Staff::SuspendedTitle)/>
        <p class="muted"><a href="/ops">{st.get(Staff::SuspendedConsole)}</a></p>
        <h1>{st.get(Staff::SuspendedTitle)}</h1>
        <FormError error=error/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(items) if items.is_empty() => view! { <p>{st.get(Staff::SuspendedNothing)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="cards">
                            {items.into_iter().map(|i| view! {
                                <li class="card">
                                    <h2>{format!("{} · {}", i.reference, i.device)}</h2>
                                    <p>{st.fill(Staff::SuspendedItem, &[("seller", &i.seller), ("reason", &i.reason), ("since", &i.since)])}</p>
                                    <PageForm action=decide class="form" key=i.id.to_string()>

                                        <input type="hidden" name="id" value=i.id.to_string()/>
                                        <TextField label=st.get(Staff::SuspendedDecisionReason) name="reason"/>
                                        <div class="actions">
                                            <button type="submit" name="decision" value="resume" class="button primary">{st.get(Staff::SuspendedResume)}</button>
                                            <button type="submit" name="decision" value="return" class="button">{st.get(Staff::SuspendedReturn)}</button>
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
