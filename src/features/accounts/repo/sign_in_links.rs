use crate::domain::ids::UserId;
use crate::platform::db::DbResult;
use sqlx::{Any, Executor};

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    token_hash: &str,
    now_ms: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO sign_in_links (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(now_ms)
    .bind(expires_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Uses the link with this token hash if it is unused and unexpired: one
/// guarded update, so two clicks at once sign in once. Its user's id.
pub async fn use_once<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    now_ms: i64,
) -> DbResult<Option<i64>> {
    sqlx::query_scalar(
        "UPDATE sign_in_links SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
    )
    .bind(now_ms)
    .bind(token_hash)
    .fetch_optional(ex)
    .await
}

pub async fn delete_expired_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    before_ms: i64,
) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM sign_in_links WHERE expires_at < $1")
        .bind(before_ms)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}
