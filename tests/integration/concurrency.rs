//! The marketplace's limits under many clients at once: every request
//! starts together and the database alone decides (on Postgres each runs
//! on its own connection at READ COMMITTED; on SQLite writers take turns).

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::{Backend, TestApp};
use futures_util::future::join_all;
use std::sync::Arc;
use tokio::sync::Barrier;
use tradein::domain::grade::Grade;

const GRADE: Grade = Grade::FunctionalGood;
const SKU: &str = "iphone-13-128gb";

/// A valid French IBAN of its own for consumer `n`: consumers sharing one
/// would take turns on it (the shared-IBAN rule), and the cap races below
/// would not be races.
fn iban(n: usize) -> String {
    let bban = format!("20041010050500{n:09}");
    let digits: String = format!("{bban}FR00")
        .chars()
        .map(|c| c.to_digit(36).unwrap().to_string())
        .collect();
    let rest = digits
        .bytes()
        .fold(0u64, |r, d| (r * 10 + u64::from(d - b'0')) % 97);
    format!("FR{:02}{bban}", 98 - rest)
}

/// `n` consumers, each signed in with a client of their own.
async fn consumers(app: &TestApp, n: usize) -> Vec<reqwest::Client> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(customer(app, &format!("racer{i}@example.com")).await);
    }
    out
}

/// Sends every request at the same moment; the statuses, in client order,
/// and where each success went.
async fn race(
    app: &TestApp,
    clients: &[reqwest::Client],
    form_of: impl Fn(usize) -> Vec<(&'static str, String)>,
) -> Vec<(u16, Option<String>, String)> {
    let barrier = Arc::new(Barrier::new(clients.len()));
    let sends = clients.iter().enumerate().map(|(i, client)| {
        let (barrier, form) = (barrier.clone(), form_of(i));
        async move {
            barrier.wait().await;
            let res = confirm(app, client, &form).await;
            let status = res.status().as_u16();
            let location = res
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string());
            (status, location, res.text().await.unwrap_or_default())
        }
    });
    join_all(sends).await
}

async fn count(app: &TestApp, sql: &str, id: impl Into<i64>) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id.into())
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

fn no_server_errors(results: &[(u16, Option<String>, String)]) {
    for (status, _, body) in results {
        assert!(
            *status == 200 || *status == 409,
            "a racing confirmation got {status}: {body}"
        );
    }
}

fn rounds(backend: Backend) -> i64 {
    match backend {
        Backend::Postgres => 20,
        // One writer at a time: the same rule, fewer rounds suffice.
        Backend::Sqlite => 5,
    }
}

both_backends!(
    a_listing_capped_at_one_sells_one_device_however_many_confirm_at_once,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let clients = consumers(&app, 32).await;
        for round in 0..rounds(backend) {
            // A new best price each round, capped at one a week; earlier
            // rounds' listings have used their unit.
            let price = 40_000 + round * 100;
            let s = seller(&app, SellerSpec::approved(&format!("Racer Refurb {round}"))).await;
            let l = listing(&app, s, SKU, GRADE, price, 1_000).await;
            exec(
                &app,
                &format!("UPDATE listings SET weekly_cap = 1 WHERE id = {l}"),
            )
            .await;
            let results = race(&app, &clients, |i| {
                with(
                    confirm_form(
                        &imei((round * 100 + i as i64) as u64),
                        price,
                        &format!("key-round-{round}-{i:04}"),
                    ),
                    "iban",
                    &iban(i),
                )
            })
            .await;
            no_server_errors(&results);
            let won = results
                .iter()
                .filter(|(s, loc, _)| *s == 200 && loc.is_some())
                .count();
            assert_eq!(won, 1, "round {round}: {results:?}");
            assert_eq!(
                count(
                    &app,
                    "SELECT COUNT(*) FROM trade_ins WHERE listing_id = $1",
                    l
                )
                .await,
                1,
                "round {round}"
            );
            assert_eq!(
                count(
                    &app,
                    "SELECT units FROM cap_usage WHERE scope = 'listing' AND owner_id = $1",
                    l
                )
                .await,
                1,
                "round {round}: the cap's count matches"
            );
            for (status, _, body) in &results {
                if *status == 409 {
                    // The consumers' page is French (France, the default market).
                    assert!(body.contains("changé"), "a clear answer: {body}");
                }
            }
        }
        app.stop().await;
    }
);

both_backends!(
    a_refurbisher_capped_at_one_buys_one_device_however_many_confirm_at_once,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let clients = consumers(&app, 32).await;
        for round in 0..rounds(backend) {
            let price = 40_000 + round * 100;
            let s = seller(
                &app,
                SellerSpec {
                    weekly_cap: Some(1),
                    ..SellerSpec::approved(&format!("Capped Refurb {round}"))
                },
            )
            .await;
            listing(&app, s, SKU, GRADE, price, 1_000).await;
            let results = race(&app, &clients, |i| {
                with(
                    confirm_form(
                        &imei((round * 100 + i as i64) as u64),
                        price,
                        &format!("key-seller-{round}-{i:04}"),
                    ),
                    "iban",
                    &iban(i),
                )
            })
            .await;
            no_server_errors(&results);
            assert_eq!(
                count(
                    &app,
                    "SELECT COUNT(*) FROM trade_ins WHERE seller_id = $1",
                    s
                )
                .await,
                1,
                "round {round}: {results:?}"
            );
            assert_eq!(
                count(
                    &app,
                    "SELECT units FROM cap_usage WHERE scope = 'seller' AND owner_id = $1",
                    s
                )
                .await,
                1
            );
        }
        app.stop().await;
    }
);

