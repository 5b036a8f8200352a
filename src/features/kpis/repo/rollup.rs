//! `kpi_daily`: the operations KPIs' additive counts per UTC day, category,
//! brand, refurbisher and market (so a row's money is in one currency, its
//! market's), for whole days before `built_until`; beside it the
//! same counts summed per category and brand (`kpi_daily_category_brand`)
//! and per refurbisher (`kpi_daily_seller`), which the reads that need only
//! one side use: a month is 30 x 15 rows there, 30 x 750 in `kpi_daily`. Every count
//! is keyed by the moment something happened (an offer shown, an event, an
//! inspection, a payment), and those moments are "now" when written, so a
//! finished day never changes: rolling it up once is enough. Data written
//! into the past (the demo's and the benchmark's history) calls `rebuild`.

use crate::domain::dates::DAY_MS;
use crate::domain::kpi::Counts;
use crate::domain::market::Market;
use crate::features::kpis::repo::ops_kpis::{market_of, source_counts, Filter, Group};
use crate::platform::db::Db;
use crate::platform::db::DbResult;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// Days built per pass: bounds one pass's memory on a year of history.
const DAYS_PER_PASS: i64 = 31;
const ROWS_PER_INSERT: usize = 400;

/// The columns in `Counts::stored` order, as stored and summed.
const COLUMNS: [&str; 18] = [
    "offers_shown",
    "offered_total_minor",
    "offers_with_price",
    "accepted",
    "recycled",
    "shipped",
    "returned",
    "expired",
    "received",
    "validated",
    "inspected",
    "inspected_within_sla",
    "counter_offered",
    "counter_answered",
    "counter_accepted",
    "paid",
    "paid_total_minor",
    "paid_within_sla",
];

/// The end (exclusive) of the last day rolled up; None before the first build.
pub async fn built_until(conn: &mut AnyConnection) -> DbResult<Option<i64>> {
    sqlx::query_scalar("SELECT built_until_ms FROM kpi_rollup_state WHERE id = 1")
        .fetch_one(conn)
        .await
}

/// One of the rollup's tables: which segment columns it keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Table {
    Full,
    CategoryBrand,
    Seller,
}

impl Table {
    const ALL: [Table; 3] = [Table::Full, Table::CategoryBrand, Table::Seller];

    fn name(self) -> &'static str {
        match self {
            Table::Full => "kpi_daily",
            Table::CategoryBrand => "kpi_daily_category_brand",
            Table::Seller => "kpi_daily_seller",
        }
    }

    fn key_columns(self) -> &'static [&'static str] {
        match self {
            Table::Full => &["category_id", "brand_id", "seller_id", "market"],
            Table::CategoryBrand => &["category_id", "brand_id", "market"],
            Table::Seller => &["seller_id", "market"],
        }
    }

    /// The smallest table with every column the filter and grouping use.
    fn for_read(f: &Filter, group: Group) -> Table {
        match (
            f.narrows_catalog() || group.needs_catalog(),
            f.seller_id.is_some() || group.needs_seller(),
        ) {
            (true, true) => Table::Full,
            (false, true) => Table::Seller,
            _ => Table::CategoryBrand,
        }
    }

    /// Joins giving the aliases `c`, `b` and `s` that keys and filters use.
    fn joins(self) -> &'static str {
        match self {
            Table::Full => "JOIN categories c ON c.id = r.category_id JOIN brands b ON b.id = r.brand_id LEFT JOIN sellers s ON s.id = r.seller_id",
            Table::CategoryBrand => "JOIN categories c ON c.id = r.category_id JOIN brands b ON b.id = r.brand_id",
            Table::Seller => "LEFT JOIN sellers s ON s.id = r.seller_id",
        }
    }

    /// This table's row key from a full one (`[category, brand, seller]`),
    /// as SQL values; the market ends every key.
    fn key_of(self, full: &[i64; 3], market: Market) -> Vec<String> {
        let ids = match self {
            Table::Full => full.to_vec(),
            Table::CategoryBrand => vec![full[0], full[1]],
            Table::Seller => vec![full[2]],
        };
        ids.iter()
            .map(i64::to_string)
            .chain([format!("'{}'", market.code())])
            .collect()
    }
}

/// Sums of the stored days in [from, to) (both day starts) per segment
/// key, from the smallest table that has what `f` and `group` need; each
/// market's money in its currency.
pub async fn counts(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    f: &Filter,
    group: Group,
) -> DbResult<BTreeMap<String, Counts>> {
    let table = Table::for_read(f, group);
    let sums: Vec<String> = COLUMNS
        .iter()
        .map(|c| format!("CAST(SUM(r.{c}) AS BIGINT) AS {c}"))
        .collect();
    let sql = format!(
        "SELECT {k} AS k, r.market, {sums} FROM {t} r {joins} WHERE r.day_ms >= $1 AND r.day_ms < $2 {filters} GROUP BY k, r.market",
        k = group.key("r.day_ms", "r.market"),
        sums = sums.join(", "),
        t = table.name(),
        joins = table.joins(),
        filters = f.sql("r.market")
    );
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for r in sqlx::query(&sql)
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?
    {
        let mut v = [0i64; 18];
        for (i, c) in COLUMNS.iter().enumerate() {
            v[i] = r.try_get(*c)?;
        }
        let currency = market_of(&r)?.currency();
        out.entry(r.try_get("k")?)
            .or_default()
            .add(&Counts::from_stored(v, currency));
    }
    Ok(out)
}

