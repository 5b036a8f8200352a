//! Customer-care claims: what a consumer can claim in which state, and
//! which outcomes operations can give each kind.

use super::tradein::State;
use serde::{Deserialize, Serialize};

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
pub enum ClaimKind {
    ParcelLost,
    CounterOfferDisputed,
    PaymentMissing,
}

crate::domain::codes::codes!(ClaimKind);

/// Whether operations still have a claim to decide.
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
pub enum ClaimState {
    Open,
    Resolved,
}

crate::domain::codes::codes!(ClaimState);

impl ClaimState {
    pub fn label(self) -> &'static str {
        match self {
            ClaimState::Open => "Open",
            ClaimState::Resolved => "Resolved",
        }
    }
}

impl ClaimKind {
    pub const ALL: [ClaimKind; 3] = [
        ClaimKind::ParcelLost,
        ClaimKind::CounterOfferDisputed,
        ClaimKind::PaymentMissing,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ClaimKind::ParcelLost => "My parcel was lost",
            ClaimKind::CounterOfferDisputed => "I dispute the counter-offer",
            ClaimKind::PaymentMissing => "I have not received my payment",
        }
    }

    /// Whether the claim makes sense for a trade-in in this state. A
    /// parcel can only be lost once the carrier has it: before its first
    /// scan it is still with the consumer, and compensating then would pay
    /// for a device that was never sent.
    pub fn allowed_in(self, s: State) -> bool {
        match self {
            ClaimKind::ParcelLost => s == State::Shipped,
            ClaimKind::CounterOfferDisputed => {
                matches!(s, State::CounterOffered | State::ReturnRequested)
            }
            ClaimKind::PaymentMissing => matches!(s, State::Validated | State::Paid),
        }
    }
}

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
pub enum Outcome {
    /// Lost parcel: the consumer is paid the locked price.
    Compensate,
    /// Disputed counter-offer: the original price stands.
    PayOriginal,
    /// Disputed counter-offer: the device goes back to the consumer.
    ReturnDevice,
    /// Missing payment on a validated trade-in: operations pay now.
    PayNow,
    /// The claim is refused; nothing changes.
    Refuse,
}

crate::domain::codes::codes!(Outcome);

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Compensate,
        Outcome::PayOriginal,
        Outcome::ReturnDevice,
        Outcome::PayNow,
        Outcome::Refuse,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Compensate => "Declare the parcel lost and pay the consumer",
            Outcome::PayOriginal => "Pay the original price",
            Outcome::ReturnDevice => "Return the device to the consumer",
            Outcome::PayNow => "Pay the consumer now",
            Outcome::Refuse => "Refuse the claim",
        }
    }

    /// The outcomes open for a claim of this kind on a trade-in in `s`.
    pub fn allowed(kind: ClaimKind, s: State) -> Vec<Outcome> {
        let mut out = match kind {
            ClaimKind::ParcelLost if s == State::Shipped => {
                vec![Outcome::Compensate]
            }
            ClaimKind::CounterOfferDisputed if s == State::CounterOffered => {
                vec![Outcome::PayOriginal, Outcome::ReturnDevice]
            }
            ClaimKind::CounterOfferDisputed if s == State::ReturnRequested => {
                vec![Outcome::PayOriginal]
            }
            ClaimKind::PaymentMissing if s == State::Validated => vec![Outcome::PayNow],
            _ => vec![],
        };
        out.push(Outcome::Refuse);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_and_outcomes_follow_the_state() {
        assert!(ClaimKind::ParcelLost.allowed_in(State::Shipped));
        assert!(
            !ClaimKind::ParcelLost.allowed_in(State::LabelIssued),
            "not sent yet"
        );
        assert_eq!(
            Outcome::allowed(ClaimKind::ParcelLost, State::LabelIssued),
            vec![Outcome::Refuse]
        );
        assert!(
            !ClaimKind::ParcelLost.allowed_in(State::Received),
            "it arrived"
        );
        assert!(ClaimKind::CounterOfferDisputed.allowed_in(State::CounterOffered));
        assert!(!ClaimKind::PaymentMissing.allowed_in(State::Shipped));
        assert_eq!(
            Outcome::allowed(ClaimKind::ParcelLost, State::Shipped),
            vec![Outcome::Compensate, Outcome::Refuse]
        );
        assert_eq!(
            Outcome::allowed(ClaimKind::ParcelLost, State::Received),
            vec![Outcome::Refuse],
            "the parcel turned up meanwhile"
        );
        assert_eq!(
            Outcome::allowed(ClaimKind::CounterOfferDisputed, State::CounterOffered),
            vec![Outcome::PayOriginal, Outcome::ReturnDevice, Outcome::Refuse]
        );
        assert_eq!(
            Outcome::allowed(ClaimKind::PaymentMissing, State::Paid),
            vec![Outcome::Refuse]
        );
        for k in ClaimKind::ALL {
            assert_eq!(ClaimKind::parse(k.code()), Some(k));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.code()), Some(o));
        }
    }
}
