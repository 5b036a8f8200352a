//! The HTML shell, the root component and the route table.

use crate::features::accounts::provide_session;
use crate::features::catalog::views::browse::{BrandPage, CategoryPage};
use crate::features::catalog::views::home::HomePage;
use crate::features::sell::views::model_page::ModelPage;
use crate::features::sell::views::offer_page::OfferPage;
use crate::lazy_pages::*;
use crate::ui::errors::NotFound;
use crate::ui::layout::{Footer, Header};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Title};
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::{FlatRoutes, Router};
use leptos_router::{path, Lazy, MatchNestedRoutes, NestedRoute, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let (lang, alternates) = language_and_alternates();
    let (description, catalog) = document_texts();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content=description/>
                <meta name="theme-color" content="#0f5c4d"/>
                {stylesheet()}
                {alternates}
                <script type="application/json" id=crate::i18n::CATALOG_ID inner_html=catalog></script>
                {staff_texts()}
                // Hydrate when the browser is idle, with the wasm fetched at low
                // priority: the server-rendered page paints first (it works
                // without JavaScript: links and forms submit as plain HTML) and
                // the wasm no longer competes with the page's own bytes.
                {hydration_scripts(options)}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's language, and for a market's page its address in every
/// market (`hreflang`, with `/` as the default for others, which picks
/// theirs) and its canonical address. Server-only, in the shell: they cost
/// the browser's bundle nothing, and a market's pages are only ever left
/// for another market's by a full page load (the chooser's links).
fn language_and_alternates() -> (&'static str, Option<impl IntoView>) {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::market::Market;
        let path = use_context::<http::request::Parts>()
            .map(|p| p.uri.path().to_string())
            .unwrap_or_default();
        let Some((market, rest)) = Market::split_path(&path) else {
            return (crate::i18n::document_texts().lang().code(), None);
        };
        let base = use_context::<crate::platform::state::AppState>()
            .map(|s| s.config.public_url.trim_end_matches('/').to_string())
            .unwrap_or_default();
        // One element per market, not a list: a list leaves a hydration
        // marker (`<!>`) in a head that is never hydrated.
        let alternate = |m: Market| {
            view! { <link rel="alternate" hreflang=m.language() href=format!("{base}{}", m.path(rest))/> }
        };
        let [fr, de, es, it, gb, us] = Market::ALL;
        let links = view! {
            <link rel="canonical" href=format!("{base}{path}")/>
            {alternate(fr)}
            {alternate(de)}
            {alternate(es)}
            {alternate(it)}
            {alternate(gb)}
            {alternate(us)}
            <link rel="alternate" hreflang="x-default" href=format!("{base}/")/>
        };
        (market.language(), Some(links))
    }
    #[cfg(not(feature = "ssr"))]
    {
        ("en", None::<()>)
    }
}

