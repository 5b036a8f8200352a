//! A consumer's trade-ins: the list, and each one's tracking page with its
//! timeline, deadline, label and the actions open to the consumer.

#[cfg(feature = "ssr")]
pub mod certificate;
#[cfg(feature = "ssr")]
pub mod downloads;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod label;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::domain::ids::TradeInId;
use crate::domain::money::Money;
use crate::domain::tradein::State;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub label: String,
    pub detail: String,
    pub at: crate::domain::dates::Moment,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeInView {
    pub id: TradeInId,
    pub reference: String,
    pub device: String,
    pub grade_label: String,
    pub price: Money,
    pub final_price: Option<Money>,
    pub recycling: bool,
    pub state: State,
    pub state_label: String,
    pub buyer: String,
    pub ship_by: crate::domain::dates::Moment,
    pub now_ms: i64,
    pub carrier: String,
    pub tracking_number: String,
    pub return_tracking_number: Option<String>,
    pub iban_masked: String,
    pub timeline: Vec<TimelineEntry>,
    pub counter_offer: Option<crate::features::orders::CounterOfferView>,
    pub payout: Option<crate::features::orders::PayoutView>,
    /// Why it is on hold, and what the consumer should do.
    pub on_hold: Option<(String, String)>,
    /// Whether the consumer confirmed their address: the payment waits
    /// for it.
    pub email_confirmed: bool,
}

impl TradeInView {
    pub fn can_ship(&self) -> bool {
        self.state == State::LabelIssued
    }
    pub fn can_cancel(&self) -> bool {
        matches!(self.state, State::Created | State::LabelIssued)
    }
}

#[server(prefix = "/api", endpoint = "my_trade_ins")]
pub async fn my_trade_ins() -> Result<Vec<TradeInView>, AppError> {
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    let list = crate::features::trade_ins::service::list_for_customer(g.state.db.pool(), user.id)
        .await
        .or_internal(&g)?;
    let mut out = Vec::new();
    for t in list {
        out.push(view_of(&g, t, false).await?);
    }
    Ok(out)
}

#[server(prefix = "/api", endpoint = "trade_in_detail")]
pub async fn trade_in_detail(id: TradeInId) -> Result<TradeInView, AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let t = crate::features::trade_ins::service::owned(&g.state, g.user()?.id, id).await?;
    view_of(&g, t, true).await
}

#[cfg(feature = "ssr")]
async fn view_of(
    g: &crate::platform::session::guard::Guarded,
    t: crate::features::trade_ins::service::TradeInRecord,
    with_timeline: bool,
) -> Result<TradeInView, AppError> {
    use crate::domain::catalog::storage_label;
    use crate::features::trade_ins::service::Direction;
    use crate::platform::session::guard::OrInternal;
    let pool = g.state.db.pool();
    let inbound = crate::features::trade_ins::service::shipment(pool, t.id, Direction::Inbound)
        .await
        .or_internal(g)?;
    let ret = crate::features::trade_ins::service::shipment(pool, t.id, Direction::Return)
        .await
        .or_internal(g)?;
    let zone = g.zone();
    // The document's language (`i18n::document_market`), as the page
    // around these texts is.
    let texts = crate::i18n::Texts::of(crate::i18n::document_market());
    let market = texts.market();
    let mut timeline = Vec::new();
    if with_timeline {
        for e in crate::features::trade_ins::service::events(pool, t.id)
            .await
            .or_internal(g)?
        {
            timeline.push(TimelineEntry {
                label: texts.step(e.to_state).to_string(),
                detail: e.reason,
                at: zone.moment_in(e.at, market),
            });
        }
        for e in crate::features::trade_ins::service::shipment_events(pool, t.id)
            .await
            .or_internal(g)?
        {
            let msg = if e.direction == "return" {
                crate::i18n::Msg::TradeinReturnParcelEvent
            } else {
                crate::i18n::Msg::TradeinParcelEvent
            };
            timeline.push(TimelineEntry {
                label: texts.fill(msg, &[("event", &e.description)]),
                detail: String::new(),
                at: zone.moment_in(e.at, market),
            });
        }
        timeline.sort_by_key(|e| e.at.ms);
    }
    let email_confirmed = if with_timeline {
        let mut conn = pool.acquire().await.or_internal(g)?;
        crate::features::accounts::service::links::is_verified(&mut conn, t.customer_id).await?
    } else {
        true
    };
    let (counter_offer, payout) = if with_timeline {
        (
            crate::features::orders::counter_offer_view(g, t.id, Some(texts)).await?,
            crate::features::orders::payout_view(g, t.id).await?,
        )
    } else {
        (None, None)
    };
    let on_hold = if t.state == State::Suspended {
        crate::domain::sla::SuspendReason::parse(&t.suspended_reason).map(|r| {
            let (why, todo) = texts.on_hold(r);
            (why.to_string(), todo.to_string())
        })
    } else {
        None
    };
    let mut variant = storage_label(t.storage_gb as u32);
    if !t.connectivity.is_empty() {
        variant = format!("{variant}, {}", t.connectivity);
    }
    Ok(TradeInView {
        id: t.id,
        reference: t.reference,
        device: format!(
            "{} ({variant})",
            crate::domain::catalog::full_name(&t.brand_name, &t.model_name)
        ),
        grade_label: texts.grade(t.grade).to_string(),
        price: t.price,
        final_price: t.final_price,
        recycling: t.recycling,
        state: t.state,
        state_label: texts.state(t.state).to_string(),
        buyer: t.seller_name,
        ship_by: zone.moment_in(t.ship_by_at, market),
        now_ms: g.now_ms(),
        carrier: inbound
            .as_ref()
            .map(|s| s.carrier.clone())
            .unwrap_or_default(),
        tracking_number: inbound.map(|s| s.tracking_number).unwrap_or_default(),
        return_tracking_number: ret.map(|s| s.tracking_number),
        iban_masked: t.iban_masked,
        timeline,
        counter_offer,
        payout,
        on_hold,
        email_confirmed,
    })
}

#[server(prefix = "/api", endpoint = "mark_shipped")]
pub async fn mark_shipped(id: TradeInId) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    crate::features::trade_ins::service::mark_shipped(&g.state, g.user()?.id, id).await
}

/// The consumer's answer to a counter-offer, as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterOfferAnswerForm {
    pub id: String,
    pub answer: String,
}

#[server(prefix = "/api", endpoint = "answer_counter_offer")]
pub async fn answer_counter_offer(
    #[server(flatten)] form: CounterOfferAnswerForm,
) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let id: TradeInId = AppError::posted_id(&form.id, "a trade-in")?;
    let accept = match form.answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => {
            return Err(AppError::invalid(
                "answer",
                "choose to accept or decline the new offer",
            ))
        }
    };
    crate::features::orders::service::answer_counter_offer(&g.state, g.user()?.id, id, accept).await
}

#[server(prefix = "/api", endpoint = "cancel_trade_in")]
pub async fn cancel_trade_in(id: TradeInId) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    crate::features::trade_ins::service::cancel(&g.state, g.user()?.id, id).await
}
