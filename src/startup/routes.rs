//! The route table: Leptos's pages and server functions, the plain axum
//! routes of the features (files, uploads, downloads), and the layers every
//! request passes through.

use crate::app::{shell, App};
use crate::features::fraud::service as fraud;
use crate::features::kpis::service as ops_dashboard;
use crate::features::orders::uploads;
use crate::features::pricing::files as price_files;
use crate::features::quality::service as quality;
use crate::features::trade_ins::downloads;
use crate::platform::http::{
    assets, forms, health, hydration, markets, page_cache, request_context, security, whole_pages,
};
use crate::platform::state::AppState;
use axum::handler::Handler;
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;
use http::Method;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// Requests larger than this are refused with 413 before any handler runs.
pub const MAX_BODY_BYTES: usize = forms::MAX_FORM_BYTES;
/// The seller API's limit: a bulk price update of 100,000 rows fits.
pub const API_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The consumer pages anyone may see, by address: each market's home and
/// everything under its `/sell/` but accepting an offer (which needs a
/// signed-in person). Only these may be kept by the page cache.
pub fn is_public_page(path: &str) -> bool {
    let Some((_, rest)) = crate::domain::market::Market::split_path(path) else {
        return false;
    };
    rest.is_empty() || (rest.starts_with("/sell/") && !rest.ends_with("/accept"))
}

/// A plain axum route: a file, a download or an upload, where a Leptos
/// page or server function does not fit.
pub struct PlainRoute {
    pub method: Method,
    pub path: &'static str,
    /// The route's own body limit, instead of `MAX_BODY_BYTES`.
    pub body_limit: Option<usize>,
    pub handler: MethodRouter<AppState>,
}

impl PlainRoute {
    /// The method is named once: the route answers exactly the method the
    /// table says (GET also answers HEAD, as axum's `get` does).
    fn new<H, T>(method: Method, path: &'static str, handler: H) -> PlainRoute
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone())
            .unwrap_or_else(|_| panic!("{method} {path}: axum routes no such method"));
        PlainRoute {
            method,
            path,
            body_limit: None,
            // Services read the request from the reactive context (the
            // areas' language), as they do in a server function.
            handler: axum::routing::on(filter, handler).layer(axum::middleware::from_fn(
                request_context::in_request_context,
            )),
        }
    }

    fn body_limit(self, bytes: usize) -> PlainRoute {
        PlainRoute {
            body_limit: Some(bytes),
            ..self
        }
    }
}

/// Every plain route, in one table: `router` serves exactly these, and the
/// access and CSRF tests call every one of them.
pub fn plain_routes() -> Vec<PlainRoute> {
    vec![
        PlainRoute::new(Method::GET, "/healthz", health::healthz),
        PlainRoute::new(Method::GET, "/", markets::home),
        PlainRoute::new(Method::GET, "/search", markets::moved),
        PlainRoute::new(Method::GET, "/sell/{*rest}", markets::moved),
        PlainRoute::new(Method::GET, "/language/{code}", crate::i18n::staff::choose),
        PlainRoute::new(
            Method::GET,
            "/trade-ins/{id}/label.pdf",
            downloads::inbound_label,
        ),
        PlainRoute::new(
            Method::GET,
            "/trade-ins/{id}/return-label.pdf",
            downloads::return_label,
        ),
        PlainRoute::new(
            Method::GET,
            "/trade-ins/{id}/certificate.pdf",
            downloads::certificate_of_sale,
        ),
        PlainRoute::new(Method::GET, "/photos/{id}", uploads::photo),
        PlainRoute::new(
            Method::GET,
            "/photos/pending/{token}",
            uploads::pending_photo,
        ),
        PlainRoute::new(Method::GET, "/seller/prices.csv", price_files::export),
        PlainRoute::new(Method::GET, "/ops/export.csv", ops_dashboard::export),
        PlainRoute::new(Method::GET, "/ops/refurbishers.csv", quality::export),
        PlainRoute::new(
            Method::GET,
            "/account/data.json",
            crate::features::privacy::service::download,
        ),
        PlainRoute::new(Method::POST, "/ops/blocklist", fraud::import_route),
        PlainRoute::new(
            Method::POST,
            "/account/data",
            crate::features::privacy::service::download_full,
        ),
        // Photo uploads and price files are the places a large body is
        // welcome. The counter-offer form posts to its order page.
        PlainRoute::new(Method::POST, "/seller/orders/{id}", uploads::counter_offer)
            .body_limit(uploads::MAX_UPLOAD_BYTES),
        PlainRoute::new(Method::POST, "/seller/prices/upload", price_files::import)
            .body_limit(price_files::MAX_IMPORT_BODY),
    ]
}

