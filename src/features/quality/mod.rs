//! A refurbisher's scorecard as the quality page shows it.

#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::domain::ids::SellerId;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub seller_id: SellerId,
    pub company: String,
    pub status: crate::domain::seller::SellerStatus,
    /// Trade-ins accepted in the window.
    pub volume: i64,
    pub counter_offer_rate: String,
    pub counter_accept_rate: String,
    pub inspection_sla: String,
    pub payment_sla: String,
    pub disputes: i64,
    pub quality_score: i64,
    /// What the score would be from this scorecard (None: too little volume).
    pub computed_score: Option<i64>,
}

#[server(prefix = "/api", endpoint = "scorecards")]
pub async fn load_scorecards() -> Result<Vec<Scorecard>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    crate::features::quality::service::scorecards(&g.state, crate::i18n::staff::use_staff()).await
}

#[server(prefix = "/api", endpoint = "quality_recompute")]
pub async fn recompute_scores() -> Result<usize, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    crate::features::quality::service::recompute(&g.state, Some(g.user()?.id)).await
}

/// Suspending or reinstating a refurbisher: which one, "suspend" or
/// "reinstate", and why. Text as posted: a flattened form's fields reach
/// serde as strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionForm {
    pub seller_id: String,
    pub suspend: String,
    pub reason: String,
}

#[server(prefix = "/api", endpoint = "seller_suspension")]
pub async fn set_seller_suspended(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: SuspensionForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let seller_id: SellerId = AppError::posted_id(&form.seller_id, "a refurbisher")?;
    let action = crate::domain::seller::QualityAction::parse(&form.suspend).ok_or_else(|| {
        AppError::invalid(
            "suspend",
            crate::i18n::staff::use_staff()
                .get(crate::i18n::staff::Staff::QualitySuspendOrReinstate),
        )
    })?;
    crate::features::quality::service::set_suspended(
        &g.state,
        g.user()?.id,
        seller_id,
        action,
        &form.reason,
    )
    .await
}
