//! The demo marketplace's pricing model: how much each fictional refurbisher
//! offers for each variant and grade. Deterministic (same data every run)
//! and simple enough to check by hand:
//!
//! ```text
//! new value  = launch price x (1 + 12% per storage step) x (1 + 8% if cellular)
//! market     = new value x first-year retention x yearly retention ^ age
//! reference  = market x grade factor
//! offer      = reference x (1 + seller offset) x (1 + noise in [-4%, +4%]),
//!              rounded down to whole euros; gaps where the seller does not buy,
//!              and no bid under 5 EUR
//! ```
//! Age is counted from 2026, the year the catalog describes, not from today,
//! so the demo data does not drift as time passes.

use crate::domain::catalog::Category;
use crate::domain::grade::Grade;
use crate::features::catalog::catalog_file::{CatalogModel, CatalogVariant};

pub const REFERENCE_YEAR: i64 = 2026;
/// 5 EUR: the smallest bid a demo refurbisher makes.
pub const MIN_BID_MINOR: i64 = 500;

/// Share of the new price a device keeps after its first year, then each
/// further year. Watches lose value fastest, consoles slowest.
fn retention(category: Category) -> (f64, f64) {
    match category {
        Category::Smartphones => (0.60, 0.78),
        Category::Tablets => (0.58, 0.80),
        Category::Consoles => (0.65, 0.88),
        Category::Laptops => (0.62, 0.84),
        Category::Smartwatches => (0.50, 0.72),
    }
}

pub fn grade_factor(grade: Grade) -> f64 {
    match grade {
        Grade::FunctionalFlawless => 1.00,
        Grade::FunctionalGood => 0.87,
        Grade::FunctionalUsed => 0.72,
        Grade::FunctionalCracked => 0.45,
        Grade::NotFunctionalUsed => 0.25,
        Grade::NotFunctionalCracked => 0.14,
    }
}

/// What a typical refurbisher pays, in cents, before its own offset.
pub fn reference_price_minor(model: &CatalogModel, variant: &CatalogVariant, grade: Grade) -> i64 {
    let new_value = model.launch_price_eur as f64
        * (1.0 + 0.12 * variant.storage_step as f64)
        * if variant.connectivity_step > 0 {
            1.08
        } else {
            1.0
        };
    let (first, yearly) = retention(model.category);
    let age = (REFERENCE_YEAR - model.release_year).max(0) as i32;
    let market = new_value * first * yearly.powi(age);
    (market * grade_factor(grade) * 100.0).round() as i64
}

/// One fictional refurbisher's buying habits.
#[derive(Clone, Debug)]
pub struct BuyingProfile {
    /// Stable key mixed into the noise, so each seller differs.
    pub key: &'static str,
    /// Percent above (+) or below (-) the reference price.
    pub offset_percent: i64,
    /// Categories it buys; empty means all.
    pub categories: &'static [Category],
    /// Whether it buys devices that do not work.
    pub buys_faulty: bool,
    /// Percent of variant x grade cells it leaves empty, at random.
    pub gap_percent: u64,
}

/// FNV-1a: a tiny, stable hash (std's hasher may change between releases).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

/// The price this seller offers, in cents, or `None` where it does not buy.
pub fn offer_minor(
    profile: &BuyingProfile,
    model: &CatalogModel,
    variant: &CatalogVariant,
    grade: Grade,
) -> Option<i64> {
    if !profile.categories.is_empty() && !profile.categories.contains(&model.category) {
        return None;
    }
    if !profile.buys_faulty && !grade.works() {
        return None;
    }
    if fnv1a(&[profile.key, &variant.sku, grade.code(), "gap"]) % 100 < profile.gap_percent {
        return None;
    }
    let noise_permille = (fnv1a(&[profile.key, &variant.sku, grade.code()]) % 81) as i64 - 40; // -40..=40
    let reference = reference_price_minor(model, variant, grade);
    let price = reference * (100 + profile.offset_percent) / 100 * (1000 + noise_permille) / 1000;
    let whole_euros = price / 100 * 100;
    // Refurbishers do not bid for devices worth less than this: such cells
    // stay empty, and consumers are offered free recycling instead.
    (whole_euros >= MIN_BID_MINOR).then_some(whole_euros)
}

