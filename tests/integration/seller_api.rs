//! The seller API (issue 26): tokens made and revoked in the refurbisher's
//! area, bearer authentication only, scopes, another seller's objects as
//! 404, RFC 9457 problems, cursor pages, and the OpenAPI document.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use serde_json::Value;
use tradein::domain::grade::Grade;

const SKU: &str = "iphone-13-128gb";

/// Makes a token from the area's form; returns it.
pub async fn token(app: &TestApp, seller: &reqwest::Client, name: &str, scopes: &[&str]) -> String {
    let mut form = vec![("name", name), ("days", "")];
    form.extend(scopes.iter().map(|s| (*s, "yes")));
    let res = app.call(seller, "create_api_token", &form).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let token: String = res.json().await.unwrap();
    assert!(token.starts_with("tik_") && token.len() == 44, "{token}");
    token
}

pub async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, Value) {
    let mut req = app.client().get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, res.json().await.unwrap_or(Value::Null))
}

both_backends!(
    tokens_are_made_shown_once_and_revoked,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, seller_id) = seller_with_login(&app, "Alpha Refurb").await;
        let (other, _) = seller_with_login(&app, "Beta Refurb").await;

        // Bad input is refused beside its field, and nothing is made.
        let res = app
            .call(
                &seller,
                "create_api_token",
                &[("name", " "), ("days", "9999")],
            )
            .await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        for field in ["name", "days", "scopes"] {
            assert!(
                body.contains(&format!("\"field\":\"{field}\"")),
                "{field}: {body}"
            );
        }
        assert_eq!(app.count("api_tokens").await, 0);

        let made = token(
            &app,
            &seller,
            "ERP repricing",
            &["listings_read", "orders_read"],
        )
        .await;
        // Only its hash is kept; the list shows its first characters.
        let stored: (String, String, String) = sqlx::query_as(
            "SELECT token_hash, prefix, scopes FROM api_tokens WHERE seller_id = $1",
        )
        .bind(seller_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert!(!stored.0.contains(&made[4..]) && stored.0.len() == 64);
        assert_eq!(stored.1, &made[..10]);
        assert_eq!(stored.2, "listings:read orders:read");
        let list: Value = app
            .call(&seller, "api_tokens", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list[0]["name"], "ERP repricing");
        assert_eq!(list[0]["state"], "Active");
        assert!(!list.to_string().contains(&made[10..]), "never shown again");
        let id = list[0]["id"].as_i64().unwrap().to_string();

        // Another refurbisher neither sees nor revokes it.
        let theirs: Value = app
            .call(&other, "api_tokens", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(theirs, Value::Array(vec![]));
        assert_eq!(
            app.call(&other, "revoke_api_token", &[("id", &id)])
                .await
                .status(),
            404
        );
        assert_eq!(get(&app, "/api/v1/grades", Some(&made)).await.0, 200);

        assert_eq!(
            app.call(&seller, "revoke_api_token", &[("id", &id)])
                .await
                .status(),
            200
        );
        let (status, kind, problem) = get(&app, "/api/v1/grades", Some(&made)).await;
        assert_eq!(status, 401);
        assert_eq!(kind, "application/problem+json");
        assert_eq!(problem["detail"], "this token was revoked");
        assert_eq!(
            app.call(&seller, "revoke_api_token", &[("id", &id)])
                .await
                .status(),
            404,
            "revoked once"
        );
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'api_token' AND seller_id = $1",
        )
        .bind(seller_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 2, "made and revoked");

        // An expired token is refused too.
        let old = token(&app, &seller, "Old ERP", &["listings_read"]).await;
        exec(
            &app,
            "UPDATE api_tokens SET expires_at = 1 WHERE name = 'Old ERP'",
        )
        .await;
        let (status, _, problem) = get(&app, "/api/v1/grades", Some(&old)).await;
        assert_eq!(
            (status, problem["detail"].as_str()),
            (401, Some("this token has expired"))
        );
    }
);

