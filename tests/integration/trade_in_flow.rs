//! The consumer flow against the real app on both databases.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use tradein::domain::dates::DAY_MS;
use tradein::domain::grade::Grade;
use tradein::domain::offer::Decision;
use tradein::domain::tracking::is_valid_tracking_number;
use tradein::features::trade_ins::service::{current_decision, run_deadlines, DeadlineReport};
use tradein::i18n::{Msg, Texts};
use tradein::platform::clock::Clock;

/// The French market's texts: these consumers are in France.
fn fr() -> Texts {
    Texts::of(tradein::domain::market::Market::FrFr)
}

const SKU: &str = "iphone-13-128gb";
const GRADE: Grade = Grade::FunctionalGood;

async fn decision(app: &TestApp) -> Decision {
    let v = variant_id(app, SKU).await;
    let mut conn = app.state.db.pool().acquire().await.unwrap();
    current_decision(
        &mut conn,
        tradein::domain::market::Market::FrFr,
        v,
        GRADE,
        app.clock.now_ms(),
    )
    .await
    .unwrap()
}

fn buyer(d: &Decision) -> (String, i64) {
    match d {
        Decision::Buy(c) => (c.seller_name.clone(), c.price.minor()),
        Decision::Recycle => ("recycle".into(), 0),
    }
}

both_backends!(
    best_offer_follows_eligibility_caps_and_ties,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        assert_eq!(decision(&app).await, Decision::Recycle, "nobody buys yet");

        let a = seller(
            &app,
            SellerSpec {
                quality: 600,
                ..SellerSpec::approved("Alpha Refurb")
            },
        )
        .await;
        let b = seller(
            &app,
            SellerSpec {
                quality: 900,
                ..SellerSpec::approved("Beta Refurb")
            },
        )
        .await;
        let paused = seller(&app, SellerSpec::approved("Paused Refurb")).await;
        let pending = seller(
            &app,
            SellerSpec {
                status: tradein::domain::seller::SellerStatus::Pending,
                ..SellerSpec::approved("Pending Refurb")
            },
        )
        .await;
        listing(&app, a, SKU, GRADE, 30_000, 1_000).await;
        listing(&app, b, SKU, GRADE, 30_000, 2_000).await;
        listing(&app, paused, SKU, GRADE, 50_000, 1_000).await;
        listing(&app, pending, SKU, GRADE, 60_000, 1_000).await;
        exec(
            &app,
            &format!("UPDATE sellers SET paused = 1 WHERE id = {paused}"),
        )
        .await;
        assert_eq!(
            buyer(&decision(&app).await),
            ("Beta Refurb".into(), 30_000),
            "tie goes to the better quality score"
        );

        exec(
            &app,
            &format!("UPDATE sellers SET quality_score = 600 WHERE id = {b}"),
        )
        .await;
        assert_eq!(
            buyer(&decision(&app).await).0,
            "Alpha Refurb",
            "then to the oldest price"
        );

        exec(
            &app,
            &format!("UPDATE sellers SET paused = 0 WHERE id = {paused}"),
        )
        .await;
        assert_eq!(
            buyer(&decision(&app).await),
            ("Paused Refurb".into(), 50_000),
            "un-paused, it competes again"
        );
        exec(
            &app,
            &format!("UPDATE listings SET active = 0 WHERE seller_id = {paused}"),
        )
        .await;
        assert_eq!(
            buyer(&decision(&app).await).0,
            "Alpha Refurb",
            "inactive listings drop out"
        );

        // A weekly cap of one: after one trade-in this week, the next seller wins;
        // the next ISO week it competes again.
        exec(
            &app,
            &format!("UPDATE listings SET weekly_cap = 1 WHERE seller_id = {a}"),
        )
        .await;
        let client = customer(&app, "jane@example.com").await;
        let res = confirm(
            &app,
            &client,
            &confirm_form(&imei(1), 30_000, "key-0000000000000001"),
        )
        .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert_eq!(
            buyer(&decision(&app).await).0,
            "Beta Refurb",
            "Alpha's listing cap is reached"
        );
        exec(
            &app,
            &format!("UPDATE sellers SET weekly_cap = 1 WHERE id = {b}"),
        )
        .await;
        exec(
            &app,
            &format!("UPDATE listings SET weekly_cap = NULL WHERE seller_id = {a}"),
        )
        .await;
        let res = confirm(
            &app,
            &client,
            &confirm_form(&imei(2), 30_000, "key-0000000000000002"),
        )
        .await;
        assert_eq!(res.status(), 200);
        let tids: Vec<(tradein::domain::ids::SellerId, String)> =
            sqlx::query_as("SELECT seller_id, state FROM trade_ins ORDER BY id")
                .fetch_all(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(
            tids[1].0, a,
            "Alpha (uncapped again, older price) bought the second"
        );
        exec(
            &app,
            &format!("UPDATE sellers SET weekly_cap = 2 WHERE id = {a}"),
        )
        .await;
        assert_eq!(
            buyer(&decision(&app).await).0,
            "Beta Refurb",
            "Alpha's seller cap (2 this week) is reached"
        );
        app.clock.advance_ms(7 * DAY_MS);
        assert_eq!(
            buyer(&decision(&app).await).0,
            "Alpha Refurb",
            "a new ISO week resets caps"
        );
        app.stop().await;
    }
);

