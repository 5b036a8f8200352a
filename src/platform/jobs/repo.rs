//! The `jobs` table: enqueue, claim with a lease, extend, finish.
//!
//! Claiming differs per backend: Postgres locks the chosen rows with
//! `FOR UPDATE SKIP LOCKED`, so instances claiming at the same moment take
//! different jobs instead of waiting on each other; SQLite has one writer,
//! and the claim runs in a write transaction (`BEGIN IMMEDIATE`).

use crate::platform::db::{Backend, Db, DbResult};
use sqlx::{AnyConnection, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub key: String,
    pub payload: String,
    /// 1 on the first run.
    pub attempt: i64,
}

/// Adds a job unless one with this kind and key exists; true when added.
/// Run it in the transaction of the change the job follows from.
pub async fn enqueue(
    conn: &mut AnyConnection,
    kind: &str,
    key: &str,
    payload: &str,
    run_at: i64,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "INSERT INTO jobs (kind, key, payload, run_at, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (kind, key) DO NOTHING",
    )
    .bind(kind)
    .bind(key)
    .bind(payload)
    .bind(run_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Claims up to `limit` due jobs for `worker` until `lease_until`: jobs
/// never claimed, waiting for a retry, or whose last lease ran out (the
/// instance running them died or stopped). `kinds_sql` is the list of
/// kinds to claim, written as SQL literals by `Jobs` from its own
/// constants.
pub async fn claim(
    db: &Db,
    worker: &str,
    kinds_sql: &str,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> DbResult<Vec<ClaimedJob>> {
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET locked_by = $1, locked_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $3 \
           AND kind IN ({kinds_sql}) AND (locked_until IS NULL OR locked_until < $3) \
           ORDER BY run_at, id LIMIT $4{lock}) \
         RETURNING id, kind, key, payload, attempts"
    );
    let mut tx = db.write_tx().await?;
    let rows = sqlx::query(&sql)
        .bind(worker)
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut jobs = rows
        .iter()
        .map(|r| {
            Ok(ClaimedJob {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                key: r.try_get("key")?,
                payload: r.try_get("payload")?,
                attempt: r.try_get("attempts")?,
            })
        })
        .collect::<DbResult<Vec<_>>>()?;
    // RETURNING gives no order; run them in the order they were due.
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

/// Pushes the lease forward while the job runs; false when this worker no
/// longer holds it.
pub async fn extend(db: &Db, id: i64, worker: &str, lease_until: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET locked_until = $1 WHERE id = $2 AND locked_by = $3 AND done_at IS NULL",
    )
    .bind(lease_until)
    .bind(id)
    .bind(worker)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn finish(db: &Db, id: i64, worker: &str, now: i64) -> DbResult<()> {
    sqlx::query(
        "UPDATE jobs SET done_at = $1, locked_by = NULL, locked_until = NULL, last_error = '' \
         WHERE id = $2 AND locked_by = $3",
    )
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A failed run: tried again at `retry_at`, or given up on once it has
/// had its attempts.
pub async fn fail(
    db: &Db,
    id: i64,
    worker: &str,
    error: &str,
    retry_at: i64,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE jobs SET locked_by = NULL, locked_until = NULL, last_error = $1, run_at = $2, \
           failed_at = CASE WHEN attempts >= max_attempts THEN $3 ELSE NULL END \
         WHERE id = $4 AND locked_by = $5",
    )
    .bind(error)
    .bind(retry_at)
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Gives back what this worker holds (it is stopping), so another
/// instance takes it at once instead of after the lease.
pub async fn release_all(db: &Db, worker: &str) -> DbResult<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET locked_by = NULL, locked_until = NULL WHERE locked_by = $1 AND done_at IS NULL",
    )
    .bind(worker)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// Forgets finished jobs older than `before`.
pub async fn delete_done_before(db: &Db, before: i64) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM jobs WHERE done_at IS NOT NULL AND done_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobRow {
    pub kind: String,
    pub key: String,
    pub attempts: i64,
    pub done: bool,
    pub failed: bool,
    pub last_error: String,
}

/// Every job of a kind, oldest first (tests and the operations' view).
pub async fn of_kind(db: &Db, kind: &str) -> DbResult<Vec<JobRow>> {
    let rows = sqlx::query(
        "SELECT kind, key, attempts, done_at, failed_at, last_error FROM jobs WHERE kind = $1 ORDER BY id",
    )
    .bind(kind)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(JobRow {
                kind: r.try_get("kind")?,
                key: r.try_get("key")?,
                attempts: r.try_get("attempts")?,
                done: r.try_get::<Option<i64>, _>("done_at")?.is_some(),
                failed: r.try_get::<Option<i64>, _>("failed_at")?.is_some(),
                last_error: r.try_get("last_error")?,
            })
        })
        .collect()
}
