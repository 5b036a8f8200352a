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
