//! The API's errors as RFC 9457 problem details
//! (`application/problem+json`): a type, a title, the status, a detail for
//! this occurrence and, for invalid input, one entry per field.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says
    /// it all.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Each invalid field, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    #[serde(skip)]
    #[schema(ignore)]
    authenticate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field's name: a query parameter or a JSON pointer into the body.
    pub field: String,
    pub detail: String,
}

/// The documentation of a problem kind, under the API's own address.
const TYPES: &str = "/api/v1/problems";

impl Problem {
    fn new(status: StatusCode, kind: &str, detail: Option<String>) -> Problem {
        Problem {
            kind: if kind.is_empty() {
                "about:blank".into()
            } else {
                format!("{TYPES}/{kind}")
            },
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
            authenticate: false,
        }
    }

    pub fn unauthorized(detail: &str) -> Problem {
        Problem {
            authenticate: true,
            ..Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                Some(detail.into()),
            )
        }
    }

    pub fn missing_scope(scope: crate::domain::api_token::Scope) -> Problem {
        Problem::new(
            StatusCode::FORBIDDEN,
            "missing-scope",
            Some(format!("this token does not have the {scope} scope")),
        )
    }

    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "", None)
    }

    pub fn invalid(errors: Vec<FieldProblem>) -> Problem {
        Problem {
            errors,
            ..Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                Some("some fields are invalid".into()),
            )
        }
    }

    pub fn field(field: &str, detail: impl Into<String>) -> Problem {
        Problem::invalid(vec![FieldProblem {
            field: field.into(),
            detail: detail.into(),
        }])
    }

    pub fn internal(reference: &str) -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "",
            Some(format!(
                "something went wrong on our side; quote reference {reference}"
            )),
        )
    }

    /// A database failure: logged with a reference the answer quotes.
    pub fn database(e: sqlx::Error) -> Problem {
        let reference = uuid::Uuid::new_v4().to_string();
        tracing::error!(error = %e, reference, "seller API: database error");
        Problem::internal(&reference)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let authenticate = self.authenticate;
        let mut res = (status, axum::Json(self)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if authenticate {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"seller-api\""),
            );
        }
        res
    }
}
