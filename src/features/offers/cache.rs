//! The offer step's reading of the market, kept in memory for a moment.
//!
//! Every offer a consumer sees runs the best-offer rule over every
//! refurbisher's listing of that variant and grade, with its seller and this
//! week's cap usage: a 50-row join, the one database read of the busiest
//! consumer page (scripts/bench.sh: it made the offer step a quarter as fast
//! as the model page). What the rule reads changes when a refurbisher saves
//! a price or a cap, pauses, is approved or suspended, or a trade-in takes
//! or gives back a unit. Each of those writes moves
//! `offers::cache::GENERATION`, which drops everything kept here; `TTL`
//! bounds the rest (writes by another process, a read made between a write
//! and its commit).
//!
//! Only what a consumer is *shown* comes from here. Confirming a trade-in
//! decides again on fresh rows inside its transaction, and refuses if the
//! offer changed since it was shown (`trade_in_flow::confirm`).

use crate::domain::grade::Grade;
use crate::domain::ids::VariantId;
use crate::domain::market::Market;
use crate::domain::offer::Candidate;
use crate::features::offers::repo as offers;
use crate::platform::cache::{read, write, Generation, Kept, Loads};
use crate::platform::db::Db;
use crate::platform::db::DbResult;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Writes in this process to what the offer rule reads (listings, sellers,
/// cap usage), so offers kept in memory (`server::offer_cache`) know to
/// read again.
pub static GENERATION: Generation = Generation::named("offers");

pub fn generation() -> u64 {
    GENERATION.current()
}

/// Call with every write to listings, sellers or cap usage (`.inspect(changed)`).
pub fn changed<T>(_: &T) {
    GENERATION.bump();
}

/// Short: a refurbisher who changes a price expects consumers to see it now.
pub const TTL: Duration = Duration::from_secs(2);
/// At most this many (variant, grade) markets are kept; past it, old ones
/// are dropped first, then all, so memory stays bounded whatever is asked.
pub const MAX_KEPT: usize = 5_000;

/// (market, variant id, grade, start of the ISO week the cap usage counts).
type Key = (Market, VariantId, Grade, i64);

#[derive(Default)]
pub struct OfferCache {
    markets: RwLock<HashMap<Key, Kept<Vec<Candidate>>>>,
    loads: Loads<Key, Vec<Candidate>>,
}

impl std::fmt::Debug for OfferCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfferCache")
            .field(
                "markets",
                &self.markets.read().map(|m| m.len()).unwrap_or(0),
            )
            .finish()
    }
}

impl OfferCache {
    /// Every refurbisher listing of the variant and grade in the market,
    /// as `repo::offers::candidates` reads it.
    pub async fn candidates(
        &self,
        db: &Db,
        market: Market,
        variant_id: VariantId,
        grade: Grade,
        week_start_ms: i64,
    ) -> DbResult<Arc<Vec<Candidate>>> {
        let key = (market, variant_id, grade, week_start_ms);
        if let Some(c) = read(&self.markets, |m| {
            m.get(&key).and_then(|k| k.fresh(generation(), TTL))
        }) {
            return Ok(c);
        }
        let generation = generation();
        self.loads
            .once(key, generation, || async {
                let candidates = Arc::new(
                    offers::candidates(db.pool(), market, variant_id, grade, week_start_ms).await?,
                );
                self.keep(generation, vec![(key, candidates.clone())]);
                Ok(candidates)
            })
            .await
    }

    /// Every grade's market of several variants (a page of the price
    /// grid): what is kept comes from memory, the rest from one read on
    /// `conn`, the connection the caller holds (a second one from the pool
    /// could wait forever on a busy server, every connection held by a
    /// request waiting for its second).
    pub async fn candidates_for_variants(
        &self,
        conn: &mut AnyConnection,
        market: Market,
        variant_ids: &[VariantId],
        week_start_ms: i64,
    ) -> DbResult<HashMap<(VariantId, Grade), Arc<Vec<Candidate>>>> {
        let generation = generation();
        let mut out = HashMap::with_capacity(variant_ids.len() * Grade::ALL.len());
        let mut missing = Vec::new();
        read(&self.markets, |m| {
            for &v in variant_ids {
                let kept: Vec<_> = Grade::ALL
                    .iter()
                    .filter_map(|&g| {
                        Some((
                            g,
                            m.get(&(market, v, g, week_start_ms))?
                                .fresh(generation, TTL)?,
                        ))
                    })
                    .collect();
                if kept.len() == Grade::ALL.len() {
                    out.extend(kept.into_iter().map(|(g, c)| ((v, g), c)));
                } else {
                    missing.push(v);
                }
            }
            Some(())
        });
        if missing.is_empty() {
            return Ok(out);
        }
        let mut read_now =
            offers::candidates_for_variants(&mut *conn, market, &missing, week_start_ms).await?;
        let mut fresh = Vec::with_capacity(missing.len() * Grade::ALL.len());
        for v in missing {
            for g in Grade::ALL {
                let candidates = Arc::new(read_now.remove(&(v, g)).unwrap_or_default());
                out.insert((v, g), candidates.clone());
                fresh.push(((market, v, g, week_start_ms), candidates));
            }
        }
        self.keep(generation, fresh);
        Ok(out)
    }

    /// Forgets every kept market (the benchmark's cold reads).
    pub fn clear(&self) {
        write(&self.markets, HashMap::clear);
    }

    /// `generation`: as it was before the read.
    fn keep(&self, generation: u64, markets: Vec<(Key, Arc<Vec<Candidate>>)>) {
        write(&self.markets, |m| {
            if m.len() + markets.len() > MAX_KEPT {
                let now = self::generation();
                m.retain(|_, k| k.fresh(now, TTL).is_some());
                if m.len() + markets.len() > MAX_KEPT {
                    m.clear();
                }
            }
            for (key, candidates) in markets {
                m.insert(key, Kept::new(candidates, generation));
            }
        });
    }
}
