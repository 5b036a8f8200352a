//! The audit log (`/ops/audit`): every ops action and every trade-in state
//! change, newest first, searchable by trade-in reference, user email or
//! refurbisher name.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::error::AppError;
use leptos::prelude::*;
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

/// The audit log's search, as typed into the page's query: any of a
/// trade-in reference, a user's email and a refurbisher's name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSearchForm {
    pub reference: Option<String>,
    pub email: Option<String>,
    pub seller: Option<String>,
}

#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn search_audit_log(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: AuditSearchForm,
) -> Result<Vec<AuditLine>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let zone = g.zone();
    let st = crate::i18n::staff::use_staff();
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).unwrap_or_default();
    let (reference, email, seller) = (
        clean(form.reference).to_uppercase(),
        clean(form.email).to_lowercase(),
        clean(form.seller),
    );
    if reference.len() > 40 || email.len() > 200 || seller.len() > 100 {
        return Err(AppError::invalid(
            "q",
            st.get(crate::i18n::staff::Staff::AuditTooLong),
        ));
    }
    Ok(
        crate::features::audit::service::search(
            g.state.db.pool(),
            &reference,
            &email,
            &seller,
            300,
        )
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|r| AuditLine {
            at: st.moment(&zone, r.at).text,
            actor: r.actor,
            action: r.action,
            trade_in: r.trade_in.unwrap_or_default(),
            seller: r.seller.unwrap_or_default(),
            detail: r.detail,
        })
        .collect(),
    )
}
