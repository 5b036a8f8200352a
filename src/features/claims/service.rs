//! Customer care: a consumer opens a claim on a trade-in; the consumer,
//! its refurbisher and operations write on it; operations resolve it with
//! an outcome that drives the trade-in (compensate a lost parcel, pay the
//! original price, return the device, pay now, or refuse).

use crate::domain::account::Role;
use crate::domain::claims::{ClaimKind, ClaimState, Outcome};
use crate::domain::ids::{ClaimId, TradeInId, UserId};

use crate::domain::tradein::{Action, Actor, State};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::features::audit::service::AuditEntry;
use crate::features::trade_ins::emails;
use crate::features::trade_ins::service::{return_device, transition_error};
use crate::i18n::staff::StaffTexts;
use crate::i18n::{Msg, Texts};
use crate::platform::db::db_error;
use crate::platform::mail::enqueue;
use crate::platform::state::AppState;

// What other features run on their own connection, inside their own transaction.
pub use super::repo::{for_trade_in, per_seller};
pub use super::repo::{messages, queue};

/// The texts of the page a claim is opened, written on and resolved from:
/// a consumer page (`/claims/{id}`, the trade-in's page) for everyone,
/// operations included, in the document's language.
fn page_texts() -> Texts {
    Texts::of(crate::i18n::document_market())
}

fn text(texts: Texts, field: &str, body: &str, min: usize, max: usize) -> Result<String, AppError> {
    let t = body.trim().to_string();
    let n = t.chars().count();
    if n < min || n > max || t.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(AppError::invalid(
            field,
            texts.fill(Msg::ClaimErrorLength, &[("min", &min), ("max", &max)]),
        ));
    }
    Ok(t)
}

fn already_open(texts: Texts) -> AppError {
    AppError::Conflict(texts.get(Msg::ClaimErrorAlreadyOpen).into())
}

