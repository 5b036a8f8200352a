//! The refurbisher's orders: a queue by stage with SLA clocks, receiving by
//! scan, and each order's inspection, counter-offer, suspension, return and
//! payment.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod uploads;
pub mod views;

use crate::domain::grade::Grade;
use crate::domain::ids::TradeInId;
use crate::domain::money::Money;
#[cfg(feature = "ssr")]
use crate::domain::sla::CounterReason;
use crate::domain::sla::SuspendReason;
use crate::domain::tradein::State;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The counter-offer form's name on its order page (see `ui::refused`):
/// a refusal returns to this form, and its kept photos belong to it.
pub fn counter_offer_form(id: TradeInId) -> String {
    format!("counter-offer-{id}")
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub label: String,
    pub at: crate::domain::dates::Moment,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    pub id: TradeInId,
    pub reference: String,
    pub device: String,
    pub grade: Grade,
    pub price: Money,
    pub state: State,
    pub tracking_number: String,
    pub due: Option<Due>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersPage {
    pub tab: String,
    pub tabs: Vec<(String, String, i64)>,
    pub rows: Vec<OrderRow>,
}

#[cfg(feature = "ssr")]
fn tab_label(st: StaffTexts, code: &str) -> &'static str {
    st.get(match code {
        "to_receive" => Staff::OrdersTabToReceive,
        "to_inspect" => Staff::OrdersTabToInspect,
        "waiting" => Staff::OrdersTabWaiting,
        "to_pay" => Staff::OrdersTabToPay,
        _ => Staff::OrdersTabAll,
    })
}

/// The order queue's tab and search, as the page's query string holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersFilter {
    pub tab: Option<String>,
    pub q: Option<String>,
}

#[server(prefix = "/api", endpoint = "seller_orders")]
pub async fn load_seller_orders(
    #[server(flatten)] filter: OrdersFilter,
) -> Result<OrdersPage, AppError> {
    use crate::domain::account::Role;
    use crate::domain::catalog::full_name;
    use crate::domain::sla::{inspect_due_ms, pay_due_ms};
    use crate::features::orders::service as orders;
    use crate::features::orders::service::Tab;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let st = use_staff();
    let OrdersFilter { tab, q } = filter;
    let (seller_id, _) =
        crate::features::orders::service::seller_of(&g.state, g.user()?.id).await?;
    let tab = tab
        .as_deref()
        .and_then(Tab::parse)
        .unwrap_or(Tab::ToReceive);
    let search = q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if search.is_some_and(|s| s.len() > 40) {
        return Err(AppError::invalid("q", st.get(Staff::OrdersErrorSearch)));
    }
    let mut conn = g.state.db.pool().acquire().await.or_internal(&g)?;
    let counts = orders::tab_counts(&mut conn, seller_id)
        .await
        .or_internal(&g)?;
    let rows = orders::queue(
        &mut *conn,
        seller_id,
        if search.is_some() { Tab::All } else { tab },
        search,
        200,
    )
    .await
    .or_internal(&g)?;
    let now = g.now_ms();
    let zone = g.zone();
    Ok(OrdersPage {
        tab: tab.code().into(),
        tabs: counts
            .into_iter()
            .map(|(t, n)| (t.code().to_string(), tab_label(st, t.code()).to_string(), n))
            .collect(),
        rows: rows
            .into_iter()
            .map(|r| {
                let due = match (r.state, r.received_at, r.validated_at) {
                    (State::Received | State::Inspecting, Some(at), _) => {
                        Some((Staff::OrdersInspectBy, inspect_due_ms(at)))
                    }
                    (State::Validated, _, Some(at)) => Some((Staff::OrdersPayBy, pay_due_ms(at))),
                    _ => None,
                };
                OrderRow {
                    id: r.id,
                    reference: r.reference,
                    device: full_name(&r.brand_name, &r.model_name),
                    grade: r.grade,
                    price: r.final_price.unwrap_or(r.price),
                    state: r.state,
                    tracking_number: r.tracking_number,
                    due: due.map(|(label, at)| Due {
                        label: st.get(label).into(),
                        at: st.moment(&zone, at),
                        overdue: now > at,
                    }),
                }
            })
            .collect(),
    })
}