/// The Leptos pages' paths, as axum routes them (`/trade-ins/{id}`).
pub fn page_paths() -> Vec<String> {
    routes().iter().map(|r| r.path().to_string()).collect()
}

/// The app's routes, walked once per process. Leptos suppresses resource
/// loads with a process-wide flag while it walks the app, so a page that
/// another app in the same process (the tests start many) renders during
/// a walk would wait forever for its data: the intermittent stalled
/// response of `access::nested_sections_finish_under_load`. Every app builds
/// its router before it serves, so after the first walk none can overlap.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = routes();
    // Runs for every page render and server function: the page's CSP must
    // carry the nonce Leptos put on its scripts for this very response.
    let context = || {
        if let (Some(nonce), Some(res)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            if let Ok(v) = http::HeaderValue::from_str(&security::page_csp(&nonce)) {
                res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
            }
        }
    };
    let pkg_dir = state.config.site_root.join("pkg");
    let built = &state.built;
    // Precompressed by `cargo leptos build --release --precompress`; plain
    // files are served when a .br/.gz is missing (debug builds).
    let pkg = tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(
            built.clone(),
            assets::pkg_cache,
        ))
        .map_request(assets::css_alias(built, "tradein"))
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );
    let fallback = leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell);
    let options = state.leptos_options.clone();
    // A route with a body limit of its own (photo uploads, price files) is
    // merged after the general limit is applied, so only it gets its own.
    let (mut plain, mut own_limit) = (Router::new(), Router::new());
    for route in plain_routes() {
        match route.body_limit {
            None => plain = plain.route(route.path, route.handler),
            Some(limit) => {
                own_limit = own_limit.merge(
                    Router::new()
                        .route(route.path, route.handler)
                        .layer(axum::extract::DefaultBodyLimit::max(limit))
                        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit)),
                )
            }
        }
    }
    let pages = plain
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .nest_service("/pkg", pkg)
        // Files from the site root (public/), else the 404 page.
        .fallback(axum::handler::Handler::layer(
            fallback,
            axum::middleware::from_fn(assets::root_file_cache),
        ))
        .layer(axum::middleware::from_fn(hydration::keep_request_owner))
        .layer(axum::middleware::from_fn(whole_pages::buffer))
        // Outside `buffer`, so it keeps and sends whole pages.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ))
        // Outside the page cache, so a kept page remembers its market too.
        .layer(axum::middleware::from_fn_with_state(
            state.config.cookies_secure(),
            markets::remember,
        ))
        .layer(axum::middleware::from_fn(security::server_fn_error_status))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_BODY_BYTES,
        ))
        .merge(own_limit);
    // Forms posted by the browser itself call their function and render
    // their page again through the routes above.
    pages
        .clone()
        .layer(axum::middleware::from_fn_with_state(
            pages.with_state(state.clone()),
            forms::page_post,
        ))
        .layer(axum::middleware::from_fn_with_state(

            security::PublicOrigin::of(&state.config.public_url)
                .expect("PUBLIC_URL is checked by Config"),
            security::refuse_cross_site,
        ))
        // The seller API authenticates by bearer token only, never by
        // cookie, so the cross-site refusal above does not apply to it; its
        // bulk writes bring their own body limit.
        .merge(
            crate::features::seller_api::router(state.clone())
                .layer(axum::extract::DefaultBodyLimit::max(API_MAX_BODY_BYTES))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(API_MAX_BODY_BYTES)),
        )
        .layer(axum::middleware::from_fn_with_state(
            security::Https(state.config.cookies_secure()),
            security::security_headers,
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        // One log line per response, inside a span carrying the request id
        // that error pages show, so a reference quoted by a person finds it.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &http::Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_request(())
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        // Outermost: an id sent by the client would otherwise be kept, and
        // land in the logs and on error pages as if this server had made it.
        .layer(axum::middleware::map_request(security::drop_client_request_id))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_consumer_pages_without_a_person_are_public() {
        assert!(is_public_page(
            "/fr-fr/sell/smartphones/apple/iphone-13/offer"
        ));
        assert!(is_public_page("/en-us"));
        assert!(!is_public_page(
            "/de-de/sell/smartphones/apple/iphone-13/accept"
        ));
        assert!(!is_public_page("/de-de/search"));
        assert!(!is_public_page("/sell/smartphones"));
        assert!(!is_public_page("/"));
        assert!(!is_public_page("/seller/prices"));
        assert!(!is_public_page("/trade-ins"));
    }
}
