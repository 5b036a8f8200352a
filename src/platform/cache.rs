//! A value read from the database and kept in memory until a write makes
//! it out of date (a generation counter moved: a write in this process, or
//! one in another instance that Postgres told this one about) or it is
//! older than a time limit, which bounds what a missed notice, or a read
//! made between a write and its commit, can leave stale.
//!
//! Written here rather than with moka: its `try_get_with` would share a
//! load and its time-to-live would do, but its invalidation judges an entry
//! by when it was inserted, so a value read before a write and stored just
//! after the invalidation is kept as fresh (for its whole time-to-live).
//! Here a value carries the generation taken before its read, which such a
//! write has already moved past. What remains is a counter, a time check
//! and a map of reads in progress.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Counts writes to what a cache holds. A feature keeps one per kind of
/// data (a topic: `"offers"`, `"catalog"`) and moves it with every write
/// in this process (`.inspect(changed)`), when the write is made, before
/// its transaction commits: the cache's time limit covers that gap. Writes
/// made by other instances move it too, when Postgres tells this one
/// (`platform::notify`, by the topic's name).
pub struct Generation {
    topic: &'static str,
    count: AtomicU64,
}

impl Generation {
    pub const fn named(topic: &'static str) -> Self {
        Generation {
            topic,
            count: AtomicU64::new(0),
        }
    }

    pub fn topic(&self) -> &'static str {
        self.topic
    }

    pub fn current(&self) -> u64 {
        self.count.load(Ordering::Acquire)
    }

    pub fn bump(&self) {
        self.count.fetch_add(1, Ordering::AcqRel);
    }
}

pub struct Kept<T> {
    value: Arc<T>,
    generation: u64,
    at: Instant,
}

impl<T> Kept<T> {
    /// `generation`: the counter as it was *before* the read, so a write
    /// that lands during the read leaves this value already out of date.
    pub fn new(value: Arc<T>, generation: u64) -> Self {
        Kept {
            value,
            generation,
            at: Instant::now(),
        }
    }

    pub fn fresh(&self, generation: u64, ttl: Duration) -> Option<Arc<T>> {
        (self.generation == generation && self.at.elapsed() < ttl).then(|| self.value.clone())
    }
}

pub fn read<T, R>(lock: &RwLock<T>, f: impl FnOnce(&T) -> Option<R>) -> Option<R> {
    // A panic while holding the lock leaves plain data behind: still usable.
    f(&lock.read().unwrap_or_else(|e| e.into_inner()))
}

pub fn write<T>(lock: &RwLock<T>, f: impl FnOnce(&mut T)) {
    f(&mut lock.write().unwrap_or_else(|e| e.into_inner()))
}

/// Reads in progress, one per key and generation, so that requests which
/// find the same value missing at the same moment wait for one read instead
/// of each making their own. A busy offer step found its market out of date
/// every two seconds on every connection at once: 64 identical 50-row reads
/// queued for the pool, and the pages waiting on them were the slowest 1 %.
type Running<T> = Arc<tokio::sync::OnceCell<Arc<T>>>;

pub struct Loads<K, T> {
    running: Mutex<HashMap<(K, u64), Running<T>>>,
}

impl<K, T> Default for Loads<K, T> {
    fn default() -> Self {
        Loads {
            running: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq + Clone, T> Loads<K, T> {
    /// The value `read` gives for `key`, read once for everyone asking with
    /// the same `generation` while it runs. A read started before a write
    /// is not shared with those asking after it (their generation differs).
    /// If the read fails, or the request making it goes away, the next one
    /// waiting reads in its place.
    pub async fn once<E, F, Fut>(&self, key: K, generation: u64, read: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Arc<T>, E>>,
    {
        let slot = (key, generation);
        let cell = self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(slot.clone())
            .or_default()
            .clone();
        let out = cell.get_or_try_init(read).await.cloned();
        // Whoever finishes first forgets the read; later misses start anew.
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if running.get(&slot).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            running.remove(&slot);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[tokio::test]
    async fn concurrent_misses_share_one_read() {
        let loads: Loads<&str, usize> = Loads::default();
        let reads = AtomicUsize::new(0);
        let read = || async {
            reads.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, ()>(Arc::new(7))
        };
        let asks: Vec<_> = (0..16).map(|_| loads.once("market", 1, read)).collect();
        let answers = futures_util::future::join_all(asks).await;
        assert!(answers.iter().all(|a| a.as_deref() == Ok(&7)));
        assert_eq!(
            reads.load(Ordering::SeqCst),
            1,
            "sixteen requests, one read"
        );

        // Once done, a later miss reads again (the value is kept elsewhere).
        loads.once("market", 1, read).await.unwrap();
        assert_eq!(reads.load(Ordering::SeqCst), 2);
        assert!(
            loads.running.lock().unwrap().is_empty(),
            "nothing left running"
        );
    }

    #[tokio::test]
    async fn a_read_from_before_a_write_is_not_shared_after_it() {
        let loads: Loads<&str, u64> = Loads::default();
        let slow = loads.once("market", 1, || async {
            tokio::time::sleep(Duration::from_millis(30)).await;
            Ok::<_, ()>(Arc::new(1))
        });
        let after_write = async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            loads
                .once("market", 2, || async { Ok::<_, ()>(Arc::new(2)) })
                .await
        };
        let (before, after) = tokio::join!(slow, after_write);
        assert_eq!((*before.unwrap(), *after.unwrap()), (1, 2));
    }

    #[tokio::test]
    async fn a_failed_read_is_made_again_by_the_next_one_waiting() {
        let loads: Loads<&str, u64> = Loads::default();
        let failing = loads.once("market", 1, || async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            Err::<Arc<u64>, _>("database down")
        });
        let waiting = async {
            tokio::time::sleep(Duration::from_millis(2)).await;
            loads
                .once("market", 1, || async { Ok::<_, &str>(Arc::new(3)) })
                .await
        };
        let (failed, waited) = tokio::join!(failing, waiting);
        assert_eq!(failed, Err("database down"));
        assert_eq!(waited.map(|v| *v), Ok(3));
    }
}
