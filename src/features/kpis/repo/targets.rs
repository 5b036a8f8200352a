//! The targets operations set per KPI and period kind.

use crate::platform::db::DbResult;
use sqlx::{Any, Executor};

/// Every target: (kpi code, period kind code, target).
pub async fn targets<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> DbResult<Vec<(String, String, i64)>> {
    sqlx::query_as("SELECT kpi, period_kind, target FROM kpi_targets")
        .fetch_all(ex)
        .await
}

pub async fn set_target<'c>(
    ex: impl Executor<'c, Database = Any>,
    kpi: &str,
    period_kind: &str,
    target: Option<i64>,
    by: crate::domain::ids::UserId,
    now: i64,
) -> DbResult<()> {
    match target {
        Some(t) => sqlx::query(
            "INSERT INTO kpi_targets (kpi, period_kind, target, set_by, set_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (kpi, period_kind) DO UPDATE SET target = excluded.target, set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(kpi)
        .bind(period_kind)
        .bind(t)
        .bind(by)
        .bind(now)
        .execute(ex)
        .await?,
        None => sqlx::query("DELETE FROM kpi_targets WHERE kpi = $1 AND period_kind = $2").bind(kpi).bind(period_kind).execute(ex).await?,
    };
    Ok(())
}