#[server(prefix = "/api", endpoint = "receive_parcel")]
pub async fn receive_parcel(code: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let user = g.user()?.id;
    let (seller_id, _) = crate::features::orders::service::seller_of(&g.state, user).await?;
    if code.trim().is_empty() || code.len() > 40 {
        return Err(AppError::invalid(
            "code",
            use_staff().get(Staff::OrdersErrorScan),
        ));
    }
    let id = crate::features::orders::service::receive(&g.state, seller_id, user, &code).await?;
    leptos_axum::redirect(&format!("/seller/orders/{id}"));
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterOfferView {
    pub price: Money,
    pub reasons: Vec<String>,
    pub note: String,
    pub photo_urls: Vec<String>,
    pub expires: crate::domain::dates::Moment,
    pub answer: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutView {
    pub amount: Money,
    pub iban_masked: String,
    pub state: crate::domain::payout::PayoutState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub id: TradeInId,
    pub reference: String,
    pub device: String,
    pub state: State,
    pub declared_grade: Grade,
    pub declared_answers: String,
    pub price: Money,
    pub has_imei: bool,
    pub identifier: String,
    pub tracking_number: String,
    pub return_tracking_number: Option<String>,
    pub counter_offer: Option<CounterOfferView>,
    pub payout: Option<PayoutView>,
    pub suspended_reason: Option<SuspendReason>,
    pub found_grade: Option<Grade>,
    pub suggested_price: Option<Money>,
    /// The consumer's claims on this trade-in: the refurbisher answers on them.
    pub claims: Vec<crate::features::claims::ClaimSummary>,
}

#[cfg(feature = "ssr")]
/// A trade-in's latest counter-offer: in the refurbisher area's English,
/// or with `texts` in the consumer's page's language.
pub async fn counter_offer_view(
    g: &crate::platform::session::guard::Guarded,
    trade_in_id: TradeInId,
    texts: Option<crate::i18n::Texts>,
) -> Result<Option<CounterOfferView>, AppError> {
    use crate::platform::session::guard::OrInternal;
    let mut conn = g.state.db.pool().acquire().await.or_internal(g)?;
    let co = crate::features::orders::service::latest_counter_offer(&mut conn, trade_in_id)
        .await
        .or_internal(g)?;
    Ok(co.map(|c| CounterOfferView {
        price: c.price,
        reasons: c
            .reasons
            .split(',')
            .filter_map(CounterReason::parse)
            .map(|r| texts.map_or(r.label(), |t| t.counter_reason(r)).to_string())
            .collect(),
        note: c.note,
        photo_urls: c
            .photo_ids
            .iter()
            .map(|id| format!("/photos/{id}"))
            .collect(),
        expires: match texts {
            Some(t) => g.zone().moment_in(c.expires_at, t.market()),
            None => g.zone().moment(c.expires_at),
        },
        answer: c.answer,
    }))
}

#[cfg(feature = "ssr")]
pub async fn payout_view(
    g: &crate::platform::session::guard::Guarded,
    trade_in_id: TradeInId,
) -> Result<Option<PayoutView>, AppError> {
    use crate::platform::session::guard::OrInternal;
    let p = crate::features::orders::service::payout(g.state.db.pool(), trade_in_id)
        .await
        .or_internal(g)?;
    Ok(p.map(|p| PayoutView {
        amount: p.amount,
        iban_masked: p.iban_masked,
        state: p.state,
    }))
}

#[server(prefix = "/api", endpoint = "seller_order")]
pub async fn load_seller_order(id: TradeInId) -> Result<OrderDetail, AppError> {
    use crate::domain::account::Role;
    use crate::domain::catalog::{full_name, storage_label};
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let st = use_staff();
    let (seller_id, _) =
        crate::features::orders::service::seller_of(&g.state, g.user()?.id).await?;
    let t = crate::features::orders::service::owned_by_seller(&g.state, seller_id, id).await?;
    let pool = g.state.db.pool();
    let inbound = crate::features::trade_ins::service::shipment(
        pool,
        id,
        crate::features::trade_ins::service::Direction::Inbound,
    )
    .await
    .or_internal(&g)?;
    let ret = crate::features::trade_ins::service::shipment(
        pool,
        id,
        crate::features::trade_ins::service::Direction::Return,
    )
    .await
    .or_internal(&g)?;
    let found = crate::features::orders::service::latest_inspection_grade(pool, id)
        .await
        .or_internal(&g)?;
    let suggested = match found {
        Some(f) if f > t.grade => crate::features::orders::service::own_listing_price(
            pool, seller_id, t.market, &t.sku, f,
        )
        .await
        .or_internal(&g)?
        .filter(|p| *p < t.price),
        _ => None,
    };
    let declared_answers = st.fill(
        Staff::OrdersDeclaredAnswers,
        &[
            ("works", &st.yes_no(t.answers.works)),
            ("screen", &condition(st, t.answers.screen.code())),
            ("body", &condition(st, t.answers.body.code())),
        ],
    );
    Ok(OrderDetail {
        id,
        reference: t.reference.clone(),
        device: format!(
            "{} ({})",
            full_name(&t.brand_name, &t.model_name),
            storage_label(t.storage_gb as u32)
        ),
        state: t.state,
        declared_grade: t.grade,
        declared_answers,
        price: t.price,
        has_imei: t.imei.is_some(),
        identifier: t
            .imei
            .clone()
            .or(t.serial_number.clone())
            .unwrap_or_default(),
        tracking_number: inbound.map(|s| s.tracking_number).unwrap_or_default(),
        return_tracking_number: ret.map(|s| s.tracking_number),
        counter_offer: counter_offer_view(&g, id, None).await?,
        payout: payout_view(&g, id).await?,
        suspended_reason: SuspendReason::parse(&t.suspended_reason),
        found_grade: found,
        suggested_price: suggested,
        claims: crate::features::claims::service::for_trade_in(pool, id)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|c| crate::features::claims::ClaimSummary {
                id: c.id,
                kind: st.vocabulary().claim_kind(c.kind).to_string(),
                state: c.state,
            })
            .collect(),
    })
}

/// A declared answer about the screen or the body, by its code.
#[cfg(feature = "ssr")]
fn condition(st: StaffTexts, code: &str) -> String {
    match code {
        "flawless" => st.get(Staff::OrdersConditionFlawless).to_string(),
        "light_scratches" => st.get(Staff::OrdersConditionLightScratches).to_string(),
        "visible_wear" => st.get(Staff::OrdersConditionVisibleWear).to_string(),
        "cracked" => st.get(Staff::OrdersConditionCracked).to_string(),
        other => other.replace('_', " "),
    }
}

/// An inspection's outcome, its grade and reason in the areas' language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InspectionResult {
    Validated,
    Worse {
        found: String,
        suggested_price: Option<Money>,
    },
    Suspended(String),
}

