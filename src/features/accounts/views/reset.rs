//! A forgotten password: ask for a link by email, then choose a new
//! password from the page it opens.

use super::super::*;
use crate::domain::account::{PASSWORD_MIN_CHARS, RESET_LINK_MINUTES};
use crate::i18n::{use_texts, Msg, Texts};
use crate::ui::form::{FormError, PageForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/login/reset`: asks for a reset link; `/login/reset/new?token=` sets
/// the new password.
#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text=t.get(Msg::ResetTitle)/>
        <section class="card narrow">
            <h1>{t.get(Msg::ResetTitle)}</h1>
            <p class="muted">{t.fill(Msg::ResetIntro, &[("minutes", &RESET_LINK_MINUTES)])}</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError/>
                <TextField label=t.get(Msg::AccountEmail) name="email" kind="email" autocomplete="email"/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{t.get(Msg::ResetSubmit)}</button>
            </PageForm>
            <p class="muted"><a href="/login">{t.get(Msg::AccountBackToSignIn)}</a></p>
        </section>
    }
}

#[component]
pub fn ResetSentPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.get(Msg::AccountCheckEmail)/>
        <section class="card narrow">
            <h1>{t.get(Msg::AccountCheckEmail)}</h1>
            <p>{t.fill(Msg::ResetSent, &[("minutes", &RESET_LINK_MINUTES)])}</p>
            <p class="muted">{nothing_arrived(t, "/login/reset", Msg::ResetAskAgain)}</p>
        </section>
    }
}

/// "Nothing arrived? …, or ask again." with its link where the language
/// puts it.
pub(super) fn nothing_arrived(t: Texts, href: &'static str, link: Msg) -> impl IntoView {
    use crate::ui::{split_at_marker, MARKER};
    let (before, after) = split_at_marker(t.fill(Msg::AccountNothingArrived, &[("link", &MARKER)]));
    view! { {before}<a href=href>{t.get(link)}</a>{after} }
}

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<ResetPassword>::new();
    view! {
        <Title text=t.get(Msg::ResetNewTitle)/>
        <section class="card narrow">
            <h1>{t.get(Msg::ResetNewTitle)}</h1>
            <p class="muted">{t.get(Msg::ResetNewIntro)}</p>
            <PageForm action=action class="form" novalidate=true>
                <super::account::TokenFields ask_again="/login/reset"/>
                <TextField label=t.get(Msg::AccountNewPassword) name="password" kind="password" autocomplete="new-password"
                    hint=t.fill(Msg::AccountPasswordMin, &[("min", &PASSWORD_MIN_CHARS)])/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{t.get(Msg::ResetSave)}</button>
            </PageForm>
        </section>
    }
}
