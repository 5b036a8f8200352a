//! Making, listing, revoking and checking seller API tokens. A token is
//! `tik_` and 40 random letters and digits; only its SHA-256 is stored, so
//! the token is shown once, when it is made.

use crate::domain::api_token::{usable, Scopes, Unusable};
use crate::domain::audit::AuditAction;
use crate::domain::dates::DAY_MS;
use crate::domain::ids::{SellerId, UserId};
use crate::error::AppError;
pub use crate::features::api_tokens::repo::TokenRow;
use crate::features::api_tokens::repo::{self, NewToken};
use crate::features::audit::service::AuditEntry;
use crate::platform::db::db_error;
use crate::platform::state::AppState;
use sha2::Digest;

const PREFIX: &str = "tik_";
const RANDOM_CHARS: usize = 40;
/// What the list shows of a token: enough to tell two apart.
const SHOWN_CHARS: usize = PREFIX.len() + 6;

pub fn hash(token: &str) -> String {
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    use rand::Rng;
    let random: String = rand::thread_rng()
        .sample_iter(&rand::distributions::Alphanumeric)
        .take(RANDOM_CHARS)
        .map(char::from)
        .collect();
    format!("{PREFIX}{random}")
}

/// A new token for the seller; returns it, the only time it is seen.
pub async fn create(
    state: &AppState,
    seller_id: SellerId,
    user: UserId,
    name: &str,
    scopes: &Scopes,
    days: Option<i64>,
) -> Result<String, AppError> {
    let now = state.clock.now_ms();
    let token = new_token();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let id = repo::insert(
        &mut *tx,
        &NewToken {
            seller_id,
            name,
            token_hash: &hash(&token),
            prefix: &token[..SHOWN_CHARS],
            scopes: &scopes.to_string(),
            created_by: user,
            created_at: now,
            expires_at: days.map(|d| now + d * DAY_MS),
        },
    )
    .await
    .map_err(db_error)?;
    let what = format!("API token {id} \"{name}\" created ({scopes})");
    audited(tx, seller_id, user, &what, now).await?;
    Ok(token)
}

/// Records what was done to a token in the audit log and the server log,
/// in its transaction, and commits.
async fn audited(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    seller_id: SellerId,
    user: UserId,
    what: &str,
    now: i64,
) -> Result<(), AppError> {
    crate::features::audit::service::record(
        &mut *tx,
        AuditAction::ApiToken,
        &AuditEntry {
            actor_id: Some(user),
            seller_id: Some(seller_id),
            detail: what,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(seller_id = seller_id.get(), what, "API token");
    Ok(())
}

pub async fn list(state: &AppState, seller_id: SellerId) -> Result<Vec<TokenRow>, AppError> {
    repo::of_seller(state.db.pool(), seller_id)
        .await
        .map_err(db_error)
}

/// Revokes a token of this seller; NotFound for a token it does not have
/// or that no longer works.
pub async fn revoke(
    state: &AppState,
    seller_id: SellerId,
    user: UserId,
    id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let name = repo::revoke(&mut *tx, seller_id, id, now)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)?;
    audited(
        tx,
        seller_id,
        user,
        &format!("API token {id} \"{name}\" revoked"),
        now,
    )
    .await
}

/// Who a presented token speaks for.
#[derive(Clone, Debug)]
pub struct Bearer {
    pub token_id: i64,
    pub seller_id: SellerId,
    /// The refurbisher's account: whom its API writes are recorded as.
    pub user_id: UserId,
    pub scopes: Scopes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Unknown,
    Unusable(Unusable),
}

/// The token a request presents, if it works now.
pub async fn authenticate(
    state: &AppState,
    token: &str,
) -> Result<Result<Bearer, Refused>, sqlx::Error> {
    if !token.starts_with(PREFIX) || token.len() != PREFIX.len() + RANDOM_CHARS {
        return Ok(Err(Refused::Unknown));
    }
    let Some((id, seller_id, user_id, scopes, expires_at, revoked_at)) =
        repo::by_hash(state.db.pool(), &hash(token)).await?
    else {
        return Ok(Err(Refused::Unknown));
    };
    let now = state.clock.now_ms();
    if let Err(why) = usable(revoked_at, expires_at, now) {
        return Ok(Err(Refused::Unusable(why)));
    }
    let Ok(scopes) = Scopes::parse(&scopes) else {
        return Ok(Err(Refused::Unknown));
    };
    repo::touch(state.db.pool(), id, now).await?;
    Ok(Ok(Bearer {
        token_id: id,
        seller_id,
        user_id,
        scopes,
    }))
}

/// Gives the seller of `user` this exact token with every scope unless a
/// token with its hash exists: the demo's published token.
pub async fn ensure_known(
    db: &crate::platform::db::Db,
    user: UserId,
    name: &str,
    token: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.write_tx().await?;
    if repo::by_hash(&mut *tx, &hash(token)).await?.is_none() {
        if let Some(seller) = repo::seller_of_user(&mut *tx, user).await? {
            let all = Scopes::new(crate::domain::api_token::Scope::ALL).expect("every scope");
            repo::insert(
                &mut *tx,
                &NewToken {
                    seller_id: seller,
                    name,
                    token_hash: &hash(token),
                    prefix: &token[..SHOWN_CHARS],
                    scopes: &all.to_string(),
                    created_by: user,
                    created_at: now,
                    expires_at: None,
                },
            )
            .await?;
        }
    }
    tx.commit().await
}
