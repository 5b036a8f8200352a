//! Buyback prices as refurbishers set them, and where a price stands in
//! the market for one variant and grade.

use super::money::{parse_amount_minor, AmountError};

/// 1 EUR to 5,000 EUR, in cents.
pub const MIN_PRICE_MINOR: i64 = 100;
pub const MAX_PRICE_MINOR: i64 = 500_000;
/// "Price to win" is one euro above the best competitor.
pub const WIN_STEP_MINOR: i64 = 100;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    #[error("{0}")]
    Amount(#[from] AmountError),
    #[error("the lowest price is 1 EUR")]
    TooLow,
    #[error("the highest price is 5,000 EUR")]
    TooHigh,
}

impl PriceError {
    /// The message for a price in `currency`: the limits are the same
    /// number of units in every currency (`Display` says EUR).
    pub fn in_currency(&self, currency: super::money::Currency) -> String {
        match self {
            PriceError::Amount(e) => e.to_string(),
            PriceError::TooLow => format!("the lowest price is 1 {}", currency.code()),
            PriceError::TooHigh => format!("the highest price is 5,000 {}", currency.code()),
        }
    }
}

/// A price typed in the grid or read from a CSV cell.
pub fn parse_price(input: &str) -> Result<i64, PriceError> {
    let minor = parse_amount_minor(input)?;
    check_price(minor)?;
    Ok(minor)
}

pub fn check_price(minor: i64) -> Result<(), PriceError> {
    if minor < MIN_PRICE_MINOR {
        Err(PriceError::TooLow)
    } else if minor > MAX_PRICE_MINOR {
        Err(PriceError::TooHigh)
    } else {
        Ok(())
    }
}

/// Where one listing stands among the competing offers for its cell. Part
/// of the price grid's cells, so its prices are minor units of the grid's
/// one currency like theirs (`features::pricing::GridCell` says why).

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MarketPosition {
    /// 1 = best price; ties share the rank.
    pub rank: usize,
    /// How many refurbishers buy this variant and grade, this one included.
    pub buyers: usize,
    /// The best price among the others.
    pub best_competitor_minor: Option<i64>,
    /// None when already winning; else the price that would win.
    pub price_to_win_minor: Option<i64>,
}

/// `mine` against the competitors' prices (eligible offers only).
pub fn market_position(mine: i64, competitors: &[i64]) -> MarketPosition {
    let best = competitors.iter().copied().max();
    let rank = 1 + competitors.iter().filter(|p| **p > mine).count();
    let winning = best.is_none_or(|b| mine > b);
    MarketPosition {
        rank,
        buyers: competitors.len() + 1,
        best_competitor_minor: best,
        price_to_win_minor: if winning {
            None
        } else {
            best.map(|b| (b + WIN_STEP_MINOR).min(MAX_PRICE_MINOR))
        },
    }
}

/// Far above the market: more than 30% over the second-best price.
pub fn far_above_market(mine: i64, competitors: &[i64]) -> bool {
    competitors
        .iter()
        .copied()
        .max()
        .is_some_and(|second| mine * 100 > second * 130)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_whole_cents_between_1_and_5000_eur() {
        assert_eq!(parse_price("119,90"), Ok(11_990));
        assert_eq!(parse_price("1"), Ok(100));
        assert_eq!(parse_price("5000"), Ok(500_000));
        assert_eq!(parse_price("0.99"), Err(PriceError::TooLow));
        assert_eq!(parse_price("0"), Err(PriceError::TooLow));
        assert_eq!(parse_price("5000.01"), Err(PriceError::TooHigh));
        assert!(matches!(parse_price("-5"), Err(PriceError::Amount(_))));
        assert!(matches!(
            parse_price("12.345"),
            Err(PriceError::Amount(AmountError::FractionalCents))
        ));
        assert!(matches!(parse_price("1e9"), Err(PriceError::Amount(_))));
    }

    #[test]
    fn market_position_and_price_to_win() {
        let p = market_position(10_000, &[12_000, 9_000, 11_000]);
        assert_eq!(
            p,
            MarketPosition {
                rank: 3,
                buyers: 4,
                best_competitor_minor: Some(12_000),
                price_to_win_minor: Some(12_100)
            }
        );
        let p = market_position(13_000, &[12_000]);
        assert_eq!((p.rank, p.price_to_win_minor), (1, None));
        let alone = market_position(5_000, &[]);
        assert_eq!(
            (alone.rank, alone.buyers, alone.price_to_win_minor),
            (1, 1, None)
        );
        let tie = market_position(12_000, &[12_000]);
        assert_eq!(
            (tie.rank, tie.price_to_win_minor),
            (1, Some(12_100)),
            "a tie is not a win: ties go to quality"
        );
        assert_eq!(
            market_position(499_990, &[499_950]).price_to_win_minor,
            None
        );
        assert_eq!(
            market_position(400_000, &[499_950]).price_to_win_minor,
            Some(MAX_PRICE_MINOR)
        );
    }

    #[test]
    fn far_above_means_over_130_percent_of_the_second_best() {
        assert!(far_above_market(13_100, &[10_000]));
        assert!(!far_above_market(13_000, &[10_000]));
        assert!(!far_above_market(50_000, &[]));
    }
}
