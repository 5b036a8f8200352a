//! Several real app processes (the `tradein` binary) on one Postgres
//! database, as behind a load balancer: jobs run once, mails go once,
//! alerts exist once, a write on one instance reaches the others' caches,
//! a job cut off by `kill -9` is finished elsewhere, and instances started
//! together on an empty database seed it once.
//!
//! Each test prepares its data through an in-process app with the test
//! clock (early March 2026), then runs the processes on the system clock:
//! everything prepared is long due by then.

use crate::fixtures::*;
use crate::harness::{within_limit, Backend, TestApp, TestDb};
use futures_util::future::join_all;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tradein::domain::grade::Grade;

const SKU: &str = "iphone-13-128gb";
const OFFER: &str =
    "/fr-fr/sell/smartphones/apple/iphone-13/offer?variant=iphone-13-128gb&works=yes&screen=light_scratches&body=flawless";

/// One `tradein` process.
pub(crate) struct Instance {
    child: Child,
    base: String,
    log: PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `count` free ports in a row, for the cluster script (a balancer's port,
/// its instances on the ones after it). Taken below Linux's ephemeral range
/// (32768 and up), where the other tests' `free_port` and outgoing
/// connections never land, so a neighbour cannot take one in between.
fn free_port_run(count: u16) -> u16 {
    (20_000..32_000)
        .step_by(usize::from(count))
        .find(|&base| {
            (base..base + count).all(|p| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok())
        })
        .expect("a run of free ports below the ephemeral range")
}

impl Instance {
    /// Starts the binary on `db`, with its own data folder under `dir` and
    /// the mail folder every instance shares.
    pub(crate) fn start(db: &TestDb, name: &str, extra: &[(&str, &str)]) -> Instance {
        let port = free_port();
        let data = db.dir.join(name);
        std::fs::create_dir_all(&data).unwrap();
        let log = data.join("log.txt");
        let out = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tradein"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &db.url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", data.join("site"))
            .env("DATA_DIR", &data)
            .env("MAIL_DIR", mail_dir(db))
            .env("APP_SECRET", "ab".repeat(32))
            .env("SEED_DEMO", "false")
            .env("JOB_LEASE_SECONDS", "2")
            .env("RUST_LOG", "warn,tradein=info")
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        Instance {
            child: cmd.spawn().expect("the tradein binary starts"),
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    /// The process's memory figure `field` of /proc (`VmRSS`, `VmHWM`), in KiB.
    pub(crate) fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc status"))
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Waits until `/healthz` answers 200.
    pub(crate) async fn ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Ok(res) = reqwest::get(self.url("/healthz")).await {
                if res.status() == 200 {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("instance exited with {status}:\n{}", self.log_text());
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "instance not ready:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `kill -9`: no shutdown of any kind.
    fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// A form post from a browser on this instance's site.
    pub(crate) async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .unwrap()
    }
}

impl Instance {
    /// Signs in as a person would on this instance: the password, then
    /// the code the demo secret gives now (instances run on the real
    /// clock), for accounts with two-factor sign-in. The last answer.
    pub(crate) async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let res = self
            .call(client, "login", &[("email", email), ("password", password)])
            .await;
        if !crate::harness::wants_code(&res) {
            return res;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        let code = tradein::features::accounts::service::two_factor::code_at(
            tradein::features::demo::marketplace::DEMO_TOTP_SECRET,
            now,
        )
        .unwrap();
        self.call(client, "sign_in_code", &[("code", &code)]).await
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mail_dir(db: &TestDb) -> PathBuf {
    db.dir.join("mail")
}

/// The Message-IDs of every mail written as a file, one per file.
fn sent_message_ids(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .map(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("Message-ID: ").map(str::to_string))
                .expect("every mail has a Message-ID")
        })
        .collect()
}

/// A client that keeps cookies and follows no redirects; a session cookie
/// from one instance is good on the others (sessions live in the database).
pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn pg(url: &str) -> sqlx::PgPool {
    sqlx::PgPool::connect(url).await.unwrap()
}

/// Waits until `done` holds (the instances' jobs run on their own timers).
async fn eventually<F, Fut>(what: &str, instances: &[&Instance], mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !done().await {
        if started.elapsed() > Duration::from_secs(60) {
            let logs: Vec<String> = instances.iter().map(|i| i.log_text()).collect();
            panic!("{what}: not within 60 s\n{}", logs.join("\n---\n"));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn ops_user(app: &TestApp) {
    let hash = tradein::platform::session::hash_password("correct horse battery".into()).await;
    tradein::features::accounts::service::insert_user(
        app.state.db.pool(),
        tradein::features::accounts::service::NewUser {
            email: &tradein::domain::account::Email::parse("olga@ops.example").unwrap(),
            password_hash: &hash,
            role: tradein::domain::account::Role::Ops,
            display_name: "Olga Ops",
            email_verified: true,
        },
        0,
    )
    .await
    .unwrap();
    enrol_two_factor(app, "olga@ops.example").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_run_each_job_and_send_each_mail_once() {
    within_limit(async {
        let app = TestApp::spawn(Backend::Postgres).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let client = customer(&app, "jane@example.com").await;
        let mut ids = Vec::new();
        for n in 0..3u64 {
            let res = confirm(&app, &client, &confirm_form(&imei(n), 31_200, &format!("key-instances-{n:06}"))).await;
            ids.push(redirected_id(&res));
        }
        // The third was paid long ago: its payout waits to settle.
        let paid = ids[2];
        exec(&app, &format!("UPDATE trade_ins SET state = 'paid' WHERE id = {paid}")).await;
        exec(
            &app,
            &format!(
                "INSERT INTO payouts (trade_in_id, amount_minor, iban_masked, state, provider_ref, created_at, sent_at) \
                 VALUES ({paid}, 31200, 'FR76 **** 2606', 'sent', 'LEDGER-1', {0}, {0})",
                crate::harness::START_MS
            ),
        )
        .await;
        let db = app.stop_keeping_db().await;
        let pool = pg(&db.url).await;

        let mut instances: Vec<Instance> = (0..3).map(|i| Instance::start(&db, &format!("i{i}"), &[])).collect();
        for i in instances.iter_mut() {
            i.ready().await;
        }
        let refs: Vec<&Instance> = instances.iter().collect();
        eventually("both unshipped trade-ins expire", &refs, || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM trade_ins WHERE state = 'expired'")
                .fetch_one(&pool)
                .await
                .unwrap()
                == 2
        })
        .await;
        eventually("the payout settles", &refs, || async {
            sqlx::query_scalar::<_, String>("SELECT state FROM payouts").fetch_one(&pool).await.unwrap() == "settled"
        })
        .await;
        eventually("every mail is sent", &refs, || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(&pool).await.unwrap()
                == 0
        })
        .await;

        for id in &ids[..2] {
            let expiries: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM trade_in_events WHERE trade_in_id = $1 AND action = 'Expire'")
                    .bind(id)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            assert_eq!(expiries, 1, "trade-in {id} expires once");
            let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM outbox WHERE trade_in_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&pool)
                .await
                .unwrap();
            // Long past its deadline: expired without a warning first.
            assert_eq!(kinds, ["confirmation", "expired"], "one mail of each");
        }
        let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&pool).await.unwrap();
        let mut sent = sent_message_ids(&mail_dir(&db));
        assert_eq!(sent.len() as i64, mails, "each queued mail written once: {sent:?}");
        sent.sort();
        sent.dedup();
        assert_eq!(sent.len() as i64, mails, "each with its own Message-ID");
        let runs: Vec<(String, i64, Option<i64>)> =
            sqlx::query_as("SELECT kind, attempts, done_at FROM jobs WHERE done_at IS NOT NULL OR locked_by IS NOT NULL")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert!(runs.iter().any(|(k, ..)| k == "settle_payouts"));
        for (kind, attempts, _) in &runs {
            assert_eq!(*attempts, 1, "{kind} ran once: {runs:?}");
        }
        drop(instances);
        pool.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_raised_by_two_instances_at_once_exist_once() {
    within_limit(async {
        // A webhook receiver, keeping what it is sent.
        let received = Arc::new(Mutex::new(Vec::<serde_json::Value>::new()));
        let sink = received.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hook = format!("http://{}/hook", listener.local_addr().unwrap());
        let router = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |axum::Json(v): axum::Json<serde_json::Value>| {
                let sink = sink.clone();
                async move {
                    sink.lock().unwrap().push(v);
                    "ok"
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

        let app = TestApp::spawn(Backend::Postgres).await;
        ops_user(&app).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let client = customer(&app, "jane@example.com").await;
        // A parcel received long ago and never inspected: past the SLA.
        let res = confirm(
            &app,
            &client,
            &confirm_form(&imei(1), 31_200, "key-alerting-0001"),
        )
        .await;
        let id = redirected_id(&res);
        exec(
            &app,
            &format!(
                "UPDATE trade_ins SET state = 'received', received_at = {} WHERE id = {id}",
                crate::harness::START_MS
            ),
        )
        .await;
        let db = app.stop_keeping_db().await;
        let pool = pg(&db.url).await;

        let mut a = Instance::start(&db, "a", &[("ALERT_WEBHOOK_URL", &hook)]);
        let mut b = Instance::start(&db, "b", &[("ALERT_WEBHOOK_URL", &hook)]);
        a.ready().await;
        b.ready().await;
        let ops = browser();
        assert_eq!(
            a.sign_in(&ops, "olga@ops.example", "correct horse battery")
                .await
                .status(),
            200
        );
        // Both evaluate the rules at the same moment (their schedulers do
        // too, at start).
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let runs = [&a, &b].map(|i| {
            let (barrier, ops) = (barrier.clone(), ops.clone());
            async move {
                barrier.wait().await;
                i.call(&ops, "alerts_run", &[]).await.status()
            }
        });
        for status in join_all(runs).await {
            assert_eq!(status, 200);
        }
        let alerts: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT rule, subject, COUNT(*) FROM alerts GROUP BY rule, subject ORDER BY rule",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert!(
            alerts.iter().any(|(rule, ..)| rule == "inspection_sla"),
            "{alerts:?}"
        );
        assert!(
            alerts.iter().all(|(.., n)| *n == 1),
            "each alert once: {alerts:?}"
        );
        let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'alert'")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(
            mails,
            alerts.len() as i64,
            "one mail per alert to the one ops account"
        );
        eventually("each alert is posted", &[&a, &b], || async {
            received.lock().unwrap().len() >= alerts.len()
        })
        .await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(received.lock().unwrap().len(), alerts.len(), "once each");
        pool.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_saved_on_one_instance_shows_in_the_others_offer_within_a_second() {
    within_limit(async {
        let app = TestApp::spawn(Backend::Postgres).await;
        let (_, s) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, s, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let variant = variant_id(&app, SKU).await.to_string();
        let email: String = sqlx::query_scalar("SELECT contact_email FROM sellers WHERE id = $1")
            .bind(s)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        let db = app.stop_keeping_db().await;

        let mut a = Instance::start(&db, "a", &[]);
        let mut b = Instance::start(&db, "b", &[]);
        a.ready().await;
        b.ready().await;
        let seller = browser();
        assert_eq!(
            a.sign_in(&seller, &email, "correct horse battery")
                .await
                .status(),
            200
        );
        let version: i64 = sqlx::query_scalar("SELECT version FROM listings WHERE seller_id = $1")
            .bind(s.get())
            .fetch_one(&pg(&db.url).await)
            .await
            .unwrap();
        let version = version.to_string();
        let offer_on_b = || async {
            reqwest::get(b.url(OFFER))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        };
        // B keeps the market (and the page) in memory now, for two seconds
        // unless told otherwise.
        assert!(offer_on_b().await.contains("312,00\u{a0}€"));
        assert!(offer_on_b().await.contains("312,00\u{a0}€"));
        let saved = a
            .call(
                &seller,
                "price_cell",
                &[
                    ("variant_id", &variant),
                    ("grade", "functional_good"),
                    ("price", "350"),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(saved.status(), 200, "{:?}", saved.text().await);
        let at = Instant::now();
        loop {
            if offer_on_b().await.contains("350,00\u{a0}€") {
                break;
            }
            assert!(
                at.elapsed() < Duration::from_secs(1),
                "B still shows the old price a second later"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_cut_off_by_kill_9_is_finished_by_another_instance() {
    within_limit(async {
        // A mail server that accepts the connection and never answers: the
        // first instance is stuck inside the mail job when it is killed.
        let smtp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let smtp_url = format!("smtp://{}", smtp.local_addr().unwrap());
        let (connected, mut connection) = tokio::sync::mpsc::channel::<()>(4);
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = smtp.accept().await {
                held.push(socket);
                let _ = connected.send(()).await;
            }
        });

        let app = TestApp::spawn(Backend::Postgres).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let client = customer(&app, "jane@example.com").await;
        let res = confirm(
            &app,
            &client,
            &confirm_form(&imei(1), 31_200, "key-killed-000001"),
        )
        .await;
        let id = redirected_id(&res);
        // Shipped: no deadline mail joins the confirmation's before the kill.
        exec(
            &app,
            &format!("UPDATE trade_ins SET state = 'shipped' WHERE id = {id}"),
        )
        .await;
        let db = app.stop_keeping_db().await;
        let pool = pg(&db.url).await;
        let (mail, created): (i64, i64) = sqlx::query_as("SELECT id, created_at FROM outbox")
            .fetch_one(&pool)
            .await
            .unwrap();

        let mut a = Instance::start(&db, "a", &[("SMTP_URL", &smtp_url)]);
        a.ready().await;
        tokio::time::timeout(Duration::from_secs(30), connection.recv())
            .await
            .expect("instance a sends the mail");
        let (locked_by, attempts): (Option<String>, i64) =
            sqlx::query_as("SELECT locked_by, attempts FROM jobs WHERE kind = 'mail'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(
            locked_by.is_some() && attempts == 1,
            "claimed by a, running"
        );
        a.kill9();

        let mut b = Instance::start(&db, "b", &[]);
        b.ready().await;
        // The mail is marked sent, then its job done, in two writes: wait
        // for the second, or the check below can fall between them.
        eventually(
            "b sends the mail once a's lease runs out, and finishes its job",
            &[&b],
            || async {
                let sent = sqlx::query_scalar::<_, Option<i64>>(
                    "SELECT sent_at FROM outbox WHERE id = $1",
                )
                .bind(mail)
                .fetch_one(&pool)
                .await
                .unwrap();
                let done = sqlx::query_scalar::<_, Option<i64>>(
                    "SELECT done_at FROM jobs WHERE kind = 'mail'",
                )
                .fetch_one(&pool)
                .await
                .unwrap();
                sent.is_some() && done.is_some()
            },
        )
        .await;
        let (attempts, done): (i64, Option<i64>) =
            sqlx::query_as("SELECT attempts, done_at FROM jobs WHERE kind = 'mail'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!((attempts, done.is_some()), (2, true), "run again, and done");
        assert_eq!(
            sent_message_ids(&mail_dir(&db)),
            [format!("<outbox.{mail}.{created}@tradein.example>")],
            "sent with the Message-ID every attempt uses"
        );
        pool.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_started_together_on_an_empty_database_seed_it_once() {
    within_limit(async {
        let db = TestDb::create(Backend::Postgres).await;
        let seeded = [("SEED_DEMO", "true")];
        let mut instances = [
            Instance::start(&db, "a", &seeded),
            Instance::start(&db, "b", &seeded),
        ];
        for i in instances.iter_mut() {
            i.ready().await;
        }
        let pool = pg(&db.url).await;
        let count = |sql: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(
            count("SELECT COUNT(*) FROM users WHERE email = 'ops@tradein.example'").await,
            1
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM users WHERE email = 'sam@tradein.example'").await,
            1
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM sellers WHERE kind = 'recycler'").await,
            1
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM trade_ins WHERE idempotency_key LIKE 'demo-fraud-case-%'")
                .await,
            2,
            "the demo's activity once"
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM app_meta WHERE key = 'demo_seeded'").await,
            1
        );
        for i in &instances {
            assert_eq!(
                reqwest::get(i.url("/fr-fr")).await.unwrap().status(),
                200,
                "both serve"
            );
        }
        pool.close().await;
    })
    .await;
}

/// The README's deployment: `scripts/cluster.sh` starts instances behind
/// HAProxy, which keeps answering when one of them dies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cluster_script_balances_and_outlives_an_instance() {
    within_limit(async {
        let db = TestDb::create(Backend::Postgres).await;
        let dir = db.dir.join("cluster");
        let port = free_port_run(8);
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/cluster.sh");
        let run = |args: &[&str]| {
            let out = Command::new("bash")
                .arg(script)
                .args(args)
                .env("CLUSTER_DETACH", "1")
                .env("CLUSTER_DIR", &dir)
                .env("CLUSTER_PORT", port.to_string())
                .env("DATABASE_URL", &db.url)
                .env("SEED_DEMO", "false")
                .env("TRADEIN_BIN", env!("CARGO_BIN_EXE_tradein"))
                .env("TRADEIN_SITE_ROOT", db.dir.join("site"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        };
        run(&["2"]);
        let lb = format!("http://127.0.0.1:{port}");
        let pages = |n: usize| {
            let lb = lb.clone();
            async move {
                let mut ok = 0;
                for _ in 0..n {
                    if reqwest::get(format!("{lb}/fr-fr/sell/smartphones/apple/iphone-13"))
                        .await
                        .is_ok_and(|r| r.status() == 200)
                    {
                        ok += 1;
                    }
                }
                ok
            }
        };
        assert_eq!(pages(6).await, 6);
        let pid = std::fs::read_to_string(dir.join("instance-1.pid")).unwrap();
        assert!(Command::new("kill")
            .args(["-9", pid.trim()])
            .status()
            .unwrap()
            .success());
        // HAProxy's check (every second, two failures) takes it out.
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(pages(10).await, 10, "the other instance answers everything");
        run(&["stop"]);
        assert!(
            reqwest::get(format!("{lb}/healthz")).await.is_err(),
            "the balancer is stopped too"
        );
    })
    .await;
}
