//! How requests and responses are handled whatever the feature: security
//! headers and cross-site refusal, static files, hydration scripts, whole
//! pages and the page cache, the health check.

pub mod assets;
pub mod client;
pub mod health;
pub mod hydration;
pub mod page_cache;
pub mod security;
pub mod whole_pages;
