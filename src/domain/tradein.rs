//! The life of a trade-in: one table of allowed transitions, each naming
//! who may make it. Every state change in the app goes through `next_state`.

use super::money::Money;
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
pub enum State {
    /// Accepted; the label is being made (same transaction, normally unseen).
    Created,
    LabelIssued,
    Shipped,
    Received,
    Inspecting,
    CounterOffered,
    Validated,
    Paid,
    ReturnRequested,
    Returned,
    Suspended,
    Expired,
    Cancelled,
    /// The carrier lost the parcel (declared by operations on a claim).
    Lost,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Actor {
    Customer,
    Seller,
    Ops,
    /// Background jobs and carrier events.
    System,
}

/// Stored by its Rust name (`IssueLabel`) in the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
pub enum Action {
    IssueLabel,
    MarkShipped,
    Cancel,
    Expire,
    Receive,
    StartInspection,
    Validate,
    CounterOffer,
    AcceptCounterOffer,
    DeclineCounterOffer,
    CounterOfferTimeout,
    Suspend,
    ResumeInspection,
    ReturnDevice,
    ConfirmPayment,
    ReturnDelivered,
    /// Operations, on a claim: the parcel is lost.
    DeclareLost,
    /// Operations pay the consumer the locked price for a lost parcel.
    Compensate,
    /// Operations, on a disputed counter-offer: the original price stands.
    OverruleCounterOffer,
}

impl Action {
    pub const ALL: [Action; 19] = [
        Action::IssueLabel,
        Action::MarkShipped,
        Action::Cancel,
        Action::Expire,
        Action::Receive,
        Action::StartInspection,
        Action::Validate,
        Action::CounterOffer,
        Action::AcceptCounterOffer,
        Action::DeclineCounterOffer,
        Action::CounterOfferTimeout,
        Action::Suspend,
        Action::ResumeInspection,
        Action::ReturnDevice,
        Action::ConfirmPayment,
        Action::ReturnDelivered,
        Action::DeclareLost,
        Action::Compensate,
        Action::OverruleCounterOffer,
    ];
}

use Action::*;
use Actor::*;
use State::*;

/// (action, from, to, who may do it)
pub const TRANSITIONS: &[(Action, State, State, &[Actor])] = &[
    (IssueLabel, Created, LabelIssued, &[System]),
    (MarkShipped, LabelIssued, Shipped, &[Customer, System]),
    (Cancel, Created, Cancelled, &[Customer, Ops]),
    (Cancel, LabelIssued, Cancelled, &[Customer, Ops]),
    (Expire, LabelIssued, Expired, &[System]),
    // A parcel can arrive before its sender said it left.
    (Receive, LabelIssued, Received, &[Seller]),
    (Receive, Shipped, Received, &[Seller]),
    (StartInspection, Received, Inspecting, &[Seller]),
    (Validate, Inspecting, Validated, &[Seller]),
    (CounterOffer, Inspecting, CounterOffered, &[Seller]),
    (AcceptCounterOffer, CounterOffered, Validated, &[Customer]),
    (
        DeclineCounterOffer,
        CounterOffered,
        ReturnRequested,
        &[Customer],
    ),
    // Silence never accepts a lower price.
    (
        CounterOfferTimeout,
        CounterOffered,
        ReturnRequested,
        &[System],
    ),
    (Suspend, Received, Suspended, &[Seller]),
    (Suspend, Inspecting, Suspended, &[Seller]),
    (ResumeInspection, Suspended, Inspecting, &[Ops]),
    (ReturnDevice, Suspended, ReturnRequested, &[Seller, Ops]),
    (ConfirmPayment, Validated, Paid, &[Seller, Ops, System]),
    (
        ReturnDelivered,
        ReturnRequested,
        Returned,
        &[System, Seller],
    ),
    // Customer care (claims): operations decide, and the queue pays a
    // compensation. Only a parcel the carrier has can be lost.
    (DeclareLost, Shipped, Lost, &[Ops]),
    (Compensate, Lost, Paid, &[Ops, System]),
    (OverruleCounterOffer, CounterOffered, Validated, &[Ops]),
    (OverruleCounterOffer, ReturnRequested, Validated, &[Ops]),
    (ReturnDevice, CounterOffered, ReturnRequested, &[Ops]),
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("this trade-in is {} and cannot be {}", state_label(*.from), action_label(*.action))]
    NotAllowedFrom { action: Action, from: State },
    #[error("you cannot do this on this trade-in")]
    WrongActor { action: Action, actor: Actor },
}

