//! The alert inbox (`/ops/alerts`): open, acknowledged and resolved alerts;
//! the rules with their thresholds; "check now".

#[cfg(feature = "ssr")]
pub mod facts;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::domain::ids::AlertId;
use crate::error::AppError;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertView {
    pub id: AlertId,
    pub title: String,
    pub detail: String,
    pub state: crate::domain::alerts::AlertState,
    pub first_seen: String,
    pub last_seen: String,
    pub changed_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleView {
    pub code: String,
    pub label: String,
    pub threshold: String,
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertsPage {
    pub alerts: Vec<AlertView>,
    pub rules: Vec<RuleView>,
}

#[server(prefix = "/api", endpoint = "alerts")]
pub async fn load_alerts() -> Result<AlertsPage, AppError> {
    use crate::domain::account::Role;
    use crate::features::alerts::facts::AlertFacts;
    use crate::features::alerts::service::rule_label;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let st = crate::i18n::staff::use_staff();
    let zone = g.zone();
    let pool = g.state.db.pool();
    let alerts = crate::features::alerts::service::inbox(pool, 200)
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|a| {
            let (title, detail) = match AlertFacts::from_stored(a.facts.as_deref()) {
                Some(facts) => (facts.title(st), facts.detail(st)),
                None => (a.title, a.detail),
            };
            AlertView {
                id: a.id,
                title,
                detail,
                state: a.state,
                first_seen: st.moment(&zone, a.first_seen_at).text,
                last_seen: st.moment(&zone, a.last_seen_at).text,
                changed_by: a.changed_by,
            }
        })
        .collect();
    let rules = crate::features::alerts::service::rules(pool)
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|(r, t, e)| RuleView {
            code: r.code().into(),
            label: rule_label(st, r).into(),
            threshold: r.format_threshold(t),
            enabled: e,
        })
        .collect();
    Ok(AlertsPage { alerts, rules })
}

#[server(prefix = "/api", endpoint = "alerts_run")]
pub async fn check_alerts_now() -> Result<usize, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    crate::features::alerts::service::run(&g.state).await
}

/// Moving an alert on: the alert and the state it goes to. Text as posted:
/// a flattened form's fields reach serde as strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertChangeForm {
    pub id: String,
    pub to: String,
}

#[server(prefix = "/api", endpoint = "alert_state")]
pub async fn change_alert(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: AlertChangeForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let id: AlertId = AppError::posted_id(&form.id, "an alert")?;
    crate::features::alerts::service::change(&g.state, g.user()?.id, id, &form.to).await
}

/// A rule's form as it was typed: its code, the threshold, and the "on"
/// checkbox (absent when unticked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRuleForm {
    pub rule: String,
    pub threshold: String,
    pub enabled: Option<String>,
}

#[server(prefix = "/api", endpoint = "alert_rule")]
pub async fn save_alert_rule(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: AlertRuleForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::domain::alerts::Rule;
    use crate::i18n::staff::{use_staff, Staff};
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let rule = Rule::parse(&form.rule)
        .ok_or_else(|| AppError::invalid("rule", use_staff().get(Staff::AlertsUnknownRule)))?;
    // An empty `enabled=` is off, as it was when serde_qs read the argument
    // itself (a flattened field sees the empty text instead of nothing).
    let enabled = form.enabled.is_some_and(|e| !e.is_empty());
    crate::features::alerts::service::set_rule(
        &g.state,
        g.user()?.id,
        rule,
        &form.threshold,
        enabled,
    )
    .await
}
