//! `GET /events`: everything that happened to the caller's orders and
//! listings, in the order it became visible, by cursor, for systems that
//! poll instead of receiving webhooks. The same events, in the same
//! envelope, are what the webhooks send.

use super::auth::Caller;
use super::paging::{paging, query};
use super::problem::Problem;
use crate::domain::api_token::Scope;
use crate::domain::seller_event::EventKind;
use crate::features::seller_events::service as events;
use crate::platform::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub data: Vec<events::Envelope>,
    /// Pass as `cursor` to read what happened since: present even when
    /// nothing did, so a poller keeps its place.
    pub next: String,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// The `next` of the previous page; from the beginning when absent.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// From 1 to 1000; 100 when absent.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Only these kinds, comma-separated: `order.received,order.paid`.
    #[param(pattern = "^[a-z_.]+(,[a-z_.]+)*$")]
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// Whether a token may read events of this kind: orders' (and their
/// claims' and payouts') with `orders:read`, listings' with
/// `listings:read`.
fn readable(caller: &Caller, kind: EventKind) -> bool {
    let scope = if kind.subject().starts_with("listing") {
        Scope::ListingsRead
    } else {
        Scope::OrdersRead
    };
    caller.0.scopes.allows(scope)
}

/// What happened to your orders and listings, oldest first. Events of
/// orders need `orders:read`; of listings, `listings:read`.
#[utoipa::path(get, path = "/events", tag = "events", params(EventQuery),
    responses(
        (status = 200, body = EventPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["orders:read"]), ("bearer" = ["listings:read"])))]
pub async fn feed(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<EventQuery>, QueryRejection>,
) -> Result<Json<EventPage>, Problem> {
    if !caller.0.scopes.allows(Scope::OrdersRead) {
        caller.needs(Scope::ListingsRead)?;
    }
    let q = query(q)?;
    let (after, limit) = paging(q.cursor.as_deref(), q.limit)?;
    let asked = match q.kind.as_deref() {
        None => EventKind::ALL.to_vec(),
        Some(text) => EventKind::parse_list(text)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                Problem::field(
                    "type",
                    format!(
                        "kinds from: {}",
                        EventKind::ALL.map(EventKind::code).join(", ")
                    ),
                )
            })?,
    };
    let kinds: Vec<EventKind> = asked
        .into_iter()
        .filter(|k| readable(&caller, *k))
        .collect();
    let found = if kinds.is_empty() {
        Vec::new()
    } else {
        events::feed(&state, caller.0.seller_id, &kinds, after, limit).await?
    };
    let next = found.last().map_or(after, |e| e.seq).to_string();
    Ok(Json(EventPage {
        data: found.iter().map(events::envelope).collect(),
        next,
    }))
}
