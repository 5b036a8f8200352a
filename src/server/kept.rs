//! A value read from the database and kept in memory until a write in this
//! process makes it out of date (a generation counter moved) or it is older
//! than a time limit, which bounds what writes by other processes, or a read
//! made between a write and its commit, can leave stale.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Counts writes in this process to what a cache holds. A repository keeps
/// one per kind of data and moves it with every write (`.inspect(changed)`),
/// when the write is made, before its transaction commits: the cache's time
/// limit covers that gap.
#[derive(Default)]
pub struct Generation(AtomicU64);

impl Generation {
    pub const fn new() -> Self {
        Generation(AtomicU64::new(0))
    }

    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
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
        Kept { value, generation, at: Instant::now() }
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
