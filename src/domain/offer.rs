//! Which refurbisher's price a consumer is offered. The repository loads
//! every listing for the variant and grade with what eligibility needs; the
//! rule itself is here, once.

use super::money::Money;
use crate::domain::ids::{ListingId, SellerId};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Offers below one unit of the market's currency (1 EUR, 1 GBP, 1 USD)
/// are not worth a parcel: recycling is offered instead. The shipping
/// window is the market's (`Market::ship_within_days`).
pub const MIN_OFFER_MINOR: i64 = 100;
/// The consumer is reminded this many days before the shipping deadline.
pub const EXPIRY_WARNING_DAYS: i64 = 3;
/// Days a consumer has to answer a counter-offer before the device goes back.
pub const COUNTER_OFFER_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub listing_id: ListingId,
    pub seller_id: SellerId,
    pub seller_name: String,
    pub price: Money,
    pub quality_score: i64,
    pub price_set_at: i64,
    pub seller_approved: bool,
    pub seller_paused: bool,
    pub listing_active: bool,
    pub listing_weekly_cap: Option<i64>,
    pub listing_units_this_week: i64,
    pub seller_weekly_cap: Option<i64>,
    pub seller_units_this_week: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ineligible {
    SellerNotApproved,
    SellerPaused,
    ListingInactive,
    ListingCapReached,
    SellerCapReached,
}

impl Candidate {
    pub fn ineligibility(&self) -> Option<Ineligible> {
        if !self.seller_approved {
            Some(Ineligible::SellerNotApproved)
        } else if self.seller_paused {
            Some(Ineligible::SellerPaused)
        } else if !self.listing_active {
            Some(Ineligible::ListingInactive)
        } else if self
            .listing_weekly_cap
            .is_some_and(|cap| self.listing_units_this_week >= cap)
        {
            Some(Ineligible::ListingCapReached)
        } else if self
            .seller_weekly_cap
            .is_some_and(|cap| self.seller_units_this_week >= cap)
        {
            Some(Ineligible::SellerCapReached)
        } else {
            None
        }
    }

    pub fn is_eligible(&self) -> bool {
        self.ineligibility().is_none()
    }
}

/// Best first: highest price; on a tie the better quality score; then the
/// price set earliest (it was there first); then the lowest listing id, so
/// the order is total and repeatable.
pub fn rank(a: &Candidate, b: &Candidate) -> Ordering {
    b.price
        .cmp(&a.price)
        .then(b.quality_score.cmp(&a.quality_score))
        .then(a.price_set_at.cmp(&b.price_set_at))
        .then(a.listing_id.cmp(&b.listing_id))
}

pub fn best(candidates: &[Candidate]) -> Option<&Candidate> {
    candidates
        .iter()
        .filter(|c| c.is_eligible())
        .min_by(|a, b| rank(a, b))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Buy(Candidate),
    /// Nobody buys it (or not for at least 1 EUR): free recycling.
    Recycle,
}

impl Decision {
    /// The same offer to the consumer: the same listing at the same price
    /// (or recycling both times). What else was read with it (this week's
    /// units, a quality score) may have moved without changing the offer.
    pub fn same_offer(&self, other: &Decision) -> bool {
        match (self, other) {
            (Decision::Buy(a), Decision::Buy(b)) => {
                (a.listing_id, a.seller_id, a.price) == (b.listing_id, b.seller_id, b.price)
            }
            (Decision::Recycle, Decision::Recycle) => true,
            _ => false,
        }
    }
}

pub fn decide(candidates: &[Candidate]) -> Decision {
    match best(candidates) {
        Some(c) if c.price.minor() >= MIN_OFFER_MINOR => Decision::Buy(c.clone()),
        _ => Decision::Recycle,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An eligible candidate (approved, buying, no cap): listing and seller
    /// `id`, at `price`.
    pub(crate) fn c(id: i64, price: i64) -> Candidate {
        Candidate {
            listing_id: crate::domain::ids::ListingId(id),
            seller_id: crate::domain::ids::SellerId(id),
            seller_name: format!("S{id}"),
            price: Money::eur(price),
            quality_score: 500,
            price_set_at: 1_000,
            seller_approved: true,
            seller_paused: false,
            listing_active: true,
            listing_weekly_cap: None,
            listing_units_this_week: 0,
            seller_weekly_cap: None,
            seller_units_this_week: 0,
        }
    }

    #[test]
    fn an_offer_is_the_same_whatever_else_moved() {
        let mut later = c(1, 10_000);
        later.listing_units_this_week = 3;
        later.quality_score = 900;
        assert!(Decision::Buy(c(1, 10_000)).same_offer(&Decision::Buy(later)));
        assert!(!Decision::Buy(c(1, 10_000)).same_offer(&Decision::Buy(c(1, 9_000))));
        assert!(!Decision::Buy(c(1, 10_000)).same_offer(&Decision::Buy(c(2, 10_000))));
        assert!(!Decision::Buy(c(1, 10_000)).same_offer(&Decision::Recycle));
        assert!(Decision::Recycle.same_offer(&Decision::Recycle));
    }

    #[test]
    fn highest_eligible_price_wins() {
        let cands = [c(1, 10_000), c(2, 12_000), c(3, 11_000)];
        assert_eq!(best(&cands).unwrap().listing_id.get(), 2);
    }

    #[test]
    fn ineligible_listings_never_win() {
        let mut paused = c(1, 20_000);
        paused.seller_paused = true;
        let mut pending = c(2, 19_000);
        pending.seller_approved = false;
        let mut inactive = c(3, 18_000);
        inactive.listing_active = false;
        let mut capped = c(4, 17_000);
        capped.listing_weekly_cap = Some(3);
        capped.listing_units_this_week = 3;
        let mut seller_capped = c(5, 16_000);
        seller_capped.seller_weekly_cap = Some(10);
        seller_capped.seller_units_this_week = 10;
        let open = c(6, 9_000);
        let cands = [paused, pending, inactive, capped, seller_capped, open];
        assert_eq!(best(&cands).unwrap().listing_id.get(), 6);
        assert_eq!(
            cands[3].ineligibility(),
            Some(Ineligible::ListingCapReached)
        );
        assert_eq!(cands[4].ineligibility(), Some(Ineligible::SellerCapReached));
        let mut under_cap = c(7, 16_000);
        under_cap.seller_weekly_cap = Some(10);
        under_cap.seller_units_this_week = 9;
        assert!(under_cap.is_eligible());
    }

    #[test]
    fn ties_go_to_quality_then_the_oldest_price() {
        let mut a = c(1, 10_000);
        let mut b = c(2, 10_000);
        b.quality_score = 800;
        assert_eq!(best(&[a.clone(), b.clone()]).unwrap().listing_id.get(), 2);
        a.quality_score = 800;
        a.price_set_at = 2_000;
        b.price_set_at = 1_500;
        assert_eq!(
            best(&[a.clone(), b.clone()]).unwrap().listing_id.get(),
            2,
            "older price wins"
        );
        b.price_set_at = 2_000;
        assert_eq!(
            best(&[b, a]).unwrap().listing_id.get(),
            1,
            "then the lower listing id, whatever the order"
        );
    }

    #[test]
    fn no_buyer_or_under_one_euro_means_recycling() {
        assert_eq!(decide(&[]), Decision::Recycle);
        assert_eq!(decide(&[c(1, 99)]), Decision::Recycle);
        let mut paused = c(1, 5_000);
        paused.seller_paused = true;
        assert_eq!(decide(&[paused]), Decision::Recycle);
        assert!(matches!(decide(&[c(1, 100)]), Decision::Buy(_)));
    }
}
