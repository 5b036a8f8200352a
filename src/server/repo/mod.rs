//! Repositories: the only place SQL is written. One module per aggregate,
//! portable SQL that runs unchanged on SQLite and Postgres through `Any`.
//! Functions take an executor so a caller can group them in a transaction.

pub mod alerts;
pub mod catalog;
pub mod claims;
pub mod fraud;
pub mod kpis;
pub mod login_attempts;
pub mod offers;
pub mod ops;
pub mod kpi_rollup;
pub mod ops_kpis;
pub mod ops_queues;
pub mod orders;
pub mod outbox;
pub mod prices;
pub mod sellers;
pub mod sessions;
pub mod shipments;
pub mod trade_ins;
pub mod users;

pub type DbResult<T> = Result<T, sqlx::Error>;

/// `'a', 'b'`: states named by a domain rule, for an SQL `IN (...)`. The
/// codes are the domain's own constants, never user input.
pub fn state_list(states: impl IntoIterator<Item = crate::domain::tradein::State>) -> String {
    states.into_iter().map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(", ")
}

/// `1, 2, 3` for an SQL `IN (...)`: ids the server read from the database,
/// formatted as integers, never text from a request.
pub fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}
