//! Typo-tolerant device search over the catalog's model names. Small enough
//! (a few hundred models) to rank in memory on every keystroke.
//!
//! A query matches a model when every query word matches a word of the
//! model (brand included), by prefix or within a small edit distance; words
//! glued together ("iphone13") are split where letters meet digits, and
//! common short names ("ps5") are aliases.

/// One searchable model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: usize,
    pub brand: String,
    pub name: String,
    pub release_year: i64,
}

/// Lower-case words, split at spaces, punctuation and letter/digit borders:
/// "iPhone13 Pro" -> ["iphone", "13", "pro"].
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut last_digit: Option<bool> = None;
    for c in text.chars().flat_map(char::to_lowercase) {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            last_digit = None;
            continue;
        }
        let digit = c.is_ascii_digit();
        if last_digit.is_some_and(|d| d != digit) && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
        last_digit = Some(digit);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Short names people type for some devices.
fn aliases(name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut extra = Vec::new();
    if let Some(rest) = lower.strip_prefix("playstation ") {
        extra.push(format!(
            "ps{}",
            rest.split_whitespace().next().unwrap_or_default()
        ));
        extra.push("ps".to_string());
    }
    if lower.starts_with("xbox series") {
        extra.push("xbox series".to_string());
    }
    if lower.contains("macbook") {
        extra.push("mac".to_string());
    }
    extra
}

/// Levenshtein distance with an early exit once it exceeds `max`.
fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Rows of the distance table: `prev` is row i, `before` row i - 1.
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            // Adjacent swap ("iphnoe") counts as one edit.
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                cur[j + 1] = cur[j + 1].min(before[j - 1] + 1);
            }
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        before = std::mem::replace(&mut prev, cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// Mismatch cost of one query word against one model word; None = no match.
fn word_cost(query: &str, target: &str) -> Option<u32> {
    if query == target {
        return Some(0);
    }
    let numeric = query.chars().all(|c| c.is_ascii_digit());
    if numeric {
        // "13" must not match "12", but a prefix of a longer number may
        // ("1" while typing "13").
        return target.starts_with(query).then_some(2);
    }
    if target.starts_with(query) {
        return Some(1);
    }
    // Short words get fewer edits, or "pro" would match "pad"; a
    // three-letter word gets one when its first letter is right ("por").
    let allowed = match query.chars().count() {
        0..=2 => 0,
        3 if query.chars().next() == target.chars().next() => 1,
        3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    edit_distance(query, target, allowed)
        .map(|d| 3 + 3 * d as u32)
        .or_else(|| {
            // A typo inside a word still being typed: compare with the target's
            // beginning of the same length.
            let prefix: String = target.chars().take(query.chars().count()).collect();
            (allowed > 0 && prefix.len() < target.len())
                .then(|| edit_distance(query, &prefix, allowed))
                .flatten()
                .map(|d| 4 + 3 * d as u32)
        })
}

/// Ranks entries for `query`, best first, at most `limit`.
pub fn rank(query: &str, entries: &[Entry], limit: usize) -> Vec<usize> {
    let query_words = words(query);
    if query_words.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(u32, i64, usize, usize)> = Vec::new();
    for e in entries {
        let mut targets = words(&format!("{} {}", e.brand, e.name));
        for alias in aliases(&e.name) {
            targets.extend(words(&alias));
            targets.push(alias.replace(' ', ""));
        }
        let model_words = words(&e.name);
        let mut total = 0u32;
        let mut matched_all = true;
        for q in &query_words {
            match targets.iter().filter_map(|t| word_cost(q, t)).min() {
                Some(c) => total += c,
                None => {
                    matched_all = false;
                    break;
                }
            }
        }
        if matched_all {
            // Prefer models with fewer unmatched extra words: "iPhone 13"
            // before "iPhone 13 Pro Max" for the query "iphone 13".
            let extra = model_words.len().saturating_sub(query_words.len()) as u32;
            scored.push((total * 10 + extra, -e.release_year, e.name.len(), e.id));
        }
    }
    scored.sort();
    scored
        .into_iter()
        .take(limit)
        .map(|(_, _, _, id)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Vec<Entry> {
        let rows = [
            ("Apple", "iPhone 13", 2021),
            ("Apple", "iPhone 13 mini", 2021),
            ("Apple", "iPhone 13 Pro", 2021),
            ("Apple", "iPhone 13 Pro Max", 2021),
            ("Apple", "iPhone 12", 2020),
            ("Apple", "iPhone SE (2022)", 2022),
            ("Samsung", "Galaxy S21", 2021),
            ("Samsung", "Galaxy S21 Ultra", 2021),
            ("Samsung", "Galaxy S21 FE", 2022),
            ("Samsung", "Galaxy S22", 2022),
            ("Sony", "PlayStation 5", 2020),
            ("Sony", "PlayStation 5 Digital Edition", 2020),
            ("Sony", "PlayStation 4", 2013),
            ("Microsoft", "Xbox Series X", 2020),
            ("Apple", "MacBook Air 13 (M2 2022)", 2022),
        ];
        rows.iter()
            .enumerate()
            .map(|(id, (b, n, y))| Entry {
                id,
                brand: b.to_string(),
                name: n.to_string(),
                release_year: *y,
            })
            .collect()
    }

    fn names(query: &str) -> Vec<String> {
        let c = catalog();
        rank(query, &c, 10)
            .into_iter()
            .map(|i| c[i].name.clone())
            .collect()
    }

    #[test]
    fn splits_glued_words() {
        assert_eq!(words("iPhone13 Pro"), ["iphone", "13", "pro"]);
        assert_eq!(words("Galaxy S21+"), ["galaxy", "s", "21"]);
        assert_eq!(words("ps5"), ["ps", "5"]);
    }

    #[test]
    fn finds_what_people_type() {
        assert_eq!(names("iphone13")[0], "iPhone 13");
        assert!(names("iphone13").iter().all(|n| n.contains("13")));
        assert_eq!(names("galaxy s21")[0], "Galaxy S21");
        assert!(!names("galaxy s21").contains(&"Galaxy S22".to_string()));
        assert_eq!(names("ps5")[0], "PlayStation 5");
        assert!(!names("ps5").contains(&"PlayStation 4".to_string()));
        assert_eq!(names("macbook air")[0], "MacBook Air 13 (M2 2022)");
    }

    #[test]
    fn distance_counts_swaps_as_one_edit() {
        assert_eq!(edit_distance("iphnoe", "iphone", 2), Some(1));
        assert_eq!(edit_distance("galxy", "galaxy", 1), Some(1));
        assert_eq!(edit_distance("abc", "xyz", 1), None);
        assert_eq!(edit_distance("same", "same", 0), Some(0));
    }

    #[test]
    fn tolerates_typos() {
        assert_eq!(names("iphnoe 13")[0], "iPhone 13");
        assert_eq!(names("iphone 13 por")[0], "iPhone 13 Pro");
        assert_eq!(names("galxy s21 ultra")[0], "Galaxy S21 Ultra");
        assert_eq!(names("playstaton 5")[0], "PlayStation 5");
        assert_eq!(names("samsung")[0..2].len(), 2);
    }

    #[test]
    fn numbers_must_match() {
        assert!(!names("iphone 12").iter().any(|n| n.contains("13")));
        assert!(names("zzzz").is_empty());
        assert!(names("   ").is_empty());
    }
}
