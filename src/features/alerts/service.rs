//! Alerts: the rules (`domain::alerts`) evaluated on a timer and on demand;
//! each problem lands once in the inbox (a rule firing again only refreshes
//! it), and new ones go to operations by email and, when
//! `ALERT_WEBHOOK_URL` is set, as a JSON POST.

use crate::domain::alerts::{conversion_drop_fires, counter_rate_fires, Rule};
use crate::domain::dates::{week_start_ms, Date, DAY_MS};
use crate::domain::ids::{AlertId, UserId};
use crate::domain::kpi::Kpi;
use crate::domain::sla::{inspect_due_ms, pay_due_ms};
use crate::error::AppError;
use crate::features::audit::service::AuditEntry;
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use crate::i18n::Lang;
use crate::platform::db::db_error;
use crate::platform::jobs::ClaimedJob;
use crate::platform::mail::enqueue;
use crate::platform::state::AppState;
use std::collections::BTreeMap;

// What other features run on their own connection, inside their own transaction.
pub use super::repo::ops_emails;
pub use super::repo::{inbox, rules};

/// Posts one new alert to `ALERT_WEBHOOK_URL`; its key is the alert's id,
/// its payload the JSON posted.
pub const WEBHOOK_JOB: &str = "alert_webhook";

/// Runs a `WEBHOOK_JOB`: the alert as it was raised, posted once (retried
/// while the receiver fails).
pub async fn push_webhook(state: AppState, job: ClaimedJob) -> Result<(), String> {
    let Some(sink) = &state.webhook else {
        return Ok(());
    };
    let body: serde_json::Value = serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
    sink.push(&body).await
}

struct Firing {
    rule: Rule,
    subject: String,
    title: String,
    detail: String,
}

