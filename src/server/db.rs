//! The connection pool for either backend, its settings, and migrations.
//!
//! One `AnyPool` type serves SQLite and Postgres so repositories are written
//! once in portable SQL. What differs per backend lives here: connection
//! pragmas, the migration folder, how a write transaction starts, and how a
//! numbered placeholder is written.

use super::config::DatabaseUrl;
use sqlx::any::{AnyPoolOptions, AnyConnectOptions};
use sqlx::{Any, AnyPool, Transaction};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
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
                        // durable in WAL mode except on power loss.
                        sqlx::Executor::execute(
                            &mut *conn,
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db { pool, backend })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await,
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
    /// is its cheap way, analysing only tables that need it.
    pub async fn optimize(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA optimize").execute(&self.pool).await?;
        }
        Ok(())
    }

    pub async fn ping(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }

    pub fn placeholders(&self) -> Placeholders {
        Placeholders { backend: self.backend, next: 1 }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Writes the n-th bind placeholder for multi-row statements: `?` on SQLite
/// (numbered `$n` parameters make SQLite's statement preparation slow once
/// there are thousands of them) and `$n` on Postgres, which has no `?`.
pub struct Placeholders {
    backend: Backend,
    next: usize,
}

impl Placeholders {
    pub fn next(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        match self.backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${n}"),
        }
    }

    /// `(p, p, p)` for one row of `width` values.
    pub fn row(&mut self, width: usize) -> String {
        let parts: Vec<String> = (0..width).map(|_| self.next()).collect();
        format!("({})", parts.join(", "))
    }
}

/// True when the error is a unique-constraint violation (e.g. email taken).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}
