//! `/account`: the person's address (confirmed or not), their password and
//! address changes, and where they are signed in. And the pages emailed
//! links open: confirming an address, confirming a new one.

use super::super::*;
use crate::ui::form::{FormError, PageForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
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
        <Title text="Your account"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let notice = {
                    let q = query.read_untracked();
                    if q.get("verified").is_some() {
                        Some("Thank you: your email address is confirmed.")
                    } else if q.get("email_changed").is_some() {
                        Some("Your account now uses its new email address.")
                    } else {
                        None
                    }
                };

                match data.await {
                    Ok(a) => view! {
                        <h1>"Your account"</h1>
                        {notice.map(|n| view! { <div class="notice success" role="status"><p>{n}</p></div> })}
                        <section class="card" aria-labelledby="email-heading">
                            <h2 id="email-heading">"Email address"</h2>
                            <p>{a.email.clone()}" · "{if a.email_verified { "confirmed" } else { "not confirmed yet" }}</p>
                            {(!a.email_verified).then(|| view! {
                                <p class="muted">"We pay only accounts whose address is confirmed: open the link we emailed you."</p>
                                <PageForm action=resend class="form inline">
                                    <button type="submit" class="button">"Email me the link again"</button>
                                    <span role="status">{move || resend.value().get().map(|r| match r {
                                        Ok(true) => "Sent: check your inbox.".to_string(),
                                        Ok(false) => "Nothing sent: your address is confirmed, or several links went out this hour.".to_string(),
                                        Err(e) => e.to_string(),
                                    })}</span>
                                </PageForm>
                            })}
                            <h3>"Change your email address"</h3>
                            <PageForm action=email key="email" class="form" novalidate=true>
                                <FormError/>
                                <TextField label="New email address" name="new_email" kind="email" autocomplete="email"/>
                                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"/>
                                <button type="submit" class="button">"Send a confirmation link"</button>
                                {move || matches!(email.value().get(), Some(Ok(()))).then(|| view! {
                                    <p class="notice" role="status">"If this address can be used, we have sent it a link: your account moves to it once you open that link. Your current address has been told."</p>
                                })}
                            </PageForm>
                        </section>
                        <section class="card" aria-labelledby="password-heading">
                            <h2 id="password-heading">"Password"</h2>
                            <PageForm action=password key="password" class="form" novalidate=true>
                                <FormError/>
                                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"/>
                                <TextField label="New password" name="new_password" kind="password" autocomplete="new-password" hint="At least 10 characters."/>
                                <button type="submit" class="button">"Change password"</button>
                                {move || matches!(password.value().get(), Some(Ok(()))).then(|| view! {
                                    <p class="notice success" role="status">"Password changed. Every other browser was signed out."</p>
                                })}
                            </PageForm>
                        </section>
                        <section class="card" aria-labelledby="two-factor-heading">
                            <h2 id="two-factor-heading">"Two-factor sign-in"</h2>
                            <p>{if a.two_factor { "On: signing in takes your password and a code from your authenticator app." } else { "Off: signing in takes your password alone." }}</p>
                            <p><a class="button" href="/account/two-factor">{if a.two_factor { "Manage two-factor sign-in" } else { "Set up two-factor sign-in" }}</a></p>
                        </section>
                        <Sessions sessions=a.sessions end_one=end_one end_others=end_others/>
                        <section class="card" aria-labelledby="data-heading">
                            <h2 id="data-heading">"Your data"</h2>
                            <p>"Download everything we hold about you, or delete your account."</p>
                            <p><a class="button" href="/account/data">"Your data and deleting your account"</a></p>
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
    let others = sessions.iter().filter(|s| !s.current).count();
    view! {
        <section class="card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Where you are signed in"</h2>
            <p class="muted">"A session ends 30 days after signing in" {" (operations: after 12 hours without use)"}"."</p>
            <table class="table">
                <thead><tr><th scope="col">"Device"</th><th scope="col">"Address"</th><th scope="col">"Signed in"</th><th scope="col">"Last seen"</th><th scope="col">"Action"</th></tr></thead>
                <tbody>
                    {sessions.into_iter().map(|s| {
                        let label = format!("Sign out {} ({})", s.device, s.client);
                        view! {
                            <tr>
                                <td>{s.device.clone()}{s.current.then_some(" · this browser")}</td>
                                <td>{s.client.clone()}</td>
                                <td><crate::ui::When m=s.started.clone()/></td>
                                <td><crate::ui::When m=s.last_seen.clone()/></td>
                                <td>
                                    {(!s.current).then(|| view! {
                                        <PageForm action=end_one key=s.handle.clone()>
                                            <input type="hidden" name="handle" value=s.handle.clone()/>
                                            <button type="submit" class="button small" aria-label=label.clone()>"Sign out this session"</button>
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
                    <button type="submit" class="button">"Sign out everywhere else"</button>
                </PageForm>
            })}
        </section>
    }
}

/// `/account/verify?token=`: one button confirms the address.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    view! {
        <Title text="Confirm your email address"/>
        <section class="card narrow">
            <h1>"Confirm your email address"</h1>
            <PageForm action=action class="form">
                <TokenFields ask_again="/account"/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Confirm my email address"</button>
            </PageForm>
        </section>
    }
}

/// `/account/email?token=`: one button moves the account to the new address.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmailChange>::new();
    view! {
        <Title text="Confirm your new email address"/>
        <section class="card narrow">
            <h1>"Confirm your new email address"</h1>
            <PageForm action=action class="form">
                <TokenFields ask_again="/account"/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Use this address"</button>
            </PageForm>
        </section>
    }
}

/// The link's token, and what is wrong with it (expired, used) with where
/// to ask for a new one.
#[component]
pub fn TokenFields(ask_again: &'static str) -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let state = use_context::<crate::ui::form::FormState>();
    let problem = state
        .map(|s| s.field_error("token"))
        .unwrap_or_else(|| Signal::stored(None));
    view! {
        <FormError/>
        <input type="hidden" name="token" value=token/>
        <p class="field-error" id="field-token">{move || problem.get().map(|m| view! { {m}" " <a href=ask_again>"Ask for a new link"</a> })}</p>
    }
}
