//! Sign-in and sign-up links that bring a person back to the page they
//! left: the header's, the sign-in pages' links to each other, an error
//! page's. The server checks the address again (`accounts::safe_next`).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The pages that sign a person in: a link from one of them passes on the
/// return address it was given, not itself.
const SIGN_IN_PAGES: [&str; 7] = [
    "/login",
    "/signup",
    "/login/link",
    "/login/link/sent",
    "/login/reset",
    "/login/reset/sent",
    "/login/reset/new",
];

/// Where to come back to after signing in: this page with its query (the
/// questionnaire's answers are in it), or on a sign-in page the address
/// that page was given.
pub fn here() -> Signal<String> {
    let location = use_location();
    Signal::derive(move || {
        let path = location.pathname.get();
        if SIGN_IN_PAGES.contains(&path.as_str()) {
            return location.query.read().get("next").unwrap_or_default();
        }
        let search = location.search.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    })
}

/// `page` ("/login", "/signup") with `next` as its return address; none
/// for the home page, where signing in lands anyway.
pub fn with_next(page: &str, next: &str) -> String {
    if next.is_empty() || next == "/" {
        page.to_string()
    } else {
        format!("{page}?next={}", super::url_encode(next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_return_address_is_encoded_whole() {
        assert_eq!(with_next("/login", "/"), "/login");
        assert_eq!(with_next("/signup", ""), "/signup");
        assert_eq!(
            with_next(
                "/signup",
                "/sell/smartphones/apple/iphone-13/accept?variant=iphone-13-128gb&works=yes"
            ),
            "/signup?next=/sell/smartphones/apple/iphone-13/accept%3Fvariant%3Diphone-13-128gb%26works%3Dyes"
        );
    }
}
