//! The seller's orders over the API: the list, filtered by state and by
//! when they last changed, and each order with its timeline, tracking,
//! counter-offer with its photos, and payout. The moves on an order are in
//! `order_moves`.

use super::auth::Caller;
use super::paging::{moment, next, paging, query, since};
use super::problem::Problem;
use super::resources::Amount;
use crate::domain::api_token::Scope;
use crate::domain::ids::{PhotoId, TradeInId};
use crate::domain::sla::{CounterReason, SuspendReason};
use crate::domain::tradein::State as OrderState;
use crate::features::orders::service as orders;
use crate::features::trade_ins::service as trade_ins;
use crate::platform::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Every state an order can be in, as the API names them.
pub const STATES: &str = "label_issued, shipped, received, inspecting, counter_offered, validated, paid, return_requested, returned, suspended, expired, cancelled, lost";

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrderOut {
    pub id: i64,
    /// The reference printed on the consumer's label and mails.
    pub reference: String,
    #[schema(example = "received")]
    pub state: String,
    #[schema(example = "fr-fr")]
    pub market: String,
    pub sku: String,
    /// The grade the consumer declared.
    pub grade: String,
    /// The price the consumer accepted.
    pub price: Amount,
    /// The price paid or to be paid, once validated (lower after an
    /// accepted counter-offer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_price: Option<Amount>,
    /// The inbound parcel's tracking number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_number: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrderPage {
    pub data: Vec<OrderOut>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// The `next` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// From 1 to 1000; 100 when absent.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Only orders in these states, comma-separated: `received,inspecting`.
    #[param(pattern = "^[a-z_]+(,[a-z_]+)*$")]
    pub state: Option<String>,
    /// Only orders changed at or after this moment (RFC 3339 with its
    /// offset).
    #[param(format = DateTime)]
    pub updated_since: Option<String>,
}

/// One step of an order's history.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StepOut {
    /// The state the order moved to.
    pub state: String,
    /// Why, as recorded: a reason, a payment reference, or a note.
    pub note: String,
    pub at: String,
}

/// One carrier scan or parcel event.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TrackingOut {
    /// `inbound` (consumer to you) or `return` (you to the consumer).
    pub direction: String,
    pub description: String,
    pub at: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CounterOfferOut {
    pub price: Amount,
    /// Ids from `GET /reasons/counter-offer`.
    pub reasons: Vec<String>,
    pub note: String,
    /// Each photo's address under this API (send your token to fetch it).
    pub photos: Vec<String>,
    pub expires_at: String,
    /// `accepted` or `declined` once the consumer answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PayoutOut {
    pub amount: Amount,
    /// `pending`, `sent` or `settled`.
    pub state: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrderDetailOut {
    #[serde(flatten)]
    pub order: OrderOut,
    pub brand: String,
    pub model: String,
    pub storage_gb: i64,
    /// The IMEI or serial number the consumer declared.
    pub identifier: String,
    /// The consumer's answers: `works`, `screen` and `body`.
    pub declared: DeclaredOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_tracking_number: Option<String>,
    /// An id from `GET /reasons/suspension`, while suspended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspension_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter_offer: Option<CounterOfferOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payout: Option<PayoutOut>,
    pub timeline: Vec<StepOut>,
    pub tracking: Vec<TrackingOut>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeclaredOut {
    pub works: bool,
    /// `flawless`, `light_scratches`, `visible_wear` or `cracked`.
    pub screen: String,
    pub body: String,
}

fn order_out(o: orders::ApiOrderRow) -> OrderOut {
    OrderOut {
        id: o.id.get(),
        reference: o.reference,
        state: o.state.code().into(),
        market: o.market.code().into(),
        sku: o.sku,
        grade: o.grade.code().into(),
        price: o.price.into(),
        final_price: o.final_price.map(Amount::from),
        tracking_number: o.tracking_number,
        created_at: moment(o.created_at),
        updated_at: moment(o.updated_at),
    }
}

/// The order states named in `text`, or 422.
fn states(text: Option<&str>) -> Result<Vec<OrderState>, Problem> {
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    text.split(',')
        .map(|s| {
            OrderState::parse(s.trim())
                .filter(|s| *s != OrderState::Created)
                .ok_or_else(|| Problem::field("state", format!("states from: {STATES}")))
        })
        .collect()
}

/// Your orders by id, oldest first.
#[utoipa::path(get, path = "/orders", tag = "orders", params(OrderQuery),
    responses(
        (status = 200, body = OrderPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["orders:read"])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<OrderQuery>, QueryRejection>,
) -> Result<Json<OrderPage>, Problem> {
    caller.needs(Scope::OrdersRead)?;
    let q = query(q)?;
    let (after, limit) = paging(q.cursor.as_deref(), q.limit)?;
    let filter = orders::ApiOrderFilter {
        states: states(q.state.as_deref())?,
        updated_since: Some(since(q.updated_since.as_deref())?),
        after,
        limit,
    };
    let found = orders::api_orders(state.db.pool(), caller.0.seller_id, &filter)
        .await
        .map_err(Problem::database)?;
    let last = found.last().map(|o| o.id.get());
    let got = found.len();
    Ok(Json(OrderPage {
        data: found.into_iter().map(order_out).collect(),
        next: next(last, got, limit),
    }))
}

/// An order of the caller's, or 404 (another seller's reveals nothing).
pub(super) async fn owned(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<trade_ins::TradeInRecord, Problem> {
    let id: TradeInId = id.parse().map_err(|_| Problem::not_found())?;
    Ok(orders::owned_by_seller(state, caller.0.seller_id, id).await?)
}

/// The order as `GET /orders/{id}` answers it.
pub(super) async fn detail(
    state: &AppState,
    t: trade_ins::TradeInRecord,
) -> Result<OrderDetailOut, Problem> {
    use trade_ins::Direction;
    let pool = state.db.pool();
    let db = Problem::database;
    let id = t.id;
    let inbound = trade_ins::shipment(pool, id, Direction::Inbound)
        .await
        .map_err(db)?;
    let back = trade_ins::shipment(pool, id, Direction::Return)
        .await
        .map_err(db)?;
    let counter_offer = {
        let mut conn = pool.acquire().await.map_err(db)?;
        orders::latest_counter_offer(&mut conn, id)
            .await
            .map_err(db)?
    };
    let payout = orders::payout(pool, id).await.map_err(db)?;
    let timeline = trade_ins::events(pool, id).await.map_err(db)?;
    let tracking = trade_ins::shipment_events(pool, id).await.map_err(db)?;
    Ok(OrderDetailOut {
        order: OrderOut {
            id: id.get(),
            reference: t.reference.clone(),
            state: t.state.code().into(),
            market: t.market.code().into(),
            sku: t.sku.clone(),
            grade: t.grade.code().into(),
            price: t.price.into(),
            final_price: t.final_price.map(Amount::from),
            tracking_number: inbound.map(|s| s.tracking_number),
            created_at: moment(t.created_at),
            updated_at: moment(t.updated_at),
        },
        brand: t.brand_name,
        model: t.model_name,
        storage_gb: t.storage_gb,
        identifier: t.imei.or(t.serial_number).unwrap_or_default(),
        declared: DeclaredOut {
            works: t.answers.works,
            screen: t.answers.screen.code().into(),
            body: t.answers.body.code().into(),
        },
        return_tracking_number: back.map(|s| s.tracking_number),
        suspension_reason: SuspendReason::parse(&t.suspended_reason).map(|r| r.code().into()),
        counter_offer: counter_offer.map(|c| CounterOfferOut {
            price: c.price.into(),
            reasons: c
                .reasons
                .split(',')
                .filter_map(CounterReason::parse)
                .map(|r| r.code().to_string())
                .collect(),
            note: c.note,
            photos: c
                .photo_ids
                .iter()
                .map(|p| format!("{}/orders/{id}/photos/{p}", super::PREFIX))
                .collect(),
            expires_at: moment(c.expires_at),
            answer: c.answer,
        }),
        payout: payout.map(|p| PayoutOut {
            amount: p.amount.into(),
            state: p.state.code().into(),
        }),
        timeline: timeline
            .into_iter()
            .map(|e| StepOut {
                state: e.to_state.code().into(),
                note: e.reason,
                at: moment(e.at),
            })
            .collect(),
        tracking: tracking
            .into_iter()
            .map(|e| TrackingOut {
                direction: e.direction,
                description: e.description,
                at: moment(e.at),
            })
            .collect(),
    })
}

/// One of your orders, with its timeline, tracking, counter-offer and
/// payout. Another seller's is answered 404.
#[utoipa::path(get, path = "/orders/{id}", tag = "orders",
    params(("id" = i64, Path, description = "The order's id")),
    responses(
        (status = 200, body = OrderDetailOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["orders:read"])))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<OrderDetailOut>, Problem> {
    caller.needs(Scope::OrdersRead)?;
    let t = owned(&state, &caller, &id).await?;
    Ok(Json(detail(&state, t).await?))
}

/// A counter-offer's photo, as it was checked and stored.
#[utoipa::path(get, path = "/orders/{id}/photos/{photo}", tag = "orders",
    params(
        ("id" = i64, Path, description = "The order's id"),
        ("photo" = i64, Path, description = "The photo's id"),
    ),
    responses(
        (status = 200, content_type = "image/jpeg", description = "The image (JPEG, PNG or WebP)"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["orders:read"])))]
