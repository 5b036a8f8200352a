//! Postcodes as each market writes them, with what they tell: a Spanish
//! postcode's first two digits are its province, an Italian address names
//! its province by its two-letter code, a US one its state.
//!
//! Hand-written: each format is a short fixed rule set by its postal
//! service (La Poste, Deutsche Post, Correos, Poste Italiane, Royal Mail,
//! USPS), and the province and state lists change about once a decade.

use crate::domain::market::Market;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PostcodeError {
    #[error("enter the postcode")]
    Empty,
    #[error("enter a postcode of 5 digits, like 75002")]
    FiveDigits,
    #[error("this is not a Spanish postcode: its first two digits name a province, 01 to 52")]
    SpanishProvince,
    #[error("enter a UK postcode, like SW1A 1AA")]
    Uk,
    #[error("enter a ZIP code: 5 digits, or ZIP+4 like 94103-1234")]
    Zip,
    #[error("enter the province's two-letter code, like MI or RM")]
    ItalianProvince,
    #[error("enter the state's two-letter code, like CA or NY")]
    UsState,
}

/// A checked postcode, written as the market writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Postcode {
    pub text: String,
    /// The Spanish province number (01-52) the postcode falls in.
    pub spanish_province: Option<u8>,
}

/// Italy's province codes (sigle automobilistiche), as Poste Italiane
/// writes them after the town.
pub const ITALIAN_PROVINCES: [&str; 107] = [
    "AG", "AL", "AN", "AO", "AP", "AQ", "AR", "AT", "AV", "BA", "BG", "BI", "BL", "BN", "BO", "BR",
    "BS", "BT", "BZ", "CA", "CB", "CE", "CH", "CL", "CN", "CO", "CR", "CS", "CT", "CZ", "EN", "FC",
    "FE", "FG", "FI", "FM", "FR", "GE", "GO", "GR", "IM", "IS", "KR", "LC", "LE", "LI", "LO", "LT",
    "LU", "MB", "MC", "ME", "MI", "MN", "MO", "MS", "MT", "NA", "NO", "NU", "OR", "PA", "PC", "PD",
    "PE", "PG", "PI", "PN", "PO", "PR", "PT", "PU", "PV", "PZ", "RA", "RC", "RE", "RG", "RI", "RM",
    "RN", "RO", "SA", "SI", "SO", "SP", "SR", "SS", "SU", "SV", "TA", "TE", "TN", "TO", "TP", "TR",
    "TS", "TV", "UD", "VA", "VB", "VC", "VE", "VI", "VR", "VT", "VV",
];

/// The states, the District of Columbia and the territories USPS
/// delivers to with ZIP codes.
pub const US_STATES: [&str; 56] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
];

fn five_digits(s: &str) -> bool {
    s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The UK formats: an outward code (A9, A99, A9A, AA9, AA99, AA9A), a
/// space, an inward code (9AA).
fn uk_shape(compact: &str) -> Option<String> {
    let b = compact.as_bytes();
    // Byte positions below are characters only in ASCII.
    if !compact.is_ascii() || !(5..=7).contains(&b.len()) {
        return None;
    }
    let (outward, inward) = compact.split_at(b.len() - 3);
    let i = inward.as_bytes();
    let inward_ok =
        i[0].is_ascii_digit() && i[1].is_ascii_alphabetic() && i[2].is_ascii_alphabetic();
    let o = outward.as_bytes();
    let alpha = |k: usize| o.get(k).is_some_and(u8::is_ascii_alphabetic);
    let digit = |k: usize| o.get(k).is_some_and(u8::is_ascii_digit);
    let outward_ok = match o.len() {
        2 => alpha(0) && digit(1),
        3 => (alpha(0) && digit(1) && (digit(2) || alpha(2))) || (alpha(0) && alpha(1) && digit(2)),
        4 => alpha(0) && alpha(1) && digit(2) && (digit(3) || alpha(3)),
        _ => false,
    };
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}

/// Reads a postcode typed for an address in `market`.
pub fn parse_postcode(market: Market, input: &str) -> Result<Postcode, PostcodeError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(PostcodeError::Empty);
    }
    let plain = |text: String| Postcode {
        text,
        spanish_province: None,
    };
    match market {
        Market::FrFr | Market::ItIt => five_digits(trimmed)
            .then(|| plain(trimmed.to_string()))
            .ok_or(PostcodeError::FiveDigits),
        // Deutsche Post's codes run from 01001: none starts with 00.
        Market::DeDe => (five_digits(trimmed) && !trimmed.starts_with("00"))
            .then(|| plain(trimmed.to_string()))
            .ok_or(PostcodeError::FiveDigits),
        Market::EsEs => {
            if !five_digits(trimmed) {
                return Err(PostcodeError::FiveDigits);
            }
            let province: u8 = trimmed[..2]
                .parse()
                .map_err(|_| PostcodeError::FiveDigits)?;
            if !(1..=52).contains(&province) {
                return Err(PostcodeError::SpanishProvince);
            }
            Ok(Postcode {
                text: trimmed.to_string(),
                spanish_province: Some(province),
            })
        }
        Market::EnGb => {
            let compact: String = trimmed
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_uppercase();
            uk_shape(&compact).map(plain).ok_or(PostcodeError::Uk)
        }
        Market::EnUs => {
            let (zip, plus4) = match trimmed.split_once('-') {
                Some((z, p)) => (z, Some(p)),
                None => (trimmed, None),
            };
            let ok = five_digits(zip)
                && plus4.is_none_or(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()));
            ok.then(|| plain(trimmed.to_string()))
                .ok_or(PostcodeError::Zip)
        }
    }
}

