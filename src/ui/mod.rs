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
pub mod redirects;
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

/// Stands for a piece of markup inside a translated sentence until the
/// sentence is cut around it (`split_at_marker`).
pub const MARKER: &str = "\u{0}";

/// A filled sentence cut where it holds `MARKER`: the text before and after.
pub fn split_at_marker(text: String) -> (String, String) {
    match text.split_once(MARKER) {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => (text, String::new()),
    }
}

/// A translated sentence holding a `{date}`, the date kept as a
/// machine-readable `<time>` wherever the language puts it.
pub fn with_date(
    t: crate::i18n::Texts,
    msg: crate::i18n::Msg,
    args: &[(&str, &dyn std::fmt::Display)],
    date: crate::domain::dates::Moment,
) -> impl IntoView {
    let mut all: Vec<(&str, &dyn std::fmt::Display)> = args.to_vec();
    all.push(("date", &MARKER));
    let (before, after) = split_at_marker(t.fill(msg, &all));
    view! { {before}<When m=date/>{after} }
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
