//! Trade-ins, their audit log, and every state change (one guarded UPDATE).

use crate::domain::address::PostalAddress;
use crate::domain::grade::Grade;
use crate::domain::grading::{Answers, Wear};
use crate::domain::ids::{ListingId, SellerId, TradeInId, UserId, VariantId};
use crate::domain::money::Money;
use crate::domain::tradein::{Actor, State};
use crate::platform::db::DbResult;
use sqlx::{Any, AnyConnection, Executor, Row};

pub struct NewTradeIn<'a> {
    pub market: crate::domain::market::Market,
    pub reference: &'a str,
    pub customer_id: UserId,
    pub seller_id: SellerId,
    pub listing_id: Option<ListingId>,
    pub variant_id: VariantId,
    pub grade: Grade,
    pub answers: Answers,
    pub price: Money,
    pub recycling: bool,
    pub imei: Option<&'a str>,
    pub serial_number: Option<&'a str>,
    pub address: &'a PostalAddress,
    pub account_holder: &'a str,
    pub iban_encrypted: &'a str,
    pub iban_masked: &'a str,
    pub iban_fingerprint: &'a str,
    pub date_of_birth: &'a str,
    pub idempotency_key: &'a str,
    pub ship_by_at: i64,
}

pub async fn insert(
    conn: &mut AnyConnection,
    t: &NewTradeIn<'_>,
    now_ms: i64,
) -> DbResult<TradeInId> {
    // The parcel's destination is written down now (`ship_to_*`): the
    // seller's warehouse for the market, else the company's own address
    // (the recycling partner). Moving that warehouse later does not move
    // parcels already on their way.
    sqlx::query_scalar(
        "INSERT INTO trade_ins (reference, customer_id, seller_id, listing_id, variant_id, grade, answer_works, answer_screen, \
           answer_body, price_minor, recycling, state, imei, serial_number, address_name, address_line1, address_line2, postcode, \
           city, country, account_holder, iban_encrypted, iban_masked, iban_fingerprint, date_of_birth, idempotency_key, \
           ship_by_at, created_at, updated_at, market, currency, address_region, \
           ship_to_name, ship_to_line1, ship_to_line2, ship_to_postcode, ship_to_city, ship_to_country, ship_to_region) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, \
           $25, $26, $27, $28, $28, $29, $30, $31, \
           COALESCE(w.warehouse_name, s.company_name), COALESCE(w.address_line1, s.address_line1), \
           COALESCE(w.address_line2, s.address_line2), COALESCE(w.postcode, s.postcode), COALESCE(w.city, s.city), \
           COALESCE(w.country, s.country), COALESCE(w.region, '') \
         FROM sellers s LEFT JOIN seller_markets w ON w.seller_id = s.id AND w.market = $29 \
         WHERE s.id = $3 RETURNING id",
    )
    .bind(t.reference)
    .bind(t.customer_id)
    .bind(t.seller_id)
    .bind(t.listing_id)
    .bind(t.variant_id)
    .bind(t.grade.code())
    .bind(t.answers.works as i64)
    .bind(t.answers.screen.code())
    .bind(t.answers.body.code())
    .bind(t.price.minor())
    .bind(t.recycling as i64)
    .bind(State::Created.code())
    .bind(t.imei)
    .bind(t.serial_number)
    .bind(&t.address.name)
    .bind(&t.address.line1)
    .bind(&t.address.line2)
    .bind(&t.address.postcode)
    .bind(&t.address.city)
    .bind(&t.address.country)
    .bind(t.account_holder)
    .bind(t.iban_encrypted)
    .bind(t.iban_masked)
    .bind(t.iban_fingerprint)
    .bind(t.date_of_birth)
    .bind(t.idempotency_key)
    .bind(t.ship_by_at)
    .bind(now_ms)
    .bind(t.market.code())
    .bind(t.price.currency().code())
    .bind(&t.address.region)
    .fetch_one(conn)
    .await
}

pub async fn find_by_idempotency_key(
    conn: &mut AnyConnection,
    customer_id: UserId,
    key: &str,
) -> DbResult<Option<TradeInId>> {
    sqlx::query_scalar("SELECT id FROM trade_ins WHERE customer_id = $1 AND idempotency_key = $2")
        .bind(customer_id)
        .bind(key)
        .fetch_optional(conn)
        .await
}

