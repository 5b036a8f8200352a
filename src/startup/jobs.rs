//! Which background jobs exist, how often the scheduled ones run, and what
//! runs them. Each runs once per period whatever the number of instances
//! (`platform::jobs`), and each handler is safe to run again.

use crate::features::{accounts, alerts, kpis, offers, orders, quality, seller_events, trade_ins};
use crate::platform::clock::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::platform::jobs::Jobs;
use crate::platform::mail;
use crate::platform::state::AppState;
use std::time::Duration;

/// Scheduled jobs and their periods.
pub const DEADLINES: &str = "deadlines";
pub const ALERTS: &str = "alerts";
pub const KPI_ROLLUP: &str = "kpi_rollup";
pub const QUALITY_SCORES: &str = "quality_scores";
pub const HOUSEKEEPING: &str = "housekeeping";
pub const SETTLE_PAYOUTS: &str = "settle_payouts";

fn failed(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub fn registry(lease: Duration) -> Jobs {
    Jobs::builder()
        .on(mail::JOB, mail::deliver)
        .on(alerts::service::WEBHOOK_JOB, alerts::service::push_webhook)
        // Refurbishers' events into their feed, then to their endpoints.
        .on(seller_events::service::PUBLISH_JOB, |state, _| async move {
            seller_events::service::publish(&state)
                .await
                .map(|_| ())
                .map_err(failed)
        })
        .on(
            seller_events::service::DELIVER_JOB,
            |state, job| async move { seller_events::service::deliver(&state, &job).await },
        )
        // A lost parcel's compensation, until the provider has taken it.
        .on(
            orders::service::PAY_COMPENSATION_JOB,
            |state, job| async move {
                let id = job
                    .key
                    .parse::<crate::domain::ids::TradeInId>()
                    .map_err(failed)?;
                orders::service::pay_compensation(&state, id)
                    .await
                    .map_err(failed)
            },
        )
        // Expiry warnings, expiries and counter-offer timeouts.
        .every(DEADLINES, MINUTE_MS, |state, _| async move {
            let report = trade_ins::service::run_deadlines(&state)
                .await
                .map_err(failed)?;
            if report != Default::default() {
                tracing::info!(?report, "deadlines applied");
            }
            Ok(())
        })
        // Alerts every five minutes (and on demand from the inbox).
        .every(ALERTS, 5 * MINUTE_MS, |state, _| async move {
            alerts::service::run(&state)
                .await
                .map(|_| ())
                .map_err(failed)
        })
        // Finished days into the KPI rollup (the dashboard also does it on
        // its first view of a day).
        .every(KPI_ROLLUP, HOUR_MS, |state, _| async move {
            state.feature::<offers::shown::OfferViewLog>().flush().await;
            kpis::service::refresh_rollup(&state)
                .await
                .map(|_| ())
                .map_err(failed)
        })
        // Quality scores once a day (and on demand from the quality page).
        .every(QUALITY_SCORES, DAY_MS, |state, _| async move {
            quality::service::recompute(&state, None)
                .await
                .map(|_| ())
                .map_err(failed)
        })
        .every(HOUSEKEEPING, 15 * MINUTE_MS, |state, _| async move {
            housekeeping(&state).await.map(|_| ()).map_err(failed)
        })
        // Payouts sent a business day ago settle in the ledger.
        .every(SETTLE_PAYOUTS, HOUR_MS, |state, _| async move {
            let settled = orders::service::settle_payouts(&state)
                .await
                .map_err(failed)?;
            if settled > 0 {
                tracing::info!(settled, "payouts settled");
            }
            Ok(())
        })
        .build(lease)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Housekeeping {
    pub sessions: u64,
    pub sign_in_attempts: u64,
    pub jobs: u64,
    pub pending_uploads: u64,
    pub idempotency_keys: u64,
    pub api_rate_windows: u64,
}

/// Deletes expired sessions, sign-in attempts older than a day, jobs
/// finished a week ago, photos kept from refused forms unused for a day
/// and the seller API's idempotency keys after their 24 hours and its
/// request counts after an hour;
/// refreshes SQLite's planner statistics.
pub async fn housekeeping(state: &AppState) -> Result<Housekeeping, sqlx::Error> {
    let now = state.clock.now_ms();
    let done = Housekeeping {
        sessions: crate::platform::session::forget_expired(state).await?,
        sign_in_attempts: accounts::service::forget_attempts_before(state, now - DAY_MS).await?,
        jobs: crate::platform::jobs::repo::delete_done_before(&state.db, now - 7 * DAY_MS).await?,
        pending_uploads: orders::service::pending::forget_before(
            state,
            now - orders::service::pending::KEEP_MS,
        )
        .await?,
        idempotency_keys: crate::features::seller_api::idempotency::forget_expired(state).await?,
        api_rate_windows: crate::features::seller_api::rate::forget_old(state).await?,
    };
    if state.db.optimize().await? {
        tracing::info!("planner statistics refreshed; older connections retired");
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheduled_job_has_a_period() {
        let jobs = registry(Duration::from_secs(60));
        let kinds: Vec<&str> = jobs.schedules().iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                DEADLINES,
                ALERTS,
                KPI_ROLLUP,
                QUALITY_SCORES,
                HOUSEKEEPING,
                SETTLE_PAYOUTS
            ]
        );
        assert!(jobs.schedules().iter().all(|e| e.period_ms >= MINUTE_MS));
    }
}