both_backends!(
    one_form_sent_eight_times_at_once_makes_one_trade_in,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
        let client = customer(&app, "jane@example.com").await;
        let clients = vec![client; 8];
        let results = race(&app, &clients, |_| {
            confirm_form(&imei(1), 31_200, "key-same-for-all-8")
        })
        .await;
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM trade_ins WHERE seller_id = $1",
                s
            )
            .await,
            1
        );
        let first = &results[0].1;
        assert!(first.is_some(), "{results:?}");
        for (status, location, body) in &results {
            assert_eq!(*status, 200, "{body}");
            assert_eq!(location, first, "every caller gets the same trade-in");
        }
        app.stop().await;
    }
);

both_backends!(
    six_confirmations_at_once_by_one_consumer_are_flagged_as_too_many,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // Six devices in six conditions, each bought by another refurbisher,
        // so nothing but the consumer is shared between the six.
        let grades: [(Grade, &str, &str, &str); 6] = [
            (Grade::FunctionalFlawless, "yes", "flawless", "flawless"),
            (Grade::FunctionalGood, "yes", "light_scratches", "flawless"),
            (Grade::FunctionalUsed, "yes", "visible_wear", "flawless"),
            (Grade::FunctionalCracked, "yes", "cracked", "flawless"),
            (Grade::NotFunctionalUsed, "no", "flawless", "flawless"),
            (Grade::NotFunctionalCracked, "no", "cracked", "flawless"),
        ];
        for (n, (grade, ..)) in grades.iter().enumerate() {
            let s = seller(&app, SellerSpec::approved(&format!("Refurb {n}"))).await;
            listing(&app, s, SKU, *grade, 30_000 - n as i64 * 1_000, 1_000).await;
        }
        let client = customer(&app, "busy@example.com").await;
        let clients = vec![client; 6];
        let results = race(&app, &clients, |i| {
            let (_, works, screen, body) = grades[i];
            let form = confirm_form(
                &imei(10 + i as u64),
                30_000 - i as i64 * 1_000,
                &format!("key-busy-{i:011}"),
            );
            let form = with(
                with(with(form, "works", works), "screen", screen),
                "body",
                body,
            );
            with(form, "iban", &iban(i))
        })
        .await;
        assert!(results.iter().all(|(s, _, _)| *s == 200), "{results:?}");
        let flagged: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM fraud_flags WHERE rule = 'many_trade_ins'")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(
            flagged, 1,
            "the sixth in a year is held for review, whichever it was"
        );
        app.stop().await;
    }
);

both_backends!(
    fifty_wrong_passwords_at_once_are_all_counted_and_lock_at_the_limit,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        customer(&app, "target@example.com").await;
        let clients: Vec<reqwest::Client> = (0..50).map(|_| app.client()).collect();
        let barrier = Arc::new(Barrier::new(clients.len()));
        let tries = clients.iter().map(|c| {
            let barrier = barrier.clone();
            let app = &app;
            async move {
                barrier.wait().await;
                app.login(c, "target@example.com", "wrong password")
                    .await
                    .status()
                    .as_u16()
            }
        });
        let statuses = join_all(tries).await;
        let checked = statuses.iter().filter(|s| **s == 422).count();
        let refused = statuses.iter().filter(|s| **s == 429).count();
        assert_eq!(
            (checked, refused),
            (5, 45),
            "five passwords checked, then the lock: {statuses:?}"
        );
        let failures: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_attempts WHERE email = 'target@example.com' AND succeeded = 0",
        )
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(failures, 5, "every checked failure is counted");
        let right = app
            .login(&app.client(), "target@example.com", "correct horse battery")
            .await;
        assert_eq!(
            right.status(),
            429,
            "locked, even with the right password, until the window passes"
        );
        app.stop().await;
    }
);

both_backends!(
    claims_opened_at_once_on_one_trade_in_make_one_claim,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, GRADE, 31_200, 1_000).await;
        let client = customer(&app, "lost@example.com").await;
        let res = confirm(
            &app,
            &client,
            &confirm_form(&imei(3), 31_200, "key-claimed-00000"),
        )
        .await;
        let id = redirected_id(&res).to_string();
        assert_eq!(
            app.call(&client, "mark_shipped", &[("id", &id)])
                .await
                .status(),
            200
        );
        let barrier = Arc::new(Barrier::new(8));
        let opens = (0..8).map(|_| {
            let (barrier, client, id, app) = (barrier.clone(), client.clone(), id.clone(), &app);
            async move {
                barrier.wait().await;
                app.call(
                    &client,
                    "open_claim",
                    &[
                        ("trade_in_id", &id),
                        ("kind", "parcel_lost"),
                        ("message", "The parcel never arrived anywhere."),
                    ],
                )
                .await
                .status()
                .as_u16()
            }
        });
        let statuses = join_all(opens).await;
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "{statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 409),
            "{statuses:?}"
        );
        let claims: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM claims")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(claims, 1);
        app.stop().await;
    }
);
