use crate::platform::db::DbResult;
use sqlx::{Any, Executor};

/// Records an attempt as failed before its password is checked, so that
/// attempts running at the same time count each other; `succeeded` turns
/// it around once the password matched.
pub async fn record_failure<'c>(
    ex: impl Executor<'c, Database = Any>,
    email: &str,
    ip: &str,
    now_ms: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO login_attempts (email, ip, succeeded, at) VALUES ($1, $2, 0, $3) RETURNING id",
    )
    .bind(email)
    .bind(ip)
    .bind(now_ms)
    .fetch_one(ex)
    .await
}

pub async fn succeeded<'c>(ex: impl Executor<'c, Database = Any>, id: i64) -> DbResult<()> {
    sqlx::query("UPDATE login_attempts SET succeeded = 1 WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Failed attempts on an account since `since_ms`, not counting those
/// before its last successful sign-in.
pub async fn recent_failures_for_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    email: &str,
    since_ms: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts \
         WHERE email = $1 AND succeeded = 0 AND at > $2 \
           AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE email = $1 AND succeeded = 1), 0)",
    )
    .bind(email)
    .bind(since_ms)
    .fetch_one(ex)
    .await
}

pub async fn recent_failures_for_ip<'c>(
    ex: impl Executor<'c, Database = Any>,
    ip: &str,
    since_ms: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND succeeded = 0 AND at > $2",
    )
    .bind(ip)
    .bind(since_ms)
    .fetch_one(ex)
    .await
}

/// The oldest failure still inside the window: the lock lifts when it ages out.
pub async fn oldest_failure_since<'c>(
    ex: impl Executor<'c, Database = Any>,
    column_is_email: bool,
    key: &str,
    since_ms: i64,
) -> DbResult<Option<i64>> {
    let sql = if column_is_email {
        "SELECT MIN(at) FROM login_attempts WHERE email = $1 AND succeeded = 0 AND at > $2"
    } else {
        "SELECT MIN(at) FROM login_attempts WHERE ip = $1 AND succeeded = 0 AND at > $2"
    };
    sqlx::query_scalar(sql)
        .bind(key)
        .bind(since_ms)
        .fetch_one(ex)
        .await
}

pub async fn delete_older_than<'c>(
    ex: impl Executor<'c, Database = Any>,
    before_ms: i64,
) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM login_attempts WHERE at < $1")
        .bind(before_ms)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}
