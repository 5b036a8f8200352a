use crate::both_backends;
use crate::harness::TestApp;

both_backends!(health_reports_database_state, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok\n");
    // With the database gone the check must fail loudly, not hang.
    app.state.db.close().await;
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), 503);
    app.stop().await;
});

both_backends!(
    home_page_is_server_rendered_with_the_catalog,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = reqwest::get(app.url("/fr-fr")).await.unwrap();
        assert_eq!(res.status(), 200);
        let headers = res.headers().clone();
        let html = res.text().await.unwrap();
        // Content is in the HTML itself, before any script runs.
        // In France, in French.
        let fr = tradein::i18n::Texts::of(tradein::domain::market::Market::FrFr);
        let label = format!(
            r#"<label for="device-search">{}</label>"#,
            fr.get(tradein::i18n::Msg::SearchLabel)
        );
        assert!(html.contains(&label), "search label missing");
        for category in tradein::domain::catalog::Category::ALL {
            let name = fr.category(category);
            assert!(html.contains(name), "{name} missing from the home page");
        }
        let newest: String = sqlx::query_scalar("SELECT name FROM models ORDER BY release_year DESC, launch_price_minor DESC, id LIMIT 1")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert!(html.contains(&newest), "newest model {newest} missing");

        // The page's CSP names the nonce its hydration script carries.
        let csp = headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .expect("nonce in CSP");
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "script nonce differs from CSP"
        );
        // One stylesheet, in the head the server renders (app::stylesheet): by
        // its plain name here, as a debug build does not hash file names.
        let head = html.split("</head>").next().unwrap();
        assert_eq!(
            html.matches(r#"rel="stylesheet""#).count(),
            1,
            "one stylesheet link"
        );
        assert!(
            head.contains(r#"<link rel="stylesheet" id="app-css" href="/pkg/tradein.css">"#),
            "stylesheet link missing from the head"
        );
        // Sent whole, with its length, not streamed in pieces (server::whole_pages).
        let length = headers
            .get("content-length")
            .expect("a page is sent with its length")
            .to_str()
            .unwrap();
        assert_eq!(length.parse::<usize>().unwrap(), html.len());
        // The hydration scripts are rendered once per process (server::hydration);
        // each page must still carry its own nonce, and no other.
        let again = reqwest::get(app.url("/fr-fr")).await.unwrap();
        let csp_again = again
            .headers()
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let nonce_again = csp_again
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap()
            .to_string();
        let html_again = again.text().await.unwrap();
        assert_ne!(nonce, nonce_again, "a nonce is used once");
        assert!(
            html_again.contains(&format!("nonce=\"{nonce_again}\"")),
            "the second page's scripts carry its nonce"
        );
        assert!(
            !html_again.contains(nonce),
            "the second page carries the first page's nonce"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(
            headers.get("referrer-policy").unwrap(),
            "strict-origin-when-cross-origin"
        );
        assert_eq!(headers.get("x-frame-options").unwrap(), "DENY");
        // Per person and per nonce: no shared cache may keep a page.
        assert_eq!(headers.get("cache-control").unwrap(), "private, no-cache");
        assert!(headers.get("x-request-id").is_some());
        app.stop().await;
    }
);

both_backends!(
    unknown_pages_are_404_with_a_request_reference,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = reqwest::get(app.url("/no/such/page")).await.unwrap();
        assert_eq!(res.status(), 404);
        let id = res
            .headers()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let html = res.text().await.unwrap();
        // A visitor with no market yet is in France's.
        let fr = tradein::i18n::Texts::of(tradein::domain::market::Market::FrFr);
        assert!(html.contains(fr.get(tradein::i18n::Msg::PageNotFound)));
        assert!(
            html.contains(r#"id="app-css""#),
            "an error page is styled too"
        );
        assert!(
            html.contains(&id),
            "the page should quote its request id {id}"
        );
        app.stop().await;
    }
);

both_backends!(search_finds_models_by_words, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let html = reqwest::get(app.url("/fr-fr/search?q=iphone+13"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("iPhone 13 Pro Max"), "search results missing");
    let html = reqwest::get(app.url("/fr-fr/search?category=consoles"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<span class="model-name">PlayStation 5</span>"#));
    assert!(
        !html.contains(r#"<span class="model-name">iPhone"#),
        "only consoles"
    );
    app.stop().await;
});

// Model pages, the home page and search read the catalog from memory
// (server::catalog_cache); a catalog write must show on the next request.
both_backends!(
    catalog_pages_follow_a_catalog_change,
    |backend| async move {
        use tradein::features::catalog::service as catalog;
        let app = TestApp::spawn(backend).await;
        let page = app.url("/fr-fr/sell/smartphones/apple/iphone-13");
        let before = reqwest::get(&page).await.unwrap().text().await.unwrap();
        assert!(
            before.contains("128 GB"),
            "the model page lists its storage"
        );
        assert!(!before.contains("3 TB"));
        let home_before = reqwest::get(app.url("/fr-fr"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();

        let model_id: i64 = sqlx::query_scalar("SELECT id FROM models WHERE slug = 'iphone-13'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        let mut conn = app.state.db.pool().acquire().await.unwrap();
        catalog::upsert_variant(
            &mut conn,
            model_id,
            "iphone-13-3tb-test",
            3072,
            "",
            99,
            Default::default(),
        )
        .await
        .unwrap();
        let brand_id: i64 = sqlx::query_scalar("SELECT id FROM brands WHERE slug = 'apple'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let category_id: i64 =
            sqlx::query_scalar("SELECT id FROM categories WHERE slug = 'smartphones'")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        let new_model = catalog::ModelRow {
            category_id,
            brand_id,
            slug: "iphone-99-test",
            name: "iPhone 99 Test",
            release_year: 2099,
            launch_price: tradein::domain::money::Money::eur(1),
        };
        let new_model_id = catalog::upsert_model(&mut conn, &new_model).await.unwrap();
        // A model is listed where one of its variants is sold.
        catalog::upsert_variant(
            &mut conn,
            new_model_id,
            "iphone-99-test-128gb",
            128,
            "",
            1,
            Default::default(),
        )
        .await
        .unwrap();
        drop(conn);

        let after = reqwest::get(&page).await.unwrap().text().await.unwrap();
        assert!(
            after.contains("3 TB"),
            "a variant added to a model already shown appears at once"
        );
        let home_after = reqwest::get(app.url("/fr-fr"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !home_before.contains("iPhone 99 Test") && home_after.contains("iPhone 99 Test"),
            "the home page shows the newest model"
        );
        let found = reqwest::get(app.url("/fr-fr/search?q=iphone+99+test"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            found.contains("iPhone 99 Test"),
            "search finds the new model"
        );
        app.stop().await;
    }
);
