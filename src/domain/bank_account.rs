//! Bank accounts outside SEPA, as a consumer types them: a UK sort code
//! and account number, a US ABA routing number and account number. The
//! IBAN has its own module (`iban`).
//!
//! Hand-written: the rules are a few lines each and fixed by the payment
//! schemes (Pay.UK's 6 + 8 digits; the ABA routing number's check digit),
//! and no maintained crate covers both.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BankAccountError {
    #[error("enter the sort code: 6 digits, like 12-34-56")]
    SortCode,
    #[error("enter the account number: 8 digits")]
    UkAccountNumber,
    #[error("enter the routing number: 9 digits, printed at the bottom left of a check")]
    RoutingShape,
    #[error("this routing number is not valid: check its digits")]
    RoutingChecksum,
    #[error("enter the account number: 4 to 17 digits")]
    UsAccountNumber,
}

/// Digits of `input`, with the spaces and dashes people type between
/// groups left out; None when anything else is in it.
fn digits(input: &str) -> Option<String> {
    let kept: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .collect();
    (!kept.is_empty() && kept.bytes().all(|b| b.is_ascii_digit())).then_some(kept)
}

/// A UK bank account.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UkAccount {
    sort_code: String,
    account_number: String,
}

impl UkAccount {
    pub fn parse(sort_code: &str, account_number: &str) -> Result<UkAccount, BankAccountError> {
        let sort_code = digits(sort_code)
            .filter(|d| d.len() == 6)
            .ok_or(BankAccountError::SortCode)?;
        let account_number = digits(account_number)
            .filter(|d| d.len() == 8)
            .ok_or(BankAccountError::UkAccountNumber)?;
        Ok(UkAccount {
            sort_code,
            account_number,
        })
    }

    /// `12-34-56`.
    pub fn sort_code(&self) -> String {
        let s = &self.sort_code;
        format!("{}-{}-{}", &s[..2], &s[2..4], &s[4..])
    }

    pub fn account_number(&self) -> &str {
        &self.account_number
    }

    /// What may be shown: the sort code and the last four digits.
    pub fn masked(&self) -> String {
        format!("{} ••••{}", self.sort_code(), &self.account_number[4..])
    }
}

/// Never print a whole account number into logs by accident.
impl fmt::Debug for UkAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UkAccount({})", self.masked())
    }
}

/// A US bank account.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsAccount {
    routing_number: String,
    account_number: String,
}

/// The ABA check: 3, 7 and 1 times the digits in turn add up to a
/// multiple of 10.
fn aba_checksum_ok(d: &[u8]) -> bool {
    let weights = [3u32, 7, 1, 3, 7, 1, 3, 7, 1];
    let sum: u32 = d
        .iter()
        .zip(weights)
        .map(|(digit, w)| u32::from(digit - b'0') * w)
        .sum();
    sum.is_multiple_of(10)
}

/// The first two digits name a Federal Reserve district (01-12), a thrift
/// (21-32), an electronic one (61-72) or a traveller's check (80); 00 is
/// the federal government.
fn aba_prefix_ok(d: &[u8]) -> bool {
    let prefix = u32::from(d[0] - b'0') * 10 + u32::from(d[1] - b'0');
    matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80)
}

impl UsAccount {
    pub fn parse(
        routing_number: &str,
        account_number: &str,
    ) -> Result<UsAccount, BankAccountError> {
        let routing_number = digits(routing_number)
            .filter(|d| d.len() == 9 && aba_prefix_ok(d.as_bytes()))
            .ok_or(BankAccountError::RoutingShape)?;
        if !aba_checksum_ok(routing_number.as_bytes()) {
            return Err(BankAccountError::RoutingChecksum);
        }
        let account_number = digits(account_number)
            .filter(|d| (4..=17).contains(&d.len()))
            .ok_or(BankAccountError::UsAccountNumber)?;
        Ok(UsAccount {
            routing_number,
            account_number,
        })
    }

    pub fn routing_number(&self) -> &str {
        &self.routing_number
    }

    pub fn account_number(&self) -> &str {
        &self.account_number
    }

    /// What may be shown: the routing number and the last four digits.
    pub fn masked(&self) -> String {
        let n = &self.account_number;
        format!("{} ••••{}", self.routing_number, &n[n.len() - 4..])
    }
}

