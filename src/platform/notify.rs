//! What Postgres tells every instance: a write to what a cache holds (the
//! triggers of migration 0011 notify `tradein_cache` with the topic at
//! commit, whichever instance or tool made the write), and a new job
//! (`tradein_jobs`). Each instance listens on one connection of its own.
//!
//! A notice can be missed while the connection is down, so on every
//! (re)connection every topic is treated as changed: the caches read again.
//! SQLite has one instance per file, and nothing to listen to.

use crate::platform::cache::Generation;
use crate::platform::jobs::Jobs;
use sqlx::postgres::PgListener;
use std::time::Duration;

pub const CACHE_CHANNEL: &str = "tradein_cache";
pub const JOBS_CHANNEL: &str = "tradein_jobs";

/// Listens until the task is aborted, reconnecting after a failure.
pub fn spawn(
    url: String,
    topics: Vec<&'static Generation>,
    jobs: Jobs,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut wait = Duration::from_millis(250);
        loop {
            match listen(&url, &topics, &jobs).await {
                Ok(()) => wait = Duration::from_millis(250),
                Err(e) => {
                    tracing::warn!(error = %e, "lost the database's change notices; reconnecting");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(10));
                }
            }
        }
    })
}

fn all_changed(topics: &[&'static Generation], jobs: &Jobs) {
    for t in topics {
        t.bump();
    }
    jobs.wake();
}

/// One connection's life: returns when it is lost.
async fn listen(url: &str, topics: &[&'static Generation], jobs: &Jobs) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen_all([CACHE_CHANNEL, JOBS_CHANNEL]).await?;
    all_changed(topics, jobs);
    loop {
        match listener.try_recv().await? {
            Some(notice) if notice.channel() == CACHE_CHANNEL => {
                for t in topics.iter().filter(|t| t.topic() == notice.payload()) {
                    t.bump();
                }
            }
            Some(_) => jobs.wake(),
            None => {
                // The connection dropped; the next call reconnects, and
                // whatever was said meanwhile is lost.
                all_changed(topics, jobs);
            }
        }
    }
}
