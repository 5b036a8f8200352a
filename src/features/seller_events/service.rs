//! A refurbisher's events: recorded in the transaction of the change they
//! tell about, published to the feed in the order they became visible, and
//! pushed to the webhook endpoints that listen to them.
//!
//! - `record` adds the event without a place in the feed and queues the
//!   publishing job, all in the caller's transaction: an event exists if
//!   and only if its change committed.
//! - `publish` (the job) gives waiting events their `seq`, one run at a
//!   time across instances (an advisory lock), so a reader paging the feed
//!   by `seq` never skips an event that committed late. In the same
//!   transaction it adds a delivery per listening endpoint and queues it.
//! - `deliver` (the job, once per attempt across instances) signs the
//!   event per Standard Webhooks and posts it. A failure plans the next
//!   attempt on a schedule of about a day; when the last one fails and the
//!   endpoint has not answered well since the delivery began, the endpoint
//!   is disabled and the refurbisher told by mail.
//!
//! Events are thin: what happened, to what, and when. The caller reads the
//! object itself from the API for the rest.

use super::repo;
use crate::domain::ids::{SellerId, TradeInId, UserId};
use crate::domain::seller_event::EventKind;
use crate::domain::tradein::{Action, State};
use crate::error::AppError;
use crate::platform::clock::{HOUR_MS, MINUTE_MS};
use crate::platform::db::{db_error, DbResult};
use crate::platform::jobs::ClaimedJob;
use crate::platform::state::AppState;
use sqlx::AnyConnection;

pub use repo::{AttemptRow, DeliveryRow, EndpointRow, EventRow};

pub const PUBLISH_JOB: &str = "publish_events";
pub const DELIVER_JOB: &str = "deliver_webhook";

/// Waits after each failed attempt: 8 attempts over 27 h 35 min, the
/// schedule Standard Webhooks' reference senders use.
pub const RETRY_AFTER_MS: [i64; 7] = [
    5_000,
    5 * MINUTE_MS,
    30 * MINUTE_MS,
    2 * HOUR_MS,
    5 * HOUR_MS,
    10 * HOUR_MS,
    10 * HOUR_MS,
];

/// The most endpoints a refurbisher keeps.
pub const MAX_ENDPOINTS: usize = 10;

/// Records an event in the caller's transaction.
pub async fn record(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    kind: EventKind,
    subject_id: i64,
    data: serde_json::Value,
    now: i64,
) -> DbResult<()> {
    let id = repo::insert(
        conn,
        seller_id,
        kind.code(),
        kind.subject(),
        subject_id,
        &data.to_string(),
        now,
    )
    .await?;
    crate::platform::jobs::repo::enqueue(conn, PUBLISH_JOB, &id.to_string(), "", now, now).await?;
    Ok(())
}

/// The event of a move of an order (`trade_ins::service::transition`).
pub async fn record_order_move(
    conn: &mut AnyConnection,
    id: TradeInId,
    action: Action,
    from: State,
    to: State,
    now: i64,
) -> DbResult<()> {
    let Some(kind) = EventKind::of_move(action, to) else {
        return Ok(());
    };
    let Some(seller_id) = repo::seller_of_trade_in(conn, id).await? else {
        return Ok(());
    };
    record(
        conn,
        seller_id,
        kind,
        id.get(),
        serde_json::json!({
            "order_id": id.get(),
            "state": to.code(),
            "previous_state": from.code(),
        }),
        now,
    )
    .await
}

/// The event of a claim opened on one of the seller's orders.
pub async fn record_claim(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    claim_id: i64,
    order_id: TradeInId,
    kind: &str,
    now: i64,
) -> DbResult<()> {
    record(
        conn,
        seller_id,
        EventKind::ClaimOpened,
        claim_id,
        serde_json::json!({"claim_id": claim_id, "order_id": order_id.get(), "kind": kind}),
        now,
    )
    .await
}

/// A listing bought its weekly cap.
pub async fn record_listing_capped(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    listing: crate::domain::ids::ListingId,
    now: i64,
) -> DbResult<()> {
    record(
        conn,
        seller_id,
        EventKind::ListingCapped,
        listing.get(),
        serde_json::json!({"listing_id": listing.get()}),
        now,
    )
    .await
}

