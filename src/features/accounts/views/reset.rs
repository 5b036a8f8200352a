//! A forgotten password: ask for a link by email, then choose a new
//! password from the page it opens.

use super::super::*;
use crate::ui::form::{FormError, PageForm, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/login/reset`: asks for a reset link; `/login/reset/new?token=` sets
/// the new password.
#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text="Reset your password"/>
        <section class="card narrow">
            <h1>"Reset your password"</h1>
            <p class="muted">"We email you a link to choose a new password. It works once, for "{crate::domain::account::RESET_LINK_MINUTES}" minutes."</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError/>
                <TextField label="Email" name="email" kind="email" autocomplete="email"/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Email me a reset link"</button>
            </PageForm>
            <p class="muted"><a href="/login">"Back to sign in"</a></p>
        </section>
    }
}

#[component]
pub fn ResetSentPage() -> impl IntoView {
    view! {
        <Title text="Check your email"/>
        <section class="card narrow">
            <h1>"Check your email"</h1>
            <p>"If this address has a TradeIn account, we have sent it a link to choose a new password. The link works once, for "
                {crate::domain::account::RESET_LINK_MINUTES}" minutes."</p>
            <p class="muted">"Nothing arrived after a few minutes? Check your spam folder, or " <a href="/login/reset">"ask again"</a>"."</p>
        </section>
    }
}

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    view! {
        <Title text="Choose a new password"/>
        <section class="card narrow">
            <h1>"Choose a new password"</h1>
            <p class="muted">"Saving it signs out every other browser where your account is open."</p>
            <PageForm action=action class="form" novalidate=true>
                <super::account::TokenFields ask_again="/login/reset"/>
                <TextField label="New password" name="password" kind="password" autocomplete="new-password" hint="At least 10 characters."/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Save and sign in"</button>
            </PageForm>
        </section>
    }
}
