//! Alert rules' thresholds, the alert inbox, and the facts the rules read.

use crate::domain::alerts::{AlertState, Rule};
use crate::domain::ids::AlertId;
use crate::platform::db::{decode_code, DbResult};
use sqlx::{Any, AnyConnection, Executor, Row};

/// Every rule with its threshold and switch (defaults where never set).
pub async fn rules<'c>(ex: impl Executor<'c, Database = Any>) -> DbResult<Vec<(Rule, i64, bool)>> {
    let stored: Vec<(String, i64, i64)> =
        sqlx::query_as("SELECT rule, threshold, enabled FROM alert_rules")
            .fetch_all(ex)
            .await?;
    Ok(Rule::ALL
        .into_iter()
        .map(
            |r| match stored.iter().find(|(code, _, _)| code == r.code()) {
                Some((_, t, e)) => (r, *t, *e != 0),
                None => (r, r.default_threshold(), true),
            },
        )
        .collect())
}

pub async fn set_rule<'c>(
    ex: impl Executor<'c, Database = Any>,
    rule: Rule,
    threshold: i64,
    enabled: bool,
    by: crate::domain::ids::UserId,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO alert_rules (rule, threshold, enabled, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (rule) DO UPDATE SET threshold = excluded.threshold, enabled = excluded.enabled, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(rule.code())
    .bind(threshold)
    .bind(i64::from(enabled))
    .bind(by)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// Records a firing: refreshes the alert still open or acknowledged for
/// this rule and subject, or opens a new one. Returns the alert's id and
/// whether it is new (not yet notified). The unique index of unresolved
/// alerts decides between the two, so instances evaluating the rules at
/// the same moment raise it once: the second one's insert waits for the
/// first's commit and then refreshes what it wrote.
pub async fn raise(
    conn: &mut AnyConnection,
    rule: Rule,
    subject: &str,
    (title, detail): (&str, &str),
    facts: &str,
    now: i64,
) -> DbResult<(AlertId, bool)> {
    let (id, notified): (AlertId, Option<i64>) = sqlx::query_as(
        "INSERT INTO alerts (rule, subject, title, detail, facts, state, first_seen_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $6) \
         ON CONFLICT (rule, subject) WHERE state <> 'resolved' \
         DO UPDATE SET last_seen_at = excluded.last_seen_at, detail = excluded.detail, title = excluded.title, facts = excluded.facts \
         RETURNING id, notified_at",
    )
    .bind(rule.code())
    .bind(subject)
    .bind(title)
    .bind(detail)
    .bind(facts)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, notified.is_none()))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertRow {
    pub id: AlertId,
    pub rule: String,
    pub subject: String,
    pub title: String,
    pub detail: String,
    /// `AlertFacts` as JSON; None for alerts raised before they were kept.
    pub facts: Option<String>,
    pub state: AlertState,
    pub first_seen_at: i64,
    pub last_seen_at: i64,
    pub changed_by: Option<String>,
}

/// Open first, then acknowledged, then the latest resolved.
pub async fn inbox<'c>(
    ex: impl Executor<'c, Database = Any>,
    limit: i64,
) -> DbResult<Vec<AlertRow>> {
    let rows = sqlx::query(
        "SELECT a.id, a.rule, a.subject, a.title, a.detail, a.facts, a.state, a.first_seen_at, a.last_seen_at, u.display_name FROM alerts a \
         LEFT JOIN users u ON u.id = a.changed_by \
         ORDER BY CASE a.state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END, a.last_seen_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AlertRow {
                id: r.try_get("id")?,
                rule: r.try_get("rule")?,
                subject: r.try_get("subject")?,
                title: r.try_get("title")?,
                detail: r.try_get("detail")?,
                facts: r.try_get("facts")?,
                state: decode_code(r.try_get::<String, _>("state")?.as_str())?,
                first_seen_at: r.try_get("first_seen_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
                changed_by: r.try_get("display_name")?,
            })
        })
        .collect()
}

