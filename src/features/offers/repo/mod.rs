//! What the best-offer rule (`domain::offer`) needs to know about every
//! listing of one variant and grade.

pub(super) mod packed;

use crate::domain::grade::Grade;
use crate::domain::ids::{ListingId, SellerId, VariantId};
use crate::domain::market::Market;
use crate::domain::money::Money;
use crate::domain::offer::Candidate;

use super::cache::changed;
use crate::platform::db::Db;
use crate::platform::db::DbResult;
use sqlx::{Any, AnyConnection, Executor};
use std::collections::HashMap;

/// Every candidate as one text value: the database builds it in
/// microseconds, while each row of a 50-row answer cost the Any driver (and
/// on SQLite a message from its worker thread) allocations and time of its
/// own, most of a best-offer read. Fields are separated by spaces and are
/// integers, `-` (no cap), grade and status codes, except the company name,
/// which comes last after its length in characters, so any text it holds
/// reads back whole. Candidates are separated by a comma.
const PACKED_CANDIDATES: &str = "SELECT string_agg(CAST(l.variant_id AS TEXT) || ' ' || l.grade || ' ' || CAST(l.id AS TEXT) || ' ' \
       || CAST(s.id AS TEXT) || ' ' || CAST(l.price_minor AS TEXT) || ' ' || CAST(s.quality_score AS TEXT) || ' ' \
       || CAST(l.price_set_at AS TEXT) || ' ' || s.status || ' ' || CAST(s.paused AS TEXT) || ' ' || CAST(l.active AS TEXT) || ' ' \
       || COALESCE(CAST(l.weekly_cap AS TEXT), '-') || ' ' || COALESCE(CAST(s.weekly_cap AS TEXT), '-') || ' ' \
       || CAST(COALESCE(lu.units, 0) AS TEXT) || ' ' || CAST(COALESCE(su.units, 0) AS TEXT) || ' ' \
       || CAST(length(s.company_name) AS TEXT) || ' ' || s.company_name, ',') \
     FROM listings l JOIN sellers s ON s.id = l.seller_id \
     LEFT JOIN cap_usage lu ON lu.scope = 'listing' AND lu.owner_id = l.id AND lu.week_start = $1 \
     LEFT JOIN cap_usage su ON su.scope = 'seller' AND su.owner_id = s.id AND su.week_start = $1 \
     WHERE s.kind = 'refurbisher' AND l.market = $2";

fn unpack_candidates(packed: &str, market: Market) -> DbResult<Vec<(VariantId, Grade, Candidate)>> {
    packed::unpack_candidates(packed, market.currency()).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// Highest price first; equal prices by listing, so every reader sees one
/// order (the best-offer rule breaks ties itself).
fn in_offer_order(candidates: &mut [Candidate]) {
    candidates.sort_unstable_by(|a, b| b.price.cmp(&a.price).then(a.listing_id.cmp(&b.listing_id)));
}

/// Every refurbisher listing for the variant and grade in the market, with
/// the units its listing and its seller took in the ISO week starting at
/// `week_start_ms` (read from `cap_usage`, see `take_unit`), highest price
/// first.
pub async fn candidates<'c>(
    ex: impl Executor<'c, Database = Any>,
    market: Market,
    variant_id: VariantId,
    grade: Grade,
    week_start_ms: i64,
) -> DbResult<Vec<Candidate>> {
    let packed: Option<String> = sqlx::query_scalar(&format!(
        "{PACKED_CANDIDATES} AND l.variant_id = $3 AND l.grade = $4"
    ))
    .bind(week_start_ms)
    .bind(market.code())
    .bind(variant_id)
    .bind(grade.code())
    .fetch_one(ex)
    .await?;
    let mut out: Vec<Candidate> = unpack_candidates(packed.as_deref().unwrap_or_default(), market)?
        .into_iter()
        .map(|(_, _, c)| c)
        .collect();
    in_offer_order(&mut out);
    Ok(out)
}

/// The same for every grade of several variants at once (a page of the
/// price grid), grouped by (variant id, grade), each group in the order
/// `candidates` reads it in. A variant and grade nobody lists is absent.
pub async fn candidates_for_variants<'c>(
    ex: impl Executor<'c, Database = Any>,
    market: Market,
    variant_ids: &[VariantId],
    week_start_ms: i64,
) -> DbResult<HashMap<(VariantId, Grade), Vec<Candidate>>> {
    let mut out: HashMap<(VariantId, Grade), Vec<Candidate>> = HashMap::new();
    if variant_ids.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "{PACKED_CANDIDATES} AND l.variant_id IN ({})",
        crate::platform::db::id_list(variant_ids)
    );
    let packed: Option<String> = sqlx::query_scalar(&sql)
        .bind(week_start_ms)
        .bind(market.code())
        .fetch_one(ex)
        .await?;
    for (variant_id, grade, c) in unpack_candidates(packed.as_deref().unwrap_or_default(), market)?
    {
        out.entry((variant_id, grade)).or_default().push(c);
    }
    out.values_mut().for_each(|group| in_offer_order(group));
    Ok(out)
}

