//! Device identifiers: IMEI (phones) and serial numbers (everything else).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Imei(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImeiError {
    #[error("enter the 15-digit IMEI (dial *#06# to see it)")]
    Empty,
    #[error("an IMEI has exactly 15 digits")]
    WrongLength,
    #[error("this IMEI is not valid: check for a typo (its last digit does not match)")]
    BadCheckDigit,
}

/// The Luhn check used by IMEIs (and card numbers): true when `digits`,
/// check digit included, sums to a multiple of 10.
pub fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = d as u32;
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl Imei {
    /// Accepts spaces, dashes and slashes people copy from settings screens.
    pub fn parse(input: &str) -> Result<Imei, ImeiError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '/' | '.'))
            .collect();
        if cleaned.is_empty() {
            return Err(ImeiError::Empty);
        }
        if cleaned.len() != 15 || !cleaned.chars().all(|c| c.is_ascii_digit()) {
            return Err(ImeiError::WrongLength);
        }
        let digits: Vec<u8> = cleaned.bytes().map(|b| b - b'0').collect();
        if !luhn_valid(&digits) {
            return Err(ImeiError::BadCheckDigit);
        }
        Ok(Imei(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Imei {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SerialNumber(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SerialError {
    #[error("enter the serial number (in Settings, or on the box or the device)")]
    Empty,
    #[error("a serial number has 6 to 20 letters and digits")]
    Malformed,
}

impl SerialNumber {
    pub fn parse(input: &str) -> Result<SerialNumber, SerialError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect::<String>()
            .to_ascii_uppercase();
        if cleaned.is_empty() {
            return Err(SerialError::Empty);
        }
        if !(6..=20).contains(&cleaned.len()) || !cleaned.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(SerialError::Malformed);
        }
        Ok(SerialNumber(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_imeis_parse() {
        // Known-valid examples (Luhn-correct).
        for ok in [
            "490154203237518",
            "356938035643809",
            "35-693803-564380-9",
            "35 6938 0356 4380 9",
        ] {
            assert!(Imei::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            Imei::parse("35-693803-564380-9").unwrap().as_str(),
            "356938035643809"
        );
    }

    #[test]
    fn invalid_imeis_say_why() {
        assert_eq!(Imei::parse(""), Err(ImeiError::Empty));
        assert_eq!(Imei::parse("12345"), Err(ImeiError::WrongLength));
        assert_eq!(Imei::parse("49015420323751X"), Err(ImeiError::WrongLength));
        assert_eq!(
            Imei::parse("490154203237519"),
            Err(ImeiError::BadCheckDigit)
        );
    }

    #[test]
    fn luhn_catches_every_single_digit_typo() {
        let good: Vec<u8> = "490154203237518".bytes().map(|b| b - b'0').collect();
        for pos in 0..15 {
            for d in 0..10u8 {
                if d == good[pos] {
                    continue;
                }
                let mut typo = good.clone();
                typo[pos] = d;
                assert!(!luhn_valid(&typo), "typo at {pos} to {d} not caught");
            }
        }
    }

    #[test]
    fn serial_numbers() {
        assert_eq!(
            SerialNumber::parse(" c02xk1abjg5h ").unwrap().as_str(),
            "C02XK1ABJG5H"
        );
        assert_eq!(SerialNumber::parse(""), Err(SerialError::Empty));
        assert_eq!(SerialNumber::parse("abc"), Err(SerialError::Malformed));
        assert_eq!(
            SerialNumber::parse("ABC<script>"),
            Err(SerialError::Malformed)
        );
    }
}
