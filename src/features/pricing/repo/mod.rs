//! A refurbisher's own prices: the grid's rows, saving one cell with
//! optimistic concurrency, bulk imports, exports, and the history of every
//! change. A cell that stops buying keeps its row (`active = 0`) so past
//! trade-ins still point at it and its version keeps counting.

pub(super) mod packed;

pub(super) mod api;

use crate::domain::grade::Grade;
use crate::domain::ids::{ListingId, SellerId, UserId, VariantId};
use crate::domain::market::Market;

use crate::domain::money::Money;
use crate::domain::price_import::{CellKey as ImportKey, Existing, Planned};
use crate::features::catalog::service::{
    sold_in_condition, variant_from_row, VariantInfo, SELECT_VARIANT,
};
use crate::features::offers::cache::changed;
use crate::platform::db::{id_list, DbResult};
use crate::platform::db::{Backend, Db};
use sqlx::{AnyConnection, Executor, Row};
use std::collections::HashMap;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Grid,
    Csv,
    Recommendation,
    Api,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Grid => "grid",
            Source::Csv => "csv",
            Source::Recommendation => "recommendation",
            Source::Api => "api",
        }
    }
}

/// One cell of a seller's grid as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub listing_id: ListingId,
    /// None: not buying (the listing was stopped).
    pub price: Option<Money>,
    pub weekly_cap: Option<i64>,
    pub version: i64,
}

fn cell_from(r: &sqlx::any::AnyRow, market: Market) -> DbResult<Cell> {
    let active: i64 = r.try_get("active")?;
    Ok(Cell {
        listing_id: r.try_get("id")?,
        price: if active != 0 {
            Some(Money::new(r.try_get("price_minor")?, market.currency()))
        } else {
            None
        },
        weekly_cap: r.try_get("weekly_cap")?,
        version: r.try_get("version")?,
    })
}

