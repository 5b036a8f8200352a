//! The condition questionnaire and the one function that turns its answers
//! into a grade. The consumer's answers and the refurbisher's inspection go
//! through this same function, so both sides grade alike.

use super::grade::Grade;
use serde::{Deserialize, Serialize};

/// Screen and body share one scale; "cracked" means cracked glass for a
/// screen, and cracked or bent for a body.
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
#[strum(serialize_all = "snake_case")]
pub enum Wear {
    Flawless,
    LightScratches,
    VisibleWear,
    Cracked,
}

crate::domain::codes::codes!(Wear);

impl Wear {
    pub const ALL: [Wear; 4] = [
        Wear::Flawless,
        Wear::LightScratches,
        Wear::VisibleWear,
        Wear::Cracked,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Answers {
    /// Turns on and everything works: touchscreen, cameras, buttons,
    /// biometrics, charging; no liquid damage.
    pub works: bool,
    pub screen: Wear,
    pub body: Wear,
}

pub fn grade(answers: Answers) -> Grade {
    let worst = answers.screen.max(answers.body);
    match (answers.works, worst) {
        (true, Wear::Flawless) => Grade::FunctionalFlawless,
        (true, Wear::LightScratches) => Grade::FunctionalGood,
        (true, Wear::VisibleWear) => Grade::FunctionalUsed,
        (true, Wear::Cracked) => Grade::FunctionalCracked,
        (false, Wear::Cracked) => Grade::NotFunctionalCracked,
        (false, _) => Grade::NotFunctionalUsed,
    }
}

/// The questions as people read them: one text per answer, no pictures needed.
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
    pub explanation: &'static str,
}

pub const WORKS_CHOICES: [Choice; 2] = [
    Choice { code: "yes", label: "Yes, it works normally", explanation: "It turns on and holds a charge; touchscreen, cameras, buttons, speakers, Face ID or fingerprint all work; it has never been in water." },
    Choice { code: "no", label: "No, something does not work", explanation: "It does not turn on, or any part fails: screen touch, a camera, a button, biometrics, charging, sound, or it has had liquid damage." },
];

pub const SCREEN_CHOICES: [Choice; 4] = [
    Choice {
        code: "flawless",
        label: "Flawless",
        explanation: "No scratch visible, even when you tilt it under a light.",
    },
    Choice {
        code: "light_scratches",
        label: "Light scratches",
        explanation: "A few fine scratches you only see with the screen off or at an angle.",
    },
    Choice {
        code: "visible_wear",
        label: "Visible scratches",
        explanation: "Scratches you notice with the screen on, but no crack or chip.",
    },
    Choice {
        code: "cracked",
        label: "Cracked",
        explanation:
            "Any crack or chip in the glass, even small, or dead pixels and marks in the display.",
    },
];

pub const BODY_CHOICES: [Choice; 4] = [
    Choice {
        code: "flawless",
        label: "Flawless",
        explanation: "Looks new: no scratch, scuff or dent on the frame or back.",
    },
    Choice {
        code: "light_scratches",
        label: "Light scratches",
        explanation: "Small scuffs or scratches, only visible up close.",
    },
    Choice {
        code: "visible_wear",
        label: "Visible scratches or dents",
        explanation: "Scratches or dents you see at arm's length.",
    },
    Choice {
        code: "cracked",
        label: "Cracked or bent",
        explanation: "A cracked back or frame, or the body is bent.",
    },
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("tell us whether it works normally")]
    MissingWorks,
    #[error("choose the screen's condition")]
    MissingScreen,
    #[error("choose the body's condition")]
    MissingBody,
}