/// Rolls up every whole day before `now`'s day that is not stored yet.
/// Returns the number of days added. Cheap when up to date (one read).
pub async fn refresh(db: &Db, now: i64) -> DbResult<i64> {
    let today = now.div_euclid(DAY_MS) * DAY_MS;
    if built_until(&mut *db.pool().acquire().await?)
        .await?
        .is_some_and(|b| b >= today)
    {
        return Ok(0);
    }
    let mut tx = db.write_tx().await?;
    // Taking the row first serialises two refreshes on Postgres (SQLite's
    // write transaction already does): the second sees the first's work.
    sqlx::query("UPDATE kpi_rollup_state SET id = id WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let start = match built_until(&mut tx).await? {
        Some(b) => b,
        // Nothing to roll up yet: stay unbuilt rather than mark empty days
        // done before anything is written.
        None => match earliest_day(&mut tx).await? {
            Some(d) => d,
            None => return Ok(0),
        },
    };
    let mut day = start;
    while day < today {
        let end = (day + DAYS_PER_PASS * DAY_MS).min(today);
        let rows = source_counts(&mut tx, day, end, &Filter::default(), Group::Rollup).await?;
        insert(&mut tx, &rows).await?;
        day = end;
    }
    let built = start.max(today);
    sqlx::query("UPDATE kpi_rollup_state SET built_until_ms = $1 WHERE id = 1")
        .bind(built)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((today - start).max(0) / DAY_MS)
}

/// Forgets the stored days and builds them again: for data written into
/// the past (generated history), which `refresh` would not see.
pub async fn rebuild(db: &Db, now: i64) -> DbResult<i64> {
    let mut tx = db.write_tx().await?;
    for table in Table::ALL {
        sqlx::query(&format!("DELETE FROM {}", table.name()))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE kpi_rollup_state SET built_until_ms = NULL WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    refresh(db, now).await
}

/// The first day with an offer shown or a trade-in accepted: nothing
/// counted happens before both.
async fn earliest_day(conn: &mut AnyConnection) -> DbResult<Option<i64>> {
    let views: Option<i64> = sqlx::query_scalar("SELECT MIN(at) FROM offer_views")
        .fetch_one(&mut *conn)
        .await?;
    let trade_ins: Option<i64> = sqlx::query_scalar("SELECT MIN(created_at) FROM trade_ins")
        .fetch_one(&mut *conn)
        .await?;
    Ok(views
        .into_iter()
        .chain(trade_ins)
        .min()
        .map(|t| t.div_euclid(DAY_MS) * DAY_MS))
}

/// Writes rows keyed `day:category:brand:seller:market` (`Group::Rollup`)
/// into `kpi_daily`, and their sums into the two narrower tables. All
/// values are integers from our own queries and market codes read back
/// through `Market`, so they are written inline: one statement per few
/// hundred rows instead of one per row.
async fn insert(conn: &mut AnyConnection, rows: &BTreeMap<String, Counts>) -> DbResult<()> {
    let mut parsed: Vec<(i64, [i64; 3], Market, &Counts)> = Vec::new();
    for (k, c) in rows {
        let parts: Vec<&str> = k.split(':').collect();
        let [day, category, brand, seller, market] = parts.as_slice() else {
            continue;
        };
        let ids = [day, category, brand, seller].map(|p| p.parse::<i64>().ok());
        let [Some(day), Some(category), Some(brand), Some(seller)] = ids else {
            continue;
        };
        let market: Market = crate::platform::db::decode_code(market)?;
        parsed.push((day, [category, brand, seller], market, c));
    }
    for table in Table::ALL {
        let mut sums: BTreeMap<(i64, Vec<String>), (Market, Counts)> = BTreeMap::new();
        for (day, full, market, c) in &parsed {
            sums.entry((*day, table.key_of(full, *market)))
                .or_insert_with(|| (*market, Counts::default()))
                .1
                .add(c);
        }
        let head = format!(
            "INSERT INTO {} (day_ms, {}, {}) VALUES ",
            table.name(),
            table.key_columns().join(", "),
            COLUMNS.join(", ")
        );
        let tuples: Vec<String> = sums
            .iter()
            .map(|((day, key), (market, c))| {
                let all: Vec<String> = std::iter::once(day.to_string())
                    .chain(key.iter().cloned())
                    .chain(c.stored(market.currency()).iter().map(i64::to_string))
                    .collect();
                format!("({})", all.join(","))
            })
            .collect();
        for chunk in tuples.chunks(ROWS_PER_INSERT) {
            sqlx::query(&format!("{head}{}", chunk.join(",")))
                .persistent(false)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
