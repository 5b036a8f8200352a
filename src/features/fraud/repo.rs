//! What the fraud rules read, the flags they leave, payout holds, and the
//! IMEI blocklist.

use crate::domain::fraud::{Facts, FlagDetail, FraudRule, PayoutHold};
use crate::domain::ids::TradeInId;
use crate::domain::money::Money;
use crate::domain::tradein::State;
use crate::platform::db::{decode_code, DbResult};
use sqlx::{Any, AnyConnection, Executor, Row};

const YEAR_MS: i64 = 365 * crate::domain::dates::DAY_MS;

/// The facts about one trade-in; `found_imei` once inspected.
/// `fingerprints` gives the fingerprints of the trade-in's IBAN (from its
/// encrypted value) under every accepted secret, so trade-ins stored before
/// a rotation still match.
pub async fn facts(
    conn: &mut AnyConnection,
    trade_in_id: TradeInId,
    found_imei: Option<&str>,
    fingerprints: impl Fn(&str) -> Vec<String>,
    now: i64,
) -> DbResult<Facts> {
    let t = sqlx::query(
        "SELECT customer_id, imei, iban_fingerprint, iban_encrypted FROM trade_ins WHERE id = $1",
    )
    .bind(trade_in_id)
    .fetch_one(&mut *conn)
    .await?;
    let (customer, imei, stored, sealed): (i64, Option<String>, String, String) = (
        t.try_get("customer_id")?,
        t.try_get("imei")?,
        t.try_get("iban_fingerprint")?,
        t.try_get("iban_encrypted")?,
    );
    let mut ibans = if sealed.is_empty() {
        Vec::new()
    } else {
        fingerprints(&sealed)
    };
    if !stored.is_empty() && !ibans.contains(&stored) {
        ibans.push(stored);
    }
    let mut f = Facts {
        declared_imei: imei.clone(),
        found_imei: found_imei.map(str::to_string),
        ..Facts::default()
    };
    let checked: Vec<&str> = [imei.as_deref(), found_imei]
        .into_iter()
        .flatten()
        .filter(|i| !i.is_empty())
        .collect();
    for i in &checked {
        let blocked: Option<String> =
            sqlx::query_scalar("SELECT imei FROM imei_blocklist WHERE imei = $1")
                .bind(*i)
                .fetch_optional(&mut *conn)
                .await?;
        f.imei_blocked |= blocked.is_some();
    }
    if let Some(i) = imei.as_deref() {
        f.same_imei_elsewhere = sqlx::query_scalar("SELECT COUNT(*) FROM trade_ins WHERE imei = $1 AND id <> $2 AND state NOT IN ('cancelled', 'expired')").bind(i).bind(trade_in_id).fetch_one(&mut *conn).await?;
    }
    if !ibans.is_empty() {
        let list = (2..ibans.len() + 2)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT COUNT(DISTINCT customer_id) FROM trade_ins WHERE customer_id <> $1 AND iban_fingerprint IN ({list})"
        );
        let mut query = sqlx::query_scalar(&sql).bind(customer);
        for fp in &ibans {
            query = query.bind(fp);
        }
        f.iban_other_consumers = query.fetch_one(&mut *conn).await?;
    }
    // One total per currency: a consumer selling in two markets has two.
    let rows = sqlx::query(
        "SELECT currency, COUNT(*) AS n, CAST(COALESCE(SUM(COALESCE(final_price_minor, price_minor)), 0) AS BIGINT) AS v FROM trade_ins \
         WHERE customer_id = $1 AND created_at > $2 AND state NOT IN ('cancelled', 'expired') GROUP BY currency",
    )
    .bind(customer)
    .bind(now - YEAR_MS)
    .fetch_all(&mut *conn)
    .await?;
    f.trade_ins_12m = 0;
    for r in &rows {
        f.trade_ins_12m += r.try_get::<i64, _>("n")?;
        f.value_12m
            .add(crate::platform::db::money(r, "v", "currency")?);
    }
    Ok(f)
}

