//! Suspended trade-ins waiting for an operations decision.

use crate::error::AppError;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspendedItem {
    pub id: i64,
    pub reference: String,
    pub seller: String,
    pub device: String,
    pub reason: String,
    pub since: String,
}

#[server(prefix = "/api", endpoint = "ops_suspended")]
pub async fn load_ops_suspended() -> Result<Vec<SuspendedItem>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let rows = crate::features::orders::repo::suspended(g.state.db.pool())
        .await
        .or_internal(&g)?;
    Ok(rows
        .into_iter()
        .map(|r| SuspendedItem {
            id: r.id,
            reference: r.reference,
            seller: r.seller_name,
            device: r.device,
            reason: crate::domain::sla::SuspendReason::parse(&r.reason)
                .map(|x| x.label().to_string())
                .unwrap_or(r.reason),
            since: crate::domain::dates::Date::from_unix_ms(r.updated_at).to_string(),
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "ops_decide_suspended")]
pub async fn ops_decide_suspended(
    id: i64,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let resume = match decision.as_str() {
        "resume" => true,
        "return" => false,
        _ => {
            return Err(AppError::invalid(
                "decision",
                "choose to resume the inspection or return the device",
            ))
        }
    };
    crate::features::orders::service::ops_decide(&g.state, g.user()?.id, id, resume, &reason).await
}

#[component]
pub fn OpsSuspendedPage() -> impl IntoView {
    let decide = ServerAction::<OpsDecideSuspended>::new();
    let data = crate::ui::data::load(move || decide.version().get(), |_| load_ops_suspended());
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
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
                                    <ActionForm action=decide attr:class="form">
                                        <input type="hidden" name="id" value=i.id.to_string()/>
                                        <TextField label="Reason for the decision" name="reason" error=Signal::derive(move || error.get().and_then(|e| e.field("reason")))/>
                                        <div class="actions">
                                            <button type="submit" name="decision" value="resume" class="button primary">"Resume inspection"</button>
                                            <button type="submit" name="decision" value="return" class="button">"Return to customer"</button>
                                        </div>
                                    </ActionForm>
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