/// Takes one unit of the listing's and its seller's caps for the ISO week
/// starting at `week_start_ms`, if both have one left; false (and nothing
/// taken) when either is used up. Each is a conditional increment checked
/// against the cap as it stands at that moment: a concurrent confirmation
/// of the same listing waits for this row and then sees the unit gone.
/// Listing before seller, in every transaction, so none waits in a circle.
/// Whether a listing has bought its weekly cap this week.
pub async fn listing_full(
    conn: &mut AnyConnection,
    listing_id: ListingId,
    week_start_ms: i64,
) -> DbResult<bool> {
    let full: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM cap_usage c JOIN listings l ON l.id = c.owner_id \
         WHERE c.scope = 'listing' AND c.owner_id = $1 AND c.week_start = $2 \
           AND l.weekly_cap IS NOT NULL AND c.units >= l.weekly_cap",
    )
    .bind(listing_id)
    .bind(week_start_ms)
    .fetch_optional(conn)
    .await?;
    Ok(full.is_some())
}

pub async fn take_unit(
    conn: &mut AnyConnection,
    listing_id: Option<ListingId>,
    seller_id: SellerId,
    week_start_ms: i64,
) -> DbResult<bool> {
    let scopes = [
        (
            "listing",
            listing_id.map(ListingId::get),
            "SELECT weekly_cap FROM listings WHERE id = $2",
        ),
        (
            "seller",
            Some(seller_id.get()),
            "SELECT weekly_cap FROM sellers WHERE id = $2",
        ),
    ];
    for (scope, owner, cap) in scopes {
        let Some(owner) = owner else { continue };
        sqlx::query(
            "INSERT INTO cap_usage (scope, owner_id, week_start, units) VALUES ($1, $2, $3, 0) \
             ON CONFLICT (scope, owner_id, week_start) DO NOTHING",
        )
        .bind(scope)
        .bind(owner)
        .bind(week_start_ms)
        .execute(&mut *conn)
        .await?;
        let taken = sqlx::query(&format!(
            "UPDATE cap_usage SET units = units + 1 \
             WHERE scope = $1 AND owner_id = $2 AND week_start = $3 \
               AND units < COALESCE(({cap}), 9223372036854775807)"
        ))
        .bind(scope)
        .bind(owner)
        .bind(week_start_ms)
        .execute(&mut *conn)
        .await
        .inspect(changed)?;
        if taken.rows_affected() != 1 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Gives back the unit a trade-in took (it stopped counting: cancelled or
/// expired before shipping). Call it in the same transaction as that
/// change; listing before seller, as `take_unit`.
pub async fn give_back_unit(
    conn: &mut AnyConnection,
    listing_id: Option<ListingId>,
    seller_id: SellerId,
    week_start_ms: i64,
) -> DbResult<()> {
    // Both are owners' ids in one column of cap_usage, told apart by scope.
    let scopes = [
        ("listing", listing_id.map(ListingId::get)),
        ("seller", Some(seller_id.get())),
    ];

    for (scope, owner) in scopes {
        let Some(owner) = owner else { continue };
        sqlx::query(
            "UPDATE cap_usage SET units = units - 1 WHERE scope = $1 AND owner_id = $2 AND week_start = $3 AND units > 0",
        )
        .bind(scope)
        .bind(owner)
        .bind(week_start_ms)
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
    pub market: Market,
    pub variant_id: VariantId,
    pub grade: Grade,
    /// The refurbisher whose price was shown; none when only recycling was.
    pub seller_id: Option<SellerId>,
    pub price: Option<Money>,
    pub at_ms: i64,
}

/// Rows in the next INSERT of `left` views: one of a few fixed sizes, so
/// the statements are prepared once per connection and then reused. A
/// batch is as long as the queue was, and an INSERT of exactly that many
/// rows was a new statement each time: SQLite parsed and planned one per
/// batch, a tenth of its work under a busy offer step (perf).
fn statement_rows(left: usize) -> usize {
    [500, 100, 20, 5, 1]
        .into_iter()
        .find(|&n| n <= left)
        .unwrap_or(left)
}

/// Stores views many rows per statement (see `Placeholders` for why the
/// placeholder style differs per backend).
pub async fn record_views(db: &Db, conn: &mut AnyConnection, views: &[ShownOffer]) -> DbResult<()> {
    let mut rest = views;
    while !rest.is_empty() {
        let rows = statement_rows(rest.len());
        let (chunk, after) = rest.split_at(rows);
        let mut ph = db.placeholders();
        let values: Vec<String> = chunk.iter().map(|_| ph.row(6)).collect();
        let sql = format!(
            "INSERT INTO offer_views (market, variant_id, grade, seller_id, price_minor, at) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for v in chunk {
            query = query
                .bind(v.market.code())
                .bind(v.variant_id)
                .bind(v.grade.code())
                .bind(v.seller_id)
                .bind(v.price.map(Money::minor))
                .bind(v.at_ms);
        }
        query.execute(&mut *conn).await?;
        rest = after;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_order_is_price_then_listing() {
        use crate::domain::offer::tests::c;
        let mut all = vec![c(3, 100), c(1, 200), c(2, 100)];
        in_offer_order(&mut all);
        assert_eq!(
            all.iter().map(|c| c.listing_id.get()).collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    #[test]
    fn batches_are_written_in_a_few_statement_shapes() {
        let shapes = |mut left: usize| {
            let mut out = Vec::new();
            while left > 0 {
                let n = statement_rows(left);
                out.push(n);
                left -= n;
            }
            out
        };
        assert_eq!(shapes(137), [100, 20, 5, 5, 5, 1, 1]);
        assert_eq!(shapes(1_001), [500, 500, 1]);
        assert_eq!(shapes(3), [1, 1, 1]);
        let mut seen = std::collections::BTreeSet::new();
        for n in 1..=1_200 {
            seen.extend(shapes(n));
        }
        assert_eq!(seen.len(), 5, "whatever queued, five statements at most");
    }
}
