//! The raw counts behind the operations KPIs (`domain::kpi`), for one
//! period, filtered by market, category, brand and refurbisher, and grouped by a
//! segment (category/brand, refurbisher) or by week for charts. Each
//! measure is one grouped query; medians and SLA checks, which need the
//! business-day calendar, are finished in Rust from the fetched times.
//! Money is read with the row's market and kept in its currency
//! (`Counts::offered`, `Counts::paid_amounts`), never summed across them.

use crate::domain::dates::DAY_MS;
use crate::domain::ids::SellerId;
use crate::domain::kpi::{median, Counts};
use crate::domain::market::Market;
use crate::domain::sla::{inspect_due_ms, pay_due_ms};
use crate::platform::db::DbResult;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// One market, or all.
    pub market: Option<Market>,
    /// Category slug, "" for all.
    pub category: String,
    /// Brand slug, "" for all.
    pub brand: String,
    /// One seller, or all.
    pub seller_id: Option<SellerId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    All,
    CategoryBrand,
    Seller,
    /// The refurbisher's id ("0": none, e.g. recycling), for per-seller
    /// scorecards in one pass.
    SellerId,
    /// Fixed-length buckets of `len_ms` from `base_ms` (charts).
    Bucket {
        base_ms: i64,
        len_ms: i64,
    },
    /// Category/brand and refurbisher together (`SEGMENT_SEP` between), so
    /// one read gives a period's total and both breakdowns.
    Segment,
    /// UTC day, category, brand and refurbisher ids and the market: the
    /// rollup's rows.
    Rollup,
}

/// Between the two halves of a `Group::Segment` key: a control character
/// no category, brand or company name contains.
const SEGMENT_SEP: char = '\u{1f}';

const WEEK_LEN: i64 = 7 * DAY_MS;

impl Group {
    /// The segment key as SQL over the aliases `c`, `b` and `s` and the
    /// row's time and market columns. A category is keyed by its slug and
    /// recycling (no refurbisher) by an empty name, so the service can name
    /// both in its reader's language (`service::segment_names`). Bases and lengths are integers we
    /// computed, never input, so they are written inline.
    pub(crate) fn key(self, time: &str, market: &str) -> String {
        match self {
            Group::All => "'all'".into(),
            Group::CategoryBrand => "c.slug || ' / ' || b.name".into(),
            Group::Seller => "COALESCE(s.company_name, '')".into(),
            Group::SellerId => "CAST(COALESCE(s.id, 0) AS TEXT)".into(),
            Group::Segment => format!("c.slug || ' / ' || b.name || '{SEGMENT_SEP}' || COALESCE(s.company_name, '')"),
            Group::Bucket { base_ms, len_ms } => format!("CAST(({time} - {base_ms}) / {len_ms} AS TEXT)"),
            Group::Rollup => format!(
                "CAST({time} / {DAY_MS} * {DAY_MS} AS TEXT) || ':' || CAST(c.id AS TEXT) || ':' || CAST(b.id AS TEXT) || ':' || CAST(COALESCE(s.id, 0) AS TEXT) || ':' || {market}"
            ),
        }
    }

    /// Whether the key reads the category and brand (aliases `c`, `b`).
    pub(crate) fn needs_catalog(self) -> bool {
        matches!(self, Group::CategoryBrand | Group::Segment | Group::Rollup)
    }

    /// Whether the key reads the refurbisher (alias `s`).
    pub(crate) fn needs_seller(self) -> bool {
        matches!(
            self,
            Group::Seller | Group::SellerId | Group::Segment | Group::Rollup
        )
    }

