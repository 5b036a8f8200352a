//! Reads the seller's cells from their packed text (`existing` in the
//! repository).
//!
//! Apart from the SQL so that it builds without the server (the fuzz target
//! `grid_unpack` runs it on any text). Its error names the cell that does
//! not read as what the query writes; the repository turns it into a
//! decode error.

use crate::domain::grade::Grade;
use crate::domain::ids::{ListingId, VariantId};
use crate::domain::market::Market;
use crate::domain::money::Money;
use crate::domain::price_import::{CellKey, Existing};
use std::collections::HashMap;

/// Reads `existing`'s text: `id variant grade market price|- cap|- version`,
/// cells separated by commas, each price in its market's currency. A grade
/// or market this build does not know is skipped.
pub fn unpack_cells(packed: &str) -> Result<HashMap<CellKey, Existing>, String> {
    let malformed = |cell: &str| format!("malformed listing cell \"{cell}\"");
    let mut out = HashMap::with_capacity(packed.bytes().filter(|&b| b == b',').count() + 1);
    for cell in packed.split(',').filter(|c| !c.is_empty()) {
        let fields: Vec<&str> = cell.split(' ').collect();
        let [id, variant_id, grade, market, price, cap, version] = fields[..] else {
            return Err(malformed(cell));
        };
        let int = |s: &str| s.parse::<i64>().map_err(|_| malformed(cell));
        let optional = |s: &str| if s == "-" { Ok(None) } else { int(s).map(Some) };
        let (Ok(grade), Some(market)) = (Grade::parse(grade), Market::parse(market)) else {
            continue;
        };
        out.insert(
            (market, VariantId(int(variant_id)?), grade),
            Existing {
                listing_id: ListingId(int(id)?),
                price: optional(price)?.map(|minor| Money::new(minor, market.currency())),
                weekly_cap: optional(cap)?,
                version: int(version)?,
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    #[test]
    fn cells_read_back_from_their_packed_text() {
        let cells = unpack_cells(
            "7 3 functional_good fr-fr 12000 - 2,8 3 functional_used fr-fr - 5 4,\
             9 4 bogus fr-fr 1 - 1,10 3 functional_good en-gb 9000 - 1,11 3 functional_good xx-xx 1 - 1",
        )
        .unwrap();
        assert_eq!(cells.len(), 3, "an unknown grade or market is skipped");
        assert_eq!(
            cells[&(Market::FrFr, VariantId(3), Grade::FunctionalGood)],
            Existing {
                listing_id: ListingId(7),
                price: Some(Money::eur(12_000)),
                weekly_cap: None,
                version: 2
            }
        );
        assert_eq!(
            cells[&(Market::FrFr, VariantId(3), Grade::FunctionalUsed)],
            Existing {
                listing_id: ListingId(8),
                price: None,
                weekly_cap: Some(5),
                version: 4
            }
        );
        assert_eq!(
            cells[&(Market::EnGb, VariantId(3), Grade::FunctionalGood)].price,
            Some(Money::new(9_000, Currency::Gbp))
        );
        assert!(unpack_cells("").unwrap().is_empty());
        assert!(unpack_cells("7 3 functional_good fr-fr").is_err());
    }
}
