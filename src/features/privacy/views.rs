//! `/account/data`: downloading one's data and deleting one's account;
//! and the page a deleted account ends on.

use crate::i18n::{use_texts, Msg};
use crate::ui::form::{Checkbox, FormError, PageForm, TextField, UploadForm};
use leptos::prelude::*;
use leptos_meta::Title;

/// What deleting an account erases, and what stays and why: said before
/// and after, in the same words.
#[component]
fn WhatIsKept() -> impl IntoView {
    let t = use_texts();
    view! {
        <h3>{t.get(Msg::DataErased)}</h3>
        <ul>
            <li>{t.get(Msg::DataErasedAccount)}</li>
            <li>{t.get(Msg::DataErasedDetails)}</li>
            <li>{t.get(Msg::DataErasedMessages)}</li>
        </ul>
        <h3>{t.get(Msg::DataKept)}</h3>
        <ul>
            <li>{t.get(Msg::DataKeptTradeIns)}</li>
            <li>{t.get(Msg::DataKeptAudit)}</li>
        </ul>
    }
}

/// The form name of the full export (its route answers a refusal with the
/// account page again).
pub const FULL_EXPORT_FORM: &str = "account-data-full";

#[component]
pub fn MyDataPage() -> impl IntoView {
    let t = use_texts();
    let user = crate::ui::data::load(|| (), |_| crate::features::accounts::get_current_user());
    view! {
        <Title text=t.get(Msg::DataTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::CommonLoading)}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(_)) => view! {
                        <h1>{t.get(Msg::DataTitle)}</h1>
                        <p class="muted"><a href="/account">{t.get(Msg::AccountBack)}</a></p>
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
    let t = use_texts();
    view! {
        <section class="card" aria-labelledby="data-heading">
            <h2 id="data-heading">{t.get(Msg::DataTitle)}</h2>
            <p>{t.get(Msg::DataIntro)}</p>
            <p><a class="button" href="/account/data.json" rel="external" download="">{t.get(Msg::DataDownload)}</a></p>
            <h3>{t.get(Msg::DataFullHeading)}</h3>
            <UploadForm form=FULL_EXPORT_FORM.to_string() key="export" class="form">
                <FormError/>
                <TextField label=t.get(Msg::AccountCurrentPassword) name="current_password" kind="password" autocomplete="current-password"/>
                <button type="submit" class="button">{t.get(Msg::DataDownloadFull)}</button>
            </UploadForm>
        </section>
    }
}

#[component]
fn DeleteAccount() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<super::DeleteAccount>::new();
    view! {
        <section class="card" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{t.get(Msg::DataDeleteHeading)}</h2>
            <p>{t.get(Msg::DataDeleteText)}</p>
            <WhatIsKept/>
            <PageForm action=action key="delete" class="form" novalidate=true>
                <FormError/>
                <TextField label=t.get(Msg::AccountCurrentPassword) name="current_password" kind="password" autocomplete="current-password"/>
                <Checkbox name="confirm" label=t.get(Msg::DataConfirm)/>
                <button type="submit" class="button danger">{t.get(Msg::DataDelete)}</button>
            </PageForm>
        </section>
    }
}

#[component]
pub fn AccountDeletedPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.get(Msg::DeletedTitle)/>
        <section class="card narrow">
            <h1>{t.get(Msg::DeletedTitle)}</h1>
            <p>{t.get(Msg::DeletedText)}</p>
            <WhatIsKept/>
            <p><a class="button primary" href="/" rel="external">{t.get(Msg::PageGoHome)}</a></p>
        </section>
    }
}
