//! The seller API's own table: idempotency keys and the answers kept for
//! them.

use crate::platform::db::DbResult;
use sqlx::{Any, Executor};

/// Claims a key for a request; false when the key is already taken.
pub async fn claim<'c>(
    ex: impl Executor<'c, Database = Any>,
    scope: &str,
    key: &str,
    request_hash: &str,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "INSERT INTO api_idempotency (scope, idem_key, request_hash, started_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (scope, idem_key) DO NOTHING",
    )
    .bind(scope)
    .bind(key)
    .bind(request_hash)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What is kept for a key: (request hash, status, content type, body,
/// started_at).
pub type Kept = (String, Option<i64>, Option<String>, Option<String>, i64);

pub async fn kept<'c>(
    ex: impl Executor<'c, Database = Any>,
    scope: &str,
    key: &str,
) -> DbResult<Option<Kept>> {
    sqlx::query_as(
        "SELECT request_hash, status, content_type, body, started_at FROM api_idempotency WHERE scope = $1 AND idem_key = $2",
    )
    .bind(scope)
    .bind(key)
    .fetch_optional(ex)
    .await
}

/// Takes over a key whose request never finished (its instance stopped)
/// or whose answer is older than the keys are kept: true when this request
/// now holds it.
pub async fn take_over<'c>(
    ex: impl Executor<'c, Database = Any>,
    scope: &str,
    key: &str,
    request_hash: &str,
    abandoned_before: i64,
    expired_before: i64,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE api_idempotency SET request_hash = $3, status = NULL, content_type = NULL, body = NULL, started_at = $6 \
         WHERE scope = $1 AND idem_key = $2 \
           AND ((status IS NULL AND started_at < $4) OR started_at < $5)",
    )
    .bind(scope)
    .bind(key)
    .bind(request_hash)
    .bind(abandoned_before)
    .bind(expired_before)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn keep<'c>(
    ex: impl Executor<'c, Database = Any>,
    scope: &str,
    key: &str,
    status: i64,
    content_type: &str,
    body: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE api_idempotency SET status = $3, content_type = $4, body = $5 WHERE scope = $1 AND idem_key = $2",
    )
    .bind(scope)
    .bind(key)
    .bind(status)
    .bind(content_type)
    .bind(body)
    .execute(ex)
    .await?;
    Ok(())
}

/// Lets a key be used again (the request failed on our side).
pub async fn release<'c>(
    ex: impl Executor<'c, Database = Any>,
    scope: &str,
    key: &str,
) -> DbResult<()> {
    sqlx::query("DELETE FROM api_idempotency WHERE scope = $1 AND idem_key = $2")
        .bind(scope)
        .bind(key)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn forget_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    before: i64,
) -> DbResult<u64> {
    Ok(
        sqlx::query("DELETE FROM api_idempotency WHERE started_at < $1")
            .bind(before)
            .execute(ex)
            .await?
            .rows_affected(),
    )
}

/// Counts one more request of `scope` in the window; returns the count.
pub async fn count_request<'c>(
    ex: impl Executor<'c, Database = Any>,
    scope: &str,
    window_start: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO api_rate_windows (scope, window_start, requests) VALUES ($1, $2, 1) \
         ON CONFLICT (scope, window_start) DO UPDATE SET requests = api_rate_windows.requests + 1 \
         RETURNING requests",
    )
    .bind(scope)
    .bind(window_start)
    .fetch_one(ex)
    .await
}

pub async fn forget_windows_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    before: i64,
) -> DbResult<u64> {
    Ok(
        sqlx::query("DELETE FROM api_rate_windows WHERE window_start < $1")
            .bind(before)
            .execute(ex)
            .await?
            .rows_affected(),
    )
}
