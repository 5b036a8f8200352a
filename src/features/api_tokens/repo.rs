use crate::domain::ids::{SellerId, UserId};
use crate::platform::db::DbResult;
use sqlx::{Any, Executor};

pub struct NewToken<'a> {
    pub seller_id: SellerId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub prefix: &'a str,
    pub scopes: &'a str,
    pub created_by: UserId,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

pub async fn insert<'c>(ex: impl Executor<'c, Database = Any>, t: &NewToken<'_>) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO api_tokens (seller_id, name, token_hash, prefix, scopes, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(t.seller_id)
    .bind(t.name)
    .bind(t.token_hash)
    .bind(t.prefix)
    .bind(t.scopes)
    .bind(t.created_by)
    .bind(t.created_at)
    .bind(t.expires_at)
    .fetch_one(ex)
    .await
}

/// (id, name, prefix, scopes, created_at, expires_at, revoked_at,
/// last_used_at), newest first.
pub type TokenRow = (
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

pub async fn of_seller<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
) -> DbResult<Vec<TokenRow>> {
    sqlx::query_as(
        "SELECT id, name, prefix, scopes, created_at, expires_at, revoked_at, last_used_at \
         FROM api_tokens WHERE seller_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(seller_id)
    .fetch_all(ex)
    .await
}

/// Revokes one of this seller's tokens; false when it has no such token
/// still working.
pub async fn revoke<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    id: i64,
    now: i64,
) -> DbResult<Option<String>> {
    sqlx::query_scalar(
        "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND seller_id = $2 AND revoked_at IS NULL RETURNING name",
    )
    .bind(id)
    .bind(seller_id)
    .bind(now)
    .fetch_optional(ex)
    .await
}

/// The token with this hash: (id, seller id, the seller's user, scopes,
/// expires_at, revoked_at).
pub async fn by_hash<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
) -> DbResult<Option<(i64, SellerId, UserId, String, Option<i64>, Option<i64>)>> {
    sqlx::query_as(
        "SELECT t.id, t.seller_id, s.user_id, t.scopes, t.expires_at, t.revoked_at \
         FROM api_tokens t JOIN sellers s ON s.id = t.seller_id WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(ex)
    .await
}

/// Marks a token used, at most once a minute: a busy integration should not
/// write on every call.
pub async fn touch<'c>(ex: impl Executor<'c, Database = Any>, id: i64, now: i64) -> DbResult<()> {
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(id)
    .bind(now)
    .bind(now - 60_000)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn seller_of_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    user: UserId,
) -> DbResult<Option<SellerId>> {
    sqlx::query_scalar("SELECT id FROM sellers WHERE user_id = $1")
        .bind(user)
        .fetch_optional(ex)
        .await
}
