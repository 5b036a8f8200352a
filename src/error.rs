//! The one error type every server function returns. Its message is what a
//! person reads; details for the log stay on the server (see
//! `server::api::internal`), tied to the message by the request id.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message for one form field, shown next to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> FieldErrors {
        FieldErrors(Vec::new())
    }

    pub fn add(&mut self, field: &str, message: impl std::fmt::Display) {
        if self.get(field).is_none() {
            self.0.push(FieldError {
                field: field.to_string(),
                message: message.to_string(),
            });
        }
    }

    /// Records the error of a parse result and returns its value, if any.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(AppError::Invalid)` when any field failed.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self))
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("Set up two-factor sign-in to open this area.")]
    TwoFactorRequired,
    #[error("We could not find that.")]
    NotFound,
    #[error("Please correct the highlighted fields.")]
    Invalid(FieldErrors),
    #[error("Too many attempts. Please wait {retry_after_minutes} minute(s) and try again.")]
    RateLimited { retry_after_minutes: i64 },
    #[error("{0}")]
    Conflict(String),
    #[error("The request was not understood: {0}")]
    BadRequest(String),
    #[error("Something went wrong on our side. Please try again; if it keeps happening, quote reference {reference}.")]
    Internal { reference: String },
}

impl AppError {
    /// An id as a form posts it (a flattened form reaches serde as text);
    /// one that does not read is a bad request: "not {what}".
    #[cfg(feature = "ssr")]
    pub fn posted_id<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, AppError> {
        text.parse()
            .map_err(|_| AppError::BadRequest(format!("not {what}")))
    }

    pub fn invalid(field: &str, message: impl std::fmt::Display) -> AppError {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        AppError::Invalid(errors)
    }

    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors.get(name).map(str::to_string),
            _ => None,
        }
    }

    /// The HTTP status a response carrying this error should have.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden | AppError::TwoFactorRequired => 403,
            AppError::NotFound => 404,
            AppError::Invalid(_) => 422,
            AppError::RateLimited { .. } => 429,
            AppError::Conflict(_) => 409,
            AppError::BadRequest(_) => 400,
            AppError::Internal { .. } => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The caller sent something we could not read: its fault, 400.
            // A JSON body that does not read reaches the server as
            // `Deserialization` (server_fn names it after the client's side).
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m) => AppError::BadRequest(m),
            // Network or decoding trouble seen by the browser.
            ServerFnErrorErr::Request(_) => AppError::BadRequest(
                "the server could not be reached; check your connection".into(),
            ),
            other => AppError::Internal {
                reference: other.to_string().chars().take(80).collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_keep_the_first_message_per_field() {
        let mut e = FieldErrors::new();
        e.add("email", "first");
        e.add("email", "second");
        assert_eq!(e.get("email"), Some("first"));
        assert!(e.into_result().is_err());
        assert!(FieldErrors::new().into_result().is_ok());
    }

    #[test]
    fn errors_survive_the_wire() {
        let err = AppError::invalid("password", "too short");
        let bytes = err.ser();
        assert_eq!(AppError::de(bytes), err);
    }
}
