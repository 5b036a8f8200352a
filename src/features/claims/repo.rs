//! Customer-care claims and the messages on them.

use crate::domain::claims::{ClaimKind, ClaimState, Outcome};
use crate::domain::ids::{ClaimId, SellerId, TradeInId, UserId};
use crate::domain::tradein::State;
use crate::platform::db::{decode_code, DbResult};
use sqlx::{Any, AnyConnection, Executor, Row};

pub async fn open_for<'c>(
    ex: impl Executor<'c, Database = Any>,
    trade_in_id: TradeInId,
) -> DbResult<Option<ClaimId>> {
    sqlx::query_scalar("SELECT id FROM claims WHERE trade_in_id = $1 AND state = 'open'")
        .bind(trade_in_id)
        .fetch_optional(ex)
        .await
}

pub async fn insert(
    conn: &mut AnyConnection,
    trade_in_id: TradeInId,
    customer_id: UserId,
    kind: &str,
    now: i64,
) -> DbResult<ClaimId> {
    sqlx::query_scalar("INSERT INTO claims (trade_in_id, customer_id, kind, state, created_at) VALUES ($1, $2, $3, 'open', $4) RETURNING id")
        .bind(trade_in_id)
        .bind(customer_id)
        .bind(kind)
        .bind(now)
        .fetch_one(conn)
        .await
}

pub async fn add_message<'c>(
    ex: impl Executor<'c, Database = Any>,
    claim_id: ClaimId,
    author_id: UserId,
    role: &str,
    body: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query("INSERT INTO claim_messages (claim_id, author_id, author_role, body, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(claim_id)
        .bind(author_id)
        .bind(role)
        .bind(body)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimRow {
    pub id: ClaimId,
    pub trade_in_id: TradeInId,
    pub reference: String,
    pub customer_id: UserId,
    pub customer_email: String,
    pub seller_id: SellerId,
    pub seller: String,
    pub kind: ClaimKind,
    pub state: ClaimState,
    /// None until resolved.
    pub outcome: Option<Outcome>,
    pub resolution: String,
    pub trade_in_state: State,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

const SELECT: &str = "SELECT c.id, c.trade_in_id, t.reference, c.customer_id, u.email, t.seller_id, s.company_name, c.kind, c.state, c.outcome, \
    c.resolution, t.state AS trade_in_state, c.created_at, c.resolved_at \
    FROM claims c JOIN trade_ins t ON t.id = c.trade_in_id JOIN users u ON u.id = c.customer_id JOIN sellers s ON s.id = t.seller_id";

fn row(r: &sqlx::any::AnyRow) -> DbResult<ClaimRow> {
    Ok(ClaimRow {
        id: r.try_get("id")?,
        trade_in_id: r.try_get("trade_in_id")?,
        reference: r.try_get("reference")?,
        customer_id: r.try_get("customer_id")?,
        customer_email: r.try_get("email")?,
        seller_id: r.try_get("seller_id")?,
        seller: r.try_get("company_name")?,
        kind: decode_code(r.try_get::<String, _>("kind")?.as_str())?,
        state: decode_code(r.try_get::<String, _>("state")?.as_str())?,
        outcome: match r.try_get::<String, _>("outcome")?.as_str() {
            "" => None,
            code => Some(decode_code(code)?),
        },
        resolution: r.try_get("resolution")?,
        trade_in_state: decode_code(r.try_get::<String, _>("trade_in_state")?.as_str())?,
        created_at: r.try_get("created_at")?,
        resolved_at: r.try_get("resolved_at")?,
    })
}

pub async fn find<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: ClaimId,
) -> DbResult<Option<ClaimRow>> {
    sqlx::query(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?
        .as_ref()
        .map(row)
        .transpose()
}

/// Open first (oldest first), then the latest resolved.
pub async fn queue<'c>(
    ex: impl Executor<'c, Database = Any>,
    limit: i64,
) -> DbResult<Vec<ClaimRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT} ORDER BY CASE WHEN c.state = 'open' THEN 0 ELSE 1 END, CASE WHEN c.state = 'open' THEN c.created_at ELSE -c.resolved_at END LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(ex)
    .await?;
    rows.iter().map(row).collect()
}

pub async fn for_trade_in<'c>(
    ex: impl Executor<'c, Database = Any>,
    trade_in_id: TradeInId,
) -> DbResult<Vec<ClaimRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE c.trade_in_id = $1 ORDER BY c.id DESC"
    ))
    .bind(trade_in_id)
    .fetch_all(ex)
    .await?;
    rows.iter().map(row).collect()
}

/// (author name, role, body, at), oldest first.
pub async fn messages<'c>(
    ex: impl Executor<'c, Database = Any>,
    claim_id: ClaimId,
) -> DbResult<Vec<(String, String, String, i64)>> {
    sqlx::query_as(
        "SELECT u.display_name, m.author_role, m.body, m.created_at FROM claim_messages m JOIN users u ON u.id = m.author_id WHERE m.claim_id = $1 ORDER BY m.created_at, m.id",
    )
    .bind(claim_id)
    .fetch_all(ex)
    .await
}

pub async fn resolve<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: ClaimId,
    outcome: &str,
    resolution: &str,
    by: UserId,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query("UPDATE claims SET state = 'resolved', outcome = $1, resolution = $2, resolved_by = $3, resolved_at = $4 WHERE id = $5 AND state = 'open'")
        .bind(outcome)
        .bind(resolution)
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Claims per refurbisher since `from`: (seller id, count).
pub async fn per_seller<'c>(
    ex: impl Executor<'c, Database = Any>,
    from: i64,
) -> DbResult<Vec<(SellerId, i64)>> {
    sqlx::query_as("SELECT t.seller_id, COUNT(*) FROM claims c JOIN trade_ins t ON t.id = c.trade_in_id WHERE c.created_at >= $1 GROUP BY t.seller_id")
        .bind(from)
        .fetch_all(ex)
        .await
}
