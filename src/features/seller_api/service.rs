//! What the API's layers keep in its own tables: idempotency keys and
//! their answers, and requests counted per token and minute.

pub use super::repo::{
    claim, count_request, forget_before, forget_windows_before, keep, kept, release, take_over,
};
