//! The refurbisher's side of trade-ins: its queue, inspections,
//! counter-offers with photos, payouts.

use crate::domain::grade::Grade;
use crate::domain::grading::Answers;
use crate::domain::ids::{CounterOfferId, PayoutId, PhotoId, SellerId, TradeInId, UserId};
use crate::domain::money::Money;
use crate::domain::tradein::State;
use crate::platform::db::DbResult;
use sqlx::{Any, AnyConnection, Executor, Row};

/// The queue's tabs and the states each one shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    ToReceive,
    ToInspect,
    WaitingForCustomer,
    ToPay,
    All,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::ToReceive,
        Tab::ToInspect,
        Tab::WaitingForCustomer,
        Tab::ToPay,
        Tab::All,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Tab::ToReceive => "to_receive",
            Tab::ToInspect => "to_inspect",
            Tab::WaitingForCustomer => "waiting",
            Tab::ToPay => "to_pay",
            Tab::All => "all",
        }
    }

    pub fn parse(code: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn states(self) -> &'static [State] {
        match self {
            Tab::ToReceive => &[State::LabelIssued, State::Shipped],
            Tab::ToInspect => &[State::Received, State::Inspecting],
            Tab::WaitingForCustomer => &[
                State::CounterOffered,
                State::Suspended,
                State::ReturnRequested,
            ],
            Tab::ToPay => &[State::Validated],
            Tab::All => &State::ALL,
        }
    }

    fn in_list(self) -> String {
        crate::platform::db::state_list(self.states().iter().copied())
    }
}

#[derive(Clone, Debug)]
pub struct QueueRow {
    pub id: TradeInId,
    pub reference: String,
    pub model_name: String,
    pub brand_name: String,
    pub grade: Grade,
    pub price: Money,
    pub final_price: Option<Money>,
    pub state: State,
    pub tracking_number: String,
    pub received_at: Option<i64>,
    pub validated_at: Option<i64>,
}

/// One tab of a seller's queue, optionally filtered by a reference,
/// tracking number or IMEI (exact, case-insensitive).
pub async fn queue<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    tab: Tab,
    search: Option<&str>,
    limit: i64,
) -> DbResult<Vec<QueueRow>> {
    let mut sql = format!(
        "SELECT t.id, t.reference, m.name AS model_name, b.name AS brand_name, t.grade, t.price_minor, t.final_price_minor, t.currency, t.state, \
           COALESCE(s.tracking_number, '') AS tracking_number, t.received_at, t.validated_at \
         FROM trade_ins t JOIN variants v ON v.id = t.variant_id JOIN models m ON m.id = v.model_id JOIN brands b ON b.id = m.brand_id \
         LEFT JOIN shipments s ON s.trade_in_id = t.id AND s.direction = 'inbound' \
         WHERE t.seller_id = $1 AND t.state IN ({})",
        tab.in_list()
    );
    if search.is_some() {
        sql.push_str(
            " AND (UPPER(t.reference) = $2 OR UPPER(s.tracking_number) = $2 OR t.imei = $2)",
        );
    }
    sql.push_str(&format!(
        " ORDER BY t.created_at DESC, t.id DESC LIMIT {}",
        limit.clamp(1, 500)
    ));
    let mut q = sqlx::query(&sql).bind(seller_id);
    if let Some(s) = search {
        q = q.bind(s.trim().to_uppercase().replace(' ', ""));
    }
    let rows = q.fetch_all(ex).await?;
    rows.iter()
        .map(|r| {
            let grade: String = r.try_get("grade")?;
            let state: String = r.try_get("state")?;
            Ok(QueueRow {
                id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                model_name: r.try_get("model_name")?,
                brand_name: r.try_get("brand_name")?,
                grade: Grade::parse(&grade)
                    .map_err(|e| sqlx::Error::Decode(e.to_string().into()))?,
                price: crate::platform::db::money(r, "price_minor", "currency")?,
                final_price: crate::platform::db::money_opt(r, "final_price_minor", "currency")?,
                state: State::parse(&state)
                    .ok_or_else(|| sqlx::Error::Decode(format!("state {state}").into()))?,
                tracking_number: r.try_get("tracking_number")?,
                received_at: r.try_get("received_at")?,
                validated_at: r.try_get("validated_at")?,
            })
        })
        .collect()
}

