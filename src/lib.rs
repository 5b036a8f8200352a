//! tradein: a device trade-in marketplace. One crate, rendered on the server
//! (feature `ssr`) and hydrated in the browser (feature `hydrate`).

#![recursion_limit = "256"]

pub mod account;
pub mod app;
pub mod claims;
pub mod domain;
pub mod error;
pub mod home;
pub mod ops;
pub mod sell;
pub mod seller;
pub mod trade_ins;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

/// The browser entry point, called by Leptos's hydration script.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker end-to-end tests wait for: clicks before this do nothing.
    if let Some(html) = leptos::prelude::document().document_element() {
        let _ = html.set_attribute("data-hydrated", "true");
    }
}