    /// Whether whole stored days add up to this grouping's segments.
    fn fits_days(self) -> bool {
        match self {
            Group::Bucket { base_ms, len_ms } => base_ms % DAY_MS == 0 && len_ms % DAY_MS == 0,
            _ => true,
        }
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
    /// Whether a category or brand is chosen (as `sql` applies it).
    pub(crate) fn narrows_catalog(&self) -> bool {
        crate::domain::catalog::is_slug(&self.category)
            || crate::domain::catalog::is_slug(&self.brand)
    }

    /// The filter as SQL conditions, `market` naming the row's market
    /// column. Only the filters in use appear, so the planner sees a plain
    /// time range to drive the query (an `OR $n = ''` form made SQLite
    /// start from the catalog and Postgres use generic plans). Values are
    /// inlined: slugs are checked to be `[a-z0-9-]` only, the seller an
    /// integer, the market one of our own codes.
    pub(crate) fn sql(&self, market: &str) -> String {
        let slug = |s: &str| crate::domain::catalog::is_slug(s).then(|| s.to_string());
        let mut out = String::new();
        if let Some(m) = self.market {
            out.push_str(&format!(" AND {market} = '{}'", m.code()));
        }
        if let Some(c) = slug(&self.category) {
            out.push_str(&format!(" AND c.slug = '{c}'"));
        }
        if let Some(b) = slug(&self.brand) {
            out.push_str(&format!(" AND b.slug = '{b}'"));
        }
        if let Some(seller) = self.seller_id {
            out.push_str(&format!(" AND s.id = {seller}"));
        }

        out
    }
}

async fn grouped(
    conn: &mut AnyConnection,
    sql: &str,
    from: i64,
    to: i64,
) -> DbResult<Vec<sqlx::any::AnyRow>> {
    sqlx::query(sql).bind(from).bind(to).fetch_all(conn).await
}

/// The additive counts per segment key for [from, to), from the source
/// tables (no medians).
pub(crate) async fn source_counts(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    f: &Filter,
    group: Group,
) -> DbResult<BTreeMap<String, Counts>> {
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    let filters = f.sql("t.market");
    let trade_in_joins = joins("t.variant_id", "t.seller_id");

    // Per market too: the prices' currency.
    let sql = format!(
        "SELECT {k} AS k, ov.market, COUNT(*) AS n, CAST(COALESCE(SUM(ov.price_minor), 0) AS BIGINT) AS total, COUNT(ov.price_minor) AS priced \
         FROM offer_views ov {j} WHERE ov.at >= $1 AND ov.at < $2 {view_filters} GROUP BY k, ov.market",
        k = group.key("ov.at", "ov.market"),
        j = joins("ov.variant_id", "ov.seller_id"),
        view_filters = f.sql("ov.market"),
    );
    for r in grouped(conn, &sql, from, to).await? {
        let currency = market_of(&r)?.currency();
        let c = out.entry(r.try_get("k")?).or_default();
        c.offers_shown += r.try_get::<i64, _>("n")?;
        c.offered
            .add(currency, r.try_get("total")?, r.try_get("priced")?);
    }

    let sql = format!(
        "SELECT {k} AS k, COUNT(*) AS n, CAST(COALESCE(SUM(t.recycling), 0) AS BIGINT) AS recycled FROM trade_ins t {trade_in_joins} \
         WHERE t.created_at >= $1 AND t.created_at < $2 {filters} GROUP BY k",
        k = group.key("t.created_at", "t.market")
    );
    for r in grouped(conn, &sql, from, to).await? {
        let c = out.entry(r.try_get("k")?).or_default();
        c.accepted = r.try_get("n")?;
        c.recycled = r.try_get("recycled")?;
    }

    let sql = format!(
        "SELECT {k} AS k, e.to_state, COUNT(DISTINCT e.trade_in_id) AS n FROM trade_in_events e JOIN trade_ins t ON t.id = e.trade_in_id {trade_in_joins} \
         WHERE e.at >= $1 AND e.at < $2 AND e.to_state IN ('shipped', 'returned', 'expired') {filters} GROUP BY k, e.to_state",
        k = group.key("e.at", "t.market")
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
            k = group.key(&format!("t.{column}"), "t.market")
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
        k = group.key("i.at", "t.market")
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
        k = group.key("co.created_at", "t.market")
    );
    for r in grouped(conn, &sql, from, to).await? {
        out.entry(r.try_get("k")?).or_default().counter_offered = r.try_get("n")?;
    }
    let sql = format!(
        "SELECT {k} AS k, COUNT(*) AS n, CAST(COALESCE(SUM(CASE WHEN co.answer = 'accepted' THEN 1 ELSE 0 END), 0) AS BIGINT) AS accepted \
         FROM counter_offers co JOIN trade_ins t ON t.id = co.trade_in_id {trade_in_joins} \
         WHERE co.answered_at >= $1 AND co.answered_at < $2 AND co.answer IN ('accepted', 'declined') {filters} GROUP BY k",
        k = group.key("co.answered_at", "t.market")
    );
    for r in grouped(conn, &sql, from, to).await? {
        let c = out.entry(r.try_get("k")?).or_default();
        c.counter_answered = r.try_get("n")?;
        c.counter_accepted = r.try_get("accepted")?;
    }

    let sql = format!(
        "SELECT {k} AS k, t.market, t.validated_at, t.paid_at, COALESCE(t.final_price_minor, t.price_minor) AS amount FROM trade_ins t {trade_in_joins} \
         WHERE t.paid_at >= $1 AND t.paid_at < $2 {filters}",
        k = group.key("t.paid_at", "t.market")
    );
    for r in grouped(conn, &sql, from, to).await? {
        let currency = market_of(&r)?.currency();
        let c = out.entry(r.try_get("k")?).or_default();
        let paid: i64 = r.try_get("paid_at")?;
        let validated: Option<i64> = r.try_get("validated_at")?;
        c.paid += 1;
        c.paid_amounts
            .add(currency, r.try_get::<i64, _>("amount")?, 1);
        if validated.is_some_and(|v| paid <= pay_due_ms(v)) {
            c.paid_within_sla += 1;
        }
    }
    Ok(out)
}

/// The row's `market` column.
pub(crate) fn market_of(r: &sqlx::any::AnyRow) -> DbResult<Market> {
    crate::platform::db::decode_code(&r.try_get::<String, _>("market")?)
}

/// The median time from acceptance to payment of the trade-ins paid in
/// [from, to), per segment key. Medians do not add up across days, so
/// they always come from `trade_ins` (one indexed range of paid rows).
async fn pay_medians(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    f: &Filter,
    group: Group,
) -> DbResult<BTreeMap<String, i64>> {
    let filters = f.sql("t.market");
    // Unfiltered totals need no catalog: the paid range alone.
    let j = if group.needs_catalog() || group.needs_seller() || !filters.is_empty() {
        joins("t.variant_id", "t.seller_id")
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT {k} AS k, t.paid_at - t.created_at AS d FROM trade_ins t {j} WHERE t.paid_at >= $1 AND t.paid_at < $2 {filters}",
        k = group.key("t.paid_at", "t.market"),
    );
    let mut durations: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in grouped(conn, &sql, from, to).await? {
        durations
            .entry(r.try_get("k")?)
            .or_default()
            .push(r.try_get("d")?);
    }
    Ok(durations
        .into_iter()
        .filter_map(|(k, d)| median(d).map(|m| (k, m)))
        .collect())
}

/// How [from, to) splits between whole days already rolled up and the
/// rest (today, or the edges of a range that starts or ends inside a day).
struct Span {
    from: i64,
    to: i64,
    first_whole_day: i64,
    stored_end: i64,
}

impl Span {
    async fn of(conn: &mut AnyConnection, from: i64, to: i64) -> DbResult<Span> {
        let built = crate::features::kpis::repo::rollup::built_until(conn)
            .await?
            .unwrap_or(i64::MIN);
        Ok(Span {
            from,
            to,
            first_whole_day: (from + DAY_MS - 1).div_euclid(DAY_MS) * DAY_MS,
            stored_end: built.min(to.div_euclid(DAY_MS) * DAY_MS),
        })
    }

