//! Roles: each area opens only for its role, on the page and on the API.

use crate::both_backends;
use crate::harness::TestApp;
use tradein::features::demo::marketplace::{DEMO_CONSUMER_EMAIL, DEMO_OPS_EMAIL, DEMO_PASSWORD};

async fn page_status(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

both_backends!(each_area_opens_only_for_its_role, |backend| async move {
    let app = TestApp::spawn_with_demo(backend).await;

    let anon = app.client();
    let (status, html) = page_status(&app, &anon, "/ops").await;
    assert_eq!(status, 401);
    assert!(html.contains("/login?next=/ops"));

    let seller = app.client();
    assert_eq!(
        app.login(&seller, "buyback@renew-mobile.example", DEMO_PASSWORD)
            .await
            .status(),
        200
    );
    let (status, html) = page_status(&app, &seller, "/ops").await;
    assert_eq!(status, 403);
    assert!(html.contains("You do not have access to this area"));
    assert_eq!(app.call(&seller, "ops_dashboard", &[]).await.status(), 403);
    let (status, html) = page_status(&app, &seller, "/seller").await;
    assert_eq!(status, 200);
    assert!(html.contains("ReNew Mobile SAS"));
    assert_eq!(page_status(&app, &seller, "/ops/sellers").await.0, 403);
    let (status, html) = page_status(&app, &seller, "/seller/prices?q=iphone-13-128gb").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Apple iPhone 13 · 128 GB, Works, light wear: price in EUR"),
        "the grid renders on the server"
    );
    assert_eq!(
        page_status(&app, &seller, "/seller/prices/1/functional_good")
            .await
            .0,
        200
    );
    assert_eq!(
        page_status(&app, &seller, "/seller/prices/1/like_new")
            .await
            .0,
        404
    );
    assert_eq!(
        page_status(&app, &seller, "/seller/prices/import").await.0,
        200
    );

    let consumer = app.client();
    assert_eq!(
        app.login(&consumer, DEMO_CONSUMER_EMAIL, DEMO_PASSWORD)
            .await
            .status(),
        200
    );
    for path in [
        "/seller",
        "/seller/prices",
        "/seller/prices/import",
        "/seller/prices/1/functional_good",
        "/ops",
        "/ops/sellers",
    ] {
        assert_eq!(page_status(&app, &consumer, path).await.0, 403, "{path}");
    }
    assert_eq!(
        app.call(&consumer, "seller_overview", &[]).await.status(),
        403
    );

    let ops = app.client();
    assert_eq!(
        app.login(&ops, DEMO_OPS_EMAIL, DEMO_PASSWORD)
            .await
            .status(),
        200
    );
    let (status, html) = page_status(&app, &ops, "/ops").await;
    assert_eq!(status, 200);
    assert!(html.contains("Operations console"));
    assert_eq!(page_status(&app, &ops, "/seller").await.0, 403);
    assert_eq!(page_status(&app, &ops, "/seller/prices").await.0, 403);
    let (status, html) = page_status(&app, &ops, "/ops/sellers").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Awaiting a decision (1)"),
        "the demo's pending refurbisher"
    );
    assert_eq!(page_status(&app, &anon, "/seller/signup").await.0, 200);
    app.stop().await;
});

/// Every server function declares its access rule through `guard(...)` on
/// its first lines, so a missing check is a failing test, not a review miss.
#[test]
fn every_server_function_starts_with_a_guard() {
    let mut missing = Vec::new();
    let mut found = 0;
    for entry in walk(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))) {
        let text = std::fs::read_to_string(&entry).unwrap();
        // An argument's own attribute (`#[server(flatten)] form: Form`) is
        // not a server function.
        let text = text.replace("#[server(flatten)]", "");
        for (i, chunk) in text.split("#[server(").enumerate().skip(1) {
            found += 1;
            // The guard must come before the body does anything else: the
            // first statement after the signature's `{`.
            let after_signature = chunk
                .split_once(") -> Result<")
                .map(|(_, rest)| rest)
                .unwrap_or_default();
            let body = after_signature
                .split_once('{')
                .map(|(_, b)| b)
                .unwrap_or_default();
            // `use` declarations (possibly over several lines) and comments
            // come first and are not statements.
            let mut in_use = false;
            let first_statement: String = body
                .lines()
                .map(str::trim)
                .filter(|l| {
                    if in_use || l.starts_with("use ") {
                        in_use = !l.ends_with(';');
                        return false;
                    }
                    !l.is_empty() && !l.starts_with("//")
                })
                .take(1)
                .collect();
            if !first_statement.contains("guard(Access::") {
                missing.push(format!("{} (server fn #{i})", entry.display()));
            }
        }
    }
    assert!(found >= 8, "found only {found} server functions");
    assert!(
        missing.is_empty(),
        "server functions without a guard: {missing:?}"
    );
}

