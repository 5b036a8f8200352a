//! Benchmarks at marketplace scale, printed as a table and written to
//! `bench/out/`. Run through `scripts/bench.sh` (release build).
//!
//! Best-offer lookup: 50 approved refurbishers pricing every variant x 6
//! grades, 20,000 trade-ins this week (so weekly-cap counting has work to
//! do), then 10,000 lookups of random variant/grade pairs, in-process, on a
//! fresh SQLite file and a fresh Postgres database.
//!
//! CSV import: one refurbisher imports 100,000 price rows (the catalog is
//! grown to 16,800 variants so every row is a distinct cell), first as new
//! prices, then again with every price changed; validation (the dry run)
//! and apply (one transaction) are timed separately, through the same
//! functions the upload route calls.
//!
//! Web (`web.rs`): the release server binary on the SQLite database above,
//! its pages under load, the bytes a first visit downloads, Lighthouse.

mod api;
mod wasm_sizes;
mod web;

/// How long each part of the run took, printed under the table: the run is
/// held to 20 minutes from a clean checkout, and this says where they go.
pub mod phases {
    use std::sync::Mutex;
    use std::time::Instant;

    static DONE: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

    /// Records `what` as having taken the time since `started`.
    pub fn done(what: impl Into<String>, started: Instant) {
        DONE.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((what.into(), started.elapsed().as_secs_f64()));
    }

    /// One line: every phase in order with its seconds.
    pub fn line() -> String {
        let done = DONE.lock().unwrap_or_else(|e| e.into_inner());
        let total: f64 = done.iter().map(|(_, s)| s).sum();
        let parts: Vec<String> = done.iter().map(|(w, s)| format!("{w} {s:.0} s")).collect();
        format!(
            "Time spent measuring ({total:.0} s, builds not included): {}.",
            parts.join("; ")
        )
    }
}

use std::sync::Arc;
use std::time::Instant;
use tradein::domain::grade::Grade;
use tradein::features::trade_ins::service::current_decision;
use tradein::platform::clock::{Clock, SystemClock};
use tradein::platform::config::Config;
use tradein::platform::db::Db;

const SELLERS: usize = 50;
const TRADE_INS: usize = 20_000;
const LOOKUPS: usize = 10_000;

/// A variant sold in France (`variants.sold_in`: empty for every market).
const SOLD_IN_FRANCE: &str = "(sold_in = '' OR ' ' || sold_in || ' ' LIKE '% fr-fr %')";

