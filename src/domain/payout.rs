//! Where the payment of a validated trade-in stands.

use serde::{Deserialize, Serialize};

/// Ordered from the payment provider, taken by it (with its reference),
/// then confirmed by the bank.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
// On the wire as in the database.
#[serde(rename_all = "snake_case")]
pub enum PayoutState {
    Pending,
    Sent,
    Settled,
}

crate::domain::codes::codes!(PayoutState);

impl PayoutState {
    /// As the consumer reads it: "Payment of €… to FR76…: being prepared."
    pub fn consumer_text(self) -> &'static str {
        match self {
            PayoutState::Pending => "being prepared",
            PayoutState::Sent => "sent",
            PayoutState::Settled => "received by your bank",
        }
    }
}
