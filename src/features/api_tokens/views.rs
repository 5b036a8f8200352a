//! `/seller/api`: the refurbisher's API tokens.

use super::*;
use crate::domain::api_token::TokenError;
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use crate::ui::form::{Checkbox, Fieldset, FormError, PageForm, TextField};
use leptos_meta::Title;

/// A token form's refusal in the areas' language.
pub fn token_error(st: StaffTexts, e: &TokenError) -> String {
    match e {
        TokenError::NoScope | TokenError::UnknownScope(_) => st.get(Staff::ApiErrorNoScope).into(),
        TokenError::NameEmpty => st.get(Staff::ApiErrorNameEmpty).into(),
        TokenError::NameTooLong => st.fill(
            Staff::ApiErrorNameTooLong,
            &[("max", &crate::domain::api_token::MAX_NAME)],
        ),
        TokenError::Lifetime => st.fill(
            Staff::ApiErrorLifetime,
            &[("max", &crate::domain::api_token::MAX_DAYS)],
        ),
    }
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let tokens = crate::ui::data::load(|| (), |_| load_api_tokens());
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    // Both read each time, so the effect follows both actions.
    Effect::new(move |_| {
        let made = matches!(create.value().get(), Some(Ok(_)));
        let revoked = matches!(revoke.value().get(), Some(Ok(())));
        if made || revoked {
            tokens.refetch();
        }
    });
    let error = crate::ui::form::action_error(create);
    let revoke_error = crate::ui::form::action_error(revoke);
    let st = use_staff();
    let state_name = move |s: TokenState| {
        st.get(match s {
            TokenState::Active => Staff::ApiStateActive,
            TokenState::Expired => Staff::ApiStateExpired,
            TokenState::Revoked => Staff::ApiStateRevoked,
        })
    };
    view! {
        <Title text=st.get(Staff::ApiTitle)/>
        <section class="card">
            <p><a href="/seller">{st.get(Staff::ApiBack)}</a></p>
            <h1>{st.get(Staff::ApiHeading)}</h1>
            <p>{st.get(Staff::ApiIntro)}</p>
            <p>
                <a href="/api/v1/docs" rel="external">{st.get(Staff::ApiReference)}</a>
                " · "
                <a href="/seller/api/webhooks">{st.get(Staff::WebhooksLink)}</a>
            </p>
        </section>
        <section class="card" aria-labelledby="new-token">
            <h2 id="new-token">{st.get(Staff::ApiNewHeading)}</h2>
            <PageForm action=create class="form" novalidate=true>
                <FormError error=error/>
                <TextField label=st.get(Staff::ApiName) name="name" hint=st.get(Staff::ApiNameHint)/>
                <Fieldset name="scopes" legend=st.get(Staff::ApiScopes)>
                    <Checkbox name="listings_read" label=st.get(Staff::ApiScopeListingsRead)/>
                    <Checkbox name="listings_write" label=st.get(Staff::ApiScopeListingsWrite)/>
                    <Checkbox name="orders_read" label=st.get(Staff::ApiScopeOrdersRead)/>
                    <Checkbox name="orders_write" label=st.get(Staff::ApiScopeOrdersWrite)/>
                    <Checkbox name="webhooks_manage" label=st.get(Staff::ApiScopeWebhooksManage)/>
                </Fieldset>
                <TextField label=st.get(Staff::ApiDays) name="days" inputmode="numeric" hint=st.get(Staff::ApiDaysHint)/>
                <button type="submit" class="button primary" disabled=move || create.pending().get()>{st.get(Staff::ApiCreate)}</button>
            </PageForm>
            {move || match create.value().get() {
                Some(Ok(token)) => Some(view! {
                    <div class="notice success" role="status">
                        <p>{st.get(Staff::ApiCreated)}</p>
                        <label for="new-token-value">{st.get(Staff::ApiToken)}</label>
                        <input id="new-token-value" type="text" readonly value=token class="token"/>
                    </div>
                }),
                _ => None,
            }}
        </section>
        <section class="card" aria-labelledby="tokens">
            <h2 id="tokens">{st.get(Staff::ApiYours)}</h2>
            <FormError error=revoke_error/>
            <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => view! { <p>{st.get(Staff::ApiNone)}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{st.get(Staff::ApiName)}</th>
                                    <th scope="col">{st.get(Staff::ApiToken)}</th>
                                    <th scope="col">{st.get(Staff::ApiScopes)}</th>
                                    <th scope="col">{st.get(Staff::ApiCreatedAt)}</th>
                                    <th scope="col">{st.get(Staff::ApiExpires)}</th>
                                    <th scope="col">{st.get(Staff::ApiLastUsed)}</th>
                                    <th scope="col">{st.get(Staff::ApiState)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|t| {
                                        let never = st.get(Staff::ApiNever);
                                        view! {
                                            <tr>
                                                <th scope="row">{t.name.clone()}</th>
                                                <td><code>{t.shown}</code></td>
                                                <td>{t.scopes}</td>
                                                <td>{t.created}</td>
                                                <td>{t.expires.unwrap_or_else(|| never.to_string())}</td>
                                                <td>{t.last_used.unwrap_or_else(|| never.to_string())}</td>
                                                <td>
                                                    {state_name(t.state)}
                                                    {(t.state == TokenState::Active).then(|| view! {
                                                        <PageForm action=revoke class="inline">
                                                            <input type="hidden" name="id" value=t.id.to_string()/>
                                                            <button type="submit" class="button danger small">{st.fill(Staff::ApiRevoke, &[("name", &t.name)])}</button>
                                                        </PageForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller/api"/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