/// A demo price in another market: the euro price in the market's
/// currency (fixed demo rates, 0.86 GBP and 1.08 USD to the euro), moved
/// by the seller's `offset_percent` there, in whole units of at least one.
pub fn in_market(
    eur_minor: i64,
    market: crate::domain::market::Market,
    offset_percent: i64,
) -> i64 {
    use crate::domain::money::Currency;
    let rate_percent = match market.currency() {
        Currency::Eur => 100,
        Currency::Gbp => 86,
        Currency::Usd => 108,
    };
    let price = eur_minor * rate_percent / 100 * (100 + offset_percent) / 100;
    (price / 100 * 100).max(100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::catalog::catalog_file::{parse, CATALOG_CSV};

    #[test]
    fn a_market_price_is_whole_units_of_its_currency() {
        use crate::domain::market::Market;
        assert_eq!(in_market(30_000, Market::FrFr, 0), 30_000);
        assert_eq!(in_market(30_000, Market::EsEs, -4), 28_800);
        assert_eq!(in_market(30_000, Market::EnGb, 0), 25_800);
        assert_eq!(in_market(30_000, Market::EnUs, 2), 33_000);
        assert_eq!(in_market(100, Market::EnGb, -50), 100);
    }

    fn model(slug: &str) -> CatalogModel {
        parse(CATALOG_CSV)
            .unwrap()
            .into_iter()
            .find(|m| m.slug == slug)
            .unwrap()
    }

    #[test]
    fn reference_follows_the_documented_formula() {
        let m = model("iphone-13");
        let v = &m.variants()[0];
        let age = (REFERENCE_YEAR - m.release_year) as i32;
        let expected =
            (m.launch_price_eur as f64 * 0.60 * 0.78f64.powi(age) * 100.0).round() as i64;
        assert_eq!(
            reference_price_minor(&m, v, Grade::FunctionalFlawless),
            expected
        );
    }

    #[test]
    fn more_storage_and_better_grades_are_worth_more() {
        let m = model("iphone-13");
        let vs = m.variants();
        let p = |v: &CatalogVariant, g| reference_price_minor(&m, v, g);
        assert!(p(&vs[1], Grade::FunctionalGood) > p(&vs[0], Grade::FunctionalGood));
        for w in Grade::ALL.windows(2) {
            assert!(p(&vs[0], w[0]) > p(&vs[0], w[1]));
        }
    }

    #[test]
    fn offers_are_deterministic_whole_euros_with_gaps_and_specialities() {
        let m = model("iphone-13");
        let v = &m.variants()[0];
        let everyone = BuyingProfile {
            key: "a",
            offset_percent: 0,
            categories: &[],
            buys_faulty: true,
            gap_percent: 0,
        };
        let a = offer_minor(&everyone, &m, v, Grade::FunctionalGood).unwrap();
        assert_eq!(
            offer_minor(&everyone, &m, v, Grade::FunctionalGood),
            Some(a)
        );
        assert_eq!(a % 100, 0);
        let reference = reference_price_minor(&m, v, Grade::FunctionalGood);
        assert!(
            (a - reference).abs() <= reference / 20 + 100,
            "{a} vs {reference}"
        );

        let no_faulty = BuyingProfile {
            buys_faulty: false,
            ..everyone.clone()
        };
        assert_eq!(
            offer_minor(&no_faulty, &m, v, Grade::NotFunctionalUsed),
            None
        );
        let consoles_only = BuyingProfile {
            categories: &[Category::Consoles],
            ..everyone.clone()
        };
        assert_eq!(
            offer_minor(&consoles_only, &m, v, Grade::FunctionalGood),
            None
        );
        let all_gaps = BuyingProfile {
            gap_percent: 100,
            ..everyone
        };
        assert_eq!(offer_minor(&all_gaps, &m, v, Grade::FunctionalGood), None);
    }
}
