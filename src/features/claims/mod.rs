//! Customer-care claims: a consumer opens one from a trade-in's page; the
//! claim's page (`/claims/:id`) is shared by the consumer, the refurbisher
//! and operations, who write on it; operations resolve it there.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::domain::ids::{ClaimId, TradeInId};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimSummary {
    pub id: ClaimId,
    pub kind: String,
    pub state: crate::domain::claims::ClaimState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeInClaims {
    pub claims: Vec<ClaimSummary>,
    /// (code, label) of the claims that can be opened now.
    pub kinds: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "trade_in_claims")]
pub async fn load_trade_in_claims(trade_in_id: TradeInId) -> Result<TradeInClaims, AppError> {
    use crate::domain::claims::ClaimKind;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::SignedIn).await?;
    let t = crate::features::trade_ins::service::owned(&g.state, g.user()?.id, trade_in_id).await?;
    // The consumer's trade-in page's language (`i18n::document_market`).
    let texts = crate::i18n::Texts::of(crate::i18n::document_market());
    let claims: Vec<ClaimSummary> =
        crate::features::claims::service::for_trade_in(g.state.db.pool(), trade_in_id)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|c| ClaimSummary {
                id: c.id,
                kind: texts.claim_kind(c.kind).to_string(),
                state: c.state,
            })
            .collect();
    let open = claims
        .iter()
        .any(|c| c.state == crate::domain::claims::ClaimState::Open);
    let kinds = if open {
        vec![]
    } else {
        ClaimKind::ALL
            .into_iter()
            .filter(|k| k.allowed_in(t.state))
            .map(|k| (k.code().to_string(), texts.claim_kind(k).to_string()))
            .collect()
    };
    Ok(TradeInClaims { claims, kinds })
}

/// Opening a claim: the trade-in, the kind of problem and what happened.
/// Text as posted: a flattened form's fields reach serde as strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenClaimForm {
    pub trade_in_id: String,
    pub kind: String,
    pub message: String,
}

#[server(prefix = "/api", endpoint = "open_claim")]
pub async fn open_claim(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: OpenClaimForm,
) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let trade_in_id: TradeInId = AppError::posted_id(&form.trade_in_id, "a trade-in")?;
    let id = crate::features::claims::service::open(
        &g.state,
        g.user()?,
        trade_in_id,
        &form.kind,
        &form.message,
    )
    .await?;
    leptos_axum::redirect(&format!("/claims/{id}"));
    Ok(())
}

/// A trade-in's claims for `ClaimBox`, loaded beside the trade-in by the
/// page (created inside the page's `<Suspense>` it could stall the
/// response: see `ui::errors::provide_request_reference`).
pub type ClaimsResource = crate::ui::data::Data<Result<TradeInClaims, AppError>>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimView {
    pub id: ClaimId,
    pub reference: String,
    pub trade_in_id: TradeInId,
    pub customer_email: String,
    pub seller: String,
    pub kind: crate::domain::claims::ClaimKind,
    pub state: crate::domain::claims::ClaimState,
    pub trade_in_state: crate::domain::tradein::State,
    pub outcome: Option<crate::domain::claims::Outcome>,
    pub resolution: String,
    /// (author, role, text, when)
    pub messages: Vec<(String, String, String, String)>,
    /// Outcomes operations can choose now (code, label); empty for others.
    pub outcomes: Vec<(String, String)>,
    pub viewer_is_ops: bool,
}

#[server(prefix = "/api", endpoint = "claim")]
pub async fn load_claim(id: ClaimId) -> Result<ClaimView, AppError> {
    use crate::domain::account::Role;
    use crate::domain::claims::Outcome;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::SignedIn).await?;
    let zone = g.zone();
    let user = g.user()?;
    let c = crate::features::claims::service::visible(&g.state, user, id).await?;
    let messages = crate::features::claims::service::messages(g.state.db.pool(), id)
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|(who, role, body, at)| (who, role, body, zone.when(at)))
        .collect();
    let is_ops = user.role == Role::Ops;
    let outcomes = if is_ops && c.state == crate::domain::claims::ClaimState::Open {
        Outcome::allowed(c.kind, c.trade_in_state)
            .into_iter()
            .map(|o| (o.code().to_string(), o.label().to_string()))
            .collect()
    } else {
        vec![]
    };
    Ok(ClaimView {
        id: c.id,
        reference: c.reference,
        trade_in_id: c.trade_in_id,
        customer_email: if is_ops {
            c.customer_email
        } else {
            String::new()
        },
        seller: c.seller,
        kind: c.kind,
        state: c.state,
        trade_in_state: c.trade_in_state,
        outcome: c.outcome,
        resolution: c.resolution,
        messages,
        outcomes,
        viewer_is_ops: is_ops,
    })
}

/// A message on a claim's page. Text as posted: a flattened form's fields
/// reach serde as strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimMessageForm {
    pub claim_id: String,
    pub body: String,
}

#[server(prefix = "/api", endpoint = "claim_message")]
pub async fn post_claim_message(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: ClaimMessageForm,
) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let claim_id = AppError::posted_id::<ClaimId>(&form.claim_id, "a claim")?;
    crate::features::claims::service::post(&g.state, g.user()?, claim_id, &form.body).await
}

/// Operations' decision on a claim: the outcome chosen and the note sent to
/// the consumer. Text as posted, as for `ClaimMessageForm`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveClaimForm {
    pub claim_id: String,
    pub outcome: String,
    pub note: String,
}

#[server(prefix = "/api", endpoint = "claim_resolve")]
pub async fn resolve_claim(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: ResolveClaimForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let claim_id = AppError::posted_id::<ClaimId>(&form.claim_id, "a claim")?;
    crate::features::claims::service::resolve(
        &g.state,
        g.user()?.id,
        claim_id,
        &form.outcome,
        &form.note,
    )
    .await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimLine {
    pub id: ClaimId,
    pub reference: String,
    pub kind: crate::domain::claims::ClaimKind,
    pub customer_email: String,
    pub seller: String,
    pub state: crate::domain::claims::ClaimState,
    pub opened: String,
    pub outcome: Option<crate::domain::claims::Outcome>,
}

#[server(prefix = "/api", endpoint = "claims_queue")]
pub async fn load_claims_queue() -> Result<Vec<ClaimLine>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let zone = g.zone();
    let st = crate::i18n::staff::use_staff();
    Ok(
        crate::features::claims::service::queue(g.state.db.pool(), 200)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|c| ClaimLine {
                id: c.id,
                kind: c.kind,
                outcome: c.outcome,
                reference: c.reference,
                customer_email: c.customer_email,
                seller: c.seller,
                state: c.state,
                opened: st.moment(&zone, c.created_at).text,
            })
            .collect(),
    )
}
