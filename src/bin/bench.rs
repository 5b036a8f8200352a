//! Benchmarks at marketplace scale, printed as a table and written to
//! `bench/out/`. Run through `scripts/bench.sh` (release build).
//!
//! Best-offer lookup: 50 approved refurbishers pricing every variant x 6
//! grades, 20,000 trade-ins this week (so weekly-cap counting has work to
//! do), then 10,000 lookups of random variant/grade pairs, in-process, on a
//! fresh SQLite file and a fresh Postgres database.

use std::sync::Arc;
use std::time::Instant;
use tradein::domain::grade::Grade;
use tradein::server::clock::{Clock, SystemClock};
use tradein::server::config::Config;
use tradein::server::db::Db;
use tradein::server::repo;
use tradein::server::trade_in_flow::current_decision;

const SELLERS: usize = 50;
const TRADE_INS: usize = 20_000;
const LOOKUPS: usize = 10_000;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn load(db: &Db, rng: &mut Rng) -> Result<(usize, f64), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let now = SystemClock.now_ms();
    let variants: Vec<i64> = sqlx::query_scalar("SELECT id FROM variants ORDER BY id").fetch_all(db.pool()).await?;
    let mut tx = db.write_tx().await?;
    let mut seller_ids = Vec::new();
    for i in 0..SELLERS {
        let email = tradein::domain::account::Email::parse(&format!("bench{i}@sellers.example"))?;
        let user = repo::users::insert(&mut *tx, repo::users::NewUser { email: &email, password_hash: "!", role: tradein::domain::account::Role::Seller, display_name: "Bench" }, now).await?;
        let id = repo::sellers::insert(
            &mut *tx,
            &repo::sellers::NewSeller {
                user_id: user,
                company_name: &format!("Bench Refurb {i}"),
                vat_number: "FR00000000000",
                address_line1: "1 rue du Banc",
                postcode: "75001",
                city: "Paris",
                country: "FR",
                contact_email: email.as_str(),
                contact_phone: "",
                status: "approved",
                weekly_cap: Some(10_000),
                quality_score: (rng.below(1000)) as i64,
                kind: "refurbisher",
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
                listings.push(repo::sellers::NewListing { seller_id: s, variant_id: v, grade: g, price_minor: 1_000 + rng.below(50_000) as i64 });
            }
        }
    }
    repo::sellers::insert_listings(db, &mut tx, &listings, now).await?;
    let listing_ids: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT id, seller_id, variant_id FROM listings").fetch_all(&mut *tx).await?;
    let customer = repo::users::insert(
        &mut *tx,
        repo::users::NewUser { email: &tradein::domain::account::Email::parse("bench@customers.example")?, password_hash: "!", role: tradein::domain::account::Role::Customer, display_name: "Bench" },
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
                let p: Vec<String> = (0..9).map(|_| ph.next()).collect();
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
            q = q.bind(r.clone()).bind(customer).bind(*seller).bind(*listing).bind(*variant).bind(r).bind(now + 14 * 86_400_000).bind(now).bind(now);
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
    // Fresh bulk loads have no planner statistics yet; a live database gets
    // them from autovacuum (Postgres) or the app's start-up (SQLite).
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    Ok((listings.len(), started.elapsed().as_secs_f64()))
}

async fn measure(name: &str, db: &Db) -> Result<String, Box<dyn std::error::Error>> {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let (listings, load_s) = load(db, &mut rng).await?;
    let variants: Vec<i64> = sqlx::query_scalar("SELECT id FROM variants").fetch_all(db.pool()).await?;
    let mut conn = db.pool().acquire().await?;
    let now = SystemClock.now_ms();
    for _ in 0..500 {
        current_decision(&mut conn, variants[rng.below(variants.len())], Grade::ALL[rng.below(6)], now).await?;
    }
    let mut times = Vec::with_capacity(LOOKUPS);
    for _ in 0..LOOKUPS {
        let (v, g) = (variants[rng.below(variants.len())], Grade::ALL[rng.below(6)]);
        let t = Instant::now();
        std::hint::black_box(current_decision(&mut conn, v, g, now).await?);
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

async fn with_backend(url: String) -> Result<Db, Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("tradein-bench-{}", std::process::id()));
    let vars = [("DATABASE_URL", url), ("APP_SECRET", "ab".repeat(32)), ("SEED_DEMO", "false".into()), ("DATA_DIR", dir.display().to_string())];
    let config = Config::from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()))?;
    let state = tradein::server::prepare(config, Arc::new(SystemClock)).await?;
    Ok(state.db)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut lines = vec![
        format!("# tradein benchmark, {} (release build)", tradein::domain::dates::Date::from_unix_ms(SystemClock.now_ms())),
        "| what | database | data | p50 | p99 | max |".to_string(),
        "|---|---|---|---|---|---|".to_string(),
    ];
    let dir = std::env::temp_dir().join(format!("tradein-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for l in &lines {
        println!("{l}");
    }
    let sqlite = with_backend(format!("sqlite://{}", dir.join("bench.db").display())).await?;
    lines.push(measure("SQLite", &sqlite).await?);
    println!("{}", lines.last().unwrap());
    sqlite.close().await;

    let admin = std::env::var("BENCH_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("tradein_bench_{}", std::process::id());
    {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&admin).await?;
        sqlx::Executor::execute(&mut c, format!("CREATE DATABASE {name}").as_str()).await?;
    }
    let base = &admin[..admin.rfind('/').unwrap_or(admin.len())];
    let pg = with_backend(format!("{base}/{name}")).await?;
    let pg_line = measure("Postgres", &pg).await;
    pg.close().await;
    {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&admin).await?;
        sqlx::Executor::execute(&mut c, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await?;
    }
    lines.push(pg_line?);
    println!("{}", lines.last().unwrap());
    lines.push("Budget: best-offer lookup p99 under 2 ms.".into());
    println!("{}", lines.last().unwrap());
    std::fs::remove_dir_all(&dir).ok();

    let out = lines.join("\n");
    std::fs::create_dir_all("bench/out")?;
    std::fs::write("bench/out/latest.md", format!("{out}\n"))?;
    Ok(())
}