impl fmt::Debug for UsAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UsAccount({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_accounts() {
        let a = UkAccount::parse("12-34-56", "3141 5926").unwrap();
        assert_eq!(a.sort_code(), "12-34-56");
        assert_eq!(a.account_number(), "31415926");
        assert_eq!(a.masked(), "12-34-56 ••••5926");
        assert!(!format!("{a:?}").contains("31415926"));
        assert_eq!(
            UkAccount::parse("12-34-5A", "31415926"),
            Err(BankAccountError::SortCode)
        );
        assert_eq!(
            UkAccount::parse("12345", "31415926"),
            Err(BankAccountError::SortCode)
        );
        assert_eq!(
            UkAccount::parse("123456", "3141592"),
            Err(BankAccountError::UkAccountNumber)
        );
        assert_eq!(
            UkAccount::parse("123456", ""),
            Err(BankAccountError::UkAccountNumber)
        );
    }

    #[test]
    fn us_accounts() {
        // Published routing numbers: JPMorgan Chase (New York) and Bank of
        // America (California).
        for routing in ["021000021", "121000358", "026009593"] {
            assert!(
                UsAccount::parse(routing, "000123456789").is_ok(),
                "{routing}"
            );
        }
        let a = UsAccount::parse("0210-0002-1", "123 456 789").unwrap();
        assert_eq!(a.routing_number(), "021000021");
        assert_eq!(a.masked(), "021000021 ••••6789");
        assert_eq!(
            UsAccount::parse("021000022", "123456789"),
            Err(BankAccountError::RoutingChecksum)
        );
        assert_eq!(
            UsAccount::parse("02100002", "123456789"),
            Err(BankAccountError::RoutingShape)
        );
        assert_eq!(
            UsAccount::parse("991000021", "123456789"),
            Err(BankAccountError::RoutingShape),
            "no such district"
        );
        assert_eq!(
            UsAccount::parse("021000021", "123"),
            Err(BankAccountError::UsAccountNumber)
        );
        assert_eq!(
            UsAccount::parse("021000021", "12345678901234567890"),
            Err(BankAccountError::UsAccountNumber)
        );
    }
}

impl BankAccountError {
    /// The form field the problem is about.
    pub fn field(&self) -> &'static str {
        match self {
            BankAccountError::SortCode => "sort_code",
            BankAccountError::RoutingShape | BankAccountError::RoutingChecksum => "routing_number",
            BankAccountError::UkAccountNumber | BankAccountError::UsAccountNumber => {
                "account_number"
            }
        }
    }
}

/// Where a consumer is paid, on their market's payout rail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayoutAccount {
    Sepa(crate::domain::iban::Iban),
    Uk(UkAccount),
    Us(UsAccount),
}

impl PayoutAccount {
    /// The account as one line of text: what is sealed, fingerprinted
    /// (the fraud rule on accounts shared between consumers) and given
    /// back in a consumer's data export. An IBAN is itself, as trade-ins
    /// from before markets hold it.
    pub fn text(&self) -> String {
        match self {
            PayoutAccount::Sepa(iban) => iban.as_str().to_string(),
            PayoutAccount::Uk(a) => format!(
                "GB sort code {} account {}",
                a.sort_code(),
                a.account_number
            ),
            PayoutAccount::Us(a) => format!(
                "US routing {} account {}",
                a.routing_number, a.account_number
            ),
        }
    }

    pub fn rail(&self) -> crate::domain::market::PayoutRail {
        use crate::domain::market::PayoutRail;
        match self {
            PayoutAccount::Sepa(_) => PayoutRail::Sepa,
            PayoutAccount::Uk(_) => PayoutRail::UkAccount,
            PayoutAccount::Us(_) => PayoutRail::UsAccount,
        }
    }

    /// What may be shown.
    pub fn masked(&self) -> String {
        match self {
            PayoutAccount::Sepa(iban) => iban.masked(),
            PayoutAccount::Uk(a) => a.masked(),
            PayoutAccount::Us(a) => a.masked(),
        }
    }
}

#[cfg(test)]
mod payout_account_tests {
    use super::*;

    #[test]
    fn each_rail_reads_as_one_line_and_shows_only_its_end() {
        let uk = PayoutAccount::Uk(UkAccount::parse("12 34 56", "12345678").unwrap());
        assert_eq!(uk.text(), "GB sort code 12-34-56 account 12345678");
        assert!(!uk.masked().contains("1234567"));
        let us = PayoutAccount::Us(UsAccount::parse("011000015", "000123456789").unwrap());
        assert_eq!(us.text(), "US routing 011000015 account 000123456789");
        assert!(us.masked().ends_with("6789"));
        assert_eq!(
            UkAccount::parse("12-AB-56", "12345678")
                .unwrap_err()
                .field(),
            "sort_code"
        );
        assert_eq!(
            UsAccount::parse("011000016", "1234").unwrap_err().field(),
            "routing_number"
        );
    }
}
