//! The audit log page, searchable by trade-in, user and refurbisher.

use super::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let data = crate::ui::data::load(
        move || {
            let q = query.read();
            AuditSearchForm {
                reference: q.get("reference"),
                email: q.get("email"),
                seller: q.get("seller"),
            }
        },
        search_audit_log,
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