/// One listing changed (its price, cap or activity).
pub async fn record_listing_updated(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    listing: crate::domain::ids::ListingId,
    version: i64,
    now: i64,
) -> DbResult<()> {
    record(
        conn,
        seller_id,
        EventKind::ListingUpdated,
        listing.get(),
        serde_json::json!({"listing_id": listing.get(), "version": version}),
        now,
    )
    .await
}

/// A file or a bulk call changed many listings: how many of each.
pub async fn record_listings_imported(
    conn: &mut AnyConnection,
    seller_id: SellerId,
    created: usize,
    updated: usize,
    stopped: usize,
    source: &str,
    now: i64,
) -> DbResult<()> {
    record(
        conn,
        seller_id,
        EventKind::ListingsImported,
        0,
        serde_json::json!({"created": created, "updated": updated, "stopped": stopped, "source": source}),
        now,
    )
    .await
}

/// Gives waiting events their place in the feed and queues their
/// deliveries; how many it published.
pub async fn publish(state: &AppState) -> DbResult<usize> {
    const BATCH: i64 = 500;
    let mut total = 0;
    loop {
        let now = state.clock.now_ms();
        let mut tx = state.db.write_tx().await?;
        crate::platform::db::lock(&mut tx, "seller-events:publish").await?;
        let waiting = repo::unpublished(&mut tx, BATCH).await?;
        let mut seq = repo::last_seq(&mut tx).await?;
        for (id, seller_id, kind) in &waiting {
            seq += 1;
            repo::set_seq(&mut tx, *id, seq).await?;
            for endpoint in repo::listeners(&mut tx, *seller_id, kind).await? {
                if let Some(delivery) = repo::insert_delivery(&mut tx, endpoint, *id, now).await? {
                    queue_attempt(&mut tx, delivery, 1, now).await?;
                }
            }
        }
        tx.commit().await?;
        total += waiting.len();
        if (waiting.len() as i64) < BATCH {
            return Ok(total);
        }
    }
}

/// Queues attempt `n` of a delivery (the job key makes each attempt once).
async fn queue_attempt(conn: &mut AnyConnection, delivery: i64, n: i64, at: i64) -> DbResult<()> {
    crate::platform::jobs::repo::enqueue(conn, DELIVER_JOB, &format!("{delivery}:{n}"), "", at, at)
        .await
        .map(|_| ())
}

/// An event as the feed lists it and a delivery posts it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Envelope {
    /// `evt_…`: also the `webhook-id` of the event's deliveries.
    #[schema(example = "evt_42")]
    pub id: String,
    #[serde(rename = "type")]
    #[schema(example = "order.received")]
    pub kind: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// What the event is about: ids to read from the API
    /// (`order_id`, `listing_id`, …) and the new state where there is one.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

pub fn envelope(e: &EventRow) -> Envelope {
    Envelope {
        id: event_id(e.id),
        kind: e.kind.clone(),
        created_at: crate::platform::zone::rfc3339(e.at),
        data: serde_json::from_str(&e.data).unwrap_or_default(),
    }
}

/// An event's public id: also the `webhook-id` of its deliveries, the same
/// on every attempt, so a receiver can drop repeats.
pub fn event_id(id: i64) -> String {
    format!("evt_{id}")
}