/// How many trade-ins each tab holds.
pub async fn tab_counts(
    conn: &mut AnyConnection,
    seller_id: SellerId,
) -> DbResult<Vec<(Tab, i64)>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM trade_ins WHERE seller_id = $1 GROUP BY state")
            .bind(seller_id)
            .fetch_all(conn)
            .await?;
    Ok(Tab::ALL
        .into_iter()
        .map(|tab| {
            let n = rows
                .iter()
                .filter(|(s, _)| State::parse(s).is_some_and(|s| tab.states().contains(&s)))
                .map(|(_, n)| n)
                .sum();
            (tab, n)
        })
        .collect())
}

/// A seller's trade-in by its reference or inbound tracking number.
pub async fn find_by_code(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    code: &str,
) -> DbResult<Option<TradeInId>> {
    let code = code.trim().to_uppercase().replace(' ', "");
    sqlx::query_scalar(
        "SELECT t.id FROM trade_ins t LEFT JOIN shipments s ON s.trade_in_id = t.id AND s.direction = 'inbound' \
         WHERE t.seller_id = $1 AND (UPPER(t.reference) = $2 OR UPPER(s.tracking_number) = $2)",
    )
    .bind(seller_id)
    .bind(code)
    .fetch_optional(conn)
    .await
}

/// Stamps when a step happened (`received_at`, `validated_at`, `paid_at`).
pub async fn stamp(
    conn: &mut AnyConnection,
    id: TradeInId,
    column: &'static str,
    at: i64,
) -> DbResult<()> {
    debug_assert!(matches!(column, "received_at" | "validated_at" | "paid_at"));
    sqlx::query(&format!("UPDATE trade_ins SET {column} = $1 WHERE id = $2"))
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_final_price(
    conn: &mut AnyConnection,
    id: TradeInId,
    price: Money,
) -> DbResult<()> {
    sqlx::query("UPDATE trade_ins SET final_price_minor = $1 WHERE id = $2")
        .bind(price.minor())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_suspended_reason(
    conn: &mut AnyConnection,
    id: TradeInId,
    reason: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE trade_ins SET suspended_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_inspection(
    conn: &mut AnyConnection,
    trade_in_id: TradeInId,
    inspector: UserId,
    imei_found: &str,
    answers: Answers,
    grade: Grade,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO inspections (trade_in_id, inspector_id, imei_found, answer_works, answer_screen, answer_body, grade, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(trade_in_id)
    .bind(inspector)
    .bind(imei_found)
    .bind(answers.works as i64)
    .bind(answers.screen.code())
    .bind(answers.body.code())
    .bind(grade.code())
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The grade the latest inspection found.
pub async fn latest_inspection_grade<'c>(
    ex: impl Executor<'c, Database = Any>,
    trade_in_id: TradeInId,
) -> DbResult<Option<Grade>> {
    let g: Option<String> = sqlx::query_scalar(
        "SELECT grade FROM inspections WHERE trade_in_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(trade_in_id)
    .fetch_optional(ex)
    .await?;
    Ok(g.and_then(|g| Grade::parse(&g).ok()))
}

pub struct NewCounterOffer<'a> {
    pub trade_in_id: TradeInId,
    pub price: Money,
    pub reasons: &'a str,
    pub note: &'a str,
    pub created_by: UserId,
    pub expires_at: i64,
}

pub async fn insert_counter_offer(
    conn: &mut AnyConnection,
    c: &NewCounterOffer<'_>,
    now: i64,
) -> DbResult<CounterOfferId> {
    let id = sqlx::query_scalar(
        "INSERT INTO counter_offers (trade_in_id, price_minor, reasons, note, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.trade_in_id)
    .bind(c.price.minor())
    .bind(c.reasons)
    .bind(c.note)
    .bind(c.created_by)
    .bind(now)
    .bind(c.expires_at)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE trade_ins SET counter_offer_expires_at = $1 WHERE id = $2")
        .bind(c.expires_at)
        .bind(c.trade_in_id)
        .execute(conn)
        .await?;
    Ok(id)
}

#[derive(Clone, Debug)]
pub struct CounterOfferRecord {
    pub id: CounterOfferId,
    pub price: Money,
    pub reasons: String,
    pub note: String,
    pub expires_at: i64,
    pub answer: Option<String>,
    pub photo_ids: Vec<PhotoId>,
}

pub async fn latest_counter_offer(
    conn: &mut AnyConnection,
    trade_in_id: TradeInId,
) -> DbResult<Option<CounterOfferRecord>> {
    let row = sqlx::query(
        "SELECT c.id, c.price_minor, t.currency, c.reasons, c.note, c.expires_at, c.answer FROM counter_offers c \
         JOIN trade_ins t ON t.id = c.trade_in_id WHERE c.trade_in_id = $1 ORDER BY c.id DESC LIMIT 1",
    )
        .bind(trade_in_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let id: CounterOfferId = r.try_get("id")?;
    let photo_ids: Vec<PhotoId> =
        sqlx::query_scalar("SELECT id FROM photos WHERE counter_offer_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(conn)
            .await?;
    Ok(Some(CounterOfferRecord {
        id,
        price: crate::platform::db::money(&r, "price_minor", "currency")?,
        reasons: r.try_get("reasons")?,
        note: r.try_get("note")?,
        expires_at: r.try_get("expires_at")?,
        answer: r.try_get("answer")?,
        photo_ids,
    }))
}

pub async fn answer_counter_offer(
    conn: &mut AnyConnection,
    counter_offer_id: CounterOfferId,
    answer: &str,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE counter_offers SET answer = $1, answered_at = $2 WHERE id = $3 AND answer IS NULL",
    )
    .bind(answer)
    .bind(at)
    .bind(counter_offer_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_photo(
    conn: &mut AnyConnection,
    counter_offer_id: CounterOfferId,
    trade_in_id: TradeInId,
    file_name: &str,
    content_type: &str,
    size: i64,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO photos (counter_offer_id, trade_in_id, file_name, content_type, size_bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(counter_offer_id)
    .bind(trade_in_id)
    .bind(file_name)
    .bind(content_type)
    .bind(size)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// (trade-in id, file name, content type) of a photo.
pub async fn photo<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: PhotoId,
) -> DbResult<Option<(TradeInId, String, String)>> {
    sqlx::query_as("SELECT trade_in_id, file_name, content_type FROM photos WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await
}

/// Creates the payout of a validated trade-in; a second call does nothing.
pub async fn create_payout(
    conn: &mut AnyConnection,
    trade_in_id: TradeInId,
    amount: Money,
    iban_masked: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO payouts (trade_in_id, amount_minor, iban_masked, state, created_at, currency) VALUES ($1, $2, $3, 'pending', $4, $5) \
         ON CONFLICT (trade_in_id) DO NOTHING",
    )
    .bind(trade_in_id)
    .bind(amount.minor())
    .bind(iban_masked)
    .bind(now)
    .bind(amount.currency().code())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct PayoutRecord {
    pub id: PayoutId,
    pub amount: Money,
    pub iban_masked: String,
    pub state: crate::domain::payout::PayoutState,
    pub provider_ref: String,
}

pub async fn payout<'c>(
    ex: impl Executor<'c, Database = Any>,
    trade_in_id: TradeInId,
) -> DbResult<Option<PayoutRecord>> {
    let row = sqlx::query("SELECT id, amount_minor, currency, iban_masked, state, provider_ref FROM payouts WHERE trade_in_id = $1")
        .bind(trade_in_id)
        .fetch_optional(ex)
        .await?;
    row.map(|r| {
        Ok(PayoutRecord {
            id: r.try_get("id")?,
            amount: crate::platform::db::money(&r, "amount_minor", "currency")?,
            iban_masked: r.try_get("iban_masked")?,
            state: crate::platform::db::decode_code(r.try_get::<String, _>("state")?.as_str())?,
            provider_ref: r.try_get("provider_ref")?,
        })
    })
    .transpose()
}

/// pending -> sent, once: false when it was not pending any more.
pub async fn mark_payout_sent(
    conn: &mut AnyConnection,
    payout_id: PayoutId,

    provider_ref: &str,
    at: i64,
) -> DbResult<bool> {
    let done = sqlx::query("UPDATE payouts SET state = 'sent', provider_ref = $1, sent_at = $2 WHERE id = $3 AND state = 'pending'")
        .bind(provider_ref)
        .bind(at)
        .bind(payout_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// sent -> settled for payouts sent before `sent_before`.
pub async fn settle_payouts(
    conn: &mut AnyConnection,
    sent_before: i64,
    at: i64,
) -> DbResult<Vec<(PayoutId, TradeInId)>> {
    sqlx::query_as(
        "UPDATE payouts SET state = 'settled', settled_at = $1 WHERE state = 'sent' AND sent_at <= $2 \
         RETURNING id, trade_in_id",
    )
    .bind(at)
    .bind(sent_before)
    .fetch_all(conn)
    .await
}

/// The seller's own price for a variant and grade: the suggestion for a
/// counter-offer when inspection finds another grade.
pub async fn own_listing_price<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    market: crate::domain::market::Market,
    variant_sku: &str,
    grade: Grade,
) -> DbResult<Option<Money>> {
    let price: Option<i64> = sqlx::query_scalar(
        "SELECT l.price_minor FROM listings l JOIN variants v ON v.id = l.variant_id \
         WHERE l.seller_id = $1 AND v.sku = $2 AND l.grade = $3 AND l.market = $4",
    )
    .bind(seller_id)
    .bind(variant_sku)
    .bind(grade.code())
    .bind(market.code())
    .fetch_optional(ex)
    .await?;
    Ok(price.map(|minor| Money::new(minor, market.currency())))
}

#[derive(Clone, Debug)]
pub struct SuspendedRow {
    pub id: TradeInId,
    pub reference: String,
    pub seller_name: String,
    pub device: String,
    pub reason: String,
    pub updated_at: i64,
}

/// Every suspended trade-in, oldest first: the operations team's queue.
pub async fn suspended<'c>(ex: impl Executor<'c, Database = Any>) -> DbResult<Vec<SuspendedRow>> {
    let rows = sqlx::query(
        "SELECT t.id, t.reference, s.company_name, b.name AS brand_name, m.name AS model_name, t.suspended_reason, t.updated_at \
         FROM trade_ins t JOIN sellers s ON s.id = t.seller_id JOIN variants v ON v.id = t.variant_id \
         JOIN models m ON m.id = v.model_id JOIN brands b ON b.id = m.brand_id \
         WHERE t.state = $1 ORDER BY t.updated_at, t.id",
    )
    .bind(State::Suspended.code())
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            let brand: String = r.try_get("brand_name")?;
            let model: String = r.try_get("model_name")?;
            Ok(SuspendedRow {
                id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                seller_name: r.try_get("company_name")?,
                device: crate::domain::catalog::full_name(&brand, &model),
                reason: r.try_get("suspended_reason")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect()
}

/// A photo kept from a refused form, waiting for the form to be sent again.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PendingUpload {
    pub token: String,
    pub file_name: String,
    pub content_type: String,
}

pub async fn insert_pending_upload<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    form: &str,
    upload: &PendingUpload,
    at: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO pending_uploads (token, user_id, form, file_name, content_type, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&upload.token)
    .bind(user_id)
    .bind(form)
    .bind(&upload.file_name)
    .bind(&upload.content_type)
    .bind(at)
    .execute(ex)
    .await?;
    Ok(())
}

/// The pending upload `token`, if it is this person's and this form's.
pub async fn pending_upload<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    form: &str,
    token: &str,
) -> DbResult<Option<PendingUpload>> {
    sqlx::query_as(
        "SELECT token, file_name, content_type FROM pending_uploads WHERE token = $1 AND user_id = $2 AND form = $3",
    )
    .bind(token)
    .bind(user_id)
    .bind(form)
    .fetch_optional(ex)
    .await
}

/// The pending upload `token`, if it is this person's, whatever its form.
pub async fn own_pending_upload<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    token: &str,
) -> DbResult<Option<PendingUpload>> {
    sqlx::query_as(
        "SELECT token, file_name, content_type FROM pending_uploads WHERE token = $1 AND user_id = $2",
    )
    .bind(token)
    .bind(user_id)
    .fetch_optional(ex)
    .await
}

/// Deletes one pending upload, returning whether it was there (a form sent
/// twice at once uses it once).
pub async fn delete_pending_upload<'c>(
    ex: impl Executor<'c, Database = Any>,
    token: &str,
) -> DbResult<bool> {
    let done = sqlx::query("DELETE FROM pending_uploads WHERE token = $1")
        .bind(token)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The pending uploads created before `cutoff`.
pub async fn pending_uploads_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    cutoff: i64,
) -> DbResult<Vec<PendingUpload>> {
    sqlx::query_as(
        "SELECT token, file_name, content_type FROM pending_uploads WHERE created_at < $1 ORDER BY id LIMIT 1000",
    )
    .bind(cutoff)
    .fetch_all(ex)
    .await
}

/// A trade-in as the seller API lists it.
#[derive(Clone, Debug)]
pub struct ApiOrderRow {
    pub id: TradeInId,
    pub reference: String,
    pub market: crate::domain::market::Market,
    pub sku: String,
    pub grade: Grade,
    pub price: Money,
    pub final_price: Option<Money>,
    pub state: State,
    pub tracking_number: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What the API's order list is filtered by.
#[derive(Clone, Debug, Default)]
pub struct ApiOrderFilter {
    /// Empty: every state.
    pub states: Vec<State>,
    pub updated_since: Option<i64>,
    pub after: i64,
    pub limit: i64,
}

/// A seller's trade-ins by id, after a cursor.
pub async fn api_orders<'c>(
    ex: impl Executor<'c, Database = Any>,
    seller_id: SellerId,
    filter: &ApiOrderFilter,
) -> DbResult<Vec<ApiOrderRow>> {
    let mut sql = String::from(
        "SELECT t.id, t.reference, t.market, v.sku, t.grade, t.price_minor, t.final_price_minor, t.currency, t.state, \
           s.tracking_number, t.created_at, t.updated_at \
         FROM trade_ins t JOIN variants v ON v.id = t.variant_id \
         LEFT JOIN shipments s ON s.trade_in_id = t.id AND s.direction = 'inbound' \
         WHERE t.seller_id = $1 AND t.id > $2 AND t.updated_at >= $3",
    );
    if !filter.states.is_empty() {
        sql.push_str(&format!(
            " AND t.state IN ({})",
            crate::platform::db::state_list(filter.states.iter().copied())
        ));
    }
    sql.push_str(&format!(
        " ORDER BY t.id LIMIT {}",
        filter.limit.clamp(1, 1_000)
    ));
    let rows = sqlx::query(&sql)
        .bind(seller_id)
        .bind(filter.after)
        .bind(filter.updated_since.unwrap_or(0))
        .fetch_all(ex)
        .await?;
    rows.iter()
        .map(|r| {
            let grade: String = r.try_get("grade")?;
            let state: String = r.try_get("state")?;
            Ok(ApiOrderRow {
                id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                market: crate::platform::db::decode_code(&r.try_get::<String, _>("market")?)?,
                sku: r.try_get("sku")?,
                grade: Grade::parse(&grade)
                    .map_err(|e| sqlx::Error::Decode(e.to_string().into()))?,
                price: crate::platform::db::money(r, "price_minor", "currency")?,
                final_price: crate::platform::db::money_opt(r, "final_price_minor", "currency")?,
                state: State::parse(&state)
                    .ok_or_else(|| sqlx::Error::Decode(format!("unknown state {state}").into()))?,
                tracking_number: r.try_get("tracking_number")?,
                created_at: r.try_get("created_at")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect()
}
