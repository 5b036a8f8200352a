//! What a refurbisher's systems hear about: the kinds of event the seller
//! API's feed lists and its webhooks send, and which move of an order
//! makes which event.

use super::tradein::{Action, State};

/// An event's kind, by the name the API gives it (`order.received`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
pub enum EventKind {
    /// A consumer accepted one of your offers; the label is issued.
    #[strum(serialize = "order.created")]
    OrderCreated,
    #[strum(serialize = "order.shipped")]
    OrderShipped,
    #[strum(serialize = "order.received")]
    OrderReceived,
    #[strum(serialize = "order.inspecting")]
    OrderInspecting,
    #[strum(serialize = "order.counter_offered")]
    OrderCounterOffered,
    #[strum(serialize = "order.counter_offer_accepted")]
    CounterOfferAccepted,
    #[strum(serialize = "order.counter_offer_declined")]
    CounterOfferDeclined,
    #[strum(serialize = "order.validated")]
    OrderValidated,
    #[strum(serialize = "order.paid")]
    OrderPaid,
    #[strum(serialize = "order.suspended")]
    OrderSuspended,
    #[strum(serialize = "order.return_requested")]
    OrderReturnRequested,
    #[strum(serialize = "order.returned")]
    OrderReturned,
    #[strum(serialize = "order.expired")]
    OrderExpired,
    #[strum(serialize = "order.cancelled")]
    OrderCancelled,
    #[strum(serialize = "order.lost")]
    OrderLost,
    /// A consumer opened a claim on one of your orders.
    #[strum(serialize = "claim.opened")]
    ClaimOpened,
    /// A payout reached the consumer's account.
    #[strum(serialize = "payout.settled")]
    PayoutSettled,
    /// A listing bought its weekly cap and stops buying until Monday.
    #[strum(serialize = "listing.capped")]
    ListingCapped,
    /// One listing's price, cap or activity changed.
    #[strum(serialize = "listing.updated")]
    ListingUpdated,
    /// A price file or a bulk call changed many listings at once.
    #[strum(serialize = "listings.imported")]
    ListingsImported,
}

crate::domain::codes::codes!(EventKind);

impl EventKind {
    pub const ALL: [EventKind; 20] = [
        EventKind::OrderCreated,
        EventKind::OrderShipped,
        EventKind::OrderReceived,
        EventKind::OrderInspecting,
        EventKind::OrderCounterOffered,
        EventKind::CounterOfferAccepted,
        EventKind::CounterOfferDeclined,
        EventKind::OrderValidated,
        EventKind::OrderPaid,
        EventKind::OrderSuspended,
        EventKind::OrderReturnRequested,
        EventKind::OrderReturned,
        EventKind::OrderExpired,
        EventKind::OrderCancelled,
        EventKind::OrderLost,
        EventKind::ClaimOpened,
        EventKind::PayoutSettled,
        EventKind::ListingCapped,
        EventKind::ListingUpdated,
        EventKind::ListingsImported,
    ];

    /// The event a move of an order makes: named after the state it
    /// reaches, except the consumer's answers to a counter-offer, which
    /// are named for what the consumer did.
    pub fn of_move(action: Action, to: State) -> Option<EventKind> {
        Some(match (action, to) {
            (Action::AcceptCounterOffer, _) => EventKind::CounterOfferAccepted,
            (Action::DeclineCounterOffer, _) => EventKind::CounterOfferDeclined,
            (_, State::Created) => return None,
            (_, State::LabelIssued) => EventKind::OrderCreated,
            (_, State::Shipped) => EventKind::OrderShipped,
            (_, State::Received) => EventKind::OrderReceived,
            (_, State::Inspecting) => EventKind::OrderInspecting,
            (_, State::CounterOffered) => EventKind::OrderCounterOffered,
            (_, State::Validated) => EventKind::OrderValidated,
            (_, State::Paid) => EventKind::OrderPaid,
            (_, State::Suspended) => EventKind::OrderSuspended,
            (_, State::ReturnRequested) => EventKind::OrderReturnRequested,
            (_, State::Returned) => EventKind::OrderReturned,
            (_, State::Expired) => EventKind::OrderExpired,
            (_, State::Cancelled) => EventKind::OrderCancelled,
            (_, State::Lost) => EventKind::OrderLost,
        })
    }

    /// What the event is about, as stored: `order`, `claim`, `payout`,
    /// `listing` or `listings`.
    pub fn subject(self) -> &'static str {
        let code = self.code();
        if code.starts_with("order.") {
            "order"
        } else {
            code.split('.').next().unwrap_or_default()
        }
    }

    /// A comma-separated list of kinds; None when one is unknown.
    pub fn parse_list(text: &str) -> Option<Vec<EventKind>> {
        let mut kinds = Vec::new();
        for code in text.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let kind = EventKind::parse(code)?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        Some(kinds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_code() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(EventKind::ListingsImported.subject(), "listings");
        assert_eq!(EventKind::CounterOfferAccepted.subject(), "order");
        assert_eq!(EventKind::PayoutSettled.subject(), "payout");
    }

    #[test]
    fn every_reachable_state_has_an_event() {
        for (action, to) in [
            (Action::IssueLabel, State::LabelIssued),
            (Action::Receive, State::Received),
            (Action::Validate, State::Validated),
            (Action::ConfirmPayment, State::Paid),
        ] {
            assert!(EventKind::of_move(action, to).is_some());
        }
        assert_eq!(
            EventKind::of_move(Action::AcceptCounterOffer, State::Validated),
            Some(EventKind::CounterOfferAccepted)
        );
        assert_eq!(
            EventKind::of_move(Action::DeclineCounterOffer, State::ReturnRequested),
            Some(EventKind::CounterOfferDeclined)
        );
        assert_eq!(
            EventKind::of_move(Action::Validate, State::Validated),
            Some(EventKind::OrderValidated)
        );
    }

    #[test]
    fn lists_of_kinds_are_read_strictly() {
        assert_eq!(
            EventKind::parse_list("order.created, order.paid,order.created"),
            Some(vec![EventKind::OrderCreated, EventKind::OrderPaid])
        );
        assert_eq!(EventKind::parse_list("order.created,order.nope"), None);
    }
}
