//! Figures for the refurbisher's dashboard, per ISO week.

use crate::domain::ids::SellerId;
use crate::domain::money::{Currency, Money, Totals};
use crate::platform::db::DbResult;
use sqlx::{Any, AnyConnection, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekFigures {
    pub bought: i64,
    pub received: i64,
    pub inspected: i64,
    /// Mean time from receipt to first inspection, ms.
    pub avg_inspection_ms: Option<i64>,
    pub counter_offers: i64,
    pub counter_accepted: i64,
    pub counter_answered: i64,
    /// Sent to consumers, one total per currency.
    pub paid: Totals,
}

/// A seller's figures for the window [from, to).
pub async fn week(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    from: i64,
    to: i64,
) -> DbResult<WeekFigures> {
    let excluded = crate::platform::db::state_list(
        crate::domain::tradein::State::ALL
            .into_iter()
            .filter(|s| !s.counts_against_caps()),
    );
    let counts = sqlx::query(&format!(
        "SELECT \
           (SELECT COUNT(*) FROM trade_ins WHERE seller_id = $1 AND created_at >= $2 AND created_at < $3 AND state NOT IN ({excluded})) AS bought, \
           (SELECT COUNT(*) FROM trade_ins WHERE seller_id = $1 AND received_at >= $2 AND received_at < $3) AS received, \
           (SELECT COUNT(*) FROM counter_offers c JOIN trade_ins t ON t.id = c.trade_in_id WHERE t.seller_id = $1 AND c.created_at >= $2 AND c.created_at < $3) AS counters, \
           (SELECT COUNT(*) FROM counter_offers c JOIN trade_ins t ON t.id = c.trade_in_id WHERE t.seller_id = $1 AND c.answered_at >= $2 AND c.answered_at < $3 AND c.answer = 'accepted') AS accepted, \
           (SELECT COUNT(*) FROM counter_offers c JOIN trade_ins t ON t.id = c.trade_in_id WHERE t.seller_id = $1 AND c.answered_at >= $2 AND c.answered_at < $3) AS answered"
    ))
    .bind(seller_id)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let paid: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.currency, CAST(SUM(p.amount_minor) AS BIGINT) FROM payouts p JOIN trade_ins t ON t.id = p.trade_in_id \
         WHERE t.seller_id = $1 AND p.sent_at >= $2 AND p.sent_at < $3 GROUP BY p.currency",
    )
    .bind(seller_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let paid = paid
        .into_iter()
        .map(|(currency, minor)| {
            Ok(Money::new(
                minor,
                crate::platform::db::decode_code::<Currency>(&currency)?,
            ))
        })
        .collect::<DbResult<Totals>>()?;
    // First inspection of each trade-in, counted in the week it happened.
    let firsts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT t.received_at, MIN(i.at) FROM inspections i JOIN trade_ins t ON t.id = i.trade_in_id \
         WHERE t.seller_id = $1 AND t.received_at IS NOT NULL GROUP BY t.id, t.received_at HAVING MIN(i.at) >= $2 AND MIN(i.at) < $3",
    )
    .bind(seller_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    let avg = (!firsts.is_empty())
        .then(|| firsts.iter().map(|(r, i)| i - r).sum::<i64>() / firsts.len() as i64);
    Ok(WeekFigures {
        bought: counts.try_get("bought")?,
        received: counts.try_get("received")?,
        inspected: firsts.len() as i64,
        avg_inspection_ms: avg,
        counter_offers: counts.try_get("counters")?,
        counter_accepted: counts.try_get("accepted")?,
        counter_answered: counts.try_get("answered")?,
        paid,
    })
}

/// Trade-ins of a seller by state: (state code, count).
pub async fn by_state(
    conn: &mut AnyConnection,
    seller_id: SellerId,
) -> DbResult<Vec<(String, i64)>> {
    sqlx::query_as::<Any, (String, i64)>(
        "SELECT state, COUNT(*) FROM trade_ins WHERE seller_id = $1 GROUP BY state ORDER BY state",
    )
    .bind(seller_id)
    .fetch_all(conn)
    .await
}
