//! Forms that work the same with and without JavaScript, and controls that
//! carry their label, hint and error, wired for screen readers
//! (`aria-describedby`, `aria-invalid`).
//!
//! A form posts to the page it is on. With JavaScript, `PageForm` calls its
//! server function in the background as Leptos's `ActionForm` does, and the
//! typed values stay where they are. Without it, or for a file upload, the
//! browser posts the page, and a refusal comes back as the same page with a
//! `RefusedForm` (see `ui::refused`): the controls below read their values and
//! errors from the form they are in, so both ways look the same.

use crate::error::AppError;
use crate::ui::refused::{self, RefusedForm, FN_FIELD, FORM_FIELD};
use leptos::prelude::*;
use leptos::server_fn::{client::Client, codec::PostUrl, request::ClientReq, Http, ServerFn};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// What the controls of one form read: its current error, and the values
/// the server sent back with a refusal.
#[derive(Clone)]
pub struct FormState {
    pub error: Signal<Option<AppError>>,
    refused: Option<Arc<RefusedForm>>,
    /// Starts the id of each control: `field-`, or `field-<key>-` in a form
    /// a page repeats, so ids stay unique.
    prefix: Arc<str>,
}

impl FormState {
    fn new(
        error: Signal<Option<AppError>>,
        refused: Option<Arc<RefusedForm>>,
        key: Option<&str>,
    ) -> FormState {
        let prefix = match key {
            Some(k) => format!("field-{k}-"),
            None => "field-".to_string(),
        };
        FormState {
            error,
            refused,
            prefix: prefix.into(),
        }
    }

    /// The id of the control named `name`.
    pub fn id(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    pub fn field_error(&self, name: &'static str) -> Signal<Option<String>> {
        let error = self.error;
        Signal::derive(move || error.get().and_then(|e| e.field(name)))
    }

    /// The value sent back for `name`, if the form was refused.
    pub fn value(&self, name: &str) -> Option<String> {
        self.refused
            .as_ref()
            .and_then(|r| r.value(name).map(str::to_string))
    }

    /// Whether a box or radio with this value was ticked; `None` when the
    /// form was not sent back.
    pub fn ticked(&self, name: &str, value: &str) -> Option<bool> {
        self.refused.as_ref().map(|r| r.has(name, value))
    }

    pub fn values(&self, name: &str) -> Vec<String> {
        self.refused
            .as_ref()
            .map(|r| r.values(name).map(str::to_string).collect())
            .unwrap_or_default()
    }

    pub fn sent_back(&self) -> bool {
        self.refused.is_some()
    }
}

fn form_state() -> Option<FormState> {
    use_context::<FormState>()
}

/// The id of the control `name` in the form around it.
fn control_id(name: &str) -> String {
    form_state()
        .map(|s| s.id(name))
        .unwrap_or_else(|| format!("field-{name}"))
}

/// The address a form posts to: this page, with its query.
fn this_page() -> String {
    let location = leptos_router::hooks::use_location();
    let (path, search) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    }
}

/// A form that calls a server function. `key` tells apart the copies of a
/// form a page repeats (one per row), so a refusal returns to its own row.
#[component]
pub fn PageForm<ServFn, OutputProtocol>(
    action: ServerAction<ServFn>,
    #[prop(optional)] class: &'static str,
    #[prop(optional, into)] key: Option<String>,
    /// The server checks every field and says what is wrong with each;
    /// the browser's own checks would stop at the first.
    #[prop(optional)]
    novalidate: bool,
    children: Children,
) -> impl IntoView
where
    ServFn: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    <ServFn as ServerFn>::Client: Client<AppError>,
    <<ServFn as ServerFn>::Client as Client<AppError>>::Request: ClientReq<AppError>,
    <<<ServFn as ServerFn>::Client as Client<AppError>>::Request as ClientReq<AppError>>::FormData:
        From<leptos::web_sys::FormData>,
    ServFn::Output: Send + Sync + 'static,
{
    let form_id = match &key {
        Some(k) => format!("{}#{k}", ServFn::url()),
        None => ServFn::url().to_string(),
    };
    let refused = refused::for_form(&form_id);
    let error = last_error(action, refused.as_ref().map(|r| r.error.clone()));
    let value = action.value();
    provide_context(FormState::new(error, refused, key.as_deref()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if ev.default_prevented() {
            return;
        }
        ev.prevent_default();
        match <ServFn as leptos::form::FromFormData>::from_event(&ev) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(e) => value.set(Some(Err(AppError::BadRequest(e.to_string())))),
        }
    };
    view! {
        <form method="post" action=this_page() class=class novalidate=novalidate on:submit=on_submit>
            <input type="hidden" name=FN_FIELD value=ServFn::url()/>
            <input type="hidden" name=FORM_FIELD value=form_id/>
            {children()}
        </form>
    }
}

