//! The fraud review page (held payouts, released or blocked with a reason)
//! and the IMEI blocklist page.

use super::*;
use crate::domain::fraud::PayoutHold;
use crate::i18n::staff::{use_staff, Staff};
use crate::ui::form::FormError;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
fn Review(c: FraudCase, on_done: Callback<()>) -> impl IntoView {
    let st = use_staff();
    let action = ServerAction::<ReviewPayout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_done.run(());
        }
    });
    let error = crate::ui::form::action_error(action);
    let id = format!("reason-{}", c.trade_in_id);
    let reference = [("reference", &c.reference as &dyn std::fmt::Display)];
    let (label, release, block) = (
        st.fill(Staff::FraudReasonFor, &reference),
        st.fill(Staff::FraudRelease, &reference),
        st.fill(Staff::FraudBlock, &reference),
    );
    view! {
        <PageForm action=action class="form inline">
            <FormError error=error/>
            <input type="hidden" name="trade_in_id" value=c.trade_in_id.to_string()/>
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id type="text" name="reason" maxlength="500"/>
                <p class="field-error">{move || error.get().and_then(|e| e.field("reason"))}</p>
            </div>
            <button type="submit" name="decision" value="release" class="button primary">{release}</button>
            <button type="submit" name="decision" value="block" class="button danger">{block}</button>
        </PageForm>
    }
}

fn hold_text(hold: PayoutHold) -> &'static str {
    use_staff().get(match hold {
        PayoutHold::NotHeld => Staff::FraudHoldNone,
        PayoutHold::Held => Staff::FraudHoldHeld,
        PayoutHold::Released => Staff::FraudHoldReleased,
        PayoutHold::Blocked => Staff::FraudHoldBlocked,
    })
}

#[component]
pub fn FraudPage() -> impl IntoView {
    let st = use_staff();
    let texts = crate::i18n::use_texts();
    let cases = crate::ui::data::load(|| (), |_| load_fraud_cases());
    let refresh = Callback::new(move |_| cases.refetch());
    view! {
        <Title text=st.get(Staff::FraudTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(list) => {
                        let (held, decided): (Vec<_>, Vec<_>) = list.into_iter().partition(|c| c.hold == PayoutHold::Held);
                        view! {
                            <section>
                                <p><a href="/ops">{st.get(Staff::OpsDashboardBack)}</a></p>
                                <h1>{st.get(Staff::FraudTitle)}</h1>
                                <h2>{st.fill(Staff::FraudOnHold, &[("n", &held.len())])}</h2>
                                {held.is_empty().then(|| view! { <p>{st.get(Staff::FraudNothingWaiting)}</p> })}
                                <ul class="cards">
                                    {held.into_iter().map(|c| view! {
                                        <li class="card">
                                            <h3>{format!("{} · {}", c.reference, st.money(c.price))}</h3>
                                            <p>{st.fill(Staff::FraudSoldTo, &[("email", &c.customer_email), ("seller", &c.seller), ("state", &texts.state(c.state))])}</p>
                                            <ul class="flags">{c.flags.iter().map(|(l, d)| view! { <li><strong>{l.clone()}</strong>{st.fill(Staff::FraudFlagDetail, &[("detail", d)])}</li> }).collect_view()}</ul>
                                            <Review c=c.clone() on_done=refresh/>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <h2>{st.get(Staff::FraudDecided)}</h2>
                                <table class="table">
                                    <thead><tr><th scope="col">{st.get(Staff::FraudTradeIn)}</th><th scope="col">{st.get(Staff::FraudFlags)}</th><th scope="col">{st.get(Staff::FraudPayout)}</th><th scope="col">{st.get(Staff::FraudReason)}</th></tr></thead>
                                    <tbody>
                                        {decided.into_iter().map(|c| view! {
                                            <tr>
                                                <td>{c.reference}</td>
                                                <td>{c.flags.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>().join(", ")}</td>
                                                <td>{hold_text(c.hold)}</td>
                                                <td>{c.hold_reason}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops/fraud"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn BlocklistPage() -> impl IntoView {
    let st = use_staff();
    let list = crate::ui::data::load(|| (), |_| load_blocklist());
    let add = ServerAction::<BlockImei>::new();
    let remove = ServerAction::<UnblockImei>::new();
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(()))) || matches!(remove.value().get(), Some(Ok(())))
        {
            list.refetch();
        }
    });
    let query = use_query_map();
    let add_error = crate::ui::form::action_error(add);
    view! {
        <Title text=st.get(Staff::FraudBlocklistTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(entries) => view! {
                        <section>
                            <p><a href="/ops">{st.get(Staff::OpsDashboardBack)}</a></p>
                            <h1>{st.get(Staff::FraudBlocklistTitle)}</h1>
                            <p>{st.get(Staff::FraudBlocklistIntro)}</p>
                            {query.read_untracked().get("imported").map(|n| view! { <p class="notice success" role="status">{st.fill(Staff::FraudBlocklistImported, &[("n", &n)])}</p> })}
                            <PageForm action=add class="form inline">
                                <FormError error=add_error/>
                                <crate::ui::form::TextField label=st.get(Staff::FraudBlocklistImei) name="imei"/>
                                <crate::ui::form::TextField label=st.get(Staff::FraudReason) name="reason"/>
                                <button type="submit" class="button primary">{st.get(Staff::FraudBlocklistAdd)}</button>
                            </PageForm>
                            <crate::ui::form::UploadForm form=crate::features::fraud::IMPORT_FORM.to_string() class="form inline">
                                <FormError/>
                                <crate::ui::form::FileField label=st.get(Staff::FraudBlocklistFile) name="file" accept=".csv,text/csv"/>
                                <button type="submit" class="button">{st.get(Staff::FraudBlocklistImport)}</button>
                            </crate::ui::form::UploadForm>
                            <table class="table">
                                <caption>{st.fill(Staff::FraudBlocklistCount, &[("n", &entries.len())])}</caption>
                                <thead><tr><th scope="col">{st.get(Staff::FraudBlocklistImei)}</th><th scope="col">{st.get(Staff::FraudReason)}</th><th scope="col">{st.get(Staff::FraudBlocklistAdded)}</th><th scope="col">{st.get(Staff::FraudBlocklistRemove)}</th></tr></thead>
                                <tbody>
                                    {entries.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.imei.clone()}</td><td>{e.reason.clone()}</td><td>{e.added.clone()}</td>
                                            <td>
                                                <PageForm action=remove>
                                                    <input type="hidden" name="imei" value=e.imei.clone()/>
                                                    <button type="submit" class="button small">{st.fill(Staff::FraudBlocklistRemoveImei, &[("imei", &e.imei)])}</button>
                                                </PageForm>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/ops/blocklist"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
