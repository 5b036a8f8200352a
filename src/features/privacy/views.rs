//! `/account/data`: downloading one's data and deleting one's account;
//! and the page a deleted account ends on.

use crate::ui::form::{Checkbox, FormError, PageForm, TextField, UploadForm};
use leptos::prelude::*;
use leptos_meta::Title;

/// What deleting an account erases, and what stays and why: said before
/// and after, in the same words.
#[component]
fn WhatIsKept() -> impl IntoView {
    view! {
        <h3>"Erased"</h3>
        <ul>
            <li>"Your name, email address and password, and your two-factor settings."</li>
            <li>"The addresses, date of birth, account holder and bank account (IBAN) you gave for your trade-ins."</li>
            <li>"What you wrote in claims, the text of the mail we sent you, your sessions and sign-in history."</li>
        </ul>
        <h3>"Kept, no longer linked to you"</h3>
        <ul>
            <li>"Each trade-in's device, price, dates and history, and each payment with its masked IBAN (like FR76 •••• 2606): accounting law requires us to keep records of what we bought and paid for 10 years (French Commercial Code, article L123-22), and refurbishers may still dispute a device."</li>
            <li>"The audit trail of what our staff did, which protects you and others from fraud."</li>
        </ul>
    }
}

/// The form name of the full export (its route answers a refusal with the
/// account page again).
pub const FULL_EXPORT_FORM: &str = "account-data-full";

#[component]
pub fn MyDataPage() -> impl IntoView {
    let user = crate::ui::data::load(|| (), |_| crate::features::accounts::get_current_user());
    view! {
        <Title text="Your data"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(_)) => view! {
                        <h1>"Your data"</h1>
                        <p class="muted"><a href="/account">"Back to your account"</a></p>
                        <MyData/>
                        <DeleteAccount/>
                    }.into_any(),
                    Ok(None) => view! { <crate::ui::errors::AccessProblem error=crate::error::AppError::Unauthenticated here="/account/data"/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/account/data"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyData() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="data-heading">
            <h2 id="data-heading">"Your data"</h2>
            <p>"Everything we hold about you (account, trade-ins and their history, claims and messages, mail we sent, sessions) in one JSON file. Your IBAN appears masked."</p>
            <p><a class="button" href="/account/data.json" rel="external" download="">"Download my data (JSON)"</a></p>
            <h3>"With your full bank details"</h3>
            <UploadForm form=FULL_EXPORT_FORM.to_string() key="export" class="form">
                <FormError/>
                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button">"Download with full IBANs"</button>
            </UploadForm>
        </section>
    }
}

#[component]
fn DeleteAccount() -> impl IntoView {
    let action = ServerAction::<super::DeleteAccount>::new();
    view! {
        <section class="card" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete my account"</h2>
            <p>"You can delete your account once none of your trade-ins or claims is in progress. It cannot be undone."</p>
            <WhatIsKept/>
            <PageForm action=action key="delete" class="form" novalidate=true>
                <FormError/>
                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"/>
                <Checkbox name="confirm" label="I understand that my account and my personal data go for good"/>
                <button type="submit" class="button danger">"Delete my account"</button>
            </PageForm>
        </section>
    }
}

#[component]
pub fn AccountDeletedPage() -> impl IntoView {
    view! {
        <Title text="Your account is deleted"/>
        <section class="card narrow">
            <h1>"Your account is deleted"</h1>
            <p>"You are signed out everywhere, and nobody can sign in to it any more."</p>
            <WhatIsKept/>
            <p><a class="button primary" href="/" rel="external">"Go to the home page"</a></p>
        </section>
    }
}
