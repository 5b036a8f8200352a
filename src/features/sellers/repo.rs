use crate::domain::grade::Grade;
use crate::domain::ids::{SellerId, UserId, VariantId};
use crate::domain::market::Market;
use crate::domain::seller::SellerStatus;
use crate::features::offers::cache::changed;
use crate::platform::db::Db;
use crate::platform::db::{decode_code, DbResult};
use sqlx::{Any, AnyConnection, Executor};

pub struct NewSeller<'a> {
    pub user_id: UserId,
    pub company_name: &'a str,
    pub vat_number: &'a str,
    pub address_line1: &'a str,
    pub address_line2: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub country: &'a str,
    pub contact_name: &'a str,
    pub contact_email: &'a str,
    pub contact_phone: &'a str,
    pub status: SellerStatus,
    pub weekly_cap: Option<i64>,
    pub quality_score: i64,
    /// `refurbisher`, or `recycler` for the recycling partner.
    pub kind: &'a str,
    /// Where it signed up: it buys there, from its own address, until it
    /// chooses more markets.
    pub home_market: Market,
}

pub async fn insert(
    conn: &mut AnyConnection,
    s: &NewSeller<'_>,
    now_ms: i64,
) -> DbResult<SellerId> {
    let id: SellerId = sqlx::query_scalar(
        "INSERT INTO sellers (user_id, company_name, vat_number, address_line1, postcode, city, country, \
           contact_email, contact_phone, status, weekly_cap, quality_score, created_at, kind, contact_name, address_line2, home_market) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(s.user_id)
    .bind(s.company_name)
    .bind(s.vat_number)
    .bind(s.address_line1)
    .bind(s.postcode)
    .bind(s.city)
    .bind(s.country)
    .bind(s.contact_email)
    .bind(s.contact_phone)
    .bind(s.status.code())
    .bind(s.weekly_cap)
    .bind(s.quality_score)
    .bind(now_ms)
    .bind(s.kind)
    .bind(s.contact_name)
    .bind(s.address_line2)
    .bind(s.home_market.code())
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO seller_markets (seller_id, market, warehouse_name, address_line1, address_line2, postcode, city, country, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(s.home_market.code())
    .bind(s.company_name)
    .bind(s.address_line1)
    .bind(s.address_line2)
    .bind(s.postcode)
    .bind(s.city)
    .bind(s.country)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The recycling partner: (seller id, company name).
pub async fn recycler<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> DbResult<Option<(SellerId, String)>> {
    sqlx::query_as(
        "SELECT id, company_name FROM sellers WHERE kind = 'recycler' ORDER BY id LIMIT 1",
    )
    .fetch_optional(ex)
    .await
}

pub struct NewListing {
    pub market: Market,
    pub seller_id: SellerId,
    pub variant_id: VariantId,
    pub grade: Grade,
    pub price: crate::domain::money::Money,
}

/// Inserts listings many rows per statement (see `Placeholders` for why
/// the placeholder style differs per backend).
pub async fn insert_listings(
    db: &Db,
    conn: &mut AnyConnection,
    listings: &[NewListing],
    now_ms: i64,
) -> DbResult<()> {
    const ROWS_PER_STATEMENT: usize = 500;
    for chunk in listings.chunks(ROWS_PER_STATEMENT) {
        let mut ph = db.placeholders();
        let values: Vec<String> = chunk.iter().map(|_| ph.row(9)).collect();
        let sql = format!(
            "INSERT INTO listings (seller_id, variant_id, grade, price_minor, price_set_at, created_at, updated_at, market, currency) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for l in chunk {
            query = query
                .bind(l.seller_id)
                .bind(l.variant_id)
                .bind(l.grade.code())
                .bind(l.price.minor())
                .bind(now_ms)
                .bind(now_ms)
                .bind(now_ms)
                .bind(l.market.code())
                .bind(l.price.currency().code());
        }
        query.execute(&mut *conn).await.inspect(changed)?;
    }
    Ok(())
}

/// Takes every listing out of a market its variant is no longer sold in
/// (`variants.sold_in`); they stay, since trade-ins refer to them.
pub async fn withdraw_unsold_listings(conn: &mut AnyConnection) -> DbResult<u64> {
    let sold_here = crate::features::catalog::service::sold_in_condition("listings.market");
    let done = sqlx::query(&format!(
        "UPDATE listings SET active = 0 WHERE active = 1 AND EXISTS (\
           SELECT 1 FROM variants v WHERE v.id = listings.variant_id AND NOT {sold_here})"
    ))
    .execute(&mut *conn)
    .await
    .inspect(changed)?;
    Ok(done.rows_affected())
}

#[derive(Clone, Debug)]
pub struct SellerSummary {
    pub id: SellerId,

    pub company: String,
    pub status: SellerStatus,
    pub paused: bool,
    pub listings: i64,
    pub city: String,
    pub country: String,
    pub weekly_cap: Option<i64>,
}

pub async fn overview_for_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<Option<SellerSummary>> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT s.id, s.company_name, s.status, s.paused, s.city, s.country, s.weekly_cap, \
           (SELECT COUNT(*) FROM listings l WHERE l.seller_id = s.id AND l.active = 1) AS listings \
         FROM sellers s WHERE s.user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(ex)
    .await?;
    row.map(|r| {
        Ok(SellerSummary {
            id: r.try_get("id")?,
            company: r.try_get("company_name")?,
            status: decode_code(&r.try_get::<String, _>("status")?)?,
            paused: r.try_get::<i64, _>("paused")? != 0,
            listings: r.try_get("listings")?,
            city: r.try_get("city")?,
            country: r.try_get("country")?,
            weekly_cap: r.try_get("weekly_cap")?,
        })
    })
    .transpose()
}

/// The seller's home market and every market it buys in, in
/// `Market::ALL`'s order.
pub async fn markets<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
) -> DbResult<Option<(Market, Vec<Market>)>> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT s.home_market, w.market FROM sellers s LEFT JOIN seller_markets w ON w.seller_id = s.id WHERE s.id = $1",
    )
    .bind(seller_id)
    .fetch_all(ex)
    .await?;
    let Some((home, _)) = rows.first() else {
        return Ok(None);
    };
    let home: Market = decode_code(home)?;
    let mut markets = rows
        .iter()
        .filter_map(|(_, m)| m.as_deref())
        .map(decode_code)
        .collect::<DbResult<Vec<Market>>>()?;
    markets.sort_unstable();
    Ok(Some((home, markets)))
}

