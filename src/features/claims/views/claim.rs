//! A claim's page, shared by its consumer, its refurbisher and operations.

use super::super::*;
use crate::domain::ids::ClaimId;
use crate::error::AppError;
use crate::i18n::{use_texts, Msg, Texts};
use crate::ui::form::FormError;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Who wrote a message, by their role's code.
fn role_named(t: Texts, role: &str) -> String {
    match role {
        "customer" => t.get(Msg::ClaimPageRoleCustomer).to_string(),
        "seller" => t.get(Msg::ClaimPageRoleSeller).to_string(),
        "ops" => t.get(Msg::ClaimPageRoleOps).to_string(),
        other => other.to_string(),
    }
}

#[component]
pub fn ClaimPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let post = ServerAction::<PostClaimMessage>::new();
    let resolve = ServerAction::<ResolveClaim>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<ClaimId>().ok())
            .unwrap_or(ClaimId(0))
    };
    let data = crate::ui::data::load(
        move || (id(), post.version().get(), resolve.version().get()),
        |(id, _, _)| load_claim(id),
    );
    let post_error = crate::ui::form::action_error(post);
    let resolve_error = crate::ui::form::action_error(resolve);
    view! {
        <Title text=t.get(Msg::ClaimPageTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! {
                        <section class="claim">
                            <h1>{t.fill(Msg::ClaimPageHeading, &[("reference", &c.reference), ("kind", &t.claim_kind(c.kind))])}</h1>
                            <dl class="stats">
                                <div><dt>{t.get(Msg::ClaimPageTitle)}</dt><dd>{t.claim_state(c.state)}</dd></div>
                                <div><dt>{t.get(Msg::ClaimPageTradeIn)}</dt><dd>{t.state(c.trade_in_state)}</dd></div>
                                <div><dt>{t.get(Msg::ClaimPageRefurbisher)}</dt><dd>{c.seller.clone()}</dd></div>
                                {(!c.customer_email.is_empty()).then(|| view! { <div><dt>{t.get(Msg::ClaimPageConsumer)}</dt><dd>{c.customer_email.clone()}</dd></div> })}
                            </dl>
                            {c.outcome.map(|o| view! {
                                <p class="notice success" role="status">{t.fill(Msg::ClaimPageDecision, &[("outcome", &t.claim_outcome(o)), ("note", &c.resolution)])}</p>
                            })}
                            <ol class="messages">
                                {c.messages.iter().map(|(who, role, body, at)| view! {
                                    <li class=format!("message {role}")><p class="muted">{t.fill(Msg::ClaimPageMessageBy, &[("who", who), ("role", &role_named(t, role)), ("at", at)])}</p><p>{body.clone()}</p></li>
                                }).collect_view()}
                            </ol>
                            {(c.state == crate::domain::claims::ClaimState::Open).then(|| view! {
                                <PageForm action=post class="form">
                                    <FormError error=post_error/>
                                    <input type="hidden" name="claim_id" value=c.id.to_string()/>
                                    <div class="field">
                                        <label for="claim-body">{t.get(Msg::ClaimPageYourMessage)}</label>
                                        <textarea id="claim-body" name="body" rows="3" maxlength="2000"></textarea>
                                    </div>
                                    <button type="submit" class="button">{t.get(Msg::ClaimPageSend)}</button>
                                </PageForm>
                            })}
                            {(!c.outcomes.is_empty()).then(|| view! {
                                <PageForm action=resolve class="form card">
                                    <h2>{t.get(Msg::ClaimPageResolve)}</h2>
                                    <FormError error=resolve_error/>
                                    <input type="hidden" name="claim_id" value=c.id.to_string()/>
                                    <fieldset class="group">
                                        <legend>{t.get(Msg::ClaimPageOutcome)}</legend>
                                        {c.outcomes.iter().enumerate().map(|(i, (code, label))| {
                                            let label = crate::domain::claims::Outcome::parse(code).map_or_else(|| label.clone(), |o| t.claim_outcome(o).to_string());
                                            view! {
                                                <label class="check"><input type="radio" name="outcome" value=code.clone() checked=i == 0/>{format!(" {label}")}</label>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <div class="field">
                                        <label for="claim-note">{t.get(Msg::ClaimPageNote)}</label>
                                        <textarea id="claim-note" name="note" rows="2" maxlength="1000"></textarea>
                                        <p class="field-error">{move || resolve_error.get().and_then(|e| e.field("note").or_else(|| e.field("outcome")))}</p>
                                    </div>
                                    <button type="submit" class="button primary">{t.get(Msg::ClaimPageResolveSubmit)}</button>
                                </PageForm>
                            })}
                            <p><a href=if c.viewer_is_ops { "/ops/claims".to_string() } else { format!("/trade-ins/{}", c.trade_in_id) }>{t.get(Msg::ClaimPageBack)}</a></p>
                        </section>
                    }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::ui::errors::NotFound/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here=format!("/claims/{}", id())/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
