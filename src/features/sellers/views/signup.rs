//! Refurbisher sign-up (`/seller/signup`): the company, its EU VAT number,
//! the warehouse address printed on labels, and a contact. The account
//! starts `pending`: prices can be prepared, and compete once operations
//! approve (see `server::onboarding`).

use super::super::*;
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SellerSignupPage() -> impl IntoView {
    let action = ServerAction::<SellerSignup>::new();
    let error = crate::ui::form::action_error(action);
    view! {
        <Title text="Become a buyer"/>
        <section class="card narrow">
            <h1>"Buy devices as a refurbisher"</h1>
            <p class="muted">"Set your buyback prices per model and grade; consumers get the best offer. Our operations team checks every company before its prices compete."</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <fieldset class="group">
                    <legend>"Company"</legend>
                    <TextField label="Company name" name="company" autocomplete="organization"/>
                    <TextField label="EU VAT number" name="vat_number" hint="With its country prefix, e.g. FR40303265045."/>
                </fieldset>
                <fieldset class="group">
                    <legend>"Warehouse (printed on shipping labels)"</legend>
                    <crate::ui::form::AddressFields/>
                </fieldset>
                <fieldset class="group">
                    <legend>"Contact and sign-in"</legend>
                    <TextField label="Contact name" name="contact_name" autocomplete="name"/>
                    <TextField label="Work email" name="email" kind="email" autocomplete="email"/>
                    <TextField label="Phone (optional)" name="phone" kind="tel" autocomplete="tel"/>
                    <TextField label="Password" name="password" kind="password" autocomplete="new-password"
                        hint="At least 10 characters."/>
                </fieldset>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Apply as a refurbisher"</button>
            </PageForm>
            <p class="muted">"Already buying with us? " <a href="/login?next=/seller/prices">"Sign in"</a></p>
        </section>
    }
}
