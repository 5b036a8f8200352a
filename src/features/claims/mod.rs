//! Customer-care claims: a consumer opens one from a trade-in's page; the
//! claim's page (`/claims/:id`) is shared by the consumer, the refurbisher
//! and operations, who write on it; operations resolve it there.

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::error::AppError;
use crate::ui::form::FormError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimSummary {
    pub id: i64,
    pub kind: String,
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeInClaims {
    pub claims: Vec<ClaimSummary>,
    /// (code, label) of the claims that can be opened now.
    pub kinds: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
pub(crate) fn kind_label(code: &str) -> String {
    crate::domain::claims::ClaimKind::parse(code)
        .map(|k| k.label().to_string())
        .unwrap_or_else(|| code.to_string())
}

#[server(prefix = "/api", endpoint = "trade_in_claims")]
pub async fn load_trade_in_claims(trade_in_id: i64) -> Result<TradeInClaims, AppError> {
    use crate::domain::claims::ClaimKind;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::SignedIn).await?;
    let t = crate::features::trade_ins::service::owned(&g.state, g.user()?.id, trade_in_id).await?;
    let claims: Vec<ClaimSummary> =
        crate::features::claims::repo::for_trade_in(g.state.db.pool(), trade_in_id)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|c| ClaimSummary {
                id: c.id,
                kind: kind_label(&c.kind),
                state: c.state,
            })
            .collect();
    let open = claims.iter().any(|c| c.state == "open");
    let kinds = if open {
        vec![]
    } else {
        ClaimKind::ALL
            .into_iter()
            .filter(|k| k.allowed_in(t.state))
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect()
    };
    Ok(TradeInClaims { claims, kinds })
}

#[server(prefix = "/api", endpoint = "open_claim")]
pub async fn open_claim(trade_in_id: i64, kind: String, message: String) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let id =
        crate::features::claims::service::open(&g.state, g.user()?, trade_in_id, &kind, &message)
            .await?;
    leptos_axum::redirect(&format!("/claims/{id}"));
    Ok(())
}

/// A trade-in's claims for `ClaimBox`, loaded beside the trade-in by the
/// page (created inside the page's `<Suspense>` it could stall the
/// response: see `ui::errors::provide_request_reference`).
pub type ClaimsResource = crate::ui::data::Data<Result<TradeInClaims, AppError>>;

