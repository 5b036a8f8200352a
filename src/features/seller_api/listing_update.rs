//! `PATCH /listings/{id}`: one listing's price and weekly cap, checked as the
//! grid checks them and saved through the same service, with the version
//! the caller read (optimistic concurrency).

use super::auth::Caller;
use super::problem::{FieldProblem, Problem};
use super::resources::{listing_out, ListingOut};
use crate::domain::api_token::Scope;
use crate::domain::ids::ListingId;
use crate::domain::listing_price::parse_price;
use crate::domain::money::Money;
use crate::domain::price_csv::MAX_WEEKLY_CAP;
use crate::features::pricing::service::{self as pricing, Source};
use crate::features::pricing::CellOutcome;
use crate::platform::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

/// `version`, and what changes: `price`, `weekly_cap` or both (with
/// neither, the listing is answered as it is).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingUpdate {
    /// The listing's `version` as you last read it.
    #[serde(deserialize_with = "super::json::integer")]
    pub version: i64,
    /// The new price, a decimal in the listing's currency: `"309.50"`,
    /// from 1 to 5000.
    #[serde(default, deserialize_with = "super::json::present_string")]
    #[schema(value_type = String, pattern = "^(?:[1-9][0-9]{0,2}|[1-4][0-9]{3})(?:\\.[0-9]{1,2})?$|^5000(?:\\.0{1,2})?$")]
    pub price: Option<String>,
    /// The new weekly cap in devices, or `null` for none; leave it out to
    /// keep the cap.
    #[serde(default, deserialize_with = "super::json::present_integer")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 100000)]
    pub weekly_cap: Option<Option<i64>>,
}

/// Changes a listing's price, weekly cap, or both.
#[utoipa::path(patch, path = "/listings/{id}", tag = "listings",
    params(("id" = i64, Path, description = "The listing's id")),
    request_body = ListingUpdate,
    responses(
        (status = 200, body = ListingOut, description = "The listing as saved"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The version is not the listing's any more"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["listings:write"])))]
pub async fn update_listing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<ListingUpdate>, JsonRejection>,
) -> Result<Json<ListingOut>, Problem> {
    caller.needs(Scope::ListingsWrite)?;
    let id: ListingId = id.parse().map_err(|_| Problem::not_found())?;
    let Json(update) = body.map_err(|e| Problem::field("body", e.body_text()))?;
    let read = |state: &AppState| {
        let state = state.clone();
        let seller = caller.0.seller_id;
        async move {
            let mut conn = state.db.pool().acquire().await.map_err(Problem::database)?;
            pricing::api_listing(&mut conn, seller, id)
                .await
                .map_err(Problem::database)?
                .ok_or_else(Problem::not_found)
        }
    };
    let listing = read(&state).await?;

    // Every field is checked before anything is written.
    let mut errors = Vec::new();
    let price = match update.price.as_deref().map(parse_price) {
        None => None,
        Some(Ok(minor)) => Some(Money::new(minor, listing.market.currency())),
        Some(Err(e)) => {
            errors.push(FieldProblem {
                field: "price".into(),
                code: None,
                detail: e.in_currency(listing.market.currency()),
            });
            None
        }
    };
    let cap = match update.weekly_cap {
        Some(Some(n)) if !(0..=MAX_WEEKLY_CAP).contains(&n) => {
            errors.push(FieldProblem {
                field: "weekly_cap".into(),
                code: None,
                detail: format!("a whole number from 0 to {MAX_WEEKLY_CAP}, or null for no cap"),
            });
            None
        }
        other => other,
    };
    if !errors.is_empty() {
        return Err(Problem::invalid(errors));
    }
    if update.version != listing.version {
        return Err(Problem::stale(Some(listing.version)));
    }

    let ctx = pricing::seller_ctx(&state, caller.0.user_id).await?;
    let mut version = update.version;
    let settled = |outcome: CellOutcome| match outcome {
        CellOutcome::Saved(c) | CellOutcome::Unchanged(c) => Ok(c.version),
        CellOutcome::Stale(c) => Err(Problem::stale(c.version)),
    };
    if let Some(price) = price {
        let saved = pricing::save_cell(
            &state,
            &ctx,
            listing.market,
            listing.variant_id,
            listing.grade,
            Some(price),
            Some(version),
            Source::Api,
        )
        .await?;
        version = settled(saved)?.unwrap_or(version);
    }
    if let Some(cap) = cap {
        let saved = pricing::set_listing_cap(
            &state,
            &ctx,
            listing.market,
            listing.variant_id,
            listing.grade,
            cap,
            version,
        )
        .await?;
        settled(saved)?;
    }
    Ok(Json(listing_out(read(&state).await?)))
}
