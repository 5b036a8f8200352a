use super::super::*;
use crate::domain::account::SIGN_IN_LINK_MINUTES;
use crate::i18n::{use_texts, Msg};
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login/link`: asks for a sign-in link by email, or, opened from that
/// email (`?token=`), signs in with one button. The link itself only shows
/// this page, so a mail scanner following it does not use it up.
#[component]
pub fn SignInLinkPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Title text=t.get(Msg::LinkTitle)/>
        <section class="card narrow">
            {move || {
                let token = token();
                if token.is_empty() { view! { <RequestLink/> }.into_any() } else { view! { <UseLink token/> }.into_any() }
            }}
        </section>
    }
}

#[component]
fn RequestLink() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<RequestSignInLink>::new();
    let error = crate::ui::form::action_error(action);
    view! {
        <h1>{t.get(Msg::LinkTitle)}</h1>
        <p class="muted">{t.get(Msg::LinkIntro)}</p>
        <PageForm action=action class="form" novalidate=true>
            <FormError error=error/>
            <TextField label=t.get(Msg::AccountEmail) name="email" kind="email" autocomplete="email"/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>{t.get(Msg::LinkEmailMe)}</button>
        </PageForm>
        <p class="muted"><a href="/login">{t.get(Msg::AccountBackToSignIn)}</a></p>
    }
}

#[component]
fn UseLink(token: String) -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SignInWithLink>::new();
    let error = crate::ui::form::action_error(action);
    let message = Signal::derive(move || error.get().and_then(|e| e.field("token")));
    view! {
        <h1>{t.get(Msg::LoginTitle)}</h1>
        <p class="muted">{t.get(Msg::LinkOpened)}</p>
        <PageForm action=action class="form">
            <FormError error=error/>
            {move || message.get().map(|m| view! {
                <p class="field-error">{m}" "<a href="/login/link">{t.get(Msg::LinkGetNew)}</a></p>
            })}
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>{t.get(Msg::LinkSubmit)}</button>
        </PageForm>
    }
}

/// Where a link request and a sign-up with a known address end: the same
/// words whether or not the address has an account.
#[component]
pub fn LinkSentPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.get(Msg::AccountCheckEmail)/>
        <section class="card narrow">
            <h1>{t.get(Msg::AccountCheckEmail)}</h1>
            <p>{t.fill(Msg::LinkSent, &[("minutes", &SIGN_IN_LINK_MINUTES)])}</p>
            <p class="muted">{super::reset::nothing_arrived(t, "/login/link", Msg::LinkAskAnother)}</p>
        </section>
    }
}
