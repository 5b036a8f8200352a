use super::super::*;
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
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Title text="Sign in with a link"/>
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
    let action = ServerAction::<RequestSignInLink>::new();
    let error = crate::ui::form::action_error(action);
    view! {
        <h1>"Sign in with a link"</h1>
        <p class="muted">
            "Forgot your password, or told to wait after too many tries? We email you a link that signs you in once, without your password."
        </p>
        <PageForm action=action class="form" novalidate=true>
            <FormError error=error/>
            <TextField label="Email" name="email" kind="email" autocomplete="email"/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Email me a sign-in link"</button>
        </PageForm>
        <p class="muted"><a href="/login">"Back to sign in"</a></p>
    }
}

#[component]
fn UseLink(token: String) -> impl IntoView {
    let action = ServerAction::<SignInWithLink>::new();
    let error = crate::ui::form::action_error(action);
    let message = Signal::derive(move || error.get().and_then(|e| e.field("token")));
    view! {
        <h1>"Sign in"</h1>
        <p class="muted">"You opened a sign-in link from your email."</p>
        <PageForm action=action class="form">
            <FormError error=error/>
            {move || message.get().map(|m| view! {
                <p class="field-error">{m}" "<a href="/login/link">"Get a new link"</a></p>
            })}
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Sign in to TradeIn"</button>
        </PageForm>
    }
}

/// Where a link request and a sign-up with a known address end: the same
/// words whether or not the address has an account.
#[component]
pub fn LinkSentPage() -> impl IntoView {
    view! {
        <Title text="Check your email"/>
        <section class="card narrow">
            <h1>"Check your email"</h1>
            <p>
                "If this address can be used with TradeIn, we have sent it a message with a link to continue. The link works once, for "
                {crate::domain::account::SIGN_IN_LINK_MINUTES}" minutes."
            </p>
            <p class="muted">"Nothing arrived after a few minutes? Check your spam folder, or " <a href="/login/link">"ask for another link"</a>"."</p>
        </section>
    }
}
