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
            AppError::Invalid(fields) => fields.get("form").map(str::to_string).unwrap_or_else(|| e.to_string()),
            other => other.to_string(),
        })
    };
    view! {
        <div class="form-error" role="alert" aria-live="assertive">
            {move || message().map(|m| view! { <p>{m}</p> })}
        </div>
    }
}
