//! The alert inbox (`/ops/alerts`): open, acknowledged and resolved alerts;
//! the rules with their thresholds; "check now".

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::AppError;
use crate::ui::form::FormError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertView {
    pub id: i64,
    pub title: String,
    pub detail: String,
    pub state: String,
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
    use crate::platform::session::guard::{guard, Access, OrInternal};
    use crate::ui::format_when;
    let g = guard(Access::Role(Role::Ops)).await?;
    let pool = g.state.db.pool();
    let alerts = crate::features::alerts::repo::inbox(pool, 200)
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|a| AlertView {
            id: a.id,
            title: a.title,
            detail: a.detail,
            state: a.state,
            first_seen: format_when(a.first_seen_at),
            last_seen: format_when(a.last_seen_at),
            changed_by: a.changed_by,
        })
        .collect();
    let rules = crate::features::alerts::repo::rules(pool)
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|(r, t, e)| RuleView {
            code: r.code().into(),
            label: r.label().into(),
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

#[server(prefix = "/api", endpoint = "alert_state")]
pub async fn change_alert(id: i64, to: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    crate::features::alerts::service::change(&g.state, g.user()?.id, id, &to).await
}

#[server(prefix = "/api", endpoint = "alert_rule")]
pub async fn save_alert_rule(
    rule: String,
    threshold: String,
    enabled: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::domain::alerts::Rule;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let rule = Rule::parse(&rule).ok_or_else(|| AppError::invalid("rule", "Unknown rule."))?;
    crate::features::alerts::service::set_rule(
        &g.state,
        g.user()?.id,
        rule,
        &threshold,
        enabled.is_some(),
    )
    .await
}

#[component]
fn RuleForm(rule: RuleView, on_saved: Callback<()>) -> impl IntoView {
    let action = ServerAction::<SaveAlertRule>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_saved.run(());
        }
    });
    let id = format!("threshold-{}", rule.code);
    view! {
        <tr>
            <td><label for=id.clone()>{rule.label.clone()}</label></td>
            <td>
                <ActionForm action=action attr:class="form inline">
                    <input type="hidden" name="rule" value=rule.code.clone()/>
                    <input id=id type="text" name="threshold" size="6" value=rule.threshold.clone()/>
                    <label class="check"><input type="checkbox" name="enabled" value="on" checked=rule.enabled/>" On"</label>
                    <button type="submit" class="button small">"Save"<span class="visually-hidden">{format!(" {}", rule.label)}</span></button>
                    <span class="field-error" role="status">{move || action.value().get().and_then(|r| r.err()).map(|e| e.field("threshold").unwrap_or_else(|| e.to_string()))}</span>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
pub fn AlertsInboxPage() -> impl IntoView {
    let data = crate::ui::data::load(|| (), |_| load_alerts());
    let change = ServerAction::<ChangeAlert>::new();
    let run = ServerAction::<CheckAlertsNow>::new();
    Effect::new(move |_| {
        if matches!(change.value().get(), Some(Ok(()))) || matches!(run.value().get(), Some(Ok(_)))
        {
            data.refetch();
        }
    });
    let refresh = Callback::new(move |_| data.refetch());
    let change_error = Signal::derive(move || change.value().get().and_then(Result::err));
    view! {
        <Title text="Alerts"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <section>
                            <p><a href="/ops">"← Operations console"</a></p>
                            <h1>"Alerts"</h1>
                            <ActionForm action=run attr:class="form inline">
                                <button type="submit" class="button">"Check the rules now"</button>
                                <span role="status">{move || run.value().get().map(|r| match r { Ok(n) => format!("{n} new alerts."), Err(e) => e.to_string() })}</span>
                            </ActionForm>
                            <FormError error=change_error/>
                            <table class="table">
                                <caption>"Inbox"</caption>
                                <thead><tr><th scope="col">"Alert"</th><th scope="col">"State"</th><th scope="col">"Seen"</th><th scope="col">"Action"</th></tr></thead>
                                <tbody>
                                    {page.alerts.is_empty().then(|| view! { <tr><td colspan="4">"No alerts."</td></tr> })}
                                    {page.alerts.into_iter().map(|a| {
                                        let title = a.title.clone();
                                        view! {
                                            <tr class=format!("alert {}", a.state)>
                                                <td><strong>{a.title.clone()}</strong><br/><span class="muted">{a.detail.clone()}</span></td>
                                                <td>{a.state.clone()}{a.changed_by.clone().map(|b| format!(" by {b}"))}</td>
                                                <td>{format!("first {}, last {}", a.first_seen, a.last_seen)}</td>
                                                <td>
                                                    {(a.state == "open").then(|| view! {
                                                        <ActionForm action=change>
                                                            <input type="hidden" name="id" value=a.id/>
                                                            <input type="hidden" name="to" value="acknowledged"/>
                                                            <button type="submit" class="button small">"Acknowledge"<span class="visually-hidden">{format!(" {title}")}</span></button>
                                                        </ActionForm>
                                                    })}
                                                    {(a.state != "resolved").then(|| view! {
                                                        <ActionForm action=change>
                                                            <input type="hidden" name="id" value=a.id/>
                                                            <input type="hidden" name="to" value="resolved"/>
                                                            <button type="submit" class="button small">"Resolve"<span class="visually-hidden">{format!(" {}", a.title)}</span></button>
                                                        </ActionForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>"Rules"</h2>
                            <table class="table">
                                <thead><tr><th scope="col">"Rule"</th><th scope="col">"Threshold"</th></tr></thead>
                                <tbody>{page.rules.into_iter().map(|r| view! { <RuleForm rule=r on_saved=refresh/> }).collect_view()}</tbody>
                            </table>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops/alerts"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
