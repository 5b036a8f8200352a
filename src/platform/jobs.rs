//! Background housekeeping. Each job is an idempotent function of the
//! database and the clock, so tests call it directly with a moved clock.

use crate::platform::clock::DAY_MS;
use crate::platform::state::AppState;
use std::time::Duration;

/// Deletes expired sessions and login attempts older than a day.
pub async fn housekeeping(state: &AppState) -> Result<(u64, u64), sqlx::Error> {
    let now = state.clock.now_ms();
    let sessions = crate::platform::session::repo::delete_expired(state.db.pool(), now).await?;
    let attempts = crate::features::accounts::repo::login_attempts::delete_older_than(
        state.db.pool(),
        now - DAY_MS,
    )
    .await?;
    if state.db.optimize().await? {
        tracing::info!("planner statistics refreshed; older connections retired");
    }
    Ok((sessions, attempts))
}

/// Runs the jobs on timers: mail every few seconds (people wait for their
/// label), deadlines every minute, housekeeping every quarter hour.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        let mut ticks: u64 = 0;
        loop {
            tick.tick().await;
            if let Err(e) = crate::platform::mail::deliver_outbox(&state).await {
                tracing::warn!(error = %e, "mail delivery failed");
            }
            if ticks % 12 == 0 {
                match crate::features::trade_ins::service::run_deadlines(&state).await {
                    Ok(r) if r != Default::default() => tracing::info!(?r, "deadlines applied"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "deadline job failed"),
                }
            }
            // Alerts every five minutes (and on demand from the inbox).
            if ticks % 60 == 30 {
                if let Err(e) = crate::features::alerts::service::run(&state).await {
                    tracing::warn!(error = %e, "alert evaluation failed");
                }
            }
            // Yesterday into the KPI rollup, hourly after the first minute
            // (the dashboard also does it on its first view of a day).
            if ticks % 720 == 12 {
                state.offer_views.flush().await;
                if let Err(e) =
                    crate::features::kpis::repo::rollup::refresh(&state.db, state.clock.now_ms())
                        .await
                {
                    tracing::warn!(error = %e, "KPI rollup failed");
                }
            }
            // Quality scores once a day (and on demand from the quality page).
            if ticks % 17_280 == 90 {
                if let Err(e) = crate::features::quality::service::recompute(&state, None).await {
                    tracing::warn!(error = %e, "quality score job failed");
                }
            }
            if ticks % 180 == 0 {
                if let Err(e) = housekeeping(&state).await {
                    tracing::warn!(error = %e, "housekeeping failed");
                }
            }
            ticks += 1;
        }
    })
}