/// Takes the seller's row for the rest of the transaction: the lock every
/// grid writer takes first. A non-key column, so the lock does not hold up
/// trade-ins that merely reference the seller.
pub async fn lock_grid(conn: &mut AnyConnection, seller_id: SellerId) -> DbResult<()> {
    sqlx::query("UPDATE sellers SET status = status WHERE id = $1")
        .bind(seller_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Where a cell is: the seller's price for a variant and grade in a market.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellKey {
    pub seller_id: SellerId,
    pub market: Market,
    pub variant_id: VariantId,
    pub grade: Grade,
}

pub async fn cell(conn: &mut AnyConnection, k: CellKey) -> DbResult<Option<Cell>> {
    let row = sqlx::query("SELECT id, price_minor, active, weekly_cap, version FROM listings WHERE seller_id = $1 AND variant_id = $2 AND grade = $3 AND market = $4")
        .bind(k.seller_id)
        .bind(k.variant_id)
        .bind(k.grade.code())
        .bind(k.market.code())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(|r| cell_from(r, k.market)).transpose()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// The cell's listing and its new version.
    Saved {
        listing_id: ListingId,
        version: i64,
    },
    /// Someone saved since this edit began: nothing was written; here is
    /// what the cell holds now (None: there is no listing at all).
    Stale {
        current: Option<Cell>,
    },
    Unchanged,
    /// A cap was set on a cell that has no listing.
    Missing,
}

async fn record(
    conn: &mut AnyConnection,
    k: CellKey,
    old: Option<Money>,
    new: Option<Money>,
    changed_by: UserId,
    source: Source,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO price_history (seller_id, variant_id, grade, old_price_minor, new_price_minor, changed_by, source, at, market) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(k.seller_id)
    .bind(k.variant_id)
    .bind(k.grade.code())
    .bind(old.map(Money::minor))
    .bind(new.map(Money::minor))
    .bind(changed_by)
    .bind(source.code())
    .bind(now)
    .bind(k.market.code())
    .execute(conn)
    .await?;
    Ok(())
}

/// One cell as an editor (the grid, a CSV row, "match price to win")
/// asks to save it.
#[derive(Clone, Copy, Debug)]
pub struct CellWrite {
    pub key: CellKey,
    /// None: stop buying (in the market's currency).
    pub price: Option<Money>,
    /// The version the editor saw; None: it saw no listing at all.
    pub expected_version: Option<i64>,
    pub changed_by: UserId,
    pub source: Source,
}

/// Saves one cell if it still has the version the editor saw. Run inside
/// a write transaction; records the history.
pub async fn save(conn: &mut AnyConnection, w: CellWrite, now: i64) -> DbResult<Saved> {
    let CellWrite {
        key,
        price: new_price,
        expected_version,
        changed_by,
        source,
    } = w;
    if new_price.is_some_and(|p| p.currency() != key.market.currency()) {
        // The database refuses it too (listings' currency check); the
        // services parse prices in the market's currency.
        return Err(sqlx::Error::Protocol(format!(
            "a price in another currency than {}'s",
            key.market.code()
        )));
    }
    let current = cell(conn, key).await?;
    let (listing_id, version) = match (current, expected_version) {
        (Some(c), Some(expected)) if c.version == expected => {
            if c.price == new_price {
                return Ok(Saved::Unchanged);
            }
            // The old price is kept on a stopped listing (prices are never 0).
            let done = sqlx::query(
                "UPDATE listings SET price_minor = COALESCE($1, price_minor), active = $2, version = version + 1, updated_at = $3, \
                   price_set_at = CASE WHEN $1 IS NULL THEN price_set_at ELSE $3 END \
                 WHERE id = $4 AND version = $5",
            )
            .bind(new_price.map(Money::minor))
            .bind(i64::from(new_price.is_some()))
            .bind(now)
            .bind(c.listing_id)
            .bind(expected)
            .execute(&mut *conn)
            .await
            .inspect(changed)?;
            if done.rows_affected() != 1 {
                return Ok(Saved::Stale {
                    current: cell(conn, key).await?,
                });
            }
            (c.listing_id, expected + 1)
        }
        (None, None) => {
            let Some(price) = new_price else {
                return Ok(Saved::Unchanged);
            };
            let id: ListingId = sqlx::query_scalar(
                "INSERT INTO listings (seller_id, variant_id, grade, price_minor, price_set_at, created_at, updated_at, market, currency) \
                 VALUES ($1, $2, $3, $4, $5, $5, $5, $6, $7) RETURNING id",
            )
            .bind(key.seller_id)
            .bind(key.variant_id)
            .bind(key.grade.code())
            .bind(price.minor())
            .bind(now)
            .bind(key.market.code())
            .bind(price.currency().code())
            .fetch_one(&mut *conn)
            .await
            .inspect(changed)?;
            (id, 1)
        }
        (current, _) => return Ok(Saved::Stale { current }),
    };
    record(
        conn,
        key,
        current.and_then(|c| c.price),
        new_price,
        changed_by,
        source,
        now,
    )
    .await?;
    Ok(Saved::Saved {
        listing_id,
        version,
    })
}

/// Sets (or clears) a listing's weekly unit cap, with the same version check.
pub async fn set_listing_cap(
    conn: &mut AnyConnection,
    key: CellKey,
    weekly_cap: Option<i64>,
    expected_version: i64,
    now: i64,
) -> DbResult<Saved> {
    let Some(current) = cell(conn, key).await? else {
        return Ok(Saved::Missing);
    };
    if current.version != expected_version {
        return Ok(Saved::Stale {
            current: Some(current),
        });
    }
    if current.weekly_cap == weekly_cap {
        return Ok(Saved::Unchanged);
    }
    let done = sqlx::query(
        "UPDATE listings SET weekly_cap = $1, version = version + 1, updated_at = $4 WHERE id = $2 AND version = $3",
    )
    .bind(weekly_cap)
    .bind(current.listing_id)
    .bind(expected_version)
    .bind(now)
    .execute(&mut *conn)
    .await
    .inspect(changed)?;
    if done.rows_affected() != 1 {
        return Ok(Saved::Stale {
            current: cell(conn, key).await?,
        });
    }
    Ok(Saved::Saved {
        listing_id: current.listing_id,
        version: expected_version + 1,
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub old_price: Option<Money>,
    pub new_price: Option<Money>,
    pub source: String,
    pub changed_by: Option<String>,
    pub at: i64,
}

/// Oldest first, with the name of whoever made each change.
pub async fn history(conn: &mut AnyConnection, k: CellKey) -> DbResult<Vec<HistoryEntry>> {
    let rows = sqlx::query(
        "SELECT h.old_price_minor, h.new_price_minor, h.source, h.at, u.display_name FROM price_history h \
         LEFT JOIN users u ON u.id = h.changed_by \
         WHERE h.seller_id = $1 AND h.variant_id = $2 AND h.grade = $3 AND h.market = $4 ORDER BY h.at, h.id",
    )
    .bind(k.seller_id)
    .bind(k.variant_id)
    .bind(k.grade.code())
    .bind(k.market.code())
    .fetch_all(conn)
    .await?;
    let money = |minor: i64| Money::new(minor, k.market.currency());
    rows.iter()
        .map(|r| {
            Ok(HistoryEntry {
                old_price: r.try_get::<Option<i64>, _>("old_price_minor")?.map(money),
                new_price: r.try_get::<Option<i64>, _>("new_price_minor")?.map(money),
                source: r.try_get("source")?,
                changed_by: r.try_get("display_name")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Only {
    All,
    /// Variants where this seller buys at least one grade.
    Buying,
    /// Variants where a competing approved, buying refurbisher pays as much
    /// or more for a grade this seller buys.
    NotWinning,
}

impl Only {
    pub fn code(self) -> &'static str {
        match self {
            Only::All => "all",
            Only::Buying => "buying",
            Only::NotWinning => "not_winning",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// Category, brand, newest model first, storage.
    Catalog,
    Name,
    Newest,
    /// This seller's highest price for the variant first.
    MyPrice,
}

#[derive(Clone, Debug)]
pub struct GridQuery {
    /// "Buying", "not winning" and "my price" look at this market's cells.
    pub market: Market,
    /// Category slug, "" for all.
    pub category: String,
    /// Brand slug, "" for all.
    pub brand: String,
    /// Words in the brand, model or SKU, "" for all.
    pub text: String,
    pub only: Only,
    pub sort: Sort,
    pub offset: i64,
    pub limit: i64,
}

fn like_pattern(text: &str) -> String {
    let escaped: String = text
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// One page of the grid's rows (variants) and how many rows match in all.
/// Filters run in the database, so a catalog of 10,000 variants pages as
/// fast as one of 100.
pub async fn grid(
    conn: &mut AnyConnection,
    backend: Backend,
    seller_id: SellerId,
    q: &GridQuery,
) -> DbResult<(i64, Vec<VariantInfo>)> {
    // "Buying" and "not winning" are sets of variant ids computed once (a
    // non-correlated IN), not a subquery per catalog row: a seller with
    // 100,000 prices and 50 competitors pages as fast as a small one.
    //
    // The market is written as a literal (one of six fixed codes), so each
    // market's statement is planned for its own share of the listings.
    let market = q.market.code();
    let buying = format!("v.id IN (SELECT mine.variant_id FROM listings mine WHERE mine.seller_id = $1 AND mine.market = '{market}' AND mine.active = 1)");
    let not_winning = format!("v.id IN ( \
        SELECT mine.variant_id FROM listings mine JOIN listings o ON o.variant_id = mine.variant_id AND o.grade = mine.grade AND o.market = mine.market \
        JOIN sellers os ON os.id = o.seller_id \
        WHERE mine.seller_id = $1 AND mine.market = '{market}' AND mine.active = 1 AND o.seller_id <> $1 AND o.active = 1 AND o.price_minor >= mine.price_minor \
          AND os.status = 'approved' AND os.paused = 0 AND os.kind = 'refurbisher')");
    // The two planners want them written differently (scripts/bench.sh,
    // "not winning" after a 100,000-row import). Postgres makes an
    // `IN (subquery)` a semi-join only as a condition of its own: switched
    // on and off inside an OR it stayed a subplan, rescanned for every
    // catalog row once too large for work_mem (minutes; 0.3 s written only
    // when chosen). SQLite does the opposite: given the set on its own it
    // drove the query from it (3.7 s), switched it is a lookup (0.6 s).
    let (only, only_param) = match backend {
        Backend::Postgres => match q.only {
            Only::All => (String::new(), false),
            Only::Buying => (format!(" AND {buying}"), false),
            Only::NotWinning => (format!(" AND {not_winning}"), false),
        },
        Backend::Sqlite => (
            format!(" AND ($5 <> 'buying' OR {buying}) AND ($5 <> 'not_winning' OR {not_winning})"),
            true,
        ),
    };
    let sold_here = sold_in_condition(&format!("'{market}'"));
    let filter = format!(
        "WHERE ($2 = '' OR c.slug = $2) AND ($3 = '' OR b.slug = $3) AND {sold_here} \
          AND ($4 = '%%' OR LOWER(b.name || ' ' || m.name || ' ' || v.sku) LIKE $4 ESCAPE '\\'){only}"
    );
    let next = if only_param { 6 } else { 5 };
    let order = match q.sort {
        Sort::Catalog => "c.position, b.name, m.release_year DESC, m.name, v.position".to_string(),
        Sort::Name => "b.name, m.name, v.position".to_string(),
        Sort::Newest => "m.release_year DESC, b.name, m.name, v.position".to_string(),
        Sort::MyPrice => format!(
            "COALESCE((SELECT MAX(mp.price_minor) FROM listings mp WHERE mp.seller_id = $1 AND mp.market = '{market}' AND mp.variant_id = v.id AND mp.active = 1), -1) DESC, \
             b.name, m.name, v.position"
        ),
    };
    let from = "FROM variants v JOIN models m ON m.id = v.model_id JOIN brands b ON b.id = m.brand_id JOIN categories c ON c.id = m.category_id";
    let pattern = like_pattern(q.text.trim());
    // Not kept as prepared statements: Postgres plans a kept statement for
    // any parameters after five runs, and with every optional filter in the
    // plan the "not winning" page once took minutes (scripts/bench.sh). An
    // unnamed statement is planned for the filters actually set.
    let count_sql = format!("SELECT COUNT(*) {from} {filter}");
    let mut count = sqlx::query_scalar(&count_sql)
        .persistent(false)
        .bind(seller_id)
        .bind(&q.category)
        .bind(&q.brand)
        .bind(&pattern);
    if only_param {
        count = count.bind(q.only.code());
    }
    let total: i64 = count.fetch_one(&mut *conn).await?;
    let rows_sql = format!(
        "{SELECT_VARIANT} {filter} ORDER BY {order} LIMIT ${next} OFFSET ${}",
        next + 1
    );
    let mut rows = sqlx::query(&rows_sql)
        .persistent(false)
        .bind(seller_id)
        .bind(&q.category)
        .bind(&q.brand)
        .bind(&pattern);
    if only_param {
        rows = rows.bind(q.only.code());
    }
    let rows = rows
        .bind(q.limit)
        .bind(q.offset)
        .fetch_all(&mut *conn)
        .await?;
    Ok((
        total,
        rows.iter().map(variant_from_row).collect::<DbResult<_>>()?,
    ))
}

/// This seller's cells for the given variants (stopped ones included).
pub async fn own_cells(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    market: Market,
    variant_ids: &[VariantId],
) -> DbResult<Vec<(VariantId, Grade, Cell)>> {
    if variant_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT id, variant_id, grade, price_minor, active, weekly_cap, version FROM listings \
         WHERE seller_id = $1 AND market = $2 AND variant_id IN ({})",
        id_list(variant_ids)
    ))
    .bind(seller_id)
    .bind(market.code())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .filter_map(|r| {
            let grade: String = r.try_get("grade").ok()?;
            let grade = Grade::parse(&grade).ok()?;
            Some(
                r.try_get("variant_id")
                    .and_then(|v| Ok((v, grade, cell_from(r, market)?))),
            )
        })
        .collect()
}

/// What this seller paid on average per variant and grade for trade-ins
/// paid between `from_ms` and `to_ms`.
pub async fn average_paid(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    market: Market,
    variant_ids: &[VariantId],
    from_ms: i64,
    to_ms: i64,
) -> DbResult<Vec<(VariantId, Grade, i64)>> {
    if variant_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT variant_id, grade, CAST(SUM(COALESCE(final_price_minor, price_minor)) AS BIGINT) AS total, COUNT(*) AS n FROM trade_ins \
         WHERE seller_id = $1 AND paid_at >= $2 AND paid_at < $3 AND market = $4 AND variant_id IN ({}) GROUP BY variant_id, grade",
        id_list(variant_ids)
    ))
    .bind(seller_id)
    .bind(from_ms)
    .bind(to_ms)
    .bind(market.code())
    .fetch_all(conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let grade: String = r.try_get("grade")?;
        let (total, n): (i64, i64) = (r.try_get("total")?, r.try_get("n")?);
        if let (Ok(grade), true) = (Grade::parse(&grade), n > 0) {
            out.push((r.try_get("variant_id")?, grade, total / n));
        }
    }
    Ok(out)
}

/// The grid as CSV rows: (market, sku, grade, price, weekly cap), buying
/// cells only, every market's.
pub async fn export(
    conn: &mut AnyConnection,
    seller_id: SellerId,
) -> DbResult<Vec<(Market, String, Grade, Money, Option<i64>)>> {
    let rows = sqlx::query(
        "SELECT l.market, v.sku, l.grade, l.price_minor, l.weekly_cap FROM listings l JOIN variants v ON v.id = l.variant_id \
         WHERE l.seller_id = $1 AND l.active = 1 ORDER BY l.market, v.sku, l.grade",
    )
    .bind(seller_id)
    .fetch_all(conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let grade: String = r.try_get("grade")?;
        let market: Market = crate::platform::db::decode_code(&r.try_get::<String, _>("market")?)?;
        if let Ok(grade) = Grade::parse(&grade) {
            out.push((
                market,
                r.try_get("sku")?,
                grade,
                Money::new(r.try_get("price_minor")?, market.currency()),
                r.try_get("weekly_cap")?,
            ));
        }
    }
    Ok(out)
}

/// Every cell of the seller in every market, for an import to compare
/// against.
pub async fn existing(
    conn: &mut AnyConnection,
    seller_id: SellerId,
) -> DbResult<HashMap<ImportKey, Existing>> {
    // One text value rather than a row per cell: the database builds it in
    // milliseconds, while each of 100,000 rows costs the Any driver (and on
    // SQLite a message from its worker thread) microseconds of its own, and
    // an import reads the cells twice. Every field is an integer, `-` or a
    // grade code, so spaces and commas only ever separate.
    let packed: Option<String> = sqlx::query_scalar(
        "SELECT string_agg(CAST(id AS TEXT) || ' ' || CAST(variant_id AS TEXT) || ' ' || grade || ' ' || market || ' ' \
           || CASE WHEN active = 0 THEN '-' ELSE CAST(price_minor AS TEXT) END || ' ' \
           || COALESCE(CAST(weekly_cap AS TEXT), '-') || ' ' || CAST(version AS TEXT), ',') \
         FROM listings WHERE seller_id = $1",
    )
    .bind(seller_id)
    .fetch_one(conn)
    .await?;
    unpack_cells(packed.as_deref().unwrap_or_default())
}

fn unpack_cells(packed: &str) -> DbResult<HashMap<ImportKey, Existing>> {
    packed::unpack_cells(packed).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// A value written into bulk SQL as a literal: an integer or one of the
/// domain's own codes (grade, source), never text from a file.
#[derive(Clone, Copy, Debug)]
enum Lit {
    Int(Option<i64>),
    Code(&'static str),
}

impl Lit {
    fn write(self, sql: &mut String, quote: bool) {
        match self {
            Lit::Int(Some(n)) => {
                let _ = write!(sql, "{n}");
            }
            Lit::Int(None) => sql.push_str("NULL"),
            Lit::Code(code) => {
                // Codes are words of letters, `_` and `-` (grades, sources,
                // markets, currencies): nothing to escape in either form.
                debug_assert!(code
                    .bytes()
                    .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'-'));
                if quote {
                    sql.push('\'');
                }
                sql.push_str(code);
                if quote {
                    sql.push('\'');
                }
            }
        }
    }
}

/// The rows part of `INSERT INTO t (columns) <rows>`: each row's own values
/// in `rows`, then `shared`, the values every row has (`columns` lists them
/// in that order). SQLite gets a VALUES list; Postgres one array literal
/// per column expanded by `unnest`, because it parses 100,000 VALUES tuples
/// far more slowly than a few arrays of 100,000 elements, and the Any
/// driver cannot bind an array.
fn insert_rows<const N: usize>(backend: Backend, rows: &[[Lit; N]], shared: &[Lit]) -> String {
    let mut sql = String::with_capacity(rows.len() * (N + shared.len()) * 12 + 256);
    match backend {
        Backend::Sqlite => {
            sql.push_str("VALUES ");
            for (i, row) in rows.iter().enumerate() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for (j, v) in row.iter().chain(shared).enumerate() {
                    if j > 0 {
                        sql.push_str(", ");
                    }
                    v.write(&mut sql, true);
                }
                sql.push(')');
            }
        }
        Backend::Postgres => {
            sql.push_str("SELECT ");
            let names: Vec<String> = (1..=N).map(|j| format!("column{j}")).collect();
            sql.push_str(&names.join(", "));
            for v in shared {
                sql.push_str(", ");
                v.write(&mut sql, true);
            }
            sql.push_str(" FROM unnest(");
            for j in 0..N {
                if j > 0 {
                    sql.push_str(", ");
                }
                sql.push_str("'{");
                for (i, row) in rows.iter().enumerate() {
                    if i > 0 {
                        sql.push(',');
                    }
                    row[j].write(&mut sql, false);
                }
                sql.push_str(match rows.first().map(|r| r[j]) {
                    Some(Lit::Code(_)) => "}'::text[]",
                    _ => "}'::bigint[]",
                });
            }
            let _ = write!(sql, ") AS t({})", names.join(", "));
        }
    }
    sql
}

/// Writes an import's plan: inserts for new cells, updates for changed
/// ones, stops for removed ones, one history row per price change; the
/// caller holds the transaction that makes it all-or-nothing and the grid
/// lock (`lock_grid`) taken before the plan's cells were read.
///
/// Rows are written as literals in a few large statements (see `Lit`):
/// binding 700,000 parameters one by one is what made 100,000 rows slow,
/// on Postgres above all.
pub async fn apply(
    db: &Db,
    conn: &mut AnyConnection,
    seller_id: SellerId,
    changed_by: UserId,
    writes: &[Planned],
    source: Source,
    now: i64,
) -> DbResult<()> {
    let backend = db.backend();
    // SQLite compiles a statement into a program as long as its text, so
    // it gets bounded pieces; Postgres takes a whole file's arrays at once.
    let rows_per_statement = match backend {
        Backend::Sqlite => 5_000,
        Backend::Postgres => 100_000,
    };
    // In key order, index pages are visited one after another instead of
    // at random.
    let mut writes: Vec<&Planned> = writes.iter().collect();
    writes.sort_unstable_by_key(|w| (w.variant_id, w.grade.code(), w.market));
    // Under the grid lock the caller has held since it read the cells the
    // plan compares against, a cell with no listing still has none and one
    // with a listing still has that one: new cells are inserted plainly and
    // the others updated by id. An upsert of every cell cost Postgres a
    // speculative insertion per row (+20 % on 100,000 new cells) and a
    // conflict probe per updated one (+30 %).
    let inserts: Vec<[Lit; 6]> = writes
        .iter()
        .filter(|w| w.before.is_none())
        .filter_map(|w| {
            w.price.map(|p| {
                [
                    Lit::Int(Some(w.variant_id.get())),
                    Lit::Code(w.grade.code()),
                    Lit::Int(Some(p.minor())),
                    Lit::Int(w.weekly_cap),
                    Lit::Code(w.market.code()),
                    Lit::Code(p.currency().code()),
                ]
            })
        })
        .collect();
    let shared = [
        Lit::Int(Some(seller_id.get())),
        Lit::Int(Some(now)),
        Lit::Int(Some(now)),
        Lit::Int(Some(now)),
    ];
    for chunk in inserts.chunks(rows_per_statement) {
        let sql = format!(
            "INSERT INTO listings (variant_id, grade, price_minor, weekly_cap, market, currency, seller_id, price_set_at, created_at, updated_at) {}",
            insert_rows(backend, chunk, &shared)
        );
        conn.execute(sqlx::raw_sql(&sql)).await.inspect(changed)?;
    }
    let updates: Vec<[Lit; 3]> = writes
        .iter()
        .filter_map(|w| {
            Some([
                Lit::Int(Some(w.before?.listing_id.get())),
                Lit::Int(Some(w.price?.minor())),
                Lit::Int(w.weekly_cap),
            ])
        })
        .collect();
    for chunk in updates.chunks(rows_per_statement) {
        // price_set_at breaks ties between equal prices (first there wins),
        // so a change of cap alone keeps it.
        let sql = format!(
            "UPDATE listings SET \
               price_set_at = CASE WHEN listings.price_minor <> t.column2 OR listings.active = 0 THEN {now} ELSE listings.price_set_at END, \
               price_minor = t.column2, weekly_cap = t.column3, active = 1, version = listings.version + 1, updated_at = {now} \
             FROM ({}) AS t WHERE listings.id = t.column1 AND listings.seller_id = {seller_id}",
            insert_rows(backend, chunk, &[])
        );
        conn.execute(sqlx::raw_sql(&sql)).await.inspect(changed)?;
    }
    let stop_ids: Vec<ListingId> = writes
        .iter()
        .filter(|w| w.price.is_none())
        .filter_map(|w| w.before.map(|b| b.listing_id))
        .collect();
    for chunk in stop_ids.chunks(5_000) {
        let sql = format!("UPDATE listings SET active = 0, version = version + 1, updated_at = {now} WHERE seller_id = {seller_id} AND id IN ({})", id_list(chunk));
        conn.execute(sqlx::raw_sql(&sql)).await.inspect(changed)?;
    }
    let changes: Vec<[Lit; 5]> = writes
        .iter()
        .filter(|w| w.price_changed())
        .map(|w| {
            [
                Lit::Int(Some(w.variant_id.get())),
                Lit::Code(w.grade.code()),
                Lit::Int(w.before.and_then(|b| b.price).map(Money::minor)),
                Lit::Int(w.price.map(Money::minor)),
                Lit::Code(w.market.code()),
            ]
        })
        .collect();
    let shared = [
        Lit::Int(Some(seller_id.get())),
        Lit::Int(Some(changed_by.get())),
        Lit::Code(source.code()),
        Lit::Int(Some(now)),
    ];
    for chunk in changes.chunks(rows_per_statement) {
        let sql = format!(
            "INSERT INTO price_history (variant_id, grade, old_price_minor, new_price_minor, market, seller_id, changed_by, source, at) {}",
            insert_rows(backend, chunk, &shared)
        );
        conn.execute(sqlx::raw_sql(&sql)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_rows_are_values_on_sqlite_and_arrays_on_postgres() {
        let rows = [
            [
                Lit::Int(Some(1)),
                Lit::Code("functional_good"),
                Lit::Int(None),
            ],
            [
                Lit::Int(Some(2)),
                Lit::Code("functional_used"),
                Lit::Int(Some(5)),
            ],
        ];
        let shared = [Lit::Int(Some(9)), Lit::Code("csv")];
        assert_eq!(
            insert_rows(Backend::Sqlite, &rows, &shared),
            "VALUES (1, 'functional_good', NULL, 9, 'csv'), (2, 'functional_used', 5, 9, 'csv')"
        );
        assert_eq!(
            insert_rows(Backend::Postgres, &rows, &shared),
            "SELECT column1, column2, column3, 9, 'csv' FROM unnest('{1,2}'::bigint[], '{functional_good,functional_used}'::text[], '{NULL,5}'::bigint[]) \
             AS t(column1, column2, column3)"
        );
    }
}