/// Starts buying in a market, or moves its warehouse: the market's
/// parcels go to `warehouse` from now on (labels already issued keep
/// theirs).
pub async fn add_market(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    market: Market,
    warehouse: &crate::domain::address::PostalAddress,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO seller_markets (seller_id, market, warehouse_name, address_line1, address_line2, postcode, city, region, country, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (seller_id, market) DO UPDATE SET warehouse_name = excluded.warehouse_name, address_line1 = excluded.address_line1, \
           address_line2 = excluded.address_line2, postcode = excluded.postcode, city = excluded.city, region = excluded.region, \
           country = excluded.country",
    )
    .bind(seller_id)
    .bind(market.code())
    .bind(&warehouse.name)
    .bind(&warehouse.line1)
    .bind(&warehouse.line2)
    .bind(&warehouse.postcode)
    .bind(&warehouse.city)
    .bind(&warehouse.region)
    .bind(&warehouse.country)
    .bind(now_ms)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stops buying in `market`: its warehouse goes, and so does every price
/// there (the listings stay, stopped: trade-ins refer to them). Returns
/// whether the seller bought there. Trade-ins already confirmed keep the
/// warehouse they were addressed to (`trade_ins.ship_to_*`).
pub async fn remove_market(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    market: Market,
) -> DbResult<bool> {
    let gone = sqlx::query("DELETE FROM seller_markets WHERE seller_id = $1 AND market = $2")
        .bind(seller_id)
        .bind(market.code())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query(
        "UPDATE listings SET active = 0 WHERE seller_id = $1 AND market = $2 AND active = 1",
    )
    .bind(seller_id)
    .bind(market.code())
    .execute(&mut *conn)
    .await
    .inspect(changed)?;
    Ok(gone > 0)
}

/// Every market the seller buys in with its warehouse, in `Market::ALL`'s
/// order.
pub async fn warehouses<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
) -> DbResult<Vec<(Market, crate::domain::address::PostalAddress)>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT market, warehouse_name AS company_name, address_line1, address_line2, postcode, city, country, region \
         FROM seller_markets WHERE seller_id = $1",
    )
    .bind(seller_id)
    .fetch_all(ex)
    .await?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok((
                decode_code::<Market>(&r.try_get::<String, _>("market")?)?,
                address_from_row(r)?,
            ))
        })
        .collect::<DbResult<Vec<_>>>()?;
    out.sort_by_key(|(m, _)| *m);
    Ok(out)
}

