//! A refurbisher's tokens for the seller API (`/seller/api`): made with a
//! name, scopes and an optional lifetime, shown once, listed with when
//! each was last used, revoked with a button.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    /// The token's first characters, then an ellipsis.
    pub shown: String,
    pub scopes: String,
    pub created: String,
    pub expires: Option<String>,
    pub last_used: Option<String>,
    pub state: TokenState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

/// The new-token form, as posted: a checkbox per scope.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenForm {
    pub name: String,
    pub days: Option<String>,
    pub listings_read: Option<String>,
    pub listings_write: Option<String>,
    pub orders_read: Option<String>,
    pub orders_write: Option<String>,
    pub webhooks_manage: Option<String>,
}

#[server(prefix = "/api", endpoint = "api_tokens")]
pub async fn load_api_tokens() -> Result<Vec<TokenView>, AppError> {
    use crate::domain::account::Role;
    use crate::domain::api_token::{usable, Unusable};
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = crate::features::sellers::service::signed_in(&g).await?;
    let st = crate::i18n::staff::use_staff();
    let zone = g.zone();
    let now = g.state.clock.now_ms();
    Ok(crate::features::api_tokens::service::list(&g.state, seller)
        .await?
        .into_iter()
        .map(
            |(id, name, prefix, scopes, created, expires, revoked, last_used)| TokenView {
                id,
                name,
                shown: format!("{prefix}…"),
                scopes,
                created: st.moment(&zone, created).text,
                expires: expires.map(|at| st.moment(&zone, at).text),
                last_used: last_used.map(|at| st.moment(&zone, at).text),
                state: match usable(revoked, expires, now) {
                    Ok(()) => TokenState::Active,
                    Err(Unusable::Expired) => TokenState::Expired,
                    Err(Unusable::Revoked) => TokenState::Revoked,
                },
            },
        )
        .collect())
}

/// Makes a token; the answer is the token itself, never shown again.
#[server(prefix = "/api", endpoint = "create_api_token")]
pub async fn create_api_token(#[server(flatten)] form: TokenForm) -> Result<String, AppError> {
    use crate::domain::account::Role;
    use crate::domain::api_token::{lifetime_days, token_name, Scope, Scopes};
    use crate::error::FieldErrors;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = crate::features::sellers::service::signed_in(&g).await?;
    let st = crate::i18n::staff::use_staff();
    let mut errors = FieldErrors::new();
    let name = errors.check(
        "name",
        token_name(&form.name).map_err(|e| views::token_error(st, &e)),
    );
    let days = errors.check(
        "days",
        lifetime_days(form.days.as_deref().unwrap_or_default())
            .map_err(|e| views::token_error(st, &e)),
    );
    let ticked = [
        (form.listings_read.is_some(), Scope::ListingsRead),
        (form.listings_write.is_some(), Scope::ListingsWrite),
        (form.orders_read.is_some(), Scope::OrdersRead),
        (form.orders_write.is_some(), Scope::OrdersWrite),
        (form.webhooks_manage.is_some(), Scope::WebhooksManage),
    ];
    let scopes = errors.check(
        "scopes",
        Scopes::new(ticked.into_iter().filter(|(on, _)| *on).map(|(_, s)| s))
            .map_err(|e| views::token_error(st, &e)),
    );
    errors.into_result()?;
    let (Some(name), Some(days), Some(scopes)) = (name, days, scopes) else {
        unreachable!("every field was checked");
    };
    crate::features::api_tokens::service::create(
        &g.state,
        seller,
        g.user()?.id,
        &name,
        &scopes,
        days,
    )
    .await
}

#[server(prefix = "/api", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = crate::features::sellers::service::signed_in(&g).await?;
    let id: i64 = AppError::posted_id(&id, "a token")?;
    crate::features::api_tokens::service::revoke(&g.state, seller, g.user()?.id, id).await
}