/// The inspection form as typed: the IMEI read off the device (optional)
/// and the questionnaire's answers for what was found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionForm {
    pub id: String,
    pub imei_found: Option<String>,
    pub works: String,
    pub screen: String,
    pub body: String,
}

#[server(prefix = "/api", endpoint = "inspect_order")]
pub async fn inspect_order(
    #[server(flatten)] form: InspectionForm,
) -> Result<InspectionResult, AppError> {
    use crate::domain::account::Role;
    use crate::domain::grading::parse_answers;
    use crate::domain::identifiers::Imei;
    use crate::error::FieldErrors;
    use crate::features::orders::service as order_flow;
    use crate::features::orders::service::InspectionOutcome;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let InspectionForm {
        id,
        imei_found,
        works,
        screen,
        body,
    } = form;
    let id: TradeInId = AppError::posted_id(&id, "an order")?;
    let user = g.user()?.id;
    let (seller_id, _) = order_flow::seller_of(&g.state, user).await?;
    let mut errors = FieldErrors::new();
    let imei = match imei_found
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(text) => errors.check("imei_found", Imei::parse(text)),
    };
    let answers = match parse_answers(&works, &screen, &body) {
        Ok(a) => Some(a),
        Err(problems) => {
            for (f, e) in problems {
                errors.add(f, e);
            }
            None
        }
    };
    errors.into_result()?;
    let outcome = order_flow::inspect(
        &g.state,
        seller_id,
        user,
        id,
        imei,
        answers.expect("checked"),
    )
    .await?;
    Ok(match outcome {
        InspectionOutcome::Validated => InspectionResult::Validated,
        InspectionOutcome::Worse {
            found,
            suggested_price,
        } => InspectionResult::Worse {
            found: use_staff().vocabulary().grade(found).into(),
            suggested_price,
        },
        InspectionOutcome::Suspended(r) => {
            InspectionResult::Suspended(use_staff().vocabulary().on_hold(r).0.into())
        }
    })
}

