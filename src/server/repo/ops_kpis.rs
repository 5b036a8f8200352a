//! The raw counts behind the operations KPIs (`domain::kpi`), for one
//! period, filtered by category, brand and refurbisher, and grouped by a
//! segment (category/brand, refurbisher) or by week for charts. Each
//! measure is one grouped query; medians and SLA checks, which need the
//! business-day calendar, are finished in Rust from the fetched times.

use super::DbResult;
use crate::domain::kpi::{median, Counts};
use crate::domain::sla::{inspect_due_ms, pay_due_ms};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Category slug, "" for all.
    pub category: String,
    /// Brand slug, "" for all.
    pub brand: String,
    /// Seller id, 0 for all.
    pub seller_id: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    All,
    CategoryBrand,
    Seller,
    /// Fixed-length buckets of `len_ms` from the range's start (charts).
    Bucket { len_ms: i64 },
}

const WEEK_LEN: i64 = 7 * crate::domain::dates::DAY_MS;

fn key(group: Group, time: &str) -> String {
    match group {
        Group::All => "'all'".into(),
        Group::CategoryBrand => "c.name || ' / ' || b.name".into(),
        Group::Seller => "COALESCE(s.company_name, 'Recycling')".into(),
        // $1 is the range start; lengths are constants, never input.
        Group::Bucket { len_ms } => format!("CAST(({time} - $1) / {len_ms} AS TEXT)"),
    }
}

/// Joins from a row with a variant (`{v}`) and maybe a seller (`{s}`).
fn joins(variant: &str, seller: &str) -> String {
    format!(
        "JOIN variants v ON v.id = {variant} JOIN models m ON m.id = v.model_id JOIN categories c ON c.id = m.category_id \
         JOIN brands b ON b.id = m.brand_id LEFT JOIN sellers s ON s.id = {seller}"
    )
}

impl Filter {
    /// The filter as SQL conditions. Only the filters in use appear, so the
    /// planner sees a plain time range to drive the query (an `OR $n = ''`
    /// form made SQLite start from the catalog and Postgres use generic
    /// plans). Values are inlined: slugs are checked to be `[a-z0-9-]`
    /// only, the seller an integer.
    fn sql(&self) -> String {
        let slug = |s: &str| crate::domain::catalog::is_slug(s).then(|| s.to_string());
        let mut out = String::new();
        if let Some(c) = slug(&self.category) {
            out.push_str(&format!(" AND c.slug = '{c}'"));
        }
        if let Some(b) = slug(&self.brand) {
            out.push_str(&format!(" AND b.slug = '{b}'"));
        }
        if self.seller_id > 0 {
            out.push_str(&format!(" AND s.id = {}", self.seller_id));
        }
        out
    }
}

async fn grouped(conn: &mut AnyConnection, sql: &str, from: i64, to: i64) -> DbResult<Vec<sqlx::any::AnyRow>> {
    sqlx::query(sql).bind(from).bind(to).fetch_all(conn).await
}

