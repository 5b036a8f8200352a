//! The connection pool for either backend, its settings, and migrations.
//!
//! One `AnyPool` type serves SQLite and Postgres so repositories are written
//! once in portable SQL. What differs per backend lives here: connection
//! pragmas, the migration folder, how a write transaction starts, and how a
//! numbered placeholder is written.

use crate::platform::config::DatabaseUrl;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// When the planner statistics last changed (SQLite). A SQLite
    /// connection reads `sqlite_stat1` once, with the schema, and goes on
    /// planning with what it read: connections opened before this instant
    /// are closed instead of handed out (see `connect`).
    stats_changed: Arc<Mutex<Option<Instant>>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    pub async fn connect(url: &DatabaseUrl) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = match url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
                }
                Backend::Sqlite
            }
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        };
        let options = AnyConnectOptions::from_str(&url.connect_url())?;
        let stats_changed: Arc<Mutex<Option<Instant>>> = Arc::default();
        let changed = stats_changed.clone();
        let pool = AnyPoolOptions::new()
            // SQLite has one writer at a time anyway; a few readers suffice.
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; NORMAL is
                        // durable in WAL mode except on power loss. Reads
                        // go through a memory map: every commit (the offer
                        // step's views are written all day) makes each
                        // other connection drop its page cache, and without
                        // the map each page read after that was a system
                        // call and a copy (a fifth of SQLite's time under
                        // a busy offer step: perf).
                        sqlx::Executor::execute(
                            &mut *conn,
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                             PRAGMA mmap_size = 1073741824;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .before_acquire(move |_conn, meta| {
                // Without this, a dashboard query planned with an empty
                // table's statistics took 3-5 s instead of 0.1 s until sqlx
                // retired the connection (30 minutes).
                let changed_at = *changed.lock().expect("not poisoned");
                let stale = changed_at.is_some_and(|at| meta.age > at.elapsed());
                Box::pin(async move { Ok(!stale) })
            })
            .connect_with(options)
            .await?;
        Ok(Db {
            pool,
            backend,
            stats_changed,
        })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => {
                // SQLite changes a table's constraints only by rebuilding
                // it, and a table others reference can be dropped and
                // rebuilt only with foreign keys off (its documented
                // procedure), which a transaction cannot switch: so on one
                // connection, outside the migrations' transactions, and
                // every reference checked before it is used again.
                use sqlx::Executor;
                let mut conn = self.pool.acquire().await?;
                conn.execute("PRAGMA foreign_keys = OFF").await?;
                let ran = SQLITE_MIGRATIONS.run(&mut *conn).await;
                let broken: Result<Option<(String,)>, sqlx::Error> =
                    sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1")
                        .fetch_optional(&mut *conn)
                        .await;
                // Back on before anything can return: the connection goes
                // back to the pool.
                conn.execute("PRAGMA foreign_keys = ON").await?;
                ran?;
                match broken? {
                    Some((table,)) => Err(sqlx::migrate::MigrateError::Source(
                        format!("a row of {table} references a row that is gone").into(),
                    )),
                    None => Ok(()),
                }
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction for a user action that writes. On SQLite it takes the
    /// write lock up front (`BEGIN IMMEDIATE`): a deferred transaction that
    /// reads and then writes fails with SQLITE_BUSY under concurrency
    /// instead of waiting its turn.
    pub async fn write_tx(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A consistent snapshot for several reads.
    pub async fn read_tx(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        self.pool.begin().await
    }

    /// Keeps the query planner's statistics fresh. Postgres does this by
    /// itself (autovacuum); SQLite only when asked, and `PRAGMA optimize`
    /// is its cheap way, analysing only tables that need it (0x10000: every
    /// table, not only those this pooled connection happened to read; 0x10:
    /// sampled, so a large table does not hold the write lock for long).
    /// Returns whether any statistics changed.
    pub async fn optimize(&self) -> Result<bool, sqlx::Error> {
        if self.backend != Backend::Sqlite {
            return Ok(false);
        }
        let mut conn = self.pool.acquire().await?;
        // 0x1 only lists what it would analyse.
        let planned: Vec<String> = sqlx::query_scalar("PRAGMA optimize = 0x10013")
            .fetch_all(&mut *conn)
            .await?;
        if planned.is_empty() {
            return Ok(false);
        }
        sqlx::query("PRAGMA optimize = 0x10012")
            .execute(&mut *conn)
            .await?;
        drop(conn);
        self.statistics_changed();
        Ok(true)
    }

    /// Retires the SQLite connections that read the planner statistics
    /// before now (after `optimize`, or an `ANALYZE` of the caller's own):
    /// idle ones as they are next asked for, busy ones when returned and
    /// asked for again. Postgres connections see new statistics at once.
    pub fn statistics_changed(&self) {
        if self.backend != Backend::Sqlite {
            return;
        }
        *self.stats_changed.lock().expect("not poisoned") = Some(Instant::now());
    }

    /// Waits for this instance's turn at work that must happen once for
    /// the whole database (migrations, the demo data): a Postgres session
    /// lock that other instances starting at the same moment wait on. An
    /// SQLite file has one instance, and needs none.
    pub async fn exclusive(&self) -> Result<Turn, sqlx::Error> {
        if self.backend != Backend::Postgres {
            return Ok(Turn(None));
        }
        let mut conn = self.pool.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(STARTUP_LOCK)
            .execute(&mut *conn)
            .await?;
        Ok(Turn(Some(conn)))
    }

    pub async fn ping(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }

    pub fn placeholders(&self) -> Placeholders {
        Placeholders {
            backend: self.backend,
            next: 1,
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The key of the start-up lock (any constant no other lock uses).
const STARTUP_LOCK: i64 = 0x7472_6164_6569_6e00; // "tradein\0"

/// Held while an instance does its once-per-database start-up work.
pub struct Turn(Option<sqlx::pool::PoolConnection<Any>>);

impl Turn {
    /// Ends the turn: the lock's connection is closed rather than put back
    /// in the pool, which ends the session lock whatever happened on it.
    pub async fn release(mut self) {
        if let Some(conn) = self.0.take() {
            let _ = sqlx::Connection::close(conn.detach()).await;
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        // Start-up failed while holding the turn: the connection must not go
        // back to the pool still holding the lock.
        if let Some(conn) = self.0.take() {
            drop(conn.detach());
        }
    }
}

/// Serialises the transactions that decide on the same thing (a consumer's
/// yearly count, an IBAN, an IMEI, an email's failed sign-ins) until
/// `conn`'s transaction ends: on Postgres a transaction-scoped advisory
/// lock on a hash of `key`; SQLite's write transactions already run one at
/// a time (`BEGIN IMMEDIATE`). Take locks in a fixed order (see
/// ARCHITECTURE.md) so two transactions never wait on each other.
pub async fn lock(conn: &mut AnyConnection, key: &str) -> DbResult<()> {
    if conn.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(lock_key(key))
        .execute(conn)
        .await?;
    Ok(())
}

/// A stable 64-bit key for a lock name (two names sharing a key only wait
/// on each other more often than needed).
fn lock_key(name: &str) -> i64 {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(name.as_bytes());
    i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// Writes the n-th bind placeholder for multi-row statements: `?` on SQLite
/// (numbered `$n` parameters make SQLite's statement preparation slow once
/// there are thousands of them) and `$n` on Postgres, which has no `?`.
pub struct Placeholders {
    backend: Backend,
    next: usize,
}

impl Placeholders {
    pub fn param(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        match self.backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${n}"),
        }
    }

    /// `(p, p, p)` for one row of `width` values.
    pub fn row(&mut self, width: usize) -> String {
        let parts: Vec<String> = (0..width).map(|_| self.param()).collect();
        format!("({})", parts.join(", "))
    }
}

pub type DbResult<T> = Result<T, sqlx::Error>;

/// An amount read from a row: its minor units in `minor`, its currency's
/// code in `currency` (every table with money keeps both).
pub fn money(
    r: &sqlx::any::AnyRow,
    minor: &str,
    currency: &str,
) -> DbResult<crate::domain::money::Money> {
    use sqlx::Row;
    let currency: crate::domain::money::Currency = decode_code(&r.try_get::<String, _>(currency)?)?;
    Ok(crate::domain::money::Money::new(
        r.try_get(minor)?,
        currency,
    ))
}

/// `money` for a column that may be NULL.
pub fn money_opt(
    r: &sqlx::any::AnyRow,
    minor: &str,
    currency: &str,
) -> DbResult<Option<crate::domain::money::Money>> {
    use sqlx::Row;
    match r.try_get::<Option<i64>, _>(minor)? {
        None => Ok(None),
        Some(_) => money(r, minor, currency).map(Some),
    }
}

/// A text column holding a domain enum's code, read back as the enum; a
/// code this build does not know is a decoding error, not a default.
pub fn decode_code<T: std::str::FromStr>(code: &str) -> DbResult<T> {
    code.parse()
        .map_err(|_| sqlx::Error::Decode(format!("unknown code {code:?}").into()))
}

/// `'a', 'b'`: states named by a domain rule, for an SQL `IN (...)`. The
/// codes are the domain's own constants, never user input.
pub fn state_list(states: impl IntoIterator<Item = crate::domain::tradein::State>) -> String {
    states
        .into_iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `1, 2, 3` for an SQL `IN (...)`: ids the server read from the database,
/// formatted as integers, never text from a request.
pub fn id_list<T: Copy + Into<i64>>(ids: &[T]) -> String {
    ids.iter()
        .map(|&id| id.into().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A database failure as people see it: logged in detail here, a plain
/// "something went wrong" with a reference for them.
pub fn db_error(e: impl std::fmt::Display) -> crate::error::AppError {
    tracing::error!(error = %e, "database error");
    crate::error::AppError::Internal {
        reference: "database".into(),
    }
}

/// True when the error is a unique-constraint violation (e.g. email taken).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TEMP table lives on one connection only: it tells whether the pool
    /// handed out a connection opened before the statistics changed.
    async fn has_marker(conn: &mut sqlx::pool::PoolConnection<Any>) -> bool {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM temp.sqlite_schema WHERE name = 'marker'",
        )
        .fetch_one(&mut **conn)
        .await
        .unwrap()
            > 0
    }

    #[test]
    fn lock_keys_are_stable_and_differ_by_name() {
        assert_eq!(lock_key("customer:7"), lock_key("customer:7"));
        assert_ne!(lock_key("customer:7"), lock_key("customer:8"));
        assert_ne!(lock_key("customer:7"), STARTUP_LOCK);
    }

    #[tokio::test]
    async fn connections_older_than_the_statistics_are_not_handed_out() {
        let dir =
            std::env::temp_dir().join(format!("tradein-db-{}-{}", std::process::id(), line!()));
        let db = Db::connect(&DatabaseUrl::Sqlite(dir.join("stats.db")))
            .await
            .unwrap();
        db.migrate().await.unwrap();

        // A dropped connection goes back to the pool in a task of its own.
        let returned = || tokio::time::sleep(Duration::from_millis(100));
        returned().await;
        // Every open connection gets the marker.
        let mut open = Vec::new();
        for _ in 0..db.pool().size() {
            let mut conn = db.pool().acquire().await.unwrap();
            sqlx::query("CREATE TEMP TABLE marker (x INTEGER)")
                .execute(&mut *conn)
                .await
                .unwrap();
            open.push(conn);
        }
        drop(open);
        returned().await;
        let mut again = db.pool().acquire().await.unwrap();
        assert!(
            has_marker(&mut again).await,
            "an idle connection is reused while the statistics stand"
        );
        drop(again);
        returned().await;

        // Rows the planner has no statistics for, then housekeeping's optimize.
        let mut tx = db.write_tx().await.unwrap();
        for i in 0..2_000 {
            sqlx::query("INSERT INTO login_attempts (email, ip, succeeded, at) VALUES ($1, '127.0.0.1', 0, $2)")
                .bind(format!("user{}@example.com", i % 50))
                .bind(i as i64)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        assert!(db.optimize().await.unwrap(), "the new rows are analysed");
        assert!(!db.optimize().await.unwrap(), "nothing more to analyse");

        let mut seen = Vec::new();
        for _ in 0..4 {
            let mut c = db.pool().acquire().await.unwrap();
            assert!(
                !has_marker(&mut c).await,
                "a connection from before the ANALYZE was handed out"
            );
            seen.push(c);
        }
        drop(seen);
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The typed ids of `domain::ids` are their integer in the database.
macro_rules! integer_ids {
    ($($id:ty),* $(,)?) => {$(
        impl sqlx::Type<Any> for $id {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <i64 as sqlx::Type<Any>>::type_info()
            }

            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <i64 as sqlx::Type<Any>>::compatible(ty)
            }
        }

        impl<'q> sqlx::Encode<'q, Any> for $id {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <i64 as sqlx::Encode<'q, Any>>::encode_by_ref(&self.0, buf)
            }
        }

        impl<'r> sqlx::Decode<'r, Any> for $id {
            fn decode(
                value: <Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                <i64 as sqlx::Decode<'r, Any>>::decode(value).map(Self)
            }
        }
    )*};
}

integer_ids!(
    crate::domain::ids::TradeInId,
    crate::domain::ids::ClaimId,
    crate::domain::ids::SellerId,
    crate::domain::ids::UserId,
    crate::domain::ids::ListingId,
    crate::domain::ids::VariantId,
    crate::domain::ids::CounterOfferId,
    crate::domain::ids::PhotoId,
    crate::domain::ids::PayoutId,
    crate::domain::ids::AlertId,
);
