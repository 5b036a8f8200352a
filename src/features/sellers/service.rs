//! Refurbishers joining the marketplace: an application waits as `pending`
//! until operations approve or reject it, recorded with who, when and why.

use crate::error::AppError;
use crate::platform::db::db_error;
use crate::platform::mail::enqueue;
use crate::platform::state::AppState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

/// Approves or rejects a pending application; a reason is required to
/// reject. Deciding twice (two ops at once) gets a conflict, not a second
/// change. The seller is told by email.
pub async fn decide(
    state: &AppState,
    ops_user_id: i64,
    seller_id: i64,
    decision: Decision,
    reason: &str,
) -> Result<(), AppError> {
    // Approving may say nothing; rejecting must say why.
    let reason = match (decision, reason.trim().is_empty()) {
        (Decision::Approve, true) => String::new(),
        _ => crate::domain::account::parse_reason(reason)
            .map_err(|e| AppError::invalid("reason", e))?,
    };
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let Some((email, company)) = crate::features::sellers::repo::contact(&mut *tx, seller_id)
        .await
        .map_err(db_error)?
    else {
        return Err(AppError::NotFound);
    };
    let to = if decision == Decision::Approve {
        "approved"
    } else {
        "rejected"
    };
    if !crate::features::sellers::repo::change_status(
        &mut *tx,
        seller_id,
        "pending",
        to,
        ops_user_id,
        &reason,
        now,
    )
    .await
    .map_err(db_error)?
    {
        return Err(AppError::Conflict(format!(
            "{company} is not awaiting a decision any more."
        )));
    }
    let detail = if reason.is_empty() {
        format!("application {to}")
    } else {
        format!("application {to}: {reason}")
    };
    crate::features::audit::repo::audit(
        &mut *tx,
        &crate::features::audit::repo::AuditEntry {
            actor_id: Some(ops_user_id),
            action: "seller_application",
            seller_id: Some(seller_id),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    let mail = crate::features::trade_ins::emails::seller_decision(
        &state.config.public_url,
        &company,
        decision == Decision::Approve,
        &reason,
    );
    enqueue(&mut tx, &email, &mail, None, now)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        seller_id,
        ops_user_id,
        decision = to,
        "seller application decided"
    );
    Ok(())
}
