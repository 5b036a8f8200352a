//! Who is calling: the bearer token in `Authorization`, and nothing else.
//! Cookies never authenticate the API, so a browser's session cannot be
//! ridden across sites, and the API needs no cross-site check.

use super::problem::Problem;
use crate::domain::api_token::{Scope, Unusable};
use crate::features::api_tokens::service::{authenticate, Bearer, Refused};
use crate::platform::state::AppState;
use axum::extract::FromRequestParts;
use http::request::Parts;

/// What the API's layers key a request's token by (idempotency keys, the
/// rate count): the hash of its `Authorization`, without a database read.
/// None without one: such a request is refused by its handler.
pub fn scope(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| crate::features::api_tokens::service::hash(v.trim()))
}

/// The seller a request speaks for, through its token.
#[derive(Clone, Debug)]
pub struct Caller(pub Bearer);

impl Caller {
    /// The route's scope, or 403.
    pub fn needs(&self, scope: Scope) -> Result<(), Problem> {
        if self.0.scopes.allows(scope) {
            Ok(())
        } else {
            Err(Problem::missing_scope(scope))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, Problem> {
        let token = parts
            .headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .ok_or_else(|| {
                Problem::unauthorized("send your API token as Authorization: Bearer <token>")
            })?;
        match authenticate(state, token)
            .await
            .map_err(Problem::database)?
        {
            Ok(bearer) => Ok(Caller(bearer)),
            Err(Refused::Unknown) => Err(Problem::unauthorized("this token is not valid")),
            Err(Refused::Unusable(Unusable::Revoked)) => {
                Err(Problem::unauthorized("this token was revoked"))
            }
            Err(Refused::Unusable(Unusable::Expired)) => {
                Err(Problem::unauthorized("this token has expired"))
            }
        }
    }
}
