//! A refurbisher's prices (issue 4): saving cells with versions, the grid's
//! queries and market position, caps and pause, CSV export/import, match
//! price to win, onboarding, and that a seller only ever touches its own
//! listings. Every test runs on SQLite and Postgres.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use serde_json::Value;
use tradein::domain::grade::Grade;
use tradein::domain::money::Money;
use tradein::features::pricing::service::{history, save, CellWrite, Saved, Source};

const SKU: &str = "iphone-13-128gb";
const GOOD: &str = "functional_good";

/// The consumer's offer for an iPhone 13 128 GB with light scratches (Works, light wear).
async fn offer(app: &TestApp) -> Value {
    let res = app
        .client()
        .post(app.url("/api/get_offer"))
        .form(&[
            ("category", "smartphones"),
            ("brand", "apple"),
            ("model", "iphone-13"),
            ("q[variant]", SKU),
            ("q[works]", "yes"),
            ("q[screen]", "light_scratches"),
            ("q[body]", "flawless"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn offered_price(o: &Value) -> Option<i64> {
    o["offer"]["Buy"]["price"]["minor"].as_i64()
}

async fn grid(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> Value {
    let res = app.call(client, "price_grid", form).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    res.json().await.unwrap()
}

/// The grid cell for a SKU and grade code, from a grid page.
fn cell<'a>(page: &'a Value, sku: &str, grade: &str) -> &'a Value {
    let row = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["sku"] == sku)
        .unwrap_or_else(|| panic!("no row {sku}"));
    let code = |g: &Value| {
        tradein::domain::grade::Grade::parse(g.as_str().unwrap())
            .unwrap()
            .code()
    };
    row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| code(&c["grade"]) == grade)
        .unwrap()
}

async fn save_cell(
    app: &TestApp,
    client: &reqwest::Client,
    variant: tradein::domain::ids::VariantId,
    grade: &str,
    price: &str,
    version: Option<i64>,
) -> reqwest::Response {
    let variant = variant.to_string();
    let version = version.map(|v| v.to_string());
    let mut form = vec![
        ("variant_id", variant.as_str()),
        ("grade", grade),
        ("price", price),
    ];
    if let Some(v) = &version {
        form.push(("version", v));
    }
    app.call(client, "price_cell", &form).await
}

async fn price_of(
    app: &TestApp,
    seller: tradein::domain::ids::SellerId,
    sku: &str,
    grade: &str,
) -> Option<(i64, i64, i64)> {
    sqlx::query_as("SELECT l.price_minor, l.active, l.version FROM listings l JOIN variants v ON v.id = l.variant_id WHERE l.seller_id = $1 AND v.sku = $2 AND l.grade = $3")
        .bind(seller)
        .bind(sku)
        .bind(grade)
        .fetch_optional(app.state.db.pool())
        .await
        .unwrap()
}

async fn user_of(
    app: &TestApp,
    seller: tradein::domain::ids::SellerId,
) -> tradein::domain::ids::UserId {
    sqlx::query_scalar("SELECT user_id FROM sellers WHERE id = $1")
        .bind(seller)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

both_backends!(
    stale_edits_are_refused_and_every_change_is_recorded,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        let v = variant_id(&app, SKU).await;
        let user = user_of(&app, s).await;
        let g = Grade::FunctionalGood;
        let mut tx = app.state.db.write_tx().await.unwrap();
        let first = save(
            &mut tx,
            CellWrite {
                key: tradein::features::pricing::service::CellKey {
                    seller_id: s,
                    market: tradein::domain::market::Market::FrFr,
                    variant_id: v,
                    grade: g,
                },
                price: Some(Money::eur(30_000)),
                expected_version: None,
                changed_by: user,
                source: Source::Grid,
            },
            1,
        )
        .await
        .unwrap();
        let id: tradein::domain::ids::ListingId =
            sqlx::query_scalar("SELECT id FROM listings WHERE seller_id = $1")
                .bind(s)
                .fetch_one(&mut *tx)
                .await
                .unwrap();
        assert_eq!(
            first,
            Saved::Saved {
                listing_id: id,
                version: 1
            }
        );
        assert_eq!(
            save(
                &mut tx,
                CellWrite {
                    key: tradein::features::pricing::service::CellKey {
                        seller_id: s,
                        market: tradein::domain::market::Market::FrFr,
                        variant_id: v,
                        grade: g,
                    },
                    price: Some(Money::eur(31_000)),
                    expected_version: Some(1),
                    changed_by: user,
                    source: Source::Grid
                },
                2
            )
            .await
            .unwrap(),
            Saved::Saved {
                listing_id: id,
                version: 2
            }
        );
        // A second tab still on version 1 is refused and told the current value.
        let Saved::Stale {
            current: Some(current),
        } = save(
            &mut tx,
            CellWrite {
                key: tradein::features::pricing::service::CellKey {
                    seller_id: s,
                    market: tradein::domain::market::Market::FrFr,
                    variant_id: v,
                    grade: g,
                },
                price: Some(Money::eur(29_000)),
                expected_version: Some(1),
                changed_by: user,
                source: Source::Grid,
            },
            3,
        )
        .await
        .unwrap()
        else {
            panic!("stale edit not refused")
        };
        assert_eq!(
            (current.price, current.version),
            (Some(Money::eur(31_000)), 2),
            "told the current value"
        );
        // So is an editor who saw no listing.
        assert!(matches!(
            save(
                &mut tx,
                CellWrite {
                    key: tradein::features::pricing::service::CellKey {
                        seller_id: s,
                        market: tradein::domain::market::Market::FrFr,
                        variant_id: v,
                        grade: g,
                    },
                    price: Some(Money::eur(29_000)),
                    expected_version: None,
                    changed_by: user,
                    source: Source::Csv
                },
                4
            )
            .await
            .unwrap(),
            Saved::Stale { .. }
        ));
        assert_eq!(
            save(
                &mut tx,
                CellWrite {
                    key: tradein::features::pricing::service::CellKey {
                        seller_id: s,
                        market: tradein::domain::market::Market::FrFr,
                        variant_id: v,
                        grade: g,
                    },
                    price: Some(Money::eur(31_000)),
                    expected_version: Some(2),
                    changed_by: user,
                    source: Source::Grid
                },
                5
            )
            .await
            .unwrap(),
            Saved::Unchanged
        );
        assert_eq!(
            save(
                &mut tx,
                CellWrite {
                    key: tradein::features::pricing::service::CellKey {
                        seller_id: s,
                        market: tradein::domain::market::Market::FrFr,
                        variant_id: v,
                        grade: g,
                    },
                    price: Some(Money::eur(32_000)),
                    expected_version: Some(2),
                    changed_by: user,
                    source: Source::Recommendation
                },
                6
            )
            .await
            .unwrap(),
            Saved::Saved {
                listing_id: id,
                version: 3
            }
        );
        // Stopping keeps the row (past trade-ins point at it); buying again is version 5.
        assert_eq!(
            save(
                &mut tx,
                CellWrite {
                    key: tradein::features::pricing::service::CellKey {
                        seller_id: s,
                        market: tradein::domain::market::Market::FrFr,
                        variant_id: v,
                        grade: g,
                    },
                    price: None,
                    expected_version: Some(3),
                    changed_by: user,
                    source: Source::Grid
                },
                7
            )
            .await
            .unwrap(),
            Saved::Saved {
                listing_id: id,
                version: 4
            }
        );
        assert_eq!(
            save(
                &mut tx,
                CellWrite {
                    key: tradein::features::pricing::service::CellKey {
                        seller_id: s,
                        market: tradein::domain::market::Market::FrFr,
                        variant_id: v,
                        grade: g,
                    },
                    price: Some(Money::eur(20_000)),
                    expected_version: Some(4),
                    changed_by: user,
                    source: Source::Grid
                },
                8
            )
            .await
            .unwrap(),
            Saved::Saved {
                listing_id: id,
                version: 5
            }
        );
        let h = history(
            &mut tx,
            tradein::features::pricing::service::CellKey {
                seller_id: s,
                market: tradein::domain::market::Market::FrFr,
                variant_id: v,
                grade: g,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let changes: Vec<(Option<i64>, Option<i64>, &str)> = h
            .iter()
            .map(|e| {
                (
                    e.old_price.map(Money::minor),
                    e.new_price.map(Money::minor),
                    e.source.as_str(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            vec![
                (None, Some(30_000), "grid"),
                (Some(30_000), Some(31_000), "grid"),
                (Some(31_000), Some(32_000), "recommendation"),
                (Some(32_000), None, "grid"),
                (None, Some(20_000), "grid"),
            ]
        );
        assert_eq!(h[0].changed_by.as_deref(), Some("Alpha Refurb"));
        app.stop().await;
    }
);

both_backends!(
    a_saved_cell_changes_the_consumer_offer_and_stale_saves_change_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let beta = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        listing(&app, beta, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        let v = variant_id(&app, SKU).await;
        assert_eq!(offered_price(&offer(&app).await), Some(30_000));

        let res = save_cell(&app, &alpha, v, GOOD, "310,50", None).await;
        assert_eq!(res.status(), 200);
        let out: Value = res.json().await.unwrap();
        let saved = &out["Saved"];
        assert_eq!(saved["price_minor"], 31_050);
        assert_eq!(saved["position"]["rank"], 1);
        assert_eq!(saved["position"]["buyers"], 2);
        assert_eq!(
            saved["position"]["price_to_win_minor"],
            Value::Null,
            "winning"
        );
        assert_eq!(saved["best_competitor_minor"], 30_000);
        assert_eq!(
            offered_price(&offer(&app).await),
            Some(31_050),
            "the consumer sees the new price at once"
        );

        // Another tab still thinks there is no listing: refused, current value returned.
        let res = save_cell(&app, &alpha, v, GOOD, "250", None).await;
        let out: Value = res.json().await.unwrap();
        assert_eq!(out["Stale"]["price_minor"], 31_050, "{out}");
        assert_eq!(
            price_of(&app, alpha_id, SKU, GOOD).await,
            Some((31_050, 1, 1))
        );

        // Bad input: a clear error on the field, nothing changed.
        for bad in [
            "0",
            "-5",
            "5000.01",
            "12.345",
            "abc",
            "1e3",
            "999999999999999999999",
        ] {
            let res = save_cell(&app, &alpha, v, GOOD, bad, Some(1)).await;
            assert_eq!(res.status(), 422, "{bad}");
            let body: Value = res.json().await.unwrap();
            assert!(body.to_string().contains("price"), "{bad}: {body}");
        }
        assert_eq!(
            save_cell(&app, &alpha, v, "like_new", "10", Some(1))
                .await
                .status(),
            422
        );
        assert_eq!(
            save_cell(
                &app,
                &alpha,
                tradein::domain::ids::VariantId(999_999),
                GOOD,
                "10",
                None
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            price_of(&app, alpha_id, SKU, GOOD).await,
            Some((31_050, 1, 1))
        );

        // Lower than Beta: rank 2, price to win is Beta + 1 EUR.
        let out: Value = save_cell(&app, &alpha, v, GOOD, "200", Some(1))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(out["Saved"]["position"]["rank"], 2);
        assert_eq!(out["Saved"]["position"]["price_to_win_minor"], 30_100);
        // Empty: stop buying.
        let out: Value = save_cell(&app, &alpha, v, GOOD, "", Some(2))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(out["Saved"]["price_minor"], Value::Null);
        assert_eq!(
            price_of(&app, alpha_id, SKU, GOOD).await.map(|p| p.1),
            Some(0)
        );
        app.stop().await;
    }
);

both_backends!(
    the_grid_filters_sorts_and_pages_on_the_server,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        let beta = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        let pending = seller(
            &app,
            SellerSpec {
                status: tradein::domain::seller::SellerStatus::Pending,
                ..SellerSpec::approved("Gamma Pending")
            },
        )
        .await;
        // Alpha buys two iPhone 13 variants: wins one, loses the other.
        listing(&app, alpha_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        listing(
            &app,
            alpha_id,
            "iphone-13-256gb",
            Grade::FunctionalGood,
            30_000,
            1_000,
        )
        .await;
        listing(&app, beta, SKU, Grade::FunctionalGood, 25_000, 1_000).await;
        listing(
            &app,
            beta,
            "iphone-13-256gb",
            Grade::FunctionalGood,
            35_000,
            1_000,
        )
        .await;
        // A pending seller's higher price does not compete.
        listing(&app, pending, SKU, Grade::FunctionalGood, 40_000, 1_000).await;

        let all = grid(&app, &alpha, &[]).await;
        // Every variant sold in France (the grid's market here).
        let variants: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM variants WHERE sold_in = '' OR sold_in LIKE '%fr-fr%'",
        )
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(all["total"], variants);
        assert_eq!(all["rows"].as_array().unwrap().len(), 50, "one page");
        assert_eq!(all["pages"], (variants + 49) / 50);
        let last = grid(&app, &alpha, &[("page", &all["pages"].to_string())]).await;
        assert_eq!(
            last["rows"].as_array().unwrap().len() as i64,
            variants - 50 * (all["pages"].as_i64().unwrap() - 1)
        );

        let buying = grid(&app, &alpha, &[("only", "buying")]).await;
        assert_eq!(buying["total"], 2);
        let c = cell(&buying, SKU, GOOD);
        assert_eq!(
            (
                c["position"]["rank"].as_i64(),
                c["position"]["buyers"].as_i64(),
                c["competitors"].as_i64()
            ),
            (Some(1), Some(2), Some(1))
        );
        let c = cell(&buying, "iphone-13-256gb", GOOD);
        assert_eq!(
            (
                c["position"]["rank"].as_i64(),
                c["position"]["price_to_win_minor"].as_i64()
            ),
            (Some(2), Some(35_100))
        );
        let empty = cell(&buying, SKU, "functional_flawless");
        assert_eq!(
            (empty["price_minor"].clone(), empty["competitors"].as_i64()),
            (Value::Null, Some(0))
        );

        let losing = grid(&app, &alpha, &[("only", "not_winning")]).await;
        let skus: Vec<&str> = losing["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["sku"].as_str().unwrap())
            .collect();
        assert_eq!(skus, vec!["iphone-13-256gb"]);

        let text = grid(&app, &alpha, &[("q", "IPHONE 13 pro max")]).await;
        assert!(text["total"].as_i64().unwrap() >= 1);
        assert!(text["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["name"].as_str().unwrap().contains("iPhone 13 Pro Max")));
        let consoles = grid(&app, &alpha, &[("category", "consoles"), ("brand", "sony")]).await;
        assert!(consoles["total"].as_i64().unwrap() >= 2);
        assert!(consoles["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["name"].as_str().unwrap().starts_with("Sony")));
        let nothing = grid(&app, &alpha, &[("q", "100%_nothing")]).await;
        assert_eq!(
            nothing["total"], 0,
            "LIKE wildcards in the search are literal"
        );

        let by_price = grid(&app, &alpha, &[("sort", "my_price")]).await;
        let first: Vec<&str> = by_price["rows"]
            .as_array()
            .unwrap()
            .iter()
            .take(2)
            .map(|r| r["sku"].as_str().unwrap())
            .collect();
        assert_eq!(first.len(), 2);
        assert!(first.contains(&SKU) && first.contains(&"iphone-13-256gb"));
        let newest = grid(&app, &alpha, &[("sort", "newest")]).await;
        let years: Vec<i64> = sqlx::query_scalar("SELECT MAX(release_year) FROM models")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
        let top = newest["rows"][0]["sku"].as_str().unwrap().to_string();
        let top_year: i64 = sqlx::query_scalar("SELECT m.release_year FROM variants v JOIN models m ON m.id = v.model_id WHERE v.sku = $1").bind(&top).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(top_year, years[0]);

        assert_eq!(
            app.call(&alpha, "price_grid", &[("q", &"x".repeat(61))])
                .await
                .status(),
            422
        );
        app.stop().await;
    }
);

both_backends!(
    pending_paused_and_capped_sellers_leave_the_offers_at_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let beta = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        listing(&app, beta, SKU, Grade::FunctionalGood, 20_000, 1_000).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, alpha_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        assert_eq!(offered_price(&offer(&app).await), Some(30_000));

        let ok = |r: reqwest::Response| async move {
            assert_eq!(r.status(), 200, "{:?}", r.text().await)
        };
        ok(app
            .call(
                &alpha,
                "buying_settings",
                &[("paused", "true"), ("weekly_cap", "")],
            )
            .await)
        .await;
        assert_eq!(
            offered_price(&offer(&app).await),
            Some(20_000),
            "paused: out at once"
        );
        let page = grid(&app, &alpha, &[("only", "buying")]).await;
        assert_eq!(page["paused"], true);
        assert_eq!(cell(&page, SKU, GOOD)["not_competing"], "buying paused");
        ok(app
            .call(&alpha, "buying_settings", &[("weekly_cap", "")])
            .await)
        .await;
        assert_eq!(
            offered_price(&offer(&app).await),
            Some(30_000),
            "un-paused: back"
        );

        // A seller cap of 0 units this week, then a listing cap.
        ok(app
            .call(&alpha, "buying_settings", &[("weekly_cap", "0")])
            .await)
        .await;
        assert_eq!(offered_price(&offer(&app).await), Some(20_000));
        assert_eq!(
            app.call(&alpha, "buying_settings", &[("weekly_cap", "-1")])
                .await
                .status(),
            422
        );
        assert_eq!(
            app.call(&alpha, "buying_settings", &[("weekly_cap", "lots")])
                .await
                .status(),
            422
        );
        ok(app
            .call(&alpha, "buying_settings", &[("weekly_cap", "")])
            .await)
        .await;
        let v = variant_id(&app, SKU).await.to_string();
        let version = price_of(&app, alpha_id, SKU, GOOD)
            .await
            .unwrap()
            .2
            .to_string();
        let res = app
            .call(
                &alpha,
                "listing_cap",
                &[
                    ("variant_id", &v),
                    ("grade", GOOD),
                    ("weekly_cap", "0"),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            offered_price(&offer(&app).await),
            Some(20_000),
            "listing capped"
        );
        let detail: Value = app
            .call(
                &alpha,
                "listing_detail",
                &[("variant_id", &v), ("grade", GOOD)],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(detail["cell"]["not_competing"], "weekly cap reached");
        assert_eq!(
            detail["curve"],
            serde_json::json!([20_000]),
            "competitors only, anonymised"
        );
        // The old version is stale now.
        let res = app
            .call(
                &alpha,
                "listing_cap",
                &[
                    ("variant_id", &v),
                    ("grade", GOOD),
                    ("weekly_cap", "5"),
                    ("version", &version),
                ],
            )
            .await;
        let out: Value = res.json().await.unwrap();
        assert!(out.get("Stale").is_some(), "{out}");
        app.stop().await;
    }
);

// The grid reads each cell's market as the offer step keeps it in memory
// (server::offer_cache): a competitor's change shows on the very next page.
both_backends!(
    the_grid_shows_every_competitor_change_at_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, alpha_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        let beta = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        let market = |page: Value| {
            let c = cell(&page, SKU, GOOD).clone();
            (
                c["competitors"].as_i64(),
                c["best_competitor_minor"].as_i64(),
                c["position"]["rank"].as_i64(),
            )
        };
        assert_eq!(
            market(grid(&app, &alpha, &[("only", "buying")]).await),
            (Some(0), None, Some(1)),
            "alone"
        );
        let beta_listing = listing(&app, beta, SKU, Grade::FunctionalGood, 25_000, 1_000).await;
        assert_eq!(
            market(grid(&app, &alpha, &[("only", "buying")]).await),
            (Some(1), Some(25_000), Some(1)),
            "a new competitor"
        );

        let v = variant_id(&app, SKU).await;
        let mut tx = app.state.db.write_tx().await.unwrap();
        let saved = save(
            &mut tx,
            CellWrite {
                key: tradein::features::pricing::service::CellKey {
                    seller_id: beta,
                    market: tradein::domain::market::Market::FrFr,
                    variant_id: v,
                    grade: Grade::FunctionalGood,
                },
                price: Some(Money::eur(35_000)),
                expected_version: Some(1),
                changed_by: user_of(&app, beta).await,
                source: Source::Grid,
            },
            2_000,
        )
        .await
        .unwrap();
        assert_eq!(
            saved,
            Saved::Saved {
                listing_id: tradein::domain::ids::ListingId(beta_listing),
                version: 2
            }
        );
        tx.commit().await.unwrap();
        assert_eq!(
            market(grid(&app, &alpha, &[("only", "buying")]).await),
            (Some(1), Some(35_000), Some(2)),
            "outbid"
        );

        tradein::features::sellers::service::set_buying(app.state.db.pool(), beta, true, None)
            .await
            .unwrap();
        assert_eq!(
            market(grid(&app, &alpha, &[("only", "buying")]).await),
            (Some(0), None, Some(1)),
            "a paused competitor drops out"
        );
        app.stop().await;
    }
);

async fn export(app: &TestApp, client: &reqwest::Client) -> String {
    let res = client
        .get(app.url("/seller/prices.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    res.text().await.unwrap()
}

pub(crate) async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    csv: impl Into<Vec<u8>>,
    mode: &str,
    base: Option<&str>,
    replace: bool,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.into()).file_name("prices.csv"),
        )
        .text("mode", mode.to_string());
    if let Some(b) = base {
        form = form.text("base", b.to_string());
    }
    if replace {
        form = form.text("replace", "on");
    }
    client
        .post(app.url("/seller/prices/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

both_backends!(
    a_refused_apply_never_waits_for_the_write_lock,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, alpha_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        let good = format!("variant_sku,grade,price_eur,weekly_cap\n{SKU},functional_good,310,\n");
        let preview: Value = upload(&app, &alpha, good.clone(), "preview", None, false)
            .await
            .json()
            .await
            .unwrap();
        let base = preview["base"].as_str().unwrap().to_string();

        // Another writer holds the write lock (on SQLite, the only writer's
        // turn) and the seller's row (what every grid write takes first).
        let mut held = app.state.db.write_tx().await.unwrap();
        sqlx::query("UPDATE sellers SET status = status WHERE id = $1")
            .bind(alpha_id)
            .execute(&mut *held)
            .await
            .unwrap();
        assert_eq!(
            upload(
                &app,
                &alpha,
                good.clone(),
                "apply",
                Some("0000000000000000"),
                false
            )
            .await
            .status(),
            409,
            "a stale preview is refused at once"
        );
        let bad = format!("variant_sku,grade,price_eur,weekly_cap\n{SKU},functional_good,abc,\n");
        assert_eq!(
            upload(&app, &alpha, bad, "apply", Some(&base), false)
                .await
                .status(),
            422,
            "a file with bad rows is refused at once"
        );
        held.rollback().await.unwrap();

        // With the lock free, the good preview applies.
        assert_eq!(
            upload(&app, &alpha, good, "apply", Some(&base), false)
                .await
                .status(),
            200
        );
        assert_eq!(price_of(&app, alpha_id, SKU, GOOD).await.unwrap().0, 31_000);
    }
);

both_backends!(
    csv_round_trip_preview_then_apply_all_or_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, alpha_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        listing(&app, alpha_id, SKU, Grade::FunctionalUsed, 25_000, 1_000).await;
        listing(
            &app,
            alpha_id,
            "playstation-5-825gb",
            Grade::FunctionalGood,
            28_000,
            1_000,
        )
        .await;
        let csv = export(&app, &alpha).await;
        assert_eq!(
            csv.lines().next(),
            Some("market,variant_sku,grade,price,currency,weekly_cap")
        );
        assert!(
            csv.contains("fr-fr,iphone-13-128gb,functional_good,300.00,EUR,\n"),
            "{csv}"
        );
        assert_eq!(csv.lines().count(), 4);

        // Edited in a French spreadsheet: one changed, one removed, one new, one unchanged.
        let edited = "variant_sku;grade;price_eur;weekly_cap\r\n\
        iphone-13-128gb;functional_good;310,00;\r\n\
        iphone-13-128gb;functional_used;;\r\n\
        playstation-5-825gb;functional_good;280,00;\r\n\
        iphone-13-256gb;functional_good;\"1 200,50\";4\r\n";
        let res = upload(&app, &alpha, edited, "preview", None, false).await;
        assert_eq!(res.status(), 200);
        let preview: Value = res.json().await.unwrap();
        assert_eq!(
            preview["counts"],
            serde_json::json!({"new": 1, "changed": 1, "removed": 1, "unchanged": 1})
        );
        assert_eq!(preview["error_count"], 0);
        assert_eq!(
            price_of(&app, alpha_id, SKU, GOOD).await.unwrap().0,
            30_000,
            "a preview changes nothing"
        );

        // An edit in between makes the preview stale: nothing applied.
        let v = variant_id(&app, SKU).await;
        assert_eq!(
            save_cell(&app, &alpha, v, GOOD, "305", Some(1))
                .await
                .status(),
            200
        );
        let base = preview["base"].as_str().unwrap();
        assert_eq!(
            upload(&app, &alpha, edited, "apply", Some(base), false)
                .await
                .status(),
            409
        );
        assert_eq!(price_of(&app, alpha_id, SKU, GOOD).await.unwrap().0, 30_500);
        assert_eq!(
            upload(&app, &alpha, edited, "apply", None, false)
                .await
                .status(),
            422,
            "apply needs a preview"
        );

        let preview: Value = upload(&app, &alpha, edited, "preview", None, false)
            .await
            .json()
            .await
            .unwrap();
        let res = upload(
            &app,
            &alpha,
            edited,
            "apply",
            preview["base"].as_str(),
            false,
        )
        .await;
        assert_eq!(res.status(), 200);
        let applied: Value = res.json().await.unwrap();
        assert_eq!(applied["applied"], true);
        assert_eq!(price_of(&app, alpha_id, SKU, GOOD).await.unwrap().0, 31_000);
        assert_eq!(
            price_of(&app, alpha_id, SKU, "functional_used")
                .await
                .unwrap()
                .1,
            0,
            "stopped"
        );
        let new: (i64, Option<i64>) = sqlx::query_as("SELECT l.price_minor, l.weekly_cap FROM listings l JOIN variants v ON v.id = l.variant_id WHERE v.sku = 'iphone-13-256gb' AND l.seller_id = $1")
        .bind(alpha_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(new, (120_050, Some(4)));
        let sources: Vec<String> = sqlx::query_scalar(
            "SELECT source FROM price_history WHERE seller_id = $1 AND source = 'csv'",
        )
        .bind(alpha_id)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(
            sources.len(),
            3,
            "changed, removed and new are in the history; unchanged is not"
        );
        assert_eq!(offered_price(&offer(&app).await), Some(31_000));

        // Replace mode: what the file leaves out stops.
        let only_ps5 =
            "variant_sku,grade,price_eur,weekly_cap\nplaystation-5-825gb,functional_good,280.00,\n";
        let preview: Value = upload(&app, &alpha, only_ps5, "preview", None, true)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            preview["counts"],
            serde_json::json!({"new": 0, "changed": 0, "removed": 2, "unchanged": 1})
        );
        assert_eq!(
            upload(
                &app,
                &alpha,
                only_ps5,
                "apply",
                preview["base"].as_str(),
                true
            )
            .await
            .status(),
            200
        );
        assert_eq!(export(&app, &alpha).await.lines().count(), 2);

        // A stopped cell priced again is the same listing buying again; a
        // change of cap alone keeps the time its price was set (ties go to the
        // first at a price).
        let cell = || async {
            let row: (i64, i64, Option<i64>, i64, i64, i64) = sqlx::query_as(
            "SELECT l.id, l.price_minor, l.weekly_cap, l.active, l.version, l.price_set_at FROM listings l JOIN variants v ON v.id = l.variant_id \
             WHERE l.seller_id = $1 AND v.sku = $2 AND l.grade = $3",
        )
        .bind(alpha_id)
        .bind(SKU)
        .bind(GOOD)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
            row
        };
        let stopped = cell().await;
        assert_eq!(stopped.3, 0, "stopped by the replace");
        app.clock.advance_ms(60_000);
        let again =
            "variant_sku,grade,price_eur,weekly_cap\niphone-13-128gb,functional_good,320.00,7\n";
        let preview: Value = upload(&app, &alpha, again, "preview", None, false)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            upload(
                &app,
                &alpha,
                again,
                "apply",
                preview["base"].as_str(),
                false
            )
            .await
            .status(),
            200
        );
        let buying = cell().await;
        assert_eq!(
            (buying.0, buying.1, buying.2, buying.3, buying.4),
            (stopped.0, 32_000, Some(7), 1, stopped.4 + 1),
            "the same listing, buying again"
        );
        assert_eq!(buying.5, stopped.5 + 60_000, "priced again now");
        assert_eq!(offered_price(&offer(&app).await), Some(32_000));
        app.clock.advance_ms(60_000);
        let cap_only =
            "variant_sku,grade,price_eur,weekly_cap\niphone-13-128gb,functional_good,320.00,9\n";
        let preview: Value = upload(&app, &alpha, cap_only, "preview", None, false)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(preview["counts"]["changed"], 1);
        assert_eq!(
            upload(
                &app,
                &alpha,
                cap_only,
                "apply",
                preview["base"].as_str(),
                false
            )
            .await
            .status(),
            200
        );
        let capped = cell().await;
        assert_eq!(
            (capped.1, capped.2, capped.4, capped.5),
            (32_000, Some(9), buying.4 + 1, buying.5),
            "the cap changed, not the price or its time"
        );
        app.stop().await;
    }
);

both_backends!(bad_csv_files_change_nothing, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
    listing(&app, alpha_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
    let before = export(&app, &alpha).await;

    let bad_rows = "variant_sku,grade,price_eur,weekly_cap\n\
        iphone-13-128gb,functional_good,310,\n\
        no-such-phone-64gb,functional_good,10,\n\
        iphone-13-128gb,like_new,10,\n\
        iphone-13-128gb,functional_used,-4,\n\
        iphone-13-128gb,functional_used,0,\n\
        iphone-13-128gb,functional_used,99999,\n\
        iphone-13-128gb,functional_used,1.005,\n\
        iphone-13-128gb,functional_used,ten,\n\
        iphone-13-128gb,functional_good,320,\n";
    let preview: Value = upload(&app, &alpha, bad_rows, "preview", None, false)
        .await
        .json()
        .await
        .unwrap();
    let lines: Vec<i64> = preview["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9, 10]);
    assert!(preview["errors"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("unknown variant"));
    assert!(preview["errors"][7]["reason"]
        .as_str()
        .unwrap()
        .contains("already on line 2"));
    let res = upload(
        &app,
        &alpha,
        bad_rows,
        "apply",
        preview["base"].as_str(),
        false,
    )
    .await;
    assert_eq!(
        res.status(),
        422,
        "all or nothing: one bad row refuses the file"
    );

    for (file, why) in [
        ("sku,grade,price\nx,y,z\n".as_bytes().to_vec(), "header"),
        (
            "variant_sku,grade;price_eur,weekly_cap\n"
                .as_bytes()
                .to_vec(),
            "separators",
        ),
        (Vec::new(), "choose"),
        (
            (0..3_000_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
                .collect::<Vec<u8>>(),
            "garbage",
        ),
    ] {
        let res = upload(&app, &alpha, file, "preview", None, false).await;
        assert_eq!(res.status(), 422, "{why}");
        let body: Value = res.json().await.unwrap();
        assert!(
            body.to_string()
                .to_lowercase()
                .contains(if why == "garbage" { "header" } else { why }),
            "{why}: {body}"
        );
    }
    // Over 10 MB: refused from its Content-Length (413); the server may
    // close the connection before the client has finished sending.
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![b'a'; 11 * 1024 * 1024]).file_name("big.csv"),
        )
        .text("mode", "preview");
    match alpha
        .post(app.url("/seller/prices/upload"))
        .multipart(form)
        .send()
        .await
    {
        Ok(res) => assert_eq!(res.status(), 413),
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    assert_eq!(export(&app, &alpha).await, before);
    app.stop().await;
});

both_backends!(
    match_price_to_win_is_previewed_then_saved,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let beta = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        listing(&app, beta, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        listing(&app, beta, SKU, Grade::FunctionalUsed, 20_000, 1_000).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, alpha_id, SKU, Grade::FunctionalGood, 29_000, 1_000).await;
        listing(&app, alpha_id, SKU, Grade::FunctionalUsed, 21_000, 1_000).await;
        let v = variant_id(&app, SKU).await;
        let res = alpha
            .post(app.url("/api/price_match_preview"))
            .json(&serde_json::json!({ "variant_ids": [v] }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let lines: Value = res.json().await.unwrap();
        assert_eq!(
            lines.as_array().unwrap().len(),
            1,
            "only the cell not winning: {lines}"
        );
        assert_eq!(
            (
                lines[0]["current"]["minor"].as_i64(),
                lines[0]["new"]["minor"].as_i64()
            ),
            (Some(29_000), Some(30_100))
        );
        assert_eq!(
            price_of(&app, alpha_id, SKU, GOOD).await.unwrap().0,
            29_000,
            "a preview saves nothing"
        );
        let res = alpha
            .post(app.url("/api/price_match_apply"))
            .json(&serde_json::json!({ "lines": lines }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(price_of(&app, alpha_id, SKU, GOOD).await.unwrap().0, 30_100);
        assert_eq!(offered_price(&offer(&app).await), Some(30_100));
        let source: String = sqlx::query_scalar(
            "SELECT source FROM price_history WHERE seller_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(alpha_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(source, "recommendation");
        // Applying the same preview again: its versions are stale, nothing saved.
        let res = alpha
            .post(app.url("/api/price_match_apply"))
            .json(&serde_json::json!({ "lines": lines }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 409);
        let res = alpha
            .post(app.url("/api/price_match_preview"))
            .json(&serde_json::json!({ "variant_ids": [] }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        app.stop().await;
    }
);

both_backends!(
    far_above_market_and_below_average_paid_are_flagged,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let beta = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        listing(&app, beta, SKU, Grade::FunctionalGood, 10_000, 1_000).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        let listing_id = listing(&app, alpha_id, SKU, Grade::FunctionalGood, 13_100, 1_000).await;
        let page = grid(&app, &alpha, &[("only", "buying")]).await;
        assert_eq!(
            cell(&page, SKU, GOOD)["far_above_market"],
            true,
            "131% of the second best"
        );
        // Last month Alpha paid 150 EUR on average for this cell.
        let v = variant_id(&app, SKU).await;
        let customer: tradein::domain::ids::UserId =
            sqlx::query_scalar("SELECT id FROM users WHERE role = 'customer' LIMIT 1")
                .fetch_optional(app.state.db.pool())
                .await
                .unwrap()
                .unwrap_or(user_of(&app, beta).await);
        let last_month = crate::harness::START_MS - 15 * tradein::domain::dates::DAY_MS;
        for (n, price) in [(1, 14_000), (2, 16_000)] {
            sqlx::query(
            "INSERT INTO trade_ins (reference, customer_id, seller_id, listing_id, variant_id, grade, answer_works, answer_screen, answer_body, price_minor, state, \
               address_name, address_line1, postcode, city, country, date_of_birth, idempotency_key, ship_by_at, created_at, updated_at, paid_at) \
             VALUES ($1, $2, $3, $4, $5, 'functional_good', 1, 'flawless', 'flawless', $6, 'paid', 'J', 'l', '75001', 'Paris', 'FR', '1990-01-01', $1, 0, $7, $7, $7)",
        )
        .bind(format!("REF{n}"))
        .bind(customer)
        .bind(alpha_id)
        .bind(listing_id)
        .bind(v)
        .bind(price)
        .bind(last_month)
        .execute(app.state.db.pool())
        .await
        .unwrap();
        }
        let page = grid(&app, &alpha, &[("only", "buying")]).await;
        assert_eq!(cell(&page, SKU, GOOD)["below_paid_minor"], 15_000);
        app.stop().await;
    }
);

both_backends!(
    a_seller_only_ever_reads_or_changes_its_own_listings,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        let (beta, _beta_id) = seller_with_login(&app, "Beta Refurb").await;
        listing(&app, alpha_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        let v = variant_id(&app, SKU).await;
        let vs = v.to_string();
        let alpha_before = price_of(&app, alpha_id, SKU, GOOD).await;

        // Beta names Alpha's cell and version everywhere: only Beta's own cell is involved.
        let out: Value = save_cell(&app, &beta, v, GOOD, "100", Some(1))
            .await
            .json()
            .await
            .unwrap();
        assert!(
            out.get("Stale").is_some(),
            "Beta has no listing of version 1: {out}"
        );
        assert_eq!(
            out["Stale"]["price_minor"],
            Value::Null,
            "Alpha's price is not revealed as Beta's"
        );
        let res = app
            .call(
                &beta,
                "listing_cap",
                &[
                    ("variant_id", &vs),
                    ("grade", GOOD),
                    ("weekly_cap", "0"),
                    ("version", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422, "Beta has no listing to cap");
        let detail: Value = app
            .call(
                &beta,
                "listing_detail",
                &[("variant_id", &vs), ("grade", GOOD)],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(detail["cell"]["price_minor"], Value::Null);
        assert_eq!(
            detail["curve"],
            serde_json::json!([30_000]),
            "Alpha's price appears only as an anonymous competitor"
        );
        assert!(!detail.to_string().contains("Alpha"));
        let lines = serde_json::json!({ "lines": [{ "market": "fr-fr", "variant_id": v, "grade": "FunctionalGood", "name": "x", "current": { "minor": 30_000, "currency": "EUR" }, "new": { "minor": 100, "currency": "EUR" }, "version": 1 }] });
        assert_eq!(
            beta.post(app.url("/api/price_match_apply"))
                .json(&lines)
                .send()
                .await
                .unwrap()
                .status(),
            409
        );
        let preview: Value = beta
            .post(app.url("/api/price_match_preview"))
            .json(&serde_json::json!({ "variant_ids": [v] }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(preview, serde_json::json!([]));
        let grid_b = grid(&app, &beta, &[("only", "buying")]).await;
        assert_eq!(grid_b["total"], 0);
        assert!(!export(&app, &beta).await.contains(SKU));
        let history_b: Value = app
            .call(
                &beta,
                "listing_detail",
                &[("variant_id", &vs), ("grade", GOOD)],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(history_b["history"], serde_json::json!([]));
        assert_eq!(
            price_of(&app, alpha_id, SKU, GOOD).await,
            alpha_before,
            "Alpha's listing untouched"
        );

        // Consumers and visitors get nothing.
        let consumer = customer(&app, "jane@example.com").await;
        let anon = app.client();
        for (client, status) in [(&consumer, 403), (&anon, 401)] {
            for (endpoint, form) in [
                ("price_grid", vec![]),
                (
                    "price_cell",
                    vec![
                        ("variant_id", vs.as_str()),
                        ("grade", GOOD),
                        ("price", "10"),
                    ],
                ),
                ("buying_settings", vec![("weekly_cap", "")]),
                (
                    "listing_detail",
                    vec![("variant_id", vs.as_str()), ("grade", GOOD)],
                ),
                (
                    "listing_cap",
                    vec![
                        ("variant_id", vs.as_str()),
                        ("grade", GOOD),
                        ("weekly_cap", "1"),
                        ("version", "1"),
                    ],
                ),
            ] {
                assert_eq!(
                    app.call(client, endpoint, &form).await.status(),
                    status,
                    "{endpoint}"
                );
            }
            for endpoint in ["price_match_preview", "price_match_apply"] {
                let res = client
                    .post(app.url(&format!("/api/{endpoint}")))
                    .json(&serde_json::json!({ "variant_ids": [v], "lines": [] }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), status, "{endpoint}");
            }
            assert_eq!(
                client
                    .get(app.url("/seller/prices.csv"))
                    .send()
                    .await
                    .unwrap()
                    .status(),
                status
            );
            assert_eq!(
                upload(
                    &app,
                    client,
                    "variant_sku,grade,price_eur,weekly_cap\n",
                    "preview",
                    None,
                    false
                )
                .await
                .status(),
                status
            );
        }
        assert_eq!(price_of(&app, alpha_id, SKU, GOOD).await, alpha_before);
        app.stop().await;
    }
);

both_backends!(
    a_refurbisher_signs_up_pending_and_ops_decide_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        let form = |vat: &'static str, email: &'static str| {
            vec![
                ("company", "Gamma Phones SAS"),
                ("vat_number", vat),
                ("address_line1", "12 rue de la Paix"),
                ("address_line2", "Bâtiment B"),
                ("postcode", "75002"),
                ("city", "Paris"),
                ("country", "FR"),
                ("contact_name", "Camille Martin"),
                ("email", email),
                ("phone", "+33 1 23 45 67 89"),
                ("password", "correct horse battery"),
            ]
        };
        let res = app
            .call(
                &client,
                "seller_signup",
                &form("FR123", "camille@gamma.example"),
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("vat_number"));
        assert_eq!(app.count("sellers").await, 1, "only the recycling partner");
        let res = app
            .call(
                &client,
                "seller_signup",
                &form("fr 40 303 265 045", "camille@gamma.example"),
            )
            .await;
        assert_eq!(
            res.headers()["location"],
            "/account/two-factor?next=/seller/prices",
            "the area opens once two-factor sign-in is set up"
        );
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        set_up_two_factor(&app, &client, "correct horse battery").await;
        let (id, status, vat, line2): (i64, String, String, String) =
        sqlx::query_as("SELECT id, status, vat_number, address_line2 FROM sellers WHERE company_name = 'Gamma Phones SAS'").fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(
            (status.as_str(), vat.as_str(), line2.as_str()),
            ("pending", "FR40303265045", "Bâtiment B")
        );
        // Pending: can price, does not compete, and is told so.
        let v = variant_id(&app, SKU).await;
        assert_eq!(
            save_cell(&app, &client, v, GOOD, "999", None)
                .await
                .status(),
            200
        );
        assert_eq!(offered_price(&offer(&app).await), None);
        let page = grid(&app, &client, &[("only", "buying")]).await;
        assert_eq!(page["status"], "pending");
        assert_eq!(cell(&page, SKU, GOOD)["not_competing"], "awaiting approval");

        // Only ops decide; a rejection needs a reason; deciding twice conflicts.
        let ids = id.to_string();
        assert_eq!(
            app.call(
                &client,
                "decide_seller",
                &[("seller_id", &ids), ("decision", "approve"), ("reason", "")]
            )
            .await
            .status(),
            403
        );
        assert_eq!(
            app.call(&client, "seller_applications", &[]).await.status(),
            403
        );
        let ops = app.client();
        let hash = tradein::platform::session::hash_password("correct horse battery".into()).await;
        let ops_id = tradein::features::accounts::service::insert_user(
            app.state.db.pool(),
            tradein::features::accounts::service::NewUser {
                email: &tradein::domain::account::Email::parse("ops@test.example").unwrap(),
                password_hash: &hash,
                role: tradein::domain::account::Role::Ops,
                display_name: "Olga Ops",
                email_verified: true,
            },
            0,
        )
        .await
        .unwrap();
        enrol_two_factor(&app, "ops@test.example").await;
        assert_eq!(
            app.login(&ops, "ops@test.example", "correct horse battery")
                .await
                .status(),
            200
        );
        let apps: Value = app
            .call(&ops, "seller_applications", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(apps[0]["company"], "Gamma Phones SAS");
        assert_eq!(
            app.call(
                &ops,
                "decide_seller",
                &[("seller_id", &ids), ("decision", "reject"), ("reason", "")]
            )
            .await
            .status(),
            422
        );
        assert_eq!(
            app.call(
                &ops,
                "decide_seller",
                &[("seller_id", &ids), ("decision", "maybe"), ("reason", "")]
            )
            .await
            .status(),
            422
        );
        assert_eq!(
            app.call(
                &ops,
                "decide_seller",
                &[
                    ("seller_id", "999999"),
                    ("decision", "approve"),
                    ("reason", "")
                ]
            )
            .await
            .status(),
            404
        );
        let approve = [
            ("seller_id", ids.as_str()),
            ("decision", "approve"),
            ("reason", "checked Kbis"),
        ];
        // Not before the applicant confirmed its address.
        assert_eq!(
            app.call(&ops, "decide_seller", &approve).await.status(),
            409
        );
        let apps: serde_json::Value = app
            .call(&ops, "seller_applications", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(apps[0]["email_confirmed"], false);
        let mail = app.sent_mail("camille@gamma.example", "verify_email").await;
        let token = mailed_token(&mail, "/account/verify");
        assert_eq!(
            app.call(&app.client(), "verify_email", &[("token", &token)])
                .await
                .status(),
            200
        );
        assert_eq!(
            app.call(&ops, "decide_seller", &approve).await.status(),
            200
        );
        assert_eq!(
            app.call(
                &ops,
                "decide_seller",
                &[
                    ("seller_id", &ids),
                    ("decision", "reject"),
                    ("reason", "too late now")
                ]
            )
            .await
            .status(),
            409
        );
        let (status, by, at): (String, Option<tradein::domain::ids::UserId>, Option<i64>) =
            sqlx::query_as(
                "SELECT status, status_changed_by, status_changed_at FROM sellers WHERE id = $1",
            )
            .bind(id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(
            (status.as_str(), by, at),
            ("approved", Some(ops_id), Some(crate::harness::START_MS))
        );
        let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'seller_approved' AND to_email = 'camille@gamma.example'").fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(mails, 1);
        assert_eq!(
            offered_price(&offer(&app).await),
            Some(99_900),
            "approved: the price competes"
        );
        app.stop().await;
    }
);

// An import applied while the refurbisher saves a cell in the grid, both
// made from the same view of the prices: exactly one of them lands. The
// save first makes the import stale (409); the import first makes the save
// stale (refused with the current price). Both landing would mean the import
// silently overwrote a save it never previewed (every grid writer takes the
// seller's row first: `tradein::features::pricing::service::lock_grid`).
both_backends!(
    an_import_racing_a_cell_save_never_overwrites_it,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, alpha_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        let v = variant_id(&app, SKU).await;
        let mut outcomes = std::collections::BTreeMap::new();
        for round in 0..12i64 {
            let csv_minor = 40_000 + round * 100;
            let file = format!(
                "variant_sku,grade,price_eur,weekly_cap\n{SKU},{GOOD},{}.00,\n",
                csv_minor / 100
            );
            let preview: Value = upload(&app, &alpha, file.clone(), "preview", None, false)
                .await
                .json()
                .await
                .unwrap();
            let base = preview["base"].as_str().unwrap().to_string();
            let version = price_of(&app, alpha_id, SKU, GOOD).await.unwrap().2;
            let saved_minor = 20_000 + round * 100;
            let (applied, saved) = tokio::join!(
                upload(&app, &alpha, file.clone(), "apply", Some(&base), false),
                async {
                    // A little later or not, so the two land in either order.
                    tokio::time::sleep(std::time::Duration::from_micros(300 * (round % 4) as u64))
                        .await;
                    save_cell(
                        &app,
                        &alpha,
                        v,
                        GOOD,
                        &(saved_minor / 100).to_string(),
                        Some(version),
                    )
                    .await
                }
            );
            let applied = applied.status().as_u16();
            assert_eq!(saved.status(), 200);
            let saved: Value = saved.json().await.unwrap();
            let save_landed = saved.get("Saved").is_some();
            let price = price_of(&app, alpha_id, SKU, GOOD).await.unwrap().0;
            match (applied, save_landed) {
                (200, false) => {
                    assert_eq!(
                        saved["Stale"]["price_minor"], csv_minor,
                        "round {round}: the save is refused with the imported price"
                    );
                    assert_eq!(price, csv_minor, "round {round}");
                }
                (409, true) => assert_eq!(
                    price, saved_minor,
                    "round {round}: the stale import changed nothing"
                ),
                other => panic!(
                    "round {round}: import {}, save landed {}: {saved}; price now {price}",
                    other.0, other.1
                ),
            }
            *outcomes.entry((applied, save_landed)).or_insert(0) += 1;
        }
        println!("(import status, save landed): rounds = {outcomes:?}");
        app.stop().await;
    }
);

// Issue 22, finding 7: a refurbisher operations have not vetted prices its
// grid, but learns nothing of the others' prices from it: no competitor
// count or best price, no position or price to win, no curve.
both_backends!(
    only_a_vetted_refurbisher_sees_the_market,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        let (applicant, applicant_id) = seller_with_login(&app, "Gamma Phones").await;
        let beta_id = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        listing(&app, beta_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        listing(&app, alpha_id, SKU, Grade::FunctionalGood, 25_000, 1_000).await;
        listing(
            &app,
            applicant_id,
            SKU,
            Grade::FunctionalGood,
            20_000,
            1_000,
        )
        .await;
        let v = variant_id(&app, SKU).await.to_string();
        let market = |client: &reqwest::Client| {
            let (app, v, client) = (&app, v.clone(), client.clone());
            async move {
                let page = grid(app, &client, &[("q", SKU)]).await;
                let detail: Value = app
                    .call(
                        &client,
                        "listing_detail",
                        &[("variant_id", &v), ("grade", GOOD)],
                    )
                    .await
                    .json()
                    .await
                    .unwrap();
                let preview = client
                    .post(app.url("/api/price_match_preview"))
                    .json(&serde_json::json!({ "variant_ids": [v.parse::<i64>().unwrap()] }))
                    .send()
                    .await
                    .unwrap();
                let html = client
                    .get(app.url(&format!("/seller/prices/{v}/{GOOD}")))
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                // The page's own words: the areas' texts it carries for
                // the browser hold every sentence it might show.
                let html = without_staff_texts(&html);
                (cell(&page, SKU, GOOD).clone(), detail, preview, html)
            }
        };

        // Approved: Beta's and Gamma's prices, anonymised.
        let (c, detail, preview, html) = market(&alpha).await;
        assert_eq!(c["competitors"], 2);
        assert_eq!(c["best_competitor_minor"], 30_000);
        assert_eq!(c["position"]["price_to_win_minor"], 30_100);
        assert_eq!(c["market_hidden"], false);
        assert_eq!(detail["curve"], serde_json::json!([30_000, 20_000]));
        assert_eq!(preview.status(), 200);
        assert_eq!(
            preview.json::<Value>().await.unwrap()[0]["new"]["minor"],
            30_100
        );
        assert!(html.contains("A competitor: €300.00"), "{html}");

        for status in ["pending", "rejected"] {
            sqlx::query("UPDATE sellers SET status = $1 WHERE id = $2")
                .bind(status)
                .bind(applicant_id)
                .execute(app.state.db.pool())
                .await
                .unwrap();
            let (c, detail, preview, html) = market(&applicant).await;
            assert_eq!(c["price_minor"], 20_000, "{status}: its own price");
            assert_eq!(c["competitors"], 0, "{status}: {c}");
            assert_eq!(c["best_competitor_minor"], Value::Null, "{status}: {c}");
            assert_eq!(c["position"], Value::Null, "{status}: {c}");
            assert_eq!(c["far_above_market"], false, "{status}: {c}");
            assert_eq!(c["market_hidden"], true, "{status}: {c}");
            assert_eq!(detail["curve"], serde_json::json!([]), "{status}");
            for field in [
                "competitors",
                "best_competitor_minor",
                "position",
                "market_hidden",
            ] {
                assert_eq!(detail["cell"][field], c[field], "{status}: {field}");
            }
            assert_eq!(preview.status(), 409, "{status}: no price to win");
            // Neither shown nor in the data the page carries for hydration:
            // Beta's and Alpha's prices, the price to win.
            for leak in [
                "A competitor",
                "30000",
                "30100",
                "25000",
                "300.00",
                "250.00",
            ] {
                assert!(!html.contains(leak), "{status}: {leak} in {html}");
            }
            assert!(
                html.contains("shown once operations approve"),
                "{status}: {html}"
            );
        }

        // A refurbisher suspended after approval was vetted: it keeps the market.
        sqlx::query("UPDATE sellers SET status = 'suspended' WHERE id = $1")
            .bind(applicant_id)
            .execute(app.state.db.pool())
            .await
            .unwrap();
        let (c, detail, _, _) = market(&applicant).await;
        assert_eq!(c["best_competitor_minor"], 30_000);
        assert_eq!(detail["curve"], serde_json::json!([30_000, 25_000]));
        app.stop().await;
    }
);

/// A page without the block of the refurbisher area's texts (`i18n::staff`).
fn without_staff_texts(html: &str) -> String {
    let open = r#"<script type="application/json" id="staff-texts">"#;
    match html.find(open) {
        Some(start) => {
            let end = start + html[start..].find("</script>").expect("closed") + "</script>".len();
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}
