//! How requests and responses are handled whatever the feature: security
//! headers and cross-site refusal, static files, hydration scripts, whole
//! pages and the page cache, the health check.

pub mod assets;
pub mod client;
pub mod forms;

pub mod health;
pub mod hydration;
pub mod markets;
pub mod page_cache;
pub mod request_context;
pub mod security;
pub mod whole_pages;

/// The cookies a request carries, read as RFC 6265 says (the `cookie`
/// crate); malformed ones are skipped.
pub fn request_cookies(headers: &http::HeaderMap) -> impl Iterator<Item = cookie::Cookie<'_>> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
}

/// An error as a plain-text answer with its status (for file routes).
pub fn refused(e: crate::error::AppError) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    (
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        e.to_string(),
    )
        .into_response()
}
