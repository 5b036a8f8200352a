#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod catalog_file;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod views;
