//! The refurbisher's side: every path through the state table, on both
//! databases, through the real HTTP endpoints.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use tradein::domain::dates::DAY_MS;
use tradein::domain::grade::Grade;
use tradein::platform::clock::Clock;

const SKU: &str = "iphone-13-128gb";

/// A seller with a price for the declared grade and a lower one for a worse
/// grade, and a consumer who confirmed one trade-in: (seller, customer, id, imei).
async fn setup(app: &TestApp, n: u64) -> (reqwest::Client, reqwest::Client, i64, String) {
    let (seller, seller_id) = seller_with_login(app, &format!("Alpha Refurb {n}")).await;
    listing(app, seller_id, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
    listing(app, seller_id, SKU, Grade::FunctionalCracked, 15_000, 1_000).await;
    let customer = customer(app, &format!("jane{n}@example.com")).await;
    let device = imei(100 + n);
    let res = confirm(
        app,
        &customer,
        &confirm_form(&device, 31_200, &format!("key-setup-{n:012}")),
    )
    .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    (seller, customer, redirected_id(&res), device)
}

async fn inspect(
    app: &TestApp,
    seller: &reqwest::Client,
    id: i64,
    imei: &str,
    screen: &str,
) -> reqwest::Response {
    let id = id.to_string();
    app.call(
        seller,
        "inspect_order",
        &[
            ("id", &id),
            ("imei_found", imei),
            ("works", "yes"),
            ("screen", screen),
            ("body", "flawless"),
        ],
    )
    .await
}

async fn act(app: &TestApp, client: &reqwest::Client, id: i64, action: &str) -> reqwest::Response {
    act_with(app, client, id, &[("action", action)]).await
}

async fn act_with(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let id = id.to_string();
    let mut form = vec![("id", id.as_str())];
    form.extend_from_slice(fields);
    app.call(client, "order_action", &form).await
}

both_backends!(
    receive_inspect_validate_and_pay_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, customer, id, device) = setup(&app, 1).await;
        assert_eq!(
            act(&app, &seller, id, "confirm_payment").await.status(),
            409,
            "not before validation"
        );

        let tracking = tracking_of(&app, id).await;
        let res = app
            .call(
                &seller,
                "receive_parcel",
                &[("code", &tracking.to_lowercase())],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(state_of(&app, id).await, "received");
        assert_eq!(
            app.call(&seller, "receive_parcel", &[("code", "TI000000000LC")])
                .await
                .status(),
            422
        );

        let res = inspect(&app, &seller, id, &device, "flawless").await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.json::<serde_json::Value>().await.unwrap(),
            "Validated",
            "better than declared: validated"
        );
        assert_eq!(state_of(&app, id).await, "validated");
        assert_eq!(
            act(&app, &seller, id, "validate").await.status(),
            200,
            "a double click on validate changes nothing"
        );

        // Two concurrent clicks, then a retry: one payment.
        let (a, b) = tokio::join!(
            act(&app, &seller, id, "confirm_payment"),
            act(&app, &seller, id, "confirm_payment")
        );
        assert_eq!(
            (a.status(), b.status()),
            (reqwest::StatusCode::OK, reqwest::StatusCode::OK)
        );
        assert_eq!(
            act(&app, &seller, id, "confirm_payment").await.status(),
            200
        );
        assert_eq!(state_of(&app, id).await, "paid");
        let (state, amount, reference): (String, i64, String) = sqlx::query_as(
            "SELECT state, amount_minor, provider_ref FROM payouts WHERE trade_in_id = $1",
        )
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!((state.as_str(), amount), ("sent", 31_200));
        assert!(reference.starts_with("LEDGER-"));
        let kinds = tradein::platform::mail::repo::kinds_for_trade_in(
            app.state.db.pool(),
            tradein::domain::ids::TradeInId(id),
        )
        .await
        .unwrap();
        assert_eq!(kinds, ["confirmation", "received", "validated", "paid"]);
        let pays: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM trade_in_events WHERE trade_in_id = $1 AND action = 'ConfirmPayment'").bind(id).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(pays, 1);

        // The consumer sees it paid; the ledger settles a business day later.
        let view: serde_json::Value = app
            .call(&customer, "trade_in_detail", &[("id", &id.to_string())])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["state"], "Paid");
        assert_eq!(view["payout"]["state"], "sent");
        app.clock.advance_ms(4 * DAY_MS);
        assert_eq!(
            tradein::features::orders::service::settle_payouts(&app.state)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            tradein::features::orders::service::settle_payouts(&app.state)
                .await
                .unwrap(),
            0
        );
        app.stop().await;
    }
);

