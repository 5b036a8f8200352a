//! Shared components: layout, forms, error pages.

pub mod breadcrumbs;
pub mod chart;
pub mod data;
pub mod errors;
pub mod form;
pub mod layout;
pub mod question;
pub mod radios;
pub mod return_to;

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

/// "2026-03-02 14:05 UTC"
pub fn format_when(ms: i64) -> String {
    let d = crate::domain::dates::Date::from_unix_ms(ms);
    let minutes = ms.rem_euclid(crate::domain::dates::DAY_MS) / 60_000;
    format!("{d} {:02}:{:02} UTC", minutes / 60, minutes % 60)
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
