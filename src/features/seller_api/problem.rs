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
    /// A stable machine name for the problem, where there is one (a bulk
    /// row's: `unknown_sku`, `price`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
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

    /// A problem of this status and kind (`""`: `about:blank`), for the
    /// API's own layers.
    pub fn of(status: StatusCode, kind: &str, detail: String) -> Problem {
        Problem::new(status, kind, Some(detail))
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
            code: None,
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

impl From<crate::error::AppError> for Problem {
    /// A service's refusal, as the API says it. The services' messages are
    /// the areas' English here: the API's requests carry no language.
    fn from(e: crate::error::AppError) -> Problem {
        use crate::error::AppError as E;
        match e {
            E::Unauthenticated => {
                Problem::unauthorized("send your API token as Authorization: Bearer <token>")
            }
            E::Forbidden | E::TwoFactorRequired => Problem::new(StatusCode::FORBIDDEN, "", None),
            E::NotFound => Problem::not_found(),
            E::Invalid(fields) => Problem::invalid(
                fields
                    .0
                    .into_iter()
                    .map(|f| FieldProblem {
                        field: f.field,
                        code: None,
                        detail: f.message,
                    })
                    .collect(),
            ),
            E::RateLimited {
                retry_after_minutes,
            } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "",
                Some(format!("try again in {retry_after_minutes} minute(s)")),
            ),
            E::Conflict(message) => Problem::new(StatusCode::CONFLICT, "conflict", Some(message)),
            E::BadRequest(message) => Problem::new(StatusCode::BAD_REQUEST, "", Some(message)),
            E::Internal { reference } => Problem::internal(&reference),
        }
    }
}

impl Problem {
    /// Someone changed the object since the caller read it.
    pub fn stale(current_version: Option<i64>) -> Problem {
        Problem::new(
            StatusCode::CONFLICT,
            "stale-version",
            Some(match current_version {
                Some(v) => format!(
                    "the listing changed meanwhile; it is now at version {v}: read it again"
                ),
                None => "the listing changed meanwhile: read it again".into(),
            }),
        )
    }
}
