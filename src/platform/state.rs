//! What every request handler, server function and job shares.
//!
//! The platform's own services are fields. What a feature keeps for the
//! whole process (its caches, its write-behind logs) is registered at
//! start-up by the composition root (`startup`) and found by type
//! (`feature`), so the platform holds it without knowing any feature.

use crate::platform::carrier::Carrier;
use crate::platform::clock::Clock;
use crate::platform::config::Config;
use crate::platform::db::Db;
use crate::platform::http::assets::BuiltFiles;
use crate::platform::http::page_cache::PageCache;
use crate::platform::jobs::Jobs;
use crate::platform::mail::Mailer;
use crate::platform::payouts::PayoutProvider;
use crate::platform::secret::Secret;
use crate::platform::webhook::WebhookSink;
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
    pub webhook: Option<Arc<dyn WebhookSink>>,
    /// Posts refurbishers' signed webhooks.
    pub webhooks: Arc<dyn crate::platform::webhook::WebhookPoster>,
    /// The background jobs this instance runs.
    pub jobs: Jobs,
    /// Pages as rendered for visitors not signed in, kept for a moment.
    pub pages: PageCache,
    /// The front-end files of this build, read once at start-up.
    pub built: BuiltFiles,
    pub leptos_options: LeptosOptions,
    pub features: Features,
}

impl Shared {
    /// What a feature registered at start-up, by its type.
    pub fn feature<T: Send + Sync + 'static>(&self) -> &T {
        self.features
            .0
            .get::<Arc<T>>()
            .map(|t| &**t)
            .unwrap_or_else(|| {
                panic!(
                    "{} is not registered at start-up (startup::prepare)",
                    std::any::type_name::<T>()
                )
            })
    }
}

/// Each feature's process-wide state, one value per type.
#[derive(Default)]
pub struct Features(http::Extensions);

impl Features {
    pub fn with<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.0.insert(Arc::new(value));
        self
    }
}

impl std::fmt::Debug for Features {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Features")
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
