//! A refurbisher's own prices: saving one cell with optimistic concurrency,
//! and the history of every change.

use super::DbResult;
use crate::domain::grade::Grade;
use sqlx::{AnyConnection, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Grid,
    Csv,
    Recommendation,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Grid => "grid",
            Source::Csv => "csv",
            Source::Recommendation => "recommendation",
        }
    }
}

/// The cell as it is now: (price, version), or None when not buying.
pub async fn current(conn: &mut AnyConnection, seller_id: i64, variant_id: i64, grade: Grade) -> DbResult<Option<(i64, i64)>> {
    sqlx::query_as("SELECT price_minor, version FROM listings WHERE seller_id = $1 AND variant_id = $2 AND grade = $3")
        .bind(seller_id)
        .bind(variant_id)
        .bind(grade.code())
        .fetch_optional(conn)
        .await
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// The new version of the cell.
    Saved { version: i64 },
    /// Someone saved since this edit began: nothing was written; here is
    /// what the cell holds now (None: not buying).
    Stale { current: Option<(i64, i64)> },
    Unchanged,
}

/// Saves one cell if it still has `expected_version` (None: the editor saw
/// an empty cell). Run inside a write transaction; records the history.
#[allow(clippy::too_many_arguments)]
pub async fn save(
    conn: &mut AnyConnection,
    seller_id: i64,
    variant_id: i64,
    grade: Grade,
    new_price_minor: i64,
    expected_version: Option<i64>,
    changed_by: i64,
    source: Source,
    now: i64,
) -> DbResult<Saved> {
    let current = current(conn, seller_id, variant_id, grade).await?;
    let version = match (current, expected_version) {
        (Some((price, v)), Some(expected)) if v == expected => {
            if price == new_price_minor {
                return Ok(Saved::Unchanged);
            }
            let done = sqlx::query(
                "UPDATE listings SET price_minor = $1, version = version + 1, price_set_at = $2 \
                 WHERE seller_id = $3 AND variant_id = $4 AND grade = $5 AND version = $6",
            )
            .bind(new_price_minor)
            .bind(now)
            .bind(seller_id)
            .bind(variant_id)
            .bind(grade.code())
            .bind(expected)
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() != 1 {
                return Ok(Saved::Stale { current: self::current(conn, seller_id, variant_id, grade).await? });
            }
            expected + 1
        }
        (None, None) => {
            sqlx::query(
                "INSERT INTO listings (seller_id, variant_id, grade, price_minor, price_set_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(seller_id)
            .bind(variant_id)
            .bind(grade.code())
            .bind(new_price_minor)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            1
        }
        (current, _) => return Ok(Saved::Stale { current }),
    };
    sqlx::query(
        "INSERT INTO price_history (seller_id, variant_id, grade, old_price_minor, new_price_minor, changed_by, source, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seller_id)
    .bind(variant_id)
    .bind(grade.code())
    .bind(current.map(|(p, _)| p))
    .bind(new_price_minor)
    .bind(changed_by)
    .bind(source.code())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(Saved::Saved { version })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub old_price_minor: Option<i64>,
    pub new_price_minor: Option<i64>,
    pub source: String,
    pub at: i64,
}

pub async fn history(conn: &mut AnyConnection, seller_id: i64, variant_id: i64, grade: Grade) -> DbResult<Vec<HistoryEntry>> {
    let rows = sqlx::query(
        "SELECT old_price_minor, new_price_minor, source, at FROM price_history WHERE seller_id = $1 AND variant_id = $2 AND grade = $3 ORDER BY at, id",
    )
    .bind(seller_id)
    .bind(variant_id)
    .bind(grade.code())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok(HistoryEntry { old_price_minor: r.try_get("old_price_minor")?, new_price_minor: r.try_get("new_price_minor")?, source: r.try_get("source")?, at: r.try_get("at")? }))
        .collect()
}
