//! The street, postcode and city of a warehouse, as the refurbisher's
//! sign-up and its markets page both ask for them (the names
//! `parse_address` reports errors under).

use crate::i18n::staff::{use_staff, Staff};
use crate::ui::form::TextField;
use leptos::prelude::*;

#[component]
pub fn StreetAndCity() -> impl IntoView {
    let st = use_staff();
    view! {
        <TextField label=st.get(Staff::CommonAddressStreet) name="address_line1" autocomplete="address-line1"/>
        <TextField label=st.get(Staff::CommonAddressLine2) name="address_line2" autocomplete="address-line2"/>
        <div class="row">
            <TextField label=st.get(Staff::CommonAddressPostcode) name="postcode" autocomplete="postal-code"/>
            <TextField label=st.get(Staff::CommonAddressCity) name="city" autocomplete="address-level2"/>
        </div>
    }
}