/// Runs one attempt of a delivery (its job's key: `delivery:attempt`, or
/// `delivery:again:n` for a "send again"). Safe to run twice: an attempt
/// whose delivery moved on is skipped.
pub async fn deliver(state: &AppState, job: &ClaimedJob) -> Result<(), String> {
    let (delivery_id, attempt, again) = match job.key.split(':').collect::<Vec<_>>()[..] {
        [d, n] => (d.parse::<i64>(), n.parse::<i64>(), false),
        [d, "again", n] => (d.parse::<i64>(), n.parse::<i64>(), true),
        _ => return Err(format!("not a delivery key: {}", job.key)),
    };
    let (Ok(delivery_id), Ok(attempt)) = (delivery_id, attempt) else {
        return Err(format!("not a delivery key: {}", job.key));
    };
    let pool = state.db.pool();
    let failed = |e: sqlx::Error| e.to_string();
    let Some(d) = repo::delivery(pool, delivery_id).await.map_err(failed)? else {
        return Ok(());
    };
    // A repeat of an attempt already made, or one overtaken by a success.
    if d.state != "pending" || d.attempts >= attempt {
        return Ok(());
    }
    let Some(endpoint) = repo::endpoint(pool, d.endpoint_id).await.map_err(failed)? else {
        return Ok(());
    };
    let Some(event) = repo::event(pool, d.event_id).await.map_err(failed)? else {
        return Ok(());
    };
    let now = state.clock.now_ms();
    if endpoint.deleted_at_or_disabled() {
        let mut conn = pool.acquire().await.map_err(failed)?;
        return repo::record_attempt(
            &mut conn,
            d.id,
            None,
            "the endpoint is disabled",
            0,
            "failed",
            None,
            now,
        )
        .await
        .map_err(failed);
    }
    let secret = state
        .secret
        .open_webhook_secret(&endpoint.secret)
        .ok_or("the endpoint's secret cannot be opened with the app's secrets")?;
    let body = serde_json::to_string(&envelope(&event)).map_err(|e| e.to_string())?;
    let msg_id = event_id(event.id);
    let timestamp = now.div_euclid(1000);
    let signature = sign(&secret, &msg_id, timestamp, &body)?;
    let started = std::time::Instant::now();
    let outcome = state
        .webhooks
        .post(
            &endpoint.url,
            vec![
                ("webhook-id", msg_id),
                ("webhook-timestamp", timestamp.to_string()),
                ("webhook-signature", signature),
            ],
            body,
        )
        .await;
    let duration_ms = started.elapsed().as_millis() as i64;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(failed)?;
    let (status, error) = match &outcome {
        Ok(code) if (200..300).contains(code) => (Some(i64::from(*code)), String::new()),
        Ok(code) => (Some(i64::from(*code)), format!("answered {code}")),
        Err(e) => (None, e.clone()),
    };
    if error.is_empty() {
        repo::record_attempt(
            &mut tx,
            d.id,
            status,
            "",
            duration_ms,
            "delivered",
            None,
            now,
        )
        .await
        .map_err(failed)?;
        repo::mark_success(&mut tx, endpoint.id, now)
            .await
            .map_err(failed)?;
    } else if let Some(wait) = (!again)
        .then(|| RETRY_AFTER_MS.get(attempt as usize - 1))
        .flatten()
    {
        let next = now + wait;
        repo::record_attempt(
            &mut tx,
            d.id,
            status,
            &error,
            duration_ms,
            "pending",
            Some(next),
            now,
        )
        .await
        .map_err(failed)?;
        queue_attempt(&mut tx, d.id, attempt + 1, next)
            .await
            .map_err(failed)?;
    } else {
        repo::record_attempt(
            &mut tx,
            d.id,
            status,
            &error,
            duration_ms,
            "failed",
            None,
            now,
        )
        .await
        .map_err(failed)?;
        // Failing for a day with nothing received well meanwhile: the
        // endpoint is gone or broken; stop sending and say so.
        let answered_since = endpoint.last_success_at.is_some_and(|at| at > d.created_at);
        if !again && !answered_since {
            disable(&mut tx, state, &endpoint, &error, now)
                .await
                .map_err(failed)?;
        }
    }
    tx.commit().await.map_err(failed)
}

/// `v1,<base64>`: Standard Webhooks' signature of `id.timestamp.body` with
/// the endpoint's `whsec_` secret.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &str) -> Result<String, String> {
    standardwebhooks::Webhook::new(secret)
        .and_then(|wh| wh.sign(msg_id, timestamp, body.as_bytes()))
        .map_err(|e| format!("cannot sign: {e}"))
}

async fn disable(
    conn: &mut AnyConnection,
    state: &AppState,
    endpoint: &EndpointRow,
    error: &str,
    now: i64,
) -> DbResult<()> {
    let reason = format!("every attempt failed for a day; the last: {error}");
    if !repo::disable_endpoint(conn, endpoint.id, &reason, now).await? {
        return Ok(());
    }
    let Some((to, company)) =
        crate::features::sellers::service::contact(&mut *conn, endpoint.seller_id).await?
    else {
        return Ok(());
    };
    let st = crate::features::sellers::service::mail_texts(conn, endpoint.seller_id).await?;
    let mail = super::emails::endpoint_disabled(
        st,
        &state.config.public_url,
        &company,
        &endpoint.url,
        error,
    );
    crate::platform::mail::enqueue(conn, &to, &mail, None, now)
        .await
        .map(|_| ())
}

