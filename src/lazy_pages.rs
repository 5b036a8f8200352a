//! Every page but the home page, each in its own wasm chunk.
//!
//! Each is a Leptos lazy route. Built with `cargo leptos build --split`, the
//! code only such a page reaches goes into its own wasm chunk, which the
//! browser fetches when that page is first shown (and the server names in a
//! preload link when it renders one, so a first visit fetches it beside the
//! main module). The main module holds the framework, the layout and the
//! home page: a consumer never downloads the refurbisher dashboard or the
//! operations console, and each step of the consumer flow brings only its
//! own code.
//!
//! Every cargo-leptos build of this crate must pass `--split`: an unsplit
//! wasm still imports the chunk loader that only the split step provides,
//! and would not start.

use crate::account::{login::LoginPage, signup::SignupPage};
use crate::claims::ClaimPage;
use crate::home::search::SearchPage;
use crate::ops::alerts::AlertsInboxPage;
use crate::ops::audit::AuditPage;
use crate::ops::claims::OpsClaimsPage;
use crate::ops::fraud::{BlocklistPage, FraudPage};
use crate::ops::quality::QualityPage;
use crate::ops::{dashboard::OpsDashboardPage, sellers::OpsSellersPage, suspended::OpsSuspendedPage};
use crate::sell::{accept::AcceptPage, browse::{BrandPage, CategoryPage}, model_page::ModelPage, offer_page::OfferPage};
use crate::seller::orders::{SellerOrderPage, SellerOrdersPage};
use crate::seller::price_detail::ListingDetailPage;
use crate::seller::price_import::PriceImportPage;
use crate::seller::prices::PricesPage;
use crate::seller::signup::SellerSignupPage;
use crate::seller::SellerHome;
use crate::trade_ins::{MyTradeInsPage, TradeInPage};
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `lazy_page!(Route => Page)`: a lazy route that shows the component `Page`.
/// The route's name names its chunk, so each must be unique in the crate.
macro_rules! lazy_page {
    ($($route:ident => $page:ident),+ $(,)?) => {$(
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    )+};
}

lazy_page! {
    SearchRoute => SearchPage,
    LoginRoute => LoginPage,
    SignupRoute => SignupPage,
    CategoryRoute => CategoryPage,
    BrandRoute => BrandPage,
    ModelRoute => ModelPage,
    OfferRoute => OfferPage,
    AcceptRoute => AcceptPage,
    SellerHomeRoute => SellerHome,
    SellerSignupRoute => SellerSignupPage,
    SellerOrdersRoute => SellerOrdersPage,
    SellerOrderRoute => SellerOrderPage,
    SellerPricesRoute => PricesPage,
    SellerPriceImportRoute => PriceImportPage,
    SellerListingRoute => ListingDetailPage,
    OpsDashboardRoute => OpsDashboardPage,
    OpsSuspendedRoute => OpsSuspendedPage,
    OpsSellersRoute => OpsSellersPage,
    OpsFraudRoute => FraudPage,
    OpsBlocklistRoute => BlocklistPage,
    OpsAlertsRoute => AlertsInboxPage,
    OpsClaimsRoute => OpsClaimsPage,
    OpsQualityRoute => QualityPage,
    OpsAuditRoute => AuditPage,
    ClaimRoute => ClaimPage,
    MyTradeInsRoute => MyTradeInsPage,
    TradeInRoute => TradeInPage,
}
