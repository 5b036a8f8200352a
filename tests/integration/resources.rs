//! Costly work stays bounded whatever the traffic: hashing a flood of
//! sign-ups, bodies far past their limit.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::{within_limit, Backend, TestApp, TestDb};
use crate::instances::{browser, Instance};
use futures_util::future::join_all;

/// Each sign-up hashes its password with argon2id in 19 MiB. 200 at once,
/// unbounded, would hold some 3.8 GB; the server runs a few at a time
/// (one per core, 2 to 8), so its peak memory grows by tens of MiB.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_sign_ups_at_once_leave_memory_bounded() {
    within_limit(async {
        let db = TestDb::create(Backend::Sqlite).await;
        let mut server = Instance::start(&db, "memory", &[("SIGN_UPS_PER_HOUR", "1000")]);
        server.ready().await;
        // One sign-up first: the pools, the hasher and the page code are warm.
        let res = server
            .call(
                &browser(),
                "signup",
                &[
                    ("name", "Warm Up"),
                    ("email", "warm@example.com"),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let before = server.memory_kib("VmRSS");
        let server = &server;
        let statuses = join_all((0..200).map(|i| async move {
            let email = format!("flood{i}@example.com");
            server
                .call(
                    &browser(),
                    "signup",
                    &[
                        ("name", "Flood Person"),
                        ("email", &email),
                        ("password", "correct horse battery"),
                    ],
                )
                .await
                .status()
                .as_u16()
        }))
        .await;
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
        let peak = server.memory_kib("VmHWM");
        let grown_mib = peak.saturating_sub(before) / 1024;
        println!(
            "peak memory {} MiB, {grown_mib} MiB above the warm server",
            peak / 1024
        );
        assert!(
            grown_mib < 250,
            "peak memory grew by {grown_mib} MiB for 200 sign-ups at once"
        );
    })
    .await
}

both_backends!(bodies_far_past_their_limit_get_413, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let (seller, s) = seller_with_login(&app, "Alpha Refurb").await;
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
    let id = redirected_id(
        &confirm(
            &app,
            &consumer,
            &confirm_form(&imei(1), 31_200, "key-big-0000000001"),
        )
        .await,
    );
    let ops = ops_client(&app).await;
    let order = format!("/seller/orders/{id}");
    // 30 MB and more: past every route's limit, the photo upload's included
    // (six photos of 5 MB and the form's text).
    let size =
        (30 * 1024 * 1024).max(tradein::features::orders::uploads::MAX_UPLOAD_BYTES + 1024 * 1024);
    let thirty_mb = vec![b'x'; size];
    // Each to someone allowed there: the limit, not the access check, answers.
    for (client, path) in [
        (&seller, order.as_str()),
        (&seller, "/seller/prices/upload"),
        (&ops, "/ops/blocklist"),
    ] {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(thirty_mb.clone()).file_name("big.bin"),
        );
        let res = client.post(app.url(path)).multipart(form).send().await;
        match res {
            Ok(res) => assert_eq!(
                res.status(),
                413,
                "{path}: {:?}",
                res.headers().get("location")
            ),
            // The server may answer 413 and close before the whole body
            // went out; a reset while sending is the same refusal.
            Err(e) => assert!(e.is_request() || e.is_body(), "{path}: {e}"),
        }
    }
    assert_eq!(state_of(&app, id).await, "label_issued", "nothing changed");
    assert_eq!(app.count("imei_blocklist").await, 0);
    assert_eq!(
        app.call(&seller, "current_user", &[]).await.status(),
        200,
        "the server is fine afterwards"
    );
    app.stop().await;
});
