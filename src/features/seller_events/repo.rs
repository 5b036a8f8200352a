//! The tables of a refurbisher's events and webhooks: `seller_events`,
//! `webhook_endpoints`, `webhook_deliveries` and `webhook_attempts`.

use crate::domain::ids::{SellerId, TradeInId, UserId};
use crate::platform::db::DbResult;
use sqlx::{Any, AnyConnection, Executor, Row};

/// Adds an event, without its place in the feed yet; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    kind: &str,
    subject: &str,
    subject_id: i64,
    data: &str,
    now: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO seller_events (seller_id, kind, subject, subject_id, data, at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(seller_id)
    .bind(kind)
    .bind(subject)
    .bind(subject_id)
    .bind(data)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The seller who bought a trade-in.
pub async fn seller_of_trade_in(
    conn: &mut AnyConnection,
    id: TradeInId,
) -> DbResult<Option<SellerId>> {
    sqlx::query_scalar("SELECT seller_id FROM trade_ins WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Events without a place in the feed, oldest first: (id, seller, kind).
pub async fn unpublished(
    conn: &mut AnyConnection,
    limit: i64,
) -> DbResult<Vec<(i64, SellerId, String)>> {
    sqlx::query_as(
        "SELECT id, seller_id, kind FROM seller_events WHERE seq IS NULL ORDER BY id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn last_seq(conn: &mut AnyConnection) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM seller_events")
        .fetch_one(conn)
        .await
}

pub async fn set_seq(conn: &mut AnyConnection, id: i64, seq: i64) -> DbResult<()> {
    sqlx::query("UPDATE seller_events SET seq = $1 WHERE id = $2")
        .bind(seq)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct EventRow {
    pub id: i64,
    pub seq: i64,
    pub kind: String,
    pub subject: String,
    pub subject_id: i64,
    pub data: String,
    pub at: i64,
}

fn event_row(r: &sqlx::any::AnyRow) -> DbResult<EventRow> {
    Ok(EventRow {
        id: r.try_get("id")?,
        seq: r.try_get("seq")?,
        kind: r.try_get("kind")?,
        subject: r.try_get("subject")?,
        subject_id: r.try_get("subject_id")?,
        data: r.try_get("data")?,
        at: r.try_get("at")?,
    })
}

/// A seller's published events after `after` in feed order, optionally of
/// some kinds only (codes the caller checked).
pub async fn feed<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    kinds: &[&str],
    after: i64,
    limit: i64,
) -> DbResult<Vec<EventRow>> {
    let mut sql = String::from(
        "SELECT id, seq, kind, subject, subject_id, data, at FROM seller_events \
         WHERE seller_id = $1 AND seq > $2",
    );
    if !kinds.is_empty() {
        let list = kinds
            .iter()
            .map(|k| format!("'{}'", k.replace('\'', "")))
            .collect::<Vec<_>>()
            .join(", ");
        sql.push_str(&format!(" AND kind IN ({list})"));
    }
    sql.push_str(" ORDER BY seq LIMIT $3");
    let rows = sqlx::query(&sql)
        .bind(seller_id)
        .bind(after)
        .bind(limit)
        .fetch_all(ex)
        .await?;
    rows.iter().map(event_row).collect()
}

pub async fn event<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> DbResult<Option<EventRow>> {
    sqlx::query(
        "SELECT id, COALESCE(seq, 0) AS seq, kind, subject, subject_id, data, at FROM seller_events WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?
    .as_ref()
    .map(event_row)
    .transpose()
}

// Webhook endpoints.

#[derive(Clone, Debug)]
pub struct EndpointRow {
    pub id: i64,
    pub seller_id: SellerId,
    pub url: String,
    pub secret: String,
    pub kinds: String,
    pub created_at: i64,
    pub last_success_at: Option<i64>,
    pub disabled_at: Option<i64>,
    pub disabled_reason: String,
    pub deleted: bool,
}

const ENDPOINT: &str = "SELECT id, seller_id, url, secret, kinds, created_at, last_success_at, disabled_at, disabled_reason, deleted_at FROM webhook_endpoints";

fn endpoint_row(r: &sqlx::any::AnyRow) -> DbResult<EndpointRow> {
    Ok(EndpointRow {
        id: r.try_get("id")?,
        seller_id: r.try_get("seller_id")?,
        url: r.try_get("url")?,
        secret: r.try_get("secret")?,
        kinds: r.try_get("kinds")?,
        created_at: r.try_get("created_at")?,
        last_success_at: r.try_get("last_success_at")?,
        disabled_at: r.try_get("disabled_at")?,
        disabled_reason: r.try_get("disabled_reason")?,
        deleted: r.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
    })
}

pub async fn insert_endpoint(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    url: &str,
    sealed_secret: &str,
    kinds: &str,
    created_by: UserId,
    now: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO webhook_endpoints (seller_id, url, secret, kinds, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(seller_id)
    .bind(url)
    .bind(sealed_secret)
    .bind(kinds)
    .bind(created_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// A seller's endpoints that are not deleted, newest first.
pub async fn endpoints<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
) -> DbResult<Vec<EndpointRow>> {
    let rows = sqlx::query(&format!(
        "{ENDPOINT} WHERE seller_id = $1 AND deleted_at IS NULL ORDER BY id DESC"
    ))
    .bind(seller_id)
    .fetch_all(ex)
    .await?;
    rows.iter().map(endpoint_row).collect()
}

/// One endpoint, deleted or not.
pub async fn endpoint<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> DbResult<Option<EndpointRow>> {
    sqlx::query(&format!("{ENDPOINT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?
        .as_ref()
        .map(endpoint_row)
        .transpose()
}

/// The seller's enabled endpoints listening to `kind`.
pub async fn listeners(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    kind: &str,
) -> DbResult<Vec<i64>> {
    // `kinds` is a comma list of codes without spaces: match whole codes.
    sqlx::query_scalar(
        "SELECT id FROM webhook_endpoints WHERE seller_id = $1 AND disabled_at IS NULL AND deleted_at IS NULL \
         AND (',' || kinds || ',') LIKE $2 ESCAPE '!' ORDER BY id",
    )
    .bind(seller_id)
    // `_` is LIKE's any-character: codes are matched as written.
    .bind(format!("%,{},%", kind.replace('_', "!_")))
    .fetch_all(conn)
    .await
}

pub async fn delete_endpoint(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    id: i64,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE webhook_endpoints SET deleted_at = $1 WHERE id = $2 AND seller_id = $3 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(seller_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Disables an endpoint once; true for the call that did.
pub async fn disable_endpoint(
    conn: &mut AnyConnection,
    id: i64,
    reason: &str,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE webhook_endpoints SET disabled_at = $1, disabled_reason = $2 WHERE id = $3 AND disabled_at IS NULL",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn enable_endpoint(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    id: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = '' \
         WHERE id = $1 AND seller_id = $2 AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(seller_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// Deliveries and their attempts.

/// Adds a delivery of an event to an endpoint; its id, or None when it
/// was there already.
pub async fn insert_delivery(
    conn: &mut AnyConnection,
    endpoint_id: i64,
    event_id: i64,
    now: i64,
) -> DbResult<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO webhook_deliveries (endpoint_id, event_id, next_at, created_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id",
    )
    .bind(endpoint_id)
    .bind(event_id)
    .bind(now)
    .fetch_optional(conn)
    .await
}

#[derive(Clone, Debug)]
pub struct DeliveryRow {
    pub id: i64,
    pub endpoint_id: i64,
    pub event_id: i64,
    pub event_kind: String,
    pub state: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: String,
    pub next_at: Option<i64>,
    pub created_at: i64,
}

const DELIVERY: &str = "SELECT d.id, d.endpoint_id, d.event_id, e.kind AS event_kind, d.state, d.attempts, d.last_status, \
    d.last_error, d.next_at, d.created_at FROM webhook_deliveries d JOIN seller_events e ON e.id = d.event_id";

fn delivery_row(r: &sqlx::any::AnyRow) -> DbResult<DeliveryRow> {
    Ok(DeliveryRow {
        id: r.try_get("id")?,
        endpoint_id: r.try_get("endpoint_id")?,
        event_id: r.try_get("event_id")?,
        event_kind: r.try_get("event_kind")?,
        state: r.try_get("state")?,
        attempts: r.try_get("attempts")?,
        last_status: r.try_get("last_status")?,
        last_error: r.try_get("last_error")?,
        next_at: r.try_get("next_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn delivery<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> DbResult<Option<DeliveryRow>> {
    sqlx::query(&format!("{DELIVERY} WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?
        .as_ref()
        .map(delivery_row)
        .transpose()
}

/// An endpoint's latest deliveries, newest first.
pub async fn deliveries<'c>(
    ex: impl Executor<'c, Database = Any>,
    endpoint_id: i64,
    limit: i64,
) -> DbResult<Vec<DeliveryRow>> {
    let rows = sqlx::query(&format!(
        "{DELIVERY} WHERE d.endpoint_id = $1 ORDER BY d.id DESC LIMIT $2"
    ))
    .bind(endpoint_id)
    .bind(limit)
    .fetch_all(ex)
    .await?;
    rows.iter().map(delivery_row).collect()
}

/// Records one attempt and its outcome on the delivery: `next_at` None
/// when no further attempt is planned.
#[allow(clippy::too_many_arguments)]
pub async fn record_attempt(
    conn: &mut AnyConnection,
    delivery_id: i64,
    status: Option<i64>,
    error: &str,
    duration_ms: i64,
    state: &str,
    next_at: Option<i64>,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, at, status, error, duration_ms) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(delivery_id)
    .bind(now)
    .bind(status)
    .bind(error)
    .bind(duration_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $1, last_error = $2, state = $3, next_at = $4, \
           delivered_at = CASE WHEN $3 = 'delivered' THEN $5 ELSE delivered_at END \
         WHERE id = $6",
    )
    .bind(status)
    .bind(error)
    .bind(state)
    .bind(next_at)
    .bind(now)
    .bind(delivery_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn mark_success(conn: &mut AnyConnection, endpoint_id: i64, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE webhook_endpoints SET last_success_at = $1 WHERE id = $2")
        .bind(now)
        .bind(endpoint_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Puts a delivery back to pending for one more attempt at `now`.
pub async fn again(conn: &mut AnyConnection, delivery_id: i64, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE webhook_deliveries SET state = 'pending', next_at = $1 WHERE id = $2")
        .bind(now)
        .bind(delivery_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct AttemptRow {
    pub at: i64,
    pub status: Option<i64>,
    pub error: String,
    pub duration_ms: i64,
}

pub async fn attempts<'c>(
    ex: impl Executor<'c, Database = Any>,
    delivery_id: i64,
) -> DbResult<Vec<AttemptRow>> {
    let rows = sqlx::query(
        "SELECT at, status, error, duration_ms FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id",
    )
    .bind(delivery_id)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AttemptRow {
                at: r.try_get("at")?,
                status: r.try_get("status")?,
                error: r.try_get("error")?,
                duration_ms: r.try_get("duration_ms")?,
            })
        })
        .collect()
}