/// The history generator's xorshift, with `below` taking a length.
struct Rng(tradein::features::demo::history::Rng);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n as u64) as usize
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn load(db: &Db, rng: &mut Rng) -> Result<(usize, f64), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let now = SystemClock.now_ms();
    // The variants sold in France, where the bench's refurbishers buy.
    let variants: Vec<tradein::domain::ids::VariantId> = sqlx::query_scalar(&format!(
        "SELECT id FROM variants WHERE {SOLD_IN_FRANCE} ORDER BY id"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut tx = db.write_tx().await?;
    let mut seller_ids = Vec::new();
    for i in 0..SELLERS {
        let email = tradein::domain::account::Email::parse(&format!("bench{i}@sellers.example"))?;
        let user = tradein::features::accounts::service::insert_user(
            &mut *tx,
            tradein::features::accounts::service::NewUser {
                email: &email,
                password_hash: "!",
                role: tradein::domain::account::Role::Seller,
                display_name: "Bench",
                email_verified: true,
            },
            now,
        )
        .await?;
        let id = tradein::features::sellers::service::insert_seller(
            &mut tx,
            &tradein::features::sellers::service::NewSeller {
                user_id: user,
                company_name: &format!("Bench Refurb {i}"),
                vat_number: "FR00000000000",
                address_line1: "1 rue du Banc",
                postcode: "75001",
                city: "Paris",
                country: "FR",
                address_line2: "",
                contact_name: "",
                contact_email: email.as_str(),
                contact_phone: "",
                status: tradein::domain::seller::SellerStatus::Approved,
                weekly_cap: Some(10_000),
                quality_score: (rng.below(1000)) as i64,
                kind: "refurbisher",
                home_market: tradein::domain::market::Market::FrFr,
            },
            now,
        )
        .await?;
        seller_ids.push(id);
    }
    let mut listings = Vec::new();
    for &s in &seller_ids {
        for &v in &variants {
            for g in Grade::ALL {
                listings.push(tradein::features::sellers::service::NewListing {
                    market: tradein::domain::market::Market::FrFr,
                    seller_id: s,
                    variant_id: v,
                    grade: g,
                    price: tradein::domain::money::Money::eur(1_000 + rng.below(50_000) as i64),
                });
            }
        }
    }
    tradein::features::sellers::service::insert_listings(db, &mut tx, &listings, now).await?;
    let listing_ids: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, seller_id, variant_id FROM listings")
            .fetch_all(&mut *tx)
            .await?;
    let customer = tradein::features::accounts::service::insert_user(
        &mut *tx,
        tradein::features::accounts::service::NewUser {
            email: &tradein::domain::account::Email::parse("bench@customers.example")?,
            password_hash: "!",
            role: tradein::domain::account::Role::Customer,
            display_name: "Bench",
            email_verified: true,
        },
        now,
    )
    .await?;
    let mut ph_rows = Vec::new();
    for i in 0..TRADE_INS {
        let (listing, seller, variant) = listing_ids[rng.below(listing_ids.len())];
        ph_rows.push((i, listing, seller, variant));
    }
    for chunk in ph_rows.chunks(200) {
        let mut ph = db.placeholders();
        let values: Vec<String> = chunk
            .iter()
            .map(|_| {
                let p: Vec<String> = (0..9).map(|_| ph.param()).collect();
                format!(
                    "({}, {}, {}, {}, {}, 'functional_good', 1, 'flawless', 'flawless', 10000, 'label_issued', 'B', 'B', '75001', 'Paris', 'FR', '1990-01-01', {}, {}, {}, {})",
                    p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO trade_ins (reference, customer_id, seller_id, listing_id, variant_id, grade, answer_works, answer_screen, answer_body, \
               price_minor, state, address_name, address_line1, postcode, city, country, date_of_birth, idempotency_key, ship_by_at, created_at, updated_at) \
             VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (i, listing, seller, variant) in chunk {
            let r = format!("BENCH-{i}");
            q = q
                .bind(r.clone())
                .bind(customer)
                .bind(*seller)
                .bind(*listing)
                .bind(*variant)
                .bind(r)
                .bind(now + 14 * 86_400_000)
                .bind(now)
                .bind(now);
        }
        q.execute(&mut *tx).await?;
    }
    // The weekly usage counters the app keeps for these trade-ins.
    let week = tradein::domain::dates::week_start_ms(now);
    let mut by_listing = std::collections::HashMap::new();
    let mut by_seller = std::collections::HashMap::new();
    for (_, listing, seller, _) in &ph_rows {
        *by_listing.entry(*listing).or_insert(0i64) += 1;
        *by_seller.entry(*seller).or_insert(0i64) += 1;
    }
    for (listing, n) in by_listing {
        sqlx::query("INSERT INTO cap_usage (scope, owner_id, week_start, units) VALUES ('listing', $1, $2, $3)").bind(listing).bind(week).bind(n).execute(&mut *tx).await?;
    }
    for (seller, n) in by_seller {
        sqlx::query("INSERT INTO cap_usage (scope, owner_id, week_start, units) VALUES ('seller', $1, $2, $3)").bind(seller).bind(week).bind(n).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    settle(db).await?;
    Ok((listings.len(), started.elapsed().as_secs_f64()))
}

/// Brings a freshly bulk-loaded database to the state a live one is in.
/// Both lack planner statistics until analysed (autovacuum on Postgres, the
/// app's start-up on SQLite). Postgres also has every new row unmarked as
/// visible: the first reads of each page rewrite it (hint bits), which made
/// the best-offer lookup's p99 a measure of that one-off write, not of the
/// lookup; autovacuum would have marked them, so VACUUM does it here.
async fn settle(db: &Db) -> Result<(), sqlx::Error> {
    let sql = match db.backend() {
        tradein::platform::db::Backend::Sqlite => "ANALYZE",
        tradein::platform::db::Backend::Postgres => "VACUUM (ANALYZE)",
    };
    sqlx::Executor::execute(db.pool(), sqlx::raw_sql(sql)).await?;
    // The pool's SQLite connections read the statistics once: the next ask
    // for one opens a new one (the KPI dashboard took 0.1 s or 3 s depending
    // on the connection it got).
    db.statistics_changed();
    Ok(())
}

const CSV_ROWS: usize = 100_000;
const BENCH_MODELS: usize = 2_100;
const STORAGES: [u32; 8] = [16, 32, 64, 128, 256, 512, 1024, 2048];

/// Grows the catalog so a 100,000-row file names distinct cells.
async fn grow_catalog(db: &Db) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut tx = db.write_tx().await?;
    let category: i64 = sqlx::query_scalar("SELECT id FROM categories ORDER BY id LIMIT 1")
        .fetch_one(&mut *tx)
        .await?;
    let brand: i64 = sqlx::query_scalar("SELECT id FROM brands ORDER BY id LIMIT 1")
        .fetch_one(&mut *tx)
        .await?;
    let mut skus = Vec::new();
    for m in 0..BENCH_MODELS {
        let slug = format!("bench-phone-{m}");
        let model = tradein::features::catalog::service::upsert_model(
            &mut tx,
            &tradein::features::catalog::service::ModelRow {
                category_id: category,
                brand_id: brand,
                slug: &slug,
                name: &format!("Bench Phone {m}"),
                release_year: 2024,
                launch_price: tradein::domain::money::Money::eur(99_900),
            },
        )
        .await?;
        for (i, gb) in STORAGES.iter().enumerate() {
            let sku = tradein::domain::catalog::variant_sku(&slug, *gb, "");
            tradein::features::catalog::service::upsert_variant(
                &mut tx,
                model,
                &sku,
                *gb as i64,
                "",
                i as i64,
                Default::default(),
            )
            .await?;
            skus.push(sku);
        }
    }
    tx.commit().await?;
    Ok(skus)
}

/// (validate s, apply s) for one file.
async fn import_once(
    state: &tradein::platform::state::AppState,
    ctx: &tradein::features::pricing::service::SellerCtx,
    csv: &str,
) -> Result<(f64, f64, String), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let preview = tradein::features::pricing::service::preview_import(state, ctx, csv, false)
        .await
        .map_err(|e| e.to_string())?;
    let validate = t.elapsed().as_secs_f64();
    if preview.error_count > 0 {
        return Err(format!(
            "bench file has {} bad rows: {:?}",
            preview.error_count,
            preview.errors.first()
        )
        .into());
    }
    let t = Instant::now();
    let applied =
        tradein::features::pricing::service::apply_import(state, ctx, csv, false, &preview.base)
            .await
            .map_err(|e| e.to_string())?;
    let apply = t.elapsed().as_secs_f64();
    let c = applied.counts;
    Ok((
        validate,
        apply,
        format!("{} new, {} changed", c.new, c.changed),
    ))
}

async fn csv_import(
    name: &str,
    state: &tradein::platform::state::AppState,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let skus = grow_catalog(&state.db).await?;
    let (seller_id, user_id): (tradein::domain::ids::SellerId, tradein::domain::ids::UserId) =
        sqlx::query_as("SELECT id, user_id FROM sellers WHERE company_name = 'Bench Refurb 0'")
            .fetch_one(state.db.pool())
            .await?;
    let ctx = tradein::features::pricing::service::SellerCtx {
        seller_id,
        user_id,
        company: "Bench Refurb 0".into(),
        status: tradein::domain::seller::SellerStatus::Approved,
        paused: false,
        weekly_cap: None,
        home_market: tradein::domain::market::Market::FrFr,
        markets: vec![tradein::domain::market::Market::FrFr],
    };
    let file = |offset: i64| {
        let mut csv = String::from("variant_sku;grade;price_eur;weekly_cap\n");
        for (i, (sku, g)) in skus
            .iter()
            .flat_map(|s| Grade::ALL.iter().map(move |g| (s, g)))
            .take(CSV_ROWS)
            .enumerate()
        {
            let minor = 1_000 + (i as i64 * 37) % 40_000 + offset;
            csv.push_str(&format!(
                "{sku};{};{},{:02};{}\n",
                g.code(),
                minor / 100,
                minor % 100,
                if i % 10 == 0 { "20" } else { "" }
            ));
        }
        csv
    };
    let mut out = Vec::new();
    for (what, offset) in [("new prices", 0), ("every price changed", 150)] {
        let csv = file(offset);
        let (validate, apply, counts) = import_once(state, &ctx, &csv).await?;
        out.push(format!(
            "| CSV import, {what} | {name:<8} | {CSV_ROWS} rows, {:.1} MB ({counts}) | validate {validate:.2} s | apply {apply:.2} s | total {:.2} s |",
            csv.len() as f64 / 1e6,
            validate + apply
        ));
        println!("{}", out.last().unwrap());
    }
    // The grid over the grown catalog (16,800+ variants), this seller's
    // 100,000 prices and 50 competitors: one page, server-side filters.
    use tradein::features::pricing::service::{GridQuery, Only, Sort};
    for (what, only, sort, text) in [
        ("all, catalog order", Only::All, Sort::Catalog, ""),
        ("not winning", Only::NotWinning, Sort::Catalog, ""),
        (
            "text search, my price",
            Only::Buying,
            Sort::MyPrice,
            "bench phone 7",
        ),
    ] {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..20 {
            let q = GridQuery {
                market: tradein::domain::market::Market::FrFr,
                category: String::new(),
                brand: String::new(),
                text: text.into(),
                only,
                sort,
                offset: 0,
                limit: tradein::features::pricing::service::PER_PAGE,
            };
            // Read from the database each time: the web phase measures the
            // page with the market kept between requests.
            state
                .feature::<tradein::features::offers::cache::OfferCache>()
                .clear();
            let t = Instant::now();
            total = tradein::features::pricing::service::grid_page(state, &ctx, q, 1)
                .await
                .map_err(|e| e.to_string())?
                .total;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        out.push(format!(
            "| price grid page ({what}) | {name:<8} | {total} matching variants, 50 rows with market position | p50 {:.1} ms | p99 {:.1} ms | max {:.1} ms |",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times.last().copied().unwrap_or(0.0)
        ));
        println!("{}", out.last().unwrap());
    }
    out.extend(api::rows(name, state, seller_id, user_id, &skus, CSV_ROWS).await?);
    Ok(out)
}

const HISTORY_TRADE_INS: usize = 200_000;
const HISTORY_CONSUMERS: usize = 5_000;

/// A year of trade-ins (200,000, 5,000 consumers, every outcome), then the
/// operations dashboard (a week, with its previous week, 12 weeks of
/// history and the segment breakdowns) timed on it.
async fn ops_dashboard(
    name: &str,
    state: &tradein::platform::state::AppState,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let (summary, load_s) = load_history(state).await?;
    time_dashboard(name, state, &summary, load_s, false).await
}

async fn load_history(
    state: &tradein::platform::state::AppState,
) -> Result<(tradein::features::demo::history::Summary, f64), Box<dyn std::error::Error>> {
    use tradein::features::demo::history::{generate, Spec};
    let t = Instant::now();
    let spec = Spec {
        consumers: HISTORY_CONSUMERS,
        trade_ins: HISTORY_TRADE_INS,
        weeks: 52,
        seed: 42,
        views_per_trade_in: 4,
        heavy_counter_offerer: None,
    };
    let summary = generate(&state.db, &spec, SystemClock.now_ms()).await?;
    settle(&state.db).await?;
    Ok((summary, t.elapsed().as_secs_f64()))
}

/// What a kept database holds, for the table's data column.
async fn history_summary(
    db: &Db,
) -> Result<tradein::features::demo::history::Summary, Box<dyn std::error::Error>> {
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(db.pool())
            .await
            .map(|n| n as usize)
    };
    Ok(tradein::features::demo::history::Summary {
        consumers: count("SELECT COUNT(*) FROM users WHERE role = 'customer'").await?,
        trade_ins: count("SELECT COUNT(*) FROM trade_ins").await?,
        offer_views: count("SELECT COUNT(*) FROM offer_views").await?,
    })
}

/// 11 timed calls after a warm-up, for a week and a month. `phases` also
/// times the dashboard's reads one by one (BENCH_ONLY=kpi), to show where
/// the time goes.
async fn time_dashboard(
    name: &str,
    state: &tradein::platform::state::AppState,
    summary: &tradein::features::demo::history::Summary,
    load_s: f64,
    phases: bool,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let now = SystemClock.now_ms();
    let mut out = Vec::new();
    for (what, kind) in [("week", "week"), ("month", "month")] {
        let english = tradein::i18n::staff::StaffTexts::of(tradein::i18n::Lang::En);
        let r = tradein::features::kpis::service::request(
            english,
            now,
            &tradein::features::kpis::OpsDashboardQuery {
                period: Some(kind.into()),
                ..Default::default()
            },
        )
        .map_err(|e| e.to_string())?;
        let mut times = Vec::new();
        for _ in 0..12 {
            let t = Instant::now();
            std::hint::black_box(
                tradein::features::kpis::service::dashboard(state, english, &r)
                    .await
                    .map_err(|e| e.to_string())?,
            );
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.remove(0);
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        out.push(format!(
            "| ops KPI dashboard ({what}) | {name:<8} | {} trade-ins, {} consumers, {} offers shown (loaded in {load_s:.1} s) | p50 {:.0} ms | p99 {:.0} ms | max {:.0} ms |",
            summary.trade_ins,
            summary.consumers,
            summary.offer_views,
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times.last().copied().unwrap_or(0.0)
        ));
        println!("{}", out.last().unwrap());
        if phases {
            dashboard_phases(state, &r).await?;
        }
    }
    Ok(out)
}

/// The dashboard's main reads timed one by one (median of 5 runs each).
async fn dashboard_phases(
    state: &tradein::platform::state::AppState,
    r: &tradein::features::kpis::service::Request,
) -> Result<(), Box<dyn std::error::Error>> {
    use tradein::domain::kpi::{Period, PeriodKind};
    use tradein::features::kpis::service as ops_kpis;
    let mut conn = state.db.pool().acquire().await?;
    let prev = r.period.previous();
    let weeks = Period::containing(PeriodKind::Week, r.period.end_ms - 1).last_n(12);
    let mut line = String::from("    phases (median of 5):");
    for phase in ["this period", "previous period", "12 weeks"] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            match phase {
                "this period" => drop(
                    ops_kpis::breakdown(
                        &mut conn,
                        r.period.start_ms,
                        r.period.end_ms,
                        &r.filter,
                        false,
                    )
                    .await?,
                ),
                "previous period" => drop(
                    ops_kpis::breakdown(&mut conn, prev.start_ms, prev.end_ms, &r.filter, false)
                        .await?,
                ),
                _ => drop(
                    ops_kpis::weekly(&mut conn, weeks[0].start_ms, 12, &r.filter, false).await?,
                ),
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        line.push_str(&format!(" {phase} {:.0} ms;", times[2]));
    }
    println!("{line}");
    Ok(())
}

async fn measure(name: &str, db: &Db) -> Result<String, Box<dyn std::error::Error>> {
    let mut rng = Rng(tradein::features::demo::history::Rng(0x5EED_1234_ABCD_0001));
    let (listings, load_s) = load(db, &mut rng).await?;
    let variants: Vec<tradein::domain::ids::VariantId> =
        sqlx::query_scalar(&format!("SELECT id FROM variants WHERE {SOLD_IN_FRANCE}"))
            .fetch_all(db.pool())
            .await?;
    let mut conn = db.pool().acquire().await?;
    let now = SystemClock.now_ms();
    for _ in 0..500 {
        current_decision(
            &mut conn,
            tradein::domain::market::Market::FrFr,
            variants[rng.below(variants.len())],
            Grade::ALL[rng.below(6)],
            now,
        )
        .await?;
    }
    let mut times = Vec::with_capacity(LOOKUPS);
    for _ in 0..LOOKUPS {
        let (v, g) = (
            variants[rng.below(variants.len())],
            Grade::ALL[rng.below(6)],
        );
        let t = Instant::now();
        std::hint::black_box(
            current_decision(&mut conn, tradein::domain::market::Market::FrFr, v, g, now).await?,
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Ok(format!(
        "| best-offer lookup | {name:<8} | {listings:>7} listings, {TRADE_INS} trade-ins (loaded in {load_s:.1} s) | p50 {:.3} ms | p99 {:.3} ms | max {:.3} ms |",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0)
    ))
}

async fn with_backend(
    url: String,
) -> Result<tradein::platform::state::AppState, Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("tradein-bench-{}", std::process::id()));
    let vars = [
        ("DATABASE_URL", url),
        ("APP_SECRET", "ab".repeat(32)),
        ("SEED_DEMO", "false".into()),
        ("DATA_DIR", dir.display().to_string()),
        ("API_REQUESTS_PER_MINUTE", "1000000".into()),
    ];
    let config =
        Config::from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()))?;
    Ok(tradein::startup::prepare(config, Arc::new(SystemClock)).await?)
}

/// The bench refurbisher the web phase signs in as (one of the 50 from
/// `load`, given a real password here since `load` stores none).
const WEB_SELLER: &str = "bench0@sellers.example";
const WEB_SELLER_PASSWORD: &str = "bench-password-0";
/// The model page and offer step measured: a popular real catalog model.
const WEB_MODEL: &str = "iphone-13";

/// What the web phase needs from the SQLite database: a seller who can sign
/// in, and a real model with one of its variants.
async fn prepare_web_data(db: &Db) -> Result<web::ModelPick, Box<dyn std::error::Error>> {
    let hash = tradein::platform::session::hash_password(WEB_SELLER_PASSWORD.into()).await;
    let updated = sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
        .bind(hash)
        .bind(WEB_SELLER)
        .execute(db.pool())
        .await?;
    if updated.rows_affected() != 1 {
        return Err(format!("the bench database has no {WEB_SELLER}").into());
    }
    // Refurbishers sign in with a code too: the seller gets the published
    // demo secret, sealed with the key the bench's server runs with.
    let user_id: tradein::domain::ids::UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(WEB_SELLER)
            .fetch_one(db.pool())
            .await?;
    sqlx::query("DELETE FROM two_factor WHERE user_id = $1")
        .bind(user_id)
        .execute(db.pool())
        .await?;
    let key = tradein::platform::config::parse_secret(web::APP_SECRET)?;
    tradein::features::accounts::service::two_factor::set_known_secret(
        db.pool(),
        &tradein::platform::secret::Secret::from_bytes(&key),
        user_id,
        tradein::features::demo::service::marketplace::DEMO_TOTP_SECRET,
        0,
    )
    .await?;
    let (category, brand, model, variant_sku): (String, String, String, String) = sqlx::query_as(
        "SELECT c.slug, b.slug, m.slug, v.sku FROM models m JOIN categories c ON c.id = m.category_id JOIN brands b ON b.id = m.brand_id \
         JOIN variants v ON v.model_id = m.id WHERE m.slug = $1 ORDER BY v.position LIMIT 1",
    )
    .bind(WEB_MODEL)
    .fetch_one(db.pool())
    .await?;
    // Every variant sold in France once, with a random condition, shuffled.
    let every: Vec<(String, String, String, String)> = sqlx::query_as(&format!(
        "SELECT c.slug, b.slug, m.slug, v.sku FROM variants v JOIN models m ON m.id = v.model_id JOIN brands b ON b.id = m.brand_id \
         JOIN categories c ON c.id = m.category_id WHERE {}",
        SOLD_IN_FRANCE.replace("sold_in", "v.sold_in")
    ))
    .fetch_all(db.pool())
    .await?;
    const CONDITIONS: [&str; 6] = [
        "works=yes&screen=flawless&body=flawless",
        "works=yes&screen=light_scratches&body=flawless",
        "works=yes&screen=visible_wear&body=light_scratches",
        "works=yes&screen=cracked&body=visible_wear",
        "works=no&screen=light_scratches&body=flawless",
        "works=no&screen=cracked&body=cracked",
    ];
    let mut rng = Rng(tradein::features::demo::history::Rng(0x0FFE_5EED_0000_0001));
    let mut offer_paths: Vec<String> = every
        .iter()
        .map(|(c, b, m, v)| {
            format!(
                "{}/sell/{c}/{b}/{m}/offer?variant={v}&{}",
                web::HOME,
                CONDITIONS[rng.below(CONDITIONS.len())]
            )
        })
        .collect();
    for i in (1..offer_paths.len()).rev() {
        offer_paths.swap(i, rng.below(i + 1));
    }
    // Model pages in random order, each address asked once: a `visit`
    // number the page ignores makes each one new to the page cache, so
    // every request is rendered.
    let mut models: Vec<String> = every
        .iter()
        .map(|(c, b, m, _)| format!("{}/sell/{c}/{b}/{m}", web::HOME))
        .collect();
    models.sort();
    models.dedup();
    let model_paths: Vec<String> = (0..8_000)
        .map(|i| format!("{}?visit={i}", models[rng.below(models.len())]))
        .collect();
    Ok(web::ModelPick {
        category,
        brand,
        model,
        variant_sku,
        offer_paths,
        model_paths,
    })
}

/// The web phase's paths, from the variables scripts/bench.sh sets; `None`
/// when the benchmark runs without a built site (the binary run alone).
fn web_setup(
    database: &std::path::Path,
    work_dir: &std::path::Path,
    model: web::ModelPick,
) -> Option<web::Setup> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    Some(web::Setup {
        server_bin: var("BENCH_SERVER_BIN")?.into(),
        site_root: var("BENCH_SITE_ROOT")?.into(),
        database: database.to_path_buf(),
        work_dir: work_dir.join("web"),
        tools_dir: "bench".into(),
        out_dir: "bench/out".into(),
        wasm_with_names: var("BENCH_WASM").map(Into::into),
        requests_per_connection: var("BENCH_WEB_REQUESTS")
            .and_then(|v| v.parse().ok())
            .unwrap_or(100),
        model,
        seller: (WEB_SELLER.into(), WEB_SELLER_PASSWORD.into()),
    })
}

