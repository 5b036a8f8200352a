//! The seller API's webhooks (issue 26): endpoints registered by token,
//! deliveries signed per Standard Webhooks and checked with its reference
//! library, retried on a day-long schedule through the job queue, the
//! endpoint disabled and its seller mailed when it keeps failing, the
//! delivery log and "send again". A real HTTP receiver on this machine
//! answers what each step needs.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use crate::seller_api::{get, token};
use crate::seller_api_orders::sold;
use serde_json::Value;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use tradein::features::seller_events::service::RETRY_AFTER_MS;

/// What the receiver got: each request's headers and body.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(http::HeaderMap, String)>>>);

impl Received {
    fn all(&self) -> Vec<(http::HeaderMap, String)> {
        self.0.lock().unwrap().clone()
    }
}

/// A receiver answering `status`; its address and what it got.
async fn receiver(status: Arc<AtomicU16>) -> (String, Received) {
    let got = Received::default();
    let kept = got.clone();
    let app = axum::Router::new().route(
        "/hooks",
        axum::routing::post(move |headers: http::HeaderMap, body: String| {
            let kept = kept.clone();
            let status = status.clone();
            async move {
                kept.0.lock().unwrap().push((headers, body));
                http::StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hooks"), got)
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app
        .client()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Runs the queue until it has nothing due (publishing, then delivering).
async fn drain(app: &TestApp) {
    for _ in 0..5 {
        let report = tradein::platform::jobs::run_due(&app.state).await.unwrap();
        if report == Default::default() {
            return;
        }
    }
}

fn header(h: &http::HeaderMap, name: &str) -> String {
    h.get(name).unwrap().to_str().unwrap().to_string()
}

/// One more consumer's trade-in, bought by the seller `sold` made (the
/// only one with prices).
async fn another_order(app: &TestApp, n: u64) -> i64 {
    let buyer = customer(app, &format!("buyer{n}@example.com")).await;
    let res = confirm(
        app,
        &buyer,
        &confirm_form(&imei(500 + n), 31_200, &format!("key-hook-{n:012}")),
    )
    .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    redirected_id(&res)
}

both_backends!(
    webhooks_are_signed_retried_for_a_day_then_disabled_and_sent_again,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _, id, _) = sold(&app, 7).await;
        let (other, _) = seller_with_login(&app, "Omega Refurb").await;
        let mine = token(
            &app,
            &seller,
            "ERP",
            &["orders_read", "orders_write", "webhooks_manage"],
        )
        .await;
        let no_scope = token(&app, &seller, "Prices", &["listings_read"]).await;
        let theirs = token(&app, &other, "Omega", &["webhooks_manage"]).await;
        let status = Arc::new(AtomicU16::new(200));
        let (url, got) = receiver(status.clone()).await;

        // Registering: bad input is refused beside its field.
        let (s, bad) = send(
            &app,
            reqwest::Method::POST,
            "/api/v1/webhooks",
            &mine,
            Some(serde_json::json!({"url": "ftp://erp.example/x", "types": ["order.received"]})),
        )
        .await;
        assert_eq!(
            (s, bad["errors"][0]["field"].as_str()),
            (422, Some("url")),
            "{bad}"
        );
        let (s, bad) = send(
            &app,
            reqwest::Method::POST,
            "/api/v1/webhooks",
            &mine,
            Some(serde_json::json!({"url": url, "types": ["order.nope"]})),
        )
        .await;
        assert_eq!(
            (s, bad["errors"][0]["field"].as_str()),
            (422, Some("types")),
            "{bad}"
        );
        let (s, _) = send(
            &app,
            reqwest::Method::POST,
            "/api/v1/webhooks",
            &no_scope,
            Some(serde_json::json!({"url": url, "types": ["order.received"]})),
        )
        .await;
        assert_eq!(s, 403);
        assert_eq!(app.count("webhook_endpoints").await, 0);
        let (s, made) = send(
            &app,
            reqwest::Method::POST,
            "/api/v1/webhooks",
            &mine,
            Some(serde_json::json!({"url": url, "types": ["order.received", "order.paid"]})),
        )
        .await;
        assert_eq!(s, 201, "{made}");
        let secret = made["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("whsec_"));
        let endpoint = made["id"].as_i64().unwrap();
        // Kept sealed, never as given.
        let stored: String =
            sqlx::query_scalar("SELECT secret FROM webhook_endpoints WHERE id = $1")
                .bind(endpoint)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert!(!stored.contains(&secret[6..]));
        // Another seller sees and touches none of it.
        let (_, _, theirs_list) = get(&app, "/api/v1/webhooks", Some(&theirs)).await;
        assert_eq!(theirs_list["data"], serde_json::json!([]));
        assert_eq!(
            send(
                &app,
                reqwest::Method::DELETE,
                &format!("/api/v1/webhooks/{endpoint}"),
                &theirs,
                None
            )
            .await
            .0,
            404
        );
        assert_eq!(
            get(
                &app,
                &format!("/api/v1/webhooks/{endpoint}/deliveries"),
                Some(&theirs)
            )
            .await
            .0,
            404
        );

        // The order made before the endpoint is not sent; the next move is,
        // signed so that the reference library accepts it.
        send(
            &app,
            reqwest::Method::POST,
            &format!("/api/v1/orders/{id}/receive"),
            &mine,
            None,
        )
        .await;
        drain(&app).await;
        let first = got.all();
        assert_eq!(first.len(), 1, "one delivery");
        let (headers, body) = &first[0];
        let event: Value = serde_json::from_str(body).unwrap();
        assert_eq!(event["type"], "order.received");
        assert_eq!(event["data"]["order_id"], id);
        assert_eq!(header(headers, "webhook-id"), event["id"].as_str().unwrap());
        let timestamp: i64 = header(headers, "webhook-timestamp").parse().unwrap();
        assert_eq!(timestamp, crate::harness::START_MS / 1000);
        let wh = standardwebhooks::Webhook::new(&secret).unwrap();
        assert_eq!(
            wh.sign(&header(headers, "webhook-id"), timestamp, body.as_bytes())
                .unwrap(),
            header(headers, "webhook-signature")
        );
        // A receiver checking with the library and the real clock refuses
        // the same delivery replayed later: the timestamp is signed.
        let now = jiff::Timestamp::now().as_second();
        let mut fresh = http::HeaderMap::new();
        fresh.insert("webhook-id", header(headers, "webhook-id").parse().unwrap());
        fresh.insert("webhook-timestamp", now.to_string().parse().unwrap());
        fresh.insert(
            "webhook-signature",
            wh.sign(&header(headers, "webhook-id"), now, body.as_bytes())
                .unwrap()
                .parse()
                .unwrap(),
        );
        assert!(wh.verify(body.as_bytes(), &fresh).is_ok());
        let mut replayed = fresh.clone();
        replayed.insert(
            "webhook-timestamp",
            (now - 600).to_string().parse().unwrap(),
        );
        assert!(
            wh.verify(body.as_bytes(), &replayed).is_err(),
            "ten minutes late"
        );
        let mut tampered = fresh.clone();
        tampered.insert("webhook-id", "evt_999".parse().unwrap());
        assert!(wh.verify(body.as_bytes(), &tampered).is_err(), "another id");

        // The receiver fails: each attempt waits longer, for about a day.
        status.store(500, Ordering::SeqCst);
        let inspect = format!("/api/v1/orders/{id}/inspect");
        let (s, _) = send(&app, reqwest::Method::POST, &inspect, &mine,
            Some(serde_json::json!({"works": true, "screen": "flawless", "body": "flawless", "imei_found": imei(307)}))).await;
        assert_eq!(s, 200);
        // Validated: not a kind the endpoint listens to.
        drain(&app).await;
        assert_eq!(got.all().len(), 1);

        let second = another_order(&app, 8).await;
        send(
            &app,
            reqwest::Method::POST,
            &format!("/api/v1/orders/{second}/receive"),
            &mine,
            None,
        )
        .await;
        drain(&app).await;
        assert_eq!(got.all().len(), 2);
        let log = format!("/api/v1/webhooks/{endpoint}/deliveries");
        let (_, _, deliveries) = get(&app, &log, Some(&mine)).await;
        let failing = deliveries["data"][0].clone();
        assert_eq!(failing["state"], "pending", "{deliveries}");
        assert_eq!(failing["last_status"], 500);
        assert_eq!(failing["attempts"], 1);
        assert!(failing["next_attempt_at"].is_string());
        for (n, wait) in RETRY_AFTER_MS.iter().enumerate() {
            // Not a moment before it is due.
            app.clock.advance_ms(wait - 1);
            drain(&app).await;
            assert_eq!(got.all().len(), 2 + n, "attempt {} waits", n + 2);
            app.clock.advance_ms(1);
            drain(&app).await;
            assert_eq!(got.all().len(), 3 + n, "attempt {}", n + 2);
        }
        let all = got.all();
        let retried: Vec<String> = all[1..]
            .iter()
            .map(|(h, _)| header(h, "webhook-id"))
            .collect();
        assert!(
            retried.iter().all(|i| *i == retried[0]),
            "the same id on every attempt"
        );
        let (_, _, deliveries) = get(&app, &log, Some(&mine)).await;
        assert_eq!(deliveries["data"][0]["state"], "failed");
        assert_eq!(deliveries["data"][0]["attempts"], 8);
        let (_, _, endpoints) = get(&app, "/api/v1/webhooks", Some(&mine)).await;
        assert_eq!(endpoints["data"][0]["enabled"], false, "{endpoints}");
        assert!(endpoints["data"][0]["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("500"));
        let contact: String = sqlx::query_scalar(
            "SELECT s.contact_email FROM sellers s JOIN webhook_endpoints w ON w.seller_id = s.id WHERE w.id = $1",
        )
        .bind(endpoint)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        let mail = app.sent_mail(&contact, "webhook_disabled").await;
        assert!(mail.contains(&url), "{mail}");

        // Nothing more is sent while it is off; "send again" waits for it
        // to be turned back on, then delivers once.
        let delivery = deliveries["data"][0]["id"].as_i64().unwrap();
        let retry = format!("/api/v1/webhooks/{endpoint}/deliveries/{delivery}/retry");
        assert_eq!(
            send(&app, reqwest::Method::POST, &retry, &mine, None)
                .await
                .0,
            409
        );
        assert_eq!(
            send(&app, reqwest::Method::POST, &retry, &theirs, None)
                .await
                .0,
            404
        );
        assert_eq!(
            send(
                &app,
                reqwest::Method::POST,
                &format!("/api/v1/webhooks/{endpoint}/enable"),
                &theirs,
                None
            )
            .await
            .0,
            404
        );
        let (s, on) = send(
            &app,
            reqwest::Method::POST,
            &format!("/api/v1/webhooks/{endpoint}/enable"),
            &mine,
            None,
        )
        .await;
        assert_eq!((s, on["enabled"].as_bool()), (200, Some(true)));
        status.store(204, Ordering::SeqCst);
        let (s, queued) = send(&app, reqwest::Method::POST, &retry, &mine, None).await;
        assert_eq!(s, 202, "{queued}");
        drain(&app).await;
        assert_eq!(got.all().len(), 10);
        let (_, _, deliveries) = get(&app, &log, Some(&mine)).await;
        assert_eq!(deliveries["data"][0]["state"], "delivered");
        assert_eq!(deliveries["data"][0]["last_status"], 204);
        assert_eq!(deliveries["data"][0]["attempts"], 9);

        // Deleted: nothing more is sent, and it is gone from the list.
        assert_eq!(
            send(
                &app,
                reqwest::Method::DELETE,
                &format!("/api/v1/webhooks/{endpoint}"),
                &mine,
                None
            )
            .await
            .0,
            204
        );
        let third = another_order(&app, 9).await;
        send(
            &app,
            reqwest::Method::POST,
            &format!("/api/v1/orders/{third}/receive"),
            &mine,
            None,
        )
        .await;
        drain(&app).await;
        assert_eq!(got.all().len(), 10);
        let (_, _, endpoints) = get(&app, "/api/v1/webhooks", Some(&mine)).await;
        assert_eq!(endpoints["data"], serde_json::json!([]));
    }
);

both_backends!(
    the_webhooks_page_adds_an_endpoint_and_shows_its_log,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _) = seller_with_login(&app, "Page Refurb").await;
        // Bad input: both fields said at once, nothing made.
        let res = app
            .call(&seller, "create_webhook_endpoint", &[("url", "not a url")])
            .await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("\"field\":\"url\"") && body.contains("\"field\":\"kinds\""),
            "{body}"
        );
        assert_eq!(app.count("webhook_endpoints").await, 0);
        let res = app
            .call(
                &seller,
                "create_webhook_endpoint",
                &[
                    ("url", "https://erp.example/hooks"),
                    ("order_paid", "yes"),
                    ("claim_opened", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let secret: String = res.json().await.unwrap();
        assert!(secret.starts_with("whsec_"));
        let res = app.call(&seller, "webhook_endpoints", &[]).await;
        let list: Value = res.json().await.unwrap();
        assert_eq!(list[0]["url"], "https://erp.example/hooks");
        assert_eq!(
            list[0]["kinds"],
            serde_json::json!(["order.paid", "claim.opened"])
        );
        let page = seller
            .get(app.url("/seller/api/webhooks"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("https://erp.example/hooks"), "{page}");
    }
);
