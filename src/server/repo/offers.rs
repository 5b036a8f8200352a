//! What the best-offer rule (`domain::offer`) needs to know about every
//! listing of one variant and grade.

use super::DbResult;
use crate::domain::grade::Grade;
use crate::domain::offer::Candidate;
use crate::domain::tradein::State;
use crate::server::db::Db;
use sqlx::{Any, AnyConnection, Executor, Row};
use std::collections::HashMap;
use crate::server::kept::Generation;

/// Writes in this process to what the offer rule reads (listings, sellers,
/// cap usage), so offers kept in memory (`server::offer_cache`) know to
/// read again.
static GENERATION: Generation = Generation::new();

pub fn generation() -> u64 {
    GENERATION.current()
}

/// Call with every write to listings, sellers or cap usage (`.inspect(changed)`).
pub fn changed<T>(_: &T) {
    GENERATION.bump();
}

/// `'cancelled', 'expired'`: the states that give a cap unit back, named by
/// the domain rule rather than written again here.
pub fn states_not_counting_against_caps() -> String {
    super::state_list(State::ALL.into_iter().filter(|s| !s.counts_against_caps()))
}

const SELECT_CANDIDATES: &str = "SELECT l.id AS listing_id, l.variant_id, l.grade, s.id AS seller_id, s.company_name, l.price_minor, \
       s.quality_score, l.price_set_at, s.status, s.paused, l.active, l.weekly_cap AS listing_cap, s.weekly_cap AS seller_cap, \
       COALESCE(lu.units, 0) AS listing_units, COALESCE(su.units, 0) AS seller_units \
     FROM listings l JOIN sellers s ON s.id = l.seller_id \
     LEFT JOIN cap_usage lu ON lu.scope = 'listing' AND lu.owner_id = l.id AND lu.week_start = $1 \
     LEFT JOIN cap_usage su ON su.scope = 'seller' AND su.owner_id = s.id AND su.week_start = $1 \
     WHERE s.kind = 'refurbisher'";

fn candidate_from(r: &sqlx::any::AnyRow) -> DbResult<Candidate> {
    let status: String = r.try_get("status")?;
    Ok(Candidate {
        listing_id: r.try_get("listing_id")?,
        seller_id: r.try_get("seller_id")?,
        seller_name: r.try_get("company_name")?,
        price_minor: r.try_get("price_minor")?,
        quality_score: r.try_get("quality_score")?,
        price_set_at: r.try_get("price_set_at")?,
        seller_approved: status == "approved",
        seller_paused: r.try_get::<i64, _>("paused")? != 0,
        listing_active: r.try_get::<i64, _>("active")? != 0,
        listing_weekly_cap: r.try_get("listing_cap")?,
        listing_units_this_week: r.try_get("listing_units")?,
        seller_weekly_cap: r.try_get("seller_cap")?,
        seller_units_this_week: r.try_get("seller_units")?,
    })
}

/// Every refurbisher listing for the variant and grade, with the units its
/// listing and its seller took in the ISO week starting at `week_start_ms`
/// (read from `cap_usage`, see `add_usage`).
pub async fn candidates<'c>(
    ex: impl Executor<'c, Database = Any>,
    variant_id: i64,
    grade: Grade,
    week_start_ms: i64,
) -> DbResult<Vec<Candidate>> {
    let rows = sqlx::query(&format!("{SELECT_CANDIDATES} AND l.variant_id = $2 AND l.grade = $3 ORDER BY l.price_minor DESC"))
        .bind(week_start_ms)
        .bind(variant_id)
        .bind(grade.code())
        .fetch_all(ex)
        .await?;
    rows.iter().map(candidate_from).collect()
}

/// The same for every grade of several variants at once (a page of the
/// price grid), grouped by (variant id, grade), each group in the order
/// `candidates` reads it in. A variant and grade nobody lists is absent.
pub async fn candidates_for_variants<'c>(
    ex: impl Executor<'c, Database = Any>,
    variant_ids: &[i64],
    week_start_ms: i64,
) -> DbResult<HashMap<(i64, Grade), Vec<Candidate>>> {
    let mut out: HashMap<(i64, Grade), Vec<Candidate>> = HashMap::new();
    if variant_ids.is_empty() {
        return Ok(out);
    }
    let sql = format!("{SELECT_CANDIDATES} AND l.variant_id IN ({}) ORDER BY l.price_minor DESC", super::id_list(variant_ids));
    for r in &sqlx::query(&sql).bind(week_start_ms).fetch_all(ex).await? {
        let grade: String = r.try_get("grade")?;
        if let Ok(grade) = Grade::parse(&grade) {
            out.entry((r.try_get("variant_id")?, grade)).or_default().push(candidate_from(r)?);
        }
    }
    Ok(out)
}

/// Adds `delta` units (+1 when a trade-in is created, -1 when it stops
/// counting) to a listing's and a seller's week. Call it in the same
/// transaction as the change it accounts for.
pub async fn add_usage(conn: &mut sqlx::AnyConnection, listing_id: Option<i64>, seller_id: i64, week_start_ms: i64, delta: i64) -> DbResult<()> {
    let scopes = [("seller", Some(seller_id)), ("listing", listing_id)];
    for (scope, owner) in scopes {
        let Some(owner) = owner else { continue };
        sqlx::query(
            "INSERT INTO cap_usage (scope, owner_id, week_start, units) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (scope, owner_id, week_start) DO UPDATE SET units = cap_usage.units + excluded.units",
        )
        .bind(scope)
        .bind(owner)
        .bind(week_start_ms)
        .bind(delta)
        .execute(&mut *conn)
        .await
        .inspect(changed)?;
    }
    Ok(())
}

/// One offer shown to a consumer: the KPI dashboard's "offers shown" and
/// the alert on offers that find no buyer.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownOffer {
    pub variant_id: i64,
    pub grade: Grade,
    /// The refurbisher whose price was shown; none when only recycling was.
    pub seller_id: Option<i64>,
    pub price_minor: Option<i64>,
    pub at_ms: i64,
}

/// Stores views many rows per statement (see `Placeholders` for why the
/// placeholder style differs per backend).
pub async fn record_views(db: &Db, conn: &mut AnyConnection, views: &[ShownOffer]) -> DbResult<()> {
    const ROWS_PER_STATEMENT: usize = 500;
    for chunk in views.chunks(ROWS_PER_STATEMENT) {
        let mut ph = db.placeholders();
        let values: Vec<String> = chunk.iter().map(|_| ph.row(5)).collect();
        let sql = format!("INSERT INTO offer_views (variant_id, grade, seller_id, price_minor, at) VALUES {}", values.join(", "));
        let mut query = sqlx::query(&sql);
        for v in chunk {
            query = query.bind(v.variant_id).bind(v.grade.code()).bind(v.seller_id).bind(v.price_minor).bind(v.at_ms);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
