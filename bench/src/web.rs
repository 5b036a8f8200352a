//! The web part of the benchmark, against the real server binary built by
//! `cargo leptos build --release --precompress` and the SQLite database the
//! rest of the benchmark filled:
//!
//! - pages under load: wrk (Debian) with 64 connections and the same number
//!   of requests each, against a static file of the model page's size
//!   served by the same server (so the figures say what rendering costs,
//!   whatever the machine);
//! - payload: the wasm, JS and CSS a first visit to the home page fetches,
//!   as served raw, gzip and brotli, and where the wasm bytes go;
//! - Lighthouse (npm, with Debian's chromium) on three consumer pages.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error>;

pub const CONNECTIONS: usize = 64;
/// wrk threads: one per core of the 2-core machine this was sized for.
const WRK_THREADS: usize = 2;
pub const PAGE_P99_BUDGET_MS: f64 = 25.0;
pub const FIRST_VISIT_BUDGET_BYTES: u64 = 250 * 1000;
pub const PERFORMANCE_BUDGET: f64 = 90.0;
pub const ACCESSIBILITY_BUDGET: f64 = 100.0;

/// Where everything is; filled by `main` from the environment
/// `scripts/bench.sh` sets.
pub struct Setup {
    pub server_bin: PathBuf,
    pub site_root: PathBuf,
    pub database: PathBuf,
    /// The server's DATA_DIR and log.
    pub work_dir: PathBuf,
    /// `bench/`: the wrk script and Lighthouse's node_modules.
    pub tools_dir: PathBuf,
    pub out_dir: PathBuf,
    /// The wasm as rustc wrote it (with its name section), for the breakdown of its bytes.
    pub wasm_with_names: Option<PathBuf>,
    pub requests_per_connection: usize,
    pub model: ModelPick,
    pub seller: (String, String),
}

/// A real catalog model and one of its variants, for the model page and the
/// offer step.
pub struct ModelPick {
    pub category: String,
    pub brand: String,
    pub model: String,
    pub variant_sku: String,
    /// Offer steps of every variant in the catalog, each with a random
    /// condition, in random order: what a crowd of different consumers asks.
    pub offer_paths: Vec<String>,
    /// Model pages of the catalog in random order, each address once.
    pub model_paths: Vec<String>,
}

impl ModelPick {
    fn page(&self) -> String {
        format!(
            "{HOME}/sell/{}/{}/{}",
            self.category, self.brand, self.model
        )
    }
    /// What the model page's form submits: the variant and the three answers.
    fn offer(&self) -> String {
        format!(
            "{}/offer?variant={}&works=yes&screen=light_scratches&body=flawless",
            self.page(),
            self.variant_sku
        )
    }
}

/// The consumer pages measured are France's (`/` sends a visitor to their
/// market's home with a 303, which a load test would only measure the
/// redirect of).
pub const HOME: &str = "/fr-fr";

/// The servers' sealing key (hex), which the bench's seller's two-factor
/// secret is sealed with.
pub const APP_SECRET: &str = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd";