/// open -> acknowledged -> resolved (or open -> resolved); false when the
/// alert is not in a state that allows it.
pub async fn change<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AlertId,
    to: AlertState,
    by: crate::domain::ids::UserId,
    now: i64,
) -> DbResult<bool> {
    let from = match to {
        AlertState::Acknowledged => "('open')",
        AlertState::Open | AlertState::Resolved => "('open', 'acknowledged')",
    };
    let done = sqlx::query(&format!("UPDATE alerts SET state = $1, changed_by = $2, changed_at = $3 WHERE id = $4 AND state IN {from}"))
        .bind(to.code())
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_notified<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AlertId,

    now: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE alerts SET notified_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Per refurbisher: (seller id, company, inspected, counter-offered) since `from`.
pub async fn counter_rates(
    conn: &mut AnyConnection,
    from: i64,
) -> DbResult<Vec<(i64, String, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT s.id, s.company_name, \
           (SELECT COUNT(DISTINCT i.trade_in_id) FROM inspections i JOIN trade_ins t ON t.id = i.trade_in_id WHERE t.seller_id = s.id AND i.at >= $1) AS inspected, \
           (SELECT COUNT(*) FROM counter_offers co JOIN trade_ins t ON t.id = co.trade_in_id WHERE t.seller_id = s.id AND co.created_at >= $1) AS countered \
         FROM sellers s WHERE s.kind = 'refurbisher'",
    )
    .bind(from)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("company_name")?,
                r.try_get("inspected")?,
                r.try_get("countered")?,
            ))
        })
        .collect()
}

/// Trade-ins in `states` with their refurbisher and the time `column` was stamped.
pub async fn waiting(
    conn: &mut AnyConnection,
    states: &str,
    column: &str,
) -> DbResult<Vec<(i64, String, i64)>> {
    // `states` and `column` are constants of the caller, never input.
    let rows = sqlx::query(&format!(
        "SELECT s.id, s.company_name, t.{column} AS at FROM trade_ins t JOIN sellers s ON s.id = t.seller_id WHERE t.state IN ({states}) AND t.{column} IS NOT NULL"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("company_name")?,
                r.try_get("at")?,
            ))
        })
        .collect()
}

/// The most shown (variant, grade) pairs since `from`: (variant id, grade, sku, views).
/// Offers most shown since `from`, per market: (market code, variant,
/// grade code, sku, views).
pub async fn popular(
    conn: &mut AnyConnection,
    from: i64,
    min_views: i64,
    limit: i64,
) -> DbResult<Vec<(String, crate::domain::ids::VariantId, String, String, i64)>> {
    sqlx::query_as(
        "SELECT ov.market, ov.variant_id, ov.grade, v.sku, COUNT(*) AS n FROM offer_views ov JOIN variants v ON v.id = ov.variant_id \
         WHERE ov.at >= $1 GROUP BY ov.market, ov.variant_id, ov.grade, v.sku HAVING COUNT(*) >= $2 ORDER BY n DESC LIMIT $3",
    )
    .bind(from)
    .bind(min_views)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Refurbishers with a weekly cap: (id, company, cap, units this week).
pub async fn capped(
    conn: &mut AnyConnection,
    week_start: i64,
) -> DbResult<Vec<(i64, String, i64, i64)>> {
    sqlx::query_as(
        "SELECT s.id, s.company_name, s.weekly_cap, COALESCE(u.units, 0) FROM sellers s \
         LEFT JOIN cap_usage u ON u.scope = 'seller' AND u.owner_id = s.id AND u.week_start = $1 \
         WHERE s.kind = 'refurbisher' AND s.status = 'approved' AND s.weekly_cap IS NOT NULL",
    )
    .bind(week_start)
    .fetch_all(conn)
    .await
}

/// Every operations user's address and the areas' language they chose
/// (None until they choose).
pub async fn ops_recipients<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> DbResult<Vec<(String, Option<String>)>> {
    sqlx::query_as("SELECT email, lang FROM users WHERE role = 'ops' ORDER BY id")
        .fetch_all(ex)
        .await
}
