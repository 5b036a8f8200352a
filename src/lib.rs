//! tradein: a device trade-in marketplace. One crate, rendered on the server
//! (feature `ssr`) and hydrated in the browser (feature `hydrate`).

#![recursion_limit = "256"]

pub mod app;
pub mod domain;
pub mod error;
pub mod features;
pub mod i18n;
pub mod lazy_pages;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod platform;
/// The photo sanitiser alone, for the fuzz target `photo` (the `fuzzing`
/// feature builds no server).
#[cfg(all(feature = "fuzzing", not(feature = "ssr")))]
pub mod platform {
    pub mod images;
}

#[cfg(feature = "ssr")]
pub mod startup;

/// The browser entry point, called by Leptos's hydration script.
///
/// Hydration waits for the wasm chunk of a lazy page (see `lazy_pages`)
/// when the server rendered one, so it runs as a task.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    ui::redirects::install();
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document()
            .body()
            .expect("the page has a body");
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        // A marker end-to-end tests wait for: clicks before this do nothing.
        if let Some(html) = leptos::prelude::document().document_element() {
            let _ = html.set_attribute("data-hydrated", "true");
        }
        ui::zone::remember_time_zone();
    });
}
