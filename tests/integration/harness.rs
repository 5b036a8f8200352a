//! Starts the real app on a free port against a fresh database: a temporary
//! SQLite file, or a new Postgres database at 127.0.0.1:5432 that is dropped
//! afterwards. Every test body runs once per backend (`both_backends!`).

use reqwest::header::{HeaderMap, HeaderValue};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tradein::platform::clock::ManualClock;
use tradein::platform::config::Config;
use tradein::platform::state::AppState;
use tradein::startup::{prepare, start_on, Running};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs an async test body on each backend as two separate tests.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::harness::within_limit(($body)($crate::harness::Backend::Sqlite)).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::harness::within_limit(($body)($crate::harness::Backend::Postgres)).await
            }
        }
    };
}

/// No test takes minutes: one that does is stuck, and says so.
pub async fn within_limit(body: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(240), body)
        .await
        .is_err()
    {
        panic!("the test did not finish within 240 s");
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database that exists for one test and is removed when dropped.
pub struct TestDb {
    pub url: String,
    pub dir: PathBuf,
    pg_name: Option<String>,
}

pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl TestDb {
    pub async fn create(backend: Backend) -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let tag = format!(
            "{}_{}_{}",
            std::process::id(),
            n,
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let dir = std::env::temp_dir().join(format!("tradein-test-{tag}"));
        std::fs::create_dir_all(&dir).unwrap();
        match backend {
            Backend::Sqlite => TestDb {
                url: format!("sqlite://{}", dir.join("test.db").display()),
                dir,
                pg_name: None,
            },
            Backend::Postgres => {
                let name = format!("tradein_test_{tag}");
                admin_exec(&format!("CREATE DATABASE {name}")).await;
                let base = postgres_admin_url();
                let url = match base.rfind('/') {
                    Some(i) if i > "postgres://".len() => format!("{}/{name}", &base[..i]),
                    _ => format!("{base}/{name}"),
                };
                TestDb {
                    url,
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }
}

async fn admin_exec(sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&postgres_admin_url())
        .await
        .expect("Postgres must be running at 127.0.0.1:5432 (see README); set TEST_POSTGRES_URL to use another");
    sqlx::Executor::execute(&mut conn, sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(name) = self.pg_name.take() {
            // Drop runs outside any async context we could borrow: use a
            // private runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(admin_exec(&format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )));
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub clock: ManualClock,
    pub state: AppState,
    running: Option<Running>,
    // Held for its Drop: the database lives exactly as long as the app.
    _db: TestDb,
}

/// 2026-03-02 09:00 UTC, a Monday: tests start from a known instant.
pub const START_MS: i64 = 1_772_442_000_000;

#[derive(Default)]
pub struct Options {
    pub seed_demo: bool,
    /// `LEPTOS_ENV=PROD` behind `https://trade.example`, with `SEED_DEMO`
    /// unset unless `seed_demo`: what a deployment sets.
    pub production: bool,
    pub alert_webhook_url: Option<String>,
    pub trusted_proxies: Option<String>,
    /// `SIGN_UPS_PER_HOUR`; tests sign up many people from one address, so
    /// the default here is high.
    pub sign_ups_per_hour: Option<i64>,
    /// `API_REQUESTS_PER_MINUTE`; high unless a test is about the limit.
    pub api_requests_per_minute: Option<i64>,
    /// `APP_SECRET` (hex), else a fixed test secret.
    pub secret: Option<String>,
    /// `APP_SECRET_PREVIOUS`, if set.
    pub previous_secrets: Option<String>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, Options::default()).await
    }

    pub async fn spawn_with_demo(backend: Backend) -> TestApp {
        TestApp::spawn_with(
            backend,
            Options {
                seed_demo: true,
                ..Options::default()
            },
        )
        .await
    }

    pub async fn spawn_with(backend: Backend, options: Options) -> TestApp {
        TestApp::spawn_on(TestDb::create(backend).await, options).await
    }

    /// An app on a database another one prepared (`stop_keeping_db`).
    pub async fn spawn_on(db: TestDb, options: Options) -> TestApp {
        // Bound first: the app's public address is the one it serves on.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut vars = vec![
            ("DATABASE_URL", db.url.clone()),
            ("DATA_DIR", db.dir.join("data").display().to_string()),
            (
                "APP_SECRET",
                options.secret.clone().unwrap_or_else(|| "ab".repeat(32)),
            ),
            (
                "LEPTOS_SITE_ROOT",
                db.dir.join("site").display().to_string(),
            ),
        ];
        if options.production {
            vars.push(("LEPTOS_ENV", "PROD".into()));
            vars.push(("PUBLIC_URL", "https://trade.example".into()));
            if options.seed_demo {
                vars.push(("SEED_DEMO", "true".into()));
            }
        } else {
            vars.push(("PUBLIC_URL", format!("http://{addr}")));
            vars.push(("SEED_DEMO", options.seed_demo.to_string()));
        }
        if let Some(url) = &options.alert_webhook_url {
            vars.push(("ALERT_WEBHOOK_URL", url.clone()));
        }
        if let Some(proxies) = &options.trusted_proxies {
            vars.push(("TRUSTED_PROXIES", proxies.clone()));
        }
        if let Some(previous) = &options.previous_secrets {
            vars.push(("APP_SECRET_PREVIOUS", previous.clone()));
        }
        vars.push((
            "SIGN_UPS_PER_HOUR",
            options.sign_ups_per_hour.unwrap_or(100_000).to_string(),
        ));
        vars.push((
            "API_REQUESTS_PER_MINUTE",
            options
                .api_requests_per_minute
                .unwrap_or(100_000)
                .to_string(),
        ));
        let config = Config::from_lookup(|k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.clone())
        })
        .unwrap();
        let clock = ManualClock::starting_at(START_MS);
        let state = prepare(config, Arc::new(clock.clone()))
            .await
            .expect("app prepares");
        let running = start_on(state.clone(), listener).await.expect("app starts");
        TestApp {
            base: format!("http://{}", running.addr),
            clock,
            state,
            running: Some(running),
            _db: db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The origin people use (`PUBLIC_URL`): what their browser sends as
    /// `Origin`. In development it is `base`; in production it is not.
    pub fn public_origin(&self) -> &str {
        &self.state.config.public_url
    }

    /// A browser-like client: keeps cookies, does not follow redirects, and
    /// sends this site's Origin on every request.
    pub fn client(&self) -> reqwest::Client {
        let mut headers = HeaderMap::new();
        headers.insert(
            "origin",
            HeaderValue::from_str(self.public_origin()).unwrap(),
        );
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            // A response that never ends fails its test instead of holding
            // CI until its time limit.
            .timeout(std::time::Duration::from_secs(90))
            .build()
            .unwrap()
    }

    /// Calls a server function the way the hydrated app does.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn signup(
        &self,
        client: &reqwest::Client,
        name: &str,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        self.call(
            client,
            "signup",
            &[("name", name), ("email", email), ("password", password)],
        )
        .await
    }

    /// Signs in as a person would: the password, then, for an account with
    /// two-factor sign-in (test accounts have the demo secret:
    /// `fixtures::enrol_two_factor`), the code its app shows. The answer
    /// of the last step.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let res = self
            .call(client, "login", &[("email", email), ("password", password)])
            .await;
        if !wants_code(&res) {
            return res;
        }
        let code = self.next_code(email).await;
        self.call(client, "sign_in_code", &[("code", &code)]).await
    }

    /// A code of the demo secret that `email`'s account has not used yet
    /// (each works once): this step's, the one before or after, or else
    /// the next step's once the test clock has moved on to it.
    pub async fn next_code(&self, email: &str) -> String {
        use tradein::features::accounts::service::two_factor::{code_at, step_of};
        use tradein::platform::clock::Clock;
        let last: i64 = sqlx::query_scalar(
            "SELECT t.last_step FROM two_factor t JOIN users u ON u.id = t.user_id WHERE u.email = $1",
        )
        .bind(email)
        .fetch_optional(self.state.db.pool())
        .await
        .unwrap()
        .unwrap_or(0);
        let mut now = step_of(self.clock.now_ms());
        if last > now {
            self.clock.advance_ms((last - now) * 30_000);
            now = step_of(self.clock.now_ms());
        }
        let step = (now - 1..=now + 1).find(|s| *s > last).unwrap();
        code_at(
            tradein::features::demo::marketplace::DEMO_TOTP_SECRET,
            step * 30_000,
        )
        .unwrap()
    }

    /// The text of the first mail of `kind` to `to`, once sent (written as
    /// an .eml file to the mail folder). Test apps run no job worker: this
    /// runs the due jobs, as a worker would.
    pub async fn sent_mail(&self, to: &str, kind: &str) -> String {
        self.sent_mail_after(to, kind, 0).await
    }

    /// As `sent_mail`, skipping the first `skip` such mails.
    pub async fn sent_mail_after(&self, to: &str, kind: &str, skip: usize) -> String {
        let started = std::time::Instant::now();
        let id = loop {
            tradein::platform::jobs::run_due(&self.state).await.unwrap();
            let sent: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM outbox WHERE to_email = $1 AND kind = $2 AND sent_at IS NOT NULL ORDER BY id",
            )
            .bind(to)
            .bind(kind)
            .fetch_all(self.state.db.pool())
            .await
            .unwrap();
            if let Some(id) = sent.get(skip) {
                break *id;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "no {kind} mail to {to} was sent"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        let wanted = format!("Message-ID: <outbox.{id}.");
        let dir = &self.state.config.mail_dir;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            if text.lines().any(|l| l.starts_with(&wanted)) {
                return quoted_printable_text(&text);
            }
        }
        panic!("outbox mail {id} is not in {}", dir.display());
    }

    /// The signed-in user's email as the server sees it, or None.
    pub async fn whoami(&self, client: &reqwest::Client) -> Option<String> {
        let res = self.call(client, "current_user", &[]).await;
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.unwrap();
        body.get("email")
            .and_then(|e| e.as_str())
            .map(str::to_string)
    }

    pub async fn count(&self, table: &str) -> i64 {
        // Offer views are written off the request path.
        self.state
            .feature::<tradein::features::offers::shown::OfferViewLog>()
            .flush()
            .await;
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(self.state.db.pool())
            .await
            .unwrap()
    }

    /// Consumer accounts (platform accounts such as the recycling partner's
    /// exist from the start).
    pub async fn customers(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'customer'")
            .fetch_one(self.state.db.pool())
            .await
            .unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
    }

    /// Stops serving but keeps the database, for the app processes of
    /// `instances` to run on what this one prepared.
    pub async fn stop_keeping_db(mut self) -> TestDb {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        let dir = std::mem::take(&mut self._db.dir);
        TestDb {
            url: self._db.url.clone(),
            dir,
            pg_name: self._db.pg_name.take(),
        }
    }
}

/// Whether a sign-in answer leads to the code step.
pub fn wants_code(res: &reqwest::Response) -> bool {
    res.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.starts_with("/login/code"))
}

/// A mail file's text with quoted-printable soft breaks and escapes undone
/// (the mailer uses it for lines longer than mail allows).
fn quoted_printable_text(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
