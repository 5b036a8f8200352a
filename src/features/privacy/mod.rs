//! My data (GDPR articles 15 and 20): everything the marketplace holds
//! about the person asking, as one JSON file downloaded from their account
//! page (`GET /account/data.json`). Deleting an account is not built yet.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
