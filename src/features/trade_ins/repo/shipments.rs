//! Parcels (to the refurbisher, and back for returns) and their tracking.

use crate::domain::ids::TradeInId;
use crate::platform::db::DbResult;
use sqlx::{Any, AnyConnection, Executor, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Inbound,
    Return,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Return => "return",
        }
    }
}

pub async fn insert(
    conn: &mut AnyConnection,
    trade_in_id: TradeInId,
    direction: Direction,
    carrier: &str,
    tracking: &str,
    now_ms: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO shipments (trade_in_id, direction, carrier, tracking_number, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(trade_in_id)
    .bind(direction.code())
    .bind(carrier)
    .bind(tracking)
    .bind(now_ms)
    .fetch_one(conn)
    .await
}

pub async fn add_event(
    conn: &mut AnyConnection,
    shipment_id: i64,
    code: &str,
    description: &str,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO tracking_events (shipment_id, code, description, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(shipment_id)
    .bind(code)
    .bind(description)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Shipment {
    pub id: i64,
    pub carrier: String,
    pub tracking_number: String,
    pub created_at: i64,
    /// Voided before use: the label is no longer valid.
    pub cancelled_at: Option<i64>,
}

pub async fn find<'c>(
    ex: impl Executor<'c, Database = Any>,
    trade_in_id: TradeInId,
    direction: Direction,
) -> DbResult<Option<Shipment>> {
    let row = sqlx::query("SELECT id, carrier, tracking_number, created_at, cancelled_at FROM shipments WHERE trade_in_id = $1 AND direction = $2")
        .bind(trade_in_id)
        .bind(direction.code())
        .fetch_optional(ex)
        .await?;
    row.map(|r| {
        Ok(Shipment {
            id: r.try_get("id")?,
            carrier: r.try_get("carrier")?,
            tracking_number: r.try_get("tracking_number")?,
            created_at: r.try_get("created_at")?,
            cancelled_at: r.try_get("cancelled_at")?,
        })
    })
    .transpose()
}

/// Voids the trade-in's return label, if it has one still valid, with a
/// tracking event saying so.
pub async fn cancel_return(
    conn: &mut AnyConnection,
    trade_in_id: TradeInId,
    now_ms: i64,
) -> DbResult<()> {
    let cancelled: Option<i64> = sqlx::query_scalar(
        "UPDATE shipments SET cancelled_at = $1 \
         WHERE trade_in_id = $2 AND direction = 'return' AND cancelled_at IS NULL RETURNING id",
    )
    .bind(now_ms)
    .bind(trade_in_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = cancelled {
        add_event(
            conn,
            id,
            "label_cancelled",
            "Return label cancelled",
            now_ms,
        )
        .await?;
    }
    Ok(())
}

#[derive(Clone, Debug)]
pub struct TrackingEvent {
    pub direction: String,
    pub description: String,
    pub at: i64,
}

pub async fn events_for_trade_in<'c>(
    ex: impl Executor<'c, Database = Any>,
    trade_in_id: TradeInId,
) -> DbResult<Vec<TrackingEvent>> {
    let rows = sqlx::query(
        "SELECT s.direction, e.description, e.at FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id \
         WHERE s.trade_in_id = $1 ORDER BY e.at, e.id",
    )
    .bind(trade_in_id)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TrackingEvent {
                direction: r.try_get("direction")?,
                description: r.try_get("description")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}
