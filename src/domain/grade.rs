//! The six condition grades every layer speaks (see DESIGN.md).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A device's condition. Declared best first: the derived `Ord` means
/// "smaller is better", which inspection and offers rely on.
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
)]
#[strum(serialize_all = "snake_case")]
pub enum Grade {
    FunctionalFlawless,
    FunctionalGood,
    FunctionalUsed,
    FunctionalCracked,
    NotFunctionalUsed,
    NotFunctionalCracked,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown grade \"{0}\"")]
pub struct UnknownGrade(pub String);

// `code()`: the stable machine code, used in the database, URLs and CSV files.
crate::domain::codes::code!(Grade);

impl Grade {
    pub const ALL: [Grade; 6] = [
        Grade::FunctionalFlawless,
        Grade::FunctionalGood,
        Grade::FunctionalUsed,
        Grade::FunctionalCracked,
        Grade::NotFunctionalUsed,
        Grade::NotFunctionalCracked,
    ];

    fn pascal(self) -> &'static str {
        match self {
            Grade::FunctionalFlawless => "FunctionalFlawless",
            Grade::FunctionalGood => "FunctionalGood",
            Grade::FunctionalUsed => "FunctionalUsed",
            Grade::FunctionalCracked => "FunctionalCracked",
            Grade::NotFunctionalUsed => "NotFunctionalUsed",
            Grade::NotFunctionalCracked => "NotFunctionalCracked",
        }
    }

    /// Short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Grade::FunctionalFlawless => "Works, flawless",
            Grade::FunctionalGood => "Works, light wear",
            Grade::FunctionalUsed => "Works, visible wear",
            Grade::FunctionalCracked => "Works, cracked",
            Grade::NotFunctionalUsed => "Faulty, not cracked",
            Grade::NotFunctionalCracked => "Faulty and cracked",
        }
    }

    pub fn works(self) -> bool {
        matches!(
            self,
            Grade::FunctionalFlawless
                | Grade::FunctionalGood
                | Grade::FunctionalUsed
                | Grade::FunctionalCracked
        )
    }

    /// Accepts the snake_case code or the PascalCase name, ignoring case and
    /// surrounding blanks, so spreadsheets written by people still parse.
    pub fn parse(input: &str) -> Result<Grade, UnknownGrade> {
        let wanted = input.trim();
        Grade::ALL
            .into_iter()
            .find(|g| {
                g.code().eq_ignore_ascii_case(wanted) || g.pascal().eq_ignore_ascii_case(wanted)
            })
            .ok_or_else(|| UnknownGrade(wanted.chars().take(40).collect()))
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.code()), Ok(g));
            assert_eq!(Grade::parse(g.pascal()), Ok(g));
            assert!(seen.insert(g.code()));
        }
    }

    #[test]
    fn parse_is_forgiving_about_case_and_blanks_only() {
        assert_eq!(
            Grade::parse("  FUNCTIONAL_GOOD "),
            Ok(Grade::FunctionalGood)
        );
        assert!(Grade::parse("good").is_err());
        assert!(Grade::parse("").is_err());
    }

    #[test]
    fn order_is_best_first() {
        assert!(Grade::FunctionalFlawless < Grade::FunctionalCracked);
        assert!(Grade::FunctionalCracked < Grade::NotFunctionalUsed);
        assert!(Grade::ALL.windows(2).all(|w| w[0] < w[1]));
    }
}
