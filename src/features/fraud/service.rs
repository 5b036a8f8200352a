//! Fraud review: the rules run inside the transaction that confirms or
//! inspects a trade-in; a flag holds its payout until operations release
//! or block it, with a reason, in the audit log. The IMEI blocklist.

use crate::domain::fraud::{evaluate, PayoutHold};
use crate::domain::identifiers::Imei;
use crate::domain::ids::{TradeInId, UserId};
use crate::error::AppError;
use crate::features::audit::service::AuditEntry;
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use crate::platform::db::db_error;
use crate::platform::state::AppState;
use sqlx::AnyConnection;

// What other features run on their own connection, inside their own transaction.
pub use super::repo::facts;
pub use super::repo::{blocklist, cases};

/// Evaluates the rules for a trade-in; call inside its transaction.
pub async fn check(
    conn: &mut AnyConnection,
    secret: &crate::platform::secret::Secret,
    trade_in_id: TradeInId,
    found_imei: Option<&str>,
    now: i64,
) -> Result<usize, AppError> {
    let fingerprints = |sealed: &str| {
        secret
            .decrypt_iban(sealed)
            .map(|iban| secret.iban_fingerprints(&iban))
            .unwrap_or_default()
    };
    let facts =
        crate::features::fraud::repo::facts(conn, trade_in_id, found_imei, fingerprints, now)
            .await
            .map_err(db_error)?;
    let flags = evaluate(&facts);
    if flags.is_empty() {
        return Ok(0);
    }
    let new = crate::features::fraud::repo::flag(conn, trade_in_id, &flags, now)
        .await
        .map_err(db_error)?;
    if new > 0 {
        tracing::warn!(trade_in_id = trade_in_id.get(), rules = ?flags.iter().map(|(r, _)| r.code()).collect::<Vec<_>>(), "trade-in flagged, payout held");
    }
    Ok(new)
}

/// Refuses to pay a held or blocked payout.
pub async fn ensure_payable(
    conn: &mut AnyConnection,
    trade_in_id: TradeInId,
) -> Result<(), AppError> {
    let hold = crate::features::fraud::repo::hold_of(&mut *conn, trade_in_id)
        .await
        .map_err(db_error)?;
    // `PayoutHold::refusal` in the refurbisher's language.
    let why = match hold {
        PayoutHold::Held => Staff::FraudRefusalHeld,
        PayoutHold::Blocked => Staff::FraudRefusalBlocked,
        PayoutHold::NotHeld | PayoutHold::Released => return Ok(()),
    };
    Err(AppError::Conflict(use_staff().get(why).into()))
}

/// Why an IMEI was refused, in the user's language (the consumer
/// catalog's texts, whose English is `ImeiError`'s).
pub fn imei_error(st: StaffTexts, e: &crate::domain::identifiers::ImeiError) -> String {
    use crate::i18n::errors::Localized;
    e.text(crate::i18n::Texts::speaking(
        crate::domain::market::Market::EnGb,
        st.lang(),
    ))
}

/// Releases (`release = true`) or blocks a held payout.
pub async fn review(
    state: &AppState,
    ops_user: UserId,
    trade_in_id: TradeInId,
    release: bool,
    reason: &str,
) -> Result<(), AppError> {
    let st = use_staff();
    let reason = crate::domain::account::parse_reason(reason)
        .map_err(|_| AppError::invalid("reason", st.get(Staff::FraudReasonRequired)))?;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let to = PayoutHold::decision(release);
    if !crate::features::fraud::repo::decide(&mut *tx, trade_in_id, to, ops_user, &reason, now)
        .await
        .map_err(db_error)?
    {
        return Err(AppError::Conflict(st.get(Staff::FraudNotWaiting).into()));
    }
    let detail = format!("payout {to}: {reason}");
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::FraudReview,
        &AuditEntry {
            actor_id: Some(ops_user),
            trade_in_id: Some(trade_in_id),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        trade_in_id = trade_in_id.get(),
        ops_user = ops_user.get(),
        decision = to.code(),
        "fraud review decided"
    );
    Ok(())
}

pub const MAX_BLOCKLIST_IMPORT: usize = 10_000;

