//! The alert inbox page: alerts by state, each rule's threshold and switch,
//! and "check now".

use super::*;
use crate::domain::alerts::AlertState;
use crate::i18n::staff::{use_staff, Staff};
use crate::ui::form::FormError;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn RuleForm(rule: RuleView, on_saved: Callback<()>) -> impl IntoView {
    let st = use_staff();
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
                <PageForm action=action class="form inline">
                    <input type="hidden" name="rule" value=rule.code.clone()/>
                    <input id=id type="text" name="threshold" size="6" value=rule.threshold.clone()/>
                    <label class="check"><input type="checkbox" name="enabled" value="on" checked=rule.enabled/>" "{st.get(Staff::AlertsOn)}</label>
                    <button type="submit" class="button small">{st.get(Staff::AlertsSave)}<span class="visually-hidden">{format!(" {}", rule.label)}</span></button>
                    <span class="field-error" role="status">{move || action.value().get().and_then(|r| r.err()).map(|e| e.field("threshold").unwrap_or_else(|| crate::i18n::errors::said(&e)))}</span>
                </PageForm>
            </td>
        </tr>
    }
}

fn state_text(state: AlertState) -> &'static str {
    use_staff().get(match state {
        AlertState::Open => Staff::AlertsStateOpen,
        AlertState::Acknowledged => Staff::AlertsStateAcknowledged,
        AlertState::Resolved => Staff::AlertsStateResolved,
    })
}

#[component]
pub fn AlertsInboxPage() -> impl IntoView {
    let st = use_staff();
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
    let change_error = crate::ui::form::action_error(change);
    view! {
        <Title text=st.get(Staff::AlertsTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <section>
                            <p><a href="/ops">{st.get(Staff::OpsDashboardBack)}</a></p>
                            <h1>{st.get(Staff::AlertsTitle)}</h1>
                            <PageForm action=run class="form inline">
                                <button type="submit" class="button">{st.get(Staff::AlertsCheckNow)}</button>
                                <span role="status">{move || run.value().get().map(|r| match r { Ok(n) => st.fill(Staff::AlertsNewAlerts, &[("n", &n)]), Err(e) => crate::i18n::errors::said(&e) })}</span>
                            </PageForm>
                            <FormError error=change_error/>
                            <table class="table">
                                <caption>{st.get(Staff::AlertsInbox)}</caption>
                                <thead><tr><th scope="col">{st.get(Staff::AlertsAlert)}</th><th scope="col">{st.get(Staff::AlertsState)}</th><th scope="col">{st.get(Staff::AlertsSeen)}</th><th scope="col">{st.get(Staff::AlertsAction)}</th></tr></thead>
                                <tbody>
                                    {page.alerts.is_empty().then(|| view! { <tr><td colspan="4">{st.get(Staff::AlertsNoAlerts)}</td></tr> })}
                                    {page.alerts.into_iter().map(|a| {
                                        let title = a.title.clone();
                                        let state = match &a.changed_by {
                                            Some(name) => st.fill(Staff::AlertsStateBy, &[("state", &state_text(a.state)), ("name", name)]),
                                            None => state_text(a.state).to_string(),
                                        };
                                        let seen = st.fill(Staff::AlertsSeenAt, &[("first", &a.first_seen), ("last", &a.last_seen)]);
                                        view! {
                                            <tr class=format!("alert {}", a.state.code())>
                                                <td><strong>{a.title.clone()}</strong><br/><span class="muted">{a.detail.clone()}</span></td>
                                                <td>{state}</td>
                                                <td>{seen}</td>
                                                <td>
                                                    {(a.state == AlertState::Open).then(|| view! {
                                                        <PageForm action=change>
                                                            <input type="hidden" name="id" value=a.id.to_string()/>
                                                            <input type="hidden" name="to" value="acknowledged"/>
                                                            <button type="submit" class="button small">{st.get(Staff::AlertsAcknowledge)}<span class="visually-hidden">{format!(" {title}")}</span></button>
                                                        </PageForm>
                                                    })}
                                                    {(a.state != AlertState::Resolved).then(|| view! {
                                                        <PageForm action=change>
                                                            <input type="hidden" name="id" value=a.id.to_string()/>
                                                            <input type="hidden" name="to" value="resolved"/>
                                                            <button type="submit" class="button small">{st.get(Staff::AlertsResolve)}<span class="visually-hidden">{format!(" {}", a.title)}</span></button>
                                                        </PageForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>{st.get(Staff::AlertsRules)}</h2>
                            <table class="table">
                                <thead><tr><th scope="col">{st.get(Staff::AlertsRule)}</th><th scope="col">{st.get(Staff::AlertsThreshold)}</th></tr></thead>
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
