//! What a price-grid CSV would change: the dry-run preview and the plan an
//! import applies. Pure, so the counts a refurbisher previews are exactly
//! what the apply step writes.

use super::grade::Grade;
use super::price_csv::{Parsed, RowError, RowErrors};
use crate::domain::ids::{ListingId, VariantId};
use crate::domain::money::Money;
use std::collections::HashMap;

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
}

/// Compares the file with the seller's cells. With `replace_all`, every
/// buying cell the file does not mention stops buying (the file is the
/// whole grid); otherwise only the rows in the file change anything.
pub fn plan(
    parsed: Parsed,
    variant_ids: &HashMap<String, VariantId>,
    existing: &HashMap<(VariantId, Grade), Existing>,
    replace_all: bool,
) -> Plan {
    let mut out = Plan::default();
    let mut found = RowErrors::default();
    let mut seen: HashMap<(VariantId, Grade), usize> = HashMap::with_capacity(parsed.rows.len());
    for row in parsed.rows {
        let Some(&variant_id) = variant_ids.get(&row.sku) else {
            found.push(RowError {
                line: row.line,
                reason: format!("unknown variant SKU \"{}\"", row.sku),
            });
            continue;
        };
        if let Some(first) = seen.insert((variant_id, row.grade), row.line) {
            found.push(RowError {
                line: row.line,
                reason: format!(
                    "{} {} is already on line {first}",
                    row.sku,
                    row.grade.code()
                ),
            });
            continue;
        }
        let before = existing.get(&(variant_id, row.grade)).copied();
        let buying = before.and_then(|b| b.price.map(|p| (p, b.weekly_cap)));
        let change = match (buying, row.price) {
            (None, None) => Change::Unchanged,
            (None, Some(_)) => Change::New,
            (Some(_), None) => Change::Removed,
            (Some((p, cap)), Some(new)) if p == new && cap == row.weekly_cap => Change::Unchanged,
            (Some(_), Some(_)) => Change::Changed,
        };
        out.push(Planned {
            variant_id,
            grade: row.grade,
            price: row.price,
            weekly_cap: row.weekly_cap,
            change,
            before,
        });
    }
    if replace_all {
        let mut missing: Vec<(&(VariantId, Grade), &Existing)> = existing
            .iter()
            .filter(|(key, e)| e.price.is_some() && !seen.contains_key(key))
            .collect();
        missing.sort_by_key(|(key, _)| (key.0, key.1));
        for (&(variant_id, grade), e) in missing {
            out.push(Planned {
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
pub fn fingerprint(existing: &HashMap<(VariantId, Grade), Existing>) -> String {
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

    fn setup() -> (
        HashMap<String, VariantId>,
        HashMap<(VariantId, Grade), Existing>,
    ) {
        let ids = HashMap::from([
            ("a-64gb".to_string(), VariantId(1)),
            ("b-64gb".to_string(), VariantId(2)),
            ("c-64gb".to_string(), VariantId(3)),
        ]);
        let existing = HashMap::from([
            (
                (VariantId(1), Grade::FunctionalGood),
                Existing {
                    listing_id: ListingId(10),
                    price: Some(Money::eur(10_000)),
                    weekly_cap: None,
                    version: 1,
                },
            ),
            (
                (VariantId(1), Grade::FunctionalUsed),
                Existing {
                    listing_id: ListingId(11),
                    price: Some(Money::eur(8_000)),
                    weekly_cap: Some(5),
                    version: 3,
                },
            ),
            (
                (VariantId(2), Grade::FunctionalGood),
                Existing {
                    listing_id: ListingId(12),
                    price: None,
                    weekly_cap: None,
                    version: 2,
                },
            ),
            (
                (VariantId(3), Grade::FunctionalGood),
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
        let p = plan(parse(text).unwrap(), &ids, &existing, false);
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
            parse("variant_sku,grade,price_eur,weekly_cap\na-64gb,functional_good,100,\n").unwrap(),
            &ids,
            &existing,
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
        let p = plan(parse(text).unwrap(), &ids, &existing, false);
        let lines: Vec<usize> = p.errors.first().iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 4, 5]);
        assert!(p.errors.first()[0].reason.contains("unknown variant"));
        assert!(p.errors.first()[1].reason.contains("already on line 3"));
    }

    #[test]
    fn the_fingerprint_follows_every_version() {
        let (_, mut existing) = setup();
        let before = fingerprint(&existing);
        assert_eq!(before, fingerprint(&existing.clone()));
        existing
            .get_mut(&(VariantId(1), Grade::FunctionalGood))
            .unwrap()
            .version += 1;
        assert_ne!(before, fingerprint(&existing));
    }
}
