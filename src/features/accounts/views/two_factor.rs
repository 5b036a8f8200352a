//! `/login/code`, the second step of signing in, and
//! `/account/two-factor`, where an authenticator app is set up and
//! recovery codes are made.

use super::super::two_factor::*;
use crate::ui::form::{FormError, PageForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginCodePage() -> impl IntoView {
    let action = ServerAction::<SignInCode>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = crate::ui::form::action_error(action);
    view! {
        <Title text="Enter your sign-in code"/>
        <section class="card narrow">
            <h1>"Enter your sign-in code"</h1>
            <p>"Your password was right. Open your authenticator app and type the code it shows for TradeIn."</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <TextField label="Sign-in code" name="code" autocomplete="one-time-code" inputmode="text"
                    hint="6 digits from your app, or one of your recovery codes (like abcde-fghjk)."/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Sign in"</button>
            </PageForm>
            <p class="muted">"Lost your phone and your recovery codes? Contact us: we check who you are before we turn two-factor sign-in off. "
                <a href="/login">"Start again"</a></p>
        </section>
    }
}

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let start = ServerAction::<StartTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let saved = ServerAction::<RecoveryCodesSaved>::new();
    let off = ServerAction::<TurnOffTwoFactor>::new();
    let query = use_query_map();
    let data = crate::ui::data::load(
        move || {
            (
                start.version().get(),
                confirm.version().get(),
                renew.version().get(),
                saved.version().get(),
                off.version().get(),
            )
        },
        |_| load_two_factor(),
    );
    view! {
        <Title text="Two-factor sign-in"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let next = query.read_untracked().get("next").filter(|n| n.starts_with('/') && !n.starts_with("//"));
                match data.await {
                    Ok(v) => view! {
                        <h1>"Two-factor sign-in"</h1>
                        <p class="muted"><a href="/account">"Back to your account"</a></p>
                        {v.fresh_codes.clone().map(|codes| view! { <FreshCodes codes=codes saved=saved/> })}
                        {next.filter(|_| v.enabled && v.fresh_codes.is_none()).map(|n| view! {
                            <p><a class="button primary" href=n>"Continue"</a></p>
                        })}
                        {match (v.enabled, v.pending.clone()) {
                            (_, Some(p)) => view! { <Enrol pending=p confirm=confirm/> }.into_any(),
                            (true, None) => view! { <Enabled view=v.clone() start=start renew=renew off=off/> }.into_any(),
                            (false, None) => view! { <Start required=v.required start=start/> }.into_any(),
                        }}
                    }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/account/two-factor"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Start(required: bool, start: ServerAction<StartTwoFactor>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="start-heading">
            <h2 id="start-heading">"Set up two-factor sign-in"</h2>
            {if required {
                "Your account moves money and sees other people's details, so it signs in with a code from an authenticator app as well as a password. Until it does, your area stays closed."
            } else {
                "Sign in with a code from an authenticator app as well as your password: someone who learns your password still cannot get in or change where your money goes."
            }}
            <p class="muted">"Any authenticator app works: Google Authenticator, Microsoft Authenticator, 1Password, Bitwarden, Aegis, FreeOTP…"</p>
            <PageForm action=start class="form" novalidate=true>
                <FormError/>
                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button primary">"Set up two-factor sign-in"</button>
            </PageForm>
        </section>
    }
}

#[component]
fn Enrol(pending: PendingApp, confirm: ServerAction<ConfirmTwoFactor>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="enrol-heading">
            <h2 id="enrol-heading">"Scan this code with your authenticator app"</h2>
            <div class="qr" role="img" aria-label="QR code to add TradeIn to an authenticator app" inner_html=pending.qr_svg></div>
            <p>"Cannot scan? Add an account by hand with this key (time-based):"</p>
            <p><code class="secret" aria-label="Setup key">{pending.secret}</code></p>
            <p class="muted"><a href=pending.otpauth_url rel="external">"Open in an authenticator app on this device"</a></p>
            <PageForm action=confirm class="form" novalidate=true>
                <FormError/>
                <TextField label="Code from your app" name="code" autocomplete="one-time-code" inputmode="numeric"
                    hint="The 6 digits the app shows for TradeIn."/>
                <button type="submit" class="button primary">"Turn on two-factor sign-in"</button>
            </PageForm>
        </section>
    }
}

#[component]
fn FreshCodes(codes: Vec<String>, saved: ServerAction<RecoveryCodesSaved>) -> impl IntoView {
    view! {
        <section class="card notice success" aria-labelledby="codes-heading">
            <h2 id="codes-heading">"Your recovery codes"</h2>
            <p>"Each code signs you in once if you lose your phone. Print them or keep them in a password manager now: they are not shown again."</p>
            <ul class="recovery-codes" aria-label="Recovery codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <PageForm action=saved class="form inline">
                <button type="submit" class="button primary">"I have saved my recovery codes"</button>
            </PageForm>
        </section>
    }
}

#[component]
fn Enabled(
    view: TwoFactorView,
    start: ServerAction<StartTwoFactor>,
    renew: ServerAction<RenewRecoveryCodes>,
    off: ServerAction<TurnOffTwoFactor>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="on-heading">
            <h2 id="on-heading">"Two-factor sign-in is on"</h2>
            <p>"Signing in takes your password and a code from your app. "
                {format!("{} of 10 recovery codes left.", view.codes_left)}</p>
            <h3>"New recovery codes"</h3>
            <PageForm action=renew key="codes" class="form" novalidate=true>
                <FormError/>
                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button">"Make new recovery codes"</button>
            </PageForm>
            <h3>"New phone"</h3>
            <p class="muted">"Your current app keeps working until the new one is confirmed."</p>
            <PageForm action=start key="new-app" class="form" novalidate=true>
                <FormError/>
                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button">"Use a new authenticator app"</button>
            </PageForm>
            {(!view.required).then(|| view! {
                <h3>"Turn off"</h3>
                <PageForm action=off key="off" class="form" novalidate=true>
                    <FormError/>
                    <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"/>
                    <TextField label="Code from your app" name="code" autocomplete="one-time-code" hint="Or one of your recovery codes."/>
                    <button type="submit" class="button danger">"Turn off two-factor sign-in"</button>
                </PageForm>
            })}
        </section>
    }
}
