//! What other features record in the audit log. It runs on the caller's
//! connection, so an entry is written in the same transaction as the action
//! it records.

pub use super::repo::search;
pub use super::repo::{audit as record, AuditEntry};
