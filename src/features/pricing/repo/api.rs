//! A seller's listings as the seller API pages through them: by id, after
//! a cursor, optionally one market's.

use crate::domain::grade::Grade;
use crate::domain::ids::{ListingId, SellerId, VariantId};
use crate::domain::market::Market;
use crate::domain::money::Money;
use crate::platform::db::{decode_code, DbResult};
use sqlx::{AnyConnection, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingRecord {
    pub id: ListingId,
    pub market: Market,
    pub variant_id: VariantId,
    pub sku: String,
    pub grade: Grade,
    pub price: Money,
    pub weekly_cap: Option<i64>,
    pub active: bool,
    pub version: i64,
    pub price_set_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "l.id, l.market, l.variant_id, v.sku, l.grade, l.price_minor, l.weekly_cap, l.active, l.version, l.price_set_at, l.updated_at";

fn record(r: &sqlx::any::AnyRow) -> DbResult<ListingRecord> {
    let market: Market = decode_code(&r.try_get::<String, _>("market")?)?;
    Ok(ListingRecord {
        id: r.try_get("id")?,
        market,
        variant_id: r.try_get("variant_id")?,
        sku: r.try_get("sku")?,
        grade: Grade::parse(&r.try_get::<String, _>("grade")?)
            .map_err(|e| sqlx::Error::Decode(e.to_string().into()))?,
        price: Money::new(r.try_get("price_minor")?, market.currency()),
        weekly_cap: r.try_get("weekly_cap")?,
        active: r.try_get::<i64, _>("active")? == 1,
        version: r.try_get("version")?,
        price_set_at: r.try_get("price_set_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Up to `limit` of the seller's listings with an id above `after`,
/// changed at or after `updated_since`.
pub async fn page(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    market: Option<Market>,
    updated_since: i64,
    after: i64,
    limit: i64,
) -> DbResult<Vec<ListingRecord>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM listings l JOIN variants v ON v.id = l.variant_id \
         WHERE l.seller_id = $1 AND l.id > $2 AND ($3 = '' OR l.market = $3) AND l.updated_at >= $5 ORDER BY l.id LIMIT $4"
    ))
    .bind(seller_id)
    .bind(after)
    .bind(market.map(Market::code).unwrap_or_default())
    .bind(limit)
    .bind(updated_since)
    .fetch_all(conn)
    .await?;
    rows.iter().map(record).collect()
}

/// One of the seller's listings; None for another seller's.
pub async fn one(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    id: ListingId,
) -> DbResult<Option<ListingRecord>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM listings l JOIN variants v ON v.id = l.variant_id WHERE l.seller_id = $1 AND l.id = $2"
    ))
    .bind(seller_id)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .as_ref()
    .map(record)
    .transpose()
}
