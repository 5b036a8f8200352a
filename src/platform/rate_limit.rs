//! Limits on how often one key may do something: sign-ups from one client
//! address, sign-in links mailed to one account. Counted in the database,
//! so every instance sees the same count: each time taken is a row of
//! `rate_events`, and the count and the new row are read and written under
//! an advisory lock on the key (`db::lock`), so requests arriving together
//! cannot both take the last place.

use crate::platform::db::{lock, DbResult};
use sqlx::{AnyConnection, Row};

/// At most `max` times per `window_ms` for one key of `bucket`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Names the limit in the table and in its lock; a lowercase word.
    pub bucket: &'static str,
    pub max: i64,
    pub window_ms: i64,
}

/// Takes one place of `limit` for `key` in the caller's transaction, or
/// tells when the next place frees (the oldest counted time ages out).
pub async fn take(
    conn: &mut AnyConnection,
    limit: &Limit,
    key: &str,
    now_ms: i64,
) -> DbResult<Result<(), i64>> {
    lock(conn, &format!("rate:{}:{key}", limit.bucket)).await?;
    let row = sqlx::query(
        "SELECT COUNT(*), MIN(at) FROM rate_events WHERE bucket = $1 AND key = $2 AND at > $3",
    )
    .bind(limit.bucket)
    .bind(key)
    .bind(now_ms - limit.window_ms)
    .fetch_one(&mut *conn)
    .await?;
    let (count, oldest): (i64, Option<i64>) = (row.try_get(0)?, row.try_get(1)?);
    if count >= limit.max {
        return Ok(Err(oldest.unwrap_or(now_ms) + limit.window_ms));
    }
    sqlx::query("INSERT INTO rate_events (bucket, key, at) VALUES ($1, $2, $3)")
        .bind(limit.bucket)
        .bind(key)
        .bind(now_ms)
        .execute(conn)
        .await?;
    Ok(Ok(()))
}

/// Forgets times older than `before_ms` (housekeeping); no limit's window
/// is longer than a day.
pub async fn forget_before(conn: &mut AnyConnection, before_ms: i64) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM rate_events WHERE at < $1")
        .bind(before_ms)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
