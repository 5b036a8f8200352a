//! Refurbisher scorecards over the last 90 days, the quality score they
//! feed (the tie-breaker between equal offers), and suspension.

use crate::domain::dates::DAY_MS;
use crate::domain::ids::{SellerId, UserId};
use crate::domain::kpi::{Counts, Kpi};
use crate::domain::seller::QualityAction;
use crate::error::AppError;
use crate::features::audit::service::AuditEntry;
use crate::features::kpis::service::{Filter, Group};
use crate::features::quality::Scorecard;
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use crate::i18n::Lang;
use crate::platform::db::db_error;
use crate::platform::state::AppState;

pub const WINDOW_MS: i64 = 90 * DAY_MS;

/// The scorecards, their rates written in `st`'s language.
pub async fn scorecards(state: &AppState, st: StaffTexts) -> Result<Vec<Scorecard>, AppError> {
    let now = state.clock.now_ms();
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    let sellers = crate::features::sellers::service::refurbisher_scores(&mut conn)
        .await
        .map_err(db_error)?;
    let disputes: std::collections::HashMap<crate::domain::ids::SellerId, i64> =
        crate::features::claims::service::per_seller(&mut *conn, now - WINDOW_MS)
            .await
            .map_err(db_error)?
            .into_iter()
            .collect();
    let mut by_seller = crate::features::kpis::service::counts(
        &mut conn,
        now - WINDOW_MS,
        now,
        &Filter::default(),
        Group::SellerId,
        false,
    )
    .await
    .map_err(db_error)?;
    let mut out = Vec::new();
    for (id, company, status, current) in sellers {
        let c = by_seller.remove(&id.to_string()).unwrap_or_default();
        let d = disputes.get(&id).copied().unwrap_or(0);
        let show = |k: Kpi, c: &Counts| {
            k.value(c).map_or_else(
                || st.get(Staff::CommonNone).to_string(),
                |v| {
                    crate::features::kpis::service::format_kpi(
                        st,
                        k,
                        v,
                        crate::domain::money::Currency::Eur,
                    )
                },
            )
        };
        out.push(Scorecard {
            seller_id: id,
            company,
            status,
            volume: c.accepted,
            counter_offer_rate: show(Kpi::CounterOfferRate, &c),
            counter_accept_rate: show(Kpi::CounterAcceptRate, &c),
            inspection_sla: show(Kpi::InspectionSla, &c),
            payment_sla: show(Kpi::PaymentSla, &c),
            disputes: d,
            quality_score: current,
            computed_score: crate::domain::quality::score(&c, d),
        });
    }
    Ok(out)
}

/// Writes every computed score (sellers with too little volume keep theirs).
pub async fn recompute(state: &AppState, ops_user: Option<UserId>) -> Result<usize, AppError> {
    let cards = scorecards(state, StaffTexts::of(Lang::En)).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let mut n = 0;
    for c in &cards {
        if let Some(score) = c.computed_score.filter(|s| *s != c.quality_score) {
            crate::features::sellers::service::set_quality_score(&mut *tx, c.seller_id, score)
                .await
                .map_err(db_error)?;
            n += 1;
        }
    }
    let detail = format!("quality scores recomputed ({n} changed)");
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::QualityScores,
        &AuditEntry {
            actor_id: ops_user,
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(n)
}

/// Suspends an approved refurbisher (its prices leave the offers at once:
/// the offer rule only takes approved sellers) or reinstates a suspended one.
pub async fn set_suspended(
    state: &AppState,
    ops_user: UserId,
    seller_id: SellerId,
    action: QualityAction,
    reason: &str,
) -> Result<(), AppError> {
    let st = use_staff();
    let reason = crate::domain::account::parse_reason(reason)
        .map_err(|_| AppError::invalid("reason", st.get(Staff::QualityReasonRequired)))?;
    let (from, to) = action.change();
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if crate::features::sellers::service::contact(&mut *tx, seller_id)
        .await
        .map_err(db_error)?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    if !crate::features::sellers::service::change_status(
        &mut *tx, seller_id, from, to, ops_user, &reason, now,
    )
    .await
    .map_err(db_error)?
    {
        let not = match action {
            QualityAction::Suspend => Staff::QualityNotApproved,
            QualityAction::Reinstate => Staff::QualityNotSuspended,
        };
        return Err(AppError::Conflict(st.get(not).into()));
    }
    let detail = format!("refurbisher {to}: {reason}");
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::SellerStatus,
        &AuditEntry {
            actor_id: Some(ops_user),
            seller_id: Some(seller_id),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        seller_id = seller_id.get(),
        to = to.code(),
        "refurbisher status changed by operations"
    );
    Ok(())
}

/// `/ops/refurbishers.csv`: the scorecards as CSV.
pub async fn export(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: http::HeaderMap,
) -> axum::response::Response {
    use crate::platform::http::refused;
    if let Err(e) = crate::platform::session::user_with_role(
        &state,
        &headers,
        crate::domain::account::Role::Ops,
    )
    .await
    {
        return refused(e);
    }
    // A CSV file is a format: its figures stay as English writes them.
    let cards = match scorecards(&state, StaffTexts::of(Lang::En)).await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    let mut csv = crate::platform::csv::CsvFile::new();
    csv.row([
        "refurbisher",
        "status",
        "trade_ins",
        "counter_offer_rate",
        "counter_offers_accepted",
        "inspection_sla",
        "payment_sla",
        "disputes",
        "quality_score",
        "computed_score",
    ]);
    for c in cards {
        csv.row([
            c.company.clone(),
            c.status.to_string(),
            c.volume.to_string(),
            c.counter_offer_rate.to_string(),
            c.counter_accept_rate.to_string(),
            c.inspection_sla.to_string(),
            c.payment_sla.to_string(),
            c.disputes.to_string(),
            c.quality_score.to_string(),
            c.computed_score.map(|s| s.to_string()).unwrap_or_default(),
        ]);
    }
    crate::platform::csv::attachment("refurbisher-scorecards.csv", csv.finish())
}
