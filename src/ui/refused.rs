//! A refused form, sent back inside the page it was on: what was entered
//! (never a secret) and why it was refused.
//!
//! Every form of a page posts to the page's own address. When the server
//! refuses it, it renders that same page again in the answer to the POST
//! (`platform::http::forms`), with this in the request the page is rendered
//! for. The page passes it to the browser with its hydration data, so a
//! page that hydrates shows the same values and errors it was rendered with.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The hidden field naming which form of the page was sent: its server
/// function's path, or a plain route's own name, and a key when a page
/// repeats a form (one per row).
pub const FORM_FIELD: &str = "__form";
/// The hidden field naming the server function a page's form calls.
pub const FN_FIELD: &str = "__fn";

/// Fields whose values are never written back into a page: a password, a
/// bank account (the form asks for it again; its error says why), a code.
const SECRETS: [&str; 7] = [
    "password",
    "current_password",
    "new_password",
    "iban",
    "account_number",
    "code_totp",
    "recovery_code",
];

pub fn is_secret(name: &str) -> bool {
    SECRETS.contains(&name)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedForm {
    /// The value of the form's `FORM_FIELD`.
    pub form: String,
    /// Name and value of each field, in the order sent (a checkbox group
    /// sends its name once per ticked box).
    pub values: Vec<(String, String)>,
    pub error: AppError,
}

impl RefusedForm {
    /// Keeps what may be shown again: no secret, no control field.
    pub fn new(
        form: impl Into<String>,
        values: impl IntoIterator<Item = (String, String)>,
        error: AppError,
    ) -> RefusedForm {
        RefusedForm {
            form: form.into(),
            values: values
                .into_iter()
                .filter(|(name, _)| !is_secret(name) && name != FORM_FIELD && name != FN_FIELD)
                .collect(),
            error,
        }
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.values(name).any(|v| v == value)
    }
}

#[derive(Clone)]
struct PageRefusal(Option<Arc<RefusedForm>>);

/// Reads the refused form the server put in this page's request, and hands it to
/// the browser: called once, by the root component.
pub fn provide() {
    let shared = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<http::request::Parts>()
                .and_then(|p| p.extensions.get::<RefusedForm>().cloned())
        }
        #[cfg(not(feature = "ssr"))]
        {
            None::<RefusedForm>
        }
    });
    provide_context(PageRefusal(shared.into_inner().map(Arc::new)));
}

/// The refusal of the form whose `FORM_FIELD` is `form`, if that is the
/// form the server refused.
pub fn for_form(form: &str) -> Option<Arc<RefusedForm>> {
    use_context::<PageRefusal>()
        .and_then(|p| p.0)
        .filter(|r| r.form == form)
}

/// The refusal of any copy of the form that calls `function` (a server
/// function's path), for a message shown outside the form.
pub fn for_function(function: &str) -> Option<Arc<RefusedForm>> {
    use_context::<PageRefusal>().and_then(|p| p.0).filter(|r| {
        r.form == function
            || r.form
                .strip_prefix(function)
                .is_some_and(|rest| rest.starts_with('#'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_control_fields_are_not_kept() {
        let r = RefusedForm::new(
            "/api/confirm",
            [
                ("__fn".to_string(), "/api/confirm".to_string()),
                ("__form".to_string(), "/api/confirm".to_string()),
                ("iban".to_string(), "FR76 3000".to_string()),
                ("password".to_string(), "hunter22".to_string()),
                ("city".to_string(), "Lyon".to_string()),
                ("reasons".to_string(), "screen".to_string()),
                ("reasons".to_string(), "body".to_string()),
            ],
            AppError::invalid("iban", "check the IBAN"),
        );
        assert_eq!(r.value("city"), Some("Lyon"));
        assert_eq!(r.value("iban"), None);
        assert_eq!(r.value("password"), None);
        assert_eq!(r.value("__fn"), None);
        assert_eq!(r.values("reasons").collect::<Vec<_>>(), ["screen", "body"]);
        assert!(r.has("reasons", "body") && !r.has("reasons", "works"));
    }
}