/// The page's description, and the document's texts for the browser
/// (`i18n`) as a JSON data block, which no browser runs, so the page's
/// script policy needs no nonce for it.
fn document_texts() -> (&'static str, &'static str) {
    #[cfg(feature = "ssr")]
    {
        let texts = crate::i18n::document_texts();
        (
            texts.get(crate::i18n::Msg::MetaDescription),
            texts.catalog_json(),
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        ("", "")
    }
}

/// The refurbisher and operations areas' texts, on their pages only
/// (`i18n::staff`).
fn staff_texts() -> Option<impl IntoView> {
    #[cfg(feature = "ssr")]
    {
        use crate::i18n::staff::{document_lang, StaffTexts, STAFF_CATALOG_ID};
        document_lang().map(|lang| {
            let json = StaffTexts::of(lang).catalog_json();
            view! { <script type="application/json" id=STAFF_CATALOG_ID inner_html=json></script> }
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        None::<()>
    }
}

/// The stylesheet, linked from the head the server renders (the browser
/// never renders the head again), by the name the build gave it: with
/// hashed file names that name carries the hash of its bytes and browsers
/// keep the file a year. Linked from `App` under its plain name, a name
/// the browser must hydrate as it was rendered, it was asked for again on
/// every visit.
fn stylesheet() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let name =
        use_context::<crate::platform::state::AppState>().and_then(|s| s.built.hashed_css.clone());
    #[cfg(not(feature = "ssr"))]
    let name: Option<String> = None;
    let href = format!("/pkg/{}", name.as_deref().unwrap_or("tradein.css"));
    view! { <link rel="stylesheet" id="app-css" href=href/> }
}

/// The scripts that start the browser app (server-only: the shell is never
/// rendered in the browser).
fn hydration_scripts(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        crate::platform::http::hydration::scripts(options)
    }
    #[cfg(not(feature = "ssr"))]
    {
        view! { <HydrationScripts options defer=true/> }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::i18n::provide();
    crate::ui::errors::provide_request_reference();
    crate::ui::refused::provide();

    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Title formatter=|page: String| if page.is_empty() { "TradeIn".to_string() } else { format!("{page} · TradeIn") }/>
        <Router>
            <crate::ui::redirects::RouterOwner/>
            <SessionScope/>
        </Router>
    }
}

/// Everything below the router, where the session can follow navigation.
#[component]
fn SessionScope() -> impl IntoView {
    provide_session();
    view! {
        <a class="skip-link" href="#main">{crate::i18n::use_texts().get(crate::i18n::Msg::NavSkip)}</a>
        <Header/>
        <main id="main" tabindex="-1">
            // <FlatRoutes>, not <Routes>: no page nests another, and the
            // nested router's code cost the first visit's bundle 11 KB
            // (brotli). It once seemed to break the refurbisher sign-up
            // page's hydration in debug builds; that was the debug build's
            // stack, since raised (.cargo/config.toml).
            <FlatRoutes fallback=|| view! { <NotFound/> }>
                <Pages/>
            </FlatRoutes>
        </main>
        <Footer/>
    }
}

/// Every page, as one list of routes of one (erased) type. A list, not the
/// routes written one by one as `<Route>`s: each of those added another
/// layer to the matched route's type, with its matching and view code in
/// the browser's bundle.
///
/// Every page is rendered whole before anything is sent (pages go out in
/// one piece anyway: `platform/http/whole_pages.rs`), so every section is
/// in the HTML and the pages work with JavaScript off, and the head has the
/// `<title>` a section sets. In-order streaming sent the head before a
/// section whose data was still being read: a first view of an offer had
/// no title. Role-gated areas render after their access check, so the
/// response carries the right status (403 for others).
#[component(transparent)]
fn Pages() -> impl MatchNestedRoutes + Clone {
    use leptos_router::{ParamSegment as Param, StaticSegment as Static};
    let mut pages = vec![
        page(path!("/markets"), Lazy::<MarketsRoute>::new()),
        page(path!("/login"), Lazy::<LoginRoute>::new()),
        page(path!("/login/link"), Lazy::<SignInLinkRoute>::new()),
        page(path!("/login/link/sent"), Lazy::<LinkSentRoute>::new()),
        page(path!("/login/code"), Lazy::<LoginCodeRoute>::new()),
        page(path!("/login/reset"), Lazy::<ResetRequestRoute>::new()),
        page(path!("/login/reset/sent"), Lazy::<ResetSentRoute>::new()),
        page(path!("/login/reset/new"), Lazy::<NewPasswordRoute>::new()),
        page(path!("/account"), Lazy::<AccountRoute>::new()),
        page(path!("/account/two-factor"), Lazy::<TwoFactorRoute>::new()),
        page(
            path!("/account/deleted"),
            Lazy::<AccountDeletedRoute>::new(),
        ),
        page(path!("/account/data"), Lazy::<MyDataRoute>::new()),
        page(path!("/account/verify"), Lazy::<VerifyEmailRoute>::new()),
        page(path!("/account/email"), Lazy::<ConfirmEmailRoute>::new()),
        page(path!("/signup"), Lazy::<SignupRoute>::new()),
        page(path!("/seller/signup"), Lazy::<SellerSignupRoute>::new()),
        page(path!("/trade-ins"), Lazy::<MyTradeInsRoute>::new()),
        page(path!("/trade-ins/:id"), Lazy::<TradeInRoute>::new()),
        page(path!("/seller"), Lazy::<SellerHomeRoute>::new()),
        page(path!("/seller/orders"), Lazy::<SellerOrdersRoute>::new()),
        page(path!("/seller/prices"), Lazy::<SellerPricesRoute>::new()),
        page(
            path!("/seller/prices/import"),
            Lazy::<SellerPriceImportRoute>::new(),
        ),
        page(
            path!("/seller/prices/:variant/:grade"),
            Lazy::<SellerListingRoute>::new(),
        ),
        page(path!("/seller/markets"), Lazy::<SellerMarketsRoute>::new()),
        page(path!("/seller/api"), Lazy::<SellerApiRoute>::new()),
        page(
            path!("/seller/api/webhooks"),
            Lazy::<SellerWebhooksRoute>::new(),
        ),
        page(path!("/seller/orders/:id"), Lazy::<SellerOrderRoute>::new()),
        page(path!("/ops"), Lazy::<OpsDashboardRoute>::new()),
        page(path!("/ops/suspended"), Lazy::<OpsSuspendedRoute>::new()),
        page(path!("/ops/sellers"), Lazy::<OpsSellersRoute>::new()),
        page(path!("/ops/fraud"), Lazy::<OpsFraudRoute>::new()),
        page(path!("/ops/alerts"), Lazy::<OpsAlertsRoute>::new()),
        page(path!("/ops/claims"), Lazy::<OpsClaimsRoute>::new()),
        page(path!("/ops/refurbishers"), Lazy::<OpsQualityRoute>::new()),
        page(path!("/ops/audit"), Lazy::<OpsAuditRoute>::new()),
        page(path!("/claims/:id"), Lazy::<ClaimRoute>::new()),
        page(path!("/ops/blocklist"), Lazy::<OpsBlocklistRoute>::new()),
    ];
    // The consumer pages, under each market's prefix. Static segments
    // rather than one `/:market` parameter: an address naming no market
    // then falls through to the 404 page (and to the site root's files,
    // which a parameter would catch). The page reads its market from the
    // address (`ui::market`).
    for market in crate::domain::market::Market::ALL {
        let m = market.code();
        pages.extend([
            page(Static(m), HomePage),
            page((Static(m), Static("search")), Lazy::<SearchRoute>::new()),
            page((Static(m), Static("sell"), Param("category")), CategoryPage),
            page(
                (Static(m), Static("sell"), Param("category"), Param("brand")),
                BrandPage,
            ),
            page(
                (
                    Static(m),
                    Static("sell"),
                    Param("category"),
                    Param("brand"),
                    Param("model"),
                ),
                ModelPage,
            ),
            page(
                (
                    Static(m),
                    Static("sell"),
                    Param("category"),
                    Param("brand"),
                    Param("model"),
                    Static("offer"),
                ),
                OfferPage,
            ),
            page(
                (
                    Static(m),
                    Static("sell"),
                    Param("category"),
                    Param("brand"),
                    Param("model"),
                    Static("accept"),
                ),
                Lazy::<AcceptRoute>::new(),
            ),
        ]);
    }
    let pages = leptos::tachys::view::iterators::StaticVec::from(pages);
    // Release builds erase route types (`scripts/env.sh`): a transparent
    // component then returns the erased route.
    #[cfg(erase_components)]
    let pages = pages.into_any_nested_route();
    pages
}

/// One page: its address, and what it shows.
fn page<Segments, View>(path: Segments, view: View) -> AnyNestedRoute
where
    Segments: leptos_router::PossibleRouteMatch + Clone + Send + 'static,
    View: leptos_router::ChooseView,
    NestedRoute<Segments, (), (), <View as leptos_router::IntoChooseViewMaybeErased>::Output>:
        MatchNestedRoutes + Send + Clone + 'static,
{
    NestedRoute::new(path, view)
        .ssr_mode(SsrMode::Async)
        .into_any_nested_route()
}
