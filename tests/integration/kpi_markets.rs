//! The operations dashboard by market: a market's figures only, money per
//! currency with all markets (never EUR and GBP added), a refused market
//! beside its field, and the CSV export under the same filter; from the
//! source tables and again from the daily rollup.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::{TestApp, START_MS};
use serde_json::Value;
use tradein::domain::dates::DAY_MS;
use tradein::domain::kpi::{Kpi, Period, PeriodKind};
use tradein::domain::market::Market;
use tradein::domain::money::Currency;
use tradein::features::kpis::service::{totals, Filter};
use tradein::platform::clock::Clock;

const SKU: &str = "iphone-13-128gb";

/// A paid trade-in in `market` (its currency), accepted and paid at `at`,
/// with two offers shown there at the same price.
async fn paid_in(app: &TestApp, n: i64, market: Market, price: i64, at: i64) {
    let v = variant_id(app, SKU).await;
    let s = seller(app, SellerSpec::approved(&format!("Refurb {n}"))).await;
    let customer = customer_id(app, &format!("c{n}@example.com")).await;
    sqlx::query(
        "INSERT INTO trade_ins (reference, customer_id, seller_id, variant_id, grade, answer_works, answer_screen, answer_body, price_minor, state, \
           address_name, address_line1, postcode, city, country, date_of_birth, idempotency_key, ship_by_at, created_at, updated_at, iban_fingerprint, \
           market, currency, validated_at, paid_at) \
         VALUES ($1, $2, $3, $4, 'functional_good', 1, 'light_scratches', 'flawless', $5, 'paid', 'J', 'l', 'X1', 'City', $6, '1990-01-01', $1, $7, $8, $8, $9, \
           $10, $11, $8, $8)",
    )
    .bind(format!("TI-MKT-{n:04}"))
    .bind(customer)
    .bind(s)
    .bind(v)
    .bind(price)
    .bind(market.country())
    .bind(at + 14 * DAY_MS)
    .bind(at)
    .bind(format!("fp-{n}"))
    .bind(market.code())
    .bind(market.currency().code())
    .execute(app.state.db.pool())
    .await
    .unwrap();
    for i in 0..2 {
        sqlx::query("INSERT INTO offer_views (variant_id, grade, seller_id, price_minor, at, market) VALUES ($1, 'functional_good', $2, $3, $4, $5)")
            .bind(v)
            .bind(s)
            .bind(price)
            .bind(at + i)
            .bind(market.code())
            .execute(app.state.db.pool())
            .await
            .unwrap();
    }
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

/// The dashboard's row for a KPI: (shown, value).
fn row(d: &Value, code: &str) -> (String, Value) {
    let k = d["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {d}"));
    (k["shown"].as_str().unwrap().to_string(), k["value"].clone())
}

async fn dashboard(app: &TestApp, ops: &reqwest::Client, at: &str, market: &str) -> Value {
    let res = app
        .call(
            ops,
            "ops_dashboard",
            &[("period", "week"), ("at", at), ("market", market)],
        )
        .await;
    let status = res.status();
    if status != 200 {
        panic!("market {market:?}: {status} {}", res.text().await.unwrap());
    }
    res.json().await.unwrap()
}

/// Checks one week's figures by market, wherever they are read from.
async fn check_week(app: &TestApp, ops: &reqwest::Client, week: &str) {
    // France 300 and Germany 200 EUR, the United Kingdom 150 GBP.
    let all = dashboard(app, ops, week, "").await;
    assert_eq!(row(&all, "paid_total").0, "€500.00 + £150.00");
    assert_eq!(row(&all, "paid_total").1, Value::Null, "no single sum");
    assert_eq!(row(&all, "paid_average").0, "€250.00, £150.00");
    assert_eq!(row(&all, "offers_accepted").0, "3", "counts add up");
    assert_eq!(row(&all, "offers_shown").0, "6");
    assert_eq!(all["currencies"], serde_json::json!(["EUR", "GBP"]));

    let uk = dashboard(app, ops, week, "en-gb").await;
    assert_eq!(uk["market"], "en-gb");
    assert_eq!(row(&uk, "paid_total"), ("£150.00".into(), 15_000.into()));
    assert_eq!(row(&uk, "offers_accepted").0, "1");
    assert_eq!(row(&uk, "offers_shown").0, "2");
    assert_eq!(uk["currencies"], serde_json::json!(["GBP"]));
    assert!(
        !uk.to_string().contains('€'),
        "no euro on the UK's page: {uk}"
    );

    let de = dashboard(app, ops, week, "de-de").await;
    assert_eq!(row(&de, "paid_total"), ("€200.00".into(), 20_000.into()));
    assert_eq!(row(&de, "offers_accepted").0, "1");

    // A market with nothing: zero in its own currency.
    let us = dashboard(app, ops, week, "en-us").await;
    assert_eq!(row(&us, "paid_total").0, "$0.00");
    assert_eq!(row(&us, "offers_accepted").0, "0");
}

