//! Shared components: layout, forms, error pages.

use leptos::prelude::*;

pub mod breadcrumbs;
pub mod chart;
pub mod data;
pub mod errors;
pub mod form;
pub mod layout;
pub mod market;
pub mod question;
pub mod radios;
pub mod refused;
pub mod return_to;
pub mod zone;

/// Percent-encodes a query-string value.
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An instant as the server wrote it for the visitor, machine-readable
/// too.
#[component]
pub fn When(m: crate::domain::dates::Moment) -> impl IntoView {
    view! { <time datetime=crate::domain::dates::utc_iso_minute(m.ms)>{m.text}</time> }
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_query_values() {
        assert_eq!(
            super::url_encode("/sell/a b?x=1&y"),
            "/sell/a%20b%3Fx%3D1%26y"
        );
    }
}
