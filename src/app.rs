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
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::{path, Lazy, MatchNestedRoutes, SsrMode};

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
            return ("en", None);
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
        let texts = crate::i18n::Texts::of(crate::i18n::document_market());
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
                // Rendered whole before anything is sent (pages go out in one
                // piece anyway: server/whole_pages.rs), so every section is
                // in the HTML and these pages work with JavaScript off, and
                // the head has the <title> a section sets. In-order
                // streaming sent the head before a section whose data was
                // still being read: a first view of an offer had no title.
                <Route path=path!("/markets") view={Lazy::<MarketsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login/link") view={Lazy::<SignInLinkRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login/link/sent") view={Lazy::<LinkSentRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login/code") view={Lazy::<LoginCodeRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login/reset") view={Lazy::<ResetRequestRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login/reset/sent") view={Lazy::<ResetSentRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login/reset/new") view={Lazy::<NewPasswordRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account/two-factor") view={Lazy::<TwoFactorRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account/deleted") view={Lazy::<AccountDeletedRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account/data") view={Lazy::<MyDataRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account/verify") view={Lazy::<VerifyEmailRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account/email") view={Lazy::<ConfirmEmailRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/signup") view={Lazy::<SignupRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/seller/signup") view={Lazy::<SellerSignupRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/trade-ins") view={Lazy::<MyTradeInsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/trade-ins/:id") view={Lazy::<TradeInRoute>::new()} ssr=SsrMode::Async/>
                // Role-gated areas render after their access check so the
                // response carries the right status (403 for others).
                <Route path=path!("/seller") view={Lazy::<SellerHomeRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/seller/orders") view={Lazy::<SellerOrdersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/seller/prices") view={Lazy::<SellerPricesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/seller/prices/import") view={Lazy::<SellerPriceImportRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/seller/prices/:variant/:grade") view={Lazy::<SellerListingRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/seller/markets") view={Lazy::<SellerMarketsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/seller/orders/:id") view={Lazy::<SellerOrderRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/ops") view={Lazy::<OpsDashboardRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/ops/suspended") view={Lazy::<OpsSuspendedRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/ops/sellers") view={Lazy::<OpsSellersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/ops/fraud") view={Lazy::<OpsFraudRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/ops/alerts") view={Lazy::<OpsAlertsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/ops/claims") view={Lazy::<OpsClaimsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/ops/refurbishers") view={Lazy::<OpsQualityRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/ops/audit") view={Lazy::<OpsAuditRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/claims/:id") view={Lazy::<ClaimRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/ops/blocklist") view={Lazy::<OpsBlocklistRoute>::new()} ssr=SsrMode::Async/>
                // The consumer pages, under each market's prefix. Static
                // segments rather than one `/:market` parameter: an address
                // naming no market then falls through to the 404 page (and
                // to the site root's files, which a parameter would catch).
                <MarketRoutes/>
            </FlatRoutes>
        </main>
        <Footer/>
    }
}

/// Every market's consumer pages under `/{code}`: the home page, search,
/// and the trade-in flow. The page reads its market from the address
/// (`ui::market`). Each page is one list of routes of a single type, one
/// per market: six copies of the routes written side by side were six more
/// layers of matching and view code in the browser's bundle.
#[component(transparent)]
fn MarketRoutes() -> impl MatchNestedRoutes + Clone {
    use leptos::tachys::view::iterators::StaticVec;
    use leptos_router::{ParamSegment as Param, StaticSegment as Static};
    fn each<R>(route: impl Fn(&'static str) -> R) -> StaticVec<R> {
        StaticVec::from(
            crate::domain::market::Market::ALL
                .map(|m| route(m.code()))
                .into_iter()
                .collect::<Vec<_>>(),
        )
    }
    let routes = (
        each(|m| view! { <Route path=Static(m) view=HomePage ssr=SsrMode::Async/> }.into_inner()),
        each(|m| {
            view! { <Route path=(Static(m), Static("search")) view={Lazy::<SearchRoute>::new()} ssr=SsrMode::Async/> }.into_inner()
        }),
        each(|m| {
            view! { <Route path=(Static(m), Static("sell"), Param("category")) view=CategoryPage ssr=SsrMode::Async/> }.into_inner()
        }),
        each(|m| {
            view! { <Route path=(Static(m), Static("sell"), Param("category"), Param("brand")) view=BrandPage ssr=SsrMode::Async/> }.into_inner()
        }),
        each(|m| {
            view! { <Route path=(Static(m), Static("sell"), Param("category"), Param("brand"), Param("model")) view=ModelPage ssr=SsrMode::Async/> }.into_inner()
        }),
        each(|m| {
            view! { <Route path=(Static(m), Static("sell"), Param("category"), Param("brand"), Param("model"), Static("offer")) view=OfferPage ssr=SsrMode::Async/> }.into_inner()
        }),
        each(|m| {
            view! { <Route path=(Static(m), Static("sell"), Param("category"), Param("brand"), Param("model"), Static("accept")) view={Lazy::<AcceptRoute>::new()} ssr=SsrMode::Async/> }.into_inner()
        }),
    );
    // Release builds erase route types (`scripts/env.sh`): a transparent
    // component then returns the erased route.
    #[cfg(erase_components)]
    let routes = leptos_router::any_nested_route::IntoAnyNestedRoute::into_any_nested_route(routes);
    routes
}