/// The order actions that need nothing but the order (and, to suspend, a
/// reason). The code is the form's `action` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum OrderStep {
    Validate,
    ConfirmPayment,
    Return,
    ReturnDelivered,
    Suspend,
}

crate::domain::codes::code!(OrderStep);

/// A step's form: the order, the step's code, and a suspension's reason.
/// Text as posted: a flattened form's fields reach serde as strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderStepForm {
    pub id: String,
    pub action: String,
    pub reason: Option<String>,
}

#[server(prefix = "/api", endpoint = "order_action")]
pub async fn order_action(#[server(flatten)] form: OrderStepForm) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::features::orders::service as order_flow;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let user = g.user()?.id;
    let step: OrderStep = form
        .action
        .parse()
        .map_err(|_| AppError::BadRequest("unknown action".into()))?;
    let (seller_id, _) = order_flow::seller_of(&g.state, user).await?;
    let id: TradeInId = AppError::posted_id(&form.id, "an order")?;
    match step {
        OrderStep::Validate => order_flow::validate(&g.state, seller_id, user, id).await,
        OrderStep::ConfirmPayment => {
            order_flow::confirm_payment(&g.state, seller_id, user, id).await
        }
        OrderStep::Return => order_flow::return_suspended(&g.state, seller_id, user, id).await,
        OrderStep::ReturnDelivered => {
            order_flow::return_delivered(&g.state, seller_id, user, id).await
        }
        OrderStep::Suspend => {
            let reason = form
                .reason
                .as_deref()
                .and_then(SuspendReason::parse)
                .ok_or_else(|| {
                    AppError::invalid("reason", use_staff().get(Staff::OrdersErrorChooseReason))
                })?;
            order_flow::suspend(&g.state, seller_id, user, id, reason).await
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspendedItem {
    pub id: TradeInId,
    pub reference: String,
    pub seller: String,
    pub device: String,
    pub reason: String,
    pub since: String,
}

#[server(prefix = "/api", endpoint = "ops_suspended")]
pub async fn load_ops_suspended() -> Result<Vec<SuspendedItem>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let st = use_staff();
    let rows = crate::features::orders::service::suspended(g.state.db.pool())
        .await
        .or_internal(&g)?;
    let zone = g.zone();
    Ok(rows
        .into_iter()
        .map(|r| SuspendedItem {
            id: r.id,
            reference: r.reference,
            seller: r.seller_name,
            device: r.device,
            reason: SuspendReason::parse(&r.reason)
                .map(|x| st.vocabulary().on_hold(x).0.to_string())
                .unwrap_or(r.reason),
            since: st.moment(&zone, r.updated_at).text,
        })
        .collect())
}

/// Operations' decision on a suspended trade-in, as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionDecisionForm {
    pub id: String,
    pub decision: String,
    pub reason: String,
}

#[server(prefix = "/api", endpoint = "ops_decide_suspended")]
pub async fn ops_decide_suspended(
    #[server(flatten)] form: SuspensionDecisionForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let id: TradeInId = AppError::posted_id(&form.id, "a trade-in")?;
    let resume = match form.decision.as_str() {
        "resume" => true,
        "return" => false,
        _ => {
            return Err(AppError::invalid(
                "decision",
                use_staff().get(Staff::SuspendedErrorChoose),
            ))
        }
    };
    crate::features::orders::service::ops_decide(&g.state, g.user()?.id, id, resume, &form.reason)
        .await
}
