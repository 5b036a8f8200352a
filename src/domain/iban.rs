//! IBANs: structure, per-country length and the ISO 7064 mod-97 check.

use serde::{Deserialize, Serialize};
use std::fmt;

/// IBAN lengths of the SEPA countries we pay into.
const LENGTHS: [(&str, usize); 37] = [
    ("AD", 24),
    ("AT", 20),
    ("BE", 16),
    ("BG", 22),
    ("CH", 21),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("EE", 20),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("GI", 23),
    ("GR", 27),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IS", 26),
    ("IT", 27),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MT", 31),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("RO", 24),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("VA", 22),
];

#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Iban(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    #[error("enter the IBAN of the account to pay")]
    Empty,
    #[error("an IBAN starts with a two-letter country code and two check digits, e.g. FR76…")]
    Malformed,
    #[error("we cannot pay into {0} accounts yet (SEPA countries only)")]
    UnsupportedCountry(String),
    #[error("a {country} IBAN has {expected} characters; this one has {found}")]
    WrongLength {
        country: String,
        expected: usize,
        found: usize,
    },
    #[error("this IBAN is not valid: check for a typo")]
    BadChecksum,
}

/// The remainder of the IBAN's number (letters as 10..35) modulo 97,
/// computed piecewise so no big integers are needed.
fn mod97(rearranged: &str) -> u32 {
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let value = c.to_digit(36).expect("alphanumeric checked before");
        rem = if value >= 10 {
            (rem * 100 + value) % 97
        } else {
            (rem * 10 + value) % 97
        };
    }
    rem
}

impl Iban {
    pub fn parse(input: &str) -> Result<Iban, IbanError> {
        let iban: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        if iban.is_empty() {
            return Err(IbanError::Empty);
        }
        let bytes = iban.as_bytes();
        if iban.len() < 5
            || !bytes[0].is_ascii_uppercase()
            || !bytes[1].is_ascii_uppercase()
            || !bytes[2].is_ascii_digit()
            || !bytes[3].is_ascii_digit()
            || !iban.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(IbanError::Malformed);
        }
        let country = &iban[..2];
        let expected = LENGTHS
            .iter()
            .find(|(c, _)| *c == country)
            .map(|(_, n)| *n)
            .ok_or_else(|| IbanError::UnsupportedCountry(country.to_string()))?;
        if iban.len() != expected {
            return Err(IbanError::WrongLength {
                country: country.to_string(),
                expected,
                found: iban.len(),
            });
        }
        let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
        if mod97(&rearranged) != 1 {
            return Err(IbanError::BadChecksum);
        }
        Ok(Iban(iban))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn country(&self) -> &str {
        &self.0[..2]
    }

    /// What screens and emails show: country, check digits and the last
    /// four characters, e.g. `FR76 •••• 0189`.
    pub fn masked(&self) -> String {
        format!("{} •••• {}", &self.0[..4], &self.0[self.0.len() - 4..])
    }
}

/// Never print a whole IBAN into logs by accident.
impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iban({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples_are_valid() {
        for ok in [
            "DE89 3704 0044 0532 0130 00",
            "GB82 WEST 1234 5698 7654 32",
            "FR14 2004 1010 0505 0001 3M02 606",
            "NL91 ABNA 0417 1643 00",
            "BE68 5390 0754 7034",
            "ES91 2100 0418 4502 0005 1332",
            "IT60 X054 2811 1010 0000 0123 456",
            "fr1420041010050500013m02606",
        ] {
            assert!(Iban::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(Iban::parse(""), Err(IbanError::Empty));
        assert_eq!(Iban::parse("1234"), Err(IbanError::Malformed));
        assert_eq!(
            Iban::parse("DE89 3704 0044 0532 0130 0!"),
            Err(IbanError::Malformed)
        );
        assert_eq!(
            Iban::parse("US64 SVBK US6S 3300 9967 3871"),
            Err(IbanError::UnsupportedCountry("US".into()))
        );
        assert_eq!(
            Iban::parse("DE89 3704 0044 0532 0130"),
            Err(IbanError::WrongLength {
                country: "DE".into(),
                expected: 22,
                found: 20
            })
        );
        assert_eq!(
            Iban::parse("DE89 3704 0044 0532 0130 01"),
            Err(IbanError::BadChecksum)
        );
        assert_eq!(
            Iban::parse("DE98 3704 0044 0532 0130 00"),
            Err(IbanError::BadChecksum),
            "swapped check digits"
        );
    }

    #[test]
    fn masking_hides_the_middle() {
        let iban = Iban::parse("FR14 2004 1010 0505 0001 3M02 606").unwrap();
        assert_eq!(iban.masked(), "FR14 •••• 2606");
        assert!(!format!("{iban:?}").contains("20041010"));
    }
}
