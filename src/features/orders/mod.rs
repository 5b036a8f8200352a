//! The refurbisher's orders: a queue by stage with SLA clocks, receiving by
//! scan, and each order's inspection, counter-offer, suspension, return and
//! payment.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod uploads;
pub mod views;

use crate::domain::dates::Date;
use crate::domain::grading::{BODY_CHOICES, SCREEN_CHOICES, WORKS_CHOICES};
use crate::domain::money::Money;
use crate::domain::sla::{CounterReason, SuspendReason};
use crate::domain::tradein::State;
use crate::error::AppError;
use crate::features::sell::views::model_page::Question;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub label: String,
    pub at_ms: i64,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    pub id: i64,
    pub reference: String,
    pub device: String,
    pub grade_label: String,
    pub price_minor: i64,
    pub state_label: String,
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
fn tab_label(code: &str) -> &'static str {
    match code {
        "to_receive" => "To receive",
        "to_inspect" => "To inspect",
        "waiting" => "Waiting for customer",
        "to_pay" => "To pay",
        _ => "All",
    }
}

#[server(prefix = "/api", endpoint = "seller_orders")]
pub async fn load_seller_orders(
    tab: Option<String>,
    q: Option<String>,
) -> Result<OrdersPage, AppError> {
    use crate::domain::account::Role;
    use crate::domain::catalog::full_name;
    use crate::domain::sla::{inspect_due_ms, pay_due_ms};
    use crate::features::orders::repo as orders;
    use crate::features::orders::repo::Tab;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let (seller_id, _) =
        crate::features::orders::service::seller_of(&g.state, g.user()?.id).await?;
    let tab = tab
        .as_deref()
        .and_then(Tab::parse)
        .unwrap_or(Tab::ToReceive);
    let search = q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if search.is_some_and(|s| s.len() > 40) {
        return Err(AppError::invalid(
            "q",
            "search by reference, tracking number or IMEI",
        ));
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
    Ok(OrdersPage {
        tab: tab.code().into(),
        tabs: counts
            .into_iter()
            .map(|(t, n)| (t.code().to_string(), tab_label(t.code()).to_string(), n))
            .collect(),
        rows: rows
            .into_iter()
            .map(|r| {
                let due = match (r.state, r.received_at, r.validated_at) {
                    (State::Received | State::Inspecting, Some(at), _) => {
                        Some(("Inspect by", inspect_due_ms(at)))
                    }
                    (State::Validated, _, Some(at)) => Some(("Pay by", pay_due_ms(at))),
                    _ => None,
                };
                OrderRow {
                    id: r.id,
                    reference: r.reference,
                    device: full_name(&r.brand_name, &r.model_name),
                    grade_label: r.grade.label().into(),
                    price_minor: r.final_price_minor.unwrap_or(r.price_minor),
                    state_label: crate::domain::tradein::state_label(r.state).into(),
                    tracking_number: r.tracking_number,
                    due: due.map(|(label, at)| Due {
                        label: label.into(),
                        at_ms: at,
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
            "scan or type the tracking number or order reference",
        ));
    }
    let id = crate::features::orders::service::receive(&g.state, seller_id, user, &code).await?;
    leptos_axum::redirect(&format!("/seller/orders/{id}"));
    Ok(())
}

fn format_day(ms: i64) -> String {
    Date::from_unix_ms(ms).to_string()
}

#[component]
pub fn SellerOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let receive = ServerAction::<ReceiveParcel>::new();
    let key = move || {
        let q = query.read();
        (q.get("tab"), q.get("q"))
    };
    let data = crate::ui::data::load(key, |(tab, q)| load_seller_orders(tab, q));
    let receive_error = Signal::derive(move || receive.value().get().and_then(Result::err));
    view! {
        <Title text="Orders"/>
        <p class="muted"><a href="/seller">"Refurbisher area"</a></p>
        <h1>"Orders"</h1>
        <section class="card" aria-labelledby="receive-heading">
            <h2 id="receive-heading">"Receive a parcel"</h2>
            <ActionForm action=receive attr:class="form inline-form">
                <FormError error=receive_error/>
                <TextField label="Tracking number or order reference" name="code" autocomplete="off" error=Signal::derive(move || receive_error.get().and_then(|e| e.field("code")))/>
                <button type="submit" class="button primary">"Mark received"</button>
            </ActionForm>
        </section>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <OrdersTable page=page/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller/orders"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrdersTable(page: OrdersPage) -> impl IntoView {
    let current = page.tab.clone();
    view! {
        <nav aria-label="Order stages" class="tabs">
            <ul>
                {page.tabs.into_iter().map(|(code, label, n)| {
                    let selected = code == current;
                    view! {
                        <li>
                            <a href=format!("/seller/orders?tab={code}") aria-current=selected.then_some("page")>
                                {label}" "<span class="count">{n}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        <Form method="GET" action="/seller/orders" attr:class="search-inline" attr:role="search">
            <label for="order-search">"Find an order"</label>
            <input id="order-search" name="q" type="search" placeholder="Reference, tracking number or IMEI"/>
            <button type="submit" class="button small">"Find"</button>
        </Form>
        {if page.rows.is_empty() {
            view! { <p class="muted">"No orders here."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <thead><tr>
                        <th scope="col">"Reference"</th><th scope="col">"Device"</th><th scope="col">"Declared"</th>
                        <th scope="col">"Price"</th><th scope="col">"Status"</th><th scope="col">"Due"</th>
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|r| {
                            let overdue = r.due.as_ref().is_some_and(|d| d.overdue);
                            view! {
                                <tr class:overdue=overdue>
                                    <td><a href=format!("/seller/orders/{}", r.id)>{r.reference.clone()}</a><br/><code class="muted">{r.tracking_number.clone()}</code></td>
                                    <td>{r.device.clone()}</td>
                                    <td>{r.grade_label.clone()}</td>
                                    <td>{Money::eur(r.price_minor).to_string()}</td>
                                    <td>{r.state_label.clone()}</td>
                                    <td>{r.due.map(|d| view! {
                                        <span class:overdue-label=d.overdue>{format!("{} {}", d.label, format_day(d.at_ms))}{d.overdue.then_some(" (overdue)")}</span>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterOfferView {
    pub price_minor: i64,
    pub reasons: Vec<String>,
    pub note: String,
    pub photo_urls: Vec<String>,
    pub expires_at_ms: i64,
    pub answer: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutView {
    pub amount_minor: i64,
    pub iban_masked: String,
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub id: i64,
    pub reference: String,
    pub device: String,
    pub state: State,
    pub state_label: String,
    pub declared_grade: String,
    pub declared_answers: String,
    pub price_minor: i64,
    pub has_imei: bool,
    pub identifier: String,
    pub tracking_number: String,
    pub return_tracking_number: Option<String>,
    pub counter_offer: Option<CounterOfferView>,
    pub payout: Option<PayoutView>,
    pub suspended_reason: String,
    pub found_grade: Option<String>,
    pub suggested_price_minor: Option<i64>,
    /// The consumer's claims on this trade-in: the refurbisher answers on them.
    pub claims: Vec<crate::features::claims::ClaimSummary>,
}

#[cfg(feature = "ssr")]
pub async fn counter_offer_view(
    g: &crate::platform::session::guard::Guarded,
    trade_in_id: i64,
) -> Result<Option<CounterOfferView>, AppError> {
    use crate::platform::session::guard::OrInternal;
    let mut conn = g.state.db.pool().acquire().await.or_internal(g)?;
    let co = crate::features::orders::repo::latest_counter_offer(&mut conn, trade_in_id)
        .await
        .or_internal(g)?;
    Ok(co.map(|c| CounterOfferView {
        price_minor: c.price_minor,
        reasons: c
            .reasons
            .split(',')
            .filter_map(CounterReason::parse)
            .map(|r| r.label().to_string())
            .collect(),
        note: c.note,
        photo_urls: c
            .photo_ids
            .iter()
            .map(|id| format!("/photos/{id}"))
            .collect(),
        expires_at_ms: c.expires_at,
        answer: c.answer,
    }))
}

#[cfg(feature = "ssr")]
pub async fn payout_view(
    g: &crate::platform::session::guard::Guarded,
    trade_in_id: i64,
) -> Result<Option<PayoutView>, AppError> {
    use crate::platform::session::guard::OrInternal;
    let p = crate::features::orders::repo::payout(g.state.db.pool(), trade_in_id)
        .await
        .or_internal(g)?;
    Ok(p.map(|p| PayoutView {
        amount_minor: p.amount_minor,
        iban_masked: p.iban_masked,
        state: p.state,
    }))
}

#[server(prefix = "/api", endpoint = "seller_order")]
pub async fn load_seller_order(id: i64) -> Result<OrderDetail, AppError> {
    use crate::domain::account::Role;
    use crate::domain::catalog::{full_name, storage_label};
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let (seller_id, _) =
        crate::features::orders::service::seller_of(&g.state, g.user()?.id).await?;
    let t = crate::features::orders::service::owned_by_seller(&g.state, seller_id, id).await?;
    let pool = g.state.db.pool();
    let inbound = crate::features::trade_ins::repo::shipments::find(
        pool,
        id,
        crate::features::trade_ins::repo::shipments::Direction::Inbound,
    )
    .await
    .or_internal(&g)?;
    let ret = crate::features::trade_ins::repo::shipments::find(
        pool,
        id,
        crate::features::trade_ins::repo::shipments::Direction::Return,
    )
    .await
    .or_internal(&g)?;
    let found = crate::features::orders::repo::latest_inspection_grade(pool, id)
        .await
        .or_internal(&g)?;
    let suggested = match found {
        Some(f) if f > t.grade => {
            crate::features::orders::repo::own_listing_price(pool, seller_id, &t.sku, f)
                .await
                .or_internal(&g)?
                .filter(|p| *p < t.price_minor)
        }
        _ => None,
    };
    Ok(OrderDetail {
        id,
        reference: t.reference.clone(),
        device: format!(
            "{} ({})",
            full_name(&t.brand_name, &t.model_name),
            storage_label(t.storage_gb as u32)
        ),
        state: t.state,
        state_label: crate::domain::tradein::state_label(t.state).into(),
        declared_grade: t.grade.label().into(),
        declared_answers: format!(
            "works: {}; screen: {}; body: {}",
            if t.answers.works { "yes" } else { "no" },
            t.answers.screen.code().replace('_', " "),
            t.answers.body.code().replace('_', " ")
        ),
        price_minor: t.price_minor,
        has_imei: t.imei.is_some(),
        identifier: t
            .imei
            .clone()
            .or(t.serial_number.clone())
            .unwrap_or_default(),
        tracking_number: inbound.map(|s| s.tracking_number).unwrap_or_default(),
        return_tracking_number: ret.map(|s| s.tracking_number),
        counter_offer: counter_offer_view(&g, id).await?,
        payout: payout_view(&g, id).await?,
        suspended_reason: SuspendReason::parse(&t.suspended_reason)
            .map(|r| r.label().to_string())
            .unwrap_or_default(),
        found_grade: found.map(|f| f.label().to_string()),
        suggested_price_minor: suggested,
        claims: crate::features::claims::repo::for_trade_in(pool, id)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|c| crate::features::claims::ClaimSummary {
                id: c.id,
                kind: crate::features::claims::kind_label(&c.kind),
                state: c.state,
            })
            .collect(),
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InspectionResult {
    Validated,
    Worse {
        found: String,
        suggested_price_minor: Option<i64>,
    },
    Suspended(String),
}

#[server(prefix = "/api", endpoint = "inspect_order")]
pub async fn inspect_order(
    id: i64,
    imei_found: Option<String>,
    works: String,
    screen: String,
    body: String,
) -> Result<InspectionResult, AppError> {
    use crate::domain::account::Role;
    use crate::domain::grading::parse_answers;
    use crate::domain::identifiers::Imei;
    use crate::error::FieldErrors;
    use crate::features::orders::service as order_flow;
    use crate::features::orders::service::InspectionOutcome;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
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
            suggested_price_minor,
        } => InspectionResult::Worse {
            found: found.label().into(),
            suggested_price_minor,
        },
        InspectionOutcome::Suspended(r) => InspectionResult::Suspended(r.label().into()),
    })
}

/// The order actions that need nothing but the order: validate, pay,
/// return, mark the return delivered.
#[server(prefix = "/api", endpoint = "order_action")]
pub async fn order_action(id: i64, action: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::features::orders::service as order_flow;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let user = g.user()?.id;
    let (seller_id, _) = order_flow::seller_of(&g.state, user).await?;
    match action.as_str() {
        "validate" => order_flow::validate(&g.state, seller_id, user, id).await,
        "confirm_payment" => order_flow::confirm_payment(&g.state, seller_id, user, id).await,
        "return" => order_flow::return_suspended(&g.state, seller_id, user, id).await,
        "return_delivered" => order_flow::return_delivered(&g.state, seller_id, user, id).await,
        other if other.starts_with("suspend:") => {
            let reason = SuspendReason::parse(&other["suspend:".len()..])
                .ok_or_else(|| AppError::invalid("reason", "choose a reason"))?;
            order_flow::suspend(&g.state, seller_id, user, id, reason).await
        }
        _ => Err(AppError::BadRequest("unknown action".into())),
    }
}

#[component]
pub fn SellerOrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let inspect = ServerAction::<InspectOrder>::new();
    let act = ServerAction::<OrderAction>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = crate::ui::data::load(
        move || (id(), inspect.version().get(), act.version().get()),
        |(id, _, _)| load_seller_order(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let upload_error = query.read_untracked().get("error");
                match data.await {
                    Ok(o) => view! { <OrderView o=o inspect=inspect act=act upload_error=upload_error/> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::ui::errors::NotFound/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here=format!("/seller/orders/{}", id())/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ActionButton(
    act: ServerAction<OrderAction>,
    id: i64,
    action: &'static str,
    label: &'static str,
    #[prop(optional)] primary: bool,
) -> impl IntoView {
    view! {
        <ActionForm action=act attr:class="inline">
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="action" value=action/>
            <button type="submit" class=if primary { "button primary" } else { "button" } disabled=move || act.pending().get()>{label}</button>
        </ActionForm>
    }
}

#[component]
fn OrderView(
    o: OrderDetail,
    inspect: ServerAction<InspectOrder>,
    act: ServerAction<OrderAction>,
    upload_error: Option<String>,
) -> impl IntoView {
    let id = o.id;
    let inspect_error = Signal::derive(move || inspect.value().get().and_then(Result::err));
    let act_error = Signal::derive(move || act.value().get().and_then(Result::err));
    let result = move || inspect.value().get().and_then(Result::ok);
    let can_inspect = matches!(o.state, State::Received | State::Inspecting);
    let can_counter = o.state == State::Inspecting && o.found_grade.is_some();
    view! {
        <Title text=format!("Order {}", o.reference)/>
        <p class="muted"><a href="/seller/orders">"Orders"</a></p>
        <h1>{format!("Order {}", o.reference)}</h1>
        <p class="status-pill" data-state=o.state.code()>{format!("Status: {}", o.state_label)}</p>
        <dl class="facts">
            <div><dt>"Device"</dt><dd>{o.device.clone()}</dd></div>
            <div><dt>"Declared condition"</dt><dd>{o.declared_grade.clone()}<br/><span class="muted">{o.declared_answers.clone()}</span></dd></div>
            <div><dt>"Accepted price"</dt><dd>{Money::eur(o.price_minor).to_string()}</dd></div>
            <div><dt>{if o.has_imei { "Declared IMEI" } else { "Serial number" }}</dt><dd><code>{o.identifier.clone()}</code></dd></div>
            <div><dt>"Tracking"</dt><dd><code>{o.tracking_number.clone()}</code></dd></div>
            {o.found_grade.clone().map(|f| view! { <div><dt>"Inspection found"</dt><dd>{f}</dd></div> })}
            {(!o.suspended_reason.is_empty()).then(|| view! { <div><dt>"On hold because"</dt><dd>{o.suspended_reason.clone()}</dd></div> })}
            {o.payout.clone().map(|p| view! { <div><dt>"Payout"</dt><dd>{format!("{} to {} ({})", Money::eur(p.amount_minor), p.iban_masked, p.state)}</dd></div> })}
            {o.return_tracking_number.clone().map(|r| view! { <div><dt>"Return tracking"</dt><dd><code>{r}</code></dd></div> })}
        </dl>
        {(!o.claims.is_empty()).then(|| view! {
            <section aria-labelledby="claims-heading">
                <h2 id="claims-heading">"Claims"</h2>
                <ul>
                    {o.claims.iter().map(|c| view! {
                        <li><a href=format!("/claims/{}", c.id)>{format!("Claim #{}: {}", c.id, c.kind)}</a>{format!(" ({})", c.state)}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <FormError error=act_error/>
        {upload_error.map(|e| view! { <div class="notice error" role="alert"><p>{e}</p></div> })}
        {move || result().map(|r| match r {
            InspectionResult::Validated => view! { <div class="notice" role="status"><p>"Inspection matches: the trade-in is validated and the payout is created."</p></div> }.into_any(),
            InspectionResult::Worse { found, .. } => view! { <div class="notice warning" role="status"><p>{format!("Inspection found: {found}. Make a counter-offer with photos, or validate at the accepted price.")}</p></div> }.into_any(),
            InspectionResult::Suspended(reason) => view! { <div class="notice error" role="status"><p>{format!("Suspended: {reason}.")}</p></div> }.into_any(),
        })}

        {can_inspect.then(|| view! {
            <section class="card" aria-labelledby="inspect-heading">
                <h2 id="inspect-heading">"Inspect"</h2>
                <ActionForm action=inspect attr:class="form questionnaire">
                    <FormError error=inspect_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    {o.has_imei.then(|| view! {
                        <TextField label="IMEI found on the device" name="imei_found" autocomplete="off" error=Signal::derive(move || inspect_error.get().and_then(|e| e.field("imei_found")))/>
                    })}
                    <Question name="works" legend="Does it turn on and work normally?" choices=&WORKS_CHOICES/>
                    <Question name="screen" legend="What does the screen look like?" choices=&SCREEN_CHOICES/>
                    <Question name="body" legend="What does the body look like?" choices=&BODY_CHOICES/>
                    <button type="submit" class="button primary">"Record inspection"</button>
                </ActionForm>
            </section>
        })}

        {can_counter.then(|| view! { <CounterOfferForm id=id price_minor=o.price_minor suggested=o.suggested_price_minor/> })}

        <div class="actions">
            {(o.state == State::Inspecting).then(|| view! { <ActionButton act=act id=id action="validate" label="Validate at the accepted price"/> })}
            {(o.state == State::Validated).then(|| view! { <ActionButton act=act id=id action="confirm_payment" label="Confirm payment" primary=true/> })}
            {(o.state == State::Suspended).then(|| view! { <ActionButton act=act id=id action="return" label="Return the device"/> })}
            {(o.state == State::ReturnRequested).then(|| view! {
                <a class="button" href=format!("/trade-ins/{id}/return-label.pdf") rel="external" download="return-label.pdf">"Download return label"</a>
                <ActionButton act=act id=id action="return_delivered" label="Return delivered"/>
            })}
        </div>
        {matches!(o.state, State::Received | State::Inspecting).then(|| view! { <SuspendForm act=act id=id/> })}
    }
}

#[component]
fn SuspendForm(act: ServerAction<OrderAction>, id: i64) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="suspend-heading">
            <h2 id="suspend-heading">"Put on hold"</h2>
            <ActionForm action=act attr:class="form">
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="field">
                    <label for="suspend-reason">"Reason"</label>
                    <select id="suspend-reason" name="action">
                        {SuspendReason::ALL.into_iter().map(|r| view! { <option value=format!("suspend:{}", r.code())>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button danger">"Suspend"</button>
            </ActionForm>
        </section>
    }
}

/// A plain multipart form: photos go to an upload route, not a server
/// function, and the page comes back with the result.
#[component]
fn CounterOfferForm(id: i64, price_minor: i64, suggested: Option<i64>) -> impl IntoView {
    let suggestion = suggested
        .map(|p| format!("{}.{:02}", p / 100, p % 100))
        .unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="counter-heading">
            <h2 id="counter-heading">"Counter-offer"</h2>
            <p class="muted">{format!("The new price must be lower than the accepted {}.", Money::eur(price_minor))}
                {suggested.map(|p| format!(" Your own price for the grade found is {}.", Money::eur(p)))}</p>
            <form method="post" action=format!("/seller/orders/{id}/counter-offer") enctype="multipart/form-data" class="form">
                <div class="field">
                    <label for="counter-price">"New price (EUR)"</label>
                    <input id="counter-price" name="price" inputmode="decimal" value=suggestion required=true/>
                </div>
                <fieldset class="group">
                    <legend>"Reasons"</legend>
                    {CounterReason::ALL.into_iter().map(|r| {
                        let fid = format!("reason-{}", r.code());
                        view! {
                            <div class="field checkbox">
                                <input type="checkbox" id=fid.clone() name="reasons" value=r.code()/>
                                <label for=fid>{r.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="counter-note">"Note for the customer (optional)"</label>
                    <textarea id="counter-note" name="note" rows="3" maxlength="1000"></textarea>
                </div>
                <div class="field">
                    <label for="counter-photos">"Proof photos (JPEG, PNG or WebP, up to 5 MB each)"</label>
                    <input id="counter-photos" type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple=true required=true/>
                </div>
                <button type="submit" class="button primary">"Send counter-offer"</button>
            </form>
        </section>
    }
}