/// Reads the region an address in `market` must name: an Italian
/// province or a US state (upper-cased); None for markets without one.
pub fn parse_region(market: Market, input: &str) -> Result<Option<String>, PostcodeError> {
    let code = input.trim().to_ascii_uppercase();
    match market {
        Market::ItIt => ITALIAN_PROVINCES
            .contains(&code.as_str())
            .then_some(Some(code))
            .ok_or(PostcodeError::ItalianProvince),
        Market::EnUs => US_STATES
            .contains(&code.as_str())
            .then_some(Some(code))
            .ok_or(PostcodeError::UsState),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_market_reads_its_own_postcodes() {
        let ok = |m, s: &str| parse_postcode(m, s).map(|p| p.text);
        assert_eq!(ok(Market::FrFr, " 75002 "), Ok("75002".into()));
        assert_eq!(ok(Market::DeDe, "10115"), Ok("10115".into()));
        assert_eq!(ok(Market::DeDe, "00115"), Err(PostcodeError::FiveDigits));
        assert_eq!(ok(Market::ItIt, "20121"), Ok("20121".into()));
        assert_eq!(ok(Market::EnGb, "sw1a1aa"), Ok("SW1A 1AA".into()));
        assert_eq!(ok(Market::EnGb, "M1 1AE"), Ok("M1 1AE".into()));
        assert_eq!(ok(Market::EnGb, "B33 8TH"), Ok("B33 8TH".into()));
        assert_eq!(ok(Market::EnGb, "CR2 6XH"), Ok("CR2 6XH".into()));
        assert_eq!(ok(Market::EnGb, "DN55 1PT"), Ok("DN55 1PT".into()));
        assert_eq!(ok(Market::EnGb, "W1A 0AX"), Ok("W1A 0AX".into()));
        assert_eq!(ok(Market::EnGb, "EC1A 1BB"), Ok("EC1A 1BB".into()));
        assert_eq!(ok(Market::EnUs, "94103"), Ok("94103".into()));
        assert_eq!(ok(Market::EnUs, "94103-1234"), Ok("94103-1234".into()));
        // Another country's postcode is refused.
        assert_eq!(ok(Market::EnGb, "75002"), Err(PostcodeError::Uk));
        assert_eq!(ok(Market::FrFr, "SW1A 1AA"), Err(PostcodeError::FiveDigits));
        assert_eq!(ok(Market::EnUs, "SW1A 1AA"), Err(PostcodeError::Zip));
        assert_eq!(ok(Market::EnUs, "94103-12"), Err(PostcodeError::Zip));
        assert_eq!(ok(Market::DeDe, ""), Err(PostcodeError::Empty));
        assert_eq!(ok(Market::EnGb, "1AA A11"), Err(PostcodeError::Uk));
    }

    #[test]
    fn a_spanish_postcode_names_its_province() {
        let p = parse_postcode(Market::EsEs, "46001").unwrap();
        assert_eq!(p.spanish_province, Some(46), "Valencia");
        assert_eq!(
            parse_postcode(Market::EsEs, "53001"),
            Err(PostcodeError::SpanishProvince)
        );
        assert_eq!(
            parse_postcode(Market::EsEs, "00001"),
            Err(PostcodeError::SpanishProvince)
        );
    }

    #[test]
    fn italian_provinces_and_us_states() {
        assert_eq!(parse_region(Market::ItIt, "mi"), Ok(Some("MI".into())));
        assert_eq!(
            parse_region(Market::ItIt, "XX"),
            Err(PostcodeError::ItalianProvince)
        );
        assert_eq!(parse_region(Market::EnUs, "ca"), Ok(Some("CA".into())));
        assert_eq!(
            parse_region(Market::EnUs, "QC"),
            Err(PostcodeError::UsState)
        );
        assert_eq!(parse_region(Market::FrFr, "anything"), Ok(None));
        let mut provinces = ITALIAN_PROVINCES.to_vec();
        provinces.sort();
        provinces.dedup();
        assert_eq!(provinces.len(), ITALIAN_PROVINCES.len());
    }
}
