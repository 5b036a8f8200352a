//! Money as an integer number of minor units with its currency. Never a float.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "UPPERCASE")]
// ISO 4217 codes on the wire too.
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Eur,
    Gbp,
    Usd,
}

crate::domain::codes::codes!(Currency);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub const fn eur(minor: i64) -> Money {
        Money {
            minor,
            currency: Currency::Eur,
        }
    }

    pub const fn zero(currency: Currency) -> Money {
        Money::new(0, currency)
    }

    pub const fn minor(self) -> i64 {
        self.minor
    }

    pub const fn currency(self) -> Currency {
        self.currency
    }

    pub fn is_zero(self) -> bool {
        self.minor == 0
    }

    /// The amount as a form field holds it: major units with two decimals,
    /// no symbol ("119.90"), which `parse_amount` reads back.
    pub fn field_text(self) -> String {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// Two amounts in different currencies: never added, compared or netted
/// (a dashboard shows one total per currency).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot add {0:?} to {1:?}")]
pub struct CurrencyMismatch(pub Currency, pub Currency);

impl Money {
    /// The sum of two amounts of one currency.
    pub fn checked_add(self, other: Money) -> Result<Money, CurrencyMismatch> {
        if self.currency != other.currency {
            return Err(CurrencyMismatch(self.currency, other.currency));
        }
        Ok(Money::new(
            self.minor.saturating_add(other.minor),
            self.currency,
        ))
    }
}

/// Money of several currencies, one total each: what a figure shows where
/// several markets' money meets, since two currencies are never added.
/// Serialised as the list of totals, by currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Totals(Vec<Money>);

impl Totals {
    pub fn add(&mut self, amount: Money) {
        match self.0.iter_mut().find(|t| t.currency == amount.currency) {
            Some(total) => total.minor = total.minor.saturating_add(amount.minor),
            None => {
                self.0.push(amount);
                self.0.sort_by_key(|m| m.currency);
            }
        }
    }

    /// One total per currency, by currency.
    pub fn amounts(&self) -> &[Money] {
        &self.0
    }

    /// The total in `currency` (zero when there is none).
    pub fn of(&self, currency: Currency) -> Money {
        self.0
            .iter()
            .copied()
            .find(|m| m.currency == currency)
            .unwrap_or(Money::zero(currency))
    }
}

impl FromIterator<Money> for Totals {
    fn from_iter<I: IntoIterator<Item = Money>>(amounts: I) -> Totals {
        let mut totals = Totals::default();
        amounts.into_iter().for_each(|m| totals.add(m));
        totals
    }
}

impl fmt::Display for Totals {
    /// `€1,200.00 + £80.00`; nothing at all reads `0.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("0.00");
        }
        for (i, m) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            write!(f, "{m}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Money {
    /// `€1,234.50`: English grouping, since the interface is in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let units = abs / 100;
        let cents = abs % 100;
        let digits = units.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{}{grouped}.{cents:02}", self.currency.symbol())
    }
}

/// How a market writes an amount: CLDR's pattern for its locale, which
/// ICU4X reads (`tests/integration/locale_formats.rs` compares every
/// market with ICU4X over a sweep of amounts, so a drift fails the tests).
/// Written out rather than linked: ICU4X's decimal and currency formatters
/// would add 21 to 50 KB to the browser's bundle, which renders the same
/// amounts when it hydrates a page (docs/research/issue25-i18n.md).
struct LocalStyle {
    decimal: char,
    group: char,
    /// CLDR's minimum grouping digits: Spanish and Italian write 1234,56
    /// but 12.345,67.
    min_grouping: usize,
    symbol_first: bool,
}

