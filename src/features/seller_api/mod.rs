//! The seller API, `/api/v1`: JSON over HTTP for refurbishers' own systems,
//! authenticated by bearer tokens (`features::api_tokens`), with RFC 9457
//! errors and an OpenAPI 3.1 document generated from the handlers
//! (`/api/v1/openapi.json`) and a reference page (`/api/v1/docs`).

pub mod auth;
pub mod bulk;
pub mod docs;
pub mod events;
pub mod idempotency;
mod json;
pub mod listing_update;
pub mod order_moves;
pub mod orders;
mod paging;
pub mod problem;
pub mod rate;
mod repo;
pub mod resources;
mod service;
pub mod webhooks;

use crate::platform::state::AppState;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "TradeIn seller API",
        version = "1.0.0",
        description = "Prices, orders and webhooks for refurbishers' systems. Send a token made on your area's API page as `Authorization: Bearer <token>`. Errors are RFC 9457 problem details."
    ),
    servers((url = "/api/v1")),
    modifiers(&Bearer),
    tags(
        (name = "catalog", description = "Variants and grades a listing is priced for"),
        (name = "listings", description = "Your prices per variant, grade and market"),
        (name = "orders", description = "The trade-ins consumers sold you, and their moves"),
        (name = "events", description = "What happened to your orders and listings, for polling"),
        (name = "webhooks", description = "Endpoints the same events are pushed to, signed per Standard Webhooks"),
    )
)]
struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        api.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

fn api() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(resources::grades))
        .routes(routes!(resources::variants))
        .routes(routes!(resources::listings))
        .routes(routes!(bulk::bulk))
        .routes(routes!(resources::position))
        .routes(routes!(resources::listing, listing_update::update_listing))
        .routes(routes!(orders::list))
        .routes(routes!(orders::get))
        .routes(routes!(orders::photo))
        .routes(routes!(order_moves::receive))
        .routes(routes!(order_moves::inspect))
        .routes(routes!(order_moves::validate))
        .routes(routes!(order_moves::counter_offer))
        .routes(routes!(order_moves::suspend))
        .routes(routes!(order_moves::confirm_payment))
        .routes(routes!(orders::counter_offer_reasons))
        .routes(routes!(orders::suspension_reasons))
        .routes(routes!(events::feed))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::delete))
        .routes(routes!(webhooks::enable))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::retry))
        .split_for_parts()
}

/// The OpenAPI document, built once.
pub fn openapi() -> &'static utoipa::openapi::OpenApi {
    static DOC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    DOC.get_or_init(|| api().1)
}

/// Every route of the API under `PREFIX`, its document and reference page
/// included. Anything else under it is a problem-details 404.
pub fn router(state: AppState) -> axum::Router<AppState> {
    let routes = api()
        .0
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::keys,
        ))
        // Outside the keys: a replayed answer counts as a request too.
        .layer(axum::middleware::from_fn_with_state(state, rate::limit))
        .route(
            "/openapi.json",
            axum::routing::get(|| async { axum::Json(openapi()) }),
        )
        .route("/docs", axum::routing::get(docs::page))
        .fallback(|| async { problem::Problem::not_found() });
    axum::Router::new().nest(PREFIX, routes)
}