/// The SQLite file: BENCH_SQLITE_DB keeps it for a later run, else it lives
/// and dies in the run's temporary folder.
fn sqlite_path(dir: &std::path::Path) -> std::path::PathBuf {
    std::env::var("BENCH_SQLITE_DB")
        .ok()
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.join("bench.db"))
}

/// The Postgres server's admin database, where bench databases are created.
fn postgres_admin_url() -> String {
    std::env::var("BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The URL of database `name` on the admin URL's server.
fn postgres_url(admin: &str, name: &str) -> String {
    format!(
        "{}/{name}",
        &admin[..admin.rfind('/').unwrap_or(admin.len())]
    )
}

/// BENCH_ONLY=kpi: the KPI dashboard alone, with its reads timed one by
/// one. The SQLite database is kept at BENCH_SQLITE_DB and the Postgres
/// one under the name BENCH_POSTGRES_DB (no Postgres without it); a kept
/// one is reused, so changes to the dashboard's queries can be measured
/// again in seconds.
async fn kpi_only() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("tradein-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db_path = sqlite_path(&dir);
    let mut targets = vec![(
        "SQLite",
        format!("sqlite://{}", db_path.display()),
        db_path.exists(),
    )];
    if let Some(name) = std::env::var("BENCH_POSTGRES_DB")
        .ok()
        .filter(|v| !v.is_empty())
    {
        use sqlx::Connection;
        let admin = postgres_admin_url();
        let mut c = sqlx::PgConnection::connect(&admin).await?;
        let exists: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(&name)
                .fetch_optional(&mut c)
                .await?;
        if exists.is_none() {
            sqlx::Executor::execute(&mut c, format!("CREATE DATABASE {name}").as_str()).await?;
        }
        targets.push(("Postgres", postgres_url(&admin, &name), exists.is_some()));
    }
    for (name, url, kept) in targets {
        let state = with_backend(url).await?;
        let (summary, load_s) = if kept {
            (history_summary(&state.db).await?, 0.0)
        } else {
            println!("{}", measure(name, &state.db).await?);
            load_history(&state).await?
        };
        time_dashboard(name, &state, &summary, load_s, true).await?;
        state.db.close().await;
    }
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

/// BENCH_ONLY=prices: price benchmarks on both databases, no year of history,
/// no web phase (quick). BENCH_ONLY=web: SQLite and the web phase only; with
/// BENCH_SQLITE_DB naming a database an earlier run kept, straight to the
/// web phase.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    Everything,
    Prices,
    Web,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let only = match std::env::var("BENCH_ONLY").unwrap_or_default().as_str() {
        "" => Only::Everything,
        "prices" => Only::Prices,
        "web" => Only::Web,
        "kpi" => return kpi_only().await,
        other => return Err(format!("BENCH_ONLY={other}: expected prices, web or kpi").into()),
    };
    let mut lines = vec![
        format!(
            "# tradein benchmark, {} (release build)",
            tradein::domain::dates::Date::from_unix_ms(SystemClock.now_ms())
        ),
        "| what | database | data | p50 | p99 | max |".to_string(),
        "|---|---|---|---|---|---|".to_string(),
    ];
    let dir = std::env::temp_dir().join(format!("tradein-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for l in &lines {
        println!("{l}");
    }
    // A kept database (BENCH_SQLITE_DB) serves another run of the web phase.
    let db_path = sqlite_path(&dir);
    let reuse = only == Only::Web && db_path.exists();
    if !reuse {
        for suffix in ["", "-wal", "-shm"] {
            std::fs::remove_file(format!("{}{suffix}", db_path.display())).ok();
        }
    }
    if let Some(parent) = db_path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let sqlite = with_backend(format!("sqlite://{}", db_path.display())).await?;
    let mut sqlite_lines = Vec::new();
    let mut csv_lines = Vec::new();
    if !reuse {
        let t = Instant::now();
        sqlite_lines.push(measure("SQLite", &sqlite.db).await?);
        println!("{}", sqlite_lines.last().unwrap());
        phases::done("SQLite best-offer data and lookups", t);
        let t = Instant::now();
        csv_lines = csv_import("SQLite", &sqlite).await?;
        phases::done("SQLite CSV and price grid", t);
        if only != Only::Prices {
            let t = Instant::now();
            csv_lines.extend(ops_dashboard("SQLite", &sqlite).await?);
            phases::done("SQLite year of history and KPI dashboard", t);
        }
    }
    let web_data = if only == Only::Prices {
        None
    } else {
        Some(prepare_web_data(&sqlite.db).await?)
    };
    sqlite.db.close().await;

    // The web phase runs between the databases so it has the machine to
    // itself; its failure is reported and fails the run at the end, after
    // the other figures.
    let mut web_rows = Vec::new();
    let mut web_notes = Vec::new();
    let mut web_error = None;
    let mut setup = None;
    if let Some(model) = web_data {
        setup = web_setup(&db_path, &dir, model);
        match &setup {
            Some(setup) => match web::run(setup).await {
                Ok((rows, notes)) => (web_rows, web_notes) = (rows, notes),
                Err(e) => {
                    web_rows.push(format!("Web phase FAILED: {e}"));
                    println!("{}", web_rows.last().unwrap());
                    web_error = Some(e);
                }
            },
            None => web_rows.push("Web phase skipped: BENCH_SERVER_BIN and BENCH_SITE_ROOT are unset (run scripts/bench.sh).".into()),
        }
    }

    if only != Only::Web {
        let with_history = only == Only::Everything;
        let admin = postgres_admin_url();
        let name = format!("tradein_bench_{}", std::process::id());
        {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(&admin).await?;
            sqlx::Executor::execute(&mut c, format!("CREATE DATABASE {name}").as_str()).await?;
        }
        let pg = with_backend(postgres_url(&admin, &name)).await?;
        let t = Instant::now();
        let pg_line = measure("Postgres", &pg.db).await;
        phases::done("Postgres best-offer data and lookups", t);
        let t = Instant::now();
        let mut pg_csv = csv_import("Postgres", &pg).await;
        phases::done("Postgres CSV and price grid", t);
        if let (Ok(lines), true) = (pg_csv.as_mut(), with_history) {
            let t = Instant::now();
            match ops_dashboard("Postgres", &pg).await {
                Ok(more) => lines.extend(more),
                Err(e) => pg_csv = Err(e),
            }
            phases::done("Postgres year of history and KPI dashboard", t);
        }
        pg.db.close().await;
        // Several instances on this database, through the balancer.
        if let Some(setup) = &setup {
            let t = Instant::now();
            match web::cluster(setup, &postgres_url(&admin, &name)).await {
                Ok(rows) => web_rows.extend(rows),
                Err(e) => {
                    web_rows.push(format!("Load balancer phase FAILED: {e}"));
                    println!("{}", web_rows.last().unwrap());
                    web_error = Some(e);
                }
            }
            phases::done("Postgres behind the load balancer", t);
        }
        {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(&admin).await?;
            sqlx::Executor::execute(
                &mut c,
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
            )
            .await?;
        }
        sqlite_lines.push(pg_line?);
        println!("{}", sqlite_lines.last().unwrap());
        csv_lines.extend(pg_csv?);
    }
    lines.extend(sqlite_lines);
    lines.extend(csv_lines);
    if !reuse {
        lines.push("Budgets: best-offer lookup p99 under 2 ms; 100,000-row CSV validate + apply under 3 s on each database; KPI dashboard under 300 ms on 200,000 trade-ins.".into());
        println!("{}", lines.last().unwrap());
    }
    lines.extend(web_rows);
    if !web_notes.is_empty() {
        println!();
        for l in &web_notes {
            println!("{l}");
        }
        lines.push(String::new());
        lines.extend(web_notes);
    }
    lines.push(String::new());
    lines.push(phases::line());
    println!("\n{}", lines.last().unwrap());
    // A kept database lives outside this folder.
    std::fs::remove_dir_all(&dir).ok();

    let out = lines.join("\n");
    std::fs::create_dir_all("bench/out")?;
    std::fs::write("bench/out/latest.md", format!("{out}\n"))?;
    match web_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