/// The warehouse address of a row with the sellers table's columns.
fn address_from_row(r: &sqlx::any::AnyRow) -> DbResult<crate::domain::address::PostalAddress> {
    use sqlx::Row;
    Ok(crate::domain::address::PostalAddress {
        name: r.try_get("company_name")?,
        line1: r.try_get("address_line1")?,
        line2: r.try_get("address_line2")?,
        postcode: r.try_get("postcode")?,
        city: r.try_get("city")?,
        country: r.try_get("country")?,
        region: r.try_get("region")?,
    })
}

/// Where parcels for this seller from the market's consumers go: the
/// market's warehouse, or the company's own address for a seller with none
/// there (the recycling partner takes devices from every market).
pub async fn warehouse_address<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    market: Market,
) -> DbResult<Option<crate::domain::address::PostalAddress>> {
    let row = sqlx::query(
        "SELECT COALESCE(w.warehouse_name, s.company_name) AS company_name, \
           COALESCE(w.address_line1, s.address_line1) AS address_line1, COALESCE(w.address_line2, s.address_line2) AS address_line2, \
           COALESCE(w.postcode, s.postcode) AS postcode, COALESCE(w.city, s.city) AS city, COALESCE(w.country, s.country) AS country, \
           COALESCE(w.region, '') AS region \
         FROM sellers s LEFT JOIN seller_markets w ON w.seller_id = s.id AND w.market = $2 WHERE s.id = $1",
    )
    .bind(seller_id)
    .bind(market.code())
    .fetch_optional(ex)
    .await?;
    row.as_ref().map(address_from_row).transpose()
}

/// The company as the law knows it: its registered address (not a
/// warehouse) and its VAT number, for documents such as a certificate of
/// sale.
pub async fn legal_identity<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
) -> DbResult<Option<(crate::domain::address::PostalAddress, String)>> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT company_name, address_line1, address_line2, postcode, city, country, '' AS region, vat_number          FROM sellers WHERE id = $1",
    )
    .bind(seller_id)
    .fetch_optional(ex)
    .await?;
    row.as_ref()
        .map(|r| Ok((address_from_row(r)?, r.try_get("vat_number")?)))
        .transpose()
}

/// Units the seller bought in the ISO week starting at `week_start_ms`.
pub async fn units_in_week<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    week_start_ms: i64,
) -> DbResult<i64> {
    let units: Option<i64> = sqlx::query_scalar(
        "SELECT units FROM cap_usage WHERE scope = 'seller' AND owner_id = $1 AND week_start = $2",
    )
    .bind(seller_id)
    .bind(week_start_ms)
    .fetch_optional(ex)
    .await?;
    Ok(units.unwrap_or(0))
}

/// The "pause buying" switch and the seller's weekly unit cap.
pub async fn set_buying<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    paused: bool,
    weekly_cap: Option<i64>,
) -> DbResult<()> {
    sqlx::query("UPDATE sellers SET paused = $1, weekly_cap = $2 WHERE id = $3")
        .bind(i64::from(paused))
        .bind(weekly_cap)
        .bind(seller_id)
        .execute(ex)
        .await
        .inspect(changed)?;
    Ok(())
}

/// A seller's quality score (breaks ties between equal offers).
pub async fn set_quality_score<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    score: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE sellers SET quality_score = $1 WHERE id = $2")
        .bind(score)
        .bind(seller_id)
        .execute(ex)
        .await
        .inspect(changed)?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub seller_id: SellerId,
    pub company: String,
    pub vat_number: String,
    pub address: crate::domain::address::PostalAddress,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub status: SellerStatus,
    pub status_reason: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub created_at: i64,
    /// When the applicant confirmed its address; reviewed only after.
    pub email_verified_at: Option<i64>,
}

