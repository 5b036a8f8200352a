//! A refurbisher's standing on the marketplace.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An application waits as `Pending` until operations approve or reject it;
/// an approved refurbisher can be suspended (its offers stop) and
/// reinstated.
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
pub enum SellerStatus {
    Pending,
    Approved,
    Rejected,
    Suspended,
}

crate::domain::codes::codes!(SellerStatus);

impl SellerStatus {
    /// Only approved refurbishers are offered to consumers.
    pub fn buys(self) -> bool {
        self == SellerStatus::Approved
    }

    /// Whether the refurbisher may see the market: the others' prices, its
    /// position among them, the price curve. Only one operations vetted
    /// (approved, or suspended since): an applicant, or a company refused,
    /// would otherwise read every competitor's prices by signing up.
    pub fn sees_market(self) -> bool {
        match self {
            SellerStatus::Approved | SellerStatus::Suspended => true,
            SellerStatus::Pending | SellerStatus::Rejected => false,
        }
    }

    /// What operations can do to a refurbisher in this status from the
    /// quality page: suspend an approved one, reinstate a suspended one.
    pub fn quality_action(self) -> Option<QualityAction> {
        match self {
            SellerStatus::Approved => Some(QualityAction::Suspend),
            SellerStatus::Suspended => Some(QualityAction::Reinstate),
            SellerStatus::Pending | SellerStatus::Rejected => None,
        }
    }
}

impl fmt::Display for SellerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum QualityAction {
    Suspend,
    Reinstate,
}

impl QualityAction {
    /// The status it moves from and to.
    pub fn change(self) -> (SellerStatus, SellerStatus) {
        match self {
            QualityAction::Suspend => (SellerStatus::Approved, SellerStatus::Suspended),
            QualityAction::Reinstate => (SellerStatus::Suspended, SellerStatus::Approved),
        }
    }

    /// Also the form's value.
    pub fn label(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<QualityAction> {
        code.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_vetted_sellers_see_the_market() {
        assert!(SellerStatus::Approved.sees_market());
        assert!(SellerStatus::Suspended.sees_market());
        assert!(!SellerStatus::Pending.sees_market());
        assert!(!SellerStatus::Rejected.sees_market());
    }

    #[test]
    fn only_approved_sellers_buy_and_quality_actions_undo_each_other() {
        assert!(SellerStatus::Approved.buys());
        for s in [
            SellerStatus::Pending,
            SellerStatus::Rejected,
            SellerStatus::Suspended,
        ] {
            assert!(!s.buys());
        }
        let (from, to) = QualityAction::Suspend.change();
        assert_eq!(from.quality_action(), Some(QualityAction::Suspend));
        assert_eq!(to.quality_action(), Some(QualityAction::Reinstate));
        assert_eq!(QualityAction::Reinstate.change(), (to, from));
        assert_eq!(SellerStatus::Pending.quality_action(), None);
    }
}