pub async fn blocklist_reason(conn: &mut AnyConnection, imei: &str) -> DbResult<Option<String>> {
    sqlx::query_scalar("SELECT reason FROM imei_blocklist WHERE imei = $1")
        .bind(imei)
        .fetch_optional(conn)
        .await
}

pub async fn add_to_blocklist<'c>(
    ex: impl Executor<'c, Database = Any>,
    imei: &str,
    reason: &str,
    by: Option<UserId>,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query("INSERT INTO imei_blocklist (imei, reason, added_by, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT (imei) DO NOTHING")
        .bind(imei)
        .bind(reason)
        .bind(by)
        .bind(now_ms)
        .execute(ex)
        .await?;
    Ok(())
}

/// An open trade-in already holding this IMEI: (id, customer id, reference).
pub async fn open_with_imei(
    conn: &mut AnyConnection,
    imei: &str,
) -> DbResult<Option<(TradeInId, UserId, String)>> {
    let open = crate::platform::db::state_list(State::ALL.into_iter().filter(|s| s.is_open()));
    let sql = format!("SELECT id, customer_id, reference FROM trade_ins WHERE imei = $1 AND state IN ({open}) LIMIT 1");
    sqlx::query_as(&sql).bind(imei).fetch_optional(conn).await
}

/// Sets the state to `to` if it is still `from`: false when someone else
/// changed it between reading and writing.
pub async fn set_state_if(
    conn: &mut AnyConnection,
    id: TradeInId,
    from: State,
    to: State,
    now_ms: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE trade_ins SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
    )
    .bind(to.code())
    .bind(now_ms)
    .bind(id)
    .bind(from.code())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn current_state(conn: &mut AnyConnection, id: TradeInId) -> DbResult<Option<State>> {
    let now: Option<String> = sqlx::query_scalar("SELECT state FROM trade_ins WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(now.and_then(|s| State::parse(&s)))
}

/// What holds the trade-in's cap units: (listing id, seller id, created at).
pub async fn cap_holder(
    conn: &mut AnyConnection,
    id: TradeInId,
) -> DbResult<(Option<ListingId>, crate::domain::ids::SellerId, i64)> {
    sqlx::query_as("SELECT listing_id, seller_id, created_at FROM trade_ins WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
}

#[allow(clippy::too_many_arguments)]
pub async fn record_event(
    conn: &mut AnyConnection,
    id: TradeInId,
    action: &str,
    from: Option<State>,
    to: State,
    actor: Actor,
    actor_user_id: Option<UserId>,
    reason: &str,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO trade_in_events (trade_in_id, action, from_state, to_state, actor_role, actor_user_id, reason, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(action)
    .bind(from.map(|s| s.code()))
    .bind(to.code())
    .bind(actor.code())
    .bind(actor_user_id)
    .bind(reason)
    .bind(now_ms)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct TradeInRecord {
    pub id: TradeInId,
    pub reference: String,
    pub customer_id: UserId,
    pub customer_email: String,
    pub seller_id: SellerId,
    pub seller_name: String,
    /// Where parcels go: the seller's warehouse for this market.
    pub seller_address: PostalAddress,
    /// Where the consumer sold: the currency, the shipping window.
    pub market: crate::domain::market::Market,
    pub model_name: String,
    pub brand_name: String,
    pub category_slug: String,
    pub sku: String,
    pub storage_gb: i64,
    pub connectivity: String,
    pub grade: Grade,
    pub answers: Answers,
    pub price: Money,
    pub final_price: Option<Money>,
    pub recycling: bool,
    pub state: State,
    pub imei: Option<String>,
    pub serial_number: Option<String>,
    pub address: PostalAddress,
    pub account_holder: String,
    pub iban_masked: String,
    pub ship_by_at: i64,
    pub counter_offer_expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// A `SuspendReason` code while suspended, else empty.
    pub suspended_reason: String,
}

// The seller's address is the warehouse the trade-in was addressed to when
// it was confirmed (`insert`).
const SELECT_TRADE_IN: &str = "SELECT t.id, t.reference, t.customer_id, u.email AS customer_email, t.seller_id, \
    s.company_name, t.ship_to_name AS warehouse_name, t.ship_to_line1 AS s_line1, t.ship_to_line2 AS s_line2, \
    t.ship_to_postcode AS s_postcode, t.ship_to_city AS s_city, t.ship_to_country AS s_country, t.ship_to_region AS s_region, t.market, t.currency, m.name AS model_name, b.name AS brand_name, c.slug AS category_slug, v.sku, v.storage_gb, \
    v.connectivity, t.grade, t.answer_works, t.answer_screen, t.answer_body, t.price_minor, t.final_price_minor, t.recycling, \
    t.state, t.imei, t.serial_number, t.address_name, t.address_line1, t.address_line2, t.postcode, t.city, t.country, \
    t.address_region, t.account_holder, t.iban_masked, t.ship_by_at, t.counter_offer_expires_at, t.created_at, t.updated_at, t.suspended_reason \
    FROM trade_ins t JOIN users u ON u.id = t.customer_id JOIN sellers s ON s.id = t.seller_id \
    JOIN variants v ON v.id = t.variant_id JOIN models m ON m.id = v.model_id JOIN brands b ON b.id = m.brand_id \
    JOIN categories c ON c.id = m.category_id";

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {value}").into())
}

fn from_row(r: &sqlx::any::AnyRow) -> DbResult<TradeInRecord> {
    let grade: String = r.try_get("grade")?;
    let state: String = r.try_get("state")?;
    let screen: String = r.try_get("answer_screen")?;
    let body: String = r.try_get("answer_body")?;
    Ok(TradeInRecord {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        customer_id: r.try_get("customer_id")?,
        customer_email: r.try_get("customer_email")?,
        seller_id: r.try_get("seller_id")?,
        seller_name: r.try_get("company_name")?,
        seller_address: PostalAddress {
            name: r.try_get("warehouse_name")?,
            line1: r.try_get("s_line1")?,
            line2: r.try_get("s_line2")?,
            postcode: r.try_get("s_postcode")?,
            city: r.try_get("s_city")?,
            country: r.try_get("s_country")?,
            region: r.try_get("s_region")?,
        },
        market: crate::platform::db::decode_code(&r.try_get::<String, _>("market")?)?,
        model_name: r.try_get("model_name")?,
        brand_name: r.try_get("brand_name")?,
        category_slug: r.try_get("category_slug")?,
        sku: r.try_get("sku")?,
        storage_gb: r.try_get("storage_gb")?,
        connectivity: r.try_get("connectivity")?,
        grade: Grade::parse(&grade).map_err(|_| decode_err("grade", &grade))?,
        answers: Answers {
            works: r.try_get::<i64, _>("answer_works")? != 0,
            screen: Wear::parse(&screen).ok_or_else(|| decode_err("wear", &screen))?,
            body: Wear::parse(&body).ok_or_else(|| decode_err("wear", &body))?,
        },
        price: crate::platform::db::money(r, "price_minor", "currency")?,
        final_price: crate::platform::db::money_opt(r, "final_price_minor", "currency")?,
        recycling: r.try_get::<i64, _>("recycling")? != 0,
        state: State::parse(&state).ok_or_else(|| decode_err("state", &state))?,
        imei: r.try_get("imei")?,
        serial_number: r.try_get("serial_number")?,
        address: PostalAddress {
            name: r.try_get("address_name")?,
            line1: r.try_get("address_line1")?,
            line2: r.try_get("address_line2")?,
            postcode: r.try_get("postcode")?,
            city: r.try_get("city")?,
            country: r.try_get("country")?,
            region: r.try_get("address_region")?,
        },
        account_holder: r.try_get("account_holder")?,
        iban_masked: r.try_get("iban_masked")?,
        ship_by_at: r.try_get("ship_by_at")?,
        counter_offer_expires_at: r.try_get("counter_offer_expires_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        suspended_reason: r.try_get("suspended_reason")?,
    })
}

pub async fn find<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: TradeInId,
) -> DbResult<Option<TradeInRecord>> {
    let row = sqlx::query(&format!("{SELECT_TRADE_IN} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list_for_customer<'c>(
    ex: impl Executor<'c, Database = Any>,
    customer_id: UserId,
) -> DbResult<Vec<TradeInRecord>> {
    let rows = sqlx::query(&format!(
        "{SELECT_TRADE_IN} WHERE t.customer_id = $1 ORDER BY t.created_at DESC, t.id DESC"
    ))
    .bind(customer_id)
    .fetch_all(ex)
    .await?;
    rows.iter().map(from_row).collect()
}

#[derive(Clone, Debug)]
pub struct EventRecord {
    pub to_state: State,
    pub reason: String,
    pub at: i64,
}

pub async fn events<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: TradeInId,
) -> DbResult<Vec<EventRecord>> {
    let rows = sqlx::query(
        "SELECT to_state, reason, at FROM trade_in_events WHERE trade_in_id = $1 ORDER BY at, id",
    )
    .bind(id)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            let to: String = r.try_get("to_state")?;
            Ok(EventRecord {
                to_state: State::parse(&to).ok_or_else(|| decode_err("state", &to))?,
                reason: r.try_get("reason")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

/// Trade-ins in `state` whose `column` deadline has passed.
async fn due(
    ex: impl Executor<'_, Database = Any>,
    state: State,
    column: &str,
    now_ms: i64,
) -> DbResult<Vec<TradeInId>> {
    sqlx::query_scalar(&format!(
        "SELECT id FROM trade_ins WHERE state = $1 AND {column} <= $2 ORDER BY id"
    ))
    .bind(state.code())
    .bind(now_ms)
    .fetch_all(ex)
    .await
}

pub async fn due_for_expiry<'c>(
    ex: impl Executor<'c, Database = Any>,
    now_ms: i64,
) -> DbResult<Vec<TradeInId>> {
    due(ex, State::LabelIssued, "ship_by_at", now_ms).await
}

pub async fn counter_offers_timed_out<'c>(
    ex: impl Executor<'c, Database = Any>,
    now_ms: i64,
) -> DbResult<Vec<TradeInId>> {
    due(
        ex,
        State::CounterOffered,
        "counter_offer_expires_at",
        now_ms,
    )
    .await
}

/// Unshipped trade-ins whose deadline is within `window_ms` and that have
/// not been warned yet.
pub async fn due_for_expiry_warning<'c>(
    ex: impl Executor<'c, Database = Any>,
    now_ms: i64,
    window_ms: i64,
) -> DbResult<Vec<TradeInId>> {
    sqlx::query_scalar("SELECT id FROM trade_ins WHERE state = $1 AND expiry_warning_sent = 0 AND ship_by_at - $2 <= $3 AND ship_by_at > $3 ORDER BY id")
        .bind(State::LabelIssued.code())
        .bind(window_ms)
        .bind(now_ms)
        .fetch_all(ex)
        .await
}

/// Marks the warning sent; false when another run already did.
pub async fn claim_expiry_warning(conn: &mut AnyConnection, id: TradeInId) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE trade_ins SET expiry_warning_sent = 1 WHERE id = $1 AND expiry_warning_sent = 0",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Up to `limit` stored IBANs (encrypted) of trade-ins after `after`, by id:
/// what `rotate-secrets` walks.
pub async fn sealed_ibans_after<'c>(
    ex: impl Executor<'c, Database = Any>,
    after: TradeInId,
    limit: i64,
) -> DbResult<Vec<(TradeInId, String)>> {
    let rows = sqlx::query(
        "SELECT id, iban_encrypted FROM trade_ins WHERE id > $1 AND iban_encrypted <> '' ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("iban_encrypted")?)))
        .collect()
}

/// Replaces a trade-in's encrypted IBAN and fingerprint, if the stored value
/// is still `was` (a concurrent run may have done it).
pub async fn reseal_iban<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: TradeInId,
    was: &str,
    sealed: &str,
    fingerprint: &str,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE trade_ins SET iban_encrypted = $1, iban_fingerprint = $2 WHERE id = $3 AND iban_encrypted = $4",
    )
    .bind(sealed)
    .bind(fingerprint)
    .bind(id)
    .bind(was)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}
