//! Tells the server the browser's time zone, in the cookie
//! `platform::zone` reads, so that the dates of the pages that follow are
//! written in it. Set after the first page hydrates; that page itself was
//! written in UTC, and says so.

/// Sets the cookie when it is missing or names another zone (a laptop
/// that travelled).
#[cfg(feature = "hydrate")]
pub fn remember_time_zone() {
    use crate::domain::dates::{is_zone_name, ZONE_COOKIE as COOKIE};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
        type DateTimeFormat;
        #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "DateTimeFormat")]
        fn new() -> DateTimeFormat;
        #[wasm_bindgen(method, js_name = resolvedOptions)]
        fn resolved_options(this: &DateTimeFormat) -> ResolvedOptions;
        type ResolvedOptions;
        #[wasm_bindgen(method, getter, js_name = timeZone)]
        fn time_zone(this: &ResolvedOptions) -> Option<String>;
    }

    let Some(zone) = DateTimeFormat::new().resolved_options().time_zone() else {
        return;
    };
    if !is_zone_name(&zone) {
        return;
    }
    let Ok(doc) = leptos::prelude::document().dyn_into::<web_sys::HtmlDocument>() else {
        return;
    };
    let wanted = format!("{}={zone}", COOKIE);
    if doc
        .cookie()
        .unwrap_or_default()
        .split(';')
        .any(|c| c.trim() == wanted)
    {
        return;
    }
    let secure = leptos::prelude::window()
        .location()
        .protocol()
        .is_ok_and(|p| p == "https:");
    let _ = doc.set_cookie(&format!(
        "{wanted}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    ));
}