/// A form the browser always posts itself, for files: its route answers a
/// refusal with this page again (see `ui::refused`). `form` names it.
#[component]
pub fn UploadForm(
    form: String,
    #[prop(optional)] class: &'static str,
    /// Sets its controls' ids apart from another form's on the same page.
    #[prop(optional)]
    key: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let refused = refused::for_form(&form);
    let error = Signal::stored(refused.as_ref().map(|r| r.error.clone()));
    provide_context(FormState::new(error, refused, key));
    view! {
        <form method="post" action=this_page() enctype="multipart/form-data" class=class novalidate=true>
            <input type="hidden" name=FORM_FIELD value=form/>
            {children()}
        </form>
    }
}

/// The error of an action's last call, or of its form sent back refused:
/// for a message shown outside the form.
pub fn action_error<ServFn>(action: ServerAction<ServFn>) -> Signal<Option<AppError>>
where
    ServFn: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    ServFn::Output: Send + Sync + 'static,
{
    let sent_back = refused::for_function(ServFn::url()).map(|r| r.error.clone());
    last_error(action, sent_back)
}

/// The error of an action's last call; before any, the one sent back.
fn last_error<ServFn>(
    action: ServerAction<ServFn>,
    sent_back: Option<AppError>,
) -> Signal<Option<AppError>>
where
    ServFn: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    ServFn::Output: Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(e)) => Some(e.clone()),
            Some(Ok(_)) => None,
            None => sent_back.clone(),
        })
    })
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The message for the form as a whole, at its top: a failed sign-in, a
/// rate limit, or a summary linking to each field that needs attention.
/// It takes the focus when it appears, so a screen reader reads it first
/// and a keyboard user starts from it.
#[component]
pub fn FormError(#[prop(optional, into)] error: Option<Signal<Option<AppError>>>) -> impl IntoView {
    let state = form_state();
    let error = error
        .or_else(|| state.as_ref().map(|s| s.error))
        .unwrap_or_else(|| Signal::stored(None));
    let sent_back_here = state.as_ref().is_some_and(FormState::sent_back);
    let prefix = state
        .as_ref()
        .map(|s| s.prefix.clone())
        .unwrap_or_else(|| Arc::from("field-"));
    let summary = NodeRef::<leptos::html::Div>::new();
    // The document's language: its market's, or in the refurbisher and
    // operations areas their user's (`i18n`).
    let lead_text = crate::i18n::use_texts().get(crate::i18n::Msg::FormProblems);
    Effect::new(move |_| {
        if error.get().is_some() {
            if let Some(el) = summary.get() {
                let _ = el.focus();
            }
        }
    });
    let body = move || {
        let prefix = prefix.clone();
        error.get().map(|e| match &e {
            AppError::Invalid(fields) => {
                let lead = fields
                    .get("form")
                    .map(capitalised)
                    .unwrap_or_else(|| lead_text.to_string());
                let links = fields
                    .0
                    .iter()
                    .filter(|f| f.field != "form")
                    .map(|f| {
                        view! { <li><a href=format!("#{prefix}{}", f.field)>{capitalised(&f.message)}</a></li> }
                    })
                    .collect_view();
                view! { <p>{lead}</p> <ul class="error-list">{links}</ul> }.into_any()
            }
            other => view! { <p>{crate::i18n::errors::said(other)}</p> }.into_any(),
        })
    };
    view! {
        <div class="form-error" role="alert" aria-live="assertive" tabindex="-1" autofocus=sent_back_here node_ref=summary>
            {body}
        </div>
    }
}

/// The error a control shows: the one given, else its form's for `name`.
fn error_for(name: &'static str, given: Option<Signal<Option<String>>>) -> Signal<Option<String>> {
    given
        .or_else(|| form_state().map(|s| s.field_error(name)))
        .unwrap_or_else(|| Signal::stored(None))
}

