//! What a price-grid CSV would change: the dry-run preview and the plan an
//! import applies. Pure, so the counts a refurbisher previews are exactly
//! what the apply step writes.

use super::grade::Grade;
use super::price_csv::{Parsed, RowError, RowErrors, RowProblem};
use crate::domain::ids::{ListingId, VariantId};
use crate::domain::market::{Market, SoldIn};
use crate::domain::money::Money;
use std::collections::{BTreeSet, HashMap};

/// A cell of a refurbisher's grid: its price for a variant and grade in a
/// market.
pub type CellKey = (Market, VariantId, Grade);

/// The catalog's variants by SKU, with the markets each is sold in.
pub type SkuIndex = HashMap<String, (VariantId, SoldIn)>;

/// A cell as the database holds it now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Existing {
    pub listing_id: ListingId,
    /// None: the listing exists but is not buying (stopped earlier).
    pub price: Option<Money>,
    pub weekly_cap: Option<i64>,
    pub version: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Change {
    New,
    Changed,
    Removed,
    Unchanged,
}

/// One cell the import writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub market: Market,
    pub variant_id: VariantId,
    pub grade: Grade,
    /// None: stop buying.
    pub price: Option<Money>,
    pub weekly_cap: Option<i64>,
    pub change: Change,
    pub before: Option<Existing>,
}

