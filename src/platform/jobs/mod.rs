//! Background work through a queue kept in the database, so that each job
//! runs once whatever the number of app instances, and none is lost when
//! an instance stops or dies.
//!
//! - A job is a row of `jobs`, added in the transaction of the change it
//!   follows from (an outbox mail, a new alert), or by the scheduler.
//! - The scheduler of every instance adds each periodic job once per
//!   period: its key is the period's start, and `(kind, key)` is unique, so
//!   the second instance's insert adds nothing.
//! - A worker claims due jobs with a lease (`repo::claim`), extends it
//!   while the job runs, and marks the job done or failed. A job whose
//!   instance died keeps its lease until it runs out, then is claimed again
//!   by whichever instance comes first; a stopping instance gives its
//!   leases back at once.
//! - So a job can run more than once (a crash after its work, before
//!   "done"): every handler is written so that running it again changes
//!   nothing, and a mail keeps its Message-ID on a retry.
//!
//! Written here rather than taken from a crate: apalis 1.0, the maintained
//! queue with SQL backends, needs sqlx 0.9 and concrete pools (this app
//! runs one `Any` pool on either database), cannot enqueue in a caller's
//! SQLite transaction, and its scheduler pushes one job per instance per
//! tick (apalis issue 281). What this needs is one table and four
//! statements.
//!
//! Handlers are registered by the composition root (`startup::jobs`): the
//! platform runs jobs without knowing what they do.

pub mod repo;

use crate::platform::state::AppState;
use crate::platform::BoxFuture;
pub use repo::ClaimedJob;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

type Handler =
    Arc<dyn Fn(AppState, ClaimedJob) -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// How often an idle worker looks for due jobs. On Postgres a new job also
/// wakes every instance at once (`platform::notify`).
const POLL: Duration = Duration::from_secs(1);
/// Jobs one worker runs at the same time.
const BATCH: i64 = 8;

/// A job added by the scheduler once per period.
#[derive(Clone, Copy, Debug)]
pub struct Every {
    pub kind: &'static str,
    pub period_ms: i64,
}

/// The jobs this instance can run, and its name on the leases it takes.
#[derive(Clone)]
pub struct Jobs {
    inner: Arc<Inner>,
}

struct Inner {
    handlers: HashMap<&'static str, Handler>,
    schedules: Vec<Every>,
    /// `kind IN (...)`: only kinds this build knows are claimed, so an
    /// older instance beside a newer one leaves the newer kinds alone.
    kinds_sql: String,
    worker: String,
    lease_ms: i64,
    wake: tokio::sync::Notify,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field("worker", &self.inner.worker)
            .finish()
    }
}

#[derive(Default)]
pub struct JobsBuilder {
    handlers: HashMap<&'static str, Handler>,
    schedules: Vec<Every>,
}

impl JobsBuilder {
    /// Runs `kind` jobs with `handler`.
    pub fn on<F, Fut>(mut self, kind: &'static str, handler: F) -> Self
    where
        F: Fn(AppState, ClaimedJob) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        assert!(
            kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "job kinds are written into SQL: {kind}"
        );
        let handler: Handler = Arc::new(move |state, job| Box::pin(handler(state, job)));
        self.handlers.insert(kind, handler);
        self
    }

    /// Adds a `kind` job once every `period_ms`, run with `handler`.
    pub fn every<F, Fut>(mut self, kind: &'static str, period_ms: i64, handler: F) -> Self
    where
        F: Fn(AppState, ClaimedJob) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.schedules.push(Every { kind, period_ms });
        self.on(kind, handler)
    }