fn local_style(market: crate::domain::market::Market) -> LocalStyle {
    use crate::domain::market::Market;
    match market {
        Market::FrFr => LocalStyle {
            decimal: ',',
            group: '\u{202f}',
            min_grouping: 1,
            symbol_first: false,
        },
        Market::DeDe => LocalStyle {
            decimal: ',',
            group: '.',
            min_grouping: 1,
            symbol_first: false,
        },
        Market::EsEs | Market::ItIt => LocalStyle {
            decimal: ',',
            group: '.',
            min_grouping: 2,
            symbol_first: false,
        },
        Market::EnGb | Market::EnUs => LocalStyle {
            decimal: '.',
            group: ',',
            min_grouping: 1,
            symbol_first: true,
        },
    }
}

impl Money {
    /// The amount as `market` writes it: `1.234,56 €` in Germany,
    /// `£1,234.56` in the UK. A symbol after the number is joined to it
    /// by a no-break space, so it never wraps onto a line of its own.
    pub fn local(self, market: crate::domain::market::Market) -> String {
        let style = local_style(market);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let digits = (abs / 100).to_string();
        let grouped = digits.len() >= 3 + style.min_grouping;
        let mut number = String::with_capacity(digits.len() + 8);
        for (i, c) in digits.chars().enumerate() {
            if grouped && i > 0 && (digits.len() - i).is_multiple_of(3) {
                number.push(style.group);
            }
            number.push(c);
        }
        number.push(style.decimal);
        number.push_str(&format!("{:02}", abs % 100));
        let symbol = self.currency.symbol();
        if style.symbol_first {
            format!("{sign}{symbol}{number}")
        } else {
            format!("{sign}{number}\u{a0}{symbol}")
        }
    }
}

impl Currency {
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Eur => "€",
            Currency::Gbp => "£",
            Currency::Usd => "$",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("enter an amount, e.g. 120 or 119.99")]
    Empty,
    #[error("\"{0}\" is not an amount; use digits with at most 2 decimals, e.g. 119.99")]
    NotANumber(String),
    #[error("amounts have at most 2 decimals (whole cents)")]
    FractionalCents,
    #[error("the amount is too large")]
    TooLarge,
}

/// Parses a decimal amount typed by a person or found in a spreadsheet cell
/// ("119", "119.9", "119,90", " 1 199,00 ") into minor units. A single `.` or
/// `,` is the decimal mark; spaces are ignored as thousands separators.
/// Negative amounts are rejected here: a price or payout is never negative.
/// An amount typed in `currency`'s major units ("119.99").
pub fn parse_amount(input: &str, currency: Currency) -> Result<Money, AmountError> {
    parse_amount_minor(input).map(|minor| Money::new(minor, currency))
}

