//! The money formats the pages use (`Money::local`, written out so the
//! browser's bundle carries no ICU data) against ICU4X's currency
//! formatter, the CLDR authority: over a sweep of amounts, in every
//! market, the two must write the same text. A CLDR change that moves a
//! symbol or a separator fails here instead of drifting silently.

use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::dimension::currency::CurrencyType;
use tradein::domain::market::Market;
use tradein::domain::money::Money;

fn amounts() -> Vec<i64> {
    let mut minor = vec![0, 1, 5, 99, 100, 14_200, 99_999, 100_000, 123_456, 999_999];
    minor.extend([
        1_000_000,
        1_234_567,
        12_345_678,
        123_456_789,
        10_000_000_000,
    ]);
    // Every order of magnitude, and both sides of each grouping edge.
    for exp in 0..12 {
        let p = 10_i64.pow(exp);
        minor.extend([p - 1, p, p + 1, 7 * p + 3]);
    }
    let negatives: Vec<i64> = minor.iter().map(|m| -m).collect();
    minor.extend(negatives);
    minor.sort_unstable();
    minor.dedup();
    minor
}

#[test]
fn every_market_writes_money_as_cldr_does() {
    for market in Market::ALL {
        let locale: icu_locale_core::Locale = market.language().parse().unwrap();
        let code = CurrencyType::try_from_str(market.currency().code()).unwrap();
        let icu = CurrencyFormatter::try_new_symbol(locale.into(), code, Default::default())
            .expect("ICU4X has every market's data");
        for minor in amounts() {
            let money = Money::new(minor, market.currency());
            let sign = if minor < 0 { "-" } else { "" };
            let decimal = format!(
                "{sign}{}.{:02}",
                minor.unsigned_abs() / 100,
                minor.unsigned_abs() % 100
            );
            let expected = icu
                .format_fixed_decimal(&decimal.parse().unwrap())
                .to_string();
            assert_eq!(
                money.local(market),
                expected,
                "{market:?} {decimal}: ours {:?}, ICU4X {:?}",
                money.local(market),
                expected
            );
        }
    }
}
