//! The operations console (issue 6): KPI queries against hand-computed
//! values on a small fixture, alert and fraud rules, claims, suspension and
//! access. Every test runs on SQLite and Postgres.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::{TestApp, START_MS};
use serde_json::Value;
use tradein::domain::dates::DAY_MS;
use tradein::domain::grade::Grade;
use tradein::domain::kpi::{Counts, Kpi, Period, PeriodKind};
use tradein::domain::money::Currency;
use tradein::features::kpis::service::{breakdown, counts, totals, Filter, Group};
use tradein::platform::clock::Clock;

const SKU: &str = "iphone-13-128gb";

/// A trade-in row straight into the table: (id).
async fn trade_in(
    app: &TestApp,
    n: i64,
    customer: tradein::domain::ids::UserId,
    seller: tradein::domain::ids::SellerId,
    created: i64,
    state: &str,
    price: i64,
) -> i64 {
    let v = variant_id(app, SKU).await;
    sqlx::query_scalar(
        "INSERT INTO trade_ins (reference, customer_id, seller_id, variant_id, grade, answer_works, answer_screen, answer_body, price_minor, state, \
           address_name, address_line1, postcode, city, country, date_of_birth, idempotency_key, ship_by_at, created_at, updated_at, iban_fingerprint) \
         VALUES ($1, $2, $3, $4, 'functional_good', 1, 'light_scratches', 'flawless', $5, $6, 'J', 'l', '75001', 'Paris', 'FR', '1990-01-01', $1, $7, $8, $8, $9) RETURNING id",
    )
    .bind(format!("TI-TEST-{n:04}"))
    .bind(customer)
    .bind(seller)
    .bind(v)
    .bind(price)
    .bind(state)
    .bind(created + 14 * DAY_MS)
    .bind(created)
    .bind(format!("fp-{customer}"))
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

async fn event(app: &TestApp, id: i64, to: &str, at: i64) {
    sqlx::query("INSERT INTO trade_in_events (trade_in_id, action, to_state, actor_role, at) VALUES ($1, 'Test', $2, 'system', $3)")
        .bind(id)
        .bind(to)
        .bind(at)
        .execute(app.state.db.pool())
        .await
        .unwrap();
}

async fn set(app: &TestApp, id: i64, column: &str, at: i64) {
    sqlx::query(&format!("UPDATE trade_ins SET {column} = $1 WHERE id = $2"))
        .bind(at)
        .bind(id)
        .execute(app.state.db.pool())
        .await
        .unwrap();
}

async fn customer_id(app: &TestApp, email: &str) -> tradein::domain::ids::UserId {
    let e = tradein::domain::account::Email::parse(email).unwrap();
    tradein::features::accounts::service::insert_user(
        app.state.db.pool(),
        tradein::features::accounts::service::NewUser {
            email: &e,
            password_hash: "!",
            role: tradein::domain::account::Role::Customer,
            display_name: "C",
            email_verified: true,
        },
        0,
    )
    .await
    .unwrap()
}

both_backends!(
    kpi_queries_match_hand_computed_values,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let a = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        let b = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        let v = variant_id(&app, SKU).await;
        let week = Period::containing(PeriodKind::Week, START_MS);
        let (w0, prev0) = (week.start_ms, week.previous().start_ms);
        let c = customer_id(&app, "c@example.com").await;
        // Offers shown: 10 this week (8 Alpha at 300 EUR, 2 Beta at 200 EUR), 4 last week.
        for (i, (seller, price, at)) in std::iter::repeat_n((a, 30_000, w0 + DAY_MS), 8)
            .chain(std::iter::repeat_n((b, 20_000, w0 + 2 * DAY_MS), 2))
            .chain(std::iter::repeat_n((a, 30_000, prev0 + DAY_MS), 4))
            .enumerate()
        {
            sqlx::query("INSERT INTO offer_views (variant_id, grade, seller_id, price_minor, at) VALUES ($1, 'functional_good', $2, $3, $4)")
            .bind(v)
            .bind(seller)
            .bind(price)
            .bind(at + i as i64)
            .execute(app.state.db.pool())
            .await
            .unwrap();
        }
        // This week: 3 accepted (2 Alpha, 1 Beta). One shipped and received
        // Monday, inspected Tuesday (in SLA), validated, paid Wednesday (in SLA).
        let t1 = trade_in(&app, 1, c, a, w0 + DAY_MS / 2, "paid", 30_000).await;
        event(&app, t1, "shipped", w0 + DAY_MS / 2 + 1).await;
        set(&app, t1, "received_at", w0 + DAY_MS / 2 + 2).await;
        sqlx::query("INSERT INTO inspections (trade_in_id, inspector_id, answer_works, answer_screen, answer_body, grade, at) VALUES ($1, 1, 1, 'flawless', 'flawless', 'functional_good', $2)")
        .bind(t1)
        .bind(w0 + DAY_MS)
        .execute(app.state.db.pool())
        .await
        .unwrap();
        set(&app, t1, "validated_at", w0 + DAY_MS).await;
        set(&app, t1, "paid_at", w0 + 2 * DAY_MS).await;
        // One counter-offered Wednesday (inspected then), accepted Thursday.
        let t2 = trade_in(&app, 2, c, a, w0 + DAY_MS, "validated", 30_000).await;
        sqlx::query("INSERT INTO inspections (trade_in_id, inspector_id, answer_works, answer_screen, answer_body, grade, at) VALUES ($1, 1, 1, 'cracked', 'flawless', 'functional_cracked', $2)")
        .bind(t2)
        .bind(w0 + 2 * DAY_MS)
        .execute(app.state.db.pool())
        .await
        .unwrap();
        sqlx::query("INSERT INTO counter_offers (trade_in_id, price_minor, reasons, created_by, created_at, expires_at, answer, answered_at) VALUES ($1, 20000, 'screen_worse', 1, $2, $3, 'accepted', $4)")
        .bind(t2)
        .bind(w0 + 2 * DAY_MS)
        .bind(w0 + 9 * DAY_MS)
        .bind(w0 + 3 * DAY_MS)
        .execute(app.state.db.pool())
        .await
        .unwrap();
        let t3 = trade_in(&app, 3, c, b, w0 + 2 * DAY_MS, "expired", 20_000).await;
        event(&app, t3, "expired", w0 + 2 * DAY_MS + 5).await;
        // Last week: 1 accepted (Alpha).
        trade_in(&app, 4, c, a, prev0 + DAY_MS, "label_issued", 30_000).await;

        let mut conn = app.state.db.pool().acquire().await.unwrap();
        let all = Filter::default();
        let now = totals(&mut conn, week.start_ms, week.end_ms, &all)
            .await
            .unwrap();
        let mut expected = Counts {
            offers_shown: 10,
            accepted: 3,
            shipped: 1,
            received: 1,
            validated: 1,
            inspected: 2,
            counter_offered: 1,
            counter_answered: 1,
            counter_accepted: 1,
            returned: 0,
            expired: 1,
            paid: 1,
            median_ms_to_pay: Some(w0 + 2 * DAY_MS - (w0 + DAY_MS / 2)),
            inspected_within_sla: 1,
            paid_within_sla: 1,
            recycled: 0,
            ..Counts::default()
        };
        // Every row here is French: euros.
        expected
            .offered
            .add(Currency::Eur, 8 * 30_000 + 2 * 20_000, 10);
        expected.paid_amounts.add(Currency::Eur, 30_000, 1);
        assert_eq!(now, expected);
        assert_eq!(Kpi::Conversion.value(&now), Some(3_000), "3 of 10 = 30%");
        assert_eq!(Kpi::CounterOfferRate.value(&now), Some(5_000));
        assert_eq!(Kpi::MedianDaysToPay.value(&now), Some(15), "1.5 days");
        assert_eq!(
            Kpi::InspectionSla.value(&now),
            Some(5_000),
            "t2 was never received: not in SLA"
        );
        let before = totals(&mut conn, prev0, w0, &all).await.unwrap();
        assert_eq!((before.offers_shown, before.accepted), (4, 1));
        // Filters and segments.
        let beta = totals(
            &mut conn,
            week.start_ms,
            week.end_ms,
            &Filter {
                seller_id: Some(b),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((beta.offers_shown, beta.accepted, beta.expired), (2, 1, 1));
        let consoles = totals(
            &mut conn,
            week.start_ms,
            week.end_ms,
            &Filter {
                category: "consoles".into(),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(consoles, Counts::default());
        let by_seller = counts(
            &mut conn,
            week.start_ms,
            week.end_ms,
            &all,
            Group::Seller,
            false,
        )
        .await
        .unwrap();
        assert_eq!(by_seller["Alpha Refurb"].accepted, 2);
        assert_eq!(by_seller["Beta Refurb"].accepted, 1);
        let by_cb = counts(
            &mut conn,
            week.start_ms,
            week.end_ms,
            &all,
            Group::CategoryBrand,
            false,
        )
        .await
        .unwrap();
        assert_eq!(by_cb["smartphones / Apple"].offers_shown, 10);
        let weekly = tradein::features::kpis::service::weekly(&mut conn, prev0, 2, &all, false)
            .await
            .unwrap();
        assert_eq!((weekly[0].accepted, weekly[1].accepted), (1, 3));
        // The dashboard's one-read breakdown agrees with the separate queries.
        let parts = breakdown(&mut conn, week.start_ms, week.end_ms, &all, true)
            .await
            .unwrap();
        assert_eq!(parts.total, now);
        assert_eq!(
            parts.by_seller,
            counts(
                &mut conn,
                week.start_ms,
                week.end_ms,
                &all,
                Group::Seller,
                true
            )
            .await
            .unwrap()
        );
        assert_eq!(
            parts.by_category_brand,
            counts(
                &mut conn,
                week.start_ms,
                week.end_ms,
                &all,
                Group::CategoryBrand,
                true
            )
            .await
            .unwrap()
        );
        // The same breakdowns under each kind of filter, from the source tables
        // (this week is not rolled up yet), to compare once it is.
        let filters = [
            all.clone(),
            Filter {
                seller_id: Some(b),
                ..Filter::default()
            },
            Filter {
                category: "smartphones".into(),
                ..Filter::default()
            },
            Filter {
                brand: "apple".into(),
                seller_id: Some(a),
                ..Filter::default()
            },
        ];
        let mut from_source = Vec::new();
        for f in &filters {
            from_source.push(
                breakdown(&mut conn, week.start_ms, week.end_ms, f, true)
                    .await
                    .unwrap(),
            );
        }
        assert!(
            from_source[2].total.offers_shown > 0 && from_source[3].total.accepted > 0,
            "the filters select something"
        );
        drop(conn);

        // The dashboard through its server function, with targets and the decomposition.
        let ops = ops_client(&app).await;
        let res = app
            .call(
                &ops,
                "kpi_target",
                &[("kpi", "conversion"), ("period", "week"), ("target", "35")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            app.call(
                &ops,
                "kpi_target",
                &[("kpi", "conversion"), ("period", "week"), ("target", "135")]
            )
            .await
            .status(),
            422
        );
        assert_eq!(
            app.call(
                &ops,
                "kpi_target",
                &[("kpi", "nope"), ("period", "week"), ("target", "1")]
            )
            .await
            .status(),
            422
        );
        // Sunday 23:00: the week so far holds all of its trade-ins, and the
        // week before is counted up to its own Sunday 23:00.
        let into_week = 6 * DAY_MS + 14 * 3_600_000;
        app.clock.advance_ms(into_week);
        // An operations session ends after 12 idle hours: sign in again.
        let ops = ops_client(&app).await;

        let d: Value = app
            .call(&ops, "ops_dashboard", &[("period", "week")])
            .await
            .json()
            .await
            .unwrap();
        let cmp = &d["comparison"];
        assert_eq!(
            (cmp["partial"].as_bool(), cmp["like_for_like"].as_bool()),
            (Some(true), Some(true))
        );
        let now_ms = app.clock.now_ms();
        assert_eq!(
            (
                cmp["current"]["start_ms"].as_i64(),
                cmp["current"]["end_ms"].as_i64()
            ),
            (Some(w0), Some(now_ms))
        );
        assert_eq!(
            (
                cmp["previous"]["start_ms"].as_i64(),
                cmp["previous"]["end_ms"].as_i64()
            ),
            (Some(prev0), Some(prev0 + (now_ms - w0)))
        );
        let whole: Value = app
            .call(&ops, "ops_dashboard", &[("period", "week"), ("full", "1")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(whole["comparison"]["previous"]["end_ms"].as_i64(), Some(w0));
        assert_eq!(whole["comparison"]["like_for_like"].as_bool(), Some(false));
        // A count's target is prorated to the 167 of 168 hours gone.
        let res = app
            .call(
                &ops,
                "kpi_target",
                &[
                    ("kpi", "offers_shown"),
                    ("period", "week"),
                    ("target", "1680"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let prorated: Value = app
            .call(&ops, "ops_dashboard", &[("period", "week")])
            .await
            .json()
            .await
            .unwrap();
        let shown = prorated["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["code"] == "offers_shown")
            .unwrap();
        assert_eq!(shown["target_shown"], "1,670 (1,680 for the whole week)");
        assert_eq!(
            shown["target_input"], "1680",
            "the form keeps the week's target"
        );
        assert!(
            prorated["prorated"]
                .as_str()
                .unwrap()
                .contains("99% of the week"),
            "{}",
            prorated["prorated"]
        );
        let conv = d["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["code"] == "conversion")
            .unwrap();
        assert_eq!(conv["shown"], "30.0%");
        assert_eq!(conv["previous_shown"], "25.0%");
        assert_eq!(conv["change"], "+5.0 pts");
        assert_eq!(conv["status"], "Missed", "target 35%");
        assert_eq!(d["series"][0]["points"].as_array().unwrap().len(), 12);
        assert!(
            d["summary"]
                .as_str()
                .unwrap()
                .starts_with("Conversion +5.0 pts WoW"),
            "{}",
            d["summary"]
        );
        assert_eq!(
            app.call(&ops, "ops_dashboard", &[("period", "fortnight")])
                .await
                .status(),
            422
        );
        assert_eq!(
            app.call(
                &ops,
                "ops_dashboard",
                &[("period", "week"), ("at", "2026-W99")]
            )
            .await
            .status(),
            422
        );
        // The refurbisher filter is posted as text: blank is no filter, a
        // mangled id the caller's fault.
        assert_eq!(
            app.call(&ops, "ops_dashboard", &[("period", "week"), ("seller", "")])
                .await
                .status(),
            200
        );
        assert_eq!(
            app.call(&ops, "ops_dashboard", &[("seller", "alpha")])
                .await
                .status(),
            400
        );
        let csv = ops
            .get(app.url("/ops/export.csv?table=kpis&period=week"))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.unwrap();
        assert!(
            text.starts_with("kpi,2026-W10,2026-W09,change,target,status\n"),
            "{text}"
        );
        assert!(
            text.contains("Conversion,30.0%,25.0%,'+5.0 pts,35.0%,missed"),
            "{text}"
        );

        // Two weeks on, both weeks are read from the daily rollup: the same
        // answers, segment by segment, and days counted exactly once.
        app.clock.advance_ms(15 * DAY_MS - into_week);
        tradein::features::kpis::service::refresh_rollup_until(&app.state.db, app.clock.now_ms())
            .await
            .unwrap();
        assert_eq!(
            tradein::features::kpis::service::refresh_rollup_until(
                &app.state.db,
                app.clock.now_ms()
            )
            .await
            .unwrap(),
            0,
            "nothing twice"
        );
        let mut conn = app.state.db.pool().acquire().await.unwrap();
        let built = tradein::features::kpis::service::rollup_built_until(&mut conn)
            .await
            .unwrap();
        assert_eq!(built, Some(w0 + 15 * DAY_MS), "every whole day up to today");
        assert_eq!(
            totals(&mut conn, week.start_ms, week.end_ms, &all)
                .await
                .unwrap(),
            expected
        );
        let before = totals(&mut conn, prev0, w0, &all).await.unwrap();
        assert_eq!((before.offers_shown, before.accepted), (4, 1));
        let beta = totals(
            &mut conn,
            week.start_ms,
            week.end_ms,
            &Filter {
                seller_id: Some(b),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((beta.offers_shown, beta.accepted, beta.expired), (2, 1, 1));
        let by_seller = counts(
            &mut conn,
            week.start_ms,
            week.end_ms,
            &all,
            Group::Seller,
            true,
        )
        .await
        .unwrap();
        assert_eq!(
            (
                by_seller["Alpha Refurb"].accepted,
                by_seller["Alpha Refurb"].median_ms_to_pay
            ),
            (2, expected.median_ms_to_pay)
        );
        assert_eq!(by_seller["Beta Refurb"].accepted, 1);
        let weekly = tradein::features::kpis::service::weekly(&mut conn, prev0, 3, &all, true)
            .await
            .unwrap();
        assert_eq!(
            (weekly[0].accepted, weekly[1].accepted, weekly[2].accepted),
            (1, 3, 0)
        );
        assert_eq!(weekly[1], expected);
        let parts = breakdown(&mut conn, week.start_ms, week.end_ms, &all, true)
            .await
            .unwrap();
        assert_eq!(parts.total, expected);
        assert_eq!(
            parts.by_seller,
            counts(
                &mut conn,
                week.start_ms,
                week.end_ms,
                &all,
                Group::Seller,
                true
            )
            .await
            .unwrap()
        );
        assert_eq!(parts.by_seller["Beta Refurb"].expired, 1);
        // Each filter reads its own table of the rollup (both sides, one side,
        // or the full one) and finds what the source tables gave.
        for (f, source) in filters.iter().zip(&from_source) {
            assert_eq!(
                &breakdown(&mut conn, week.start_ms, week.end_ms, f, true)
                    .await
                    .unwrap(),
                source,
                "{f:?}"
            );
            let weeks = tradein::features::kpis::service::weekly(&mut conn, w0, 1, f, true)
                .await
                .unwrap();
            assert_eq!(weeks[0], source.total, "{f:?}");
        }
        // A range that starts and ends inside days: whole days from the
        // rollup, the edges from the source tables.
        let edges = totals(
            &mut conn,
            w0 + DAY_MS / 2,
            w0 + 2 * DAY_MS + DAY_MS / 2,
            &all,
        )
        .await
        .unwrap();
        assert_eq!(
            (edges.accepted, edges.offers_shown, edges.shipped),
            (3, 10, 1)
        );
        drop(conn);
        app.stop().await;
    }
);

both_backends!(every_ops_endpoint_refuses_others, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let consumer = customer(&app, "jane@example.com").await;
    let (seller, _) = seller_with_login(&app, "Alpha Refurb").await;
    let anon = app.client();
    let endpoints: [(&str, Vec<(&str, &str)>); 14] = [
        ("ops_dashboard", vec![]),
        (
            "kpi_target",
            vec![("kpi", "conversion"), ("period", "week"), ("target", "1")],
        ),
        ("alerts", vec![]),
        ("alerts_run", vec![]),
        ("alert_state", vec![("id", "1"), ("to", "resolved")]),
        (
            "alert_rule",
            vec![("rule", "thin_market"), ("threshold", "3")],
        ),
        ("fraud_cases", vec![]),
        (
            "fraud_review",
            vec![
                ("trade_in_id", "1"),
                ("decision", "release"),
                ("reason", "looks fine"),
            ],
        ),
        ("blocklist", vec![]),
        (
            "blocklist_add",
            vec![("imei", "356938035643809"), ("reason", "x")],
        ),
        ("scorecards", vec![]),
        (
            "seller_suspension",
            vec![
                ("seller_id", "1"),
                ("suspend", "suspend"),
                ("reason", "because"),
            ],
        ),
        ("claims_queue", vec![]),
        (
            "claim_resolve",
            vec![("claim_id", "1"), ("outcome", "refuse"), ("note", "no way")],
        ),
    ];
    for (client, status) in [(&consumer, 403), (&seller, 403), (&anon, 401)] {
        for (endpoint, form) in &endpoints {
            assert_eq!(
                app.call(client, endpoint, form).await.status(),
                status,
                "{endpoint}"
            );
        }
        for path in [
            "/ops",
            "/ops/alerts",
            "/ops/fraud",
            "/ops/blocklist",
            "/ops/claims",
            "/ops/refurbishers",
            "/ops/audit",
        ] {
            assert_eq!(
                client.get(app.url(path)).send().await.unwrap().status(),
                status,
                "{path}"
            );
        }
        assert_eq!(
            client
                .get(app.url("/ops/export.csv"))
                .send()
                .await
                .unwrap()
                .status(),
            status
        );
        assert_eq!(
            client
                .get(app.url("/ops/refurbishers.csv"))
                .send()
                .await
                .unwrap()
                .status(),
            status
        );
    }
    assert_eq!(app.count("imei_blocklist").await, 0);
    assert_eq!(app.count("kpi_targets").await, 0);
    app.stop().await;
});

both_backends!(
    a_shared_iban_holds_the_payout_until_ops_release_it,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller_client, s) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, s, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let first = customer(&app, "first@example.com").await;
        let second = customer(&app, "second@example.com").await;
        let res = confirm(
            &app,
            &first,
            &confirm_form(&imei(1), 31_200, "key-fraud-000000001"),
        )
        .await;
        assert_eq!(res.status(), 200);
        let res = confirm(
            &app,
            &second,
            &confirm_form(&imei(2), 31_200, "key-fraud-000000002"),
        )
        .await;
        assert_eq!(res.status(), 200);
        let id = redirected_id(&res);
        let flags: Vec<String> =
            sqlx::query_scalar("SELECT rule FROM fraud_flags WHERE trade_in_id = $1")
                .bind(id)
                .fetch_all(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(
            flags,
            vec!["shared_iban".to_string()],
            "same IBAN as another consumer"
        );
        let first_flags: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM fraud_flags WHERE trade_in_id <> $1")
                .bind(id)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(first_flags, 0, "the first consumer was alone then");

        // Received, inspected as declared: validated, but payment is refused while held.
        let tracking = tracking_of(&app, id).await;
        assert_eq!(
            app.call(&seller_client, "receive_parcel", &[("code", &tracking)])
                .await
                .status(),
            200
        );
        let ids = id.to_string();
        let res = app
            .call(
                &seller_client,
                "inspect_order",
                &[
                    ("id", &ids),
                    ("imei_found", &imei(2)),
                    ("works", "yes"),
                    ("screen", "light_scratches"),
                    ("body", "flawless"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let res = app
            .call(
                &seller_client,
                "order_action",
                &[("id", &ids), ("action", "confirm_payment")],
            )
            .await;
        assert_eq!(res.status(), 409);
        assert_eq!(state_of(&app, id).await, "validated");

        let ops = ops_client(&app).await;
        let cases: Value = app
            .call(&ops, "fraud_cases", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(cases[0]["hold"], "held");
        assert_eq!(
            cases[0]["flags"][0][0],
            "Same IBAN used by different consumers"
        );
        assert_eq!(
            app.call(
                &ops,
                "fraud_review",
                &[
                    ("trade_in_id", &ids),
                    ("decision", "release"),
                    ("reason", "")
                ]
            )
            .await
            .status(),
            422,
            "a reason is required"
        );
        assert_eq!(
            app.call(
                &ops,
                "fraud_review",
                &[
                    ("trade_in_id", &ids),
                    ("decision", "release"),
                    ("reason", "same household, checked by phone")
                ]
            )
            .await
            .status(),
            200
        );
        assert_eq!(
            app.call(
                &ops,
                "fraud_review",
                &[
                    ("trade_in_id", &ids),
                    ("decision", "block"),
                    ("reason", "changed my mind")
                ]
            )
            .await
            .status(),
            409
        );
        let res = app
            .call(
                &seller_client,
                "order_action",
                &[("id", &ids), ("action", "confirm_payment")],
            )
            .await;
        assert_eq!(res.status(), 200, "released: the payout proceeds");
        assert_eq!(state_of(&app, id).await, "paid");
        let audit: Value = app
            .call(&ops, "audit_log", &[("reference", "")])
            .await
            .json()
            .await
            .unwrap();
        assert!(
            audit
                .to_string()
                .contains("payout released: same household"),
            "{audit}"
        );
        app.stop().await;
    }
);

both_backends!(fraud_rules_fire_on_their_facts, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
    let c = customer_id(&app, "many@example.com").await;
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(
            trade_in(
                &app,
                n,
                c,
                s,
                START_MS - (n + 1) * DAY_MS,
                "label_issued",
                45_000,
            )
            .await,
        );
    }
    // The same device traded in before (returned): one open trade-in per
    // IMEI is all the database allows.
    sqlx::query("UPDATE trade_ins SET state = 'returned' WHERE id = $1")
        .bind(ids[1])
        .execute(app.state.db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE trade_ins SET imei = '356938035643809' WHERE id IN ($1, $2)")
        .bind(ids[0])
        .bind(ids[1])
        .execute(app.state.db.pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO imei_blocklist (imei, reason, added_at) VALUES ('356938035643809', 'stolen', 0)").execute(app.state.db.pool()).await.unwrap();
    let mut tx = app.state.db.write_tx().await.unwrap();
    let facts = tradein::features::fraud::service::facts(
        &mut tx,
        tradein::domain::ids::TradeInId(ids[0]),
        Some("490154203237518"),
        |_: &str| Vec::new(),
        START_MS,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(facts.imei_blocked);
    assert_eq!(facts.same_imei_elsewhere, 1);
    assert_eq!(
        (facts.trade_ins_12m, facts.value_12m.amounts()),
        (6, &[tradein::domain::money::Money::eur(270_000)][..])
    );
    let rules: Vec<&str> = tradein::domain::fraud::evaluate(&facts)
        .iter()
        .map(|(r, _)| r.code())
        .collect();
    assert_eq!(
        rules,
        vec![
            "blocked_imei",
            "repeated_imei",
            "many_trade_ins",
            "high_value",
            "imei_mismatch"
        ]
    );
    app.stop().await;
});

both_backends!(
    alerts_fire_once_and_move_through_the_inbox,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let a = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        let c = customer_id(&app, "c@example.com").await;
        // Alpha: 6 inspections in the last 7 days, 3 counter-offers (50%).
        for n in 0..6 {
            let id = trade_in(&app, n, c, a, START_MS - 3 * DAY_MS, "inspecting", 10_000).await;
            sqlx::query("INSERT INTO inspections (trade_in_id, inspector_id, answer_works, answer_screen, answer_body, grade, at) VALUES ($1, 1, 1, 'flawless', 'flawless', 'functional_good', $2)")
            .bind(id)
            .bind(START_MS - DAY_MS)
            .execute(app.state.db.pool())
            .await
            .unwrap();
            if n < 3 {
                sqlx::query("INSERT INTO counter_offers (trade_in_id, price_minor, reasons, created_by, created_at, expires_at) VALUES ($1, 5000, 'screen_worse', 1, $2, $3)")
                .bind(id)
                .bind(START_MS - DAY_MS)
                .bind(START_MS + 6 * DAY_MS)
                .execute(app.state.db.pool())
                .await
                .unwrap();
            }
        }
        let ops = ops_client(&app).await;
        let new: Value = app
            .call(&ops, "alerts_run", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(new.as_i64().unwrap() >= 1);
        let again: Value = app
            .call(&ops, "alerts_run", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(again, 0, "de-duplicated while open");
        let page: Value = app.call(&ops, "alerts", &[]).await.json().await.unwrap();
        let alert = page["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| {
                x["title"]
                    .as_str()
                    .unwrap()
                    .contains("Alpha Refurb: counter-offer rate 50.0%")
            })
            .expect("counter-offer alert")
            .clone();
        assert_eq!(alert["state"], "open");
        let mails: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'alert' AND to_email = 'olga@ops.example'",
        )
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert!(mails >= 1);
        let id = alert["id"].to_string();
        assert_eq!(
            app.call(&ops, "alert_state", &[("id", &id), ("to", "acknowledged")])
                .await
                .status(),
            200
        );
        assert_eq!(
            app.call(&ops, "alert_state", &[("id", &id), ("to", "acknowledged")])
                .await
                .status(),
            409
        );
        assert_eq!(
            app.call(&ops, "alert_state", &[("id", "one"), ("to", "resolved")])
                .await
                .status(),
            400,
            "an id is a number"
        );
        assert_eq!(
            app.call(&ops, "alert_state", &[("id", &id), ("to", "resolved")])
                .await
                .status(),
            200
        );
        // A higher threshold: nothing new fires.
        assert_eq!(
            app.call(
                &ops,
                "alert_rule",
                &[
                    ("rule", "counter_offer_rate"),
                    ("threshold", "60"),
                    ("enabled", "on")
                ]
            )
            .await
            .status(),
            200
        );
        assert_eq!(
            app.call(
                &ops,
                "alert_rule",
                &[
                    ("rule", "counter_offer_rate"),
                    ("threshold", "160"),
                    ("enabled", "on")
                ]
            )
            .await
            .status(),
            422
        );
        let after: Value = app
            .call(&ops, "alerts_run", &[])
            .await
            .json()
            .await
            .unwrap();
        let page: Value = app.call(&ops, "alerts", &[]).await.json().await.unwrap();
        let open_counter = page["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| {
                x["state"] == "open" && x["title"].as_str().unwrap().contains("counter-offer rate")
            })
            .count();
        assert_eq!(open_counter, 0, "{after}");
        // An unticked box posts nothing; a blank value is off as well.
        assert_eq!(
            app.call(
                &ops,
                "alert_rule",
                &[
                    ("rule", "counter_offer_rate"),
                    ("threshold", "60"),
                    ("enabled", "")
                ]
            )
            .await
            .status(),
            200
        );
        let page: Value = app.call(&ops, "alerts", &[]).await.json().await.unwrap();
        let rule = page["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "counter_offer_rate")
            .expect("the rule")
            .clone();
        assert_eq!(rule["enabled"], false, "{rule}");
        app.stop().await;
    }
);

both_backends!(
    a_claim_is_opened_discussed_and_resolved,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller_client, s) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, s, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let consumer = customer(&app, "jane@example.com").await;
        let res = confirm(
            &app,
            &consumer,
            &confirm_form(&imei(3), 31_200, "key-claim-000000001"),
        )
        .await;
        let id = redirected_id(&res);
        let ids = id.to_string();
        // A claim that does not fit the state, and one that does.
        assert_eq!(
            app.call(
                &consumer,
                "open_claim",
                &[
                    ("trade_in_id", &ids),
                    ("kind", "payment_missing"),
                    ("message", "Where is my money please?")
                ]
            )
            .await
            .status(),
            422
        );
        assert_eq!(
            app.call(
                &consumer,
                "open_claim",
                &[
                    ("trade_in_id", &ids),
                    ("kind", "parcel_lost"),
                    ("message", "short")
                ]
            )
            .await
            .status(),
            422
        );
        // Not lost before the carrier has it.
        assert_eq!(
            app.call(
                &consumer,
                "open_claim",
                &[
                    ("trade_in_id", &ids),
                    ("kind", "parcel_lost"),
                    ("message", "Posted 10 days ago, tracking has not moved."),
                ]
            )
            .await
            .status(),
            422
        );
        assert_eq!(
            app.call(&consumer, "mark_shipped", &[("id", &ids)])
                .await
                .status(),
            200
        );
        let other = customer(&app, "mallory@example.com").await;
        assert_eq!(
            app.call(
                &other,
                "open_claim",
                &[
                    ("trade_in_id", &ids),
                    ("kind", "parcel_lost"),
                    ("message", "Not my parcel but I try")
                ]
            )
            .await
            .status(),
            404
        );
        let res = app
            .call(
                &consumer,
                "open_claim",
                &[
                    ("trade_in_id", &ids),
                    ("kind", "parcel_lost"),
                    ("message", "Posted 10 days ago, tracking has not moved."),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let claim: i64 = sqlx::query_scalar("SELECT id FROM claims WHERE trade_in_id = $1")
            .bind(id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        let cs = claim.to_string();
        assert_eq!(
            app.call(
                &consumer,
                "open_claim",
                &[
                    ("trade_in_id", &ids),
                    ("kind", "parcel_lost"),
                    ("message", "Again, the same problem here")
                ]
            )
            .await
            .status(),
            409
        );
        // The refurbisher finds it on its order page, and the consumer and it
        // write on it; another consumer sees nothing.
        let order: Value = app
            .call(&seller_client, "seller_order", &[("id", &ids)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(order["claims"][0]["id"], claim);
        assert_eq!(order["claims"][0]["kind"], "My parcel was lost");
        let page = seller_client
            .get(app.url(&format!("/seller/orders/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(&format!("href=\"/claims/{claim}\"")),
            "the order page links to the claim"
        );
        assert_eq!(
            app.call(
                &seller_client,
                "claim_message",
                &[
                    ("claim_id", &cs),
                    ("body", "Nothing arrived at our warehouse.")
                ]
            )
            .await
            .status(),
            200
        );
        assert_eq!(
            app.call(&other, "claim", &[("id", &cs)]).await.status(),
            404
        );
        assert_eq!(
            app.call(
                &consumer,
                "claim_resolve",
                &[("claim_id", &cs), ("outcome", "compensate"), ("note", "ok")]
            )
            .await
            .status(),
            403
        );
        let ops = ops_client(&app).await;
        let view: Value = app
            .call(&ops, "claim", &[("id", &cs)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["messages"].as_array().unwrap().len(), 2);
        assert_eq!(view["outcomes"][0][0], "compensate");
        assert_eq!(
            app.call(
                &ops,
                "claim_resolve",
                &[
                    ("claim_id", &cs),
                    ("outcome", "pay_original"),
                    ("note", "not for this kind")
                ]
            )
            .await
            .status(),
            422
        );
        assert_eq!(
            app.call(
                &ops,
                "claim_resolve",
                &[("claim_id", &cs), ("outcome", "compensate"), ("note", "")]
            )
            .await
            .status(),
            422
        );
        let res = app
            .call(
                &ops,
                "claim_resolve",
                &[
                    ("claim_id", &cs),
                    ("outcome", "compensate"),
                    ("note", "The carrier lost it; we pay you the agreed price."),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert_eq!(state_of(&app, id).await, "paid");
        let (payout_state, amount): (String, i64) =
            sqlx::query_as("SELECT state, amount_minor FROM payouts WHERE trade_in_id = $1")
                .bind(id)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!((payout_state.as_str(), amount), ("sent", 31_200));
        let states: Vec<String> = sqlx::query_scalar(
            "SELECT to_state FROM trade_in_events WHERE trade_in_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(
            states[states.len() - 2..],
            ["lost".to_string(), "paid".to_string()]
        );
        assert_eq!(
            app.call(
                &ops,
                "claim_resolve",
                &[
                    ("claim_id", &cs),
                    ("outcome", "refuse"),
                    ("note", "twice is once too many")
                ]
            )
            .await
            .status(),
            409
        );
        let view: Value = app
            .call(&consumer, "claim", &[("id", &cs)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(view["state"], "resolved");
        assert_eq!(
            view["customer_email"], "",
            "only ops see the consumer's email"
        );
        app.stop().await;
    }
);

both_backends!(
    claims_never_pay_past_a_hold_and_void_a_return_they_overrule,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller_client, s) = seller_with_login(&app, "Alpha Refurb").await;
        listing(&app, s, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        listing(&app, s, SKU, Grade::FunctionalCracked, 15_000, 1_000).await;
        let consumer = customer(&app, "jane@example.com").await;
        let ops = ops_client(&app).await;
        let open_claim = |id: String, kind: &'static str| {
            let (app, consumer) = (&app, &consumer);
            async move {
                let res = app
                    .call(
                        consumer,
                        "open_claim",
                        &[
                            ("trade_in_id", id.as_str()),
                            ("kind", kind),
                            ("message", "Something is wrong with this one."),
                        ],
                    )
                    .await;
                assert_eq!(res.status(), 200, "{kind}");
                let claim: i64 = sqlx::query_scalar(
                    "SELECT id FROM claims WHERE trade_in_id = $1 AND state = 'open'",
                )
                .bind(id.parse::<i64>().unwrap())
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
                claim.to_string()
            }
        };

        // A lost parcel on a trade-in whose payout is held for fraud review:
        // compensating would pay past the hold, so nothing happens.
        let lost = redirected_id(
            &confirm(
                &app,
                &consumer,
                &confirm_form(&imei(11), 31_200, "key-hold-0000000001"),
            )
            .await,
        );
        let lost_s = lost.to_string();
        app.call(&consumer, "mark_shipped", &[("id", &lost_s)])
            .await;
        exec(
            &app,
            &format!("UPDATE trade_ins SET payout_hold = 'held' WHERE id = {lost}"),
        )
        .await;
        let claim = open_claim(lost_s.clone(), "parcel_lost").await;
        let res = app
            .call(
                &ops,
                "claim_resolve",
                &[
                    ("claim_id", &claim),
                    ("outcome", "compensate"),
                    ("note", "The carrier lost it; we pay the agreed price."),
                ],
            )
            .await;
        assert_eq!(res.status(), 409, "{:?}", res.text().await);
        assert_eq!(state_of(&app, lost).await, "shipped");
        let payouts: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM payouts WHERE trade_in_id = $1")
                .bind(lost)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(payouts, 0);
        let claim_state: String = sqlx::query_scalar("SELECT state FROM claims WHERE id = $1")
            .bind(claim.parse::<i64>().unwrap())
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(claim_state, "open", "the whole decision is undone");

        // Released, the same decision pays.
        exec(
            &app,
            &format!("UPDATE trade_ins SET payout_hold = 'released' WHERE id = {lost}"),
        )
        .await;
        let res = app
            .call(
                &ops,
                "claim_resolve",
                &[
                    ("claim_id", &claim),
                    ("outcome", "compensate"),
                    ("note", "The carrier lost it; we pay the agreed price."),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert_eq!(state_of(&app, lost).await, "paid");

        // A declined counter-offer sends the device back; operations then
        // side with the consumer and pay the original price: the device
        // stays, so its return label must stop working.
        let device = imei(12);
        let disputed = redirected_id(
            &confirm(
                &app,
                &consumer,
                &confirm_form(&device, 31_200, "key-hold-0000000002"),
            )
            .await,
        );
        let disputed_s = disputed.to_string();
        app.call(
            &seller_client,
            "receive_parcel",
            &[("code", &tracking_of(&app, disputed).await)],
        )
        .await;
        app.call(
            &seller_client,
            "inspect_order",
            &[
                ("id", disputed_s.as_str()),
                ("imei_found", &device),
                ("works", "yes"),
                ("screen", "cracked"),
                ("body", "flawless"),
            ],
        )
        .await;
        let res = upload_counter_offer(
            &app,
            &seller_client,
            disputed,
            "120",
            &["screen"],
            vec![("p.png", photo_fixture("text.png"))],
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(
            app.call(
                &consumer,
                "answer_counter_offer",
                &[("id", disputed_s.as_str()), ("answer", "decline")],
            )
            .await
            .status(),
            200
        );
        let return_label = format!("/trade-ins/{disputed}/return-label.pdf");
        assert_eq!(
            consumer
                .get(app.url(&return_label))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let claim = open_claim(disputed_s.clone(), "counter_offer_disputed").await;
        let res = app
            .call(
                &ops,
                "claim_resolve",
                &[
                    ("claim_id", &claim),
                    ("outcome", "pay_original"),
                    ("note", "The photos do not show the crack claimed."),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert_eq!(state_of(&app, disputed).await, "validated");
        for client in [&consumer, &seller_client, &ops] {
            assert_eq!(
                client
                    .get(app.url(&return_label))
                    .send()
                    .await
                    .unwrap()
                    .status(),
                410,
                "a voided return label is refused to everyone"
            );
        }
        let amount: i64 =
            sqlx::query_scalar("SELECT amount_minor FROM payouts WHERE trade_in_id = $1")
                .bind(disputed)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(amount, 31_200, "the original price");
        app.stop().await;
    }
);

both_backends!(
    a_suspended_refurbisher_leaves_the_offers_at_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let a = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        let b = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        listing(&app, a, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        listing(&app, b, SKU, Grade::FunctionalGood, 20_000, 1_000).await;
        let v = variant_id(&app, SKU).await;
        let best = || async {
            let mut conn = app.state.db.pool().acquire().await.unwrap();
            match tradein::features::trade_ins::service::current_decision(
                &mut conn,
                tradein::domain::market::Market::FrFr,
                v,
                Grade::FunctionalGood,
                START_MS,
            )
            .await
            .unwrap()
            {
                tradein::domain::offer::Decision::Buy(c) => Some(c.seller_id),
                _ => None,
            }
        };
        assert_eq!(best().await, Some(a));
        let ops = ops_client(&app).await;
        let ids = a.to_string();
        assert_eq!(
            app.call(
                &ops,
                "seller_suspension",
                &[("seller_id", &ids), ("suspend", "suspend"), ("reason", "")]
            )
            .await
            .status(),
            422
        );
        assert_eq!(
            app.call(
                &ops,
                "seller_suspension",
                &[
                    ("seller_id", &ids),
                    ("suspend", "suspend"),
                    ("reason", "too many disputes")
                ]
            )
            .await
            .status(),
            200
        );
        assert_eq!(best().await, Some(b));
        assert_eq!(
            app.call(
                &ops,
                "seller_suspension",
                &[
                    ("seller_id", &ids),
                    ("suspend", "suspend"),
                    ("reason", "again and again")
                ]
            )
            .await
            .status(),
            409
        );
        let csv = ops
            .get(app.url("/ops/refurbishers.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(csv.starts_with("refurbisher,status,trade_ins,"), "{csv}");
        assert!(csv.contains("Alpha Refurb,suspended,"), "{csv}");
        let cards: Value = app
            .call(&ops, "scorecards", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            cards
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["company"] == "Alpha Refurb")
                .unwrap()["status"],
            "suspended"
        );
        assert_eq!(
            app.call(
                &ops,
                "seller_suspension",
                &[
                    ("seller_id", &ids),
                    ("suspend", "reinstate"),
                    ("reason", "disputes settled")
                ]
            )
            .await
            .status(),
            200
        );
        assert_eq!(best().await, Some(a));
        app.stop().await;
    }
);

async fn alert_titles(app: &TestApp, ops: &reqwest::Client) -> Vec<String> {
    let page: Value = app.call(ops, "alerts", &[]).await.json().await.unwrap();
    page["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["state"] == "open")
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

both_backends!(
    each_alert_rule_fires_on_its_facts_and_reaches_the_webhook,
    |backend| async move {
        // A webhook receiver on a free port, keeping what it is sent.
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
        let sink = received.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hook = format!("http://{}/hook", listener.local_addr().unwrap());
        let router = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
                let sink = sink.clone();
                async move {
                    sink.lock().unwrap().push(v);
                    "ok"
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let app = TestApp::spawn_with(
            backend,
            crate::harness::Options {
                alert_webhook_url: Some(hook),
                ..Default::default()
            },
        )
        .await;

        let a = seller(
            &app,
            SellerSpec {
                weekly_cap: Some(2),
                ..SellerSpec::approved("Alpha Refurb")
            },
        )
        .await;
        let c = customer_id(&app, "c@example.com").await;
        // Inspection SLA: received 10 days ago, not inspected.
        let late = trade_in(&app, 1, c, a, START_MS - 20 * DAY_MS, "received", 10_000).await;
        set(&app, late, "received_at", START_MS - 10 * DAY_MS).await;
        // Payout overdue: validated 10 days ago, not paid.
        let unpaid = trade_in(&app, 2, c, a, START_MS - 20 * DAY_MS, "validated", 10_000).await;
        set(&app, unpaid, "validated_at", START_MS - 10 * DAY_MS).await;
        // Caps exhausted on Monday: 2 of 2 units this week.
        exec(&app, &format!("INSERT INTO cap_usage (scope, owner_id, week_start, units) VALUES ('seller', {a}, {}, 2)", tradein::domain::dates::week_start_ms(START_MS))).await;
        // A popular variant (25 views in 7 days) that nobody buys.
        let v = variant_id(&app, "galaxy-s21-128gb").await;
        for i in 0..25 {
            exec(&app, &format!("INSERT INTO offer_views (variant_id, grade, at) VALUES ({v}, 'functional_used', {})", START_MS - DAY_MS - i)).await;
        }
        // Conversion: 25 shown and none accepted in the last 7 days; the 7
        // before, 10 shown and 5 accepted.
        let v13 = variant_id(&app, SKU).await;
        for i in 0..10 {
            exec(&app, &format!("INSERT INTO offer_views (variant_id, grade, at) VALUES ({v13}, 'functional_good', {})", START_MS - 10 * DAY_MS - i)).await;
        }
        for n in 10..15 {
            trade_in(&app, n, c, a, START_MS - 10 * DAY_MS, "expired", 10_000).await;
        }
        let ops = ops_client(&app).await;
        let new: Value = app
            .call(&ops, "alerts_run", &[])
            .await
            .json()
            .await
            .unwrap();
        let titles = alert_titles(&app, &ops).await;
        let has = |needle: &str| titles.iter().any(|t| t.contains(needle));
        assert!(
            has("Alpha Refurb: 1 devices past the inspection SLA"),
            "{titles:?}"
        );
        assert!(has("Alpha Refurb: 1 payouts overdue"), "{titles:?}");
        assert!(
            has("Alpha Refurb: weekly cap of 2 reached already"),
            "{titles:?}"
        );
        assert!(
            has("galaxy-s21-128gb (Works, visible wear) in France: no offer for a popular device"),
            "{titles:?}"
        );
        assert!(has("Conversion down 50.0 pts week over week"), "{titles:?}");
        assert_eq!(new.as_u64().unwrap() as usize, titles.len());
        // The inbox writes each alert again from its facts in French.
        ops.get(app.url("/language/fr")).send().await.unwrap();
        let french = alert_titles(&app, &ops).await;
        assert_eq!(french.len(), titles.len());
        assert!(french.iter().any(|t| t.contains("50,0")), "{french:?}");
        assert!(
            french.iter().all(|t| !titles.contains(t)),
            "every title in French: {french:?}"
        );
        ops.get(app.url("/language/en")).send().await.unwrap();
        // Posted by the jobs queued with the alerts.
        tradein::platform::jobs::run_due(&app.state).await.unwrap();
        let pushed = received.lock().unwrap().clone();
        assert_eq!(pushed.len(), titles.len(), "each new alert is POSTed once");
        tradein::platform::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(
            received.lock().unwrap().len(),
            titles.len(),
            "and only once"
        );
        assert!(pushed
            .iter()
            .all(|p| p["rule"].is_string() && p["title"].is_string()));
        // Switched off: the rule stays quiet.
        assert_eq!(
            app.call(
                &ops,
                "alert_rule",
                &[("rule", "thin_market"), ("threshold", "20")]
            )
            .await
            .status(),
            200
        );
        let id = sqlx::query_scalar::<_, i64>("SELECT id FROM alerts WHERE rule = 'thin_market'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap()
            .to_string();
        assert_eq!(
            app.call(&ops, "alert_state", &[("id", &id), ("to", "resolved")])
                .await
                .status(),
            200
        );
        app.call(&ops, "alerts_run", &[]).await;
        assert!(!alert_titles(&app, &ops)
            .await
            .iter()
            .any(|t| t.contains("galaxy-s21")));
        app.stop().await;
    }
);

both_backends!(
    the_blocklist_takes_entries_and_csv_files,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let ops = ops_client(&app).await;
        assert_eq!(
            app.call(
                &ops,
                "blocklist_add",
                &[("imei", "35693803564380"), ("reason", "stolen")]
            )
            .await
            .status(),
            422,
            "bad check digit"
        );
        assert_eq!(
            app.call(
                &ops,
                "blocklist_add",
                &[("imei", "356938035643809"), ("reason", "reported stolen")]
            )
            .await
            .status(),
            200
        );
        let upload = |body: &'static str| {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name("b.csv"),
            );
            ops.post(app.url("/ops/blocklist")).multipart(form).send()
        };
        let res = upload("imei,reason\n490154203237518,police report\nnot-an-imei,x\n")
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "one bad line refuses the file");
        let page = res.text().await.unwrap();
        assert!(
            page.contains("<h1>IMEI blocklist</h1>") && page.contains(r##"href="#field-file""##),
            "the page again, the problem beside the file field"
        );
        assert_eq!(app.count("imei_blocklist").await, 1);

        let res = upload("imei,reason\n490154203237518,police report\n356938035643809;duplicate\n")
            .await
            .unwrap();
        assert_eq!(
            res.headers()["location"].to_str().unwrap(),
            "/ops/blocklist?imported=1"
        );
        assert_eq!(app.count("imei_blocklist").await, 2);
        assert_eq!(
            app.call(&ops, "blocklist_remove", &[("imei", "490154203237518")])
                .await
                .status(),
            200
        );
        assert_eq!(
            app.call(&ops, "blocklist_remove", &[("imei", "490154203237518")])
                .await
                .status(),
            404
        );
        let list: Value = app.call(&ops, "blocklist", &[]).await.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        app.stop().await;
    }
);
