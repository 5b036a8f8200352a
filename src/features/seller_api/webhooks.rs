//! `/webhooks`: the caller's webhook endpoints, each one's delivery log,
//! and "send again", with the `webhooks:manage` scope. The area's API page
//! does the same for people.

use super::auth::Caller;
use super::paging::moment;
use super::problem::{FieldProblem, Problem};
use crate::domain::api_token::Scope;
use crate::domain::seller_event::EventKind;
use crate::features::seller_events::service::{self as events, EndpointProblem};
use crate::platform::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EndpointOut {
    pub id: i64,
    pub url: String,
    /// The event kinds sent to it.
    pub types: Vec<String>,
    /// False once disabled after a day of failures (or by you).
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NewEndpointOut {
    #[serde(flatten)]
    pub endpoint: EndpointOut,
    /// The signing secret (`whsec_…`), shown this once: verify each
    /// delivery's `webhook-signature` with it (Standard Webhooks).
    pub secret: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EndpointList {
    pub data: Vec<EndpointOut>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    /// An https address of up to 500 characters.
    #[schema(example = "https://erp.example/tradein/webhooks")]
    pub url: String,
    /// Event kinds from `GET /events`' list: at least one.
    #[schema(min_items = 1)]
    pub types: Vec<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    pub id: i64,
    /// The event's id, and the `webhook-id` header sent.
    pub event_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    /// The status code of the last answer, if there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When the next attempt is planned, while pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub data: Vec<DeliveryOut>,
}

fn endpoint_out(e: &events::EndpointRow) -> EndpointOut {
    EndpointOut {
        id: e.id,
        url: e.url.clone(),
        types: e.kinds.split(',').map(str::to_string).collect(),
        enabled: e.disabled_at.is_none(),
        disabled_reason: e
            .disabled_at
            .map(|_| e.disabled_reason.clone())
            .filter(|r| !r.is_empty()),
        created_at: moment(e.created_at),
    }
}

fn delivery_out(d: &events::DeliveryRow) -> DeliveryOut {
    DeliveryOut {
        id: d.id,
        event_id: events::event_id(d.event_id),
        kind: d.event_kind.clone(),
        state: d.state.clone(),
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: Some(d.last_error.clone()).filter(|e| !e.is_empty()),
        next_attempt_at: d.next_at.filter(|_| d.state == "pending").map(moment),
        created_at: moment(d.created_at),
    }
}

fn endpoint_id(text: &str) -> Result<i64, Problem> {
    text.parse::<i64>().map_err(|_| Problem::not_found())
}

/// Your webhook endpoints.
#[utoipa::path(get, path = "/webhooks", tag = "webhooks",
    responses(
        (status = 200, body = EndpointList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["webhooks:manage"])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<EndpointList>, Problem> {
    caller.needs(Scope::WebhooksManage)?;
    let found = events::endpoints(&state, caller.0.seller_id).await?;
    Ok(Json(EndpointList {
        data: found.iter().map(endpoint_out).collect(),
    }))
}

/// Registers an endpoint for some event kinds; answers its signing secret,
/// this once.
#[utoipa::path(post, path = "/webhooks", tag = "webhooks",
    request_body = NewEndpoint,
    responses(
        (status = 201, body = NewEndpointOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "You have the most endpoints already"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["webhooks:manage"])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewEndpoint>, JsonRejection>,
) -> Result<(StatusCode, Json<NewEndpointOut>), Problem> {
    caller.needs(Scope::WebhooksManage)?;
    let Json(new) = body.map_err(|e| Problem::field("body", e.body_text()))?;
    let kinds = EventKind::parse_list(&new.types.join(","))
        .filter(|k| !k.is_empty() && new.types.iter().all(|t| !t.contains(',')));
    let Some(kinds) = kinds else {
        return Err(Problem::field(
            "types",
            format!(
                "one or more of: {}",
                EventKind::ALL.map(EventKind::code).join(", ")
            ),
        ));
    };
    match events::create_endpoint(
        &state,
        caller.0.seller_id,
        caller.0.user_id,
        &new.url,
        &kinds,
    )
    .await?
    {
        Ok((id, secret)) => {
            let e = events::endpoint(&state, caller.0.seller_id, id).await?;
            Ok((
                StatusCode::CREATED,
                Json(NewEndpointOut {
                    endpoint: endpoint_out(&e),
                    secret,
                }),
            ))
        }
        Err(EndpointProblem::Url(what)) => Err(Problem::invalid(vec![FieldProblem {
            field: "url".into(),
            code: None,
            detail: what.into(),
        }])),
        Err(EndpointProblem::Kinds) => Err(Problem::field("types", "at least one event kind")),
        Err(EndpointProblem::TooMany) => Err(Problem::of(
            StatusCode::CONFLICT,
            "conflict",
            format!(
                "at most {} endpoints: delete one first",
                events::MAX_ENDPOINTS
            ),
        )),
    }
}

/// Deletes an endpoint: nothing more is sent to it.
#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["webhooks:manage"])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    caller.needs(Scope::WebhooksManage)?;
    events::delete_endpoint(&state, caller.0.seller_id, endpoint_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Turns a disabled endpoint back on.
#[utoipa::path(post, path = "/webhooks/{id}/enable", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 200, body = EndpointOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["webhooks:manage"])))]
pub async fn enable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<EndpointOut>, Problem> {
    caller.needs(Scope::WebhooksManage)?;
    let id = endpoint_id(&id)?;
    events::enable_endpoint(&state, caller.0.seller_id, id).await?;
    Ok(Json(endpoint_out(
        &events::endpoint(&state, caller.0.seller_id, id).await?,
    )))
}

/// An endpoint's latest 50 deliveries, newest first.
#[utoipa::path(get, path = "/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 200, body = DeliveryList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["webhooks:manage"])))]
pub async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<DeliveryList>, Problem> {
    caller.needs(Scope::WebhooksManage)?;
    let found = events::deliveries(&state, caller.0.seller_id, endpoint_id(&id)?).await?;
    Ok(Json(DeliveryList {
        data: found.iter().map(delivery_out).collect(),
    }))
}

/// Sends a delivery once more, now, whatever its state.
#[utoipa::path(post, path = "/webhooks/{id}/deliveries/{delivery}/retry", tag = "webhooks",
    params(
        ("id" = i64, Path, description = "The endpoint's id"),
        ("delivery" = i64, Path, description = "The delivery's id"),
    ),
    responses(
        (status = 202, body = DeliveryOut, description = "The attempt is queued"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The endpoint is disabled"),
    ),
    security(("bearer" = ["webhooks:manage"])))]
pub async fn retry(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, delivery)): Path<(String, String)>,
) -> Result<(StatusCode, Json<DeliveryOut>), Problem> {
    caller.needs(Scope::WebhooksManage)?;
    let endpoint = endpoint_id(&id)?;
    let delivery = delivery.parse::<i64>().map_err(|_| Problem::not_found())?;
    let d = events::send_again(&state, caller.0.seller_id, endpoint, delivery).await?;
    Ok((StatusCode::ACCEPTED, Json(delivery_out(&d))))
}