pub async fn photo(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, photo)): Path<(String, String)>,
) -> Result<Response, Problem> {
    caller.needs(Scope::OrdersRead)?;
    let t = owned(&state, &caller, &id).await?;
    let photo: PhotoId = photo.parse().map_err(|_| Problem::not_found())?;
    let stored = orders::photo(state.db.pool(), photo)
        .await
        .map_err(Problem::database)?;
    let Some((_, file_name, content_type)) = stored.filter(|(of, _, _)| *of == t.id) else {
        return Err(Problem::not_found());
    };
    let bytes = orders::photo_bytes(&state, &file_name)
        .await
        .ok_or_else(Problem::not_found)?;
    Ok((
        [
            (http::header::CONTENT_TYPE, content_type),
            (http::header::CACHE_CONTROL, "private, max-age=3600".into()),
        ],
        bytes,
    )
        .into_response())
}

/// One reason, by the id the API's bodies use.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReasonOut {
    #[schema(example = "screen")]
    pub id: String,
    pub label: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReasonList {
    pub data: Vec<ReasonOut>,
}

/// Why a counter-offer may lower the price: its `reasons` ids.
#[utoipa::path(get, path = "/reasons/counter-offer", tag = "orders",
    responses(
        (status = 200, body = ReasonList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn counter_offer_reasons(_caller: Caller) -> Json<ReasonList> {
    Json(ReasonList {
        data: CounterReason::ALL
            .into_iter()
            .map(|r| ReasonOut {
                id: r.code().into(),
                label: r.label().into(),
            })
            .collect(),
    })
}

/// Why an order may be suspended: the `reason` ids of a suspension.
#[utoipa::path(get, path = "/reasons/suspension", tag = "orders",
    responses(
        (status = 200, body = ReasonList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn suspension_reasons(_caller: Caller) -> Json<ReasonList> {
    Json(ReasonList {
        data: SuspendReason::ALL
            .into_iter()
            .map(|r| ReasonOut {
                id: r.code().into(),
                label: r.label().into(),
            })
            .collect(),
    })
}
