//! "Offer shown" records, written beside the offer step rather than inside
//! it. Each view used to be its own INSERT on the consumer's request: on
//! SQLite every one of them queued for the single write lock (and slept in
//! SQLite's busy handler when it lost), so the busiest consumer page was the
//! slowest. Views now go to one writer task that stores whatever has queued
//! up in one transaction: one row when it is quiet, hundreds under load.
//!
//! Readers of `offer_views` (the KPI dashboard and its rollup, alert rules)
//! call [`OfferViewLog::flush`] first, so they count every view shown before
//! they asked. A crash loses at most the batch being written.

use crate::domain::grade::Grade;
use crate::domain::ids::SellerId;
use crate::domain::money::Money;
use crate::features::offers::service::ShownOffer;
use crate::platform::db::Db;
use crate::platform::state::AppState;
use crate::platform::BoxFuture;
use tokio::sync::{mpsc, oneshot};

/// Views waiting beyond this make the offer step wait its turn rather than
/// grow memory without bound (the database would be far behind by then).
const QUEUE: usize = 10_000;
/// Rows per transaction.
const BATCH: usize = 500;

enum Msg {
    View(ShownOffer),
    Flush(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct OfferViewLog {
    tx: mpsc::Sender<Msg>,
}

impl std::fmt::Debug for OfferViewLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfferViewLog")
            .field("waiting", &(QUEUE - self.tx.capacity()))
            .finish()
    }
}

impl OfferViewLog {
    /// Starts the writer; it ends when the last handle is dropped, after
    /// writing what is left.
    pub fn start(db: Db) -> OfferViewLog {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(write_views(db, rx));
        OfferViewLog { tx }
    }

    pub async fn record(&self, view: ShownOffer) {
        if self.tx.send(Msg::View(view)).await.is_err() {
            tracing::error!("offer view writer has stopped; a view was not recorded");
        }
    }

    /// Returns once every view recorded before the call is stored.
    pub async fn flush(&self) {
        let (done, stored) = oneshot::channel();
        if self.tx.send(Msg::Flush(done)).await.is_ok() {
            let _ = stored.await;
        }
    }
}

async fn write_views(db: Db, mut rx: mpsc::Receiver<Msg>) {
    let mut views = Vec::with_capacity(BATCH);
    let mut waiting = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::View(v) => views.push(v),
                Msg::Flush(done) => waiting.push(done),
            }
            if views.len() < BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !views.is_empty() {
            if let Err(e) = store(&db, &views).await {
                tracing::error!(error = %e, views = views.len(), "could not record offer views");
            }
            views.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

async fn store(db: &Db, views: &[ShownOffer]) -> Result<(), sqlx::Error> {
    let mut tx = db.write_tx().await?;
    crate::features::offers::service::record_views(db, &mut tx, views).await?;
    tx.commit().await
}

/// How an offer shown rides on its page's response, so a page sent again
/// from the page cache records its view too (`page_cache::REPLAY_HEADER`):
/// `offer market variant grade seller|- price|-`.
pub fn replay_value(v: &ShownOffer) -> String {
    let opt = |n: Option<i64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
    format!(
        "offer {} {} {} {} {}",
        v.market.code(),
        v.variant_id,
        v.grade.code(),
        opt(v.seller_id.map(SellerId::get)),
        opt(v.price.map(Money::minor))
    )
}

fn parse_replay(text: &str) -> Option<ShownOffer> {
    let parts: Vec<&str> = text.split(' ').collect();
    let ["offer", market, variant, grade, seller, price] = parts[..] else {
        return None;
    };
    let market = crate::domain::market::Market::parse(market)?;
    fn opt<T: std::str::FromStr>(s: &str) -> Option<Option<T>> {
        if s == "-" {
            Some(None)
        } else {
            s.parse().ok().map(Some)
        }
    }
    Some(ShownOffer {
        market,
        variant_id: variant.parse().ok()?,
        grade: Grade::parse(grade).ok()?,
        seller_id: opt::<SellerId>(seller)?,
        price: opt::<i64>(price)?.map(|minor| Money::new(minor, market.currency())),
        at_ms: 0,
    })
}

/// Records the offers of a kept page sent again (`page_cache::PageRules::replay`).
pub fn replay(state: AppState, values: Vec<String>) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        let at_ms = state.clock.now_ms();
        let log = state.feature::<OfferViewLog>();
        for v in values.iter().filter_map(|v| parse_replay(v)) {
            log.record(ShownOffer { at_ms, ..v }).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_shown_travel_in_a_header_and_back() {
        let v = ShownOffer {
            market: crate::domain::market::Market::EnGb,
            variant_id: crate::domain::ids::VariantId(12),
            grade: Grade::FunctionalGood,
            seller_id: Some(SellerId(3)),
            price: Some(Money::new(45_000, crate::domain::money::Currency::Gbp)),
            at_ms: 0,
        };
        let none = ShownOffer {
            market: crate::domain::market::Market::FrFr,
            variant_id: crate::domain::ids::VariantId(12),
            grade: Grade::NotFunctionalCracked,
            seller_id: None,
            price: None,
            at_ms: 0,
        };
        assert_eq!(parse_replay(&replay_value(&v)), Some(v));
        assert_eq!(parse_replay(&replay_value(&none)), Some(none));
        assert_eq!(parse_replay("offer fr-fr 12 bogus - -"), None);
        assert_eq!(parse_replay("offer xx-xx 12 functional_good - -"), None);
        assert_eq!(parse_replay("other fr-fr 12 functional_good - -"), None);
    }
}
