//! The kinds of mail the marketplace sends, as the outbox stores them.

use serde::{Deserialize, Serialize};

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
pub enum MailKind {
    Confirmation,
    ExpiryWarning,
    Expired,
    Cancelled,
    Returned,
    Received,
    CounterOffer,
    Validated,
    Paid,
    Suspended,
    ReturnSent,
    SellerApproved,
    SellerRejected,
    Alert,
    ClaimOpened,
    ClaimResolved,
}

crate::domain::codes::codes!(MailKind);