/// Opens a claim on the consumer's own trade-in. One open claim at a time.
pub async fn open(
    state: &AppState,
    customer: &CurrentUser,
    trade_in_id: TradeInId,
    kind: &str,
    message: &str,
) -> Result<ClaimId, AppError> {
    let t = crate::features::trade_ins::service::owned(state, customer.id, trade_in_id).await?;
    let texts = page_texts();
    let kind = ClaimKind::parse(kind)
        .ok_or_else(|| AppError::invalid("kind", texts.get(Msg::ClaimErrorChooseKind)))?;
    if !kind.allowed_in(t.state) {
        return Err(AppError::invalid(
            "kind",
            texts.fill(
                Msg::ClaimErrorKindNotNow,
                &[
                    ("kind", &texts.claim_kind(kind)),
                    ("state", &texts.state(t.state)),
                ],
            ),
        ));
    }
    let message = text(texts, "message", message, 10, 2_000)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if crate::features::claims::repo::open_for(&mut *tx, trade_in_id)
        .await
        .map_err(db_error)?
        .is_some()
    {
        return Err(already_open(texts));
    }
    let id =
        crate::features::claims::repo::insert(&mut tx, trade_in_id, customer.id, kind.code(), now)
            .await
            .map_err(|e| {
                // Two claims opened at once: the database keeps one open.
                if crate::platform::db::is_unique_violation(&e) {
                    already_open(texts)
                } else {
                    db_error(e)
                }
            })?;
    crate::features::claims::repo::add_message(
        &mut *tx,
        id,
        customer.id,
        "customer",
        &message,
        now,
    )
    .await
    .map_err(db_error)?;
    crate::features::seller_events::service::record_claim(
        &mut tx,
        t.seller_id,
        id.get(),
        trade_in_id,
        kind.code(),
        now,
    )
    .await
    .map_err(db_error)?;
    let detail = format!("claim opened: {}", kind.label());
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::ClaimOpened,
        &AuditEntry {
            actor_id: Some(customer.id),
            trade_in_id: Some(trade_in_id),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    // Operations and the refurbisher are told; both answer on the claim's page.
    let mut recipients: Vec<(String, StaffTexts)> =
        crate::features::alerts::service::ops_recipients(&mut *tx)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(|(to, lang)| {
                let lang = crate::i18n::staff::mail_lang(lang.as_deref(), None);
                (to, StaffTexts::of(lang))
            })
            .collect();
    if let Some((seller_email, _)) =
        crate::features::sellers::service::contact(&mut *tx, t.seller_id)
            .await
            .map_err(db_error)?
    {
        let st = crate::features::sellers::service::mail_texts(&mut tx, t.seller_id)
            .await
            .map_err(db_error)?;
        recipients.push((seller_email, st));
    }
    for (to, st) in recipients {
        let mail = emails::claim_opened(st, &state.config.public_url, id, &t.reference, kind);
        enqueue(&mut tx, &to, &mail, Some(trade_in_id), now)
            .await
            .map_err(db_error)?;
    }
    tx.commit().await.map_err(db_error)?;
    Ok(id)
}

/// The claim if this user may see it: its consumer, the refurbisher of
/// the trade-in, operations. Others get NotFound.
pub async fn visible(
    state: &AppState,
    user: &CurrentUser,
    claim_id: ClaimId,
) -> Result<crate::features::claims::repo::ClaimRow, AppError> {
    let c = crate::features::claims::repo::find(state.db.pool(), claim_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)?;
    let ok = match user.role {
        Role::Ops => true,
        Role::Customer => c.customer_id == user.id,
        Role::Seller => crate::features::orders::service::seller_of(state, user.id)
            .await
            .map(|(s, _)| s == c.seller_id)
            .unwrap_or(false),
    };
    if ok {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn post(
    state: &AppState,
    user: &CurrentUser,
    claim_id: ClaimId,
    body: &str,
) -> Result<(), AppError> {
    let c = visible(state, user, claim_id).await?;
    let texts = page_texts();
    if c.state != ClaimState::Open {
        return Err(AppError::Conflict(
            texts.get(Msg::ClaimErrorResolved).into(),
        ));
    }
    let body = text(texts, "body", body, 2, 2_000)?;
    let role = match user.role {
        Role::Ops => "ops",
        Role::Customer => "customer",
        Role::Seller => "seller",
    };
    crate::features::claims::repo::add_message(
        state.db.pool(),
        claim_id,
        user.id,
        role,
        &body,
        state.clock.now_ms(),
    )
    .await
    .map_err(db_error)
}

/// Resolves an open claim with an outcome allowed for its kind and the
/// trade-in's state now; the note is required and shown to everyone.
pub async fn resolve(
    state: &AppState,
    ops_user: UserId,
    claim_id: ClaimId,
    outcome: &str,
    note: &str,
) -> Result<(), AppError> {
    let c = crate::features::claims::repo::find(state.db.pool(), claim_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)?;
    let texts = page_texts();
    let already_resolved = || AppError::Conflict(texts.get(Msg::ClaimErrorAlreadyResolved).into());
    if c.state != ClaimState::Open {
        return Err(already_resolved());
    }
    let note = text(texts, "note", note, 5, 1_000)?;
    let kind = c.kind;
    let t = crate::features::trade_ins::service::find(state.db.pool(), c.trade_in_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)?;
    let outcome = Outcome::parse(outcome)
        .filter(|o| Outcome::allowed(kind, t.state).contains(o))
        .ok_or_else(|| {
            let outcomes = Outcome::allowed(kind, t.state)
                .iter()
                .map(|o| texts.claim_outcome(*o))
                .collect::<Vec<_>>()
                .join(", ");
            AppError::invalid(
                "outcome",
                texts.fill(Msg::ClaimErrorChooseOutcome, &[("outcomes", &outcomes)]),
            )
        })?;
    let now = state.clock.now_ms();
    let changed_meanwhile =
        || AppError::Conflict(texts.get(Msg::ClaimErrorChangedMeanwhile).into());
    // Calls to the outside world come first, each safe to repeat (a return
    // label's number; a payout the provider knows by its id). Everything
    // the decision changes is then written in one transaction with the
    // claim's own resolution, so a crash leaves all of it or none.
    let mut tx = match outcome {
        Outcome::Refuse => state.db.write_tx().await.map_err(db_error)?,
        Outcome::ReturnDevice => return_device(
            texts,
            state,
            &t,
            Action::ReturnDevice,
            Actor::Ops,
            Some(ops_user),
            &note,
        )
        .await?
        .ok_or_else(changed_meanwhile)?,
        Outcome::PayNow => crate::features::orders::service::pay(state, &t, ops_user, Actor::Ops)
            .await?
            .ok_or_else(changed_meanwhile)?,
        Outcome::PayOriginal => {
            let mut tx = state.db.write_tx().await.map_err(db_error)?;
            crate::features::trade_ins::service::transition(
                &mut tx,
                t.id,
                t.state,
                Action::OverruleCounterOffer,
                Actor::Ops,
                Some(ops_user),
                &note,
                now,
            )
            .await
            .map_err(transition_error(texts))?;
            // The device stays with the refurbisher: the free return label
            // the consumer was given must not ship it back as well.
            if t.state == State::ReturnRequested {
                crate::features::trade_ins::service::cancel_return(&mut tx, t.id, now)
                    .await
                    .map_err(db_error)?;
            }
            crate::features::orders::service::stamp(&mut tx, t.id, "validated_at", now)
                .await
                .map_err(db_error)?;
            crate::features::orders::service::set_final_price(&mut tx, t.id, t.price)
                .await
                .map_err(db_error)?;
            crate::features::orders::service::create_payout(
                &mut tx,
                t.id,
                t.price,
                &t.iban_masked,
                now,
            )
            .await
            .map_err(db_error)?;
            enqueue(
                &mut tx,
                &t.customer_email,
                &emails::validated(
                    crate::i18n::Texts::of(t.market),
                    &state.config.public_url,
                    t.id,
                    &t.reference,
                    t.price,
                ),
                Some(t.id),
                now,
            )
            .await
            .map_err(db_error)?;
            tx
        }
        Outcome::Compensate => {
            // Declared lost with its payout, and the payment queued; it is
            // sent right after the commit below, or by the queue.
            let mut tx = state.db.write_tx().await.map_err(db_error)?;
            crate::features::fraud::service::ensure_payable(&mut tx, t.id).await?;
            crate::features::trade_ins::service::transition(
                &mut tx,
                t.id,
                t.state,
                Action::DeclareLost,
                Actor::Ops,
                Some(ops_user),
                &note,
                now,
            )
            .await
            .map_err(transition_error(texts))?;
            crate::features::orders::service::set_final_price(&mut tx, t.id, t.price)
                .await
                .map_err(db_error)?;
            crate::features::orders::service::create_payout(
                &mut tx,
                t.id,
                t.price,
                &t.iban_masked,
                now,
            )
            .await
            .map_err(db_error)?;
            crate::features::orders::service::queue_compensation(&mut tx, t.id, now).await?;
            tx
        }
    };
    if !crate::features::claims::repo::resolve(
        &mut *tx,
        claim_id,
        outcome.code(),
        &note,
        ops_user,
        now,
    )
    .await
    .map_err(db_error)?
    {
        return Err(already_resolved());
    }
    crate::features::claims::repo::add_message(
        &mut *tx,
        claim_id,
        ops_user,
        "ops",
        &format!("Resolved: {}. {note}", outcome.label()),
        now,
    )
    .await
    .map_err(db_error)?;
    let detail = format!("claim {claim_id} resolved: {} ({note})", outcome.code());
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::ClaimResolved,
        &AuditEntry {
            actor_id: Some(ops_user),
            trade_in_id: Some(t.id),
            seller_id: Some(t.seller_id),
            user_id: Some(t.customer_id),
            detail: &detail,
        },
        now,
    )
    .await
    .map_err(db_error)?;
    enqueue(
        &mut tx,
        &t.customer_email,
        &emails::claim_resolved(
            crate::i18n::Texts::of(t.market),
            &state.config.public_url,
            claim_id,
            &t.reference,
            outcome,
            &note,
        ),
        Some(t.id),
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        claim_id = claim_id.get(),
        outcome = outcome.code(),
        "claim resolved"
    );
    if outcome == Outcome::Compensate {
        // The queued job retries what fails here (a provider that is down).
        if let Err(e) = crate::features::orders::service::pay_compensation(state, t.id).await {
            tracing::warn!(trade_in_id = t.id.get(), error = %e, "compensation not sent yet; queued");
        }
    }
    Ok(())
}
