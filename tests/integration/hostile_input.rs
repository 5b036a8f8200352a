//! Malformed or hostile input gets a clear 4xx and changes nothing.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;

const PASSWORD: &str = "correct horse battery";

both_backends!(cross_site_posts_are_refused, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let form = [
        ("name", "Eve"),
        ("email", "eve@example.com"),
        ("password", PASSWORD),
    ];
    let plain = reqwest::Client::new();
    let res = plain
        .post(app.url("/api/signup"))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = plain
        .post(app.url("/api/signup"))
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = plain
        .post(app.url("/api/signup"))
        .header("origin", "null")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = plain
        .post(app.url("/api/login"))
        .header("sec-fetch-site", "same-site")
        .form(&[("email", "a@b.co"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "a sibling subdomain is not us");
    assert_eq!(app.customers().await, 0);
    assert_eq!(app.count("login_attempts").await, 0);
    // The same request from this site goes through.
    let res = plain
        .post(app.url("/api/signup"))
        .header("origin", &app.base)
        .header("sec-fetch-site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.stop().await;
});

both_backends!(oversized_bodies_are_refused, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let huge = "x".repeat(300 * 1024);
    let res = app
        .call(
            &app.client(),
            "signup",
            &[
                ("name", &huge),
                ("email", "big@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 413);
    assert_eq!(app.customers().await, 0);
    app.stop().await;
});

both_backends!(
    missing_or_mistyped_fields_are_bad_requests,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        let res = app
            .call(&client, "signup", &[("email", "a@example.com")])
            .await;
        assert_eq!(res.status(), 400, "missing fields");
        let res = client
            .post(app.url("/api/signup"))
            .header("content-type", "application/json")
            .body("{\"name\": 5}")
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_client_error(),
            "wrong encoding: {}",
            res.status()
        );
        let res = client
            .post(app.url("/api/signup"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("%%%")
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_client_error(),
            "garbage body: {}",
            res.status()
        );
        assert_eq!(app.customers().await, 0);
        app.stop().await;
    }
);

both_backends!(
    html_and_sql_in_text_fields_are_refused_or_inert,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        let res = app
            .signup(
                &client,
                "<script>alert(1)</script>",
                "x@example.com",
                PASSWORD,
            )
            .await;
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["Invalid"][0]["field"], "name");

        let res = app
            .signup(
                &client,
                "Bobby",
                "x@example.com'; DROP TABLE users;--",
                PASSWORD,
            )
            .await;
        assert_eq!(res.status(), 422);
        let res = app.login(&client, "' OR '1'='1", "' OR '1'='1").await;
        assert_eq!(res.status(), 422);
        assert_eq!(app.customers().await, 0);

        // SQL-looking text that is a valid name is stored as plain text.
        let res = app
            .signup(
                &client,
                "Robert'); DROP TABLE users;--",
                "bobby@example.com",
                PASSWORD,
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.customers().await, 1);
        app.stop().await;
    }
);

both_backends!(sign_up_cannot_choose_a_role, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let client = app.client();
    let res = app
        .call(
            &client,
            "signup",
            &[
                ("name", "Mallory"),
                ("email", "m@example.com"),
                ("password", PASSWORD),
                ("role", "ops"),
            ],
        )
        .await;
    assert!(
        res.status() == 200 || res.status() == 400,
        "{}",
        res.status()
    );
    let role: Option<String> =
        sqlx::query_scalar("SELECT role FROM users WHERE email = 'm@example.com'")
            .fetch_optional(app.state.db.pool())
            .await
            .unwrap();
    assert!(
        role.is_none() || role.as_deref() == Some("customer"),
        "{role:?}"
    );
    let res = app.call(&client, "ops_dashboard", &[]).await;
    assert!(res.status() == 403 || res.status() == 401);
    app.stop().await;
});

both_backends!(
    weak_passwords_and_bad_emails_are_explained,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = app
            .signup(&app.client(), "Jane", "not-an-email", "short")
            .await;
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        let fields: Vec<&str> = body["Invalid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["email", "password"]);
        assert_eq!(app.customers().await, 0);
        app.stop().await;
    }
);

both_backends!(request_ids_are_the_servers_own, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let res = app
        .client()
        .get(app.url("/no-such-page"))
        .header("x-request-id", "forged-by-client")
        .send()
        .await
        .unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_ne!(id, "forged-by-client");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let page = res.text().await.unwrap();
    assert!(!page.contains("forged-by-client"));
    app.stop().await;
});

both_backends!(
    sign_in_never_sends_people_to_another_site,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signup(&app.client(), "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        for next in [
            "/\t/evil.example",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
        ] {
            // A plain form post, as a browser without JavaScript sends it.
            let res = app
                .client()
                .post(app.url("/api/login"))
                .header("accept", "text/html")
                .form(&[
                    ("email", "jane@example.com"),
                    ("password", PASSWORD),
                    ("next", next),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 302, "{next:?}");
            // Home: the visitor's market's (France without a cookie or languages).
            assert_eq!(res.headers()["location"], "/fr-fr", "{next:?}");
        }
        app.stop().await;
    }
);

both_backends!(no_exported_cell_is_a_formula, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let evil = "=HYPERLINK(\"http://evil.example\",\"Refurb\")";
    let s = seller(&app, SellerSpec::approved(evil)).await;
    listing(
        &app,
        s,
        "iphone-13-128gb",
        tradein::domain::grade::Grade::FunctionalGood,
        31_200,
        1_000,
    )
    .await;
    let consumer = customer(&app, "jane@example.com").await;
    let res = confirm(
        &app,
        &consumer,
        &confirm_form(&imei(1), 31_200, "key-formula-000001"),
    )
    .await;
    assert_eq!(res.status(), 200);
    let ops = ops_client(&app).await;
    let mut seen_evil = false;
    for path in [
        "/ops/refurbishers.csv",
        "/ops/export.csv?table=kpis",
        "/ops/export.csv?table=series",
        "/ops/export.csv?table=breakdown",
    ] {
        let res = ops.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let text = res.text().await.unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                assert!(
                    !risky || cell.parse::<f64>().is_ok(),
                    "{path}: a spreadsheet would run {cell:?}"
                );
                seen_evil |= cell == format!("'{evil}");
            }
        }
    }
    assert!(seen_evil, "the company name is exported, as text");
    app.stop().await;
});

both_backends!(
    a_json_body_that_does_not_read_is_a_bad_request,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _) = seller_with_login(&app, "Alpha Refurb").await;
        let res = seller
            .post(app.url("/api/price_match_apply"))
            .json(&serde_json::json!({ "lines": [{ "variant_id": "x" }] }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{:?}", res.text().await);
        app.stop().await;
    }
);
