//! Fraud rules, evaluated when a trade-in is confirmed and when it is
//! inspected. Each rule that fires is a flag; any flag holds the payout
//! until operations release or block it.

use super::money::Totals;
use serde::{Deserialize, Serialize};

/// More trade-ins than this per consumer in 12 months is unusual.
pub const MAX_TRADE_INS_12M: i64 = 5;
/// More than this paid or promised to one consumer in 12 months, in minor
/// units of any one currency (2,000 EUR, GBP or USD).
pub const MAX_VALUE_12M_MINOR: i64 = 200_000;

/// Where a trade-in's payout stands with the fraud review.
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
// On the wire as in the database.
#[serde(rename_all = "snake_case")]
pub enum PayoutHold {
    /// No rule fired.
    #[strum(serialize = "none")]
    #[serde(rename = "none")]
    NotHeld,
    /// A rule fired; operations have not decided.
    Held,
    Released,
    Blocked,
}

crate::domain::codes::codes!(PayoutHold);

impl PayoutHold {
    /// What operations decided on a held payout.
    pub fn decision(release: bool) -> PayoutHold {
        if release {
            PayoutHold::Released
        } else {
            PayoutHold::Blocked
        }
    }
}

impl std::fmt::Display for PayoutHold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

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
pub enum FraudRule {
    BlockedImei,
    RepeatedImei,
    SharedIban,
    ManyTradeIns,
    HighValue,
    ImeiMismatch,
}

crate::domain::codes::codes!(FraudRule);

impl FraudRule {
    pub const ALL: [FraudRule; 6] = [
        FraudRule::BlockedImei,
        FraudRule::RepeatedImei,
        FraudRule::SharedIban,
        FraudRule::ManyTradeIns,
        FraudRule::HighValue,
        FraudRule::ImeiMismatch,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FraudRule::BlockedImei => "IMEI on the blocklist",
            FraudRule::RepeatedImei => "Same IMEI in several trade-ins",
            FraudRule::SharedIban => "Same IBAN used by different consumers",
            FraudRule::ManyTradeIns => "More than 5 trade-ins in 12 months",
            FraudRule::HighValue => "More than 2,000 EUR in 12 months",
            FraudRule::ImeiMismatch => "Declared and found IMEI differ",
        }
    }
}

/// What the database knows about one trade-in and its consumer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub imei_blocked: bool,
    /// Other trade-ins (any consumer) with the same IMEI.
    pub same_imei_elsewhere: i64,
    /// Other consumers whose trade-ins used the same IBAN.
    pub iban_other_consumers: i64,
    /// This consumer's trade-ins in the last 12 months, this one included.
    pub trade_ins_12m: i64,
    /// Their value (locked or final prices), this one included: one total
    /// per currency.
    pub value_12m: Totals,
    pub declared_imei: Option<String>,
    /// None until inspection.
    pub found_imei: Option<String>,
}

/// Nothing known yet, so no rule fires: the repository fills in what it
/// finds.
impl Default for Facts {
    fn default() -> Facts {
        Facts {
            imei_blocked: false,
            same_imei_elsewhere: 0,
            iban_other_consumers: 0,
            trade_ins_12m: 0,
            value_12m: Totals::default(),
            declared_imei: None,
            found_imei: None,
        }
    }
}

/// What a rule found, for a reviewer to check. Stored as JSON
/// (`to_stored`) so the review page can write it in its reader's language;
/// `Display` is the English sentence, for logs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FlagDetail {
    #[error("the device's IMEI is on the blocklist")]
    Blocklisted,
    #[error("the IMEI appears in {others} other trade-in(s)")]
    RepeatedImei { others: i64 },
    #[error("the IBAN was also given by {others} other consumer(s)")]
    SharedIban { others: i64 },
    #[error("{count} trade-ins in 12 months")]
    ManyTradeIns { count: i64 },
    #[error("{total} in 12 months")]
    HighValue { total: Totals },
    #[error("declared {declared}, found {found}")]
    ImeiMismatch { declared: String, found: String },
}