/// Reads the three answers as the questionnaire form sends them.
pub fn parse_answers(
    works: &str,
    screen: &str,
    body: &str,
) -> Result<Answers, Vec<(&'static str, AnswerError)>> {
    let mut errors = Vec::new();
    let works = match works {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(("works", AnswerError::MissingWorks));
            None
        }
    };
    let screen = Wear::parse(screen).or_else(|| {
        errors.push(("screen", AnswerError::MissingScreen));
        None
    });
    let body = Wear::parse(body).or_else(|| {
        errors.push(("body", AnswerError::MissingBody));
        None
    });
    match (works, screen, body) {
        (Some(works), Some(screen), Some(body)) => Ok(Answers {
            works,
            screen,
            body,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every one of the 2 x 4 x 4 answer combinations, written out by hand.
    #[test]
    fn every_combination_has_the_expected_grade() {
        use Grade::*;
        use Wear::*;
        let table: [(bool, Wear, Wear, Grade); 32] = [
            (true, Flawless, Flawless, FunctionalFlawless),
            (true, Flawless, LightScratches, FunctionalGood),
            (true, Flawless, VisibleWear, FunctionalUsed),
            (true, Flawless, Cracked, FunctionalCracked),
            (true, LightScratches, Flawless, FunctionalGood),
            (true, LightScratches, LightScratches, FunctionalGood),
            (true, LightScratches, VisibleWear, FunctionalUsed),
            (true, LightScratches, Cracked, FunctionalCracked),
            (true, VisibleWear, Flawless, FunctionalUsed),
            (true, VisibleWear, LightScratches, FunctionalUsed),
            (true, VisibleWear, VisibleWear, FunctionalUsed),
            (true, VisibleWear, Cracked, FunctionalCracked),
            (true, Cracked, Flawless, FunctionalCracked),
            (true, Cracked, LightScratches, FunctionalCracked),
            (true, Cracked, VisibleWear, FunctionalCracked),
            (true, Cracked, Cracked, FunctionalCracked),
            (false, Flawless, Flawless, NotFunctionalUsed),
            (false, Flawless, LightScratches, NotFunctionalUsed),
            (false, Flawless, VisibleWear, NotFunctionalUsed),
            (false, Flawless, Cracked, NotFunctionalCracked),
            (false, LightScratches, Flawless, NotFunctionalUsed),
            (false, LightScratches, LightScratches, NotFunctionalUsed),
            (false, LightScratches, VisibleWear, NotFunctionalUsed),
            (false, LightScratches, Cracked, NotFunctionalCracked),
            (false, VisibleWear, Flawless, NotFunctionalUsed),
            (false, VisibleWear, LightScratches, NotFunctionalUsed),
            (false, VisibleWear, VisibleWear, NotFunctionalUsed),
            (false, VisibleWear, Cracked, NotFunctionalCracked),
            (false, Cracked, Flawless, NotFunctionalCracked),
            (false, Cracked, LightScratches, NotFunctionalCracked),
            (false, Cracked, VisibleWear, NotFunctionalCracked),
            (false, Cracked, Cracked, NotFunctionalCracked),
        ];
        for (works, screen, body, expected) in table {
            assert_eq!(
                grade(Answers {
                    works,
                    screen,
                    body
                }),
                expected,
                "{works} {screen:?} {body:?}"
            );
        }
    }

    #[test]
    fn worse_answers_never_give_a_better_grade() {
        for works in [true, false] {
            for s in Wear::ALL {
                for b in Wear::ALL {
                    let g = grade(Answers {
                        works,
                        screen: s,
                        body: b,
                    });
                    for s2 in Wear::ALL.into_iter().filter(|w| *w >= s) {
                        for b2 in Wear::ALL.into_iter().filter(|w| *w >= b) {
                            assert!(
                                grade(Answers {
                                    works,
                                    screen: s2,
                                    body: b2
                                }) >= g
                            );
                        }
                    }
                    assert!(
                        grade(Answers {
                            works: false,
                            screen: s,
                            body: b
                        }) >= g
                    );
                }
            }
        }
    }

    #[test]
    fn form_answers_parse_or_say_what_is_missing() {
        assert_eq!(
            parse_answers("yes", "light_scratches", "flawless"),
            Ok(Answers {
                works: true,
                screen: Wear::LightScratches,
                body: Wear::Flawless
            })
        );
        let errors = parse_answers("", "bogus", "cracked").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["works", "screen"]);
        for c in SCREEN_CHOICES.iter().chain(BODY_CHOICES.iter()) {
            assert!(Wear::parse(c.code).is_some());
        }
    }
}
