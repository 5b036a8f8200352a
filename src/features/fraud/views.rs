//! The fraud review page (held payouts, released or blocked with a reason)
//! and the IMEI blocklist page.

use super::*;
use crate::domain::fraud::PayoutHold;
use crate::ui::form::FormError;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
fn Review(c: FraudCase, on_done: Callback<()>) -> impl IntoView {
    let action = ServerAction::<ReviewPayout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_done.run(());
        }
    });
    let error = crate::ui::form::action_error(action);
    let id = format!("reason-{}", c.trade_in_id);
    view! {
        <PageForm action=action class="form inline">
            <FormError error=error/>
            <input type="hidden" name="trade_in_id" value=c.trade_in_id.to_string()/>
            <div class="field">
                <label for=id.clone()>{format!("Reason for {}", c.reference)}</label>
                <input id=id type="text" name="reason" maxlength="500"/>
                <p class="field-error">{move || error.get().and_then(|e| e.field("reason"))}</p>
            </div>
            <button type="submit" name="decision" value="release" class="button primary">{format!("Release payout of {}", c.reference)}</button>
            <button type="submit" name="decision" value="block" class="button danger">{format!("Block payout of {}", c.reference)}</button>
        </PageForm>
    }
}

#[component]
pub fn FraudPage() -> impl IntoView {
    let cases = crate::ui::data::load(|| (), |_| load_fraud_cases());
    let refresh = Callback::new(move |_| cases.refetch());
    view! {
        <Title text="Fraud review"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(list) => {
                        let (held, decided): (Vec<_>, Vec<_>) = list.into_iter().partition(|c| c.hold == PayoutHold::Held);
                        view! {
                            <section>
                                <p><a href="/ops">"← Operations console"</a></p>
                                <h1>"Fraud review"</h1>
                                <h2>{format!("Payouts on hold ({})", held.len())}</h2>
                                {held.is_empty().then(|| view! { <p>"Nothing is waiting for a review."</p> })}
                                <ul class="cards">
                                    {held.into_iter().map(|c| view! {
                                        <li class="card">
                                            <h3>{format!("{} · {}", c.reference, c.price)}</h3>
                                            <p>{format!("{} · sold to {} · {}", c.customer_email, c.seller, c.state)}</p>
                                            <ul class="flags">{c.flags.iter().map(|(l, d)| view! { <li><strong>{l.clone()}</strong>{format!(": {d}")}</li> }).collect_view()}</ul>
                                            <Review c=c.clone() on_done=refresh/>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <h2>"Decided"</h2>
                                <table class="table">
                                    <thead><tr><th scope="col">"Trade-in"</th><th scope="col">"Flags"</th><th scope="col">"Payout"</th><th scope="col">"Reason"</th></tr></thead>
                                    <tbody>
                                        {decided.into_iter().map(|c| view! {
                                            <tr>
                                                <td>{c.reference}</td>
                                                <td>{c.flags.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>().join(", ")}</td>
                                                <td>{c.hold.to_string()}</td>
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
        <Title text="IMEI blocklist"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(entries) => view! {
                        <section>
                            <p><a href="/ops">"← Operations console"</a></p>
                            <h1>"IMEI blocklist"</h1>
                            <p>"A blocklisted device cannot be traded in, and a trade-in whose device turns out to be blocklisted is held for review."</p>
                            {query.read_untracked().get("imported").map(|n| view! { <p class="notice success" role="status">{format!("Imported: {n} new IMEIs.")}</p> })}
                            <PageForm action=add class="form inline">
                                <FormError error=add_error/>
                                <crate::ui::form::TextField label="IMEI" name="imei"/>
                                <crate::ui::form::TextField label="Reason" name="reason"/>
                                <button type="submit" class="button primary">"Add to blocklist"</button>
                            </PageForm>
                            <crate::ui::form::UploadForm form=crate::features::fraud::IMPORT_FORM.to_string() class="form inline">
                                <FormError/>
                                <crate::ui::form::FileField label="Import a CSV file (imei,reason per line)" name="file" accept=".csv,text/csv"/>
                                <button type="submit" class="button">"Import"</button>
                            </crate::ui::form::UploadForm>
                            <table class="table">
                                <caption>{format!("{} IMEIs (newest first)", entries.len())}</caption>
                                <thead><tr><th scope="col">"IMEI"</th><th scope="col">"Reason"</th><th scope="col">"Added"</th><th scope="col">"Remove"</th></tr></thead>
                                <tbody>
                                    {entries.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.imei.clone()}</td><td>{e.reason.clone()}</td><td>{e.added.clone()}</td>
                                            <td>
                                                <PageForm action=remove>
                                                    <input type="hidden" name="imei" value=e.imei.clone()/>
                                                    <button type="submit" class="button small">{format!("Remove {}", e.imei)}</button>
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