both_backends!(
    listings_are_read_by_token_and_scope_only_the_callers_own,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, seller_id) = seller_with_login(&app, "Alpha Refurb").await;
        let (other, other_id) = seller_with_login(&app, "Beta Refurb").await;
        let mine = [
            listing(&app, seller_id, SKU, Grade::FunctionalGood, 31_200, 1_000).await,
            listing(&app, seller_id, SKU, Grade::FunctionalUsed, 25_000, 1_000).await,
            listing(
                &app,
                seller_id,
                "galaxy-s21-128gb",
                Grade::FunctionalGood,
                20_000,
                1_000,
            )
            .await,
        ];
        let theirs = listing(&app, other_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        let reader = token(&app, &seller, "Reader", &["listings_read"]).await;
        let orders_only = token(&app, &seller, "Orders", &["orders_read"]).await;
        let other_reader = token(&app, &other, "Theirs", &["listings_read"]).await;

        // Two pages of two, by id, each listing once.
        let (status, _, first) = get(&app, "/api/v1/listings?limit=2", Some(&reader)).await;
        assert_eq!(status, 200, "{first}");
        assert_eq!(first["data"].as_array().unwrap().len(), 2);
        let next = first["next"].as_str().expect("a next page").to_string();
        let (_, _, second) = get(
            &app,
            &format!("/api/v1/listings?limit=2&cursor={next}"),
            Some(&reader),
        )
        .await;
        assert_eq!(second["data"].as_array().unwrap().len(), 1);
        assert!(second.get("next").is_none(), "{second}");
        let ids: Vec<i64> = first["data"]
            .as_array()
            .unwrap()
            .iter()
            .chain(second["data"].as_array().unwrap())
            .map(|l| l["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, mine);
        assert_eq!(first["data"][0]["price"]["amount"], "312.00");
        assert_eq!(first["data"][0]["price"]["currency"], "EUR");
        assert_eq!(first["data"][0]["market"], "fr-fr");
        assert_eq!(first["data"][0]["grade"], "functional_good");

        let (_, _, one) = get(
            &app,
            &format!("/api/v1/listings/{}", mine[0]),
            Some(&reader),
        )
        .await;
        assert_eq!(one["sku"], SKU);
        // Another seller's listing, one that does not exist, and one in a
        // market filter that excludes everything: nothing leaks.
        for path in [
            format!("/api/v1/listings/{theirs}"),
            "/api/v1/listings/999999".to_string(),
        ] {
            let (status, kind, problem) = get(&app, &path, Some(&reader)).await;
            assert_eq!(
                (status, kind.as_str()),
                (404, "application/problem+json"),
                "{path}"
            );
            assert_eq!(problem["status"], 404);
        }
        let (_, _, german) = get(&app, "/api/v1/listings?market=de-de", Some(&reader)).await;
        assert_eq!(german["data"], Value::Array(vec![]));
        let (_, _, theirs_only) = get(&app, "/api/v1/listings", Some(&other_reader)).await;
        assert_eq!(theirs_only["data"].as_array().unwrap().len(), 1);
        assert_eq!(theirs_only["data"][0]["id"], theirs);

        // A token without the scope: 403, naming it.
        let (status, _, problem) = get(&app, "/api/v1/listings", Some(&orders_only)).await;
        assert_eq!(status, 403);
        assert_eq!(
            problem["detail"],
            "this token does not have the listings:read scope"
        );
        // No token, a made-up one, or a browser's session cookie: 401.
        let (status, _, _) = get(&app, "/api/v1/listings", None).await;
        assert_eq!(status, 401);
        let res = seller
            .get(app.url("/api/v1/listings"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "a cookie does not authenticate the API");
        assert_eq!(
            res.headers()["www-authenticate"],
            "Bearer realm=\"seller-api\""
        );
        let forged = format!("tik_{}", "a".repeat(40));
        assert_eq!(get(&app, "/api/v1/listings", Some(&forged)).await.0, 401);

        // Bad parameters are problems naming them; nothing else is read.
        for (query, field) in [
            ("limit=0", "limit"),
            ("limit=5000", "limit"),
            ("cursor=abc", "cursor"),
            ("market=xx-yy", "market"),
            ("colour=red", "query"),
        ] {
            let (status, kind, problem) =
                get(&app, &format!("/api/v1/listings?{query}"), Some(&reader)).await;
            assert_eq!(
                (status, kind.as_str()),
                (422, "application/problem+json"),
                "{query}"
            );
            assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
        }

        // The catalog pages the same way, and every grade is listed.
        let (_, _, grades) = get(&app, "/api/v1/grades", Some(&orders_only)).await;
        assert_eq!(grades["data"].as_array().unwrap().len(), 6);
        let (_, _, variants) = get(&app, "/api/v1/variants?limit=5", Some(&orders_only)).await;
        assert_eq!(variants["data"].as_array().unwrap().len(), 5);
        assert!(variants["next"].is_string());
        // An unknown address under the API is a problem too.
        let (status, kind, _) = get(&app, "/api/v1/nothing-here", Some(&reader)).await;
        assert_eq!((status, kind.as_str()), (404, "application/problem+json"));
    }
);

both_backends!(
    the_openapi_document_and_reference_describe_the_routes,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let doc: Value = app
            .client()
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{doc}");
        for path in ["/listings", "/listings/{id}", "/variants", "/grades"] {
            assert!(doc["paths"][path]["get"].is_object(), "{path}");
        }
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert!(doc["components"]["schemas"]["Problem"].is_object());
        let page = app
            .client()
            .get(app.url("/api/v1/docs"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("GET /api/v1/listings/{id}"), "{page}");
        assert!(page.contains("listings:read"));
    }
);

async fn patch(
    app: &TestApp,
    token: &str,
    id: i64,
    body: &Value,
    key: Option<&str>,
) -> (u16, Value, bool) {
    let mut req = app
        .client()
        .patch(app.url(&format!("/api/v1/listings/{id}")))
        .bearer_auth(token)
        .json(body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let replayed = res.headers().contains_key("idempotent-replayed");
    (status, res.json().await.unwrap_or(Value::Null), replayed)
}

both_backends!(
    a_listing_is_repriced_with_its_version_and_bad_input_changes_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, seller_id) = seller_with_login(&app, "Alpha Refurb").await;
        let (other, other_id) = seller_with_login(&app, "Beta Refurb").await;
        let id = listing(&app, seller_id, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let theirs = listing(&app, other_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        let writer = token(
            &app,
            &seller,
            "Writer",
            &["listings_read", "listings_write"],
        )
        .await;
        let reader = token(&app, &seller, "Reader", &["listings_read"]).await;
        let _ = other;
        let (_, _, before) = get(&app, &format!("/api/v1/listings/{id}"), Some(&writer)).await;
        let version = before["version"].as_i64().unwrap();

        // Refused, with nothing written: each problem names its field.
        for (body, status, field) in [
            (
                serde_json::json!({"version": version, "price": "0.50"}),
                422,
                "price",
            ),
            (
                serde_json::json!({"version": version, "price": "abc"}),
                422,
                "price",
            ),
            (
                serde_json::json!({"version": version, "weekly_cap": -1}),
                422,
                "weekly_cap",
            ),
            (
                serde_json::json!({"version": version, "price": "300", "colour": "red"}),
                422,
                "body",
            ),
            (
                serde_json::json!({"version": "one", "price": "300"}),
                422,
                "body",
            ),
        ] {
            let (got, problem, _) = patch(&app, &writer, id, &body, None).await;
            assert_eq!(got, status, "{body}: {problem}");
            assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
        }
        let (_, _, unchanged) = get(&app, &format!("/api/v1/listings/{id}"), Some(&writer)).await;
        assert_eq!(unchanged, before);
        // Without the write scope, and on another seller's listing.
        let ok = serde_json::json!({"version": version, "price": "309.50"});
        assert_eq!(patch(&app, &reader, id, &ok, None).await.0, 403);
        assert_eq!(patch(&app, &writer, theirs, &ok, None).await.0, 404);

        // Price and cap together; the version moves on.
        let both = serde_json::json!({"version": version, "price": "309.50", "weekly_cap": 12});
        let (status, saved, _) = patch(&app, &writer, id, &both, None).await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["price"]["amount"], "309.50");
        assert_eq!(saved["weekly_cap"], 12);
        assert!(saved["version"].as_i64().unwrap() > version);
        // The version read before is stale now: 409, nothing written.
        let (status, problem, _) = patch(&app, &writer, id, &ok, None).await;
        assert_eq!(status, 409, "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("version"));
        // The cap is removed with null; the price history says "api".
        let clear = serde_json::json!({"version": saved["version"], "weekly_cap": null});
        let (_, cleared, _) = patch(&app, &writer, id, &clear, None).await;
        assert!(cleared.get("weekly_cap").is_none(), "{cleared}");
        let source: String = sqlx::query_scalar(
            "SELECT source FROM price_history WHERE seller_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(seller_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(source, "api");
    }
);

both_backends!(
    an_idempotency_key_runs_its_request_once_even_in_parallel,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, seller_id) = seller_with_login(&app, "Alpha Refurb").await;
        let id = listing(&app, seller_id, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let writer = token(
            &app,
            &seller,
            "Writer",
            &["listings_read", "listings_write"],
        )
        .await;
        let (_, _, before) = get(&app, &format!("/api/v1/listings/{id}"), Some(&writer)).await;
        let version = before["version"].as_i64().unwrap();
        let body = serde_json::json!({"version": version, "price": "299.00"});

        // Twenty clients send the same request with the same key at once:
        // it runs once; the others are told it is running (409) or get its
        // answer replayed, never a second write (which would be a 409
        // stale-version problem of the handler, not a replay).
        let answers = futures_util::future::join_all(
            (0..20).map(|_| patch(&app, &writer, id, &body, Some("reprice-0001"))),
        )
        .await;
        let first: Vec<&(u16, Value, bool)> = answers
            .iter()
            .filter(|(s, _, replayed)| *s == 200 && !replayed)
            .collect();
        assert_eq!(first.len(), 1, "{answers:?}");
        for (status, problem, replayed) in &answers {
            match status {
                200 => {}
                409 => assert_eq!(
                    problem["type"], "/api/v1/problems/idempotency-key-in-use",
                    "{problem}"
                ),
                other => panic!("{other}: {problem}"),
            }
            if *replayed {
                assert_eq!(problem, &first[0].1, "the same answer");
            }
        }
        let writes: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM price_history WHERE seller_id = $1 AND source = 'api'",
        )
        .bind(seller_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(writes, 1, "one price change");

        // Later: replayed, byte for byte, with the header saying so.
        let (status, again, replayed) = patch(&app, &writer, id, &body, Some("reprice-0001")).await;
        assert_eq!((status, replayed), (200, true));
        assert_eq!(again, first[0].1);
        // The same key with another body: 422, nothing run.
        let other_body = serde_json::json!({"version": version, "price": "250.00"});
        let (status, problem, _) =
            patch(&app, &writer, id, &other_body, Some("reprice-0001")).await;
        assert_eq!(status, 422);
        assert_eq!(problem["type"], "/api/v1/problems/idempotency-key-reused");
        // A refusal is kept too: the same bad request with its key is
        // answered the same way.
        let (status, _, _) = patch(&app, &writer, id, &other_body, Some("reprice-0002")).await;
        assert_eq!(status, 409, "stale version");
        let (status, _, replayed) =
            patch(&app, &writer, id, &other_body, Some("reprice-0002")).await;
        assert_eq!((status, replayed), (409, true));
        // After 24 hours a key is forgotten by housekeeping.
        exec(
            &app,
            "UPDATE api_idempotency SET started_at = started_at - 90000000",
        )
        .await;
        tradein::startup::jobs::housekeeping(&app.state)
            .await
            .unwrap();
        assert_eq!(app.count("api_idempotency").await, 0);
    }
);

async fn post_bulk(app: &TestApp, token: &str, body: &Value) -> (u16, Value) {
    let res = app
        .client()
        .post(app.url("/api/v1/listings/bulk"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

both_backends!(
    bulk_rows_apply_all_or_nothing_with_the_price_files_checks,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, seller_id) = seller_with_login(&app, "Alpha Refurb").await;
        let (_, other_id) = seller_with_login(&app, "Beta Refurb").await;
        listing(&app, seller_id, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let theirs = listing(&app, other_id, SKU, Grade::FunctionalUsed, 20_000, 1_000).await;
        let writer = token(&app, &seller, "Bulk", &["listings_read", "listings_write"]).await;
        let reader = token(&app, &seller, "Reader", &["listings_read"]).await;
        let history = |app: &TestApp| {
            let pool = app.state.db.pool().clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM price_history")
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        let before = history(&app).await;

        // One bad row refuses them all, each bad row named with its code.
        let bad = serde_json::json!({"rows": [
            {"market": "fr-fr", "sku": SKU, "grade": "functional_good", "price": "305.00"},
            {"market": "fr-fr", "sku": "no-such-phone", "grade": "functional_good", "price": "10"},
            {"market": "xx-yy", "sku": SKU, "grade": "functional_good", "price": "10"},
            {"market": "fr-fr", "sku": SKU, "grade": "shiny", "price": "10"},
            {"market": "fr-fr", "sku": SKU, "grade": "functional_used", "price": "0.10"},
            {"market": "fr-fr", "sku": SKU, "grade": "functional_cracked", "price": "90", "weekly_cap": -2},
            {"market": "fr-fr", "sku": SKU, "grade": "functional_good", "price": "306.00"},
        ]});
        let (status, problem) = post_bulk(&app, &writer, &bad).await;
        assert_eq!(status, 422, "{problem}");
        let named: Vec<(String, String)> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().into(),
                    e["code"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(
            named,
            [
                ("/rows/1", "unknown_sku"),
                ("/rows/2", "unknown_market"),
                ("/rows/3", "unknown_grade"),
                ("/rows/4", "price"),
                ("/rows/5", "weekly_cap"),
                ("/rows/6", "duplicate_row"),
            ]
            .map(|(f, c)| (f.to_string(), c.to_string()))
        );
        assert_eq!(history(&app).await, before, "nothing written");
        // A market the seller does not buy in is a row problem too.
        let (status, problem) = post_bulk(
            &app,
            &writer,
            &serde_json::json!({"rows": [{"market": "en-us", "sku": "iphone-15-128gb-esim-only", "grade": "functional_good", "price": "300"}]}),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(problem["errors"][0]["code"], "market_not_bought_in");

        // Good rows: one changed, one new, one stopped in a replace-all.
        let good = serde_json::json!({"rows": [
            {"market": "fr-fr", "sku": SKU, "grade": "functional_good", "price": "305.00", "weekly_cap": 20},
            {"market": "fr-fr", "sku": SKU, "grade": "functional_used", "price": "250.00"},
        ]});
        let (status, done) = post_bulk(&app, &writer, &good).await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(
            (done["new"].as_u64(), done["changed"].as_u64()),
            (Some(1), Some(1))
        );
        let (_, _, page) = get(&app, "/api/v1/listings", Some(&writer)).await;
        let prices: Vec<(&str, &str)> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["grade"].as_str().unwrap(),
                    l["price"]["amount"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            prices,
            [("functional_good", "305.00"), ("functional_used", "250.00")]
        );
        let replace = serde_json::json!({"replace_all": true, "rows": [
            {"market": "fr-fr", "sku": SKU, "grade": "functional_good", "price": "305.00", "weekly_cap": 20},
        ]});
        let (_, done) = post_bulk(&app, &writer, &replace).await;
        assert_eq!(
            (done["removed"].as_u64(), done["unchanged"].as_u64()),
            (Some(1), Some(1))
        );
        // Another seller's listing is untouched, and the source says "api".
        let (price, active): (i64, i64) =
            sqlx::query_as("SELECT price_minor, active FROM listings WHERE id = $1")
                .bind(theirs)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!((price, active), (20_000, 1));
        let sources: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT source FROM price_history WHERE seller_id = $1 AND at > 1000",
        )
        .bind(seller_id)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(sources, ["api"]);

        // The scope, an empty request and unknown fields.
        assert_eq!(post_bulk(&app, &reader, &good).await.0, 403);
        let (status, problem) = post_bulk(&app, &writer, &serde_json::json!({"rows": []})).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (422, Some("rows"))
        );
        let (status, problem) =
            post_bulk(&app, &writer, &serde_json::json!({"rows": [], "extra": 1})).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (422, Some("body"))
        );
    }
);

both_backends!(
    each_token_has_its_requests_a_minute_and_is_told_where_it_stands,
    |backend| async move {
        let app = TestApp::spawn_with(
            backend,
            crate::harness::Options {
                api_requests_per_minute: Some(3),
                ..Default::default()
            },
        )
        .await;
        let (seller, _) = seller_with_login(&app, "Alpha Refurb").await;
        let first = token(&app, &seller, "First", &["listings_read"]).await;
        let second = token(&app, &seller, "Second", &["listings_read"]).await;
        let call = |t: String| {
            let app = &app;
            async move {
                app.client()
                    .get(app.url("/api/v1/grades"))
                    .bearer_auth(t)
                    .send()
                    .await
                    .unwrap()
            }
        };
        for remaining in ["2", "1", "0"] {
            let res = call(first.clone()).await;
            assert_eq!(res.status(), 200);
            assert_eq!(res.headers()["ratelimit-limit"], "3");
            assert_eq!(res.headers()["ratelimit-remaining"], remaining);
            let reset: i64 = res.headers()["ratelimit-reset"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&reset), "{reset}");
        }
        let res = call(first.clone()).await;
        assert_eq!(res.status(), 429);
        assert!(res.headers().contains_key("retry-after"));
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        // Another token counts on its own; the next minute starts afresh.
        assert_eq!(call(second.clone()).await.status(), 200);
        app.clock.advance_ms(60_000);
        assert_eq!(call(first.clone()).await.status(), 200);
    }
);

both_backends!(
    a_listings_market_position_is_the_grids,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        let (beta, beta_id) = seller_with_login(&app, "Beta Refurb").await;
        let a = listing(&app, alpha_id, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let b = listing(&app, beta_id, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        let alpha_token = token(&app, &alpha, "A", &["listings_read"]).await;
        let beta_token = token(&app, &beta, "B", &["listings_read"]).await;

        let (status, _, winning) = get(
            &app,
            &format!("/api/v1/listings/{a}/position"),
            Some(&alpha_token),
        )
        .await;
        assert_eq!(status, 200, "{winning}");
        assert_eq!(winning["rank"], 1);
        assert_eq!(winning["buyers"], 2);
        assert_eq!(winning["best_competitor"]["amount"], "300.00");
        assert!(winning.get("price_to_win").is_none(), "{winning}");

        let (_, _, second) = get(
            &app,
            &format!("/api/v1/listings/{b}/position"),
            Some(&beta_token),
        )
        .await;
        assert_eq!(second["rank"], 2);
        assert_eq!(second["best_competitor"]["amount"], "312.00");
        assert_eq!(second["price_to_win"]["amount"], "313.00");
        // Not the other seller's.
        let (status, _, _) = get(
            &app,
            &format!("/api/v1/listings/{b}/position"),
            Some(&alpha_token),
        )
        .await;
        assert_eq!(status, 404);
    }
);