/// On a consumer's trade-in page: its claims, and a form to open one.
#[component]
pub fn ClaimBox(trade_in_id: i64, data: ClaimsResource) -> impl IntoView {
    let action = ServerAction::<OpenClaim>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await.ok().map(|c| view! {
                    <section class="card" aria-labelledby="claim-heading">
                        <h2 id="claim-heading">"Something wrong?"</h2>
                        <ul>
                            {c.claims.into_iter().map(|x| view! {
                                <li><a href=format!("/claims/{}", x.id)>{format!("Claim: {} ({})", x.kind, x.state)}</a></li>
                            }).collect_view()}
                        </ul>
                        {(!c.kinds.is_empty()).then(|| view! {
                            <ActionForm action=action attr:class="form">
                                <FormError error=error/>
                                <input type="hidden" name="trade_in_id" value=trade_in_id/>
                                <div class="field">
                                    <label for="claim-kind">"What went wrong"</label>
                                    <select id="claim-kind" name="kind">
                                        {c.kinds.iter().map(|(code, label)| view! { <option value=code.clone()>{label.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="claim-message">"Tell us what happened"</label>
                                    <textarea id="claim-message" name="message" rows="4" maxlength="2000"></textarea>
                                    <p class="field-error">{move || error.get().and_then(|e| e.field("message").or_else(|| e.field("kind")))}</p>
                                </div>
                                <button type="submit" class="button">"Open a claim"</button>
                            </ActionForm>
                        })}
                    </section>
                })
            })}
        </Suspense>
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimView {
    pub id: i64,
    pub reference: String,
    pub trade_in_id: i64,
    pub customer_email: String,
    pub seller: String,
    pub kind: String,
    pub state: String,
    pub trade_in_state: String,
    pub outcome: String,
    pub resolution: String,
    /// (author, role, text, when)
    pub messages: Vec<(String, String, String, String)>,
    /// Outcomes operations can choose now (code, label); empty for others.
    pub outcomes: Vec<(String, String)>,
    pub viewer_is_ops: bool,
}

#[server(prefix = "/api", endpoint = "claim")]
pub async fn load_claim(id: i64) -> Result<ClaimView, AppError> {
    use crate::domain::account::Role;
    use crate::domain::claims::{ClaimKind, Outcome};
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    let c = crate::features::claims::service::visible(&g.state, user, id).await?;
    let messages = crate::features::claims::repo::messages(g.state.db.pool(), id)
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|(who, role, body, at)| (who, role, body, crate::ui::format_when(at)))
        .collect();
    let ts = crate::domain::tradein::State::parse(&c.trade_in_state);
    let is_ops = user.role == Role::Ops;
    let outcomes = match (is_ops && c.state == "open", ClaimKind::parse(&c.kind), ts) {
        (true, Some(k), Some(s)) => Outcome::allowed(k, s)
            .into_iter()
            .map(|o| (o.code().to_string(), o.label().to_string()))
            .collect(),
        _ => vec![],
    };
    Ok(ClaimView {
        id: c.id,
        reference: c.reference,
        trade_in_id: c.trade_in_id,
        customer_email: if is_ops {
            c.customer_email
        } else {
            String::new()
        },
        seller: c.seller,
        kind: kind_label(&c.kind),
        state: c.state,
        trade_in_state: ts
            .map(crate::domain::tradein::state_label)
            .unwrap_or("?")
            .to_string(),
        outcome: Outcome::parse(&c.outcome)
            .map(|o| o.label().to_string())
            .unwrap_or_default(),
        resolution: c.resolution,
        messages,
        outcomes,
        viewer_is_ops: is_ops,
    })
}

#[server(prefix = "/api", endpoint = "claim_message")]
pub async fn post_claim_message(claim_id: i64, body: String) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    crate::features::claims::service::post(&g.state, g.user()?, claim_id, &body).await
}

#[server(prefix = "/api", endpoint = "claim_resolve")]
pub async fn resolve_claim(claim_id: i64, outcome: String, note: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    crate::features::claims::service::resolve(&g.state, g.user()?.id, claim_id, &outcome, &note)
        .await
}

#[component]
pub fn ClaimPage() -> impl IntoView {
    let params = use_params_map();
    let post = ServerAction::<PostClaimMessage>::new();
    let resolve = ServerAction::<ResolveClaim>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = crate::ui::data::load(
        move || (id(), post.version().get(), resolve.version().get()),
        |(id, _, _)| load_claim(id),
    );
    let post_error = Signal::derive(move || post.value().get().and_then(Result::err));
    let resolve_error = Signal::derive(move || resolve.value().get().and_then(Result::err));
    view! {
        <Title text="Claim"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! {
                        <section class="claim">
                            <h1>{format!("Claim on {}: {}", c.reference, c.kind)}</h1>
                            <dl class="stats">
                                <div><dt>"Claim"</dt><dd>{c.state.clone()}</dd></div>
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
                            {(c.state == "open").then(|| view! {
                                <ActionForm action=post attr:class="form">
                                    <FormError error=post_error/>
                                    <input type="hidden" name="claim_id" value=c.id/>
                                    <div class="field">
                                        <label for="claim-body">"Your message"</label>
                                        <textarea id="claim-body" name="body" rows="3" maxlength="2000"></textarea>
                                    </div>
                                    <button type="submit" class="button">"Send message"</button>
                                </ActionForm>
                            })}
                            {(!c.outcomes.is_empty()).then(|| view! {
                                <ActionForm action=resolve attr:class="form card">
                                    <h2>"Resolve"</h2>
                                    <FormError error=resolve_error/>
                                    <input type="hidden" name="claim_id" value=c.id/>
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
                                </ActionForm>
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
