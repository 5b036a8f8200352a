//! Refurbisher sign-up (`/seller/signup`): the company, its EU VAT number,
//! the warehouse address printed on labels, and a contact. The account
//! starts `pending`: prices can be prepared, and compete once operations
//! approve (see `server::onboarding`).

use super::super::*;
use crate::i18n::staff::{use_staff, Staff};
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, Select, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SellerSignupPage() -> impl IntoView {
    let action = ServerAction::<SellerSignup>::new();
    let error = crate::ui::form::action_error(action);
    let st = use_staff();
    let texts = crate::i18n::use_texts();
    let countries = crate::domain::address::COUNTRIES
        .iter()
        .map(|(code, name)| {
            let name = crate::i18n::errors::country(texts, code).unwrap_or(name);
            (code.to_string(), name.to_string())
        })
        .collect::<Vec<_>>();
    let (already, after) = crate::ui::split_at_marker(
        st.fill(Staff::SellerSignupAlready, &[("link", &crate::ui::MARKER)]),
    );
    view! {
        <Title text=st.get(Staff::SellerSignupTitle)/>
        <section class="card narrow">
            <h1>{st.get(Staff::SellerSignupHeading)}</h1>
            <p class="muted">{st.get(Staff::SellerSignupIntro)}</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <fieldset class="group">
                    <legend>{st.get(Staff::SellerSignupCompany)}</legend>
                    <TextField label=st.get(Staff::SellerSignupCompanyName) name="company" autocomplete="organization"/>
                    <TextField label=st.get(Staff::SellerSignupVatNumber) name="vat_number" hint=st.get(Staff::SellerSignupVatHint)/>
                </fieldset>
                <fieldset class="group">
                    <legend>{st.get(Staff::SellerSignupWarehouse)}</legend>
                    <super::address::StreetAndCity/>
                    <Select label=st.get(Staff::CommonAddressCountry) name="country" options=countries autocomplete="country"/>
                </fieldset>
                <fieldset class="group">
                    <legend>{st.get(Staff::SellerSignupContact)}</legend>
                    <TextField label=st.get(Staff::SellerSignupContactName) name="contact_name" autocomplete="name"/>
                    <TextField label=st.get(Staff::SellerSignupEmail) name="email" kind="email" autocomplete="email"/>
                    <TextField label=st.get(Staff::SellerSignupPhone) name="phone" kind="tel" autocomplete="tel"/>
                    <TextField label=st.get(Staff::SellerSignupPassword) name="password" kind="password" autocomplete="new-password"
                        hint=st.get(Staff::SellerSignupPasswordHint)/>
                </fieldset>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{st.get(Staff::SellerSignupApply)}</button>
            </PageForm>
            <p class="muted">{already}<a href="/login?next=/seller/prices">{st.get(Staff::SellerSignupSignIn)}</a>{after}</p>
        </section>
    }
}
