pub mod claim;
pub mod ops;