pub(crate) fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

// Pages finish under concurrent load while other apps start in the same
// process (as they do all through this test suite): a response that stops
// half-way never hydrates and holds its connection. Covers pages with a
// nested section after their data (the 403 and 404 notices' reference, a
// trade-in's claims), and the route walk each app start used to make,
// during which Leptos held every page's data loads in the whole process.
both_backends!(nested_sections_finish_under_load, |backend| async move {
    let app = TestApp::spawn_with_demo(backend).await;
    let consumer = app.client();
    assert_eq!(
        app.login(&consumer, DEMO_CONSUMER_EMAIL, DEMO_PASSWORD)
            .await
            .status(),
        200
    );
    let trade_in: i64 = sqlx::query_scalar(
        "SELECT t.id FROM trade_ins t JOIN users u ON u.id = t.customer_id WHERE u.email = $1 ORDER BY t.id LIMIT 1",
    )
    .bind(DEMO_CONSUMER_EMAIL)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let own = format!("/trade-ins/{trade_in}");
    let paths = [
        ("/ops/sellers", 403),
        ("/seller", 403),
        (own.as_str(), 200),
        ("/trade-ins/999999", 404),
    ];
    let base = std::sync::Arc::new(app.base.clone());
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..12 {
        let client = consumer.clone();
        let base = base.clone();
        let paths: Vec<(String, u16)> = paths.iter().map(|(p, s)| (p.to_string(), *s)).collect();
        workers.spawn(async move {
            let mut stalled = Vec::new();
            for i in 0..16 {
                let (path, want) = &paths[(worker + i) % paths.len()];
                let sent = client
                    .get(format!("{base}{path}"))
                    .timeout(std::time::Duration::from_secs(20))
                    .send();
                match sent.await {
                    Ok(res) => {
                        assert_eq!(res.status().as_u16(), *want, "{path}");
                        if let Err(e) = res.text().await {
                            stalled.push(format!("{path}: {e}"));
                        }
                    }
                    Err(e) => stalled.push(format!("{path}: {e}")),
                }
            }
            stalled
        });
    }
    // Other apps starting meanwhile (their router is what walks the routes).
    let state = app.state.clone();
    let starts = tokio::spawn(async move {
        for _ in 0..40 {
            drop(tradein::startup::router(state.clone()));
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    });
    let mut stalled = Vec::new();
    starts.await.unwrap();
    while let Some(done) = workers.join_next().await {
        stalled.extend(done.unwrap());
    }
    assert!(
        stalled.is_empty(),
        "responses that did not finish: {stalled:?}"
    );
    app.stop().await;
});

both_backends!(
    every_page_carries_its_nonce_policy_under_load,
    |backend| async move {
        let app = TestApp::spawn_with_demo(backend).await;
        let ops = app.client();
        assert_eq!(
            app.login(&ops, DEMO_OPS_EMAIL, DEMO_PASSWORD)
                .await
                .status(),
            200
        );
        let base = std::sync::Arc::new(app.base.clone());
        let mut workers = tokio::task::JoinSet::new();
        for worker in 0..8u64 {
            let client = ops.clone();
            let base = base.clone();
            workers.spawn(async move {
                let mut bad = Vec::new();
                for i in 0..12u64 {
                    // Data requests given up half-way, as a browser does when it navigates away.
                    let abandoned = client
                        .post(format!("{base}/api/ops_dashboard"))
                        .header("origin", base.as_str())
                        .form(&[("period", "week")])
                        .timeout(std::time::Duration::from_millis(1 + (worker * 7 + i) % 20))
                        .send();
                    let page = client.get(format!("{base}/ops")).send();
                    let (_, page) = tokio::join!(abandoned, page);
                    let page = page.unwrap();
                    let csp = page
                        .headers()
                        .get("content-security-policy")
                        .map(|v| v.to_str().unwrap().to_string())
                        .unwrap_or_default();
                    let status = page.status();
                    let html = page.text().await.unwrap();
                    if !csp.contains("'nonce-") {
                        bad.push(format!("{status} csp={csp} html_len={}", html.len()));
                    }
                }
                bad
            });
        }
        let mut bad = Vec::new();
        while let Some(done) = workers.join_next().await {
            bad.extend(done.unwrap());
        }
        assert!(bad.is_empty(), "pages without their policy: {bad:?}");
        app.stop().await;
    }
);
