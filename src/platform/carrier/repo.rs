//! The built-in carrier's own numbering.

use crate::platform::db::DbResult;
use sqlx::{Any, Executor};

/// The next serial number of a carrier's own numbering.
pub async fn next_serial<'c>(
    ex: impl Executor<'c, Database = Any>,
    carrier: &str,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO carrier_sequence (carrier, last) VALUES ($1, 1) \
         ON CONFLICT (carrier) DO UPDATE SET last = carrier_sequence.last + 1 RETURNING last",
    )
    .bind(carrier)
    .fetch_one(ex)
    .await
}
