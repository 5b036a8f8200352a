//! Emailed one-use links: verify an address, reset a password, confirm a
//! new address. Only a keyed hash of each token is stored.

use crate::domain::account::LinkPurpose;
use crate::domain::ids::UserId;
use crate::platform::db::DbResult;
use sqlx::{Any, Executor};

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    purpose: LinkPurpose,
    token_hash: &str,
    new_email: Option<&str>,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO account_links (user_id, purpose, token_hash, new_email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(purpose.code())
    .bind(token_hash)
    .bind(new_email)
    .bind(now_ms)
    .bind(now_ms + purpose.lifetime_ms())
    .execute(ex)
    .await?;
    Ok(())
}

/// Uses the link with this token hash and purpose if it is unused and
/// unexpired: one guarded update, so two clicks at once use it once. Its
/// user's id and, to change an address, the new one.
pub async fn use_once<'c>(
    ex: impl Executor<'c, Database = Any>,
    purpose: LinkPurpose,
    token_hash: &str,
    now_ms: i64,
) -> DbResult<Option<(UserId, Option<String>)>> {
    sqlx::query_as(
        "UPDATE account_links SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, new_email",
    )
    .bind(now_ms)
    .bind(token_hash)
    .bind(purpose.code())
    .fetch_optional(ex)
    .await
}

/// The user of a live link, without using it (to check a new password
/// before the slow hashing, outside the write).
pub async fn peek<'c>(
    ex: impl Executor<'c, Database = Any>,
    purpose: LinkPurpose,
    token_hash: &str,
    now_ms: i64,
) -> DbResult<Option<UserId>> {
    sqlx::query_scalar(
        "SELECT user_id FROM account_links \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose.code())
    .bind(now_ms)
    .fetch_optional(ex)
    .await
}

/// Retires a person's unused links of one purpose (a newer one was sent,
/// or what they were for was done another way).
pub async fn retire<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    purpose: LinkPurpose,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE account_links SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
    )
    .bind(user_id)
    .bind(purpose.code())
    .bind(now_ms)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn delete_expired_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    before_ms: i64,
) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM account_links WHERE expires_at < $1")
        .bind(before_ms)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}
