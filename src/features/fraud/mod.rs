//! Fraud review (`/ops/fraud`): flagged trade-ins with the rules that fired;
//! a held payout is released or blocked with a reason. The IMEI blocklist
//! (`/ops/blocklist`): add, remove, import a CSV file.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

/// The CSV import form's name on the blocklist page (see `ui::refused`).
pub const IMPORT_FORM: &str = "blocklist-import";

use crate::domain::ids::TradeInId;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FraudCase {
    pub trade_in_id: TradeInId,
    pub reference: String,
    pub customer_email: String,
    pub seller: String,
    pub price: crate::domain::money::Money,
    pub state: crate::domain::tradein::State,
    pub hold: crate::domain::fraud::PayoutHold,
    pub hold_reason: String,
    /// (rule label, what it found), in the reader's language.
    pub flags: Vec<(String, String)>,
}

/// What a flag found, in the areas' language; a detail stored as an
/// English sentence stays as it is.
#[cfg(feature = "ssr")]
fn flag_detail(st: crate::i18n::staff::StaffTexts, stored: &str) -> String {
    use crate::domain::fraud::FlagDetail as D;
    use crate::i18n::staff::Staff;
    let Some(detail) = D::from_stored(stored) else {
        return stored.to_string();
    };
    match detail {
        D::Blocklisted => st.get(Staff::FraudDetailBlocklisted).to_string(),
        D::RepeatedImei { others } => st.fill(Staff::FraudDetailRepeatedImei, &[("n", &others)]),
        D::SharedIban { others } => st.fill(Staff::FraudDetailSharedIban, &[("n", &others)]),
        D::ManyTradeIns { count } => st.fill(Staff::FraudDetailManyTradeIns, &[("n", &count)]),
        D::HighValue { total } => st.fill(
            Staff::FraudDetailHighValue,
            &[("total", &st.totals(&total))],
        ),
        D::ImeiMismatch { declared, found } => st.fill(
            Staff::FraudDetailImeiMismatch,
            &[("declared", &declared), ("found", &found)],
        ),
    }
}

#[server(prefix = "/api", endpoint = "fraud_cases")]
pub async fn load_fraud_cases() -> Result<Vec<FraudCase>, AppError> {
    use crate::domain::account::Role;
    use crate::domain::fraud::FraudRule;
    use crate::i18n::staff::{use_staff, Staff};
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let st = use_staff();
    let mut conn = g.state.db.pool().acquire().await.or_internal(&g)?;
    let label = |code: &str| {
        FraudRule::parse(code).map_or_else(
            || code.to_string(),
            |r| {
                st.get(match r {
                    FraudRule::BlockedImei => Staff::FraudRuleBlockedImei,
                    FraudRule::RepeatedImei => Staff::FraudRuleRepeatedImei,
                    FraudRule::SharedIban => Staff::FraudRuleSharedIban,
                    FraudRule::ManyTradeIns => Staff::FraudRuleManyTradeIns,
                    FraudRule::HighValue => Staff::FraudRuleHighValue,
                    FraudRule::ImeiMismatch => Staff::FraudRuleImeiMismatch,
                })
                .to_string()
            },
        )
    };
    Ok(crate::features::fraud::service::cases(&mut conn, 200)
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|c| FraudCase {
            trade_in_id: c.trade_in_id,
            price: c.price,
            state: c.state,
            flags: c
                .flags
                .iter()
                .map(|(r, d)| (label(r), flag_detail(st, d)))
                .collect(),
            reference: c.reference,
            customer_email: c.customer_email,
            seller: c.seller,
            hold: c.hold,
            hold_reason: c.hold_reason,
        })
        .collect())
}

/// A held payout's review: the trade-in, "release" or "block" (the button
/// pressed) and the reason. Text as posted: a flattened form's fields reach
/// serde as strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutReviewForm {
    pub trade_in_id: String,
    pub decision: String,
    pub reason: String,
}

#[server(prefix = "/api", endpoint = "fraud_review")]
pub async fn review_payout(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: PayoutReviewForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::i18n::staff::{use_staff, Staff};
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let trade_in_id: TradeInId = AppError::posted_id(&form.trade_in_id, "a trade-in")?;
    let release = match form.decision.as_str() {
        "release" => true,
        "block" => false,
        _ => {
            return Err(AppError::invalid(
                "decision",
                use_staff().get(Staff::FraudReleaseOrBlock),
            ))
        }
    };
    crate::features::fraud::service::review(
        &g.state,
        g.user()?.id,
        trade_in_id,
        release,
        &form.reason,
    )
    .await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedImei {
    pub imei: String,
    pub reason: String,
    pub added: String,
}

#[server(prefix = "/api", endpoint = "blocklist")]
pub async fn load_blocklist() -> Result<Vec<BlockedImei>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let zone = g.zone();
    let st = crate::i18n::staff::use_staff();
    Ok(
        crate::features::fraud::service::blocklist(g.state.db.pool(), 500)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|(imei, reason, at)| BlockedImei {
                imei,
                reason,
                added: st.moment(&zone, at).text,
            })
            .collect(),
    )
}

/// An IMEI to add to the blocklist, and why, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockImeiForm {
    pub imei: String,
    pub reason: String,
}

#[server(prefix = "/api", endpoint = "blocklist_add")]
pub async fn block_imei(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: BlockImeiForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::domain::identifiers::Imei;
    use crate::i18n::staff::{use_staff, Staff};
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let st = use_staff();
    let imei = Imei::parse(&form.imei).map_err(|e| {
        AppError::invalid("imei", crate::features::fraud::service::imei_error(st, &e))
    })?;
    let reason = form.reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.chars().count() > 200 {
        return Err(AppError::invalid(
            "reason",
            st.get(Staff::FraudReasonTooLong),
        ));
    }
    crate::features::fraud::service::block(
        &g.state,
        g.user()?.id,
        vec![(imei.as_str().to_string(), reason)],
    )
    .await
    .map(|_| ())
}

#[server(prefix = "/api", endpoint = "blocklist_remove")]
pub async fn unblock_imei(imei: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    crate::features::fraud::service::unblock(&g.state, g.user()?.id, imei.trim()).await
}
