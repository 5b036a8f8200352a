//! Requests per token and minute (`API_REQUESTS_PER_MINUTE`), counted in
//! the database so several instances share one count. Every answer says
//! where the caller stands (`RateLimit-Limit`, `RateLimit-Remaining`,
//! `RateLimit-Reset`, as the IETF draft names them); past the limit the
//! answer is 429 with `Retry-After`, and the request does not run.

use super::problem::Problem;
use super::service as repo;
use crate::platform::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue};

pub const WINDOW_MS: i64 = 60_000;

pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Without a token the request is refused anyway, before any work.
    let Some(scope) = super::auth::scope(req.headers()) else {
        return next.run(req).await;
    };
    let now = state.clock.now_ms();
    let window = now - now.rem_euclid(WINDOW_MS);
    let reset_s = (window + WINDOW_MS - now + 999) / 1000;
    let max = state.config.api_requests_per_minute;
    let count = match repo::count_request(state.db.pool(), &scope, window).await {
        Ok(n) => n,
        Err(e) => return Problem::database(e).into_response(),
    };
    let mut res = if count > max {
        let mut res = Problem::of(
            http::StatusCode::TOO_MANY_REQUESTS,
            "",
            format!("at most {max} requests a minute per token; try again in {reset_s} s"),
        )
        .into_response();
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(reset_s));
        res
    } else {
        next.run(req).await
    };
    let headers = res.headers_mut();
    headers.insert("ratelimit-limit", HeaderValue::from(max));
    headers.insert(
        "ratelimit-remaining",
        HeaderValue::from((max - count).max(0)),
    );
    headers.insert("ratelimit-reset", HeaderValue::from(reset_s));
    res
}

/// Forgets windows older than an hour (housekeeping).
pub async fn forget_old(state: &AppState) -> Result<u64, sqlx::Error> {
    repo::forget_windows_before(state.db.pool(), state.clock.now_ms() - 60 * WINDOW_MS).await
}
