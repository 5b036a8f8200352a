//! Server-only infrastructure: configuration, database, repositories,
//! sessions, protections and start-up. Compiled only with the `ssr` feature.

use crate::app::{shell, App};
use crate::features::alerts::service as alerts;
use crate::features::demo as seed;
use crate::features::fraud::service as fraud;
use crate::features::kpis::service as ops_dashboard;
use crate::features::offers::shown as offer_views;
use crate::features::orders::uploads;
use crate::features::pricing::files as price_files;
use crate::features::quality::service as quality;
use crate::features::trade_ins::downloads;
use crate::platform::http::{assets, health, hydration, page_cache, security, whole_pages};
use crate::platform::{
    carrier, clock, config, db, jobs, mail as mailer, payouts, secret, state, telemetry,
};
use axum::routing::{get, post};
use axum::Router;
use clock::Clock;
use config::{Config, DatabaseUrl};
use db::Db;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use secret::Secret;
use state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// Requests larger than this are refused with 413 before any handler runs.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(#[from] config::ConfigError),
    #[error("cannot open the database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot read or create the secret in {dir}: {source}")]
    Secret { dir: String, source: std::io::Error },
    #[error("{0}")]
    Seed(#[from] seed::SeedError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Connects, migrates, loads the catalog and (when asked, or for a brand-new
/// embedded database) the demo marketplace.
pub async fn prepare(config: Config, clock: Arc<dyn Clock>) -> Result<AppState, StartError> {
    let new_embedded_db = matches!(&config.database, DatabaseUrl::Sqlite(path) if !path.exists());
    let db = Db::connect(&config.database)
        .await
        .map_err(|source| StartError::Connect {
            url: config.database.describe(),
            source,
        })?;
    db.migrate().await?;

    let secret = match &config.secret {
        Some(bytes) => Secret::from_bytes(bytes),
        None => Secret::load_or_create(&config.data_dir).map_err(|source| StartError::Secret {
            dir: config.data_dir.display().to_string(),
            source,
        })?,
    };

    seed::load_catalog(&db).await?;
    seed::ensure_recycling_partner(&db, clock.now_ms()).await?;
    let demo_seeded = config.seed_demo.unwrap_or(new_embedded_db)
        && seed::marketplace::seed(&db, clock.now_ms())
            .await?
            .is_some();
    db.optimize().await.map_err(|source| StartError::Connect {
        url: config.database.describe(),
        source,
    })?;

    let built = assets::built_files(&config.site_root, "tradein");
    let leptos_options = LeptosOptions::builder()
        .output_name("tradein")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        // The hydration script then names the hashed JS and wasm files.
        .hash_files(built.hashed())
        .env(if config.production {
            Env::PROD
        } else {
            Env::DEV
        })
        .build();

    let from: lettre::message::Mailbox = config.mail_from.parse().expect("checked by Config");
    let mailer: Arc<dyn mailer::Mailer> = match &config.smtp_url {
        Some(url) => Arc::new(mailer::SmtpMailer::new(url, from).map_err(|e| {
            StartError::Config(config::ConfigError {
                variable: "SMTP_URL",
                message: e,
            })
        })?),
        None => Arc::new(mailer::FileMailer::new(config.mail_dir.clone(), from)),
    };
    let carrier: Arc<dyn carrier::Carrier> = Arc::new(carrier::LocalCarrier::new(db.clone()));
    let payouts: Arc<dyn payouts::PayoutProvider> = Arc::new(payouts::LedgerPayouts);

    let alert_sink: Option<Arc<dyn alerts::AlertSink>> =
        config.alert_webhook_url.clone().map(|url| {
            let client = reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap_or_default();
            Arc::new(alerts::Webhook { url, client }) as Arc<dyn alerts::AlertSink>
        });
    let offer_views = offer_views::OfferViewLog::start(db.clone());
    let state = AppState::new(state::Shared {
        db,
        config: Arc::new(config),
        secret: Arc::new(secret),
        clock,
        carrier,
        mailer,
        payouts,
        alert_sink,
        offer_views,
        catalog: Default::default(),
        offers: Default::default(),
        pages: Default::default(),
        built,
        leptos_options,
    });
    if demo_seeded {
        seed::marketplace::seed_activity(&state).await?;
    }
    Ok(state)
}

/// The app's routes, walked once per process. Leptos suppresses resource
/// loads with a process-wide flag while it walks the app, so a page that
/// another app in the same process (the tests start many) renders during
/// a walk would wait forever for its data: the intermittent stalled
/// response of `access::nested_sections_finish_under_load`. Every app builds
/// its router before it serves, so after the first walk none can overlap.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = routes();
    // Runs for every page render and server function: the page's CSP must
    // carry the nonce Leptos put on its scripts for this very response.
    let context = || {
        if let (Some(nonce), Some(res)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            if let Ok(v) = http::HeaderValue::from_str(&security::page_csp(&nonce)) {
                res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
            }
        }
    };
    let pkg_dir = state.config.site_root.join("pkg");
    let built = &state.built;
    // Precompressed by `cargo leptos build --release --precompress`; plain
    // files are served when a .br/.gz is missing (debug builds).
    let pkg = tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(
            built.clone(),
            assets::pkg_cache,
        ))
        .map_request(assets::css_alias(built, "tradein"))
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );
    let fallback = leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell);
    let options = state.leptos_options.clone();
    // Photo uploads are the one place a large body is welcome; the route is
    // merged after the general limit is applied, so only it gets its own.
    let uploads = Router::new()
        .route(
            "/seller/orders/{id}/counter-offer",
            post(uploads::counter_offer),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            uploads::MAX_UPLOAD_BYTES,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            uploads::MAX_UPLOAD_BYTES,
        ))
        .merge(
            Router::new()
                .route("/seller/prices/upload", post(price_files::import))
                .layer(axum::extract::DefaultBodyLimit::max(
                    price_files::MAX_IMPORT_BODY,
                ))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(
                    price_files::MAX_IMPORT_BODY,
                )),
        );
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/trade-ins/{id}/label.pdf", get(downloads::inbound_label))
        .route("/trade-ins/{id}/return-label.pdf", get(downloads::return_label))
        .route("/photos/{id}", get(uploads::photo))
        .route("/seller/prices.csv", get(price_files::export))
        .route("/ops/export.csv", get(ops_dashboard::export))
        .route("/ops/refurbishers.csv", get(quality::export))
        .route("/ops/blocklist/import", post(fraud::import_route))
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .nest_service("/pkg", pkg)
        // Files from the site root (public/), else the 404 page.
        .fallback(axum::handler::Handler::layer(fallback, axum::middleware::from_fn(assets::root_file_cache)))
        .layer(axum::middleware::from_fn(hydration::keep_request_owner))
        .layer(axum::middleware::from_fn(whole_pages::buffer))
        // Outside `buffer`, so it keeps and sends whole pages.
        .layer(axum::middleware::from_fn_with_state(state.clone(), page_cache::serve))
        .layer(axum::middleware::from_fn(security::server_fn_error_status))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(uploads)
        .layer(axum::middleware::from_fn(security::refuse_cross_site))
        .layer(axum::middleware::from_fn(security::security_headers))
        .layer(PropagateRequestIdLayer::x_request_id())
        // One log line per response, inside a span carrying the request id
        // that error pages show, so a reference quoted by a person finds it.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &http::Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_request(())
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// A running server: its address and a handle to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stops accepting, lets in-flight requests finish, closes the pool.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
        self.state.offer_views.flush().await;
        self.state.db.close().await;
    }
}

