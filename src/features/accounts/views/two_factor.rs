//! `/login/code`, the second step of signing in, and
//! `/account/two-factor`, where an authenticator app is set up and
//! recovery codes are made.

use super::super::two_factor::*;
use crate::domain::two_factor::RECOVERY_CODES;
use crate::i18n::{use_texts, Msg};
use crate::ui::form::{FormError, PageForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginCodePage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SignInCode>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = crate::ui::form::action_error(action);
    view! {
        <Title text=t.get(Msg::CodeTitle)/>
        <section class="card narrow">
            <h1>{t.get(Msg::CodeTitle)}</h1>
            <p>{t.get(Msg::CodeIntro)}</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <TextField label=t.get(Msg::CodeLabel) name="code" autocomplete="one-time-code" inputmode="text"
                    hint=t.get(Msg::CodeHint)/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{t.get(Msg::LoginSubmit)}</button>
            </PageForm>
            <p class="muted">{t.get(Msg::CodeLost)}" "
                <a href="/login">{t.get(Msg::CodeStartAgain)}</a></p>
        </section>
    }
}

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let t = use_texts();
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
        <Title text=t.get(Msg::TwoFactorTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                let next = query.read_untracked().get("next").filter(|n| n.starts_with('/') && !n.starts_with("//"));
                match data.await {
                    Ok(v) => view! {
                        <h1>{t.get(Msg::TwoFactorTitle)}</h1>
                        <p class="muted"><a href="/account">{t.get(Msg::AccountBack)}</a></p>
                        {v.fresh_codes.clone().map(|codes| view! { <FreshCodes codes=codes saved=saved/> })}
                        {next.filter(|_| v.enabled && v.fresh_codes.is_none()).map(|n| view! {
                            <p><a class="button primary" rel=crate::ui::redirects::rel_to(&n) href=n.clone()>{t.get(Msg::TwoFactorContinue)}</a></p>
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
    let t = use_texts();
    view! {
        <section class="card" aria-labelledby="start-heading">
            <h2 id="start-heading">{t.get(Msg::TwoFactorSetUp)}</h2>
            {t.get(if required { Msg::TwoFactorRequired } else { Msg::TwoFactorOptional })}
            <p class="muted">{t.get(Msg::TwoFactorAnyApp)}</p>
            <PageForm action=start class="form" novalidate=true>
                <FormError/>
                <TextField label=t.get(Msg::AccountCurrentPassword) name="current_password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button primary">{t.get(Msg::TwoFactorSetUp)}</button>
            </PageForm>
        </section>
    }
}

#[component]
fn Enrol(pending: PendingApp, confirm: ServerAction<ConfirmTwoFactor>) -> impl IntoView {
    let t = use_texts();
    view! {
        <section class="card" aria-labelledby="enrol-heading">
            <h2 id="enrol-heading">{t.get(Msg::TwoFactorScan)}</h2>
            <div class="qr" role="img" aria-label=t.get(Msg::TwoFactorQrLabel) inner_html=pending.qr_svg></div>
            <p>{t.get(Msg::TwoFactorCannotScan)}</p>
            <p><code class="secret" aria-label=t.get(Msg::TwoFactorSetupKey)>{pending.secret}</code></p>
            <p class="muted"><a href=pending.otpauth_url rel="external">{t.get(Msg::TwoFactorOpenApp)}</a></p>
            <PageForm action=confirm class="form" novalidate=true>
                <FormError/>
                <TextField label=t.get(Msg::TwoFactorCodeLabel) name="code" autocomplete="one-time-code" inputmode="numeric"
                    hint=t.get(Msg::TwoFactorCodeHint)/>
                <button type="submit" class="button primary">{t.get(Msg::TwoFactorTurnOn)}</button>
            </PageForm>
        </section>
    }
}

#[component]
fn FreshCodes(codes: Vec<String>, saved: ServerAction<RecoveryCodesSaved>) -> impl IntoView {
    let t = use_texts();
    view! {
        <section class="card notice success" aria-labelledby="codes-heading">
            <h2 id="codes-heading">{t.get(Msg::TwoFactorCodesTitle)}</h2>
            <p>{t.get(Msg::TwoFactorCodesIntro)}</p>
            <ul class="recovery-codes" aria-label=t.get(Msg::TwoFactorCodesLabel)>
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <PageForm action=saved class="form inline">
                <button type="submit" class="button primary">{t.get(Msg::TwoFactorCodesSaved)}</button>
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
    let t = use_texts();
    view! {
        <section class="card" aria-labelledby="on-heading">
            <h2 id="on-heading">{t.get(Msg::TwoFactorOnTitle)}</h2>
            <p>{t.get(Msg::TwoFactorOnText)}" "
                {t.fill(Msg::TwoFactorCodesLeft, &[("left", &view.codes_left), ("total", &RECOVERY_CODES)])}</p>
            <h3>{t.get(Msg::TwoFactorNewCodes)}</h3>
            <PageForm action=renew key="codes" class="form" novalidate=true>
                <FormError/>
                <TextField label=t.get(Msg::AccountCurrentPassword) name="current_password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button">{t.get(Msg::TwoFactorMakeCodes)}</button>
            </PageForm>
            <h3>{t.get(Msg::TwoFactorNewPhone)}</h3>
            <p class="muted">{t.get(Msg::TwoFactorNewPhoneText)}</p>
            <PageForm action=start key="new-app" class="form" novalidate=true>
                <FormError/>
                <TextField label=t.get(Msg::AccountCurrentPassword) name="current_password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button">{t.get(Msg::TwoFactorNewApp)}</button>
            </PageForm>
            {(!view.required).then(|| view! {
                <h3>{t.get(Msg::TwoFactorTurnOffTitle)}</h3>
                <PageForm action=off key="off" class="form" novalidate=true>
                    <FormError/>
                    <TextField label=t.get(Msg::AccountCurrentPassword) name="current_password" kind="password" autocomplete="current-password"/>
                    <TextField label=t.get(Msg::TwoFactorCodeLabel) name="code" autocomplete="one-time-code" hint=t.get(Msg::TwoFactorOffCodeHint)/>
                    <button type="submit" class="button danger">{t.get(Msg::TwoFactorTurnOff)}</button>
                </PageForm>
            })}
        </section>
    }
}