async fn evaluate(state: &AppState) -> Result<Vec<Firing>, sqlx::Error> {
    // Stored, mailed and posted in English; the inbox shows them in its
    // reader's language (`localized`).
    let en = StaffTexts::of(Lang::En);
    let now = state.clock.now_ms();
    let mut conn = state.db.pool().acquire().await?;
    let rules = crate::features::alerts::repo::rules(&mut *conn).await?;
    let mut out = Vec::new();
    for (rule, threshold, enabled) in rules {
        if !enabled {
            continue;
        }
        match rule {
            Rule::CounterOfferRate => {
                for (id, company, inspected, countered) in
                    crate::features::alerts::repo::counter_rates(&mut conn, now - 7 * DAY_MS)
                        .await?
                {
                    if let Some(rate) = counter_rate_fires(inspected, countered, threshold) {
                        out.push(Firing {
                            rule,
                            subject: format!("seller:{id}"),
                            title: en.fill(
                                Staff::AlertsCounterRateTitle,
                                &[
                                    ("company", &company),
                                    ("rate", &format!("{}.{}", rate / 100, rate % 100 / 10)),
                                ],
                            ),
                            detail: en.fill(
                                Staff::AlertsCounterRateDetail,
                                &[
                                    ("countered", &countered),
                                    ("inspected", &inspected),
                                    ("threshold", &rule.format_threshold(threshold)),
                                ],
                            ),
                        });
                    }
                }
            }
            Rule::InspectionSla | Rule::PayoutOverdue => {
                let (states, column, due): (&str, &str, fn(i64) -> i64) =
                    if rule == Rule::InspectionSla {
                        ("'received', 'inspecting'", "received_at", inspect_due_ms)
                    } else {
                        ("'validated'", "validated_at", pay_due_ms)
                    };
                let mut late: BTreeMap<(i64, String), i64> = BTreeMap::new();
                for (id, company, at) in
                    crate::features::alerts::repo::waiting(&mut conn, states, column).await?
                {
                    if due(at) < now {
                        *late.entry((id, company)).or_default() += 1;
                    }
                }
                for ((id, company), n) in late {
                    if n >= threshold {
                        let title = if rule == Rule::InspectionSla {
                            Staff::AlertsInspectionSlaTitle
                        } else {
                            Staff::AlertsPayoutOverdueTitle
                        };
                        out.push(Firing {
                            rule,
                            subject: format!("seller:{id}"),
                            title: en.fill(title, &[("company", &company), ("n", &n)]),
                            detail: en
                                .fill(Staff::AlertsThresholdDetail, &[("threshold", &threshold)]),
                        });
                    }
                }
            }
            Rule::ThinMarket => {
                let week = week_start_ms(now);
                for (market, variant, grade, sku, views) in crate::features::alerts::repo::popular(
                    &mut conn,
                    now - 7 * DAY_MS,
                    threshold,
                    50,
                )
                .await?
                {
                    let (Ok(g), Some(m)) = (
                        crate::domain::grade::Grade::parse(&grade),
                        crate::domain::market::Market::parse(&market),
                    ) else {
                        continue;
                    };
                    let bidders = crate::features::offers::service::candidates(
                        &mut *conn, m, variant, g, week,
                    )
                    .await?
                    .iter()
                    .filter(|c| c.is_eligible())
                    .count();
                    if bidders <= 1 {
                        out.push(Firing {
                            rule,
                            subject: format!("variant:{market}:{sku}:{grade}"),
                            title: en.fill(
                                if bidders == 0 {
                                    Staff::AlertsThinMarketNoOffer
                                } else {
                                    Staff::AlertsThinMarketOneBidder
                                },
                                &[("sku", &sku), ("grade", &g.label()), ("market", &m.name())],
                            ),
                            detail: en.fill(Staff::AlertsThinMarketDetail, &[("views", &views)]),
                        });
                    }
                }
            }
            Rule::ConversionDrop => {
                let all = crate::features::kpis::service::Filter::default();
                let cur =
                    crate::features::kpis::service::totals(&mut conn, now - 7 * DAY_MS, now, &all)
                        .await?;
                let before = crate::features::kpis::service::totals(
                    &mut conn,
                    now - 14 * DAY_MS,
                    now - 7 * DAY_MS,
                    &all,
                )
                .await?;
                if let Some(drop) = conversion_drop_fires(
                    Kpi::Conversion.value(&cur),
                    Kpi::Conversion.value(&before),
                    threshold,
                ) {
                    let day = Date::from_unix_ms(now);
                    // Percent and points with one decimal, as `Kpi::format` writes them.
                    let rate = |bp: Option<i64>| {
                        bp.map(|v| format!("{}.{}", v / 100, (v % 100).abs() / 10))
                            .unwrap_or_default()
                    };
                    out.push(Firing {
                        rule,
                        subject: format!("conversion:{}", Date::from_unix_ms(week_start_ms(now))),
                        title: en.fill(
                            Staff::AlertsConversionDropTitle,
                            &[("drop", &format!("{}.{}", drop / 100, (drop % 100) / 10))],
                        ),
                        detail: en.fill(
                            Staff::AlertsConversionDropDetail,
                            &[
                                ("now", &rate(Kpi::Conversion.value(&cur))),
                                ("day", &day),
                                ("before", &rate(Kpi::Conversion.value(&before))),
                            ],
                        ),
                    });
                }
            }
            Rule::CapsExhaustedEarly => {
                let week = week_start_ms(now);
                let weekday = i64::from(Date::from_unix_ms(now).weekday());
                if weekday <= threshold {
                    for (id, company, cap, units) in
                        crate::features::alerts::repo::capped(&mut conn, week).await?
                    {
                        if units >= cap {
                            out.push(Firing {
                                rule,
                                subject: format!("seller:{id}:{}", Date::from_unix_ms(week)),
                                title: en.fill(
                                    Staff::AlertsCapsTitle,
                                    &[("company", &company), ("cap", &cap)],
                                ),
                                detail: en.fill(Staff::AlertsCapsDetail, &[("units", &units)]),
                            });
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Evaluates every rule and stores what fired; returns how many alerts are new.
pub async fn run(state: &AppState) -> Result<usize, AppError> {
    // Rules count offers shown; the latest are still on their way in.
    state
        .feature::<crate::features::offers::shown::OfferViewLog>()
        .flush()
        .await;
    let firings = evaluate(state).await.map_err(db_error)?;
    let now = state.clock.now_ms();
    let mut new = 0;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let recipients = crate::features::alerts::repo::ops_emails(&mut *tx)
        .await
        .map_err(db_error)?;
    for f in &firings {
        let (id, is_new) = crate::features::alerts::repo::raise(
            &mut tx, f.rule, &f.subject, &f.title, &f.detail, now,
        )
        .await
        .map_err(db_error)?;
        if is_new {
            let mail = crate::features::trade_ins::emails::alert(
                &state.config.public_url,
                &f.title,
                &f.detail,
            );
            for to in &recipients {
                enqueue(&mut tx, to, &mail, None, now)
                    .await
                    .map_err(db_error)?;
            }
            if state.webhook.is_some() {
                let body = serde_json::json!({ "id": id, "rule": f.rule.code(), "subject": f.subject, "title": f.title, "detail": f.detail, "at": now });
                crate::platform::jobs::repo::enqueue(
                    &mut tx,
                    WEBHOOK_JOB,
                    &id.to_string(),
                    &body.to_string(),
                    now,
                    now,
                )
                .await
                .map_err(db_error)?;
            }
            crate::features::alerts::repo::mark_notified(&mut *tx, id, now)
                .await
                .map_err(db_error)?;
            new += 1;
        }
    }
    tx.commit().await.map_err(db_error)?;
    if new > 0 {
        tracing::info!(new, "alerts raised");
    }
    Ok(new)
}

pub async fn set_rule(
    state: &AppState,
    ops_user: UserId,
    rule: Rule,
    threshold_text: &str,
    enabled: bool,
) -> Result<(), AppError> {
    // The domain's message is English; the rule says which one it is.
    let refused = use_staff().get(match rule {
        Rule::CounterOfferRate => Staff::AlertsThresholdPercent,
        Rule::ConversionDrop => Staff::AlertsThresholdPoints,
        Rule::CapsExhaustedEarly => Staff::AlertsThresholdWeekday,
        Rule::InspectionSla | Rule::PayoutOverdue | Rule::ThinMarket => Staff::AlertsThresholdCount,
    });
    let threshold = rule
        .parse_threshold(threshold_text)
        .map_err(|_| AppError::invalid("threshold", refused))?;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    crate::features::alerts::repo::set_rule(&mut *tx, rule, threshold, enabled, ops_user, now)
        .await
        .map_err(db_error)?;
    let detail = format!(
        "alert rule {} set to {}{}",
        rule.code(),
        rule.format_threshold(threshold),
        if enabled { "" } else { " (off)" }
    );
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::AlertRule,
        &AuditEntry {
            actor_id: Some(ops_user),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

pub async fn change(
    state: &AppState,
    ops_user: UserId,
    id: AlertId,
    to: &str,
) -> Result<(), AppError> {
    use crate::domain::alerts::AlertState;
    let st = use_staff();
    let to = match AlertState::parse(to) {
        Some(s @ (AlertState::Acknowledged | AlertState::Resolved)) => s,
        _ => {
            return Err(AppError::invalid(
                "state",
                st.get(Staff::AlertsAcknowledgeOrResolve),
            ))
        }
    };
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if !crate::features::alerts::repo::change(&mut *tx, id, to, ops_user, now)
        .await
        .map_err(db_error)?
    {
        return Err(AppError::Conflict(st.get(Staff::AlertsNotAllowed).into()));
    }
    let detail = format!("alert {id} {}", to.code());
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::Alert,
        &AuditEntry {
            actor_id: Some(ops_user),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// A rule's name in the user's language (`Rule::label` in English).
pub fn rule_label(st: StaffTexts, rule: Rule) -> &'static str {
    st.get(match rule {
        Rule::CounterOfferRate => Staff::AlertsRuleCounterOfferRate,
        Rule::InspectionSla => Staff::AlertsRuleInspectionSla,
        Rule::PayoutOverdue => Staff::AlertsRulePayoutOverdue,
        Rule::ThinMarket => Staff::AlertsRuleThinMarket,
        Rule::ConversionDrop => Staff::AlertsRuleConversionDrop,
        Rule::CapsExhaustedEarly => Staff::AlertsRuleCapsExhaustedEarly,
    })
}

/// An alert's title and detail in `st`'s language. They are stored in
/// English, as they were mailed and posted: each is read back against its
/// rule's English texts and written again in the user's language, its
/// values with it. A text none of them matches is shown as stored.
pub fn localized(st: StaffTexts, rule: &str, title: String, detail: String) -> (String, String) {
    if st.lang() == Lang::En {
        return (title, detail);
    }
    let Some(rule) = Rule::parse(rule) else {
        return (title, detail);
    };
    let (titles, details): (&[Staff], &[Staff]) = match rule {
        Rule::CounterOfferRate => (
            &[Staff::AlertsCounterRateTitle],
            &[Staff::AlertsCounterRateDetail],
        ),
        Rule::InspectionSla => (
            &[Staff::AlertsInspectionSlaTitle],
            &[Staff::AlertsThresholdDetail],
        ),
        Rule::PayoutOverdue => (
            &[Staff::AlertsPayoutOverdueTitle],
            &[Staff::AlertsThresholdDetail],
        ),
        Rule::ThinMarket => (
            &[
                Staff::AlertsThinMarketNoOffer,
                Staff::AlertsThinMarketOneBidder,
            ],
            &[Staff::AlertsThinMarketDetail],
        ),
        Rule::ConversionDrop => (
            &[Staff::AlertsConversionDropTitle],
            &[Staff::AlertsConversionDropDetail],
        ),
        Rule::CapsExhaustedEarly => (&[Staff::AlertsCapsTitle], &[Staff::AlertsCapsDetail]),
    };
    (rewrite(st, titles, title), rewrite(st, details, detail))
}

/// `text` written again in `st`'s language from the first of `msgs`
/// whose English it follows; else `text` as it is.
fn rewrite(st: StaffTexts, msgs: &[Staff], text: String) -> String {
    let en = StaffTexts::of(Lang::En);
    let texts = crate::i18n::Texts::speaking(crate::domain::market::Market::EnGb, st.lang());
    msgs.iter()
        .find_map(|msg| {
            let values = unfill(en.get(*msg), &text, known)?;
            let values: Vec<(&str, String)> = values
                .into_iter()
                .map(|(name, value)| (name, local_value(st, texts, name, value)))
                .collect();
            let args: Vec<(&str, &dyn std::fmt::Display)> = values
                .iter()
                .map(|(name, value)| (*name, value as &dyn std::fmt::Display))
                .collect();
            Some(st.fill(*msg, &args))
        })
        .unwrap_or(text)
}

/// Whether a value can be what an English alert text holds under `name`:
/// a grade's or a market's name must be one.
fn known(name: &str, value: &str) -> bool {
    use crate::domain::grade::Grade;
    use crate::domain::market::Market;
    match name {
        "grade" => Grade::ALL.into_iter().any(|g| g.label() == value),
        "market" => Market::ALL.into_iter().any(|m| m.name() == value),
        _ => true,
    }
}

/// A value of an English alert text as the user's language writes it:
/// decimals, a grade's and a market's names.
fn local_value(st: StaffTexts, texts: crate::i18n::Texts, name: &str, value: String) -> String {
    use crate::domain::grade::Grade;
    use crate::domain::market::Market;
    match name {
        "rate" | "threshold" | "drop" | "now" | "before" if st.lang() == Lang::Fr => {
            value.replace('.', ",")
        }
        "grade" => Grade::ALL
            .into_iter()
            .find(|g| g.label() == value)
            .map_or(value, |g| texts.grade(g).to_string()),
        "market" => Market::ALL
            .into_iter()
            .find(|m| m.name() == value)
            .and_then(|m| crate::i18n::errors::country(texts, m.country()))
            .map_or(value, str::to_string),
        _ => value,
    }
}

/// The values `template`'s placeholders were given in `text`, by name,
/// each one `known` to fit; None when `text` does not follow `template`.
/// A value may hold the text that follows it (a company called "A: B", a
/// SKU with brackets): every cut is tried.
fn unfill<'t>(
    template: &'t str,
    text: &str,
    known: fn(&str, &str) -> bool,
) -> Option<Vec<(&'t str, String)>> {
    let mut literals = Vec::new();
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        literals.push(&rest[..open]);
        names.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    literals.push(rest);
    let mut values = Vec::new();
    follows(&literals, &names, known, text, &mut values)
        .then(|| names.into_iter().zip(values).collect())
}

/// Whether `text` is `literals` with a value between each two, each
/// `known` to fit its name; the values in `values`.
fn follows(
    literals: &[&str],
    names: &[&str],
    known: fn(&str, &str) -> bool,
    text: &str,
    values: &mut Vec<String>,
) -> bool {
    let Some(after) = text.strip_prefix(literals[0]) else {
        return false;
    };
    let Some(next) = literals.get(1) else {
        return after.is_empty();
    };
    let cuts = after.char_indices().map(|(i, _)| i).chain([after.len()]);
    for cut in cuts {
        if !after[cut..].starts_with(next) || !known(names[0], &after[..cut]) {
            continue;
        }
        values.push(after[..cut].to_string());
        if follows(&literals[1..], &names[1..], known, &after[cut..], values) {
            return true;
        }
        values.pop();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::grade::Grade;
    use crate::domain::market::Market;

    #[test]
    fn stored_english_alerts_read_in_french() {
        let (en, fr) = (StaffTexts::of(Lang::En), StaffTexts::of(Lang::Fr));
        let title = en.fill(
            Staff::AlertsCounterRateTitle,
            &[("company", &"Fix: It"), ("rate", &"31.2")],
        );
        assert_eq!(title, "Fix: It: counter-offer rate 31.2% over 7 days");
        let (t, d) = localized(fr, "counter_offer_rate", title.clone(), "unknown".into());
        assert!(t.starts_with("Fix: It\u{a0}:") && t.contains("31,2"), "{t}");
        assert_eq!(d, "unknown");
        assert_eq!(
            localized(en, "counter_offer_rate", title.clone(), "x".into()),
            (title, "x".to_string())
        );

        let title = en.fill(
            Staff::AlertsThinMarketOneBidder,
            &[
                ("sku", &"IP13 (128)"),
                ("grade", &Grade::FunctionalGood.label()),
                ("market", &Market::DeDe.name()),
            ],
        );
        let (t, _) = localized(fr, "thin_market", title, String::new());
        assert!(
            t.starts_with("IP13 (128) (") && t.contains("Allemagne"),
            "{t}"
        );
        assert!(!t.contains(Grade::FunctionalGood.label()), "{t}");
    }
}
