pub mod detail;
pub mod grid;
pub mod import;
