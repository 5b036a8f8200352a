//! Pages a consumer's first visit does not download: the refurbisher
//! dashboard, the operations console, the signed-in pages that follow an
//! accepted offer, and the consumer pages that come after a first look
//! (search results, sign-in, sign-up, accepting an offer).
//!
//! Each is a Leptos lazy route. Built with `cargo leptos build --split`, the
//! code only such a page reaches goes into its own wasm chunk, which the
//! browser fetches when that page is first shown (and the server names in a
//! preload link when it renders one). The consumer flow (home, browse, model
//! page, offer) stays in the main module: making those lazy too (tried,
//! scripts/bench.sh) moved their code into some 65 small chunks shared
//! between pages, so a first visit to a model page fetched as many files and
//! no fewer bytes, and its HTML doubled with preload links. Accepting an
//! offer, on the other hand, carries the largest form reader of the consumer
//! flow (22 fields), which no first visit needs.
//!
//! Every cargo-leptos build of this crate must pass `--split`: an unsplit
//! wasm still imports the chunk loader that only the split step provides,
//! and would not start.

use crate::features::accounts::views::account::{AccountPage, ConfirmEmailPage, VerifyEmailPage};
use crate::features::accounts::views::login::LoginPage;
use crate::features::accounts::views::reset::{NewPasswordPage, ResetRequestPage, ResetSentPage};
use crate::features::accounts::views::sign_in_link::{LinkSentPage, SignInLinkPage};
use crate::features::accounts::views::signup::SignupPage;
use crate::features::accounts::views::two_factor::{LoginCodePage, TwoFactorPage};
use crate::features::alerts::views::AlertsInboxPage;
use crate::features::api_tokens::views::ApiTokensPage;
use crate::features::audit::views::AuditPage;
use crate::features::catalog::views::markets::MarketsPage;
use crate::features::catalog::views::search::SearchPage;
use crate::features::claims::views::claim::ClaimPage;
use crate::features::claims::views::ops::OpsClaimsPage;
use crate::features::fraud::views::{BlocklistPage, FraudPage};
use crate::features::kpis::views::ops_dashboard::OpsDashboardPage;
use crate::features::kpis::views::seller_home::SellerHome;
use crate::features::orders::views::queue::{SellerOrderPage, SellerOrdersPage};
use crate::features::orders::views::suspended::OpsSuspendedPage;
use crate::features::pricing::views::detail::ListingDetailPage;
use crate::features::pricing::views::grid::PricesPage;
use crate::features::pricing::views::import::PriceImportPage;
use crate::features::privacy::views::{AccountDeletedPage, MyDataPage};
use crate::features::quality::views::QualityPage;
use crate::features::sell::views::accept::AcceptPage;
use crate::features::seller_events::views::WebhooksPage;
use crate::features::sellers::views::applications::OpsSellersPage;
use crate::features::sellers::views::markets::SellerMarketsPage;
use crate::features::sellers::views::signup::SellerSignupPage;
use crate::features::trade_ins::views::{MyTradeInsPage, TradeInPage};
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
    MarketsRoute => MarketsPage,
    LoginRoute => LoginPage,
    SignInLinkRoute => SignInLinkPage,
    LinkSentRoute => LinkSentPage,
    AccountRoute => AccountPage,
    TwoFactorRoute => TwoFactorPage,
    AccountDeletedRoute => AccountDeletedPage,
    MyDataRoute => MyDataPage,
    LoginCodeRoute => LoginCodePage,
    VerifyEmailRoute => VerifyEmailPage,
    ConfirmEmailRoute => ConfirmEmailPage,
    ResetRequestRoute => ResetRequestPage,
    ResetSentRoute => ResetSentPage,
    NewPasswordRoute => NewPasswordPage,
    SignupRoute => SignupPage,
    AcceptRoute => AcceptPage,
    SellerHomeRoute => SellerHome,
    SellerSignupRoute => SellerSignupPage,
    SellerOrdersRoute => SellerOrdersPage,
    SellerOrderRoute => SellerOrderPage,
    SellerPricesRoute => PricesPage,
    SellerPriceImportRoute => PriceImportPage,
    SellerListingRoute => ListingDetailPage,
    SellerMarketsRoute => SellerMarketsPage,
    SellerApiRoute => ApiTokensPage,
    SellerWebhooksRoute => WebhooksPage,
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
