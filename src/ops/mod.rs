//! The operations console (role `ops` only). Its home shows the size of the
//! marketplace; KPIs, alerts, fraud review and disputes grow here.

pub mod suspended;

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpsOverview {
    pub customers: i64,
    pub sellers_approved: i64,
    pub sellers_pending: i64,
    pub listings: i64,
    pub models: i64,
    pub variants: i64,
}

#[server(prefix = "/api", endpoint = "ops_overview")]
pub async fn load_ops_overview() -> Result<OpsOverview, AppError> {
    use crate::domain::account::Role;
    use crate::server::api::{guard, Access, OrInternal};
    use crate::server::repo::{catalog, sellers};
    let g = guard(Access::Role(Role::Ops)).await?;
    let pool = g.state.db.pool();
    let m = sellers::marketplace_counts(pool).await.or_internal(&g)?;
    let size = catalog::size(pool).await.or_internal(&g)?;
    Ok(OpsOverview {
        customers: m.customers,
        sellers_approved: m.sellers_approved,
        sellers_pending: m.sellers_pending,
        listings: m.listings,
        models: size.models,
        variants: size.variants,
    })
}

#[component]
pub fn OpsHome() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_ops_overview());
    view! {
        <Title text="Operations"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <section>
                            <h1>"Operations console"</h1>
                            <p class="actions"><a class="button" href="/ops/suspended">"Suspended trade-ins"</a></p>
                            <dl class="stats">
                                <div><dt>"Consumers"</dt><dd>{o.customers}</dd></div>
                                <div><dt>"Approved refurbishers"</dt><dd>{o.sellers_approved}</dd></div>
                                <div><dt>"Awaiting approval"</dt><dd>{o.sellers_pending}</dd></div>
                                <div><dt>"Prices listed"</dt><dd>{o.listings}</dd></div>
                                <div><dt>"Catalog models"</dt><dd>{o.models}</dd></div>
                                <div><dt>"Variants"</dt><dd>{o.variants}</dd></div>
                            </dl>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
