//! A claim's page, shared by its consumer, its refurbisher and operations.

use super::super::*;
use crate::domain::ids::ClaimId;
use crate::error::AppError;
use crate::ui::form::FormError;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ClaimPage() -> impl IntoView {
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
        <Title text="Claim"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! {
                        <section class="claim">
                            <h1>{format!("Claim on {}: {}", c.reference, c.kind)}</h1>
                            <dl class="stats">
                                <div><dt>"Claim"</dt><dd>{c.state.code()}</dd></div>
                                <div><dt>"Trade-in"</dt><dd>{c.trade_in_state.clone()}</dd></div>
                                <div><dt>"Refurbisher"</dt><dd>{c.seller.clone()}</dd></div>
                                {(!c.customer_email.is_empty()).then(|| view! { <div><dt>"Consumer"</dt><dd>{c.customer_email.clone()}</dd></div> })}
                            </dl>
                            {(!c.outcome.is_empty()).then(|| view! { <p class="notice success" role="status">{format!("Decision: {}. {}", c.outcome, c.resolution)}</p> })}
                            <ol class="messages">
                                {c.messages.iter().map(|(who, role, body, at)| view! {
                                    <li class=format!("message {role}")><p class="muted">{format!("{who} ({role}), {at}")}</p><p>{body.clone()}</p></li>
                                }).collect_view()}
                            </ol>
                            {(c.state == crate::domain::claims::ClaimState::Open).then(|| view! {
                                <PageForm action=post class="form">
                                    <FormError error=post_error/>
                                    <input type="hidden" name="claim_id" value=c.id.to_string()/>
                                    <div class="field">
                                        <label for="claim-body">"Your message"</label>
                                        <textarea id="claim-body" name="body" rows="3" maxlength="2000"></textarea>
                                    </div>
                                    <button type="submit" class="button">"Send message"</button>
                                </PageForm>
                            })}
                            {(!c.outcomes.is_empty()).then(|| view! {
                                <PageForm action=resolve class="form card">
                                    <h2>"Resolve"</h2>
                                    <FormError error=resolve_error/>
                                    <input type="hidden" name="claim_id" value=c.id.to_string()/>
                                    <fieldset class="group">
                                        <legend>"Outcome"</legend>
                                        {c.outcomes.iter().enumerate().map(|(i, (code, label))| view! {
                                            <label class="check"><input type="radio" name="outcome" value=code.clone() checked=i == 0/>{format!(" {label}")}</label>
                                        }).collect_view()}
                                    </fieldset>
                                    <div class="field">
                                        <label for="claim-note">"Decision note (sent to the consumer)"</label>
                                        <textarea id="claim-note" name="note" rows="2" maxlength="1000"></textarea>
                                        <p class="field-error">{move || resolve_error.get().and_then(|e| e.field("note").or_else(|| e.field("outcome")))}</p>
                                    </div>
                                    <button type="submit" class="button primary">"Resolve the claim"</button>
                                </PageForm>
                            })}
                            <p><a href=if c.viewer_is_ops { "/ops/claims".to_string() } else { format!("/trade-ins/{}", c.trade_in_id) }>"← Back"</a></p>
                        </section>
                    }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::ui::errors::NotFound/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here=format!("/claims/{}", id())/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