    /// All of [from, to) from the source tables: for groupings that whole
    /// days do not add up to.
    fn source_only(from: i64, to: i64) -> Span {
        Span {
            from,
            to,
            first_whole_day: from,
            stored_end: from,
        }
    }

    /// The stored whole days, if any.
    fn stored(&self) -> Option<(i64, i64)> {
        (self.stored_end > self.first_whole_day).then_some((self.first_whole_day, self.stored_end))
    }

    /// The parts read from the source tables.
    fn raw(&self) -> Vec<(i64, i64)> {
        match self.stored() {
            None => vec![(self.from, self.to)],
            Some((a, z)) => [(self.from, a), (z, self.to)]
                .into_iter()
                .filter(|(lo, hi)| lo < hi)
                .collect(),
        }
    }
}

/// Counts per segment key for [from, to): whole days already rolled up
/// come from the rollup, the rest from the source tables. `medians` adds
/// the median time to pay, which costs a read of the period's paid
/// trade-ins.
pub async fn counts(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    f: &Filter,
    group: Group,
    medians: bool,
) -> DbResult<BTreeMap<String, Counts>> {
    let span = if group.fits_days() {
        Span::of(&mut *conn, from, to).await?
    } else {
        Span::source_only(from, to)
    };
    let mut out = BTreeMap::new();
    let mut add = |part: BTreeMap<String, Counts>| {
        for (k, c) in part {
            out.entry(k).or_insert_with(Counts::default).add(&c);
        }
    };
    if let Some((a, z)) = span.stored() {
        add(crate::features::kpis::repo::rollup::counts(&mut *conn, a, z, f, group).await?);
    }
    for (lo, hi) in span.raw() {
        add(source_counts(&mut *conn, lo, hi, f, group).await?);
    }
    if medians {
        for (k, m) in pay_medians(conn, from, to, f, group).await? {
            out.entry(k).or_default().median_ms_to_pay = Some(m);
        }
    }
    Ok(out)
}

/// Counts for the whole filtered period (one row, zeros when empty).
pub async fn totals(conn: &mut AnyConnection, from: i64, to: i64, f: &Filter) -> DbResult<Counts> {
    Ok(counts(conn, from, to, f, Group::All, true)
        .await?
        .remove("all")
        .unwrap_or_default())
}

/// `n` consecutive weeks from `from`, oldest first.
pub async fn weekly(
    conn: &mut AnyConnection,
    from: i64,
    n: usize,
    f: &Filter,
    medians: bool,
) -> DbResult<Vec<Counts>> {
    let mut by = counts(
        conn,
        from,
        from + n as i64 * WEEK_LEN,
        f,
        Group::Bucket {
            base_ms: from,
            len_ms: WEEK_LEN,
        },
        medians,
    )
    .await?;
    Ok((0..n)
        .map(|i| by.remove(&i.to_string()).unwrap_or_default())
        .collect())
}

/// One period: its totals and its breakdowns by category/brand and by
/// refurbisher, from a single grouped read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Breakdown {
    pub total: Counts,
    pub by_category_brand: BTreeMap<String, Counts>,
    pub by_seller: BTreeMap<String, Counts>,
}

