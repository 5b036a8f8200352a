pub mod suspended;