/// Counts per segment key for [from, to).
pub async fn counts(conn: &mut AnyConnection, from: i64, to: i64, f: &Filter, group: Group) -> DbResult<BTreeMap<String, Counts>> {
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    let filters = f.sql();
    let trade_in_joins = joins("t.variant_id", "t.seller_id");

    let sql = format!(
        "SELECT {k} AS k, COUNT(*) AS n, CAST(COALESCE(SUM(ov.price_minor), 0) AS BIGINT) AS total, COUNT(ov.price_minor) AS priced \
         FROM offer_views ov {j} WHERE ov.at >= $1 AND ov.at < $2 {filters} GROUP BY k",
        k = key(group, "ov.at"),
        j = joins("ov.variant_id", "ov.seller_id")
    );
    for r in grouped(conn, &sql, from, to).await? {
        let c = out.entry(r.try_get("k")?).or_default();
        c.offers_shown = r.try_get("n")?;
        c.offered_total_minor = r.try_get("total")?;
        c.offers_with_price = r.try_get("priced")?;
    }

    let sql = format!(
        "SELECT {k} AS k, COUNT(*) AS n, CAST(COALESCE(SUM(t.recycling), 0) AS BIGINT) AS recycled FROM trade_ins t {trade_in_joins} \
         WHERE t.created_at >= $1 AND t.created_at < $2 {filters} GROUP BY k",
        k = key(group, "t.created_at")
    );
    for r in grouped(conn, &sql, from, to).await? {
        let c = out.entry(r.try_get("k")?).or_default();
        c.accepted = r.try_get("n")?;
        c.recycled = r.try_get("recycled")?;
    }

    let sql = format!(
        "SELECT {k} AS k, e.to_state, COUNT(DISTINCT e.trade_in_id) AS n FROM trade_in_events e JOIN trade_ins t ON t.id = e.trade_in_id {trade_in_joins} \
         WHERE e.at >= $1 AND e.at < $2 AND e.to_state IN ('shipped', 'returned', 'expired') {filters} GROUP BY k, e.to_state",
        k = key(group, "e.at")
    );
    for r in grouped(conn, &sql, from, to).await? {
        let c = out.entry(r.try_get("k")?).or_default();
        let n: i64 = r.try_get("n")?;
        match r.try_get::<String, _>("to_state")?.as_str() {
            "shipped" => c.shipped = n,
            "returned" => c.returned = n,
            _ => c.expired = n,
        }
    }

    for (column, field) in [("received_at", 0), ("validated_at", 1)] {
        let sql = format!(
            "SELECT {k} AS k, COUNT(*) AS n FROM trade_ins t {trade_in_joins} WHERE t.{column} >= $1 AND t.{column} < $2 {filters} GROUP BY k",
            k = key(group, &format!("t.{column}"))
        );
        for r in grouped(conn, &sql, from, to).await? {
            let c = out.entry(r.try_get("k")?).or_default();
            let n: i64 = r.try_get("n")?;
            if field == 0 {
                c.received = n;
            } else {
                c.validated = n;
            }
        }
    }

    // The first inspection of each trade-in inspected in the period.
    let sql = format!(
        "SELECT {k} AS k, t.received_at, MIN(i.at) AS at FROM inspections i JOIN trade_ins t ON t.id = i.trade_in_id {trade_in_joins} \
         WHERE i.at >= $1 AND i.at < $2 {filters} GROUP BY k, t.id, t.received_at",
        k = key(group, "i.at")
    );
    for r in grouped(conn, &sql, from, to).await? {
        let c = out.entry(r.try_get("k")?).or_default();
        c.inspected += 1;
        let received: Option<i64> = r.try_get("received_at")?;
        let at: i64 = r.try_get("at")?;
        if received.is_some_and(|rcv| at <= inspect_due_ms(rcv)) {
            c.inspected_within_sla += 1;
        }
    }

    let sql = format!(
        "SELECT {k} AS k, COUNT(*) AS n FROM counter_offers co JOIN trade_ins t ON t.id = co.trade_in_id {trade_in_joins} \
         WHERE co.created_at >= $1 AND co.created_at < $2 {filters} GROUP BY k",
        k = key(group, "co.created_at")
    );
    for r in grouped(conn, &sql, from, to).await? {
        out.entry(r.try_get("k")?).or_default().counter_offered = r.try_get("n")?;
    }
    let sql = format!(
        "SELECT {k} AS k, COUNT(*) AS n, CAST(COALESCE(SUM(CASE WHEN co.answer = 'accepted' THEN 1 ELSE 0 END), 0) AS BIGINT) AS accepted \
         FROM counter_offers co JOIN trade_ins t ON t.id = co.trade_in_id {trade_in_joins} \
         WHERE co.answered_at >= $1 AND co.answered_at < $2 AND co.answer IN ('accepted', 'declined') {filters} GROUP BY k",
        k = key(group, "co.answered_at")
    );
    for r in grouped(conn, &sql, from, to).await? {
        let c = out.entry(r.try_get("k")?).or_default();
        c.counter_answered = r.try_get("n")?;
        c.counter_accepted = r.try_get("accepted")?;
    }

    let sql = format!(
        "SELECT {k} AS k, t.created_at, t.validated_at, t.paid_at, COALESCE(t.final_price_minor, t.price_minor) AS amount FROM trade_ins t {trade_in_joins} \
         WHERE t.paid_at >= $1 AND t.paid_at < $2 {filters}",
        k = key(group, "t.paid_at")
    );
    let mut to_pay: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in grouped(conn, &sql, from, to).await? {
        let k: String = r.try_get("k")?;
        let c = out.entry(k.clone()).or_default();
        let (created, paid): (i64, i64) = (r.try_get("created_at")?, r.try_get("paid_at")?);
        let validated: Option<i64> = r.try_get("validated_at")?;
        c.paid += 1;
        c.paid_total_minor += r.try_get::<i64, _>("amount")?;
        if validated.is_some_and(|v| paid <= pay_due_ms(v)) {
            c.paid_within_sla += 1;
        }
        to_pay.entry(k).or_default().push(paid - created);
    }
    for (k, durations) in to_pay {
        if let Some(c) = out.get_mut(&k) {
            c.median_ms_to_pay = median(durations);
        }
    }
    Ok(out)
}

/// Counts for the whole filtered period (one row, zeros when empty).
pub async fn totals(conn: &mut AnyConnection, from: i64, to: i64, f: &Filter) -> DbResult<Counts> {
    Ok(counts(conn, from, to, f, Group::All).await?.remove("all").unwrap_or_default())
}

/// `n` consecutive weeks from `from`, oldest first.
pub async fn weekly(conn: &mut AnyConnection, from: i64, n: usize, f: &Filter) -> DbResult<Vec<Counts>> {
    let mut by = counts(conn, from, from + n as i64 * WEEK_LEN, f, Group::Bucket { len_ms: WEEK_LEN }).await?;
    Ok((0..n).map(|i| by.remove(&i.to_string()).unwrap_or_default()).collect())
}
