//! Where a server function's redirect goes in the browser. Within an area
//! it is a client-side navigation, as the router does it; into or out of
//! the refurbisher and operations areas it is a full page load, since a
//! page of the areas carries their texts (`i18n::staff`) and the consumer
//! pages do not: signing in as a refurbisher lands on `/seller` whole.
//!
//! The router sets the one redirect hook server functions call when it
//! starts, unless one is set already: `install` runs first, and `Router`
//! below records the router's owner the hook navigates with.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
thread_local! {
    static ROUTER: std::cell::RefCell<Option<Owner>> = const { std::cell::RefCell::new(None) };
}

/// A link's `rel` to `path`: `external` when it leads into or out of the
/// areas, so the router loads that page whole, as `install`'s redirects do.
pub fn rel_to(path: &str) -> Option<&'static str> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    (crate::i18n::staff::is_staff_path(path) != crate::i18n::staff::in_areas())
        .then_some("external")
}

/// Put inside `<Router>`: the owner client-side redirects navigate with.
#[component]
pub fn RouterOwner() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    ROUTER.with(|r| *r.borrow_mut() = Owner::current());
}

/// Sets the redirect hook; before the app is mounted.
#[cfg(feature = "hydrate")]
pub fn install() {
    let _ = leptos::server_fn::redirect::set_redirect_hook(|loc: &str| {
        let path = loc.split(['?', '#']).next().unwrap_or_default();
        let same_area = crate::i18n::staff::is_staff_path(path) == crate::i18n::staff::in_areas();
        let router = ROUTER.with(|r| r.borrow().clone());
        match router.filter(|_| same_area && loc.starts_with('/')) {
            Some(owner) => owner.with(|| {
                let navigate = leptos_router::hooks::use_navigate();
                let loc = loc.to_string();
                // A tick later, so the action's value is set before the
                // page it was on goes.
                request_animation_frame(move || navigate(&loc, Default::default()));
            }),
            None => {
                let _ = window().location().assign(loc);
            }
        }
    });
}
