//! The seller API's budgets, end to end over HTTP against the app served
//! in this process on the database being measured: the bulk endpoint with
//! 100,000 rows (under 3 s), and single-listing updates from 16 clients at
//! once (the sustained rate).

use std::sync::Arc;
use std::time::{Duration, Instant};
use tradein::domain::grade::Grade;

const CLIENTS: usize = 16;
const UPDATE_SECONDS: u64 = 10;

async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    token: &str,
    body: Option<Vec<u8>>,
) -> Result<(u16, serde_json::Value), Box<dyn std::error::Error>> {
    let mut req = client
        .request(method, url)
        .header(http::header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(b) = body {
        req = req
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(b);
    }
    let res = req.send().await?;
    let status = res.status().as_u16();
    let bytes = res.bytes().await?;
    Ok((status, serde_json::from_slice(&bytes).unwrap_or_default()))
}

/// The two rows of the table, for the bench seller of `csv_import` and its
/// SKUs.
pub async fn rows(
    name: &str,
    state: &tradein::platform::state::AppState,
    seller_id: tradein::domain::ids::SellerId,
    user_id: tradein::domain::ids::UserId,
    skus: &[String],
    count: usize,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    use tradein::domain::api_token::{Scope, Scopes};
    let token = tradein::features::api_tokens::service::create(
        state,
        seller_id,
        user_id,
        "Bench",
        &Scopes::new([Scope::ListingsRead, Scope::ListingsWrite]).expect("scopes"),
        None,
    )
    .await
    .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let running = tradein::startup::start_on(state.clone(), listener).await?;
    let base = format!("http://{}/api/v1", running.addr);
    let client = reqwest::Client::new();
    let mut out = Vec::new();

    // Bulk: every row's price moved, as one all-or-nothing call.
    let rows: Vec<serde_json::Value> = skus
        .iter()
        .flat_map(|s| Grade::ALL.iter().map(move |g| (s, g)))
        .take(count)
        .enumerate()
        .map(|(i, (sku, g))| {
            let minor = 1_300 + (i as i64 * 37) % 40_000;
            serde_json::json!({
                "market": "fr-fr",
                "sku": sku,
                "grade": g.code(),
                "price": format!("{}.{:02}", minor / 100, minor % 100),
                "weekly_cap": if i % 10 == 0 { Some(25) } else { None },
            })
        })
        .collect();
    let body = serde_json::to_vec(&serde_json::json!({ "rows": rows }))?;
    let size = body.len();
    let t = Instant::now();
    let (status, answer) = call(
        &client,
        reqwest::Method::POST,
        &format!("{base}/listings/bulk"),
        &token,
        Some(body),
    )
    .await?;
    let took = t.elapsed().as_secs_f64();
    if status != 200 {
        return Err(format!("bulk answered {status}: {answer}").into());
    }
    out.push(format!(
        "| seller API bulk, every price changed | {name:<8} | {count} rows, {:.1} MB of JSON ({} changed, {} new) | end to end over HTTP | total {took:.2} s | budget 3 s |",
        size as f64 / 1e6,
        answer["changed"],
        answer["new"],
    ));
    println!("{}", out.last().unwrap());

    // Single updates: each client reprices its own listing, again and
    // again, with the version it read.
    let (_, page) = call(
        &client,
        reqwest::Method::GET,
        &format!("{base}/listings?limit={CLIENTS}"),
        &token,
        None,
    )
    .await?;
    let listings: Vec<(i64, i64)> = page["data"]
        .as_array()
        .ok_or("no listings page")?
        .iter()
        .map(|l| {
            (
                l["id"].as_i64().unwrap_or(0),
                l["version"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    let stop = Instant::now() + Duration::from_secs(UPDATE_SECONDS);
    let token = Arc::new(token);
    let mut tasks = Vec::new();
    for (n, (id, version)) in listings.into_iter().enumerate() {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut version = version;
            let mut times = Vec::new();
            let mut failures = 0usize;
            let mut i = 0i64;
            while Instant::now() < stop {
                i += 1;
                let price = 2_000 + (n as i64 * 100 + i) % 5_000;
                let body = serde_json::to_vec(&serde_json::json!({
                    "version": version,
                    "price": format!("{}.{:02}", price / 100, price % 100),
                }))
                .unwrap_or_default();
                let t = Instant::now();
                match call(
                    &client,
                    reqwest::Method::PATCH,
                    &format!("{base}/listings/{id}"),
                    &token,
                    Some(body),
                )
                .await
                {
                    Ok((200, saved)) => {
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                        version = saved["version"].as_i64().unwrap_or(version + 1);
                    }
                    _ => failures += 1,
                }
            }
            (times, failures)
        }));
    }
    let mut times = Vec::new();
    let mut failures = 0;
    for t in tasks {
        let (mut t, f) = t.await?;
        times.append(&mut t);
        failures += f;
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pick = |p: f64| {
        times
            .get(((times.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    out.push(format!(
        "| seller API single-listing updates | {name:<8} | {CLIENTS} clients for {UPDATE_SECONDS} s, each its own listing ({failures} refused) | {:.0} updates/s | p50 {:.1} ms | p99 {:.1} ms |",
        times.len() as f64 / UPDATE_SECONDS as f64,
        pick(0.5),
        pick(0.99),
    ));
    println!("{}", out.last().unwrap());
    // Dropped, it stops serving; the pool stays for what the bench does next.
    drop(running);
    Ok(out)
}