/// Refurbisher applications: pending ones first (oldest first), then the
/// latest decisions.
pub async fn applications<'c>(
    ex: impl Executor<'c, Database = Any>,
    limit: i64,
) -> DbResult<Vec<Application>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT s.id, s.company_name, s.vat_number, s.address_line1, s.address_line2, s.postcode, s.city, s.country, \
           s.contact_name, s.contact_email, s.contact_phone, s.status, s.status_reason, s.status_changed_at, s.created_at, \
           u.display_name AS decided_by, o.email_verified_at, '' AS region \
         FROM sellers s LEFT JOIN users u ON u.id = s.status_changed_by \
           LEFT JOIN users o ON o.id = s.user_id \
         WHERE s.kind = 'refurbisher' \
         ORDER BY CASE WHEN s.status = 'pending' THEN 0 ELSE 1 END, \
           CASE WHEN s.status = 'pending' THEN s.created_at ELSE -COALESCE(s.status_changed_at, s.created_at) END \
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Application {
                seller_id: r.try_get("id")?,
                company: r.try_get("company_name")?,
                vat_number: r.try_get("vat_number")?,
                address: address_from_row(r)?,
                contact_name: r.try_get("contact_name")?,
                contact_email: r.try_get("contact_email")?,
                contact_phone: r.try_get("contact_phone")?,
                status: decode_code(&r.try_get::<String, _>("status")?)?,
                status_reason: r.try_get("status_reason")?,
                decided_by: r.try_get("decided_by")?,
                decided_at: r.try_get("status_changed_at")?,
                created_at: r.try_get("created_at")?,
                email_verified_at: r.try_get("email_verified_at")?,
            })
        })
        .collect()
}

/// Moves a seller from `from` to `to`, recording who and when; false when
/// the seller was not in `from` (someone decided first).
#[allow(clippy::too_many_arguments)]
pub async fn change_status<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    from: SellerStatus,
    to: SellerStatus,
    by: crate::domain::ids::UserId,
    reason: &str,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE sellers SET status = $1, status_changed_by = $2, status_changed_at = $3, status_reason = $4 \
         WHERE id = $5 AND status = $6 AND kind = 'refurbisher'",
    )
    .bind(to.code())
    .bind(by)
    .bind(now)
    .bind(reason)
    .bind(seller_id)
    .bind(from.code())
    .execute(ex)
    .await
    .inspect(changed)?;
    Ok(done.rows_affected() == 1)
}

/// When the account that applied for a seller confirmed its address: None
/// for no such seller, Some(None) for not yet.
pub async fn owner_verified_at<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
) -> DbResult<Option<Option<i64>>> {
    sqlx::query_scalar(
        "SELECT u.email_verified_at FROM sellers s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
    )
    .bind(seller_id)
    .fetch_optional(ex)
    .await
}

/// (contact email, company) of a seller.
pub async fn contact<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
) -> DbResult<Option<(String, String)>> {
    sqlx::query_as("SELECT contact_email, company_name FROM sellers WHERE id = $1")
        .bind(seller_id)
        .fetch_optional(ex)
        .await
}

/// What a mail to this refurbisher is written in: the language its user
/// chose for the areas (None until chosen) and its home market.
pub async fn mail_language<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
) -> DbResult<(Option<String>, Option<Market>)> {
    let found: Option<(Option<String>, String)> = sqlx::query_as(
        "SELECT u.lang, s.home_market FROM sellers s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
    )
    .bind(seller_id)
    .fetch_optional(ex)
    .await?;
    Ok(found.map_or((None, None), |(lang, home)| (lang, Market::parse(&home))))
}

/// Every refurbisher with its status and quality score, by name:
/// (id, company name, status, quality score).
pub async fn refurbisher_scores(
    conn: &mut AnyConnection,
) -> DbResult<Vec<(SellerId, String, SellerStatus, i64)>> {
    let rows: Vec<(SellerId, String, String, i64)> = sqlx::query_as(
        "SELECT id, company_name, status, quality_score FROM sellers \
         WHERE kind = 'refurbisher' ORDER BY company_name",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, company, status, score)| Ok((id, company, decode_code(&status)?, score)))
        .collect()
}

/// Refurbishers (id, company) for filters and scorecards.
pub async fn refurbishers<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> DbResult<Vec<(SellerId, String)>> {
    sqlx::query_as(
        "SELECT id, company_name FROM sellers WHERE kind = 'refurbisher' ORDER BY company_name",
    )
    .fetch_all(ex)
    .await
}