fn invalid(error: Signal<Option<String>>) -> impl Fn() -> &'static str + Send + Sync + Copy {
    move || {
        if error.get().is_some() {
            "true"
        } else {
            "false"
        }
    }
}

#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<Oco<'static, str>>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let error = error_for(name, error);
    let value = form_state()
        .filter(FormState::sent_back)
        .map(|s| s.value(name))
        .unwrap_or(value);
    let id = control_id(name);
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
                inputmode=inputmode
                value=value
                aria-describedby=described_by
                aria-invalid=invalid(error)
            />
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(default = 3)] rows: u32,
    #[prop(optional)] maxlength: Option<u32>,
) -> impl IntoView {
    let error = error_for(name, None);
    let value = form_state().and_then(|s| s.value(name)).unwrap_or_default();
    let id = control_id(name);
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea id=id name=name rows=rows maxlength=maxlength aria-describedby=error_id.clone() aria-invalid=invalid(error)>{value}</textarea>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// One box that sends `yes` when ticked.
#[component]
pub fn Checkbox(name: &'static str, label: &'static str) -> impl IntoView {
    let state = form_state();
    let error = error_for(name, None);
    let checked = state.and_then(|s| s.ticked(name, "yes")).unwrap_or(false);
    let id = control_id(name);
    let error_id = format!("{id}-error");
    view! {
        <div class="field checkbox" class:invalid=move || error.get().is_some()>
            <input type="checkbox" id=id.clone() name=name value="yes" checked=checked aria-describedby=error_id.clone() aria-invalid=invalid(error)/>
            <label for=id>{label}</label>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// Controls of their own names under one legend, with one error (under
/// `name`) that the error summary links to: boxes that each send their
/// own field.
#[component]
pub fn Fieldset(name: &'static str, legend: &'static str, children: Children) -> impl IntoView {
    let error = error_for(name, None);
    let id = control_id(name);
    let error_id = format!("{id}-error");
    view! {
        <fieldset class="group" id=id class:invalid=move || error.get().is_some() aria-describedby=error_id.clone()>
            <legend>{legend}</legend>
            <p class="field-error" id=error_id.clone()>{move || error.get()}</p>
            {children()}
        </fieldset>
    }
}

/// Several boxes under one name, each sending its own value; the error
/// summary links to the group.
#[component]
pub fn CheckboxGroup(
    name: &'static str,
    legend: &'static str,
    /// (value, label) of each box.
    choices: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let state = form_state();
    let error = error_for(name, None);
    let id = control_id(name);
    let error_id = format!("{id}-error");
    let boxes = choices
        .into_iter()
        .map(|(value, label)| {
            let checked = state
                .as_ref()
                .and_then(|s| s.ticked(name, value))
                .unwrap_or(false);
            let box_id = format!("{id}-{value}");
            view! {
                <div class="field checkbox">
                    <input type="checkbox" id=box_id.clone() name=name value=value checked=checked/>
                    <label for=box_id>{label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="group" id=id class:invalid=move || error.get().is_some() aria-describedby=error_id.clone()>
            <legend>{legend}</legend>
            <p class="field-error" id=error_id.clone()>{move || error.get()}</p>
            {boxes}
        </fieldset>
    }
}

/// A file picker. A browser cannot fill one again, so a form sent back
/// shows what it kept some other way (see `orders::views`' proof photos).
#[component]
pub fn FileField(
    label: &'static str,
    name: &'static str,
    accept: &'static str,
    #[prop(optional)] multiple: bool,
) -> impl IntoView {
    let error = error_for(name, None);
    let id = control_id(name);
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input id=id type="file" name=name accept=accept multiple=multiple aria-describedby=error_id.clone() aria-invalid=invalid(error)/>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// A drop-down list; the option sent back (else `selected`) is chosen.

#[component]
pub fn Select(
    label: &'static str,
    name: &'static str,
    /// (value, label) of each option.
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let error = error_for(name, None);
    let chosen = form_state().and_then(|s| s.value(name)).or(selected);
    let id = control_id(name);
    let error_id = format!("{id}-error");
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let selected = chosen.as_deref() == Some(value.as_str());
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=name autocomplete=autocomplete aria-describedby=error_id.clone() aria-invalid=invalid(error)>
                {options}
            </select>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
