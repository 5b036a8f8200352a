//! The SQL only seeding needs: markers of what was loaded, the lookups the
//! demo's scripted activity starts from, and the bulk writer of the history.
//!
//! The history is written many rows per statement with placeholders built for
//! the running backend (`Batch`): the Any driver has no bulk-copy interface,
//! and a row per statement made a 200,000-trade-in history take minutes.

use crate::domain::ids::{TradeInId, UserId};
use crate::platform::db::{Backend, Db, DbResult};
use sqlx::{AnyConnection, Row};

pub async fn meta_get(db: &Db, key: &str) -> DbResult<Option<String>> {
    let row = sqlx::query("SELECT value FROM app_meta WHERE key = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| r.try_get("value")).transpose()
}

pub async fn meta_set(conn: &mut AnyConnection, key: &str, value: &str) -> DbResult<()> {
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn seller_named(db: &Db, company: &str) -> DbResult<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM sellers WHERE company_name = $1")
        .bind(company)
        .fetch_optional(db.pool())
        .await
}

pub async fn user_with_email(db: &Db, email: &str) -> DbResult<UserId> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(db.pool())
        .await
}

/// (seller id, the seller's user id) of a trade-in.
pub async fn buyer_of(
    db: &Db,
    trade_in_id: TradeInId,
) -> DbResult<(crate::domain::ids::SellerId, UserId)> {
    sqlx::query_as(
        "SELECT s.id, s.user_id FROM trade_ins t JOIN sellers s ON s.id = t.seller_id WHERE t.id = $1",
    )
    .bind(trade_in_id)
    .fetch_one(db.pool())
    .await
}

pub async fn inbound_tracking(db: &Db, trade_in_id: TradeInId) -> DbResult<String> {
    sqlx::query_scalar(
        "SELECT tracking_number FROM shipments WHERE trade_in_id = $1 AND direction = 'inbound'",
    )
    .bind(trade_in_id)
    .fetch_one(db.pool())
    .await
}

/// Live listings of approved refurbishers in every market: (id, seller,
/// variant, grade, price, market code). A trade-in of the history takes
/// its listing's market and that market's currency.
pub async fn live_listings(
    conn: &mut AnyConnection,
) -> DbResult<Vec<(i64, i64, i64, String, i64, String)>> {
    sqlx::query_as(
        "SELECT l.id, l.seller_id, l.variant_id, l.grade, l.price_minor, l.market FROM listings l JOIN sellers s ON s.id = l.seller_id \
         WHERE s.status = 'approved' AND s.kind = 'refurbisher' AND l.active = 1 ORDER BY l.id",
    )
    .fetch_all(conn)
    .await
}

/// (seller id, user id) of every seller: who inspects its parcels.
pub async fn seller_users(conn: &mut AnyConnection) -> DbResult<Vec<(i64, i64)>> {
    sqlx::query_as("SELECT id, user_id FROM sellers")
        .fetch_all(conn)
        .await
}

pub async fn last_user_id(conn: &mut AnyConnection) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM users")
        .fetch_one(conn)
        .await
}

pub async fn consumers_after(conn: &mut AnyConnection, user_id: i64) -> DbResult<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM users WHERE id > $1 AND role = 'customer' ORDER BY id")
        .bind(user_id)
        .fetch_all(conn)
        .await
}

pub async fn last_trade_in_id(conn: &mut AnyConnection) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM trade_ins")
        .fetch_one(conn)
        .await
}

/// Trade-in ids were given explicitly: on Postgres, move the identity past
/// them so the next insert does not collide.
pub async fn move_trade_in_identity(db: &Db, conn: &mut AnyConnection) -> DbResult<()> {
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT setval(pg_get_serial_sequence('trade_ins', 'id'), (SELECT MAX(id) FROM trade_ins))")
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Rows for one table, written by `flush` many per statement.
pub struct Batch {
    table: &'static str,
    columns: &'static str,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Clone)]
pub enum Value {
    I(i64),
    N(Option<i64>),
    S(String),
    T(Option<String>),
}

impl Batch {
    pub fn new(table: &'static str, columns: &'static str) -> Batch {
        Batch {
            table,
            columns,
            rows: Vec::new(),
        }
    }

    pub async fn flush(&mut self, db: &Db, conn: &mut AnyConnection) -> DbResult<()> {
        let width = self.columns.split(',').count();
        // Under both backends' limits on bound parameters per statement.
        let per = (30_000 / width).min(1_000);
        for chunk in self.rows.chunks(per) {
            let mut ph = db.placeholders();
            let values: Vec<String> = chunk.iter().map(|_| ph.row(width)).collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {}",
                self.table,
                self.columns,
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for row in chunk {
                for v in row {
                    q = match v {
                        Value::I(i) => q.bind(*i),
                        Value::N(n) => q.bind(*n),
                        Value::S(s) => q.bind(s.clone()),
                        Value::T(t) => q.bind(t.clone()),
                    };
                }
            }
            q.execute(&mut *conn).await?;
        }
        self.rows.clear();
        Ok(())
    }
}
