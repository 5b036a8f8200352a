pub mod cache;
mod repo;
pub mod service;
pub mod shown;