impl Planned {
    /// A price change (not just a cap change) goes into the price history.
    pub fn price_changed(&self) -> bool {
        self.before.and_then(|b| b.price) != self.price
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub new: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub writes: Vec<Planned>,
    pub counts: Counts,
    pub errors: RowErrors,
    /// The markets the file's good rows price.
    pub markets: BTreeSet<Market>,
}

/// Compares the file with the seller's cells. With `replace_all`, every
/// buying cell the file does not mention stops buying in the markets the
/// file prices (the file is the whole grid of those markets; another
/// market's prices stay); otherwise only the rows in the file change
/// anything. A row in a market the seller does not buy in (`buys_in`) is
/// an error.
pub fn plan(
    parsed: Parsed,
    variant_ids: &SkuIndex,
    existing: &HashMap<CellKey, Existing>,
    buys_in: &[Market],
    replace_all: bool,
) -> Plan {
    let mut out = Plan::default();
    let mut found = RowErrors::default();
    let mut seen: HashMap<CellKey, usize> = HashMap::with_capacity(parsed.rows.len());
    for row in parsed.rows {
        if !buys_in.contains(&row.market) {
            found.push(RowError {
                line: row.line,
                problem: RowProblem::NotBuyingIn(row.market),
            });
            continue;
        }
        let Some(&(variant_id, sold_in)) = variant_ids.get(&row.sku) else {
            found.push(RowError {
                line: row.line,
                problem: RowProblem::UnknownSku(row.sku),
            });
            continue;
        };
        // Stopping is always allowed: it is how a cell left over from
        // before the catalog changed is cleared.
        if row.price.is_some() && !sold_in.contains(row.market) {
            found.push(RowError {
                line: row.line,
                problem: RowProblem::NotSoldIn {
                    sku: row.sku,
                    market: row.market,
                },
            });
            continue;
        }
        let key = (row.market, variant_id, row.grade);
        if let Some(first) = seen.insert(key, row.line) {
            found.push(RowError {
                line: row.line,
                problem: RowProblem::Duplicate {
                    sku: row.sku,
                    grade: row.grade,
                    market: row.market,
                    first_line: first,
                },
            });
            continue;
        }
        out.markets.insert(row.market);
        let before = existing.get(&key).copied();
        let buying = before.and_then(|b| b.price.map(|p| (p, b.weekly_cap)));
        let change = match (buying, row.price) {
            (None, None) => Change::Unchanged,
            (None, Some(_)) => Change::New,
            (Some(_), None) => Change::Removed,
            (Some((p, cap)), Some(new)) if p == new && cap == row.weekly_cap => Change::Unchanged,
            (Some(_), Some(_)) => Change::Changed,
        };
        out.push(Planned {
            market: row.market,
            variant_id,
            grade: row.grade,
            price: row.price,
            weekly_cap: row.weekly_cap,
            change,
            before,
        });
    }
    if replace_all {
        let mut missing: Vec<(&CellKey, &Existing)> = existing
            .iter()
            .filter(|(key, e)| {
                e.price.is_some() && out.markets.contains(&key.0) && !seen.contains_key(key)
            })
            .collect();
        missing.sort_by_key(|(key, _)| **key);
        for (&(market, variant_id, grade), e) in missing {
            out.push(Planned {
                market,
                variant_id,
                grade,
                price: None,
                weekly_cap: e.weekly_cap,
                change: Change::Removed,
                before: Some(*e),
            });
        }
    }
    out.errors = parsed.errors.merge(found);
    out
}

impl Plan {
    fn push(&mut self, p: Planned) {
        match p.change {
            Change::New => self.counts.new += 1,
            Change::Changed => self.counts.changed += 1,
            Change::Removed => self.counts.removed += 1,
            Change::Unchanged => {
                self.counts.unchanged += 1;
                return;
            }
        }
        self.writes.push(p);
    }
}

/// A short token naming the state of a seller's cells (every listing and
/// its version). The preview hands it out; applying refuses a file whose
/// token no longer matches, so an edit made in between is never overwritten.
pub fn fingerprint(existing: &HashMap<CellKey, Existing>) -> String {
    let mut cells: Vec<(i64, i64)> = existing
        .values()
        .map(|e| (e.listing_id.get(), e.version))
        .collect();
    cells.sort_unstable();
    // FNV-1a: stable across runs and builds, unlike the std hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (id, version) in cells {
        for byte in id.to_le_bytes().into_iter().chain(version.to_le_bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::price_csv::parse;

    fn setup() -> (SkuIndex, HashMap<CellKey, Existing>) {
        let ids = HashMap::from([
            ("a-64gb".to_string(), (VariantId(1), SoldIn::EVERYWHERE)),
            ("b-64gb".to_string(), (VariantId(2), SoldIn::EVERYWHERE)),
            ("c-64gb".to_string(), (VariantId(3), SoldIn::EVERYWHERE)),
            (
                "d-64gb-esim-only".to_string(),
                (VariantId(4), SoldIn::only(&[Market::EnUs])),
            ),
        ]);
        let existing = HashMap::from([
            (
                (Market::FrFr, VariantId(1), Grade::FunctionalGood),
                Existing {
                    listing_id: ListingId(10),
                    price: Some(Money::eur(10_000)),
                    weekly_cap: None,
                    version: 1,
                },
            ),
            (
                (Market::FrFr, VariantId(1), Grade::FunctionalUsed),
                Existing {
                    listing_id: ListingId(11),
                    price: Some(Money::eur(8_000)),
                    weekly_cap: Some(5),
                    version: 3,
                },
            ),
            (
                (Market::FrFr, VariantId(2), Grade::FunctionalGood),
                Existing {
                    listing_id: ListingId(12),
                    price: None,
                    weekly_cap: None,
                    version: 2,
                },
            ),
            (
                (Market::FrFr, VariantId(3), Grade::FunctionalGood),
                Existing {
                    listing_id: ListingId(13),
                    price: Some(Money::eur(5_000)),
                    weekly_cap: None,
                    version: 1,
                },
            ),
        ]);
        (ids, existing)
    }

    #[test]
    fn counts_new_changed_removed_unchanged() {
        let (ids, existing) = setup();
        let text = "variant_sku,grade,price_eur,weekly_cap\n\
            a-64gb,functional_good,100.00,\n\
            a-64gb,functional_used,80.00,6\n\
            b-64gb,functional_good,20,\n\
            c-64gb,functional_good,,\n\
            c-64gb,functional_used,,\n\
            b-64gb,functional_used,30,\n";
        let p = plan(
            parse(text, Market::FrFr).unwrap(),
            &ids,
            &existing,
            &[Market::FrFr],
            false,
        );
        assert!(p.errors.is_empty());
        assert_eq!(
            p.counts,
            Counts {
                new: 2,
                changed: 1,
                removed: 1,
                unchanged: 2
            }
        );
        let changed = p
            .writes
            .iter()
            .find(|w| w.change == Change::Changed)
            .unwrap();
        assert!(!changed.price_changed(), "only the cap moved");
        assert!(p
            .writes
            .iter()
            .filter(|w| w.change != Change::Changed)
            .all(Planned::price_changed));
    }

    #[test]
    fn replacing_the_whole_grid_stops_what_the_file_leaves_out() {
        let (ids, existing) = setup();
        let p = plan(
            parse(
                "variant_sku,grade,price_eur,weekly_cap\na-64gb,functional_good,100,\n",
                Market::FrFr,
            )
            .unwrap(),
            &ids,
            &existing,
            &[Market::FrFr],
            true,
        );
        assert_eq!(
            p.counts,
            Counts {
                new: 0,
                changed: 0,
                removed: 2,
                unchanged: 1
            }
        );
        let removed: Vec<i64> = p
            .writes
            .iter()
            .map(|w| w.before.unwrap().listing_id.get())
            .collect();
        assert_eq!(removed, vec![11, 13]);
    }

    #[test]
    fn unknown_skus_and_duplicates_are_errors_with_lines() {
        let (ids, existing) = setup();
        let text = "variant_sku,grade,price_eur,weekly_cap\nzz-64gb,functional_good,1,\na-64gb,functional_good,2,\nA-64GB,FunctionalGood,3,\nx,nope,1,\n";
        let p = plan(
            parse(text, Market::FrFr).unwrap(),
            &ids,
            &existing,
            &[Market::FrFr],
            false,
        );
        let lines: Vec<usize> = p.errors.first().iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 4, 5]);
        assert!(p.errors.first()[0]
            .problem
            .to_string()
            .contains("unknown variant"));
        assert!(p.errors.first()[1]
            .problem
            .to_string()
            .contains("in fr-fr is already on line 3"));
    }

