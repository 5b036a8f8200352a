//! What every request handler and server function shares.

use super::carrier::Carrier;
use super::clock::Clock;
use super::config::Config;
use super::db::Db;
use super::mailer::Mailer;
use super::payouts::PayoutProvider;
use super::secret::Secret;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub secret: Arc<Secret>,
    pub clock: Arc<dyn Clock>,
    pub carrier: Arc<dyn Carrier>,
    pub mailer: Arc<dyn Mailer>,
    pub payouts: Arc<dyn PayoutProvider>,
    /// Set when ALERT_WEBHOOK_URL is.
    pub alert_sink: Option<Arc<dyn super::alerts::AlertSink>>,
    /// "Offer shown" records, written in batches off the request path.
    pub offer_views: super::offer_views::OfferViewLog,
    /// Catalog reads of the consumer pages, kept in memory.
    pub catalog: Arc<super::catalog_cache::CatalogCache>,
    /// The offer step's reading of the market, kept for a moment.
    pub offers: Arc<super::offer_cache::OfferCache>,
    /// The front-end files of this build, read once at start-up.
    pub built: super::assets::BuiltFiles,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