both_backends!(
    counter_offer_with_photo_accepted_or_declined,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, customer, id, device) = setup(&app, 2).await;
        app.call(
            &seller,
            "receive_parcel",
            &[("code", &tracking_of(&app, id).await)],
        )
        .await;
        let res = inspect(&app, &seller, id, &device, "cracked").await;
        let outcome: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            outcome["Worse"]["suggested_price"]["minor"], 15_000,
            "the seller's own price for the grade found"
        );
        assert_eq!(state_of(&app, id).await, "inspecting");

        // Refused: above the locked price, no photo, not an image, too large.
        let png = photo_fixture("text.png");
        for (price, reasons, photos, why) in [
            (
                "400",
                vec!["screen"],
                vec![("p.png", png.clone())],
                "higher than accepted",
            ),
            ("150", vec!["screen"], vec![], "no photo"),
            ("150", vec![], vec![("p.png", png.clone())], "no reason"),
            (
                "150",
                vec!["screen"],
                vec![("x.png", b"<html>not an image</html>".to_vec())],
                "not an image",
            ),
            (
                "150",
                vec!["screen"],
                vec![("big.jpg", vec![0xFF; 5 * 1024 * 1024 + 10])],
                "too large",
            ),
            (
                "150.555",
                vec!["screen"],
                vec![("p.png", png.clone())],
                "fractional cents",
            ),
            ("0", vec!["screen"], vec![("p.png", png.clone())], "nothing"),
            (
                "0.99",
                vec!["screen"],
                vec![("p.png", png.clone())],
                "below the smallest offer",
            ),
        ] {
            let res = upload_counter_offer(&app, &seller, id, price, &reasons, photos).await;
            assert_eq!(res.status(), 422, "{why}");
            let page = res.text().await.unwrap();
            assert!(
                page.contains("Please correct the highlighted fields.")
                    && page.contains(&format!(r#"value="{price}""#)),
                "{why}: the order page again, with the price sent"
            );
            assert_eq!(
                state_of(&app, id).await,
                "inspecting",
                "{why}: nothing changed"
            );
        }
        assert_eq!(app.count("photos").await, 0);

        let res = upload_counter_offer(
            &app,
            &seller,
            id,
            "150",
            &["screen", "body"],
            vec![
                ("crack.png", png.clone()),
                ("exif.jpg", photo_fixture("exif.jpg")),
            ],
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("/seller/orders/{id}"));
        assert_eq!(state_of(&app, id).await, "counter_offered");
        assert_eq!(
            app.count("pending_uploads").await,
            5,
            "the photos of the refused forms that passed their checks wait for a day"
        );

        // The consumer sees the photos (stripped of their metadata); others do not.
        let view: serde_json::Value = app
            .call(&customer, "trade_in_detail", &[("id", &id.to_string())])
            .await
            .json()
            .await
            .unwrap();
        let urls: Vec<String> = view["counter_offer"]["photo_urls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_string())
            .collect();
        assert_eq!(urls.len(), 2);
        let jpeg = customer.get(app.url(&urls[1])).send().await.unwrap();
        assert_eq!(jpeg.headers()["content-type"], "image/jpeg");
        let bytes = jpeg.bytes().await.unwrap();
        assert!(bytes.starts_with(&[0xFF, 0xD8]));
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF stripped");
        let stranger = crate::fixtures::customer(&app, "stranger@example.com").await;
        assert_eq!(
            stranger
                .get(app.url(&urls[0]))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(
            app.client()
                .get(app.url(&urls[0]))
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
        assert_eq!(
            seller.get(app.url(&urls[0])).send().await.unwrap().status(),
            200
        );

        let res = app
            .call(
                &customer,
                "answer_counter_offer",
                &[("id", &id.to_string()), ("answer", "accept")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(state_of(&app, id).await, "validated");
        let amount: i64 =
            sqlx::query_scalar("SELECT amount_minor FROM payouts WHERE trade_in_id = $1")
                .bind(id)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(amount, 15_000, "paid at the new price");
        assert_eq!(
            app.call(
                &customer,
                "answer_counter_offer",
                &[("id", &id.to_string()), ("answer", "decline")]
            )
            .await
            .status(),
            409
        );

        // A second trade-in: declined, so a free return label is issued.
        let device2 = imei(777);
        let id2 = redirected_id(
            &confirm(
                &app,
                &customer,
                &confirm_form(&device2, 31_200, "key-second-0000001"),
            )
            .await,
        );
        app.call(
            &seller,
            "receive_parcel",
            &[("code", &tracking_of(&app, id2).await)],
        )
        .await;
        inspect(&app, &seller, id2, &device2, "cracked").await;
        upload_counter_offer(
            &app,
            &seller,
            id2,
            "120",
            &["screen"],
            vec![("p.png", png.clone())],
        )
        .await;
        let res = app
            .call(
                &customer,
                "answer_counter_offer",
                &[("id", &id2.to_string()), ("answer", "decline")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(state_of(&app, id2).await, "return_requested");
        let label = seller
            .get(app.url(&format!("/trade-ins/{id2}/return-label.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(label.status(), 200);
        assert!(label.bytes().await.unwrap().starts_with(b"%PDF-"));
        assert_eq!(
            act(&app, &seller, id2, "return_delivered").await.status(),
            200
        );
        assert_eq!(state_of(&app, id2).await, "returned");
        app.stop().await;
    }
);

both_backends!(
    wrong_imei_suspends_and_the_device_goes_back,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, customer, id, _) = setup(&app, 3).await;
        app.call(
            &seller,
            "receive_parcel",
            &[("code", &tracking_of(&app, id).await)],
        )
        .await;
        let res = inspect(&app, &seller, id, &imei(999), "flawless").await;
        assert_eq!(
            res.json::<serde_json::Value>().await.unwrap()["Suspended"],
            "The IMEI does not match the one declared"
        );
        assert_eq!(state_of(&app, id).await, "suspended");
        let view: serde_json::Value = app
            .call(&customer, "trade_in_detail", &[("id", &id.to_string())])
            .await
            .json()
            .await
            .unwrap();
        // In the visitor's market's language: France's, for a client that
        // names neither.
        let (why, todo) = tradein::i18n::Texts::of(tradein::domain::market::Market::FrFr)
            .on_hold(tradein::domain::sla::SuspendReason::ImeiMismatch);
        assert_eq!(view["on_hold"][0], why);
        assert_eq!(view["on_hold"][1], todo);
        assert_eq!(act(&app, &seller, id, "return").await.status(), 200);
        assert_eq!(state_of(&app, id).await, "return_requested");
        app.stop().await;
    }
);

both_backends!(
    unanswered_counter_offers_return_the_device,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _customer, id, device) = setup(&app, 4).await;
        app.call(
            &seller,
            "receive_parcel",
            &[("code", &tracking_of(&app, id).await)],
        )
        .await;
        inspect(&app, &seller, id, &device, "cracked").await;
        upload_counter_offer(
            &app,
            &seller,
            id,
            "150",
            &["screen"],
            vec![("p.png", photo_fixture("text.png"))],
        )
        .await;
        app.clock.advance_ms(6 * DAY_MS);
        assert_eq!(
            tradein::features::trade_ins::service::run_deadlines(&app.state)
                .await
                .unwrap()
                .counter_offers_returned,
            0
        );
        app.clock.advance_ms(DAY_MS + 1);
        assert_eq!(
            tradein::features::trade_ins::service::run_deadlines(&app.state)
                .await
                .unwrap()
                .counter_offers_returned,
            1
        );
        assert_eq!(
            tradein::features::trade_ins::service::run_deadlines(&app.state)
                .await
                .unwrap()
                .counter_offers_returned,
            0
        );
        assert_eq!(
            state_of(&app, id).await,
            "return_requested",
            "silence never accepts a lower price"
        );
        app.stop().await;
    }
);

both_backends!(sellers_only_touch_their_own_orders, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let (seller, customer, id, device) = setup(&app, 5).await;
    let (other, _) = seller_with_login(&app, "Other Refurb").await;
    let ids = id.to_string();
    assert_eq!(
        app.call(&other, "seller_order", &[("id", &ids)])
            .await
            .status(),
        404
    );
    assert_eq!(
        inspect(&app, &other, id, &device, "flawless")
            .await
            .status(),
        404
    );
    assert_eq!(act(&app, &other, id, "validate").await.status(), 404);
    assert_eq!(
        app.call(
            &other,
            "receive_parcel",
            &[("code", &tracking_of(&app, id).await)]
        )
        .await
        .status(),
        422
    );
    assert_eq!(
        upload_counter_offer(&app, &other, id, "10", &["screen"], vec![])
            .await
            .status(),
        404
    );
    assert_eq!(
        other
            .get(app.url(&format!("/trade-ins/{id}/label.pdf")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // Consumers cannot act as sellers; sellers cannot answer for consumers.
    assert_eq!(act(&app, &customer, id, "validate").await.status(), 403);
    assert_eq!(
        app.call(
            &seller,
            "answer_counter_offer",
            &[("id", &ids), ("answer", "accept")]
        )
        .await
        .status(),
        404
    );
    assert_eq!(state_of(&app, id).await, "label_issued");
    // The right seller sees it in its queue, findable by IMEI.
    let page: serde_json::Value = app
        .call(&seller, "seller_orders", &[("q", &device)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);
    let page: serde_json::Value = app
        .call(&other, "seller_orders", &[("q", &device)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"].as_array().unwrap().len(), 0);
    app.stop().await;
});

both_backends!(sla_clocks_mark_overdue_inspections, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let (seller, _customer, id, _) = setup(&app, 6).await;
    app.call(
        &seller,
        "receive_parcel",
        &[("code", &tracking_of(&app, id).await)],
    )
    .await;
    let page: serde_json::Value = app
        .call(&seller, "seller_orders", &[("tab", "to_inspect")])
        .await
        .json()
        .await
        .unwrap();
    let row = &page["rows"][0];
    assert_eq!(row["due"]["label"], "Inspect by");
    assert_eq!(row["due"]["overdue"], false);
    // Received on a Monday (the test clock's start): due Wednesday.
    let due = row["due"]["at"]["ms"].as_i64().unwrap();
    assert_eq!(
        tradein::domain::dates::Date::from_unix_ms(due).to_string(),
        "2026-03-04"
    );
    app.clock.set_ms(due + 1);
    let page: serde_json::Value = app
        .call(&seller, "seller_orders", &[("tab", "to_inspect")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"][0]["due"]["overdue"], true);
    let counts: Vec<(String, i64)> = page["tabs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t[0].as_str().unwrap().to_string(), t[2].as_i64().unwrap()))
        .collect();
    assert!(counts.contains(&("to_inspect".to_string(), 1)));
    let _ = app.clock.now_ms();
    app.stop().await;
});

both_backends!(
    seller_kpis_count_this_week_against_last,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _customer, id, device) = setup(&app, 7).await;
        app.call(
            &seller,
            "receive_parcel",
            &[("code", &tracking_of(&app, id).await)],
        )
        .await;
        app.clock.advance_ms(3 * 3_600_000);
        inspect(&app, &seller, id, &device, "light_scratches").await;
        act(&app, &seller, id, "confirm_payment").await;
        let k: serde_json::Value = app
            .call(&seller, "seller_overview", &[])
            .await
            .json()
            .await
            .unwrap();
        let w = &k["this_week"];
        assert_eq!(
            (
                w["bought"].as_i64(),
                w["received"].as_i64(),
                w["inspected"].as_i64()
            ),
            (Some(1), Some(1), Some(1))
        );
        assert_eq!(
            w["avg_inspection_tenths_h"], 30,
            "inspected 3.0 h after receipt"
        );
        assert_eq!(w["counter_offer_pct"], 0);
        assert_eq!(w["paid"][0]["minor"], 31_200);
        assert_eq!(k["last_week"]["bought"], 0);
        let weeks = k["weekly_bought"].as_array().unwrap();
        assert_eq!(weeks.len(), 8);
        assert_eq!(weeks[7][1], 1);
        assert_eq!(weeks[7][0], "W10", "2026-03-02 is in ISO week 10");
        // Next week, this week's figures become last week's.
        app.clock.advance_ms(7 * DAY_MS);
        let k: serde_json::Value = app
            .call(&seller, "seller_overview", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(k["this_week"]["bought"], 0);
        assert_eq!(k["last_week"]["paid"][0]["minor"], 31_200);
        app.stop().await;
    }
);

both_backends!(
    operations_decide_suspended_trade_ins,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, customer, id, device) = setup(&app, 8).await;
        // Received after the consumer said it was shipped, then held for a
        // damaged parcel straight from "received".
        app.call(&customer, "mark_shipped", &[("id", &id.to_string())])
            .await;
        app.call(
            &seller,
            "receive_parcel",
            &[("code", &tracking_of(&app, id).await)],
        )
        .await;
        assert_eq!(
            act_with(
                &app,
                &seller,
                id,
                &[("action", "suspend"), ("reason", "parcel_damaged")]
            )
            .await
            .status(),
            200
        );
        assert_eq!(state_of(&app, id).await, "suspended");

        let ops = app.client();
        let hash = tradein::platform::session::hash_password("correct horse battery".into()).await;
        let email = tradein::domain::account::Email::parse("ops@example.com").unwrap();
        tradein::features::accounts::service::insert_user(
            app.state.db.pool(),
            tradein::features::accounts::service::NewUser {
                email: &email,
                password_hash: &hash,
                role: tradein::domain::account::Role::Ops,
                display_name: "Ops",
                email_verified: true,
            },
            0,
        )
        .await
        .unwrap();
        enrol_two_factor(&app, "ops@example.com").await;
        assert_eq!(
            app.login(&ops, "ops@example.com", "correct horse battery")
                .await
                .status(),
            200
        );
        let queue: serde_json::Value = app
            .call(&ops, "ops_suspended", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(queue[0]["reason"], "The parcel arrived damaged");
        assert_eq!(app.call(&seller, "ops_suspended", &[]).await.status(), 403);
        assert_eq!(
            app.call(
                &seller,
                "ops_decide_suspended",
                &[
                    ("id", &id.to_string()),
                    ("decision", "resume"),
                    ("reason", "x")
                ]
            )
            .await
            .status(),
            403
        );

        let ids = id.to_string();
        assert_eq!(
            app.call(
                &ops,
                "ops_decide_suspended",
                &[("id", &ids), ("decision", "resume"), ("reason", "")]
            )
            .await
            .status(),
            422,
            "decisions need a reason"
        );
        assert_eq!(
            app.call(
                &ops,
                "ops_decide_suspended",
                &[
                    ("id", &ids),
                    ("decision", "resume"),
                    ("reason", "carrier confirmed the box was fine")
                ]
            )
            .await
            .status(),
            200
        );
        assert_eq!(state_of(&app, id).await, "inspecting");
        let actor: String = sqlx::query_scalar("SELECT actor_role FROM trade_in_events WHERE trade_in_id = $1 AND action = 'ResumeInspection'").bind(id).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(actor, "ops");

        // Held again, then returned by operations.
        assert_eq!(
            inspect(&app, &seller, id, &imei(4242), "flawless")
                .await
                .status(),
            200
        );
        assert_eq!(state_of(&app, id).await, "suspended");
        let _ = device;
        assert_eq!(
            app.call(
                &ops,
                "ops_decide_suspended",
                &[
                    ("id", &ids),
                    ("decision", "return"),
                    ("reason", "wrong device sent")
                ]
            )
            .await
            .status(),
            200
        );
        assert_eq!(state_of(&app, id).await, "return_requested");
        app.stop().await;
    }
);

both_backends!(
    a_refused_counter_offer_comes_back_whole_and_its_photo_is_not_asked_again,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _customer, id, device) = setup(&app, 9).await;
        app.call(
            &seller,
            "receive_parcel",
            &[("code", &tracking_of(&app, id).await)],
        )
        .await;
        inspect(&app, &seller, id, &device, "cracked").await;

        // Above the accepted price: refused, and every field comes back.
        let res = upload_counter_offer(
            &app,
            &seller,
            id,
            "400",
            &["screen", "body"],
            vec![("crack.png", photo_fixture("text.png"))],
        )
        .await;
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        for kept in [
            r#"value="400""#,
            r#"value="screen" checked"#,
            r#"value="body" checked"#,
            "Deep scratch on the back, see photo.</textarea>",
            r##"href="#field-price""##,
            r#"aria-invalid="true""#,
        ] {
            assert!(page.contains(kept), "{kept} in the page sent back");
        }
        assert!(
            !page.contains(r#"value="functional" checked"#),
            "an unticked reason stays unticked"
        );
        let token: String = sqlx::query_scalar("SELECT token FROM pending_uploads")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert!(page.contains(&format!(r#"src="/photos/pending/{token}""#)));
        assert!(page.contains(&format!(r#"name="pending_photo" value="{token}" checked"#)));
        assert_eq!(state_of(&app, id).await, "inspecting", "nothing changed");

        // Its thumbnail is the sender's alone.
        let thumb = app.url(&format!("/photos/pending/{token}"));
        assert_eq!(seller.get(&thumb).send().await.unwrap().status(), 200);
        let (other, other_seller) = seller_with_login(&app, "Beta Refurb 9").await;
        assert_eq!(other.get(&thumb).send().await.unwrap().status(), 404);
        let other_user: i64 = sqlx::query_scalar("SELECT user_id FROM sellers WHERE id = $1")
            .bind(other_seller)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        // Nor can another refurbisher's form use it.
        assert!(tradein::features::orders::service::pending::load(
            &app.state,
            tradein::domain::ids::UserId(other_user),
            &tradein::features::orders::counter_offer_form(tradein::domain::ids::TradeInId(id)),
            std::slice::from_ref(&token),
        )
        .await
        .unwrap()
        .is_empty());

        // Sent again with the price fixed and no file: the kept photo is used.
        let form = reqwest::multipart::Form::new()
            .text("price", "150")
            .text("reasons", "screen")
            .text("pending_photo", token.clone());
        let res = seller
            .post(app.url(&format!("/seller/orders/{id}")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(state_of(&app, id).await, "counter_offered");
        assert_eq!(app.count("photos").await, 1);
        assert_eq!(app.count("pending_uploads").await, 0, "used, so released");
        let pending_dir = app.state.config.data_dir.join("pending");
        assert_eq!(std::fs::read_dir(&pending_dir).unwrap().count(), 0);

        // Unused ones go after a day.
        let res = upload_counter_offer(
            &app,
            &other,
            id,
            "1",
            &["screen"],
            vec![("crack.png", photo_fixture("text.png"))],
        )
        .await;
        assert_eq!(
            res.status(),
            404,
            "not this refurbisher's order: nothing kept"
        );
        assert_eq!(app.count("pending_uploads").await, 0);
        let kept_photo = {
            let clean = tradein::platform::images::sanitize(&photo_fixture("text.png")).unwrap();
            tradein::features::orders::service::ProofPhoto {
                content_type: clean.kind.content_type(),
                extension: clean.kind.extension(),
                bytes: clean.bytes,
            }
        };
        tradein::features::orders::service::pending::keep(
            &app.state,
            tradein::domain::ids::UserId(other_user),
            "counter-offer-1",
            &[kept_photo],
        )
        .await
        .unwrap();
        app.clock.advance_ms(DAY_MS - 1);
        let done = tradein::startup::jobs::housekeeping(&app.state)
            .await
            .unwrap();
        assert_eq!(done.pending_uploads, 0, "kept for a whole day");
        app.clock.advance_ms(2);
        let done = tradein::startup::jobs::housekeeping(&app.state)
            .await
            .unwrap();
        assert_eq!(done.pending_uploads, 1);
        assert_eq!(std::fs::read_dir(&pending_dir).unwrap().count(), 0);
        app.stop().await;
    }
);

both_backends!(
    a_payout_waits_for_the_consumer_to_confirm_their_address,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, customer, id, device) = setup(&app, 11).await;
        sqlx::query("UPDATE users SET email_verified_at = NULL WHERE email = 'jane11@example.com'")
            .execute(app.state.db.pool())
            .await
            .unwrap();
        app.call(
            &seller,
            "receive_parcel",
            &[("code", &tracking_of(&app, id).await)],
        )
        .await;
        inspect(&app, &seller, id, &device, "flawless").await;
        assert_eq!(state_of(&app, id).await, "validated");
        let res = act(&app, &seller, id, "confirm_payment").await;
        assert_eq!(res.status(), 409);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("has not confirmed their email address"));
        assert_eq!(state_of(&app, id).await, "validated", "nothing sent");

        // The consumer asks for the link again and opens it: now it pays.
        let res = app.call(&customer, "resend_verification", &[]).await;
        assert_eq!(res.text().await.unwrap(), "true");
        // The fixture's consumer has no confirmation mail left: this is
        // the one just asked for.
        let mail = app.sent_mail("jane11@example.com", "verify_email").await;
        let token = mailed_token(&mail, "/account/verify");
        let res = app
            .call(&app.client(), "verify_email", &[("token", &token)])
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            act(&app, &seller, id, "confirm_payment").await.status(),
            200
        );
        assert_eq!(state_of(&app, id).await, "paid");
        app.stop().await;
    }
);

both_backends!(
    a_paid_trade_in_has_its_certificate_of_sale,
    |backend| async move {
        use tradein::domain::market::Market;
        use tradein::i18n::{Msg, Texts};
        let app = TestApp::spawn(backend).await;
        let (seller, customer, id, device) = setup(&app, 7).await;
        let path = format!("/trade-ins/{id}/certificate.pdf");
        let get = |client: reqwest::Client| {
            let url = app.url(&path);
            async move { client.get(url).send().await.unwrap() }
        };
        assert_eq!(
            get(customer.clone()).await.status(),
            409,
            "no sale to certify before the payment"
        );

        let tracking = tracking_of(&app, id).await;
        app.call(&seller, "receive_parcel", &[("code", &tracking)])
            .await;
        inspect(&app, &seller, id, &device, "light_scratches").await;
        assert_eq!(
            act(&app, &seller, id, "confirm_payment").await.status(),
            200
        );
        assert_eq!(state_of(&app, id).await, "paid");

        // The consumer, the buyer and operations may download it.
        let res = get(customer.clone()).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let pdf = res.bytes().await.unwrap();
        // The texts drawn: ASCII ones are literal strings, accented ones
        // hex strings of their WinAnsi (here, Latin-1) bytes.
        let raw = String::from_utf8_lossy(&pdf);
        let hex = regex::Regex::new(r"<([0-9A-Fa-f]{2,})>\s*Tj").unwrap();
        let decoded: Vec<String> = hex
            .captures_iter(&raw)
            .map(|c| {
                (0..c[1].len() / 2)
                    .map(|i| u8::from_str_radix(&c[1][2 * i..2 * i + 2], 16).unwrap() as char)
                    .collect()
            })
            .collect();
        let text = format!("{raw}\n{}", decoded.join("\n"));
        let fr = Texts::of(Market::FrFr);
        let reference: String = sqlx::query_scalar("SELECT reference FROM trade_ins WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        // In the consumer's language.
        for want in [
            fr.get(Msg::CertTitle).to_string(),
            fr.fill(Msg::CertVat, &[("vat", &"FR00000000000")]),
            fr.fill(Msg::CertImei, &[("imei", &device)]),
            "FR00000000000".to_string(),
            "312,00".to_string(),
            reference.clone(),
            "Alpha Refurb 7".to_string(),
        ] {
            assert!(text.contains(&want), "{want} in the certificate");
        }
        assert_eq!(get(seller.clone()).await.status(), 200);
        assert_eq!(get(ops_client(&app).await).await.status(), 200);
        // Anyone else learns nothing.
        let other = crate::fixtures::customer(&app, "someone@example.com").await;
        assert_eq!(get(other).await.status(), 404);
        assert_eq!(get(reqwest::Client::new()).await.status(), 401);
    }
);
