//! Mail waiting to be sent. Writing here is part of the user action's
//! transaction, so a message exists exactly when its event happened.

use crate::domain::ids::TradeInId;
use crate::platform::db::DbResult;
use sqlx::{Any, AnyConnection, Executor, Row};

pub struct NewMail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub kind: &'a str,
    pub trade_in_id: Option<TradeInId>,
}

pub async fn insert(conn: &mut AnyConnection, mail: &NewMail<'_>, now_ms: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO outbox (to_email, subject, body, kind, trade_in_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(mail.to)
    .bind(mail.subject)
    .bind(mail.body)
    .bind(mail.kind)
    .bind(mail.trade_in_id)
    .bind(now_ms)
    .fetch_one(conn)
    .await
}

#[derive(Clone, Debug)]
pub struct QueuedMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub trade_in_id: Option<TradeInId>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

pub async fn find<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> DbResult<Option<QueuedMail>> {
    let row = sqlx::query(
        "SELECT id, to_email, subject, body, kind, trade_in_id, created_at, sent_at FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?;
    row.map(|r| {
        Ok(QueuedMail {
            id: r.try_get("id")?,
            to: r.try_get("to_email")?,
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
            kind: r.try_get("kind")?,
            trade_in_id: r.try_get("trade_in_id")?,
            created_at: r.try_get("created_at")?,
            sent_at: r.try_get("sent_at")?,
        })
    })
    .transpose()
}

/// Marks a message sent; `forget_body` blanks its text, for mail that
/// carries a way into an account (`MailKind::carries_a_secret`).
pub async fn mark_sent<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
    now_ms: i64,
    forget_body: bool,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE outbox SET sent_at = $2, attempts = attempts + 1, \
           body = CASE WHEN $3 = 1 THEN '' ELSE body END \
         WHERE id = $1 AND sent_at IS NULL",
    )
    .bind(id)
    .bind(now_ms)
    .bind(i64::from(forget_body))
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn mark_failed<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
    error: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1")
        .bind(id)
        .bind(error)
        .execute(ex)
        .await?;
    Ok(())
}

/// Messages of one kind for a trade-in (tests and the tracking page use it).
pub async fn kinds_for_trade_in<'c>(
    ex: impl Executor<'c, Database = Any>,
    trade_in_id: TradeInId,
) -> DbResult<Vec<String>> {
    sqlx::query_scalar("SELECT kind FROM outbox WHERE trade_in_id = $1 ORDER BY id")
        .bind(trade_in_id)
        .fetch_all(ex)
        .await
}
