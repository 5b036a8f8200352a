//! The seller API's orders (issue 26): list and get with timeline,
//! tracking and photos; receive, inspect, counter-offer with photos,
//! validate, suspend and confirm payment through the same state machine as
//! the order page; the reference lists; the events feed. Every endpoint is
//! also called with another seller's token (404) and without the scope
//! (403).

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use crate::seller_api::{get, token};
use serde_json::Value;
use tradein::domain::grade::Grade;

const SKU: &str = "iphone-13-128gb";

/// A seller with prices for two grades and a consumer's confirmed
/// trade-in: (seller's client, customer, order id, IMEI).
pub async fn sold(app: &TestApp, n: u64) -> (reqwest::Client, reqwest::Client, i64, String) {
    let (seller, seller_id) = seller_with_login(app, &format!("Alpha Refurb {n}")).await;
    listing(app, seller_id, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
    listing(app, seller_id, SKU, Grade::FunctionalCracked, 15_000, 1_000).await;
    let customer = customer(app, &format!("jane{n}@example.com")).await;
    let device = imei(300 + n);
    let res = confirm(
        app,
        &customer,
        &confirm_form(&device, 31_200, &format!("key-api-{n:012}")),
    )
    .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    (seller, customer, redirected_id(&res), device)
}

async fn post(app: &TestApp, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = app.client().post(app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn counter_offer(
    app: &TestApp,
    token: &str,
    id: i64,
    price: &str,
    reasons: &[&str],
    photos: usize,
) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new()
        .text("price", price.to_string())
        .text("note", "Deep scratch across the screen.");
    for r in reasons {
        form = form.text("reasons", r.to_string());
    }
    for i in 0..photos {
        form = form.part(
            "photos",
            reqwest::multipart::Part::bytes(photo_fixture("exif.jpg"))
                .file_name(format!("scratch-{i}.jpg")),
        );
    }
    let res = app
        .client()
        .post(app.url(&format!("/api/v1/orders/{id}/counter-offer")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|f| f["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

both_backends!(
    orders_are_listed_read_and_moved_by_their_seller_only,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, customer, id, device) = sold(&app, 1).await;
        let (other, _) = seller_with_login(&app, "Beta Refurb").await;
        let mine = token(&app, &seller, "ERP", &["orders_read", "orders_write"]).await;
        let reader = token(&app, &seller, "BI", &["orders_read"]).await;
        let prices_only = token(&app, &seller, "Prices", &["listings_read"]).await;
        let theirs = token(&app, &other, "Beta ERP", &["orders_read", "orders_write"]).await;

        // The list: the order, filtered by state and by when it changed.
        let (status, _, page) = get(&app, "/api/v1/orders", Some(&mine)).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["data"][0]["id"], id);
        assert_eq!(page["data"][0]["state"], "label_issued");
        assert_eq!(page["data"][0]["price"]["amount"], "312.00");
        assert!(page["data"][0]["tracking_number"].is_string());
        let (_, _, none) = get(
            &app,
            "/api/v1/orders?state=received,inspecting",
            Some(&mine),
        )
        .await;
        assert_eq!(none["data"], serde_json::json!([]));
        let (_, _, future) = get(
            &app,
            "/api/v1/orders?updated_since=2099-01-01T00:00:00Z",
            Some(&mine),
        )
        .await;
        assert_eq!(future["data"], serde_json::json!([]));
        let (status, kind, bad) = get(&app, "/api/v1/orders?state=nowhere", Some(&mine)).await;
        assert_eq!((status, kind.as_str()), (422, "application/problem+json"));
        assert_eq!(fields(&bad), ["state"]);
        assert_eq!(
            get(&app, "/api/v1/orders?updated_since=yesterday", Some(&mine))
                .await
                .0,
            422
        );
        assert_eq!(
            get(&app, "/api/v1/orders?colour=red", Some(&mine)).await.0,
            422
        );
        // Another seller sees none of it; a token without the scope, 403.
        let (_, _, theirs_page) = get(&app, "/api/v1/orders", Some(&theirs)).await;
        assert_eq!(theirs_page["data"], serde_json::json!([]));
        assert_eq!(get(&app, "/api/v1/orders", Some(&prices_only)).await.0, 403);
        assert_eq!(get(&app, "/api/v1/orders", None).await.0, 401);

        // One order, with its timeline; 404 for another seller.
        let path = format!("/api/v1/orders/{id}");
        let (status, _, order) = get(&app, &path, Some(&reader)).await;
        assert_eq!(status, 200, "{order}");
        assert_eq!(order["identifier"], device.as_str());
        assert_eq!(order["declared"]["screen"], "light_scratches");
        assert_eq!(
            order["timeline"].as_array().unwrap().last().unwrap()["state"],
            "label_issued"
        );
        assert_eq!(get(&app, &path, Some(&theirs)).await.0, 404);
        assert_eq!(get(&app, "/api/v1/orders/999999", Some(&mine)).await.0, 404);
        assert_eq!(get(&app, "/api/v1/orders/abc", Some(&mine)).await.0, 404);

        // Receive: read-only 403, another seller 404, then received once.
        let receive = format!("/api/v1/orders/{id}/receive");
        assert_eq!(post(&app, &receive, &reader, None).await.0, 403);
        assert_eq!(post(&app, &receive, &theirs, None).await.0, 404);
        assert_eq!(state_of(&app, id).await, "label_issued");
        let (status, received) = post(&app, &receive, &mine, None).await;
        assert_eq!(status, 200, "{received}");
        assert_eq!(received["state"], "received");
        assert!(received["tracking"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["direction"] == "inbound"));
        assert_eq!(
            post(&app, &receive, &mine, None).await.0,
            200,
            "twice is harmless"
        );

        // Inspect: bad input changes nothing; worse than declared proposes
        // the seller's own price for the grade found.
        let inspect = format!("/api/v1/orders/{id}/inspect");
        let (status, bad) = post(
            &app,
            &inspect,
            &mine,
            Some(serde_json::json!({"works": true, "screen": "shattered", "body": "flawless", "imei_found": "12"})),
        )
        .await;
        assert_eq!(status, 422, "{bad}");
        assert_eq!(fields(&bad), ["imei_found", "screen"]);
        let (status, _) = post(
            &app,
            &inspect,
            &mine,
            Some(serde_json::json!({"works": true, "screen": "cracked", "body": "flawless", "colour": "red"})),
        )
        .await;
        assert_eq!(status, 422, "unknown fields are refused");
        assert_eq!(state_of(&app, id).await, "received");
        assert_eq!(
            post(&app, &inspect, &theirs, Some(serde_json::json!({"works": true, "screen": "cracked", "body": "flawless", "imei_found": device}))).await.0,
            404
        );
        let (status, found) = post(
            &app,
            &inspect,
            &mine,
            Some(serde_json::json!({"works": true, "screen": "cracked", "body": "flawless", "imei_found": device})),
        )
        .await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(found["outcome"], "worse");
        assert_eq!(found["found_grade"], "functional_cracked");
        assert_eq!(found["suggested_price"]["amount"], "150.00");
        assert_eq!(found["order"]["state"], "inspecting");

        // Counter-offer: 1 to 6 photos, reasons from the list, a lower price.
        let (status, bad) = counter_offer(&app, &mine, id, "400.00", &["nope"], 0).await;
        assert_eq!(status, 422, "{bad}");
        let mut wrong = fields(&bad);
        wrong.sort();
        assert_eq!(wrong, ["price", "reasons"], "{bad}");
        let (status, bad) = counter_offer(&app, &mine, id, "150.00", &["screen"], 7).await;
        assert_eq!((status, fields(&bad)), (422, vec!["photos".to_string()]));
        let (status, bad) = counter_offer(&app, &mine, id, "150.00", &["screen"], 0).await;
        assert_eq!((status, fields(&bad)), (422, vec!["photos".to_string()]));
        assert_eq!(
            counter_offer(&app, &theirs, id, "150.00", &["screen"], 1)
                .await
                .0,
            404
        );
        assert_eq!(
            counter_offer(&app, &reader, id, "150.00", &["screen"], 1)
                .await
                .0,
            403
        );
        assert_eq!(state_of(&app, id).await, "inspecting");
        let (status, countered) =
            counter_offer(&app, &mine, id, "150.00", &["screen", "body"], 2).await;
        assert_eq!(status, 200, "{countered}");
        assert_eq!(countered["state"], "counter_offered");
        assert_eq!(countered["counter_offer"]["price"]["amount"], "150.00");
        assert_eq!(
            countered["counter_offer"]["reasons"],
            serde_json::json!(["screen", "body"])
        );
        let photo = countered["counter_offer"]["photos"][0]
            .as_str()
            .unwrap()
            .to_string();
        let res = app
            .client()
            .get(app.url(&photo))
            .bearer_auth(&reader)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("image/"));
        assert_eq!(get(&app, &photo, Some(&theirs)).await.0, 404);
        assert_eq!(get(&app, &photo, Some(&prices_only)).await.0, 403);

        // The consumer accepts on their page; the seller pays over the API.
        let res = app
            .call(
                &customer,
                "answer_counter_offer",
                &[("id", &id.to_string()), ("answer", "accept")],
            )
            .await;
        assert_eq!(res.status(), 200);
        let pay = format!("/api/v1/orders/{id}/confirm-payment");
        assert_eq!(post(&app, &pay, &theirs, None).await.0, 404);
        assert_eq!(post(&app, &pay, &reader, None).await.0, 403);
        let (status, paid) = post(&app, &pay, &mine, None).await;
        assert_eq!(status, 200, "{paid}");
        assert_eq!(paid["state"], "paid");
        assert_eq!(paid["final_price"]["amount"], "150.00");
        assert_eq!(paid["payout"]["amount"]["amount"], "150.00");
        let states: Vec<&str> = paid["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["state"].as_str().unwrap())
            .collect();
        assert_eq!(
            states,
            [
                "created",
                "label_issued",
                "received",
                "inspecting",
                "counter_offered",
                "validated",
                "paid"
            ]
        );
        // Paying twice pays once.
        assert_eq!(post(&app, &pay, &mine, None).await.0, 200);
        assert_eq!(app.count("payouts").await, 1);
    }
);

both_backends!(
    an_order_is_validated_or_suspended_over_the_api,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _, first, _) = sold(&app, 2).await;
        let customer_two = customer(&app, "joe@example.com").await;
        let res = confirm(
            &app,
            &customer_two,
            &confirm_form(&imei(402), 31_200, "key-api-second-000000000002"),
        )
        .await;
        let second = redirected_id(&res);
        let (other, _) = seller_with_login(&app, "Gamma Refurb").await;
        let mine = token(&app, &seller, "ERP", &["orders_read", "orders_write"]).await;
        let theirs = token(&app, &other, "Gamma ERP", &["orders_write"]).await;

        // Validate refuses a move the state machine does not allow.
        let validate = format!("/api/v1/orders/{first}/validate");
        let (status, problem) = post(&app, &validate, &mine, None).await;
        assert_eq!(status, 409, "{problem}");
        assert_eq!(problem["type"], "/api/v1/problems/conflict");
        assert_eq!(post(&app, &validate, &theirs, None).await.0, 404);
        post(
            &app,
            &format!("/api/v1/orders/{first}/receive"),
            &mine,
            None,
        )
        .await;
        assert_eq!(
            post(&app, &validate, &mine, None).await.0,
            409,
            "inspect first"
        );
        // Found worse than declared, validated anyway at the accepted price.
        let (status, found) = post(
            &app,
            &format!("/api/v1/orders/{first}/inspect"),
            &mine,
            Some(serde_json::json!({"works": true, "screen": "visible_wear", "body": "flawless", "imei_found": imei(302)})),
        )
        .await;
        assert_eq!(
            (status, found["outcome"].as_str()),
            (200, Some("worse")),
            "{found}"
        );
        let (status, validated) = post(&app, &validate, &mine, None).await;
        assert_eq!(status, 200, "{validated}");
        assert_eq!(validated["state"], "validated");
        assert_eq!(validated["payout"]["state"], "pending");

        // Suspend with a reason id from the reference list.
        let (status, _, reasons) = get(&app, "/api/v1/reasons/suspension", Some(&mine)).await;
        assert_eq!(status, 200);
        assert!(reasons["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "parcel_empty"));
        let (_, _, counter_reasons) = get(&app, "/api/v1/reasons/counter-offer", Some(&mine)).await;
        assert_eq!(counter_reasons["data"].as_array().unwrap().len(), 4);
        assert_eq!(get(&app, "/api/v1/reasons/suspension", None).await.0, 401);
        let suspend = format!("/api/v1/orders/{second}/suspend");
        post(
            &app,
            &format!("/api/v1/orders/{second}/receive"),
            &mine,
            None,
        )
        .await;
        let (status, bad) = post(
            &app,
            &suspend,
            &mine,
            Some(serde_json::json!({"reason": "bored"})),
        )
        .await;
        assert_eq!((status, fields(&bad)), (422, vec!["reason".to_string()]));
        assert_eq!(
            post(
                &app,
                &suspend,
                &mine,
                Some(serde_json::json!({"reason": 3}))
            )
            .await
            .0,
            422
        );
        assert_eq!(
            post(
                &app,
                &suspend,
                &theirs,
                Some(serde_json::json!({"reason": "parcel_empty"}))
            )
            .await
            .0,
            404
        );
        assert_eq!(state_of(&app, second).await, "received");
        let (status, suspended) = post(
            &app,
            &suspend,
            &mine,
            Some(serde_json::json!({"reason": "parcel_empty"})),
        )
        .await;
        assert_eq!(status, 200, "{suspended}");
        assert_eq!(suspended["state"], "suspended");
        assert_eq!(suspended["suspension_reason"], "parcel_empty");
        let (_, _, page) = get(&app, "/api/v1/orders?state=suspended", Some(&mine)).await;
        assert_eq!(page["data"].as_array().unwrap().len(), 1);
        assert_eq!(page["data"][0]["id"], second);
    }
);

both_backends!(
    the_events_feed_lists_what_happened_in_order_by_cursor,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _, id, _) = sold(&app, 3).await;
        let (other, _) = seller_with_login(&app, "Delta Refurb").await;
        let orders = token(&app, &seller, "ERP", &["orders_read", "orders_write"]).await;
        let prices = token(
            &app,
            &seller,
            "Prices",
            &["listings_read", "listings_write"],
        )
        .await;
        let writer = token(&app, &seller, "Writer", &["orders_write"]).await;
        let theirs = token(&app, &other, "Delta", &["orders_read", "listings_read"]).await;
        post(&app, &format!("/api/v1/orders/{id}/receive"), &orders, None).await;
        let (_, _, listings) = get(&app, "/api/v1/listings", Some(&prices)).await;
        let listing = &listings["data"][0];
        let res = app
            .client()
            .patch(app.url(&format!("/api/v1/listings/{}", listing["id"])))
            .bearer_auth(&prices)
            .json(&serde_json::json!({"version": listing["version"], "price": "320.00"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{:?}", res.text().await);

        // Nothing is in the feed before it is published.
        let (_, _, before) = get(&app, "/api/v1/events", Some(&orders)).await;
        assert_eq!(before["data"], serde_json::json!([]));
        assert_eq!(before["next"], "0", "a poller keeps its place");
        tradein::platform::jobs::run_due(&app.state).await.unwrap();

        let (status, _, feed) = get(&app, "/api/v1/events", Some(&orders)).await;
        assert_eq!(status, 200, "{feed}");
        let kinds: Vec<&str> = feed["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["order.created", "order.received"],
            "orders:read sees orders only"
        );
        assert_eq!(feed["data"][1]["data"]["order_id"], id);
        assert_eq!(feed["data"][1]["data"]["previous_state"], "label_issued");
        assert!(feed["data"][0]["id"].as_str().unwrap().starts_with("evt_"));
        // Read on from the cursor: nothing new, and the same place.
        let next = feed["next"].as_str().unwrap().to_string();
        let (_, _, after) = get(
            &app,
            &format!("/api/v1/events?cursor={next}"),
            Some(&orders),
        )
        .await;
        assert_eq!(after["data"], serde_json::json!([]));
        assert_eq!(after["next"], next.as_str());
        // By kind; other sellers and other scopes see none of it.
        let (_, _, received) = get(&app, "/api/v1/events?type=order.received", Some(&orders)).await;
        assert_eq!(received["data"].as_array().unwrap().len(), 1);
        let (_, _, listing_events) = get(&app, "/api/v1/events", Some(&prices)).await;
        let listing_kinds: Vec<&str> = listing_events["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            listing_kinds,
            ["listing.updated"],
            "listings:read sees listings only"
        );
        assert_eq!(
            listing_events["data"][0]["data"]["listing_id"],
            listing["id"]
        );
        let (_, _, theirs_feed) = get(&app, "/api/v1/events", Some(&theirs)).await;
        assert_eq!(theirs_feed["data"], serde_json::json!([]));
        assert_eq!(get(&app, "/api/v1/events", Some(&writer)).await.0, 403);
        assert_eq!(
            get(&app, "/api/v1/events?type=order.nope", Some(&orders))
                .await
                .0,
            422
        );
        assert_eq!(
            get(&app, "/api/v1/events?cursor=-4", Some(&orders)).await.0,
            422
        );
    }
);
