//! The reads behind a data export, and the writes of an erasure. They
//! cross the tables of several features on purpose: these are the places
//! that must see, or erase, all of a person's rows at once.

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
    /// A US state, an Italian province.
    pub address_region: String,
    pub country: String,
    pub account_holder: String,
    pub iban_masked: String,
    /// The sealed IBAN, never exported as such.
    #[serde(skip)]
    pub iban_encrypted: String,
    /// In full only when asked for with the password.
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
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
           address_name, address_line1, address_line2, postcode, city, address_region, country, account_holder, iban_masked, \
           iban_encrypted, date_of_birth, created_at, updated_at \
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

// Erasure (GDPR article 17). The same tables, written this time: each
// statement takes out of one table what names the person, and leaves what
// the law keeps.

/// References and states of the person's trade-ins, to tell open ones.
pub async fn trade_in_states<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<Vec<(String, String)>> {
    sqlx::query_as("SELECT reference, state FROM trade_ins WHERE customer_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(ex)
        .await
}

/// Claims of the person still open.
pub async fn open_claims<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM claims WHERE customer_id = $1 AND state = 'open'")
        .bind(user_id)
        .fetch_one(ex)
        .await
}

/// What names the person on their trade-ins: the addresses, date of birth,
/// account holder and the IBAN itself (its masked form stays, as on the
/// payout record). Device identifiers, prices and dates stay.
pub async fn erase_trade_ins<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<u64> {
    let done = sqlx::query(
        "UPDATE trade_ins SET address_name = '', address_line1 = '', address_line2 = '', \
             postcode = '', city = '', address_region = '', account_holder = '', iban_encrypted = '', \
             iban_fingerprint = '', date_of_birth = '' \
         WHERE customer_id = $1",
    )
    .bind(user_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected())
}

/// The person's own words in claims; the claims themselves stay.
pub async fn erase_claim_messages<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
) -> DbResult<u64> {
    let done = sqlx::query(
        "UPDATE claim_messages SET body = '[erased at the author''s request]' WHERE author_id = $1",
    )
    .bind(user_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected())
}

/// Mail sent to the person: the address becomes the pseudonym and the
/// text goes; kind, subject and dates stay.
pub async fn erase_mail<'c>(
    ex: impl Executor<'c, Database = Any>,
    email: &str,
    pseudonym: &str,
) -> DbResult<u64> {
    let done = sqlx::query("UPDATE outbox SET to_email = $2, body = '' WHERE to_email = $1")
        .bind(email)
        .bind(pseudonym)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

/// Sign-in attempts made with the address.
pub async fn erase_attempts<'c>(
    ex: impl Executor<'c, Database = Any>,
    email: &str,
) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM login_attempts WHERE email = $1")
        .bind(email)
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

/// Everything that lets anyone sign in as the person: sessions, emailed
/// links, two-factor secrets and codes, half-done sign-ins.
pub async fn erase_credentials(conn: &mut sqlx::AnyConnection, user_id: UserId) -> DbResult<()> {
    for table in [
        "sessions",
        "sign_in_links",
        "account_links",
        "recovery_codes",
        "sign_in_challenges",
        "two_factor",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The account row itself: a pseudonymous address (unique, and one that
/// can never receive mail: `.invalid` is reserved by RFC 2606), no name,
/// no password anyone could match.
pub async fn erase_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    pseudonym: &str,
    now_ms: i64,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE users SET email = $2, display_name = 'Deleted account', password_hash = '!deleted', \
             email_verified_at = NULL, deleted_at = $3 \
         WHERE id = $1",
    )
    .bind(user_id)
    .bind(pseudonym)
    .bind(now_ms)
    .execute(ex)
    .await?;
    Ok(())
}