both_backends!(
    the_dashboard_filters_by_market_and_keeps_money_per_currency,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // Wednesday morning: everything below happened today, so it is
        // read from the source tables until the day is rolled up.
        app.clock.advance_ms(2 * DAY_MS);
        let at = app.clock.now_ms() - 3_600_000;
        let week = Period::containing(PeriodKind::Week, START_MS);
        assert!(at > week.start_ms + 2 * DAY_MS, "today, in the week");
        paid_in(&app, 1, Market::FrFr, 30_000, at).await;
        paid_in(&app, 2, Market::DeDe, 20_000, at + 10).await;
        paid_in(&app, 3, Market::EnGb, 15_000, at + 20).await;
        let label = week.label();
        let ops = ops_client(&app).await;

        // From the source tables (nothing rolled up yet this week).
        check_week(&app, &ops, &label).await;

        // The repository keeps currencies apart too.
        let mut conn = app.state.db.pool().acquire().await.unwrap();
        let all = totals(&mut conn, week.start_ms, week.end_ms, &Filter::default())
            .await
            .unwrap();
        assert_eq!(Kpi::PaidTotal.value(&all), None);
        assert_eq!(Kpi::PaidTotal.value(&all.only(Currency::Gbp)), Some(15_000));
        drop(conn);

        // A market that does not exist: 422 on its field, never a 500.
        for bad in ["xx-yy", "EUR", "fr_fr", "<script>"] {
            let res = app.call(&ops, "ops_dashboard", &[("market", bad)]).await;
            assert_eq!(res.status(), 422, "{bad}");
            let body = res.text().await.unwrap();
            assert!(body.contains("market"), "{body}");
            assert!(body.contains("is not a market"), "{body}");
        }
        let page = ops.get(app.url("/ops?market=xx-yy")).send().await.unwrap();
        assert_eq!(page.status(), 422);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("id=\"market-error\""),
            "the message beside the field"
        );

        // The CSV export honours the filter.
        let csv = |q: &'static str| {
            let ops = ops.clone();
            let url = app.url(&format!(
                "/ops/export.csv?table=kpis&period=week&at={label}{q}"
            ));
            async move { ops.get(url).send().await.unwrap() }
        };
        let uk = csv("&market=en-gb").await;
        assert_eq!(uk.status(), 200);
        let uk = uk.text().await.unwrap();
        assert!(uk.contains("Total paid,£150.00,"), "{uk}");
        assert!(uk.contains("Offers accepted,1,"), "{uk}");
        assert!(!uk.contains('€'), "{uk}");
        let all = csv("").await.text().await.unwrap();
        assert!(all.contains("Total paid,€500.00 + £150.00,"), "{all}");
        assert!(all.contains("Offers accepted,3,"), "{all}");
        let series = csv("&market=de-de&kpi=paid_total")
            .await
            .text()
            .await
            .unwrap();
        assert!(series.contains("€200.00"), "{series}");
        assert_eq!(csv("&market=xx-yy").await.status(), 422);

        // Weeks later the same days come from the daily rollup, by market.
        app.clock.advance_ms(15 * DAY_MS);
        tradein::features::kpis::service::refresh_rollup_until(&app.state.db, app.clock.now_ms())
            .await
            .unwrap();
        // An operations session ends when idle: sign in again.
        let ops = app.client();
        assert_eq!(
            app.login(&ops, "olga@ops.example", "correct horse battery")
                .await
                .status(),
            200
        );
        check_week(&app, &ops, &label).await;
    }
);
