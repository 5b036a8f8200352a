//! What an alert's rule found, kept as values with the alert: its title and
//! detail are written from them in any language of the areas. The English
//! ones are also stored as text, as they were mailed and posted.

use crate::domain::alerts::Rule;
use crate::domain::dates::Date;
use crate::domain::grade::Grade;
use crate::domain::market::Market;
use crate::i18n::staff::{Staff, StaffTexts};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertFacts {
    /// Rates and the threshold in hundredths of a percent.
    CounterRate {
        company: String,
        rate: i64,
        countered: i64,
        inspected: i64,
        threshold: i64,
    },
    Late {
        rule: Rule,
        company: String,
        n: i64,
        threshold: i64,
    },
    ThinMarket {
        sku: String,
        grade: Grade,
        market: Market,
        bidders: usize,
        views: i64,
    },
    /// The drop in hundredths of a point, the rates in hundredths of a
    /// percent.
    ConversionDrop {
        drop: i64,
        now: Option<i64>,
        before: Option<i64>,
        day: Date,
    },
    CapsReached {
        company: String,
        cap: i64,
        units: i64,
    },
}

impl AlertFacts {
    pub fn title(&self, st: StaffTexts) -> String {
        match self {
            AlertFacts::CounterRate { company, rate, .. } => st.fill(
                Staff::AlertsCounterRateTitle,
                &[("company", company), ("rate", &tenths(st, *rate))],
            ),
            AlertFacts::Late {
                rule, company, n, ..
            } => st.fill(
                if *rule == Rule::InspectionSla {
                    Staff::AlertsInspectionSlaTitle
                } else {
                    Staff::AlertsPayoutOverdueTitle
                },
                &[("company", company), ("n", n)],
            ),
            AlertFacts::ThinMarket {
                sku,
                grade,
                market,
                bidders,
                ..
            } => {
                let words = st.vocabulary();
                st.fill(
                    if *bidders == 0 {
                        Staff::AlertsThinMarketNoOffer
                    } else {
                        Staff::AlertsThinMarketOneBidder
                    },
                    &[
                        ("sku", sku),
                        ("grade", &words.grade(*grade)),
                        (
                            "market",
                            &crate::features::pricing::market_name(words, *market),
                        ),
                    ],
                )
            }
            AlertFacts::ConversionDrop { drop, .. } => st.fill(
                Staff::AlertsConversionDropTitle,
                &[("drop", &tenths(st, *drop))],
            ),
            AlertFacts::CapsReached { company, cap, .. } => st.fill(
                Staff::AlertsCapsTitle,
                &[("company", company), ("cap", cap)],
            ),
        }
    }

    pub fn detail(&self, st: StaffTexts) -> String {
        match self {
            AlertFacts::CounterRate {
                countered,
                inspected,
                threshold,
                ..
            } => st.fill(
                Staff::AlertsCounterRateDetail,
                &[
                    ("countered", countered),
                    ("inspected", inspected),
                    ("threshold", &hundredths(st, *threshold)),
                ],
            ),
            AlertFacts::Late {
                rule, threshold, ..
            } => st.fill(
                Staff::AlertsThresholdDetail,
                &[(
                    "threshold",
                    &local_decimal(st, rule.format_threshold(*threshold)),
                )],
            ),
            AlertFacts::ThinMarket { views, .. } => {
                st.fill(Staff::AlertsThinMarketDetail, &[("views", views)])
            }
            AlertFacts::ConversionDrop {
                now, before, day, ..
            } => {
                let rate = |v: &Option<i64>| v.map(|v| tenths(st, v)).unwrap_or_default();
                st.fill(
                    Staff::AlertsConversionDropDetail,
                    &[("now", &rate(now)), ("day", day), ("before", &rate(before))],
                )
            }
            AlertFacts::CapsReached { units, .. } => {
                st.fill(Staff::AlertsCapsDetail, &[("units", units)])
            }
        }
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("alert facts serialise")
    }

    /// None for an alert raised before facts were kept.
    pub fn from_stored(stored: Option<&str>) -> Option<AlertFacts> {
        serde_json::from_str(stored?).ok()
    }
}

/// Hundredths written with one decimal, as `Kpi::format` writes rates:
/// 3125 is "31.2" ("31,2" in French).
fn tenths(st: StaffTexts, hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let v = hundredths.abs();
    local_decimal(st, format!("{sign}{}.{}", v / 100, v % 100 / 10))
}

/// A threshold in hundredths as the rules write it: "30", "12.5".
fn hundredths(st: StaffTexts, v: i64) -> String {
    local_decimal(st, Rule::CounterOfferRate.format_threshold(v))
}

fn local_decimal(st: StaffTexts, english: String) -> String {
    if st.lang() == Lang::Fr {
        english.replace('.', ",")
    } else {
        english
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_reads_in_each_language_of_the_areas() {
        let (en, fr) = (StaffTexts::of(Lang::En), StaffTexts::of(Lang::Fr));
        let rate = AlertFacts::CounterRate {
            company: "Fix: It".into(),
            rate: 3125,
            countered: 5,
            inspected: 16,
            threshold: 2500,
        };
        assert_eq!(
            rate.title(en),
            "Fix: It: counter-offer rate 31.2% over 7 days"
        );
        assert!(rate.title(fr).contains("31,2"), "{}", rate.title(fr));
        assert!(
            rate.detail(en).contains("(threshold 25%)"),
            "{}",
            rate.detail(en)
        );

        let thin = AlertFacts::ThinMarket {
            sku: "IP13 (128)".into(),
            grade: Grade::FunctionalGood,
            market: Market::DeDe,
            bidders: 1,
            views: 40,
        };
        assert_eq!(
            thin.title(en),
            format!(
                "IP13 (128) ({}) in Germany: one bidder only for a popular device",
                Grade::FunctionalGood.label()
            )
        );
        assert!(thin.title(fr).contains("Allemagne"), "{}", thin.title(fr));

        let drop = AlertFacts::ConversionDrop {
            drop: 540,
            now: Some(1210),
            before: None,
            day: Date::from_unix_ms(0),
        };
        assert_eq!(drop.title(en), "Conversion down 5.4 pts week over week");
        assert!(drop.title(fr).contains("5,4"), "{}", drop.title(fr));

        let stored = rate.to_stored();
        assert_eq!(AlertFacts::from_stored(Some(&stored)), Some(rate));
        assert_eq!(AlertFacts::from_stored(Some("not json")), None);
        assert_eq!(AlertFacts::from_stored(None), None);
    }
}