/// Binds `addr` (port 0 picks a free one) and serves in the background.
pub async fn start(state: AppState, addr: SocketAddr) -> Result<Running, StartError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartError::Bind { addr, source })?;
    // Without TCP_NODELAY a response written in more than one piece (headers,
    // then a body chunk) waits for the client's delayed ACK: a flat 40 ms on
    // Linux added to every page and file on a kept-alive connection.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router(state.clone());
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = stopped.await;
        })
        .await
    });
    Ok(Running {
        addr,
        state,
        stop,
        task,
    })
}

/// The binary's whole life: configuration, start-up, serving until Ctrl-C or
/// SIGTERM, then a graceful stop.
pub async fn run_main() -> std::process::ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    let site_addr = config.site_addr;
    let database = config.database.describe();
    let public_url = config.public_url.clone();
    let state = match prepare(config, Arc::new(clock::SystemClock)).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let jobs = jobs::spawn(state.clone());
    let running = match start(state, site_addr).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    tracing::info!(database = %database, addr = %running.addr, "tradein is serving");
    println!("tradein is running on {public_url} (database {database}); press Ctrl-C to stop");
    shutdown_signal().await;
    tracing::info!("shutting down: finishing requests in flight");
    jobs.abort();
    let _ = tokio::time::timeout(Duration::from_secs(20), running.stop()).await;
    std::process::ExitCode::SUCCESS
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