impl EndpointRow {
    fn deleted_at_or_disabled(&self) -> bool {
        self.disabled_at.is_some() || self.deleted
    }
}

// What the API and the area's page do with endpoints.

/// A new endpoint's signing secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// What is wrong with an endpoint's address or kinds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointProblem {
    Url(&'static str),
    Kinds,
    TooMany,
}

/// Checks an endpoint's address: http(s), a host, no credentials, at most
/// 500 characters; https outside development.
pub fn check_url(text: &str, production: bool) -> Result<String, EndpointProblem> {
    let text = text.trim();
    if text.is_empty() || text.len() > 500 {
        return Err(EndpointProblem::Url(
            "an https address of up to 500 characters",
        ));
    }
    let url = reqwest::Url::parse(text).map_err(|_| EndpointProblem::Url("not an address"))?;
    match url.scheme() {
        "https" => {}
        "http" if !production => {}
        _ => return Err(EndpointProblem::Url("an https address")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(EndpointProblem::Url("an address with a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(EndpointProblem::Url(
            "an address without a user or password",
        ));
    }
    if url.fragment().is_some() {
        return Err(EndpointProblem::Url("an address without a #fragment"));
    }
    Ok(url.to_string())
}

/// A new endpoint: its id and its secret (shown this once).
pub async fn create_endpoint(
    state: &AppState,
    seller_id: SellerId,
    user_id: UserId,
    url: &str,
    kinds: &[EventKind],
) -> Result<Result<(i64, String), EndpointProblem>, AppError> {
    let url = match check_url(url, state.config.production) {
        Ok(u) => u,
        Err(p) => return Ok(Err(p)),
    };
    if kinds.is_empty() {
        return Ok(Err(EndpointProblem::Kinds));
    }
    let secret = new_secret();
    let sealed = state.secret.seal_webhook_secret(&secret);
    let kinds = kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",");
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    crate::platform::db::lock(&mut tx, &format!("webhook-endpoints:{seller_id}"))
        .await
        .map_err(db_error)?;
    if repo::endpoints(&mut *tx, seller_id)
        .await
        .map_err(db_error)?
        .len()
        >= MAX_ENDPOINTS
    {
        return Ok(Err(EndpointProblem::TooMany));
    }
    let id = repo::insert_endpoint(&mut tx, seller_id, &url, &sealed, &kinds, user_id, now)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(Ok((id, secret)))
}

pub async fn endpoints(
    state: &AppState,
    seller_id: SellerId,
) -> Result<Vec<EndpointRow>, AppError> {
    repo::endpoints(state.db.pool(), seller_id)
        .await
        .map_err(db_error)
}

/// One of the seller's endpoints that is not deleted, or NotFound.
pub async fn endpoint(
    state: &AppState,
    seller_id: SellerId,
    id: i64,
) -> Result<EndpointRow, AppError> {
    match repo::endpoint(state.db.pool(), id)
        .await
        .map_err(db_error)?
    {
        Some(e) if e.seller_id == seller_id && !e.deleted => Ok(e),
        _ => Err(AppError::NotFound),
    }
}

