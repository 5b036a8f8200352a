use crate::domain::account::Role;
use crate::domain::ids::UserId;
use crate::platform::db::DbResult;
use sqlx::{Any, Executor, Row};

#[derive(Clone, Debug)]
pub struct SessionUser {
    pub user_id: UserId,
    pub email: String,
    pub role: Role,
    pub display_name: String,
    pub last_seen_at: i64,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    user_id: UserId,
    now_ms: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now_ms)
    .bind(expires_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// The signed-in user behind a live (unexpired) session.
pub async fn find_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    now_ms: i64,
) -> DbResult<Option<SessionUser>> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.role, u.display_name, s.last_seen_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(ex)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let role: String = row.try_get("role")?;
    Ok(Some(SessionUser {
        user_id: row.try_get("id")?,
        email: row.try_get("email")?,
        role: Role::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
        display_name: row.try_get("display_name")?,
        last_seen_at: row.try_get("last_seen_at")?,
    }))
}

/// Slides the expiry forward for an active session.
pub async fn touch<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    now_ms: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now_ms)
        .bind(expires_at)
        .execute(ex)
        .await?;
    Ok(())
}

/// Deletes the session stored under any of `token_hashes` (one token's
/// hashes under each accepted secret).
pub async fn delete<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hashes: &[String],
) -> DbResult<bool> {
    let list = (1..=token_hashes.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("DELETE FROM sessions WHERE token_hash IN ({list})");
    let mut query = sqlx::query(&sql);
    for hash in token_hashes {
        query = query.bind(hash);
    }
    let done = query.execute(ex).await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_expired<'c>(
    ex: impl Executor<'c, Database = Any>,
    now_ms: i64,
) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now_ms)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}
