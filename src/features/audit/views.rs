//! The audit log page, searchable by trade-in, user and refurbisher.

use super::*;
use crate::i18n::staff::{use_staff, Staff};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let st = use_staff();
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
        <Title text=st.get(Staff::AuditTitle)/>
        <section>
            <p><a href="/ops">{st.get(Staff::OpsDashboardBack)}</a></p>
            <h1>{st.get(Staff::AuditTitle)}</h1>
            <form method="get" action="/ops/audit" class="filters" role="search" aria-label=st.get(Staff::AuditSearch)>
                <label>{st.get(Staff::AuditReference)} <input type="text" name="reference" value=get("reference") placeholder="TI-XXXX-XXXX"/></label>
                <label>{st.get(Staff::AuditEmail)} <input type="text" name="email" value=get("email")/></label>
                <label>{st.get(Staff::AuditRefurbisher)} <input type="text" name="seller" value=get("seller")/></label>
                <button type="submit" class="button">{st.get(Staff::AuditSubmit)}</button>
            </form>
            <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(lines) => view! {
                            <table class="table">
                                <caption>{st.fill(Staff::AuditEntries, &[("n", &lines.len())])}</caption>
                                <thead><tr><th scope="col">{st.get(Staff::AuditWhen)}</th><th scope="col">{st.get(Staff::AuditWho)}</th><th scope="col">{st.get(Staff::AuditWhat)}</th><th scope="col">{st.get(Staff::AuditTradeIn)}</th><th scope="col">{st.get(Staff::AuditRefurbisher)}</th><th scope="col">{st.get(Staff::AuditDetail)}</th></tr></thead>
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
