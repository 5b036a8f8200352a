//! The market of the page being shown, read from its address (the first
//! segment of every consumer page: `/de-de/sell/…`). The server and the
//! browser read the same address, so both render the same links.

use crate::domain::market::Market;
use leptos::prelude::*;

/// The market the current page belongs to; None for pages outside the
/// markets (sign-in, account, refurbisher and operations areas).
pub fn current() -> Option<Market> {
    let location = leptos_router::hooks::use_location();
    Market::of_path(&location.pathname.read_untracked())
}

/// The market of a consumer page. Consumer pages are only routed under a
/// market's prefix (`app::MarketRoutes`), so France is only ever the
/// answer of a page rendered outside one.
pub fn of_page() -> Market {
    current().unwrap_or(Market::FrFr)
}

/// The page's market, followed as the browser moves between pages (the
/// header and footer stay on screen while the page under them changes).
pub fn watch() -> Memo<Option<Market>> {
    let location = leptos_router::hooks::use_location();
    Memo::new(move |_| Market::of_path(&location.pathname.read()))
}

/// Where the home link goes: the market's home page, or `/`, which the
/// server sends to the visitor's market (`platform::http::markets`).
pub fn home_href(market: Option<Market>) -> String {
    market.map_or_else(|| "/".to_string(), |m| m.path(""))
}