    #[test]
    fn a_variant_is_priced_only_in_the_markets_it_is_sold_in() {
        let (ids, existing) = setup();
        let text = "market,variant_sku,grade,price,currency,weekly_cap\n\
            fr-fr,d-64gb-esim-only,functional_good,100,EUR,\n\
            en-us,d-64gb-esim-only,functional_good,120,USD,\n\
            fr-fr,d-64gb-esim-only,functional_used,,,\n";
        let p = plan(
            parse(text, Market::FrFr).unwrap(),
            &ids,
            &existing,
            &[Market::FrFr, Market::EnUs],
            false,
        );
        let errors = p.errors.first();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 2);
        assert!(errors[0]
            .problem
            .to_string()
            .contains("not sold in France (fr-fr)"));
        assert_eq!(p.counts.new, 1);
    }

    #[test]
    fn the_fingerprint_follows_every_version() {
        let (_, mut existing) = setup();
        let before = fingerprint(&existing);
        assert_eq!(before, fingerprint(&existing.clone()));
        existing
            .get_mut(&(Market::FrFr, VariantId(1), Grade::FunctionalGood))
            .unwrap()
            .version += 1;
        assert_ne!(before, fingerprint(&existing));
    }

    #[test]
    fn each_market_is_its_own_cell_and_replacing_touches_only_the_files_markets() {
        use crate::domain::money::Currency;
        let (ids, mut existing) = setup();
        existing.insert(
            (Market::EnGb, VariantId(1), Grade::FunctionalGood),
            Existing {
                listing_id: ListingId(20),
                price: Some(Money::new(9_000, Currency::Gbp)),
                weekly_cap: None,
                version: 1,
            },
        );
        let text = "market,variant_sku,grade,price,currency,weekly_cap\n\
            es-es,a-64gb,functional_good,95,EUR,\n\
            fr-fr,a-64gb,functional_good,100,EUR,\n\
            en-us,a-64gb,functional_good,120,USD,\n";
        let p = plan(
            parse(text, Market::FrFr).unwrap(),
            &ids,
            &existing,
            &[Market::FrFr, Market::EsEs, Market::EnGb],
            true,
        );
        assert_eq!(p.errors.first().len(), 1);
        assert!(p.errors.first()[0]
            .problem
            .to_string()
            .contains("you do not buy in en-us"));
        assert_eq!(
            p.markets.iter().copied().collect::<Vec<_>>(),
            vec![Market::FrFr, Market::EsEs]
        );
        assert_eq!(
            p.counts,
            Counts {
                new: 1,
                changed: 0,
                removed: 2,
                unchanged: 1
            },
            "new in Spain, France's other cells stopped, the UK's untouched"
        );
        let new = p.writes.iter().find(|w| w.change == Change::New).unwrap();
        assert_eq!(
            (new.market, new.price),
            (Market::EsEs, Some(Money::eur(9_500)))
        );
        assert!(p.writes.iter().all(|w| w.market != Market::EnGb));
    }
}
