//! Deleting an account (GDPR article 17), in one transaction: what names
//! the person is erased, and what the law keeps stays under a pseudonym
//! (the account row keeps its id, so trade-ins, payouts and the audit
//! trail still hold together, but nothing in it says whose it was).

use crate::domain::account::Role;
use crate::domain::ids::UserId;
use crate::domain::tradein::State as TradeInState;
use crate::error::AppError;
use crate::features::privacy::repo;
use crate::i18n::Msg;
use crate::platform::db::{db_error, lock};
use crate::platform::state::AppState;

/// The address a deleted account keeps: unique, and one no mail can reach
/// (`.invalid` is reserved, RFC 2606).
pub fn pseudonym(user_id: UserId) -> String {
    format!("deleted-{}@deleted.invalid", user_id.get())
}

/// Deletes the account of a consumer who gave their current password;
/// refused while one of their trade-ins or claims is open. Returns the
/// Set-Cookie value that clears this browser's session (every session of
/// the account has ended).
pub async fn delete_account(
    state: &AppState,
    user_id: UserId,
    client: &str,
    current_password: String,
) -> Result<String, AppError> {
    let user = crate::features::accounts::service::reauthenticate(
        state,
        user_id,
        client,
        current_password,
    )
    .await?;
    // The account page's language, as `reauthenticate` tells its refusal.
    let texts = crate::i18n::document_texts();
    if user.role != Role::Customer {
        return Err(AppError::Conflict(
            texts.get(Msg::EraseErrorStaffAccount).into(),
        ));
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    // A trade-in confirmed at this moment waits for the erasure to finish.
    lock(&mut tx, &format!("customer:{}", user_id.get()))
        .await
        .map_err(db_error)?;
    let open: Vec<String> = repo::trade_in_states(&mut *tx, user_id)
        .await
        .map_err(db_error)?
        .into_iter()
        .filter(|(_, s)| TradeInState::parse(s).is_none_or(TradeInState::is_open))
        .map(|(reference, _)| reference)
        .collect();
    if !open.is_empty() {
        return Err(AppError::Conflict(texts.fill(
            Msg::EraseErrorTradeInOpen,
            &[("references", &open.join(", "))],
        )));
    }
    if repo::open_claims(&mut *tx, user_id)
        .await
        .map_err(db_error)?
        > 0
    {
        return Err(AppError::Conflict(
            texts.get(Msg::EraseErrorClaimOpen).into(),
        ));
    }
    let pseudonym = pseudonym(user_id);
    repo::erase_trade_ins(&mut *tx, user_id)
        .await
        .map_err(db_error)?;
    repo::erase_claim_messages(&mut *tx, user_id)
        .await
        .map_err(db_error)?;
    repo::erase_mail(&mut *tx, &user.email, &pseudonym)
        .await
        .map_err(db_error)?;
    repo::erase_attempts(&mut *tx, &user.email)
        .await
        .map_err(db_error)?;
    repo::erase_credentials(&mut tx, user_id)
        .await
        .map_err(db_error)?;
    repo::erase_user(&mut *tx, user_id, &pseudonym, now)
        .await
        .map_err(db_error)?;
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::AccountDeleted,
        &crate::features::audit::service::AuditEntry {
            actor_id: Some(user_id),
            user_id: Some(user_id),
            detail: "personal data erased at the owner's request; trade-in, payout and audit records kept",
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        user_id = user_id.get(),
        "account deleted at its owner's request"
    );
    Ok(crate::platform::session::expired_session_cookie(
        state.config.cookies_secure(),
    ))
}
