//! Authenticator secrets, recovery codes and half-done sign-ins.

use crate::domain::ids::UserId;
use crate::platform::db::DbResult;
use sqlx::{Any, AnyConnection, Executor, Row};

/// An account's row: sealed values, as stored.
#[derive(Clone, Debug, Default)]
pub struct TwoFactorRow {
    pub secret: Option<String>,
    pub enabled_at: Option<i64>,
    pub pending_secret: Option<String>,
    pub fresh_codes: Option<String>,
    pub fresh_codes_at: Option<i64>,
}

pub async fn find<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<Option<TwoFactorRow>> {
    let row = sqlx::query(
        "SELECT secret, enabled_at, pending_secret, fresh_codes, fresh_codes_at \
         FROM two_factor WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(ex)
    .await?;
    row.map(|r| {
        Ok(TwoFactorRow {
            secret: r.try_get(0)?,
            enabled_at: r.try_get(1)?,
            pending_secret: r.try_get(2)?,
            fresh_codes: r.try_get(3)?,
            fresh_codes_at: r.try_get(4)?,
        })
    })
    .transpose()
}

/// A new secret waiting for its first code (any earlier one is replaced).
pub async fn set_pending<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    sealed: &str,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO two_factor (user_id, pending_secret, pending_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET pending_secret = excluded.pending_secret, pending_at = excluded.pending_at",
    )
    .bind(user_id)
    .bind(sealed)
    .bind(now_ms)
    .execute(ex)
    .await?;
    Ok(())
}

/// Turns the pending secret into the account's, if it is still the one
/// that was checked (two tabs could have started over); false otherwise.
pub async fn enable<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    pending: &str,
    step: i64,
    now_ms: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE two_factor SET secret = pending_secret, enabled_at = $3, last_step = $4, \
             pending_secret = NULL, pending_at = NULL \
         WHERE user_id = $1 AND pending_secret = $2",
    )
    .bind(user_id)
    .bind(pending)
    .bind(now_ms)
    .bind(step)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives an account without two-factor sign-in a known secret (demo
/// accounts, whose secret is published); an account that has a row keeps it.
pub async fn insert_secret<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    sealed: &str,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO two_factor (user_id, secret, enabled_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(sealed)
    .bind(now_ms)
    .execute(ex)
    .await?;
    Ok(())
}

/// Records that the code of `step` was used: false when it, or a later
/// one, already was (the same code typed twice, or two sign-ins racing
/// with one code). One guarded update, so only one of them wins.
pub async fn use_step<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    step: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE two_factor SET last_step = $2 \
         WHERE user_id = $1 AND last_step < $2 AND enabled_at IS NOT NULL",
    )
    .bind(user_id)
    .bind(step)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Recovery codes to show once (sealed), or none.
pub async fn set_fresh_codes<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    sealed: Option<&str>,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE two_factor SET fresh_codes = $2, fresh_codes_at = $3 WHERE user_id = $1")
        .bind(user_id)
        .bind(sealed)
        .bind(sealed.map(|_| now_ms))
        .execute(ex)
        .await?;
    Ok(())
}

/// Forgets recovery codes waiting to be shown since before `before`.
pub async fn forget_fresh_codes_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    before_ms: i64,
) -> DbResult<u64> {
    let done = sqlx::query(
        "UPDATE two_factor SET fresh_codes = NULL, fresh_codes_at = NULL WHERE fresh_codes_at < $1",
    )
    .bind(before_ms)
    .execute(ex)
    .await?;
    Ok(done.rows_affected())
}

/// Every sealed value: (user id, secret, pending secret, fresh codes).
pub async fn all_sealed<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> DbResult<Vec<(UserId, Option<String>, Option<String>, Option<String>)>> {
    sqlx::query_as(
        "SELECT user_id, secret, pending_secret, fresh_codes FROM two_factor ORDER BY user_id",
    )
    .fetch_all(ex)
    .await
}

/// Replaces the sealed values read as `old` with `new`, unless they
/// changed meanwhile (an app set up at that moment); false then.
pub async fn reseal<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    old: [Option<&str>; 3],
    new: [Option<&str>; 3],
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE two_factor SET secret = $5, pending_secret = $6, fresh_codes = $7 \
         WHERE user_id = $1 AND secret IS NOT DISTINCT FROM $2 \
           AND pending_secret IS NOT DISTINCT FROM $3 AND fresh_codes IS NOT DISTINCT FROM $4",
    )
    .bind(user_id)
    .bind(old[0])
    .bind(old[1])
    .bind(old[2])
    .bind(new[0])
    .bind(new[1])
    .bind(new[2])
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Turns two-factor sign-in off: the secret and every recovery code go.
pub async fn remove(conn: &mut AnyConnection, user_id: UserId) -> DbResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM two_factor WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Replaces every recovery code of the account with these hashes.
pub async fn replace_codes(
    conn: &mut AnyConnection,
    user_id: UserId,
    hashes: &[String],
) -> DbResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The account's unused recovery codes: (id, hash).
pub async fn unused_codes<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(ex)
    .await
}

/// Uses the recovery code `id` if it is still unused: one guarded update,
/// so a code works once even when typed in two places at once.
pub async fn use_code<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    id: i64,
    now_ms: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND id = $2 AND used_at IS NULL",
    )
    .bind(user_id)
    .bind(id)
    .bind(now_ms)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn codes_left<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(ex)
        .await
}

/// A sign-in waiting for its code.
#[derive(Clone, Debug)]
pub struct Challenge {
    pub id: i64,
    pub user_id: UserId,
}

pub async fn insert_challenge<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    user_id: UserId,
    now_ms: i64,
    expires_at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO sign_in_challenges (token_hash, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now_ms)
    .bind(expires_at)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn find_challenge<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    now_ms: i64,
) -> DbResult<Option<Challenge>> {
    let row = sqlx::query(
        "SELECT id, user_id FROM sign_in_challenges WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(ex)
    .await?;
    row.map(|r| {
        Ok(Challenge {
            id: r.try_get(0)?,
            user_id: r.try_get(1)?,
        })
    })
    .transpose()
}

/// Counts a wrong code against the challenge; the count so far.
pub async fn challenge_failed<'c>(ex: impl Executor<'c, Database = Any>, id: i64) -> DbResult<i64> {
    let n: Option<i64> = sqlx::query_scalar(
        "UPDATE sign_in_challenges SET failures = failures + 1 WHERE id = $1 RETURNING failures",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?;
    Ok(n.unwrap_or(i64::MAX))
}

/// Ends a challenge; false when it was already ended (by a code accepted
/// at the same moment).
pub async fn delete_challenge<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> DbResult<bool> {
    let done = sqlx::query("DELETE FROM sign_in_challenges WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_expired_challenges_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    before_ms: i64,
) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM sign_in_challenges WHERE expires_at < $1")
        .bind(before_ms)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}
