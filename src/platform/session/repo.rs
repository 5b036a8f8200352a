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
    pub two_factor: bool,
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub handle: &'a str,
    pub user_agent: &'a str,
    pub client: &'a str,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    session: &NewSession<'_>,
    user_id: UserId,
    now_ms: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, handle, user_agent, client) \
         VALUES ($1, $2, $3, $4, $3, $5, $6, $7)",
    )
    .bind(session.token_hash)
    .bind(user_id)
    .bind(now_ms)
    .bind(expires_at)
    .bind(session.handle)
    .bind(session.user_agent)
    .bind(session.client)
    .execute(ex)
    .await?;
    Ok(())
}

/// The signed-in user behind a live session: unexpired, and for operations
/// used within `ops_idle_ms`.
pub async fn find_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    now_ms: i64,
    ops_idle_ms: i64,
) -> DbResult<Option<SessionUser>> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.role, u.display_name, s.last_seen_at, \
                (SELECT t.enabled_at FROM two_factor t WHERE t.user_id = u.id) AS two_factor_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND (u.role <> 'ops' OR s.last_seen_at > $3)",
    )
    .bind(token_hash)
    .bind(now_ms)
    .bind(now_ms - ops_idle_ms)
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
        two_factor: row.try_get::<Option<i64>, _>("two_factor_at")?.is_some(),
    }))
}

/// Records that a session was used.
pub async fn touch<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now_ms)
        .execute(ex)
        .await?;
    Ok(())
}

/// One of a person's live sessions, as their sessions page lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub handle: String,
    pub user_agent: String,
    pub client: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// A person's unexpired sessions, the most recently used first.
pub async fn list<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    now_ms: i64,
) -> DbResult<Vec<SessionRow>> {
    sqlx::query_as(
        "SELECT token_hash, handle, user_agent, client, created_at, last_seen_at FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(user_id)
    .bind(now_ms)
    .fetch_all(ex)
    .await
}

/// Ends one of a person's sessions by its handle; whether it was there.
pub async fn delete_by_handle<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    handle: &str,
) -> DbResult<bool> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND handle = $2")
        .bind(user_id)
        .bind(handle)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of a person but the one stored under `keep` (a
/// hash of this browser's token; none to end them all). How many ended.
pub async fn delete_all_but<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    keep: Option<&str>,
) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
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
