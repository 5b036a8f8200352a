//! Idempotency keys on every POST, PUT and PATCH of the API, with Stripe's
//! semantics: the first answer to a key is kept for 24 hours and replayed
//! for the same request; the same key with another request is 422; while
//! the first is still running, the same key is 409. A key is optional: a
//! request without one just runs.
//!
//! Keys belong to the token that sends them. A request that fails on our
//! side (5xx) keeps nothing, so retrying it with the same key runs it again.

use super::problem::Problem;
use super::service as repo;
use crate::domain::dates::DAY_MS;
use crate::platform::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, Method, StatusCode};
use sha2::Digest;

pub const HEADER: &str = "idempotency-key";
pub const KEEP_MS: i64 = DAY_MS;
/// A request holding its key longer than this was lost with its instance.
const ABANDONED_MS: i64 = 60_000;
const MAX_KEY: usize = 255;

fn sha256(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

fn problem(status: StatusCode, kind: &str, detail: &str) -> Response {
    Problem::of(status, kind, detail.into()).into_response()
}

pub async fn keys(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    let key = match key.to_str() {
        Ok(k) if !k.trim().is_empty() && k.len() <= MAX_KEY => k.trim().to_string(),
        _ => {
            return problem(
                StatusCode::BAD_REQUEST,
                "idempotency-key",
                "an Idempotency-Key is 1 to 255 visible characters",
            )
        }
    };
    // Unauthenticated requests keep nothing: the handler refuses them.
    let Some(scope) = super::auth::scope(req.headers()) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::startup::routes::API_MAX_BODY_BYTES).await
    else {
        return problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "the request body is too large",
        );
    };
    let mut fingerprint = format!("{} {}\n", parts.method, parts.uri).into_bytes();
    fingerprint.extend_from_slice(&bytes);
    let request_hash = sha256(&fingerprint);
    let now = state.clock.now_ms();
    let db = state.db.pool();
    let held = match repo::claim(db, &scope, &key, &request_hash, now).await {
        Ok(true) => true,
        Ok(false) => match repo::take_over(
            db,
            &scope,
            &key,
            &request_hash,
            now - ABANDONED_MS,
            now - KEEP_MS,
            now,
        )
        .await
        {
            Ok(taken) => taken,
            Err(e) => return Problem::database(e).into_response(),
        },
        Err(e) => return Problem::database(e).into_response(),
    };
    if !held {
        return match repo::kept(db, &scope, &key).await {
            Err(e) => Problem::database(e).into_response(),
            // Forgotten in between: the client may simply retry.
            Ok(None) => problem(
                StatusCode::CONFLICT,
                "idempotency-key-in-use",
                "this Idempotency-Key is in use; retry",
            ),
            Ok(Some((hash, _, _, _, _))) if hash != request_hash => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "this Idempotency-Key was used with another request",
            ),
            Ok(Some((_, None, _, _, _))) => problem(
                StatusCode::CONFLICT,
                "idempotency-key-in-use",
                "a request with this Idempotency-Key is still running; retry when it is done",
            ),
            Ok(Some((_, Some(status), content_type, body, _))) => {
                replay(status, content_type.as_deref(), body.unwrap_or_default())
            }
        };
    }
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        let _ = repo::release(db, &scope, &key).await;
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let kept = if parts.status.is_server_error() {
        repo::release(db, &scope, &key).await
    } else {
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json");
        repo::keep(
            db,
            &scope,
            &key,
            i64::from(parts.status.as_u16()),
            content_type,
            &String::from_utf8_lossy(&bytes),
        )
        .await
    };
    if let Err(e) = kept {
        tracing::error!(error = %e, "seller API: an idempotent answer was not kept");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(status: i64, content_type: Option<&str>, body: String) -> Response {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut res = (status, body).into_response();
    if let Some(ct) = content_type.and_then(|c| HeaderValue::from_str(c).ok()) {
        res.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    res.headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    res
}

/// Forgets keys older than they are kept (housekeeping).
pub async fn forget_expired(state: &AppState) -> Result<u64, sqlx::Error> {
    repo::forget_before(state.db.pool(), state.clock.now_ms() - KEEP_MS).await
}
