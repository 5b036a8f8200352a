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
use crate::features::alerts::facts::AlertFacts;
use crate::features::audit::service::AuditEntry;
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use crate::i18n::Lang;
use crate::platform::db::db_error;
use crate::platform::jobs::ClaimedJob;
use crate::platform::mail::enqueue;
use crate::platform::state::AppState;
use std::collections::BTreeMap;

// What other features run on their own connection, inside their own transaction.
pub use super::repo::{inbox, ops_recipients, rules};

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
    facts: AlertFacts,
}

async fn evaluate(state: &AppState) -> Result<Vec<Firing>, sqlx::Error> {
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
                            facts: AlertFacts::CounterRate {
                                company,
                                rate,
                                countered,
                                inspected,
                                threshold,
                            },
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
                        out.push(Firing {
                            rule,
                            subject: format!("seller:{id}"),
                            facts: AlertFacts::Late {
                                rule,
                                company,
                                n,
                                threshold,
                            },
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
                            facts: AlertFacts::ThinMarket {
                                sku,
                                grade: g,
                                market: m,
                                bidders,
                                views,
                            },
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
                    out.push(Firing {
                        rule,
                        subject: format!("conversion:{}", Date::from_unix_ms(week_start_ms(now))),
                        facts: AlertFacts::ConversionDrop {
                            drop,
                            now: Kpi::Conversion.value(&cur),
                            before: Kpi::Conversion.value(&before),
                            day: Date::from_unix_ms(now),
                        },
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
                                facts: AlertFacts::CapsReached {
                                    company,
                                    cap,
                                    units,
                                },
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
    let recipients: Vec<(String, StaffTexts)> =
        crate::features::alerts::repo::ops_recipients(&mut *tx)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(|(to, lang)| {
                (
                    to,
                    StaffTexts::of(crate::i18n::staff::mail_lang(lang.as_deref(), None)),
                )
            })
            .collect();
    // Kept and posted in English; each mail and the inbox write the alert
    // from its facts in their reader's language.
    let en = StaffTexts::of(Lang::En);
    for f in &firings {
        let (title, detail) = (f.facts.title(en), f.facts.detail(en));
        let (id, is_new) = crate::features::alerts::repo::raise(
            &mut tx,
            f.rule,
            &f.subject,
            (&title, &detail),
            &f.facts.to_stored(),
            now,
        )
        .await
        .map_err(db_error)?;
        if is_new {
            for (to, st) in &recipients {
                let mail = crate::features::trade_ins::emails::alert(
                    *st,
                    &state.config.public_url,
                    &f.facts.title(*st),
                    &f.facts.detail(*st),
                );
                enqueue(&mut tx, to, &mail, None, now)
                    .await
                    .map_err(db_error)?;
            }
            if state.webhook.is_some() {
                let body = serde_json::json!({ "id": id, "rule": f.rule.code(), "subject": f.subject, "title": title, "detail": detail, "at": now });
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
