//! Alert rules operations watch, with editable thresholds. The facts come
//! from the database; whether a rule fires is decided here.

use serde::{Deserialize, Serialize};

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum Rule {
    /// A refurbisher's counter-offer rate over 7 days, in percent.
    CounterOfferRate,
    /// Devices received and not inspected within the SLA, per refurbisher.
    InspectionSla,
    /// Validated trade-ins not paid within the SLA, per refurbisher.
    PayoutOverdue,
    /// Variants shown at least this often in 7 days with at most one bidder.
    ThinMarket,
    /// Conversion down by more than this many points, last 7 days against the 7 before.
    ConversionDrop,
    /// A refurbisher's weekly cap reached on or before this weekday (1 = Monday).
    CapsExhaustedEarly,
}

crate::domain::codes::codes!(Rule);

/// Where an alert stands with operations: new, seen (someone is on it),
/// or over. Only one alert per rule and subject is not resolved.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
// On the wire as in the database.
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    Open,
    Acknowledged,
    Resolved,
}

crate::domain::codes::codes!(AlertState);

impl Rule {
    pub const ALL: [Rule; 6] = [
        Rule::CounterOfferRate,
        Rule::InspectionSla,
        Rule::PayoutOverdue,
        Rule::ThinMarket,
        Rule::ConversionDrop,
        Rule::CapsExhaustedEarly,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Rule::CounterOfferRate => "Refurbisher counter-offer rate over 7 days above (%)",
            Rule::InspectionSla => "Devices past the inspection SLA, per refurbisher, at least",
            Rule::PayoutOverdue => "Payouts overdue, per refurbisher, at least",
            Rule::ThinMarket => "Variant shown this many times in 7 days with one bidder or none",
            Rule::ConversionDrop => "Conversion down week over week by more than (points)",
            Rule::CapsExhaustedEarly => "Refurbisher's weekly cap reached by weekday (1 = Monday)",
        }
    }

    /// Thresholds are stored as integers: percents and points in
    /// hundredths, counts and weekdays as they are.
    pub fn default_threshold(self) -> i64 {
        match self {
            Rule::CounterOfferRate => 2_500,
            Rule::InspectionSla => 1,
            Rule::PayoutOverdue => 1,
            Rule::ThinMarket => 20,
            Rule::ConversionDrop => 300,
            Rule::CapsExhaustedEarly => 3,
        }
    }

    fn hundredths(self) -> bool {
        matches!(self, Rule::CounterOfferRate | Rule::ConversionDrop)
    }

    pub fn parse_threshold(self, text: &str) -> Result<i64, String> {
        let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
        let err = || match self {
            Rule::CounterOfferRate => "a percentage from 1 to 100, e.g. 25".to_string(),
            Rule::ConversionDrop => "points from 0.1 to 100, e.g. 3 or 2.5".to_string(),
            Rule::CapsExhaustedEarly => "a weekday from 1 (Monday) to 7 (Sunday)".to_string(),
            _ => "a whole number from 1 to 100,000".to_string(),
        };
        let value = if self.hundredths() {
            let (w, f) = t.split_once('.').unwrap_or((&t, ""));
            if w.is_empty()
                || !w.chars().all(|c| c.is_ascii_digit())
                || w.len() > 3
                || f.len() > 2
                || !f.chars().all(|c| c.is_ascii_digit())
            {
                return Err(err());
            }
            w.parse::<i64>().map_err(|_| err())? * 100
                + if f.is_empty() {
                    0
                } else {
                    format!("{f:0<2}").parse::<i64>().map_err(|_| err())?
                }
        } else {
            t.parse::<i64>().map_err(|_| err())?
        };
        let range = match self {
            Rule::CounterOfferRate => 100..=10_000,
            Rule::ConversionDrop => 10..=10_000,
            Rule::CapsExhaustedEarly => 1..=7,
            _ => 1..=100_000,
        };
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(err())
        }
    }

    pub fn format_threshold(self, v: i64) -> String {
        if self.hundredths() {
            if v % 100 == 0 {
                format!("{}", v / 100)
            } else {
                format!("{}.{:02}", v / 100, v % 100)
                    .trim_end_matches('0')
                    .to_string()
            }
        } else {
            v.to_string()
        }
    }
}

/// A refurbisher's counter-offer rate fires only on enough inspections to
/// mean something.
pub const MIN_INSPECTIONS_FOR_RATE: i64 = 5;

/// Counter-offers per inspection (hundredths of a percent) above the threshold.
pub fn counter_rate_fires(inspected: i64, counter_offered: i64, threshold: i64) -> Option<i64> {
    if inspected < MIN_INSPECTIONS_FOR_RATE {
        return None;
    }
    let rate = counter_offered * 10_000 / inspected;
    (rate > threshold).then_some(rate)
}

/// Conversion fell by more than `threshold` points (hundredths).
pub fn conversion_drop_fires(
    now_bp: Option<i64>,
    before_bp: Option<i64>,
    threshold: i64,
) -> Option<i64> {
    let drop = before_bp? - now_bp?;
    (drop > threshold).then_some(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_read_and_print() {
        assert_eq!(Rule::CounterOfferRate.parse_threshold("25"), Ok(2_500));
        assert_eq!(Rule::CounterOfferRate.parse_threshold("12,5 %"), Ok(1_250));
        assert!(Rule::CounterOfferRate.parse_threshold("0").is_err());
        assert!(Rule::CounterOfferRate.parse_threshold("101").is_err());
        assert_eq!(Rule::ConversionDrop.parse_threshold("2.5"), Ok(250));
        assert_eq!(Rule::CapsExhaustedEarly.parse_threshold("3"), Ok(3));
        assert!(Rule::CapsExhaustedEarly.parse_threshold("8").is_err());
        assert!(Rule::InspectionSla.parse_threshold("-1").is_err());
        assert!(Rule::InspectionSla.parse_threshold("lots").is_err());
        assert_eq!(Rule::ConversionDrop.format_threshold(250), "2.5");
        assert_eq!(Rule::CounterOfferRate.format_threshold(2_500), "25");
        for r in Rule::ALL {
            assert_eq!(
                r.parse_threshold(&r.format_threshold(r.default_threshold())),
                Ok(r.default_threshold()),
                "{r:?}"
            );
        }
    }

    #[test]
    fn rules_fire_above_their_thresholds() {
        assert_eq!(counter_rate_fires(4, 4, 2_500), None, "too few inspections");
        assert_eq!(counter_rate_fires(10, 3, 2_500), Some(3_000));
        assert_eq!(counter_rate_fires(10, 2, 2_500), None);
        assert_eq!(
            conversion_drop_fires(Some(1_000), Some(1_400), 300),
            Some(400)
        );
        assert_eq!(conversion_drop_fires(Some(1_200), Some(1_400), 300), None);
        assert_eq!(conversion_drop_fires(None, Some(1_400), 300), None);
    }
}