    pub fn build(self, lease: Duration) -> Jobs {
        let mut kinds: Vec<&str> = self.handlers.keys().copied().collect();
        kinds.sort_unstable();
        let kinds_sql = kinds
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let worker = format!(
            "{}:{}:{}",
            hostname(),
            std::process::id(),
            uuid::Uuid::new_v4()
                .simple()
                .to_string()
                .get(..8)
                .unwrap_or_default()
        );
        Jobs {
            inner: Arc::new(Inner {
                handlers: self.handlers,
                schedules: self.schedules,
                kinds_sql,
                worker,
                lease_ms: lease.as_millis() as i64,
                wake: tokio::sync::Notify::new(),
            }),
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

impl Jobs {
    pub fn builder() -> JobsBuilder {
        JobsBuilder::default()
    }

    /// This instance's name on the leases it holds.
    pub fn worker(&self) -> &str {
        &self.inner.worker
    }

    pub fn schedules(&self) -> &[Every] {
        &self.inner.schedules
    }

    /// Makes an idle worker look for jobs now.
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }
}

/// The start of the period of `period_ms` that `now` falls in.
pub fn period_start(now: i64, period_ms: i64) -> i64 {
    now - now.rem_euclid(period_ms)
}

/// Adds this period's scheduled jobs that are not queued yet; returns how
/// many this call added (none when another instance was first).
pub async fn schedule(state: &AppState) -> Result<usize, sqlx::Error> {
    let now = state.clock.now_ms();
    let mut added = 0;
    let mut tx = state.db.write_tx().await?;
    for every in state.jobs.schedules() {
        let start = period_start(now, every.period_ms);
        if repo::enqueue(&mut tx, every.kind, &start.to_string(), "", start, now).await? {
            added += 1;
        }
    }
    tx.commit().await?;
    Ok(added)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    pub done: usize,
    pub failed: usize,
}

/// Runs every job due now, in batches, until none is left; what fails is
/// retried later with a growing delay.
pub async fn run_due(state: &AppState) -> Result<RunReport, sqlx::Error> {
    let mut report = RunReport::default();
    loop {
        let jobs = claim(state).await?;
        if jobs.is_empty() {
            return Ok(report);
        }
        let runs = jobs.into_iter().map(|job| run_one(state, job));
        for ok in futures_util::future::join_all(runs).await {
            if ok {
                report.done += 1;
            } else {
                report.failed += 1;
            }
        }
    }
}

async fn claim(state: &AppState) -> Result<Vec<ClaimedJob>, sqlx::Error> {
    let jobs = &state.jobs.inner;
    if jobs.handlers.is_empty() {
        return Ok(Vec::new());
    }
    let now = state.clock.now_ms();
    repo::claim(
        &state.db,
        &jobs.worker,
        &jobs.kinds_sql,
        now,
        now + jobs.lease_ms,
        BATCH,
    )
    .await
}

/// Delay before attempt `attempt + 1`: 10 s, 40 s, 90 s … at most an hour.
fn retry_delay_ms(attempt: i64) -> i64 {
    (attempt.max(1).pow(2) * 10_000).min(3_600_000)
}

/// Runs one claimed job, extending its lease while it runs. True when it
/// succeeded.
async fn run_one(state: &AppState, job: ClaimedJob) -> bool {
    let jobs = &state.jobs.inner;
    let Some(handler) = jobs.handlers.get(job.kind.as_str()).cloned() else {
        return false;
    };
    let span = tracing::info_span!("job", kind = %job.kind, key = %job.key, attempt = job.attempt);
    tracing::Instrument::instrument(run_with_lease(state, handler, job), span).await
}

async fn run_with_lease(state: &AppState, handler: Handler, job: ClaimedJob) -> bool {
    let jobs = &state.jobs.inner;
    let (id, kind, attempt) = (job.id, job.kind.clone(), job.attempt);
    let mut work = handler(state.clone(), job);
    let mut beat =
        tokio::time::interval(Duration::from_millis((jobs.lease_ms / 3).max(100) as u64));
    beat.tick().await;
    let outcome = loop {
        tokio::select! {
            outcome = &mut work => break outcome,
            _ = beat.tick() => {
                let until = state.clock.now_ms() + jobs.lease_ms;
                match repo::extend(&state.db, id, &jobs.worker, until).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!("job lease lost; another instance may run it too"),
                    Err(e) => tracing::warn!(error = %e, "job lease not extended"),
                }
            }
        }
    };
    let now = state.clock.now_ms();
    let recorded = match &outcome {
        Ok(()) => repo::finish(&state.db, id, &jobs.worker, now).await,
        Err(e) => {
            tracing::warn!(kind = %kind, error = %e, "job failed; it will be retried");
            repo::fail(
                &state.db,
                id,
                &jobs.worker,
                e,
                now + retry_delay_ms(attempt),
                now,
            )
            .await
        }
    };
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "job outcome not recorded; its lease will run out and it runs again");
    }
    outcome.is_ok()
}

/// The worker of this instance: schedules, then runs what is due, every
/// second or when woken.
pub struct Worker {
    task: tokio::task::JoinHandle<()>,
    state: AppState,
}

pub fn spawn(state: AppState) -> Worker {
    let task = tokio::spawn({
        let state = state.clone();
        async move {
            loop {
                if let Err(e) = schedule(&state).await {
                    tracing::warn!(error = %e, "job scheduling failed");
                }
                if let Err(e) = run_due(&state).await {
                    tracing::warn!(error = %e, "job run failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(POLL) => {}
                    _ = state.jobs.inner.wake.notified() => {}
                }
            }
        }
    });
    Worker { task, state }
}

impl Worker {
    /// Stops claiming, and gives back the leases of the jobs cut off, so
    /// another instance runs them now rather than when the leases run out.
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
        match repo::release_all(&self.state.db, self.state.jobs.worker()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "unfinished jobs given back"),
            Err(e) => tracing::warn!(error = %e, "jobs not given back; their leases will run out"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_on_their_boundary() {
        assert_eq!(period_start(125_000, 60_000), 120_000);
        assert_eq!(period_start(120_000, 60_000), 120_000);
        assert_eq!(period_start(-1, 60_000), -60_000);
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(retry_delay_ms(1), 10_000);
        assert_eq!(retry_delay_ms(2), 40_000);
        assert!(retry_delay_ms(3) > retry_delay_ms(2));
        assert_eq!(retry_delay_ms(100), 3_600_000);
    }
}
