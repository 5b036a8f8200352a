//! What the audit log records operations and refurbishers doing.

use serde::{Deserialize, Serialize};

/// Stored as its snake_case code in `audit_log.action`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
// On the wire as in the database.
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    AccountDeleted,
    Alert,
    AlertRule,
    ApiToken,
    BlocklistAdd,
    BlocklistRemove,
    ClaimOpened,
    ClaimResolved,
    FraudReview,
    KpiTarget,
    QualityScores,
    SellerApplication,
    SellerStatus,
}

crate::domain::codes::codes!(AuditAction);