/// Reads `imei,reason` lines (a header line is skipped); every bad line
/// is reported, in `st`'s language, and nothing is added unless all are
/// good.
pub fn parse_blocklist(st: StaffTexts, text: &str) -> Result<Vec<(String, String)>, AppError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || (i == 0 && line.to_ascii_lowercase().starts_with("imei")) {
            continue;
        }
        let (imei, reason) = line.split_once([',', ';']).unwrap_or((line, ""));
        match Imei::parse(imei.trim().trim_matches('"')) {
            Ok(imei) => out.push((
                imei.as_str().to_string(),
                reason
                    .trim()
                    .trim_matches('"')
                    .chars()
                    .take(200)
                    .collect::<String>(),
            )),
            Err(e) => problems.push(st.fill(
                Staff::FraudImportLine,
                &[("n", &(i + 1)), ("problem", &imei_error(st, &e))],
            )),
        }
    }
    if !problems.is_empty() {
        let count = problems.len();
        let shown = problems
            .into_iter()
            .take(20)
            .reduce(|first, second| {
                st.fill(
                    Staff::FraudImportLines,
                    &[("first", &first), ("second", &second)],
                )
            })
            .unwrap_or_default();
        return Err(AppError::invalid(
            "file",
            st.fill(
                Staff::FraudImportBadLines,
                &[("n", &count), ("problems", &shown)],
            ),
        ));
    }
    if out.is_empty() {
        return Err(AppError::invalid("file", st.get(Staff::FraudImportNoImei)));
    }
    if out.len() > MAX_BLOCKLIST_IMPORT {
        return Err(AppError::invalid(
            "file",
            st.fill(Staff::FraudImportTooMany, &[("max", &MAX_BLOCKLIST_IMPORT)]),
        ));
    }
    Ok(out)
}

pub async fn block(
    state: &AppState,
    ops_user: UserId,
    entries: Vec<(String, String)>,
) -> Result<usize, AppError> {
    let now = state.clock.now_ms();
    let entries: Vec<(String, String)> = entries
        .into_iter()
        .map(|(i, r)| {
            (
                i,
                if r.trim().is_empty() {
                    "reported lost or stolen".to_string()
                } else {
                    r
                },
            )
        })
        .collect();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let new = crate::features::fraud::repo::block(&mut tx, &entries, ops_user, now)
        .await
        .map_err(db_error)?;
    let detail = if entries.len() == 1 {
        format!("IMEI {} blocklisted: {}", entries[0].0, entries[0].1)
    } else {
        format!("{} IMEIs blocklisted ({new} new)", entries.len())
    };
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::BlocklistAdd,
        &AuditEntry {
            actor_id: Some(ops_user),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(new)
}

pub async fn unblock(state: &AppState, ops_user: UserId, imei: &str) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if !crate::features::fraud::repo::unblock(&mut *tx, imei)
        .await
        .map_err(db_error)?
    {
        return Err(AppError::NotFound);
    }
    let detail = format!("IMEI {imei} removed from the blocklist");
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::BlocklistRemove,
        &AuditEntry {
            actor_id: Some(ops_user),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// `POST /ops/blocklist`: the page's CSV import, a file the browser posts
/// itself. Accepted, back to the page with the count; refused, the page
/// again with the problem beside the file field.
pub async fn import_route(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: http::HeaderMap,
    mut form: axum::extract::Multipart,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let refused = |error: AppError| {
        crate::platform::http::forms::send_back(crate::ui::refused::RefusedForm::new(
            super::IMPORT_FORM,
            [],
            error,
        ))
    };
    let user = match crate::platform::session::user_with_role(
        &state,
        &headers,
        crate::domain::account::Role::Ops,
    )
    .await
    {
        Ok(u) => u,
        Err(e) => return crate::platform::http::refused(e),
    };
    let st = use_staff();
    let unreadable = || AppError::invalid("file", st.get(Staff::FraudImportUnreadable));
    let mut text = String::new();
    loop {
        match form.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => match f.bytes().await {
                Ok(b) => text = String::from_utf8_lossy(&b).into_owned(),
                Err(_) => return refused(unreadable()),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return refused(unreadable()),
        }
    }
    if text.trim().is_empty() {
        return refused(AppError::invalid("file", st.get(Staff::FraudImportNoFile)));
    }
    let result = match parse_blocklist(st, &text) {
        Ok(entries) => block(&state, user.id, entries).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(n) => Redirect::to(&format!("/ops/blocklist?imported={n}")).into_response(),
        // Line by line problems, together beside the one file field.
        Err(AppError::Invalid(f)) => refused(AppError::invalid(
            "file",
            f.0.iter()
                .map(|x| x.message.clone())
                .collect::<Vec<_>>()
                .join(" "),
        )),
        Err(e) => refused(e),
    }
}
