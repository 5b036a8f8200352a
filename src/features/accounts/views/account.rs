//! `/account`: the person's address (confirmed or not), their password and
//! address changes, and where they are signed in. And the pages emailed
//! links open: confirming an address, confirming a new one.

use super::super::*;
use crate::domain::account::PASSWORD_MIN_CHARS;
use crate::i18n::{use_texts, Msg};
use crate::ui::form::{FormError, PageForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let password = ServerAction::<ChangePassword>::new();
    let email = ServerAction::<ChangeEmail>::new();
    let end_one = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let resend = ServerAction::<ResendVerification>::new();
    let data = crate::ui::data::load(
        move || {
            (
                end_one.version().get(),
                end_others.version().get(),
                email.version().get(),
            )
        },
        |_| load_account(),
    );
    view! {
        <Title text=t.get(Msg::AccountTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                let notice = {
                    let q = query.read_untracked();
                    if q.get("verified").is_some() {
                        Some(t.get(Msg::AccountVerified))
                    } else if q.get("email_changed").is_some() {
                        Some(t.get(Msg::AccountEmailChanged))
                    } else {
                        None
                    }
                };

                match data.await {
                    Ok(a) => view! {
                        <h1>{t.get(Msg::AccountTitle)}</h1>
                        {notice.map(|n| view! { <div class="notice success" role="status"><p>{n}</p></div> })}
                        <section class="card" aria-labelledby="email-heading">
                            <h2 id="email-heading">{t.get(Msg::AccountEmailHeading)}</h2>
                            <p>{a.email.clone()}" · "{t.get(if a.email_verified { Msg::AccountConfirmed } else { Msg::AccountNotConfirmed })}</p>
                            {(!a.email_verified).then(|| view! {
                                <p class="muted">{t.get(Msg::AccountPayConfirmedOnly)}</p>
                                <PageForm action=resend class="form inline">
                                    <button type="submit" class="button">{t.get(Msg::AccountResend)}</button>
                                    <span role="status">{move || resend.value().get().map(|r| match r {
                                        Ok(true) => t.get(Msg::AccountResent).to_string(),
                                        Ok(false) => t.get(Msg::AccountNotResent).to_string(),
                                        Err(e) => crate::i18n::errors::said(&e),
                                    })}</span>
                                </PageForm>
                            })}
                            <h3>{t.get(Msg::AccountChangeEmail)}</h3>
                            <PageForm action=email key="email" class="form" novalidate=true>
                                <FormError/>
                                <TextField label=t.get(Msg::AccountNewEmail) name="new_email" kind="email" autocomplete="email"/>
                                <TextField label=t.get(Msg::AccountCurrentPassword) name="current_password" kind="password" autocomplete="current-password"/>
                                <button type="submit" class="button">{t.get(Msg::AccountSendConfirmation)}</button>
                                {move || matches!(email.value().get(), Some(Ok(()))).then(|| view! {
                                    <p class="notice" role="status">{t.get(Msg::AccountEmailChangeSent)}</p>
                                })}
                            </PageForm>
                        </section>
                        <section class="card" aria-labelledby="password-heading">
                            <h2 id="password-heading">{t.get(Msg::AccountPassword)}</h2>
                            <PageForm action=password key="password" class="form" novalidate=true>
                                <FormError/>
                                <TextField label=t.get(Msg::AccountCurrentPassword) name="current_password" kind="password" autocomplete="current-password"/>
                                <TextField label=t.get(Msg::AccountNewPassword) name="new_password" kind="password" autocomplete="new-password"
                                    hint=t.fill(Msg::AccountPasswordMin, &[("min", &PASSWORD_MIN_CHARS)])/>
                                <button type="submit" class="button">{t.get(Msg::AccountChangePassword)}</button>
                                {move || matches!(password.value().get(), Some(Ok(()))).then(|| view! {
                                    <p class="notice success" role="status">{t.get(Msg::AccountPasswordChanged)}</p>
                                })}
                            </PageForm>
                        </section>
                        <section class="card" aria-labelledby="two-factor-heading">
                            <h2 id="two-factor-heading">{t.get(Msg::TwoFactorTitle)}</h2>
                            <p>{t.get(if a.two_factor { Msg::AccountTwoFactorOn } else { Msg::AccountTwoFactorOff })}</p>
                            <p><a class="button" href="/account/two-factor">{t.get(if a.two_factor { Msg::AccountManageTwoFactor } else { Msg::TwoFactorSetUp })}</a></p>
                        </section>
                        <Sessions sessions=a.sessions end_one=end_one end_others=end_others/>
                        <section class="card" aria-labelledby="data-heading">
                            <h2 id="data-heading">{t.get(Msg::DataTitle)}</h2>
                            <p>{t.get(Msg::AccountDataText)}</p>
                            <p><a class="button" href="/account/data">{t.get(Msg::AccountDataLink)}</a></p>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/account"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sessions(
    sessions: Vec<SessionItem>,
    end_one: ServerAction<EndSession>,
    end_others: ServerAction<EndOtherSessions>,
) -> impl IntoView {
    let t = use_texts();
    let others = sessions.iter().filter(|s| !s.current).count();
    view! {
        <section class="card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{t.get(Msg::SessionsTitle)}</h2>
            <p class="muted">{t.get(Msg::SessionsLifetime)}</p>
            <table class="table">
                <thead><tr>
                    <th scope="col">{t.get(Msg::SessionsDevice)}</th>
                    <th scope="col">{t.get(Msg::SessionsAddress)}</th>
                    <th scope="col">{t.get(Msg::SessionsSignedIn)}</th>
                    <th scope="col">{t.get(Msg::SessionsLastSeen)}</th>
                    <th scope="col">{t.get(Msg::SessionsAction)}</th>
                </tr></thead>
                <tbody>
                    {sessions.into_iter().map(|s| {
                        let label = t.fill(Msg::SessionsSignOutLabel, &[("device", &s.device), ("client", &s.client)]);
                        view! {
                            <tr>
                                <td>{s.device.clone()}{s.current.then(|| format!(" · {}", t.get(Msg::SessionsThisBrowser)))}</td>
                                <td>{s.client.clone()}</td>
                                <td><crate::ui::When m=s.started.clone()/></td>
                                <td><crate::ui::When m=s.last_seen.clone()/></td>
                                <td>
                                    {(!s.current).then(|| view! {
                                        <PageForm action=end_one key=s.handle.clone()>
                                            <input type="hidden" name="handle" value=s.handle.clone()/>
                                            <button type="submit" class="button small" aria-label=label.clone()>{t.get(Msg::SessionsSignOut)}</button>
                                        </PageForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(others > 0).then(|| view! {
                <PageForm action=end_others class="form inline">
                    <button type="submit" class="button">{t.get(Msg::SessionsSignOutOthers)}</button>
                </PageForm>
            })}
        </section>
    }
}

/// `/account/verify?token=`: one button confirms the address.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<VerifyEmail>::new();
    view! {
        <Title text=t.get(Msg::VerifyTitle)/>
        <section class="card narrow">
            <h1>{t.get(Msg::VerifyTitle)}</h1>
            <PageForm action=action class="form">
                <TokenFields ask_again="/account"/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{t.get(Msg::VerifySubmit)}</button>
            </PageForm>
        </section>
    }
}

/// `/account/email?token=`: one button moves the account to the new address.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<ConfirmEmailChange>::new();
    view! {
        <Title text=t.get(Msg::EmailChangeTitle)/>
        <section class="card narrow">
            <h1>{t.get(Msg::EmailChangeTitle)}</h1>
            <PageForm action=action class="form">
                <TokenFields ask_again="/account"/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{t.get(Msg::EmailChangeSubmit)}</button>
            </PageForm>
        </section>
    }
}

/// The link's token, and what is wrong with it (expired, used) with where
/// to ask for a new one.
#[component]
pub fn TokenFields(ask_again: &'static str) -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let state = use_context::<crate::ui::form::FormState>();
    let problem = state
        .map(|s| s.field_error("token"))
        .unwrap_or_else(|| Signal::stored(None));
    view! {
        <FormError/>
        <input type="hidden" name="token" value=token/>
        <p class="field-error" id="field-token">{move || problem.get().map(|m| view! { {m}" " <a href=ask_again>{t.get(Msg::AccountAskNewLink)}</a> })}</p>
    }
}
