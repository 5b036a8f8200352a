//! How much is waiting in each operations queue.

use crate::platform::db::DbResult;
use sqlx::{AnyConnection, Row};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub open_alerts: i64,
    pub held_payouts: i64,
    pub open_claims: i64,
    pub pending_sellers: i64,
}

pub async fn counts(conn: &mut AnyConnection) -> DbResult<QueueCounts> {
    // `<> 'none'` as well lets SQLite use the partial index of held payouts.
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM alerts WHERE state = 'open') AS alerts, \
           (SELECT COUNT(*) FROM trade_ins WHERE payout_hold <> 'none' AND payout_hold = 'held') AS held, \
           (SELECT COUNT(*) FROM claims WHERE state = 'open') AS claims, \
           (SELECT COUNT(*) FROM sellers WHERE status = 'pending') AS pending",
    )
    .fetch_one(conn)
    .await?;
    Ok(QueueCounts {
        open_alerts: r.try_get("alerts")?,
        held_payouts: r.try_get("held")?,
        open_claims: r.try_get("claims")?,
        pending_sellers: r.try_get("pending")?,
    })
}
