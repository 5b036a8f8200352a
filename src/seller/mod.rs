//! The refurbisher area. Its home shows the company's standing; the price
//! grid, orders and KPIs grow here.

pub mod orders;

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerOverview {
    pub company: String,
    pub status: String,
    pub paused: bool,
    pub listings: i64,
    pub city: String,
    pub country: String,
}

#[server(prefix = "/api", endpoint = "seller_overview")]
pub async fn load_seller_overview() -> Result<SellerOverview, AppError> {
    use crate::domain::account::Role;
    use crate::server::api::{guard, Access, OrInternal};
    use crate::server::repo::sellers;
    let g = guard(Access::Role(Role::Seller)).await?;
    let user = g.user()?;
    let found = sellers::overview_for_user(g.state.db.pool(), user.id).await.or_internal(&g)?;
    let s = found.ok_or(AppError::NotFound)?;
    Ok(SellerOverview { company: s.company, status: s.status, paused: s.paused, listings: s.listings, city: s.city, country: s.country })
}

#[component]
pub fn SellerHome() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_seller_overview());
    view! {
        <Title text="Refurbisher area"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(s) => view! {
                        <section>
                            <h1>{s.company.clone()}</h1>
                            <p class="muted">{format!("Warehouse: {}, {}", s.city, s.country)}</p>
                            {(s.status != "approved").then(|| view! {
                                <div class="notice warning" role="status">
                                    <p>"Your account is awaiting approval by our operations team. You can prepare prices now; they compete for devices once you are approved."</p>
                                </div>
                            })}
                            <p class="actions"><a class="button primary" href="/seller/orders">"Orders"</a></p>
                            <dl class="stats">
                                <div><dt>"Status"</dt><dd>{s.status.clone()}</dd></div>
                                <div><dt>"Buying"</dt><dd>{if s.paused { "paused" } else { "active" }}</dd></div>
                                <div><dt>"Prices set"</dt><dd>{s.listings}</dd></div>
                            </dl>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