pub fn parse_amount_minor(input: &str) -> Result<i64, AmountError> {
    let cleaned: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if cleaned.is_empty() {
        return Err(AmountError::Empty);
    }
    let not_a_number = || AmountError::NotANumber(input.trim().chars().take(40).collect());
    let (units, fraction) = match cleaned.find(['.', ',']) {
        Some(at) => (&cleaned[..at], &cleaned[at + 1..]),
        None => (cleaned.as_str(), ""),
    };
    if units.is_empty() && fraction.is_empty() {
        return Err(not_a_number());
    }
    if !units.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(not_a_number());
    }
    if fraction.len() > 2 {
        return Err(AmountError::FractionalCents);
    }
    if units.len() > 12 {
        return Err(AmountError::TooLarge);
    }
    let units: i64 = if units.is_empty() {
        0
    } else {
        units.parse().map_err(|_| not_a_number())?
    };
    let cents: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().map_err(|_| not_a_number())? * 10,
        _ => fraction.parse().map_err(|_| not_a_number())?,
    };
    Ok(units * 100 + cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_market_writes_amounts_its_way() {
        use crate::domain::market::Market;
        let m = |minor, c| Money::new(minor, c);
        assert_eq!(
            m(14_200, Currency::Eur).local(Market::FrFr),
            "142,00\u{a0}€"
        );
        assert_eq!(
            m(14_200, Currency::Eur).local(Market::DeDe),
            "142,00\u{a0}€"
        );
        assert_eq!(m(14_200, Currency::Gbp).local(Market::EnGb), "£142.00");
        assert_eq!(m(14_200, Currency::Usd).local(Market::EnUs), "$142.00");
        assert_eq!(
            m(123_456, Currency::Eur).local(Market::FrFr),
            "1\u{202f}234,56\u{a0}€"
        );
        assert_eq!(
            m(123_456, Currency::Eur).local(Market::DeDe),
            "1.234,56\u{a0}€"
        );
        assert_eq!(
            m(123_456, Currency::Eur).local(Market::EsEs),
            "1234,56\u{a0}€"
        );
        assert_eq!(
            m(1_234_567, Currency::Eur).local(Market::ItIt),
            "12.345,67\u{a0}€"
        );
        assert_eq!(
            m(123_456_789, Currency::Usd).local(Market::EnUs),
            "$1,234,567.89"
        );
        assert_eq!(m(-14_200, Currency::Gbp).local(Market::EnGb), "-£142.00");
        assert_eq!(m(-5, Currency::Eur).local(Market::DeDe), "-0,05\u{a0}€");
    }

    #[test]
    fn totals_keep_one_amount_per_currency() {
        let t: Totals = [
            Money::new(500, Currency::Gbp),
            Money::eur(1_000),
            Money::eur(250),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            t.amounts(),
            [Money::eur(1_250), Money::new(500, Currency::Gbp)]
        );
        assert_eq!(t.to_string(), "€12.50 + £5.00");
        assert_eq!(t.of(Currency::Usd), Money::zero(Currency::Usd));
        assert_eq!(Totals::default().to_string(), "0.00");
    }

    #[test]
    fn displays_with_grouping_and_cents() {
        assert_eq!(Money::eur(0).to_string(), "€0.00");
        assert_eq!(Money::eur(5).to_string(), "€0.05");
        assert_eq!(Money::eur(12_345).to_string(), "€123.45");
        assert_eq!(Money::eur(123_456_789).to_string(), "€1,234,567.89");
        assert_eq!(Money::eur(-100_000).to_string(), "-€1,000.00");
        assert_eq!(Money::new(14_200, Currency::Gbp).to_string(), "£142.00");
        assert_eq!(Money::new(14_200, Currency::Usd).to_string(), "$142.00");
    }

    #[test]
    fn adds_one_currency_only() {
        let gbp = |m| Money::new(m, Currency::Gbp);
        assert_eq!(gbp(100).checked_add(gbp(250)), Ok(gbp(350)));
        assert_eq!(
            gbp(100).checked_add(Money::eur(250)),
            Err(CurrencyMismatch(Currency::Gbp, Currency::Eur))
        );
        assert_eq!(Currency::parse("USD"), Some(Currency::Usd));
        assert_eq!(Currency::Gbp.code(), "GBP");
    }

    #[test]
    fn parses_amounts_people_type() {
        assert_eq!(parse_amount_minor("119"), Ok(11_900));
        assert_eq!(parse_amount_minor("119.9"), Ok(11_990));
        assert_eq!(parse_amount_minor("119,90"), Ok(11_990));
        assert_eq!(parse_amount_minor(" 1 199,00 "), Ok(119_900));
        assert_eq!(parse_amount_minor("0.5"), Ok(50));
        assert_eq!(parse_amount_minor(".5"), Ok(50));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        assert_eq!(parse_amount_minor(""), Err(AmountError::Empty));
        assert_eq!(
            parse_amount_minor("12.345"),
            Err(AmountError::FractionalCents)
        );
        assert!(matches!(
            parse_amount_minor("-5"),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            parse_amount_minor("1.2.3"),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            parse_amount_minor("abc"),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            parse_amount_minor("1e5"),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            parse_amount_minor("."),
            Err(AmountError::NotANumber(_))
        ));
        assert_eq!(
            parse_amount_minor("9999999999999"),
            Err(AmountError::TooLarge)
        );
    }
}