/// Records flags (once per rule) and holds the payout when any is new.
/// Returns how many were new.
pub async fn flag(
    conn: &mut AnyConnection,
    trade_in_id: TradeInId,
    flags: &[(FraudRule, FlagDetail)],
    now: i64,
) -> DbResult<usize> {
    let mut new = 0;
    for (rule, detail) in flags {
        let done = sqlx::query("INSERT INTO fraud_flags (trade_in_id, rule, detail, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (trade_in_id, rule) DO NOTHING")
            .bind(trade_in_id)
            .bind(rule.code())
            .bind(detail.to_stored())
            .bind(now)
            .execute(&mut *conn)
            .await?;
        new += done.rows_affected() as usize;
    }
    if new > 0 {
        sqlx::query("UPDATE trade_ins SET payout_hold = 'held', hold_reason = '', hold_decided_by = NULL, hold_decided_at = NULL WHERE id = $1 AND payout_hold <> 'blocked'")
            .bind(trade_in_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(new)
}

pub async fn hold_of<'c>(
    ex: impl Executor<'c, Database = Any>,
    trade_in_id: TradeInId,
) -> DbResult<PayoutHold> {
    let code: String = sqlx::query_scalar("SELECT payout_hold FROM trade_ins WHERE id = $1")
        .bind(trade_in_id)
        .fetch_one(ex)
        .await?;
    decode_code(&code)
}

/// Releases or blocks a held payout; false when it was not held.
pub async fn decide<'c>(
    ex: impl Executor<'c, Database = Any>,
    trade_in_id: TradeInId,
    to: PayoutHold,
    by: crate::domain::ids::UserId,
    reason: &str,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE trade_ins SET payout_hold = $1, hold_reason = $2, hold_decided_by = $3, hold_decided_at = $4 WHERE id = $5 AND payout_hold = 'held'",
    )
    .bind(to.code())
    .bind(reason)
    .bind(by)
    .bind(now)
    .bind(trade_in_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub trade_in_id: TradeInId,
    pub reference: String,
    pub customer_email: String,
    pub seller: String,
    pub price: Money,
    pub state: State,
    pub hold: PayoutHold,
    pub hold_reason: String,
    pub flags: Vec<(String, String)>,
}

/// Flagged trade-ins: held ones first, then the latest decided.
pub async fn cases(conn: &mut AnyConnection, limit: i64) -> DbResult<Vec<Case>> {
    let rows = sqlx::query(
        "SELECT t.id, t.reference, u.email, s.company_name, COALESCE(t.final_price_minor, t.price_minor) AS price, t.currency, t.state, t.payout_hold, t.hold_reason \
         FROM trade_ins t JOIN users u ON u.id = t.customer_id JOIN sellers s ON s.id = t.seller_id \
         WHERE t.payout_hold <> 'none' \
         ORDER BY CASE WHEN t.payout_hold = 'held' THEN 0 ELSE 1 END, COALESCE(t.hold_decided_at, t.created_at) DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: TradeInId = r.try_get("id")?;
        let flags: Vec<(String, String)> = sqlx::query_as(
            "SELECT rule, detail FROM fraud_flags WHERE trade_in_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        out.push(Case {
            trade_in_id: id,
            reference: r.try_get("reference")?,
            customer_email: r.try_get("email")?,
            seller: r.try_get("company_name")?,
            price: crate::platform::db::money(r, "price", "currency")?,
            state: decode_code(&r.try_get::<String, _>("state")?)?,
            hold: decode_code(&r.try_get::<String, _>("payout_hold")?)?,
            hold_reason: r.try_get("hold_reason")?,
            flags,
        });
    }
    Ok(out)
}

/// The blocklist, newest first: (imei, reason, added at).
pub async fn blocklist<'c>(
    ex: impl Executor<'c, Database = Any>,
    limit: i64,
) -> DbResult<Vec<(String, String, i64)>> {
    sqlx::query_as(
        "SELECT imei, reason, added_at FROM imei_blocklist ORDER BY added_at DESC, imei LIMIT $1",
    )
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// Adds or updates entries; returns how many were new.
pub async fn block(
    conn: &mut AnyConnection,
    entries: &[(String, String)],
    by: crate::domain::ids::UserId,
    now: i64,
) -> DbResult<usize> {
    let mut new = 0;
    for (imei, reason) in entries {
        let existed: Option<String> =
            sqlx::query_scalar("SELECT imei FROM imei_blocklist WHERE imei = $1")
                .bind(imei)
                .fetch_optional(&mut *conn)
                .await?;
        sqlx::query(
            "INSERT INTO imei_blocklist (imei, reason, added_by, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (imei) DO UPDATE SET reason = excluded.reason, added_by = excluded.added_by, added_at = excluded.added_at",
        )
        .bind(imei)
        .bind(reason)
        .bind(by)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        new += usize::from(existed.is_none());
    }
    Ok(new)
}

pub async fn unblock<'c>(ex: impl Executor<'c, Database = Any>, imei: &str) -> DbResult<bool> {
    Ok(sqlx::query("DELETE FROM imei_blocklist WHERE imei = $1")
        .bind(imei)
        .execute(ex)
        .await?
        .rows_affected()
        == 1)
}