pub async fn delete_endpoint(
    state: &AppState,
    seller_id: SellerId,
    id: i64,
) -> Result<(), AppError> {
    endpoint(state, seller_id, id).await?;
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    repo::delete_endpoint(&mut conn, seller_id, id, state.clock.now_ms())
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Turns a disabled endpoint back on; deliveries that failed meanwhile
/// stay failed (send them again from the log).
pub async fn enable_endpoint(
    state: &AppState,
    seller_id: SellerId,
    id: i64,
) -> Result<(), AppError> {
    endpoint(state, seller_id, id).await?;
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    repo::enable_endpoint(&mut conn, seller_id, id)
        .await
        .map_err(db_error)?;
    Ok(())
}

pub const LOG_SIZE: i64 = 50;

/// An endpoint's latest deliveries, newest first.
pub async fn deliveries(
    state: &AppState,
    seller_id: SellerId,
    endpoint_id: i64,
) -> Result<Vec<DeliveryRow>, AppError> {
    endpoint(state, seller_id, endpoint_id).await?;
    repo::deliveries(state.db.pool(), endpoint_id, LOG_SIZE)
        .await
        .map_err(db_error)
}

pub async fn attempts(state: &AppState, delivery_id: i64) -> Result<Vec<AttemptRow>, AppError> {
    repo::attempts(state.db.pool(), delivery_id)
        .await
        .map_err(db_error)
}

/// "Send again": one more attempt of a delivery of this seller's, now,
/// whatever its state. Two clicks before it runs make one attempt.
pub async fn send_again(
    state: &AppState,
    seller_id: SellerId,
    endpoint_id: i64,
    delivery_id: i64,
) -> Result<DeliveryRow, AppError> {
    let e = endpoint(state, seller_id, endpoint_id).await?;
    let d = repo::delivery(state.db.pool(), delivery_id)
        .await
        .map_err(db_error)?
        .filter(|d| d.endpoint_id == e.id)
        .ok_or(AppError::NotFound)?;
    if e.disabled_at.is_some() {
        return Err(AppError::Conflict(
            crate::i18n::staff::use_staff()
                .get(crate::i18n::staff::Staff::WebhooksErrorDisabled)
                .into(),
        ));
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    repo::again(&mut tx, d.id, now).await.map_err(db_error)?;
    crate::platform::jobs::repo::enqueue(
        &mut tx,
        DELIVER_JOB,
        &format!("{}:again:{}", d.id, d.attempts + 1),
        "",
        now,
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    state.jobs.wake();
    repo::delivery(state.db.pool(), delivery_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)
}

/// A seller's published events after `after` (a `seq`), of some kinds.
pub async fn feed(
    state: &AppState,
    seller_id: SellerId,
    kinds: &[EventKind],
    after: i64,
    limit: i64,
) -> Result<Vec<EventRow>, AppError> {
    let codes: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
    repo::feed(state.db.pool(), seller_id, &codes, after, limit)
        .await
        .map_err(db_error)
}

/// Payouts settled: their orders' sellers hear of it.
pub async fn record_payouts_settled(
    conn: &mut AnyConnection,
    settled: &[(crate::domain::ids::PayoutId, TradeInId)],
    now: i64,
) -> DbResult<()> {
    for (payout_id, order_id) in settled {
        let Some(seller_id) = repo::seller_of_trade_in(conn, *order_id).await? else {
            continue;
        };
        record(
            conn,
            seller_id,
            EventKind::PayoutSettled,
            payout_id.get(),
            serde_json::json!({"payout_id": payout_id.get(), "order_id": order_id.get()}),
            now,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vector of the Standard Webhooks specification: a receiver's
    /// own library must accept what we sign.
    #[test]
    fn signatures_match_the_specifications_test_vector() {
        assert_eq!(
            sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                r#"{"test": 2432232314}"#,
            )
            .unwrap(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn new_secrets_are_standard_webhooks_secrets() {
        let secret = new_secret();
        assert!(
            secret.starts_with("whsec_") && secret.len() == 6 + 44,
            "{secret}"
        );
        assert_ne!(secret, new_secret());
        assert!(sign(&secret, "evt_1", 1, "{}").unwrap().starts_with("v1,"));
    }

    #[test]
    fn endpoint_addresses_are_checked() {
        assert_eq!(
            check_url(" https://erp.example/hooks ", true).unwrap(),
            "https://erp.example/hooks"
        );
        assert!(check_url("http://127.0.0.1:9000/hooks", false).is_ok());
        for bad in [
            "http://erp.example/hooks",
            "ftp://erp.example",
            "https://user:pw@erp.example/",
            "https://erp.example/#top",
            "erp.example/hooks",
            "",
        ] {
            assert!(check_url(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn retries_last_about_a_day() {
        let total: i64 = RETRY_AFTER_MS.iter().sum();
        assert!(total > 24 * HOUR_MS && total < 30 * HOUR_MS, "{total}");
        assert!(RETRY_AFTER_MS.windows(2).all(|w| w[0] <= w[1]));
    }
}
