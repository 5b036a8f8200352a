//! A refurbisher's quality score (0..1000), the tie-breaker between equal
//! offers: consumers should get the buyer who inspects fairly and pays on
//! time. Computed from the last 90 days' scorecard.

use super::kpi::Counts;

/// Below this many trade-ins the score is left as it is.
pub const MIN_VOLUME: i64 = 5;

/// 1000, less: 10 points per percent of counter-offers (at most 400);
/// 2 per percent of inspections and of payments outside their SLA; 20 per
/// dispute per 100 trade-ins (at most 200).
pub fn score(c: &Counts, disputes: i64) -> Option<i64> {
    let volume = c.accepted.max(c.inspected);
    if volume < MIN_VOLUME {
        return None;
    }
    let pct = |num: i64, den: i64| if den > 0 { num * 100 / den } else { 0 };
    let counter = (10 * pct(c.counter_offered, c.inspected)).min(400);
    let inspection = if c.inspected > 0 {
        2 * (100 - pct(c.inspected_within_sla, c.inspected))
    } else {
        0
    };
    let payment = if c.paid > 0 {
        2 * (100 - pct(c.paid_within_sla, c.paid))
    } else {
        0
    };
    let dispute = (20 * disputes * 100 / volume).min(200);
    Some((1000 - counter - inspection - payment - dispute).clamp(0, 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_record_scores_1000_and_problems_cost_points() {
        let clean = Counts {
            accepted: 20,
            inspected: 20,
            inspected_within_sla: 20,
            paid: 20,
            paid_within_sla: 20,
            ..Counts::default()
        };
        assert_eq!(score(&clean, 0), Some(1000));
        let countering = Counts {
            counter_offered: 5,
            ..clean.clone()
        };
        assert_eq!(
            score(&countering, 0),
            Some(750),
            "25% counter-offers cost 250"
        );
        let slow = Counts {
            inspected_within_sla: 10,
            paid_within_sla: 15,
            ..clean.clone()
        };
        assert_eq!(score(&slow, 0), Some(1000 - 100 - 50));
        assert_eq!(score(&clean, 2), Some(800), "2 disputes on 20 trade-ins");
        let awful = Counts {
            counter_offered: 20,
            inspected_within_sla: 0,
            paid_within_sla: 0,
            ..clean.clone()
        };
        assert_eq!(score(&awful, 20), Some(0));
        assert_eq!(
            score(
                &Counts {
                    accepted: 4,
                    ..Counts::default()
                },
                0
            ),
            None,
            "too little volume"
        );
    }
}