both_backends!(confirming_issues_a_label_once, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
    listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
    let client = customer(&app, "jane@example.com").await;

    // The offer as the page shows it.
    let res = client
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
    let offer: serde_json::Value = res.json().await.unwrap();
    assert_eq!(offer["offer"]["Buy"]["price"]["minor"], 31_200);
    assert_eq!(app.count("offer_views").await, 1, "the view is recorded");

    let form = confirm_form(&imei(7), 31_200, "key-aaaaaaaaaaaaaaaa");
    let first = confirm(&app, &client, &form).await;
    assert_eq!(first.status(), 200);
    let id = redirected_id(&first);
    let again = confirm(&app, &client, &form).await;
    assert_eq!(
        redirected_id(&again),
        id,
        "a double submit lands on the same trade-in"
    );
    assert_eq!(app.count("trade_ins").await, 1);

    let (state, price, tracking, iban_masked, iban_enc): (String, i64, String, String, String) = sqlx::query_as(
        "SELECT t.state, t.price_minor, s.tracking_number, t.iban_masked, t.iban_encrypted FROM trade_ins t JOIN shipments s ON s.trade_in_id = t.id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(state, "label_issued");
    assert_eq!(price, 31_200);
    assert!(is_valid_tracking_number(&tracking), "{tracking}");
    assert_eq!(iban_masked, "FR14 •••• 2606");
    assert!(
        !iban_enc.contains("20041010"),
        "the IBAN is stored encrypted"
    );
    assert_eq!(
        app.state.secret.decrypt_iban(&iban_enc).as_deref(),
        Some(IBAN)
    );
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM trade_in_events WHERE trade_in_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(actions, ["Create", "IssueLabel"]);
    let kinds = tradein::platform::mail::repo::kinds_for_trade_in(
        app.state.db.pool(),
        tradein::domain::ids::TradeInId(id),
    )
    .await
    .unwrap();
    assert_eq!(kinds, ["confirmation"]);

    // The label is a PDF with the tracking number, for its owner only.
    let pdf = client
        .get(app.url(&format!("/trade-ins/{id}/label.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&bytes).contains(&tracking));

    // Mail goes out as .eml files when no SMTP server is configured, by the
    // job queued with it (the other job publishes the order's event to its
    // refurbisher's feed).
    let report = tradein::platform::jobs::run_due(&app.state).await.unwrap();
    assert_eq!((report.done, report.failed), (2, 0));
    let eml: Vec<_> = std::fs::read_dir(&app.state.config.mail_dir)
        .unwrap()
        .collect();
    assert_eq!(eml.len(), 1);
    let again = tradein::platform::jobs::run_due(&app.state).await.unwrap();
    assert_eq!(again, Default::default(), "sent once");
    app.stop().await;
});

both_backends!(
    bad_details_are_refused_field_by_field,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
        let client = customer(&app, "jane@example.com").await;
        let good = confirm_form(&imei(9), 31_200, "key-bbbbbbbbbbbbbbbb");
        let cases: Vec<(&'static str, &str, &str)> = vec![
            ("imei", "490154203237519", "imei"),
            ("imei", "12345", "imei"),
            ("iban", "DE89370400440532013001", "iban"),
            ("iban", "US64SVBKUS6S3300996738", "iban"),
            ("date_of_birth", "2015-01-01", "date_of_birth"),
            ("date_of_birth", "1990-02-30", "date_of_birth"),
            ("postcode", "7500", "postcode"),
            ("country", "US", "country"),
            ("activation_lock_off", "", "activation_lock_off"),
            ("works", "maybe", "works"),
            ("variant", "iphone-13-64gb", "variant"),
        ];
        for (key, value, field) in cases {
            let res = confirm(&app, &client, &with(good.clone(), key, value)).await;
            assert_eq!(res.status(), 422, "{key}={value}");
            let body: serde_json::Value = res.json().await.unwrap();
            let fields: Vec<&str> = body["Invalid"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["field"].as_str().unwrap())
                .collect();
            assert!(fields.contains(&field), "{key}={value}: {fields:?}");
        }
        // A tampered price is never locked: the page must show the new offer.
        let res = confirm(
            &app,
            &client,
            &with(good.clone(), "shown_price_minor", "99999"),
        )
        .await;
        assert_eq!(res.status(), 409);
        assert_eq!(app.count("trade_ins").await, 0);
        assert_eq!(app.count("shipments").await, 0);
        assert_eq!(app.count("outbox").await, 0);

        // Sellers and visitors cannot confirm trade-ins.
        let anon = app.client();
        assert_eq!(confirm(&app, &anon, &good).await.status(), 401);
        app.stop().await;
    }
);

both_backends!(
    blocklisted_or_busy_imeis_stop_before_any_label,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
        let stolen = imei(11);
        tradein::features::trade_ins::service::add_to_blocklist(
            app.state.db.pool(),
            &stolen,
            "reported stolen",
            None,
            0,
        )
        .await
        .unwrap();
        let jane = customer(&app, "jane@example.com").await;
        let res = confirm(
            &app,
            &jane,
            &confirm_form(&stolen, 31_200, "key-cccccccccccccccc"),
        )
        .await;
        assert_eq!(res.status(), 422);
        // In the sell page's market's language: France's, for this client.
        assert!(res.text().await.unwrap().contains("déclaré perdu ou volé"));
        assert_eq!(app.count("trade_ins").await, 0);
        assert_eq!(app.count("shipments").await, 0);

        let busy = imei(12);
        assert_eq!(
            confirm(
                &app,
                &jane,
                &confirm_form(&busy, 31_200, "key-dddddddddddddddd")
            )
            .await
            .status(),
            200
        );
        let max = customer(&app, "max@example.com").await;
        let res = confirm(
            &app,
            &max,
            &confirm_form(&busy, 31_200, "key-eeeeeeeeeeeeeeee"),
        )
        .await;
        assert_eq!(res.status(), 422);
        let text = res.text().await.unwrap();
        assert!(
            text.contains("déjà l’objet d’une reprise en cours"),
            "{text}"
        );
        assert!(
            !text.contains("TI-"),
            "another person's reference is not revealed"
        );
        assert_eq!(app.count("trade_ins").await, 1);
        app.stop().await;
    }
);

both_backends!(trade_ins_are_private_to_their_owner, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
    listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
    let jane = customer(&app, "jane@example.com").await;
    let id = redirected_id(
        &confirm(
            &app,
            &jane,
            &confirm_form(&imei(21), 31_200, "key-ffffffffffffffff"),
        )
        .await,
    );
    let max = customer(&app, "max@example.com").await;
    let id_s = id.to_string();
    assert_eq!(
        app.call(&max, "trade_in_detail", &[("id", &id_s)])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.call(&max, "mark_shipped", &[("id", &id_s)])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.call(&max, "cancel_trade_in", &[("id", &id_s)])
            .await
            .status(),
        404
    );
    assert_eq!(
        max.get(app.url(&format!("/trade-ins/{id}/label.pdf")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        max.get(app.url(&format!("/trade-ins/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        app.client()
            .get(app.url(&format!("/trade-ins/{id}/label.pdf")))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let state: String = sqlx::query_scalar("SELECT state FROM trade_ins WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(state, "label_issued");
    // The owner sees the page.
    let page = jane
        .get(app.url(&format!("/trade-ins/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    // In the visitor's market's language: France's, for a browser that
    // names neither a market nor a language.
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("/trade-ins/{id}/label.pdf")),
        "{html}"
    );
    assert!(html.contains("Expédiez votre appareil"), "{html}");
    app.stop().await;
});

both_backends!(
    shipping_and_cancelling_follow_the_state_machine,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
        let jane = customer(&app, "jane@example.com").await;
        let a = redirected_id(
            &confirm(
                &app,
                &jane,
                &confirm_form(&imei(31), 31_200, "key-gggggggggggggggg"),
            )
            .await,
        )
        .to_string();
        let b = redirected_id(
            &confirm(
                &app,
                &jane,
                &confirm_form(&imei(32), 31_200, "key-hhhhhhhhhhhhhhhh"),
            )
            .await,
        )
        .to_string();

        assert_eq!(
            app.call(&jane, "mark_shipped", &[("id", &a)])
                .await
                .status(),
            200
        );
        assert_eq!(
            app.call(&jane, "mark_shipped", &[("id", &a)])
                .await
                .status(),
            200,
            "repeating is harmless"
        );
        let res = app.call(&jane, "cancel_trade_in", &[("id", &a)]).await;
        assert_eq!(res.status(), 409, "too late to cancel once shipped");
        assert_eq!(
            app.call(&jane, "cancel_trade_in", &[("id", &b)])
                .await
                .status(),
            200
        );
        let states: Vec<String> = sqlx::query_scalar("SELECT state FROM trade_ins ORDER BY id")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(states, ["shipped", "cancelled"]);
        // The cancelled one gave its IMEI back: it can be traded in again.
        let again = confirm(
            &app,
            &jane,
            &confirm_form(&imei(32), 31_200, "key-iiiiiiiiiiiiiiii"),
        )
        .await;
        assert_eq!(again.status(), 200);
        app.stop().await;
    }
);

both_backends!(
    deadlines_warn_then_expire_exactly_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
        let jane = customer(&app, "jane@example.com").await;
        let id = redirected_id(
            &confirm(
                &app,
                &jane,
                &confirm_form(&imei(41), 31_200, "key-jjjjjjjjjjjjjjjj"),
            )
            .await,
        );
        let shipped = redirected_id(
            &confirm(
                &app,
                &jane,
                &confirm_form(&imei(42), 31_200, "key-kkkkkkkkkkkkkkkk"),
            )
            .await,
        );
        app.call(&jane, "mark_shipped", &[("id", &shipped.to_string())])
            .await;

        app.clock.advance_ms(10 * DAY_MS);
        assert_eq!(
            run_deadlines(&app.state).await.unwrap(),
            DeadlineReport::default(),
            "nothing due yet"
        );
        app.clock.advance_ms(DAY_MS + 60_000);
        assert_eq!(
            run_deadlines(&app.state).await.unwrap(),
            DeadlineReport {
                warned: 1,
                ..Default::default()
            }
        );
        assert_eq!(
            run_deadlines(&app.state).await.unwrap(),
            DeadlineReport::default(),
            "warned once"
        );
        app.clock.advance_ms(3 * DAY_MS);
        assert_eq!(
            run_deadlines(&app.state).await.unwrap(),
            DeadlineReport {
                expired: 1,
                ..Default::default()
            }
        );
        assert_eq!(
            run_deadlines(&app.state).await.unwrap(),
            DeadlineReport::default(),
            "idempotent"
        );
        let states: Vec<String> = sqlx::query_scalar("SELECT state FROM trade_ins ORDER BY id")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(states, ["expired", "shipped"]);
        let kinds = tradein::platform::mail::repo::kinds_for_trade_in(
            app.state.db.pool(),
            tradein::domain::ids::TradeInId(id),
        )
        .await
        .unwrap();
        assert_eq!(kinds, ["confirmation", "expiry_warning", "expired"]);
        let actor: String = sqlx::query_scalar(
            "SELECT actor_role FROM trade_in_events WHERE trade_in_id = $1 AND action = 'Expire'",
        )
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(actor, "system");
        app.stop().await;
    }
);

both_backends!(nobody_buying_means_free_recycling, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let jane = customer(&app, "jane@example.com").await;
    let form = with(
        with(
            confirm_form(&imei(51), 0, "key-llllllllllllllll"),
            "iban",
            "",
        ),
        "account_holder",
        "",
    );
    let res = confirm(&app, &jane, &form).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let (recycling, price, kind): (i64, i64, String) =
        sqlx::query_as("SELECT t.recycling, t.price_minor, s.kind FROM trade_ins t JOIN sellers s ON s.id = t.seller_id").fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!((recycling, price, kind.as_str()), (1, 0, "recycler"));
    assert_eq!(app.count("shipments").await, 1, "same label flow as a sale");
    app.stop().await;
});

both_backends!(cancelling_gives_the_cap_unit_back, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let s = seller(
        &app,
        SellerSpec {
            weekly_cap: Some(1),
            ..SellerSpec::approved("Alpha Refurb")
        },
    )
    .await;
    listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
    let jane = customer(&app, "jane@example.com").await;
    let id = redirected_id(
        &confirm(
            &app,
            &jane,
            &confirm_form(&imei(61), 31_200, "key-cap-00000000001"),
        )
        .await,
    );
    assert_eq!(
        decision(&app).await,
        Decision::Recycle,
        "the only buyer's weekly cap is used up"
    );
    assert_eq!(
        app.call(&jane, "cancel_trade_in", &[("id", &id.to_string())])
            .await
            .status(),
        200
    );
    assert_eq!(
        buyer(&decision(&app).await).0,
        "Alpha Refurb",
        "the cancelled trade-in gave its unit back"
    );
    app.stop().await;
});

both_backends!(
    offers_shown_at_once_are_all_recorded,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
        let client = reqwest::Client::new();
        let page = app.url(&format!("/fr-fr/sell/smartphones/apple/iphone-13/offer?variant={SKU}&works=yes&screen=light_scratches&body=flawless"));
        // Many consumers at once: the views reach the table in a few batches,
        // none lost, each with the refurbisher and price that was shown.
        let mut shown = tokio::task::JoinSet::new();
        for _ in 0..60 {
            let (client, page) = (client.clone(), page.clone());
            shown.spawn(async move {
                let res = client.get(page).send().await.unwrap();
                // The offer streams after the headers: read it all, as a browser does.
                let status = res.status();
                assert!(res.text().await.unwrap().contains("Alpha Refurb"));
                status
            });
        }
        while let Some(status) = shown.join_next().await {
            assert_eq!(status.unwrap(), 200);
        }
        assert_eq!(app.count("offer_views").await, 60);
        let rows: Vec<(Option<i64>, Option<i64>)> =
            sqlx::query_as("SELECT seller_id, price_minor FROM offer_views")
                .fetch_all(app.state.db.pool())
                .await
                .unwrap();
        assert!(
            rows.iter().all(|r| *r == (Some(s.get()), Some(31_200))),
            "{rows:?}"
        );
        app.stop().await;
    }
);

// The offer page keeps its reading of the market in memory for a moment
// (server::offer_cache); every change made through the app shows on the
// very next offer all the same.
both_backends!(
    the_offer_page_shows_every_market_change_at_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let page = app.url(&format!("/fr-fr/sell/smartphones/apple/iphone-13/offer?variant={SKU}&works=yes&screen=light_scratches&body=flawless"));
        let shown = || async { reqwest::get(&page).await.unwrap().text().await.unwrap() };
        let alpha = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        let beta = seller(
            &app,
            SellerSpec {
                weekly_cap: Some(1),
                ..SellerSpec::approved("Beta Refurb")
            },
        )
        .await;
        assert!(
            shown().await.contains(fr().get(Msg::OfferFreeRecycling)),
            "nobody buys yet"
        );
        listing(&app, alpha, SKU, GRADE, 30_000, 1_000).await;
        listing(&app, beta, SKU, GRADE, 32_000, 1_000).await;
        let page_now = shown().await;
        assert!(
            page_now.contains("320,00\u{a0}€")
                && page_now.contains(&fr().fill(Msg::OfferFromBuyer, &[("buyer", &"Beta Refurb")])),
            "new listings show at once"
        );

        // A saved price.
        let v = variant_id(&app, SKU).await;
        let mut tx = app.state.db.write_tx().await.unwrap();
        let version: i64 = sqlx::query_scalar("SELECT version FROM listings WHERE seller_id = $1")
            .bind(alpha)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let user: tradein::domain::ids::UserId =
            sqlx::query_scalar("SELECT user_id FROM sellers WHERE id = $1")
                .bind(alpha)
                .fetch_one(&mut *tx)
                .await
                .unwrap();
        let saved = tradein::features::pricing::service::save(
            &mut tx,
            tradein::features::pricing::service::CellWrite {
                key: tradein::features::pricing::service::CellKey {
                    seller_id: alpha,
                    market: tradein::domain::market::Market::FrFr,
                    variant_id: v,
                    grade: GRADE,
                },
                price: Some(tradein::domain::money::Money::eur(33_000)),
                expected_version: Some(version),
                changed_by: user,
                source: tradein::features::pricing::service::Source::Grid,
            },
            app.clock.now_ms(),
        )
        .await
        .unwrap();
        assert!(matches!(
            saved,
            tradein::features::pricing::service::Saved::Saved { .. }
        ));
        tx.commit().await.unwrap();
        let page_now = shown().await;
        assert!(
            page_now.contains("330,00\u{a0}€")
                && page_now
                    .contains(&fr().fill(Msg::OfferFromBuyer, &[("buyer", &"Alpha Refurb")])),
            "a saved price shows at once"
        );

        // A paused seller.
        tradein::features::sellers::service::set_buying(app.state.db.pool(), alpha, true, None)
            .await
            .unwrap();
        assert!(
            shown()
                .await
                .contains(&fr().fill(Msg::OfferFromBuyer, &[("buyer", &"Beta Refurb")])),
            "a paused seller drops out at once"
        );

        // A trade-in takes Beta's one unit this week; cancelling gives it back.
        let jane = customer(&app, "jane@example.com").await;
        let id = redirected_id(
            &confirm(
                &app,
                &jane,
                &confirm_form(&imei(71), 32_000, "key-cache-000000001"),
            )
            .await,
        );
        assert!(
            shown().await.contains(fr().get(Msg::OfferFreeRecycling)),
            "a reached weekly cap shows at once"
        );
        assert_eq!(
            app.call(&jane, "cancel_trade_in", &[("id", &id.to_string())])
                .await
                .status(),
            200
        );
        assert!(
            shown()
                .await
                .contains(&fr().fill(Msg::OfferFromBuyer, &[("buyer", &"Beta Refurb")])),
            "a unit given back shows at once"
        );

        // A suspension by the operations team.
        assert!(tradein::features::sellers::service::change_status(
            app.state.db.pool(),
            beta,
            tradein::domain::seller::SellerStatus::Approved,
            tradein::domain::seller::SellerStatus::Suspended,
            user,
            "test",
            app.clock.now_ms()
        )
        .await
        .unwrap());
        assert!(
            shown().await.contains(fr().get(Msg::OfferFreeRecycling)),
            "a suspended seller drops out at once"
        );
        app.stop().await;
    }
);

// Offer pages for visitors not signed in are kept as rendered for a moment
// (server::page_cache): each one sent must still carry its own nonce and
// request id, count as an offer shown, and never reach a signed-in person.
both_backends!(
    kept_offer_pages_are_each_visitors_own,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
        let page = app.url(&format!("/fr-fr/sell/smartphones/apple/iphone-13/offer?variant={SKU}&works=yes&screen=light_scratches&body=flawless"));
        let fetch = |client: reqwest::Client| {
            let page = page.clone();
            async move {
                let res = client.get(page).send().await.unwrap();
                assert_eq!(res.status(), 200);
                let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
                let csp = res.headers()["content-security-policy"]
                    .to_str()
                    .unwrap()
                    .to_string();
                let nonce = csp
                    .split("'nonce-")
                    .nth(1)
                    .and_then(|s| s.split('\'').next())
                    .unwrap()
                    .to_string();
                assert!(
                    res.headers()
                        .get(tradein::platform::http::page_cache::REPLAY_HEADER)
                        .is_none(),
                    "the internal header stays inside"
                );
                (id, nonce, res.text().await.unwrap())
            }
        };
        let (id1, nonce1, html1) = fetch(reqwest::Client::new()).await;
        let (id2, nonce2, html2) = fetch(reqwest::Client::new()).await;
        assert!(
            html2.contains("312,00\u{a0}€")
                && html2.contains(&format!(
                    "<title>{}",
                    fr().fill(Msg::OfferTitle, &[("device", &"Apple iPhone 13")])
                )),
            "the kept page is whole, title included"
        );
        assert_ne!((&id1, &nonce1), (&id2, &nonce2));
        assert!(html1.contains(&id1) && html1.contains(&format!("nonce=\"{nonce1}\"")));
        assert!(
            html2.contains(&id2) && html2.contains(&format!("nonce=\"{nonce2}\"")),
            "the second page carries its own request id and nonce"
        );
        assert!(
            !html2.contains(&id1) && !html2.contains(&nonce1),
            "nothing of the first response is left in the second"
        );
        assert_eq!(
            app.count("offer_views").await,
            2,
            "each page sent is an offer shown"
        );

        // Signed in, the same address is rendered for the person.
        let jane = customer(&app, "jane@example.com").await;
        let (_, _, mine) = fetch(jane).await;
        // The button, not the text: the page carries its language's texts.
        let sign_out = format!(">{}</button>", fr().get(Msg::NavSignOut));
        assert!(
            mine.contains(&sign_out) && !html2.contains(&sign_out),
            "a signed-in visitor never gets a kept anonymous page"
        );
        assert_eq!(app.count("offer_views").await, 3);
        app.stop().await;
    }
);
