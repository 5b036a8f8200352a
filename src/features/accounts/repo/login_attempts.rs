use crate::domain::account::lockout::{self, Failures};
use crate::platform::db::DbResult;
use sqlx::{Any, Executor, Row};

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

/// Forgets an attempt that was neither: a right password whose second
/// factor is still to come. Kept as a failure it would count against a
/// person who has not failed; turned into a success it would clear the
/// waits of someone guessing codes with a stolen password.
pub async fn forget<'c>(ex: impl Executor<'c, Database = Any>, id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM login_attempts WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// The failures `lockout::check` weighs for an attempt on `email` from
/// `ip` at `now_ms`: that pair's since it last signed in (within the
/// pair's memory), the client's on any account and the account's from any
/// client, each within its window, with the times their limits lift from.
pub async fn failures<'c>(
    ex: impl Executor<'c, Database = Any>,
    email: &str,
    ip: &str,
    now_ms: i64,
) -> DbResult<Failures> {
    const PAIR: &str = "FROM login_attempts WHERE email = $1 AND ip = $2 AND succeeded = 0 AND at > $3 \
         AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE email = $1 AND ip = $2 AND succeeded = 1), 0)";
    const CLIENT: &str = "FROM login_attempts WHERE ip = $2 AND succeeded = 0 AND at > $4";
    const ACCOUNT: &str = "FROM login_attempts WHERE email = $1 AND succeeded = 0 AND at > $5";
    let row = sqlx::query(&format!(
        "SELECT (SELECT COUNT(*) {PAIR}), (SELECT MAX(at) {PAIR}), \
                (SELECT COUNT(*) {CLIENT}), (SELECT MIN(at) {CLIENT}), \
                (SELECT COUNT(*) {ACCOUNT}), (SELECT MIN(at) {ACCOUNT})"
    ))
    .bind(email)
    .bind(ip)
    .bind(now_ms - lockout::PAIR_MEMORY_MS)
    .bind(now_ms - lockout::CLIENT_WINDOW_MS)
    .bind(now_ms - lockout::ACCOUNT_WINDOW_MS)
    .fetch_one(ex)
    .await?;
    Ok(Failures {
        pair: row.try_get(0)?,
        pair_latest_at: row.try_get(1)?,
        client: row.try_get(2)?,
        client_oldest_at: row.try_get(3)?,
        account: row.try_get(4)?,
        account_oldest_at: row.try_get(5)?,
    })
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
