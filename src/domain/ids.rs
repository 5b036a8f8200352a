//! Typed ids, so that one entity's id cannot be passed where another's is
//! wanted. In the database and on the wire each is the plain integer it
//! wraps (`serde(transparent)`; the sqlx encoding is in `platform::db`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::num::ParseIntError;
use std::str::FromStr;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        /// As a form or a URL holds it.
        impl FromStr for $name {
            type Err = ParseIntError;

            fn from_str(s: &str) -> Result<Self, ParseIntError> {
                s.trim().parse().map($name)
            }
        }
    )*};
}

ids! {
    /// A trade-in: one device, from one consumer to one buyer.
    TradeInId,
    /// A consumer's claim on a trade-in, and its conversation.
    ClaimId,
    /// A refurbisher (or the recycling partner): the company that buys.
    SellerId,
    /// An account: a consumer, a refurbisher's person, an operator.
    UserId,
    /// One refurbisher's price for one variant and grade.
    ListingId,
    /// A catalog model in one storage and connectivity (its SKU).
    VariantId,
    /// A refurbisher's lower price after inspection, with its proof photos.
    CounterOfferId,
    /// One proof photo of a counter-offer.
    PhotoId,
    /// The payment of one validated trade-in to its consumer; also the
    /// idempotency key a payment provider receives.
    PayoutId,
    /// A KPI alert raised for operations.
    AlertId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_number_on_the_wire_and_in_forms() {
        let id = TradeInId(42);
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<TradeInId>("42").unwrap(), id);
        assert_eq!(" 42 ".parse::<TradeInId>(), Ok(id));
        assert!("4x".parse::<TradeInId>().is_err());
        assert_eq!(id.to_string(), "42");
    }
}