pub fn next_state(from: State, action: Action, actor: Actor) -> Result<State, TransitionError> {
    let row = TRANSITIONS
        .iter()
        .find(|(a, f, _, _)| *a == action && *f == from);
    match row {
        None => Err(TransitionError::NotAllowedFrom { action, from }),
        Some((_, _, _, actors)) if !actors.contains(&actor) => {
            Err(TransitionError::WrongActor { action, actor })
        }
        Some((_, _, to, _)) => Ok(*to),
    }
}

crate::domain::codes::code!(Actor);

crate::domain::codes::code!(Action);

crate::domain::codes::codes!(State);

impl State {
    pub const ALL: [State; 14] = [
        Created,
        LabelIssued,
        Shipped,
        Received,
        Inspecting,
        CounterOffered,
        Validated,
        Paid,
        ReturnRequested,
        Returned,
        Suspended,
        Expired,
        Cancelled,
        Lost,
    ];

    /// Nothing more happens to a trade-in in these states.
    pub fn is_final(self) -> bool {
        matches!(self, Paid | Returned | Expired | Cancelled)
    }

    /// The device is committed to this trade-in: its IMEI cannot start
    /// another one.
    pub fn is_open(self) -> bool {
        !self.is_final()
    }

    /// Whether a trade-in in this state uses up a unit of its buyer's weekly
    /// cap: everything but one abandoned before shipping.
    pub fn counts_against_caps(self) -> bool {
        !matches!(self, Expired | Cancelled)
    }
}

pub fn state_label(s: State) -> &'static str {
    match s {
        Created => "created",
        LabelIssued => "waiting to be shipped",
        Shipped => "on its way",
        Received => "received",
        Inspecting => "being inspected",
        CounterOffered => "waiting for your answer to a new offer",
        Validated => "validated",
        Paid => "paid",
        ReturnRequested => "being returned",
        Returned => "returned",
        Suspended => "on hold",
        Expired => "expired",
        Cancelled => "cancelled",
        Lost => "lost in transit",
    }
}