/// `segment_medians` also finds each segment's median time to pay (the
/// total always has its own). Stored days are read per side from the
/// rollup's narrower tables; the rest of the period is read once from the
/// source tables by category/brand and refurbisher together and split.
pub async fn breakdown(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    f: &Filter,
    segment_medians: bool,
) -> DbResult<Breakdown> {
    let span = Span::of(&mut *conn, from, to).await?;
    let mut b = Breakdown::default();
    if let Some((a, z)) = span.stored() {
        b.by_category_brand =
            crate::features::kpis::repo::rollup::counts(&mut *conn, a, z, f, Group::CategoryBrand)
                .await?;
        b.by_seller =
            crate::features::kpis::repo::rollup::counts(&mut *conn, a, z, f, Group::Seller).await?;
    }
    for (lo, hi) in span.raw() {
        for (k, c) in source_counts(&mut *conn, lo, hi, f, Group::Segment).await? {
            let (cb, seller) = k.split_once(SEGMENT_SEP).unwrap_or((k.as_str(), ""));
            b.by_category_brand
                .entry(cb.to_string())
                .or_default()
                .add(&c);
            b.by_seller.entry(seller.to_string()).or_default().add(&c);
        }
    }
    // Every count has one category and brand, so their sum is the total.
    for c in b.by_category_brand.values() {
        b.total.add(c);
    }
    b.total.median_ms_to_pay = pay_medians(&mut *conn, from, to, f, Group::All)
        .await?
        .remove("all");
    if segment_medians {
        for (k, m) in pay_medians(&mut *conn, from, to, f, Group::CategoryBrand).await? {
            b.by_category_brand.entry(k).or_default().median_ms_to_pay = Some(m);
        }
        for (k, m) in pay_medians(&mut *conn, from, to, f, Group::Seller).await? {
            b.by_seller.entry(k).or_default().median_ms_to_pay = Some(m);
        }
    }
    Ok(b)
}
