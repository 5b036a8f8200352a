pub mod queue;
pub mod suspended;
