//! The audit log of ops actions and trade-in state changes.

use crate::domain::audit::AuditAction;
use crate::domain::ids::{SellerId, TradeInId, UserId};
use crate::platform::db::DbResult;
use sqlx::{Any, Executor, Row};

/// Who and what an audit entry is about.
#[derive(Clone, Debug, Default)]
pub struct AuditEntry<'a> {
    pub actor_id: Option<UserId>,
    pub trade_in_id: Option<TradeInId>,
    pub seller_id: Option<SellerId>,
    pub user_id: Option<UserId>,
    pub detail: &'a str,
}

pub async fn audit<'c>(
    ex: impl Executor<'c, Database = Any>,
    action: AuditAction,
    e: &AuditEntry<'_>,
    now: i64,
) -> DbResult<()> {
    sqlx::query("INSERT INTO audit_log (actor_id, action, trade_in_id, seller_id, user_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(e.actor_id)
        .bind(action.code())
        .bind(e.trade_in_id)
        .bind(e.seller_id)
        .bind(e.user_id)
        .bind(e.detail)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub trade_in: Option<String>,
    pub seller: Option<String>,
    pub detail: String,
}

/// Ops actions and trade-in state changes, newest first, narrowed to a
/// trade-in (by reference), a user (by email) or a refurbisher (by name).
pub async fn search<'c>(
    ex: impl Executor<'c, Database = Any>,
    reference: &str,
    email: &str,
    seller: &str,
    limit: i64,
) -> DbResult<Vec<AuditRow>> {
    let rows = sqlx::query(
        "SELECT * FROM ( \
           SELECT a.at, COALESCE(u.display_name, 'system') AS actor, a.action, t.reference, s.company_name, a.detail, \
             a.trade_in_id AS tid, a.seller_id AS sid, COALESCE(a.user_id, a.actor_id) AS uid \
           FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN trade_ins t ON t.id = a.trade_in_id \
           LEFT JOIN sellers s ON s.id = COALESCE(a.seller_id, t.seller_id) \
           UNION ALL \
           SELECT e.at, COALESCE(u.display_name, e.actor_role) AS actor, e.action || ': ' || COALESCE(e.from_state, '-') || ' -> ' || e.to_state, \
             t.reference, s.company_name, e.reason, e.trade_in_id, t.seller_id, COALESCE(e.actor_user_id, t.customer_id) \
           FROM trade_in_events e JOIN trade_ins t ON t.id = e.trade_in_id LEFT JOIN users u ON u.id = e.actor_user_id \
           LEFT JOIN sellers s ON s.id = t.seller_id \
         ) x \
         WHERE ($1 = '' OR x.reference = $1) \
           AND ($2 = '' OR x.uid IN (SELECT id FROM users WHERE email = $2)) \
           AND ($3 = '' OR LOWER(x.company_name) LIKE $3) \
         ORDER BY x.at DESC LIMIT $4",
    )
    .bind(reference)
    .bind(email)
    .bind(if seller.is_empty() { String::new() } else { format!("%{}%", seller.to_lowercase().replace(['%', '_'], "")) })
    .bind(limit)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditRow {
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                trade_in: r.try_get("reference")?,
                seller: r.try_get("company_name")?,
                detail: r.try_get("detail")?,
            })
        })
        .collect()
}
