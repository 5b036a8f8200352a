//! The composition root on the server: configuration -> database ->
//! every feature's process-wide state and jobs -> routes -> serving. The
//! one place that knows both the platform and the features.

pub mod jobs;
pub mod routes;

use crate::features::catalog::cache::CatalogCache;
use crate::features::demo as seed;
use crate::features::offers::cache::OfferCache;
use crate::features::offers::shown::OfferViewLog;
use crate::platform::config::{Config, ConfigError, DatabaseUrl};
use crate::platform::db::Db;
use crate::platform::http::{assets, page_cache};
use crate::platform::state::{AppState, Features, Shared};
use crate::platform::{carrier, clock, mail, notify, payouts, secret, telemetry, webhook};
use clock::Clock;
use leptos::config::{Env, LeptosOptions};
pub use routes::{router, MAX_BODY_BYTES};
use secret::Secret;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(#[from] ConfigError),
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

/// Connects, migrates, loads the catalog and (when asked, or for a
/// brand-new embedded database) the demo marketplace. Instances starting
/// at once on one Postgres database take turns (`Db::exclusive`), so the
/// migrations and the demo data are written once.
pub async fn prepare(config: Config, clock: Arc<dyn Clock>) -> Result<AppState, StartError> {
    let new_embedded_db = matches!(&config.database, DatabaseUrl::Sqlite(path) if !path.exists());
    let connect_error = |source| StartError::Connect {
        url: config.database.describe(),
        source,
    };
    let db = Db::connect(&config.database).await.map_err(connect_error)?;
    let turn = db.exclusive().await.map_err(connect_error)?;
    db.migrate().await?;

    let secret = match &config.secret {
        Some(bytes) => Secret::rotated(bytes, &config.previous_secrets),
        None => Secret::load_or_create(&config.data_dir).map_err(|source| StartError::Secret {
            dir: config.data_dir.display().to_string(),
            source,
        })?,
    };

    seed::load_catalog(&db).await?;
    seed::ensure_recycling_partner(&db, clock.now_ms()).await?;
    let demo_wanted = config.seeds_demo(new_embedded_db);
    if demo_wanted && config.production {
        tracing::warn!(
            "SEED_DEMO=true in production: the demo accounts and their published passwords \
             (README) are loaded, operations account included; never do this on a real install"
        );
    }
    let demo_seeded = demo_wanted
        && seed::marketplace::seed(&db, clock.now_ms())
            .await?
            .is_some();
    if demo_wanted {
        seed::marketplace::ensure_demo_two_factor(&db, &secret, clock.now_ms()).await?;
        seed::marketplace::ensure_demo_api_token(&db, clock.now_ms()).await?;
    }
    db.optimize().await.map_err(connect_error)?;

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
    let mailer: Arc<dyn mail::Mailer> = match &config.smtp_url {
        Some(url) => Arc::new(mail::SmtpMailer::new(url, from).map_err(|e| {
            StartError::Config(ConfigError {
                variable: "SMTP_URL",
                message: e,
            })
        })?),
        None => Arc::new(mail::FileMailer::new(config.mail_dir.clone(), from)),
    };
    let carrier: Arc<dyn carrier::Carrier> = Arc::new(carrier::LocalCarrier::new(db.clone()));
    let payouts: Arc<dyn payouts::PayoutProvider> = Arc::new(payouts::LedgerPayouts);
    let webhook = config
        .alert_webhook_url
        .clone()
        .map(|url| Arc::new(webhook::HttpWebhook::new(url)) as Arc<dyn webhook::WebhookSink>);
    // Development posts to this machine too: endpoints under test run there.
    let webhooks: Arc<dyn webhook::WebhookPoster> =
        Arc::new(webhook::HttpPoster::new(!config.production));
    let features = Features::default()
        .with(CatalogCache::default())
        .with(OfferCache::default())
        .with(OfferViewLog::start(db.clone()));
    let pages = page_cache::PageCache::new(page_cache::PageRules {
        is_public: routes::is_public_page,
        depends_on: cache_topics(),
        // The offer cache's limit: a kept offer page is as fresh as a rendered one.
        ttl: crate::features::offers::cache::TTL,
        replay: crate::features::offers::shown::replay,
    });
    let state = AppState::new(Shared {
        db,
        jobs: jobs::registry(config.job_lease),
        config: Arc::new(config),
        secret: Arc::new(secret),
        clock,
        carrier,
        mailer,
        payouts,
        webhook,
        webhooks,
        pages,
        built,
        leptos_options,
        features,
    });
    if demo_seeded {
        seed::marketplace::seed_activity(&state).await?;
    }
    turn.release().await;
    Ok(state)
}

/// What the in-memory caches hold, as Postgres names it to every
/// instance (`platform::notify`).
fn cache_topics() -> Vec<&'static crate::platform::cache::Generation> {
    vec![
        &crate::features::catalog::cache::GENERATION,
        &crate::features::offers::cache::GENERATION,
    ]
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
        self.state.feature::<OfferViewLog>().flush().await;
        self.state.db.close().await;
    }
}

