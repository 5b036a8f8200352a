//! The read side of the API so far: grades, the catalog's variants, and the
//! caller's listings, paged by cursor.

use super::auth::Caller;
use super::paging::{moment, next, paging, query, since};
use super::problem::Problem;
use crate::domain::api_token::Scope;
use crate::domain::grade::Grade;
use crate::domain::ids::ListingId;
use crate::domain::market::Market;
use crate::platform::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An amount as a decimal string in its currency: `"312.00"` and `"EUR"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Amount {
    #[schema(example = "312.00")]
    pub amount: String,
    #[schema(example = "EUR")]
    pub currency: String,
}

impl From<crate::domain::money::Money> for Amount {
    fn from(m: crate::domain::money::Money) -> Amount {
        Amount {
            amount: m.field_text(),
            currency: m.currency().code().to_string(),
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GradeOut {
    #[schema(example = "functional_good")]
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GradeList {
    pub data: Vec<GradeOut>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct VariantOut {
    #[schema(example = "iphone-13-128gb")]
    pub sku: String,
    pub category: String,
    pub brand: String,
    pub model: String,
    pub storage_gb: i64,
    pub connectivity: String,
    /// The markets where consumers can sell it.
    pub sold_in: Vec<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct VariantPage {
    pub data: Vec<VariantOut>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ListingOut {
    pub id: i64,
    #[schema(example = "fr-fr")]
    pub market: String,
    pub sku: String,
    pub grade: String,
    pub price: Amount,
    /// Devices bought per week at most; absent for no cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekly_cap: Option<i64>,
    /// False once the listing stopped buying.
    pub active: bool,
    /// Changes with every write: send it back to update without
    /// overwriting a change made meanwhile.
    pub version: i64,
    /// When the listing last changed (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub updated_at: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ListingPage {
    pub data: Vec<ListingOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// From 1 to 1000; 100 when absent.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListingQuery {
    /// The `next` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// From 1 to 1000; 100 when absent.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Only this market's listings, e.g. `de-de`.
    #[param(pattern = "^(?:fr-fr|de-de|es-es|it-it|en-gb|en-us)$")]
    pub market: Option<String>,
    /// Only listings changed at or after this moment (RFC 3339 with its
    /// offset): what a sync since its last run needs.
    #[param(format = DateTime)]
    pub updated_since: Option<String>,
}

pub(super) fn listing_out(l: crate::features::pricing::service::ListingRecord) -> ListingOut {
    ListingOut {
        id: l.id.get(),
        market: l.market.code().into(),
        sku: l.sku,
        grade: l.grade.code().into(),
        price: l.price.into(),
        weekly_cap: l.weekly_cap,
        active: l.active,
        version: l.version,
        updated_at: moment(l.updated_at),
    }
}

/// The condition grades a listing is priced for, best first.
#[utoipa::path(get, path = "/grades", tag = "catalog",
    responses(
        (status = 200, body = GradeList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn grades(_caller: Caller) -> Json<GradeList> {
    Json(GradeList {
        data: Grade::ALL
            .into_iter()
            .map(|g| GradeOut {
                code: g.code().into(),
                name: g.label().into(),
            })
            .collect(),
    })
}

/// The catalog's variants, each with the markets where it is sold.
#[utoipa::path(get, path = "/variants", tag = "catalog", params(PageQuery),
    responses(
        (status = 200, body = VariantPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn variants(
    State(state): State<AppState>,
    _caller: Caller,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<VariantPage>, Problem> {
    let q = query(q)?;
    let (after, limit) = paging(q.cursor.as_deref(), q.limit)?;
    let found = crate::features::catalog::service::variants_after(state.db.pool(), after, limit)
        .await
        .map_err(Problem::database)?;
    let last = found.last().map(|v| v.variant_id.get());
    let got = found.len();
    Ok(Json(VariantPage {
        data: found
            .into_iter()
            .map(|v| VariantOut {
                sold_in: Market::ALL
                    .into_iter()
                    .filter(|m| v.sold_in.contains(*m))
                    .map(|m| m.code().to_string())
                    .collect(),
                sku: v.sku,
                category: v.category_slug,
                brand: v.brand_name,
                model: v.model_name,
                storage_gb: v.storage_gb,
                connectivity: v.connectivity,
            })
            .collect(),
        next: next(last, got, limit),
    }))
}

/// Your listings, active or not, by id.
#[utoipa::path(get, path = "/listings", tag = "listings", params(ListingQuery),
    responses(
        (status = 200, body = ListingPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["listings:read"])))]
pub async fn listings(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<ListingQuery>, QueryRejection>,
) -> Result<Json<ListingPage>, Problem> {
    caller.needs(Scope::ListingsRead)?;
    let q = query(q)?;
    let (after, limit) = paging(q.cursor.as_deref(), q.limit)?;
    let updated_since = since(q.updated_since.as_deref())?;
    let market = match q.market.as_deref() {
        None => None,
        Some(code) => Some(Market::parse(code).ok_or_else(|| {
            Problem::field(
                "market",
                format!("one of {}", Market::ALL.map(Market::code).join(", ")),
            )
        })?),
    };
    let mut conn = state.db.pool().acquire().await.map_err(Problem::database)?;
    let found = crate::features::pricing::service::api_listings(
        &mut conn,
        caller.0.seller_id,
        market,
        updated_since,
        after,
        limit,
    )
    .await
    .map_err(Problem::database)?;
    let last = found.last().map(|l| l.id.get());
    let got = found.len();
    Ok(Json(ListingPage {
        data: found.into_iter().map(listing_out).collect(),
        next: next(last, got, limit),
    }))
}

/// One of your listings. Another seller's is answered 404, as if it did
/// not exist.
#[utoipa::path(get, path = "/listings/{id}", tag = "listings",
    params(("id" = i64, Path, description = "The listing's id")),
    responses(
        (status = 200, body = ListingOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["listings:read"])))]
pub async fn listing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ListingOut>, Problem> {
    caller.needs(Scope::ListingsRead)?;
    let id: ListingId = id.parse().map_err(|_| Problem::not_found())?;
    let mut conn = state.db.pool().acquire().await.map_err(Problem::database)?;
    crate::features::pricing::service::api_listing(&mut conn, caller.0.seller_id, id)
        .await
        .map_err(Problem::database)?
        .map(|l| Json(listing_out(l)))
        .ok_or_else(Problem::not_found)
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PositionOut {
    /// 1 for the best price; ties share a rank. Absent while the listing
    /// does not buy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    /// Refurbishers buying this variant and grade in this market, you
    /// included when you buy.
    pub buyers: usize,
    /// The best price among the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_competitor: Option<Amount>,
    /// The price that would win; absent when you win already.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_to_win: Option<Amount>,
}

/// Where a listing stands in its market: rank, buyers, the best
/// competitor and the price to win, as the price grid shows it.
#[utoipa::path(get, path = "/listings/{id}/position", tag = "listings",
    params(("id" = i64, Path, description = "The listing's id")),
    responses(
        (status = 200, body = PositionOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "Without the scope, or before operations approved your account (the market is hidden until then)"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["listings:read"])))]
pub async fn position(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PositionOut>, Problem> {
    use crate::domain::money::Money;
    caller.needs(Scope::ListingsRead)?;
    let id: ListingId = id.parse().map_err(|_| Problem::not_found())?;
    let listing = {
        let mut conn = state.db.pool().acquire().await.map_err(Problem::database)?;
        crate::features::pricing::service::api_listing(&mut conn, caller.0.seller_id, id)
            .await
            .map_err(Problem::database)?
            .ok_or_else(Problem::not_found)?
    };
    let ctx = crate::features::pricing::service::seller_ctx(&state, caller.0.user_id).await?;
    let cell = crate::features::pricing::service::one_cell(
        &state,
        &ctx,
        listing.market,
        listing.variant_id,
        listing.grade,
    )
    .await?;
    if cell.market_hidden {
        return Err(Problem::from(crate::error::AppError::Forbidden));
    }
    let money = |minor: i64| Amount::from(Money::new(minor, listing.market.currency()));
    Ok(Json(match cell.position {
        Some(p) => PositionOut {
            rank: Some(p.rank),
            buyers: p.buyers,
            best_competitor: p.best_competitor_minor.map(money),
            price_to_win: p.price_to_win_minor.map(money),
        },
        None => PositionOut {
            rank: None,
            buyers: cell.competitors,
            best_competitor: cell.best_competitor_minor.map(money),
            price_to_win: cell
                .best_competitor_minor
                .map(|b| money(b + crate::domain::listing_price::WIN_STEP_MINOR)),
        },
    }))
}
