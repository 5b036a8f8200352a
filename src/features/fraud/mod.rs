//! Fraud review (`/ops/fraud`): flagged trade-ins with the rules that fired;
//! a held payout is released or blocked with a reason. The IMEI blocklist
//! (`/ops/blocklist`): add, remove, import a CSV file.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::AppError;
use crate::ui::form::FormError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FraudCase {
    pub trade_in_id: i64,
    pub reference: String,
    pub customer_email: String,
    pub seller: String,
    pub price: String,
    pub state: String,
    pub hold: String,
    pub hold_reason: String,
    /// (rule label, detail)
    pub flags: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "fraud_cases")]
pub async fn load_fraud_cases() -> Result<Vec<FraudCase>, AppError> {
    use crate::domain::account::Role;
    use crate::domain::fraud::FraudRule;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let mut conn = g.state.db.pool().acquire().await.or_internal(&g)?;
    let label = |code: &str| {
        FraudRule::parse(code)
            .map(|r| r.label().to_string())
            .unwrap_or_else(|| code.to_string())
    };
    Ok(crate::features::fraud::repo::cases(&mut conn, 200)
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|c| FraudCase {
            trade_in_id: c.trade_in_id,
            price: crate::domain::money::Money::eur(c.price_minor).to_string(),
            state: crate::domain::tradein::State::parse(&c.state)
                .map(crate::domain::tradein::state_label)
                .unwrap_or("?")
                .to_string(),
            flags: c.flags.iter().map(|(r, d)| (label(r), d.clone())).collect(),
            reference: c.reference,
            customer_email: c.customer_email,
            seller: c.seller,
            hold: c.hold,
            hold_reason: c.hold_reason,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "fraud_review")]
pub async fn review_payout(
    trade_in_id: i64,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let release = match decision.as_str() {
        "release" => true,
        "block" => false,
        _ => return Err(AppError::invalid("decision", "Release or block.")),
    };
    crate::features::fraud::service::review(&g.state, g.user()?.id, trade_in_id, release, &reason)
        .await
}

#[component]
fn Review(c: FraudCase, on_done: Callback<()>) -> impl IntoView {
    let action = ServerAction::<ReviewPayout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_done.run(());
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let id = format!("reason-{}", c.trade_in_id);
    view! {
        <ActionForm action=action attr:class="form inline">
            <FormError error=error/>
            <input type="hidden" name="trade_in_id" value=c.trade_in_id/>
            <div class="field">
                <label for=id.clone()>{format!("Reason for {}", c.reference)}</label>
                <input id=id type="text" name="reason" maxlength="500"/>
                <p class="field-error">{move || error.get().and_then(|e| e.field("reason"))}</p>
            </div>
            <button type="submit" name="decision" value="release" class="button primary">{format!("Release payout of {}", c.reference)}</button>
            <button type="submit" name="decision" value="block" class="button danger">{format!("Block payout of {}", c.reference)}</button>
        </ActionForm>
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
                        let (held, decided): (Vec<_>, Vec<_>) = list.into_iter().partition(|c| c.hold == "held");
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
                                                <td>{c.hold}</td>
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedImei {
    pub imei: String,
    pub reason: String,
    pub added: String,
}

#[server(prefix = "/api", endpoint = "blocklist")]
pub async fn load_blocklist() -> Result<Vec<BlockedImei>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    Ok(
        crate::features::fraud::repo::blocklist(g.state.db.pool(), 500)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|(imei, reason, at)| BlockedImei {
                imei,
                reason,
                added: crate::ui::format_when(at),
            })
            .collect(),
    )
}

#[server(prefix = "/api", endpoint = "blocklist_add")]
pub async fn block_imei(imei: String, reason: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::domain::identifiers::Imei;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let imei = Imei::parse(&imei).map_err(|e| AppError::invalid("imei", e))?;
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.chars().count() > 200 {
        return Err(AppError::invalid(
            "reason",
            "Keep the reason under 200 characters.",
        ));
    }
    crate::features::fraud::service::block(
        &g.state,
        g.user()?.id,
        vec![(imei.as_str().to_string(), reason)],
    )
    .await
    .map(|_| ())
}

#[server(prefix = "/api", endpoint = "blocklist_remove")]
pub async fn unblock_imei(imei: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    crate::features::fraud::service::unblock(&g.state, g.user()?.id, imei.trim()).await
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
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
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
                            {query.read_untracked().get("error").map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                            <ActionForm action=add attr:class="form inline">
                                <FormError error=add_error/>
                                <crate::ui::form::TextField label="IMEI" name="imei" error=Signal::derive(move || add_error.get().and_then(|e| e.field("imei")))/>
                                <crate::ui::form::TextField label="Reason" name="reason" error=Signal::derive(move || add_error.get().and_then(|e| e.field("reason")))/>
                                <button type="submit" class="button primary">"Add to blocklist"</button>
                            </ActionForm>
                            <form method="post" action="/ops/blocklist/import" enctype="multipart/form-data" class="form inline">
                                <div class="field">
                                    <label for="blocklist-file">"Import a CSV file (imei,reason per line)"</label>
                                    <input id="blocklist-file" type="file" name="file" accept=".csv,text/csv" required=true/>
                                </div>
                                <button type="submit" class="button">"Import"</button>
                            </form>
                            <table class="table">
                                <caption>{format!("{} IMEIs (newest first)", entries.len())}</caption>
                                <thead><tr><th scope="col">"IMEI"</th><th scope="col">"Reason"</th><th scope="col">"Added"</th><th scope="col">"Remove"</th></tr></thead>
                                <tbody>
                                    {entries.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.imei.clone()}</td><td>{e.reason.clone()}</td><td>{e.added.clone()}</td>
                                            <td>
                                                <ActionForm action=remove>
                                                    <input type="hidden" name="imei" value=e.imei.clone()/>
                                                    <button type="submit" class="button small">{format!("Remove {}", e.imei)}</button>
                                                </ActionForm>
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