pub fn action_label(a: Action) -> &'static str {
    match a {
        IssueLabel => "given a label",
        MarkShipped => "marked as shipped",
        Cancel => "cancelled",
        Expire => "expired",
        Receive => "marked as received",
        StartInspection => "inspected",
        Validate => "validated",
        CounterOffer => "given a counter-offer",
        AcceptCounterOffer | DeclineCounterOffer => "answered",
        CounterOfferTimeout => "timed out",
        Suspend => "put on hold",
        ResumeInspection => "resumed",
        ReturnDevice => "returned",
        ConfirmPayment => "paid",
        ReturnDelivered => "marked as returned",
        DeclareLost => "declared lost",
        Compensate => "compensated",
        OverruleCounterOffer => "settled at the original price",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CounterOfferError {
    #[error("a counter-offer is in the accepted price's currency")]
    Currency,
    #[error("a counter-offer must be lower than the accepted price")]
    NotLower,
    #[error("a counter-offer is at least 1.00: below that, send the device back instead")]
    TooLow,
}

/// A counter-offer must lower the price: money never goes up after one.
/// Nor does it go below the smallest offer the marketplace makes: a device
/// worth less goes back to its owner, it is not bought for nothing.
pub fn check_counter_offer(locked: Money, proposed: Money) -> Result<(), CounterOfferError> {
    if proposed.currency() != locked.currency() {
        Err(CounterOfferError::Currency)
    } else if proposed.minor() >= locked.minor() {
        Err(CounterOfferError::NotLower)
    } else if proposed.minor() < super::offer::MIN_OFFER_MINOR {
        Err(CounterOfferError::TooLow)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path() {
        let mut s = Created;
        for (action, actor) in [
            (IssueLabel, System),
            (MarkShipped, Customer),
            (Receive, Seller),
            (StartInspection, Seller),
            (Validate, Seller),
            (ConfirmPayment, Seller),
        ] {
            s = next_state(s, action, actor).unwrap();
        }
        assert_eq!(s, Paid);
        assert!(s.is_final());
    }

    #[test]
    fn wrong_state_and_wrong_actor_are_refused() {
        assert_eq!(
            next_state(Shipped, Cancel, Customer),
            Err(TransitionError::NotAllowedFrom {
                action: Cancel,
                from: Shipped
            })
        );
        assert_eq!(
            next_state(Inspecting, Validate, Customer),
            Err(TransitionError::WrongActor {
                action: Validate,
                actor: Customer
            })
        );
        assert_eq!(
            next_state(CounterOffered, AcceptCounterOffer, Seller),
            Err(TransitionError::WrongActor {
                action: AcceptCounterOffer,
                actor: Seller
            })
        );
        assert!(
            next_state(Paid, ConfirmPayment, Seller).is_err(),
            "no paying twice"
        );
    }

    #[test]
    fn final_states_have_no_way_out() {
        for (_, from, _, _) in TRANSITIONS {
            assert!(!from.is_final(), "{from:?} is final but has a transition");
        }
    }

    #[test]
    fn table_is_unambiguous_and_codes_round_trip() {
        for (i, (a, f, _, _)) in TRANSITIONS.iter().enumerate() {
            assert!(!TRANSITIONS[i + 1..]
                .iter()
                .any(|(a2, f2, _, _)| a2 == a && f2 == f));
        }
        for s in State::ALL {
            assert_eq!(State::parse(s.code()), Some(s));
        }
    }

    const ACTIONS: [Action; 19] = [
        IssueLabel,
        MarkShipped,
        Cancel,
        Expire,
        Receive,
        StartInspection,
        Validate,
        CounterOffer,
        AcceptCounterOffer,
        DeclineCounterOffer,
        CounterOfferTimeout,
        Suspend,
        ResumeInspection,
        ReturnDevice,
        ConfirmPayment,
        ReturnDelivered,
        DeclareLost,
        Compensate,
        OverruleCounterOffer,
    ];
    const ACTORS: [Actor; 4] = [Customer, Seller, Ops, System];

    /// A tiny deterministic PRNG (xorshift64), so failures replay exactly.
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// Property: whatever sequence of calls anyone makes, every accepted
    /// step is a row of the table for that actor, every refused one is not,
    /// and the price never rises above the accepted one, counter-offers
    /// included.
    #[test]
    fn random_call_sequences_stay_inside_the_table() {
        for run in 1..=3_000u64 {
            let mut seed = run.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let mut state = Created;
            let locked = 10_000;
            let mut price = locked;
            for _ in 0..40 {
                let action = ACTIONS[(next(&mut seed) % ACTIONS.len() as u64) as usize];
                let actor = ACTORS[(next(&mut seed) % ACTORS.len() as u64) as usize];
                let allowed = TRANSITIONS
                    .iter()
                    .any(|(a, f, _, who)| *a == action && *f == state && who.contains(&actor));
                match next_state(state, action, actor) {
                    Ok(to) => {
                        assert!(allowed, "run {run}: {action:?} by {actor:?} from {state:?} accepted but not in the table");
                        assert!(TRANSITIONS
                            .iter()
                            .any(|(a, f, t, _)| *a == action && *f == state && *t == to));
                        if action == OverruleCounterOffer {
                            price = locked;
                        }
                        if action == CounterOffer {
                            let proposed = (next(&mut seed) % 20_000) as i64 - 100;
                            if check_counter_offer(Money::eur(price), Money::eur(proposed)).is_ok()
                            {
                                price = proposed;
                            }
                        }
                        state = to;
                    }
                    Err(_) => assert!(
                        !allowed,
                        "run {run}: {action:?} by {actor:?} from {state:?} refused but allowed"
                    ),
                }
                assert!(
                    price <= locked && price >= 0,
                    "run {run}: price went to {price}"
                );
                if state.is_final() {
                    assert!(ACTIONS.iter().all(|a| ACTORS
                        .iter()
                        .all(|who| next_state(state, *a, *who).is_err())));
                }
            }
        }
    }

    #[test]
    fn every_state_is_reachable_from_created() {
        let mut seen = vec![Created];
        let mut frontier = vec![Created];
        while let Some(s) = frontier.pop() {
            for (_, f, t, _) in TRANSITIONS {
                if *f == s && !seen.contains(t) {
                    seen.push(*t);
                    frontier.push(*t);
                }
            }
        }
        for s in State::ALL {
            assert!(seen.contains(&s), "{s:?} cannot be reached");
        }
    }

    #[test]
    fn counter_offers_only_go_down() {
        let eur = Money::eur;
        assert!(check_counter_offer(eur(10_000), eur(9_999)).is_ok());
        assert!(check_counter_offer(eur(10_000), eur(10_000)).is_err());
        assert!(check_counter_offer(eur(10_000), eur(12_000)).is_err());
        assert_eq!(
            check_counter_offer(eur(10_000), eur(-1)),
            Err(CounterOfferError::TooLow)
        );
        assert_eq!(
            check_counter_offer(eur(10_000), eur(0)),
            Err(CounterOfferError::TooLow),
            "nothing is not a price"
        );
        assert_eq!(
            check_counter_offer(eur(10_000), eur(99)),
            Err(CounterOfferError::TooLow)
        );
        assert!(check_counter_offer(eur(10_000), eur(100)).is_ok());
        assert_eq!(
            CounterOfferError::TooLow.to_string(),
            "a counter-offer is at least 1.00: below that, send the device back instead"
        );
    }
}
