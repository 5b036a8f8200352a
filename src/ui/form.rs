//! Form controls that carry their label, hint and error, wired for screen
//! readers (`aria-describedby`, `aria-invalid`).

use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                aria-describedby=described_by
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
            />
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// The message for the form as a whole: a failed sign-in, a rate limit, or a
/// summary when fields need attention.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || {
        error.get().map(|e| match &e {
            AppError::Invalid(fields) => fields
                .get("form")
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string()),
            other => other.to_string(),
        })
    };
    view! {
        <div class="form-error" role="alert" aria-live="assertive">
            {move || message().map(|m| view! { <p>{m}</p> })}
        </div>
    }
}

/// Street, line 2, postcode, city and country, with each field's error
/// read from `error` (the names `parse_address` reports).
#[component]
pub fn AddressFields(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let field =
        move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    view! {
        <TextField label="Street and number" name="address_line1" autocomplete="address-line1" error=field("address_line1")/>
        <TextField label="Address line 2 (optional)" name="address_line2" autocomplete="address-line2" error=field("address_line2")/>
        <div class="row">
            <TextField label="Postcode" name="postcode" autocomplete="postal-code" error=field("postcode")/>
            <TextField label="City" name="city" autocomplete="address-level2" error=field("city")/>
        </div>
        <div class="field" class:invalid=move || field("country").get().is_some()>
            <label for="field-country">"Country"</label>
            <select id="field-country" name="country" autocomplete="country" aria-describedby="field-country-error">
                {crate::domain::address::COUNTRIES.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect_view()}
            </select>
            <p class="field-error" id="field-country-error">{move || field("country").get()}</p>
        </div>
    }
}
