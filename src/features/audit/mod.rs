//! The audit log (`/ops/audit`): every ops action and every trade-in state
//! change, newest first, searchable by trade-in reference, user email or
//! refurbisher name.

#[cfg(feature = "ssr")]
pub mod repo;

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub trade_in: String,
    pub seller: String,
    pub detail: String,
}

#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn search_audit_log(
    reference: Option<String>,
    email: Option<String>,
    seller: Option<String>,
) -> Result<Vec<AuditLine>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).unwrap_or_default();
    let (reference, email, seller) = (
        clean(reference).to_uppercase(),
        clean(email).to_lowercase(),
        clean(seller),
    );
    if reference.len() > 40 || email.len() > 200 || seller.len() > 100 {
        return Err(AppError::invalid("q", "Search terms are too long."));
    }
    Ok(
        crate::features::audit::repo::search(g.state.db.pool(), &reference, &email, &seller, 300)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|r| AuditLine {
                at: crate::ui::format_when(r.at),
                actor: r.actor,
                action: r.action,
                trade_in: r.trade_in.unwrap_or_default(),
                seller: r.seller.unwrap_or_default(),
                detail: r.detail,
            })
            .collect(),
    )
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let data = crate::ui::data::load(
        move || {
            let q = query.read();
            (q.get("reference"), q.get("email"), q.get("seller"))
        },
        |(r, e, s)| search_audit_log(r, e, s),
    );
    let get = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    view! {
        <Title text="Audit log"/>
        <section>
            <p><a href="/ops">"← Operations console"</a></p>
            <h1>"Audit log"</h1>
            <form method="get" action="/ops/audit" class="filters" role="search" aria-label="Search the audit log">
                <label>"Trade-in reference" <input type="text" name="reference" value=get("reference") placeholder="TI-XXXX-XXXX"/></label>
                <label>"User email" <input type="text" name="email" value=get("email")/></label>
                <label>"Refurbisher" <input type="text" name="seller" value=get("seller")/></label>
                <button type="submit" class="button">"Search"</button>
            </form>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(lines) => view! {
                            <table class="table">
                                <caption>{format!("{} entries (newest first, at most 300)", lines.len())}</caption>
                                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Trade-in"</th><th scope="col">"Refurbisher"</th><th scope="col">"Detail"</th></tr></thead>
                                <tbody>
                                    {lines.into_iter().map(|l| view! {
                                        <tr><td>{l.at}</td><td>{l.actor}</td><td>{l.action}</td><td>{l.trade_in}</td><td>{l.seller}</td><td>{l.detail}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops/audit"/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
