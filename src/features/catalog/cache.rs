//! The catalog as the consumer pages read it, kept in memory.
//!
//! Categories, brands, models and variants change only when the catalog is
//! seeded or loaded, yet the home page, every model page, every offer and
//! every search suggestion read them. Under load these reads were a large
//! share of those pages' database work (scripts/bench.sh), so each answer is
//! kept until the catalog changes in this process (`catalog::cache::GENERATION`)
//! or for `TTL` at most, which bounds what a write in another process, or
//! one read mid-transaction, can leave stale.
//!
//! Only catalog rows live here (prices, caps and sellers change all day:
//! see `offer_cache`). A model that does not exist, or has no variant sold
//! in the market asked for, is not remembered, so the cache holds at most
//! the catalog itself once per market, whatever URLs people try.

use crate::domain::market::Market;
use crate::features::catalog::repo as catalog;
use crate::features::catalog::service::{CatalogSize, CategoryCount, ModelSummary, VariantInfo};
use crate::platform::cache::{read, write, Generation, Kept, Loads};
use crate::platform::db::Db;
use crate::platform::db::DbResult;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Catalog writes in this process, so cached catalog reads
/// (`server::catalog_cache`) know to read again.
pub static GENERATION: Generation = Generation::named("catalog");

pub fn generation() -> u64 {
    GENERATION.current()
}

pub(super) fn changed<T>(_: &T) {
    GENERATION.bump();
}

pub const TTL: Duration = Duration::from_secs(30);
/// Models on the home page.
pub const NEWEST: i64 = 8;

/// What the home page shows of the catalog.
#[derive(Debug)]
pub struct HomeCatalog {
    pub categories: Vec<CategoryCount>,
    pub newest: Vec<ModelSummary>,
    pub size: CatalogSize,
}

fn fresh<T>(kept: &Kept<T>) -> Option<Arc<T>> {
    kept.fresh(generation(), TTL)
}

type ModelKey = (String, String, String, Market);

#[derive(Default)]
pub struct CatalogCache {
    models: RwLock<HashMap<ModelKey, Kept<Vec<VariantInfo>>>>,
    home: RwLock<HashMap<Market, Kept<HomeCatalog>>>,
    all_models: RwLock<HashMap<Market, Kept<Vec<ModelSummary>>>>,
    model_loads: Loads<ModelKey, Vec<VariantInfo>>,
    home_loads: Loads<Market, HomeCatalog>,
    all_models_loads: Loads<Market, Vec<ModelSummary>>,
}

impl std::fmt::Debug for CatalogCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogCache")
            .field("models", &self.models.read().map(|m| m.len()).unwrap_or(0))
            .finish()
    }
}

impl CatalogCache {
    /// The variants of one model sold in `market`, in catalog order; empty
    /// when there is no such model or none of its variants is sold there.
    pub async fn variants_of_model(
        &self,
        db: &Db,
        market: Market,
        category: &str,
        brand: &str,
        model: &str,
    ) -> DbResult<Arc<Vec<VariantInfo>>> {
        let key = (
            category.to_string(),
            brand.to_string(),
            model.to_string(),
            market,
        );
        if let Some(v) = read(&self.models, |m| m.get(&key).and_then(fresh)) {
            return Ok(v);
        }
        let generation = generation();
        self.model_loads
            .once(key.clone(), generation, || async {
                let mut variants =
                    catalog::variants_of_model(db.pool(), category, brand, model).await?;
                variants.retain(|v| v.sold_in.contains(market));
                let variants = Arc::new(variants);
                if !variants.is_empty() {
                    write(&self.models, |m| {
                        m.insert(key, Kept::new(variants.clone(), generation));
                    });
                }
                Ok(variants)
            })
            .await
    }

    /// What a market's home page shows: only models sold there.
    pub async fn home(&self, db: &Db, market: Market) -> DbResult<Arc<HomeCatalog>> {
        if let Some(h) = read(&self.home, |h| h.get(&market).and_then(fresh)) {
            return Ok(h);
        }
        let generation = generation();
        self.home_loads
            .once(market, generation, || async {
                let pool = db.pool();
                let home = Arc::new(HomeCatalog {
                    categories: catalog::categories_with_counts(pool, Some(market)).await?,
                    newest: catalog::newest_models(pool, market, NEWEST).await?,
                    size: catalog::size(pool, market).await?,
                });
                write(&self.home, |h| {
                    h.insert(market, Kept::new(home.clone(), generation));
                });
                Ok(home)
            })
            .await
    }

    /// Every model sold in `market`, for the in-memory search.
    pub async fn all_models(&self, db: &Db, market: Market) -> DbResult<Arc<Vec<ModelSummary>>> {
        if let Some(m) = read(&self.all_models, |m| m.get(&market).and_then(fresh)) {
            return Ok(m);
        }
        let generation = generation();
        self.all_models_loads
            .once(market, generation, || async {
                let models = Arc::new(catalog::all_models(db.pool(), market).await?);
                write(&self.all_models, |m| {
                    m.insert(market, Kept::new(models.clone(), generation));
                });
                Ok(models)
            })
            .await
    }
}
