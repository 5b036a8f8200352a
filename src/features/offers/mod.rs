pub mod cache;
pub mod repo;
pub mod shown;