/// Binds `addr` (port 0 picks a free one) and serves in the background.
pub async fn start(state: AppState, addr: SocketAddr) -> Result<Running, StartError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })?;
    start_on(state, listener).await
}

/// Serves in the background on a listener already bound: for a caller that
/// needs the address before the app is prepared (its `PUBLIC_URL`).
pub async fn start_on(
    state: AppState,
    listener: tokio::net::TcpListener,
) -> Result<Running, StartError> {
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        source,
    })?;
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
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => {}
        Some("rotate-secrets") => return rotate_secrets(config).await,
        Some("demo-code") => {
            // The code an authenticator app with the published demo secret
            // shows now, for trying the demo without one.
            let now = clock::Clock::now_ms(&clock::SystemClock);
            let code = crate::features::accounts::service::two_factor::code_at(
                seed::marketplace::DEMO_TOTP_SECRET,
                now,
            )
            .expect("the demo secret is valid base32");
            println!("{code}");
            return std::process::ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!(
                "unknown command \"{other}\": run `tradein` to serve, `tradein rotate-secrets` \
                 or `tradein demo-code`"
            );
            return std::process::ExitCode::from(2);
        }
    }
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
    let worker = crate::platform::jobs::spawn(state.clone());
    let listener = match &state.config.database {
        DatabaseUrl::Postgres(url) => Some(notify::spawn(
            url.clone(),
            cache_topics(),
            state.jobs.clone(),
        )),
        DatabaseUrl::Sqlite(_) => None,
    };
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
    worker.stop().await;
    if let Some(listener) = listener {
        listener.abort();
    }
    let _ = tokio::time::timeout(Duration::from_secs(20), running.stop()).await;
    std::process::ExitCode::SUCCESS
}

/// `tradein rotate-secrets`: after `APP_SECRET` got a new value and the
/// old one moved to `APP_SECRET_PREVIOUS`, re-encrypts every stored IBAN
/// with the new secret (and its fingerprint), so the old one can be
/// dropped. Safe to run while the app serves, and to run again.
async fn rotate_secrets(config: Config) -> std::process::ExitCode {
    let Some(current) = &config.secret else {
        eprintln!("rotate-secrets needs APP_SECRET (the new secret) and APP_SECRET_PREVIOUS (the old ones)");
        return std::process::ExitCode::from(2);
    };
    let secret = Secret::rotated(current, &config.previous_secrets);
    let db = match Db::connect(&config.database).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!(
                "error: cannot open the database {}: {e}",
                config.database.describe()
            );
            return std::process::ExitCode::from(1);
        }
    };
    let result = async {
        db.migrate().await.map_err(|e| e.to_string())?;
        let ibans = crate::features::trade_ins::service::reseal_ibans(&db, &secret)
            .await
            .map_err(|e| e.to_string())?;
        let two_factor = crate::features::accounts::service::two_factor::reseal(&db, &secret)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((ibans, two_factor))
    }
    .await;
    match result {
        Ok((done, two_factor)) => {
            println!(
                "IBANs under key {}: {} re-encrypted, {} already current, {} unreadable",
                secret.key_id(),
                done.resealed,
                done.already_current,
                done.unreadable
            );
            println!(
                "two-factor secrets: {} re-encrypted, {} already current, {} unreadable",
                two_factor.resealed, two_factor.already_current, two_factor.unreadable
            );
            if done.unreadable + two_factor.unreadable > 0 {
                eprintln!("some values were sealed under a secret that APP_SECRET_PREVIOUS does not list: add it and run again");
                std::process::ExitCode::from(1)
            } else {
                std::process::ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(1)
        }
    }
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