/// The server process, stopped when dropped (also on an early error).
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, Error> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn start_server(s: &Setup) -> Result<Server, Error> {
    let port = free_port()?;
    std::fs::create_dir_all(&s.work_dir)?;
    let log = std::fs::File::create(s.work_dir.join("server.log"))?;
    let mut cmd = Command::new(&s.server_bin);
    // Only the configuration a deployment would give; build-time variables
    // from scripts/env.sh are not the server's business.
    for (k, _) in std::env::vars() {
        if k.starts_with("LEPTOS_") || k == "DATABASE_URL" || k == "SEED_DEMO" || k == "RUST_LOG" {
            cmd.env_remove(k);
        }
    }
    cmd.env("DATABASE_URL", format!("sqlite://{}", s.database.display()))
        .env("SEED_DEMO", "false")
        .env("LEPTOS_SITE_ROOT", &s.site_root)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_ENV", "PROD")
        .env("APP_SECRET", APP_SECRET)
        .env("DATA_DIR", &s.work_dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    let server = Server {
        child: cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", s.server_bin.display()))?,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = client()?;
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{}/healthz", server.base)).send().await {
            if r.status().is_success() {
                return Ok(server);
            }
        }
        if started.elapsed() > Duration::from_secs(180) {
            return Err(format!(
                "the server did not answer /healthz within 180 s; see {}",
                s.work_dir.join("server.log").display()
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn client() -> Result<reqwest::Client, Error> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()?)
}

/// Signs in through the real endpoint, as the no-JavaScript form does, and
/// returns the session cookie (`name=value`).
async fn sign_in(base: &str, email: &str, password: &str) -> Result<String, Error> {
    let session = |res: &reqwest::Response| {
        res.headers()
            .get_all(http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter(|c| !c.ends_with('='))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let res = client()?
        .post(format!("{base}/api/login"))
        .form(&[("email", email), ("password", password), ("next", "")])
        .send()
        .await?;
    let mut cookies = session(&res);
    // The second step, with the code an authenticator app shows now.
    if !cookies.iter().any(|c| c.contains("session=")) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis() as i64;
        let code = tradein::features::accounts::service::two_factor::code_at(
            tradein::features::demo::service::marketplace::DEMO_TOTP_SECRET,
            now,
        )
        .ok_or("no code for the demo secret")?;
        let res = client()?
            .post(format!("{base}/api/sign_in_code"))
            .header(http::header::COOKIE, cookies.join("; "))
            .form(&[("code", code.as_str()), ("next", "")])
            .send()
            .await?;
        cookies = session(&res);
    }
    let cookie = cookies.into_iter().find(|c| c.contains("session="));
    cookie.ok_or_else(|| format!("signing in as {email} gave no session cookie").into())
}

struct Load {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    errors: u64,
}

/// `paths`: a file of paths asked in turn instead of `url`'s.
fn wrk(
    s: &Setup,
    url: &str,
    per_connection: usize,
    cookie: Option<&str>,
    paths: Option<&Path>,
) -> Result<Load, Error> {
    let per_thread = CONNECTIONS * per_connection / WRK_THREADS;
    let marks = s.work_dir.join("wrk-done.txt");
    std::fs::write(&marks, "")?;
    let mut child = Command::new("wrk")
        .args([
            "-t",
            &WRK_THREADS.to_string(),
            "-c",
            &CONNECTIONS.to_string(),
            "-d",
            "600s",
            "--timeout",
            "60s",
            "-s",
        ])
        .arg(s.tools_dir.join("fixed-count.lua"))
        .arg(url)
        .arg("--")
        .arg(per_thread.to_string())
        .arg(&marks)
        .arg(cookie.unwrap_or(""))
        .arg(paths.map(|p| p.as_os_str()).unwrap_or_default())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run wrk ({e}); scripts/bench.sh installs it with apt-get"))?;
    // Each thread appends "first-request-µs last-answer-µs count" when done.
    let started = Instant::now();
    let lines = loop {
        let text = std::fs::read_to_string(&marks).unwrap_or_default();
        let lines: Vec<[f64; 3]> = text
            .lines()
            .filter_map(|l| {
                let v: Vec<f64> = l
                    .split_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect();
                (v.len() == 3).then(|| [v[0], v[1], v[2]])
            })
            .collect();
        if lines.len() >= WRK_THREADS {
            break lines;
        }
        if child.try_wait()?.is_some() || started.elapsed() > Duration::from_secs(590) {
            let _ = child.kill();
            let out = child.wait_with_output()?;
            return Err(format!(
                "wrk did not complete {per_thread} requests per thread on {url}: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // wrk prints its statistics (and runs `done`) when interrupted.
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let out = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("BENCH "))
        .ok_or_else(|| {
            format!(
                "wrk printed no result for {url}: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
    let field = |name: &str| -> f64 {
        line.split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0.0)
    };
    let first = lines.iter().map(|l| l[0]).fold(f64::INFINITY, f64::min);
    let last = lines.iter().map(|l| l[1]).fold(0.0, f64::max);
    let answered: f64 = lines.iter().map(|l| l[2]).sum();
    Ok(Load {
        rps: answered / ((last - first) / 1e6).max(1e-9),
        p50_ms: field("p50_us") / 1000.0,
        p99_ms: field("p99_us") / 1000.0,
        max_ms: field("max_us") / 1000.0,
        errors: (field("status_errors") + field("socket_errors")) as u64,
    })
}

/// The offer step through HAProxy on the Postgres database, with one app
/// instance behind it and then three (`scripts/cluster.sh`), in the same
/// run, on the same machine: what more instances bring when they share one
/// database (on two cores, they also share the CPU).
pub async fn cluster(s: &Setup, database_url: &str) -> Result<Vec<String>, Error> {
    let dir = s.work_dir.join("cluster");
    let port = free_port()?;
    let script = |args: &[&str]| -> Result<(), Error> {
        let out = Command::new("bash")
            .arg("scripts/cluster.sh")
            .args(args)
            .env("CLUSTER_DETACH", "1")
            .env("CLUSTER_DIR", &dir)
            .env("CLUSTER_PORT", port.to_string())
            .env("DATABASE_URL", database_url)
            .env("SEED_DEMO", "false")
            .env("LEPTOS_ENV", "PROD")
            .env("APP_SECRET", APP_SECRET)
            .env("RUST_LOG", "warn")
            .env("TRADEIN_BIN", &s.server_bin)
            .env("TRADEIN_SITE_ROOT", &s.site_root)
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "scripts/cluster.sh {args:?} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(())
    };
    std::fs::create_dir_all(&s.work_dir)?;
    let (warm, measured) = s
        .model
        .offer_paths
        .split_at(s.model.offer_paths.len().min(1_000));
    let files = (
        s.work_dir.join("cluster-offers-warm-up.txt"),
        s.work_dir.join("cluster-offers.txt"),
    );
    std::fs::write(&files.0, warm.join("\n"))?;
    std::fs::write(&files.1, measured.join("\n"))?;
    let n = s.requests_per_connection;
    let mut rows = Vec::new();
    let mut one = None;
    for instances in [1usize, 3] {
        let started = Instant::now();
        script(&[&instances.to_string()])?;
        let url = format!(
            "http://127.0.0.1:{port}{}",
            measured.first().cloned().unwrap_or_else(|| s.model.offer())
        );
        let measuring = wrk(s, &url, n, None, Some(&files.0))
            .and_then(|_| wrk(s, &url, n, None, Some(&files.1)));
        script(&["stop"])?;
        let l = measuring?;
        let base = *one.get_or_insert(l.rps);
        let errors = if l.errors > 0 {
            format!(", {} FAILED", l.errors)
        } else {
            String::new()
        };
        rows.push(format!(
            "| offer step through HAProxy, a different device each time, {instances} instance{} | Postgres | {CONNECTIONS} connections x {n} requests: {:.0} req/s = {:.2}x one instance{errors} | p50 {:.1} ms | p99 {:.1} ms | max {:.1} ms |",
            if instances == 1 { "" } else { "s" },
            l.rps,
            l.rps / base,
            l.p50_ms,
            l.p99_ms,
            l.max_ms
        ));
        println!("{}", rows.last().unwrap());
        crate::phases::done(
            format!("load through HAProxy, {instances} instance(s)"),
            started,
        );
    }
    Ok(rows)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "OVER BUDGET"
    }
}

/// Runs the whole web phase; returns table rows and the extra sections
/// (where the wasm bytes go, Lighthouse findings) printed below the table.
pub async fn run(s: &Setup) -> Result<(Vec<String>, Vec<String>), Error> {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let started = Instant::now();
    let server = start_server(s).await?;
    crate::phases::done("server start", started);
    let base = server.base.clone();
    let http = client()?;
    let cookie = sign_in(&base, &s.seller.0, &s.seller.1).await?;

    // The baseline: the model page's own bytes as a file in the site root,
    // served by the app's static-file handler.
    let model_html = http
        .get(format!("{base}{}", s.model.page()))
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let baseline_name = "bench-baseline.html";
    std::fs::write(s.site_root.join(baseline_name), &model_html)?;

    let n = s.requests_per_connection;
    // The price grid costs far more per page (see its in-process rows
    // above); a few requests per connection keep its run short.
    // The warm-up asks other devices than the measured run, which would
    // otherwise find the warm-up's offers still kept.
    let (warm, measured) = s
        .model
        .offer_paths
        .split_at(s.model.offer_paths.len().min(1_000));
    let spread = (
        s.work_dir.join("offer-paths-warm-up.txt"),
        s.work_dir.join("offer-paths.txt"),
    );
    std::fs::write(&spread.0, warm.join("\n"))?;
    std::fs::write(&spread.1, measured.join("\n"))?;
    let (models_warm, models_measured) = s
        .model
        .model_paths
        .split_at(s.model.model_paths.len().min(1_000));
    let models = (
        s.work_dir.join("model-paths-warm-up.txt"),
        s.work_dir.join("model-paths.txt"),
    );
    std::fs::write(&models.0, models_warm.join("\n"))?;
    std::fs::write(&models.1, models_measured.join("\n"))?;
    // (label, path, cookie, requests, (warm-up list, measured list) of paths)
    type Page<'a> = (
        String,
        String,
        Option<&'a str>,
        usize,
        Option<(&'a Path, &'a Path)>,
    );
    let pages: Vec<Page> = vec![
        (format!("static file ({} B, the model page's size): baseline", thousands(model_html.len() as u64)), format!("/{baseline_name}"), None, n, None),
        (format!("home `{HOME}`"), HOME.into(), None, n, None),
        (format!("model page `{}`", s.model.page()), s.model.page(), None, n, None),
        (
            format!("model page, rendered every time (random models, each request its own address: {} of them)", thousands(models_measured.len() as u64)),
            models_measured.first().cloned().unwrap_or_else(|| s.model.page()),
            None,
            n,
            Some((models.0.as_path(), models.1.as_path())),
        ),
        ("offer step `…/offer?variant=…&works=…&screen=…&body=…`".into(), s.model.offer(), None, n, None),
        (
            format!("offer step, a different device each time ({} variants in random order, random condition: no offer is kept)", thousands(measured.len() as u64)),
            measured.first().cloned().unwrap_or_else(|| s.model.offer()),
            None,
            n,
            Some((spread.0.as_path(), spread.1.as_path())),
        ),
        ("seller price grid `/seller/prices` (signed in, 17,000+ variants)".into(), "/seller/prices".into(), Some(cookie.as_str()), (n / 50).max(1), None),
    ];
    let mut baseline_rps = None;
    let mut budget_lines = Vec::new();
    for (label, path, cookie, per_connection, paths) in &pages {
        let started = Instant::now();
        let url = format!("{base}{path}");
        // Each page must answer 200 (a redirect to sign-in would be cheap and
        // meaningless).
        let mut req = http.get(&url);
        if let Some(c) = cookie {
            req = req.header(http::header::COOKIE, *c);
        }
        let status = req.send().await?.status();
        if status != reqwest::StatusCode::OK {
            return Err(format!("{path} answered {status} before the load test").into());
        }
        // Warm-up: connections, SQLite's page cache, the allocator's heap.
        // As many requests as the measured run: a freshly started server
        // takes a second or two of load to reach its steady pace, and with
        // a tenth as many the first pages measured that (model page p99
        // 27-31 ms after a short warm-up, 20-22 ms after a full one, same
        // binary). The price grid, at a fifth of a second a page, gets one
        // request per connection.
        let warm_up = if *per_connection >= 10 {
            *per_connection
        } else {
            1
        };
        wrk(s, &url, warm_up, *cookie, paths.map(|p| p.0))?;
        let l = wrk(s, &url, *per_connection, *cookie, paths.map(|p| p.1))?;
        let base_rps = *baseline_rps.get_or_insert(l.rps);
        let ratio = l.rps / base_rps;
        let errors = if l.errors > 0 {
            format!(", {} FAILED", l.errors)
        } else {
            String::new()
        };
        rows.push(format!(
            "| page under load: {label} | SQLite | {CONNECTIONS} connections x {per_connection} requests: {:.0} req/s = {ratio:.2}x static{errors} | p50 {:.1} ms | p99 {:.1} ms | max {:.1} ms |",
            l.rps, l.p50_ms, l.p99_ms, l.max_ms
        ));
        println!("{}", rows.last().unwrap());
        let budgeted = if path == &s.model.page() {
            Some("model page")
        } else if paths.is_some() && !path.contains("/offer?") {
            Some("model page, rendered every time")
        } else if paths.is_some() {
            Some("offer step, a different device each time")
        } else if path.contains("/offer?") {
            Some("offer step")
        } else {
            None
        };
        if let Some(what) = budgeted {
            budget_lines.push(format!(
                "{what} p99 {:.1} ms ({})",
                l.p99_ms,
                verdict(l.p99_ms < PAGE_P99_BUDGET_MS && l.errors == 0)
            ));
        }
        crate::phases::done(
            format!(
                "load on {}",
                label.split(['`', '(']).next().unwrap_or(label).trim()
            ),
            started,
        );
    }
    std::fs::remove_file(s.site_root.join(baseline_name)).ok();

    let started = Instant::now();
    let (payload_rows, home_br) = payload(&http, &base).await?;
    rows.extend(payload_rows);
    // A consumer may arrive on any step: the budget holds for the largest.
    let mut first_visit_br = home_br;
    for (label, path) in [
        ("the model page", s.model.page()),
        ("the offer step", s.model.offer()),
    ] {
        let (row, br) = lazy_payload(&http, &base, label, &path, None).await?;
        rows.push(row);
        first_visit_br = first_visit_br.max(br);
    }
    // Pages a consumer reaches after a first look, now lazy: what arriving
    // on one directly costs (a returning customer's bookmark, say).
    rows.push(
        lazy_payload(&http, &base, "sign-in", "/login", None)
            .await?
            .0,
    );
    rows.push(
        lazy_payload(
            &http,
            &base,
            "the seller dashboard",
            "/seller/prices?q=iphone",
            Some(&cookie),
        )
        .await?
        .0,
    );
    budget_lines.push(format!(
        "first visit wasm + JS {} brotli, the largest of home, model page and offer step ({})",
        kb(first_visit_br),
        verdict(first_visit_br < FIRST_VISIT_BUDGET_BYTES)
    ));

    if let Some(wasm) = &s.wasm_with_names {
        match wasm_breakdown(wasm) {
            Ok(section) => notes.extend(section),
            Err(e) => notes.push(format!("wasm breakdown: {e}")),
        }
    }
    crate::phases::done("payload and wasm breakdown", started);

    // Lighthouse last, on an idle server.
    for (label, path) in [
        ("home", HOME.to_string()),
        ("model page", s.model.page()),
        ("offer step", s.model.offer()),
    ] {
        let started = Instant::now();
        let result = lighthouse(s, &format!("{base}{path}"), label);
        crate::phases::done(format!("Lighthouse on the {label}"), started);
        match result {
            Ok(r) => {
                rows.push(format!(
                    "| Lighthouse (mobile): {label} | SQLite | performance {:.0}, accessibility {:.0}, best practices {:.0}, SEO {:.0} | LCP {:.2} s | TBT {:.0} ms | CLS {:.3} |",
                    r.performance, r.accessibility, r.best_practices, r.seo, r.lcp_ms / 1000.0, r.tbt_ms, r.cls
                ));
                println!("{}", rows.last().unwrap());
                budget_lines.push(format!(
                    "{label}: performance {:.0} ({}), accessibility {:.0} ({})",
                    r.performance,
                    verdict(r.performance >= PERFORMANCE_BUDGET),
                    r.accessibility,
                    verdict(r.accessibility >= ACCESSIBILITY_BUDGET)
                ));
                if !r.findings.is_empty() {
                    notes.push(format!("Lighthouse findings on the {label} ({path}):"));
                    notes.extend(r.findings.iter().map(|f| format!("- {f}")));
                }
            }
            Err(e) => {
                rows.push(format!(
                    "| Lighthouse (mobile): {label} | SQLite | FAILED: {e} | | | |"
                ));
                println!("{}", rows.last().unwrap());
            }
        }
    }
    drop(server);
    rows.push(format!(
        "Web budgets (model page and offer step p99 < {PAGE_P99_BUDGET_MS:.0} ms at {CONNECTIONS} connections on SQLite; first visit wasm + JS < {} brotli; Lighthouse performance >= {PERFORMANCE_BUDGET:.0}, accessibility {ACCESSIBILITY_BUDGET:.0}): {}.",
        kb(FIRST_VISIT_BUDGET_BYTES),
        budget_lines.join("; ")
    ));
    println!("{}", rows.last().unwrap());
    Ok((rows, notes))
}

/// The `href`s of the page's front-end files, in the order they appear.
fn asset_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for tag in html
        .split('<')
        .filter(|t| t.starts_with("link ") || t.starts_with("script "))
    {
        for attr in ["href=\"", "src=\""] {
            if let Some(start) = tag.find(attr) {
                let rest = &tag[start + attr.len()..];
                if let Some(end) = rest.find('"') {
                    let url = &rest[..end];
                    if [".js", ".wasm", ".css"].iter().any(|e| url.ends_with(e))
                        && !urls.iter().any(|u| u == url)
                    {
                        urls.push(url.to_string());
                    }
                }
            }
        }
    }
    urls
}

/// Modules a JS file imports with a relative path (wasm-bindgen snippets).
fn js_imports(js: &str, from: &str) -> Vec<String> {
    let dir = &from[..from.rfind('/').map(|i| i + 1).unwrap_or(0)];
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        for part in js
            .split(&format!("from {quote}./")[..])
            .skip(1)
            .chain(js.split(&format!("from{quote}./")[..]).skip(1))
        {
            if let Some(end) = part.find(quote) {
                let url = format!("{dir}{}", &part[..end]);
                if !out.contains(&url) {
                    out.push(url);
                }
            }
        }
    }
    out
}

struct Served {
    bytes: u64,
    encoding: String,
    cache: String,
}

async fn fetch(http: &reqwest::Client, url: &str, encoding: &str) -> Result<Served, Error> {
    let res = http
        .get(url)
        .header(http::header::ACCEPT_ENCODING, encoding)
        .send()
        .await?
        .error_for_status()?;
    let header = |n: http::header::HeaderName| {
        res.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (enc, cache) = (
        header(http::header::CONTENT_ENCODING),
        header(http::header::CACHE_CONTROL),
    );
    Ok(Served {
        bytes: res.bytes().await?.len() as u64,
        encoding: enc,
        cache,
    })
}

/// The front-end files a first visit to `path` downloads (those the page
/// links and the modules its JS imports), each fetched raw, gzip and brotli.
async fn first_visit(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    cookie: Option<&str>,
) -> Result<Vec<(String, [Served; 3])>, Error> {
    let mut page = http.get(format!("{base}{path}"));
    if let Some(c) = cookie {
        page = page.header(http::header::COOKIE, c);
    }
    let html = page.send().await?.error_for_status()?.text().await?;
    let mut urls = asset_urls(&html);
    let mut i = 0;
    while i < urls.len() {
        if urls[i].ends_with(".js") {
            let js = http
                .get(format!("{base}{}", urls[i]))
                .send()
                .await?
                .text()
                .await?;
            for u in js_imports(&js, &urls[i]) {
                if !urls.contains(&u) {
                    urls.push(u);
                }
            }
        }
        i += 1;
    }
    let mut files = Vec::new();
    for url in urls {
        let full = format!("{base}{url}");
        let served = [
            fetch(http, &full, "identity").await?,
            fetch(http, &full, "gzip").await?,
            fetch(http, &full, "br").await?,
        ];
        files.push((url, served));
    }
    Ok(files)
}

fn is_code(url: &str) -> bool {
    url.ends_with(".js") || url.ends_with(".wasm")
}

/// Rows for each file a first visit to a market's home downloads, and the brotli total of
/// its wasm and JS.
async fn payload(http: &reqwest::Client, base: &str) -> Result<(Vec<String>, u64), Error> {
    let files = first_visit(http, base, HOME, None).await?;
    let mut rows = Vec::new();
    for (url, [raw, gz, br]) in &files {
        let kind = url.rsplit('.').next().unwrap_or("");
        let mark = |s: &Served, want: &str| {
            if s.encoding == want {
                String::new()
            } else {
                " (not precompressed)".to_string()
            }
        };
        rows.push(format!(
            "| first visit to `/fr-fr`: {kind} `{url}` | | raw {} | gzip {}{} | brotli {}{} | {} |",
            kb(raw.bytes),
            kb(gz.bytes),
            mark(gz, "gzip"),
            kb(br.bytes),
            mark(br, "br"),
            if raw.cache.is_empty() {
                "no Cache-Control".to_string()
            } else {
                format!("Cache-Control: {}", raw.cache)
            }
        ));
        println!("{}", rows.last().unwrap());
    }
    let total = |i: usize| {
        files
            .iter()
            .filter(|(u, _)| is_code(u))
            .map(|(_, s)| s[i].bytes)
            .sum::<u64>()
    };
    let br_total = total(2);
    rows.push(format!(
        "| first visit to `/fr-fr`: wasm + JS | | raw {} | gzip {} | brotli {} | budget < {} brotli: {} |",
        kb(total(0)),
        kb(total(1)),
        kb(br_total),
        kb(FIRST_VISIT_BUDGET_BYTES),
        verdict(br_total < FIRST_VISIT_BUDGET_BYTES)
    ));
    println!("{}", rows.last().unwrap());
    Ok((rows, br_total))
}

/// A page's code as a first visit gets it: the main module plus the lazily
/// loaded chunks (wasm files other than the main one) that the server names
/// for that page. Returns the row and the brotli total.
async fn lazy_payload(
    http: &reqwest::Client,
    base: &str,
    label: &str,
    path: &str,
    cookie: Option<&str>,
) -> Result<(String, u64), Error> {
    let files = first_visit(http, base, path, cookie).await?;
    let is_chunk = |url: &str| {
        url.ends_with(".wasm") && !url.rsplit('/').next().unwrap_or("").starts_with("tradein")
    };
    let (mut all, mut chunks) = ([0u64; 3], (0, 0u64));
    for (url, served) in files.iter().filter(|(u, _)| is_code(u)) {
        for (total, s) in all.iter_mut().zip(served) {
            *total += s.bytes;
        }
        if is_chunk(url) {
            chunks = (chunks.0 + 1, chunks.1 + served[2].bytes);
        }
    }
    let row = format!(
        "| first visit to {label} `{path}`: wasm + JS | | raw {} | gzip {} | brotli {} | of which {} lazy wasm chunk(s): brotli {} |",
        kb(all[0]),
        kb(all[1]),
        kb(all[2]),
        chunks.0,
        kb(chunks.1),
    );
    println!("{row}");
    Ok((row, all[2]))
}

/// The ten largest items of the main module, and its bytes grouped by the
/// crate each function comes from.
fn wasm_breakdown(wasm: &Path) -> Result<Vec<String>, Error> {
    let items = super::wasm_sizes::items(&std::fs::read(wasm)?)
        .map_err(|e| format!("{}: {e}", wasm.display()))?;
    let total: u64 = items.iter().map(|i| i.bytes).sum::<u64>().max(1);
    let mut out = vec![
        format!("## Where the main wasm's bytes go (`{}`, the main module after the split step: {} of code and data before wasm-bindgen and wasm-opt)", wasm.file_name().and_then(|f| f.to_str()).unwrap_or(""), kb(total)),
        String::new(),
        "| item | bytes | share |".into(),
        "|---|---|---|".into(),
    ];
    for it in items.iter().take(10) {
        let short: String = it.name.chars().take(110).collect();
        out.push(format!(
            "| `{}` | {} | {:.1} % |",
            short.replace('|', "\\|"),
            thousands(it.bytes),
            100.0 * it.bytes as f64 / total as f64
        ));
    }
    let mut by_crate: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for it in &items {
        let group = if it.is_code {
            crate_of(&it.name)
        } else {
            "data and tables".into()
        };
        *by_crate.entry(group).or_default() += it.bytes;
    }
    let mut crates: Vec<_> = by_crate.into_iter().collect();
    crates.sort_by_key(|c| std::cmp::Reverse(c.1));
    out.push(String::new());
    out.push(format!(
        "By crate (the first path segment of each function's name): {}.",
        crates
            .iter()
            .take(15)
            .map(|(c, n)| format!("{c} {:.1} %", 100.0 * *n as f64 / total as f64))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(out)
}

/// `<tachys::html::Foo as core::ops::Drop>::drop` -> `tachys`;
/// `<T as tachys::view::IntoAny>::into_any` -> `tachys` (the trait's crate,
/// where the generic code lives).
fn crate_of(name: &str) -> String {
    let n = name.trim_start_matches(['<', '&', '*', '(']);
    let n = ["mut ", "dyn ", "const "]
        .iter()
        .fold(n, |n, p| n.trim_start_matches(p));
    let head = n.find("::").map(|i| &n[..i]).unwrap_or(n);
    let head = head.rsplit(" as ").next().unwrap_or(head);
    let head = head.trim_start_matches(['<', '&', '(']);
    head.split('[').next().unwrap_or(head).to_string()
}

struct Lighthouse {
    performance: f64,
    accessibility: f64,
    best_practices: f64,
    seo: f64,
    lcp_ms: f64,
    tbt_ms: f64,
    cls: f64,
    findings: Vec<String>,
}

fn lighthouse(s: &Setup, url: &str, label: &str) -> Result<Lighthouse, Error> {
    // bench/out is otherwise made only when the table is written, at the
    // end: on a clean checkout Lighthouse refused an output path whose
    // folder did not exist yet.
    std::fs::create_dir_all(&s.out_dir)?;
    let out_file = s
        .out_dir
        .join(format!("lighthouse-{}.json", label.replace(' ', "-")));
    let bin = s.tools_dir.join("node_modules/.bin/lighthouse");
    let chrome = std::env::var("CHROME_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let out = Command::new(&bin)
        .arg(url)
        .args(["--quiet", "--output=json", "--only-categories=performance,accessibility,best-practices,seo"])
        .arg(format!("--output-path={}", out_file.display()))
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update --disable-sync")
        .env("CHROME_PATH", chrome)
        .output()
        .map_err(|e| format!("cannot run {} ({e})", bin.display()))?;
    if !out.status.success() {
        // yargs ends with "Specify --help…": the lines before say what went wrong.
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        return Err(format!(
            "lighthouse failed: {}",
            tail[tail.len().saturating_sub(4)..].join(" / ")
        )
        .into());
    }
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out_file)?)?;
    let score = |cat: &str| report["categories"][cat]["score"].as_f64().unwrap_or(0.0) * 100.0;
    let numeric = |audit: &str| {
        report["audits"][audit]["numericValue"]
            .as_f64()
            .unwrap_or(f64::NAN)
    };
    let mut findings = Vec::new();
    // Accessibility below 100 is explained by its failing audits.
    for r in report["categories"]["accessibility"]["auditRefs"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let id = r["id"].as_str().unwrap_or("");
        let a = &report["audits"][id];
        if a["score"].as_f64().is_some_and(|v| v < 1.0) && r["weight"].as_f64().unwrap_or(0.0) > 0.0
        {
            let nodes: Vec<String> = a["details"]["items"]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .take(3)
                        .filter_map(|i| {
                            i["node"]["snippet"]
                                .as_str()
                                .map(|s| format!("`{}`", s.chars().take(120).collect::<String>()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            findings.push(format!(
                "accessibility `{id}`: {}{}",
                a["title"].as_str().unwrap_or(""),
                if nodes.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", nodes.join(", "))
                }
            ));
        }
    }
    Ok(Lighthouse {
        performance: score("performance"),
        accessibility: score("accessibility"),
        best_practices: score("best-practices"),
        seo: score("seo"),
        lcp_ms: numeric("largest-contentful-paint"),
        tbt_ms: numeric("total-blocking-time"),
        cls: numeric("cumulative-layout-shift"),
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_front_end_files() {
        let html = r#"<link rel="modulepreload" href="/pkg/tradein.abc.js"><link rel="preload" href="/pkg/tradein.abc.wasm" as="fetch"><link id="app-css" rel="stylesheet" href="/pkg/tradein.css"><link rel="icon" href="/favicon.svg">"#;
        assert_eq!(
            asset_urls(html),
            [
                "/pkg/tradein.abc.js",
                "/pkg/tradein.abc.wasm",
                "/pkg/tradein.css"
            ]
        );
        assert_eq!(
            js_imports(
                r#"import { a } from "./snippets/x/inline0.js";"#,
                "/pkg/tradein.js"
            ),
            ["/pkg/snippets/x/inline0.js"]
        );
        assert_eq!(
            crate_of("<tachys::html::Foo as core::ops::Drop>::drop"),
            "tachys"
        );
        assert_eq!(
            crate_of("<T as tachys::view::any_view::IntoAny>::into_any"),
            "tachys"
        );
        assert_eq!(crate_of("<(A,B) as tachys::view::Render>::build"), "tachys");
        assert_eq!(crate_of("core[c5930c85a12de822]::fmt::write"), "core");
    }

    /// `BENCH_WASM=path cargo test --release -p bench -- --ignored --nocapture`:
    /// the breakdown of a built module, without a whole run.
    #[test]
    #[ignore]
    fn breakdown_of_bench_wasm() {
        let wasm = std::env::var("BENCH_WASM").expect("BENCH_WASM names a module");
        for line in wasm_breakdown(Path::new(&wasm)).unwrap() {
            println!("{line}");
        }
    }
}
