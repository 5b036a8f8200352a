//! Reads the candidates' packed text (`PACKED_CANDIDATES` in the
//! repository) back into the offer rule's types.
//!
//! Apart from the SQL so that it builds without the server (the fuzz target
//! `offer_unpack` runs it on any text). Its error says where the text
//! stopped reading as what the query writes; the repository turns it into
//! a decode error.

use crate::domain::grade::Grade;
use crate::domain::ids::{ListingId, SellerId, VariantId};
use crate::domain::money::{Currency, Money};
use crate::domain::offer::Candidate;
use crate::domain::seller::SellerStatus;

/// Reads `PACKED_CANDIDATES`' text back: (variant id, grade, candidate),
/// in the order written, prices in `currency` (the market's: the query
/// reads one market). A grade this build does not know is skipped.
pub fn unpack_candidates(
    packed: &str,
    currency: Currency,
) -> Result<Vec<(VariantId, Grade, Candidate)>, String> {
    let malformed = |at: usize| format!("malformed candidate list near byte {at}");
    let mut out = Vec::with_capacity(packed.bytes().filter(|&b| b == b',').count() + 1);
    let mut rest = packed;
    while !rest.is_empty() {
        let at = packed.len() - rest.len();
        let mut fields = [""; 15];
        for field in fields.iter_mut() {
            let (f, after) = rest.split_once(' ').ok_or_else(|| malformed(at))?;
            *field = f;
            rest = after;
        }
        let int = |s: &str| s.parse::<i64>().map_err(|_| malformed(at));
        let cap = |s: &str| if s == "-" { Ok(None) } else { int(s).map(Some) };
        let name_chars = usize::try_from(int(fields[14])?).map_err(|_| malformed(at))?;
        let name_end = rest
            .char_indices()
            .nth(name_chars)
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        if rest[..name_end].chars().count() != name_chars {
            return Err(malformed(at));
        }
        let name = &rest[..name_end];
        rest = &rest[name_end..];
        rest = match rest.strip_prefix(',') {
            Some(next) => next,
            None if rest.is_empty() => rest,
            None => return Err(malformed(at)),
        };
        let Ok(grade) = Grade::parse(fields[1]) else {
            continue;
        };
        let candidate = Candidate {
            listing_id: ListingId(int(fields[2])?),
            seller_id: SellerId(int(fields[3])?),

            seller_name: name.to_string(),
            price: Money::new(int(fields[4])?, currency),
            quality_score: int(fields[5])?,
            price_set_at: int(fields[6])?,
            seller_approved: SellerStatus::parse(fields[7]).is_some_and(SellerStatus::buys),
            seller_paused: int(fields[8])? != 0,
            listing_active: int(fields[9])? != 0,
            listing_weekly_cap: cap(fields[10])?,
            seller_weekly_cap: cap(fields[11])?,
            listing_units_this_week: int(fields[12])?,
            seller_units_this_week: int(fields[13])?,
        };
        out.push((VariantId(int(fields[0])?), grade, candidate));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_read_back_from_their_packed_text() {
        let packed = "7 functional_good 31 4 12000 800 1700 approved 0 1 - 20 3 5 11 Renew, Ltd.,\
                      7 functional_good 32 5 9000 650 1600 suspended 1 0 8 - 0 0 0 ,\
                      7 bogus 33 6 1 1 1 approved 0 1 - - 0 0 3 abc,\
                      8 functional_used 34 4 500 800 1500 approved 0 1 - 20 0 5 9 Zoë 1 2 3";
        let read = unpack_candidates(packed, Currency::Eur).unwrap();
        assert_eq!(read.len(), 3, "an unknown grade is skipped");
        let (v, g, c) = &read[0];
        assert_eq!((*v, *g), (VariantId(7), Grade::FunctionalGood));
        assert_eq!(
            c.seller_name, "Renew, Ltd.",
            "a name with a comma and spaces reads back whole"
        );
        assert_eq!(
            (
                c.listing_id,
                c.seller_id,
                c.price.minor(),
                c.quality_score,
                c.price_set_at
            ),
            (ListingId(31), SellerId(4), 12_000, 800, 1_700)
        );
        assert!(c.seller_approved && !c.seller_paused && c.listing_active);
        assert_eq!(
            (
                c.listing_weekly_cap,
                c.seller_weekly_cap,
                c.listing_units_this_week,
                c.seller_units_this_week
            ),
            (None, Some(20), 3, 5)
        );
        let c = &read[1].2;
        assert!(!c.seller_approved && c.seller_paused && !c.listing_active);
        assert_eq!(
            (
                c.listing_weekly_cap,
                c.seller_weekly_cap,
                c.seller_name.as_str()
            ),
            (Some(8), None, "")
        );
        assert_eq!(
            read[2].2.seller_name, "Zoë 1 2 3",
            "the length counts characters, not bytes"
        );
        assert!(unpack_candidates("", Currency::Eur).unwrap().is_empty());
        assert!(unpack_candidates("7 functional_good 31", Currency::Eur).is_err());
        assert!(unpack_candidates(
            "7 functional_good 31 4 12000 800 1700 approved 0 1 - 20 3 5 40 short",
            Currency::Eur
        )
        .is_err());
    }
}