impl FlagDetail {
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a flag detail serialises")
    }

    /// None for a detail stored as an English sentence, as flags raised
    /// before details were stored as values are.
    pub fn from_stored(stored: &str) -> Option<FlagDetail> {
        serde_json::from_str(stored).ok()
    }
}

/// Every rule that fires, with what it found.
pub fn evaluate(f: &Facts) -> Vec<(FraudRule, FlagDetail)> {
    let mut out = Vec::new();
    if f.imei_blocked {
        out.push((FraudRule::BlockedImei, FlagDetail::Blocklisted));
    }
    if f.same_imei_elsewhere > 0 {
        out.push((
            FraudRule::RepeatedImei,
            FlagDetail::RepeatedImei {
                others: f.same_imei_elsewhere,
            },
        ));
    }
    if f.iban_other_consumers > 0 {
        out.push((
            FraudRule::SharedIban,
            FlagDetail::SharedIban {
                others: f.iban_other_consumers,
            },
        ));
    }
    if f.trade_ins_12m > MAX_TRADE_INS_12M {
        out.push((
            FraudRule::ManyTradeIns,
            FlagDetail::ManyTradeIns {
                count: f.trade_ins_12m,
            },
        ));
    }
    if f.value_12m
        .amounts()
        .iter()
        .any(|m| m.minor() > MAX_VALUE_12M_MINOR)
    {
        out.push((
            FraudRule::HighValue,
            FlagDetail::HighValue {
                total: f.value_12m.clone(),
            },
        ));
    }
    if let (Some(declared), Some(found)) = (&f.declared_imei, &f.found_imei) {
        if !found.is_empty() && declared != found {
            out.push((
                FraudRule::ImeiMismatch,
                FlagDetail::ImeiMismatch {
                    declared: declared.clone(),
                    found: found.clone(),
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Money;

    #[test]
    fn each_rule_fires_on_its_own_fact() {
        assert!(
            evaluate(&Facts {
                trade_ins_12m: 5,
                value_12m: [
                    Money::eur(200_000),
                    Money::new(150_000, crate::domain::money::Currency::Gbp)
                ]
                .into_iter()
                .collect(),
                ..Facts::default()
            })
            .is_empty(),
            "limits are inclusive"
        );
        let rules = |f: Facts| evaluate(&f).into_iter().map(|(r, _)| r).collect::<Vec<_>>();
        assert_eq!(
            rules(Facts {
                imei_blocked: true,
                ..Facts::default()
            }),
            vec![FraudRule::BlockedImei]
        );
        assert_eq!(
            rules(Facts {
                same_imei_elsewhere: 1,
                ..Facts::default()
            }),
            vec![FraudRule::RepeatedImei]
        );
        assert_eq!(
            rules(Facts {
                iban_other_consumers: 2,
                ..Facts::default()
            }),
            vec![FraudRule::SharedIban]
        );
        assert_eq!(
            rules(Facts {
                trade_ins_12m: 6,
                ..Facts::default()
            }),
            vec![FraudRule::ManyTradeIns]
        );
        assert_eq!(
            rules(Facts {
                value_12m: [Money::eur(200_001)].into_iter().collect(),
                ..Facts::default()
            }),
            vec![FraudRule::HighValue]
        );
        let mismatch = Facts {
            declared_imei: Some("1".into()),
            found_imei: Some("2".into()),
            ..Facts::default()
        };
        assert_eq!(rules(mismatch), vec![FraudRule::ImeiMismatch]);
        let same = Facts {
            declared_imei: Some("1".into()),
            found_imei: Some("1".into()),
            ..Facts::default()
        };
        assert!(rules(same).is_empty());
        for r in FraudRule::ALL {
            assert_eq!(FraudRule::parse(r.code()), Some(r));
        }
        let not_found_yet = Facts {
            declared_imei: Some("1".into()),
            found_imei: None,
            ..Facts::default()
        };
        assert!(rules(not_found_yet).is_empty());
    }
}
