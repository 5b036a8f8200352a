//! The reads behind a data export. They cross the tables of several
//! features on purpose: the export is the one place that must see all of a
//! person's rows at once, and it writes nothing.

use crate::domain::ids::UserId;
use crate::platform::db::DbResult;
use serde::Serialize;
use sqlx::{Any, Executor};

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Account {
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub created_at: i64,
    pub email_verified_at: Option<i64>,
}

pub async fn account<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<Option<Account>> {
    sqlx::query_as(
        "SELECT display_name, email, role, created_at, email_verified_at FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(ex)
    .await
}

/// A trade-in as its consumer gave it: the IBAN only masked.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct TradeIn {
    pub id: i64,
    pub reference: String,
    pub state: String,
    pub grade: String,
    pub price_minor: i64,
    pub final_price_minor: Option<i64>,
    pub currency: String,
    pub imei: Option<String>,
    pub serial_number: Option<String>,
    pub address_name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub account_holder: String,
    pub iban_masked: String,
    pub date_of_birth: String,
    pub created_at: i64,
    pub updated_at: i64,
}

pub async fn trade_ins<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<Vec<TradeIn>> {
    sqlx::query_as(
        "SELECT id, reference, state, grade, price_minor, final_price_minor, currency, imei, serial_number, \
           address_name, address_line1, address_line2, postcode, city, country, account_holder, iban_masked, \
           date_of_birth, created_at, updated_at \
         FROM trade_ins WHERE customer_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Event {
    pub trade_in_id: i64,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor_role: String,
    pub reason: String,
    pub at: i64,
}

pub async fn events<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<Vec<Event>> {
    sqlx::query_as(
        "SELECT e.trade_in_id, e.action, e.from_state, e.to_state, e.actor_role, e.reason, e.at \
         FROM trade_in_events e JOIN trade_ins t ON t.id = e.trade_in_id \
         WHERE t.customer_id = $1 ORDER BY e.at, e.id",
    )
    .bind(user_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Claim {
    pub id: i64,
    pub trade_in_id: i64,
    pub kind: String,
    pub state: String,
    pub outcome: String,
    pub resolution: String,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

pub async fn claims<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<Vec<Claim>> {
    sqlx::query_as(
        "SELECT id, trade_in_id, kind, state, outcome, resolution, created_at, resolved_at \
         FROM claims WHERE customer_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Message {
    pub claim_id: i64,
    pub author_role: String,
    pub body: String,
    pub created_at: i64,
}

pub async fn claim_messages<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<Vec<Message>> {
    sqlx::query_as(
        "SELECT m.claim_id, m.author_role, m.body, m.created_at \
         FROM claim_messages m JOIN claims c ON c.id = m.claim_id \
         WHERE c.customer_id = $1 ORDER BY m.created_at, m.id",
    )
    .bind(user_id)
    .fetch_all(ex)
    .await
}

/// Mail sent to the person: kind, subject and when, not the text (links in
/// it may still work).
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Mail {
    pub kind: String,
    pub subject: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

pub async fn mail<'c>(ex: impl Executor<'c, Database = Any>, email: &str) -> DbResult<Vec<Mail>> {
    sqlx::query_as(
        "SELECT kind, subject, created_at, sent_at FROM outbox WHERE to_email = $1 ORDER BY id",
    )
    .bind(email)
    .fetch_all(ex)
    .await
}
