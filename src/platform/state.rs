//! What every request handler and server function shares.

use crate::platform::carrier::Carrier;
use crate::platform::clock::Clock;
use crate::platform::config::Config;
use crate::platform::db::Db;
use crate::platform::mail::Mailer;
use crate::platform::payouts::PayoutProvider;
use crate::platform::secret::Secret;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Cloned for every request and every server function (Leptos hands it out
/// by value through context), so it is one shared allocation: cloning it
/// used to copy a dozen reference counts and the Leptos options' strings,
/// 3 % of a loaded server's time (perf, scripts/bench.sh).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[derive(Debug)]
pub struct Shared {
    pub db: Db,
    pub config: Arc<Config>,
    pub secret: Arc<Secret>,
    pub clock: Arc<dyn Clock>,
    pub carrier: Arc<dyn Carrier>,
    pub mailer: Arc<dyn Mailer>,
    pub payouts: Arc<dyn PayoutProvider>,
    /// Set when ALERT_WEBHOOK_URL is.
    pub alert_sink: Option<Arc<dyn crate::features::alerts::service::AlertSink>>,
    /// "Offer shown" records, written in batches off the request path.
    pub offer_views: crate::features::offers::shown::OfferViewLog,
    /// Catalog reads of the consumer pages, kept in memory.
    pub catalog: Arc<crate::features::catalog::cache::CatalogCache>,
    /// The offer step's reading of the market, kept for a moment.
    pub offers: Arc<crate::features::offers::cache::OfferCache>,
    /// Consumer pages as rendered for visitors not signed in, kept for a moment.
    pub pages: crate::platform::http::page_cache::PageCache,
    /// The front-end files of this build, read once at start-up.
    pub built: crate::platform::http::assets::BuiltFiles,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
