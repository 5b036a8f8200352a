//! `/healthz`: 200 when the database answers, 503 when it does not.

use crate::platform::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let ping = tokio::time::timeout(std::time::Duration::from_secs(2), state.db.ping()).await;
    if matches!(ping, Ok(true)) {
        (
            StatusCode::OK,
            [(http::header::CACHE_CONTROL, "no-store")],
            "ok\n",
        )
    } else {
        tracing::warn!("health check failed: database unreachable");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(http::header::CACHE_CONTROL, "no-store")],
            "database unavailable\n",
        )
    }
}
