//! The guard every server function starts with. Each one names its access
//! rule on its first line (`guard(Access::Role(Role::Ops))`), so a missing
//! check stands out in review, and a test fails if a server function has none.

use crate::domain::account::Role;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::platform::session as auth;
use crate::platform::state::AppState;
use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::*;
use std::net::SocketAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (catalog, offers, sign-in itself).
    Public,
    SignedIn,
    Role(Role),
}

/// The request a server function is answering, once its access rule passed.
pub struct Guarded {
    pub state: AppState,
    pub parts: Parts,
    pub user: Option<CurrentUser>,
}

impl Guarded {
    /// The signed-in user; only `None` under `Access::Public`.
    pub fn user(&self) -> Result<&CurrentUser, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    pub fn now_ms(&self) -> i64 {
        self.state.clock.now_ms()
    }

    /// The visitor's time zone, for the dates this answer writes out.
    pub fn zone(&self) -> crate::platform::zone::Zone {
        crate::platform::zone::Zone::of_request(&self.parts.headers)
    }

    /// The client's address: the peer's, or behind a trusted load balancer
    /// the one it forwarded (`platform::http::client`). Rate limits count
    /// per this address.
    pub fn client_ip(&self) -> String {
        self.parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| {
                crate::platform::http::client::client(
                    &self.state.config.trusted_proxies,
                    addr.ip(),
                    &self.parts.headers,
                )
                .ip
                .to_string()
            })
            .unwrap_or_else(|| "unknown".into())
    }

    pub fn request_id(&self) -> String {
        request_id(&self.parts.headers)
    }

    /// Logs the detail of an unexpected failure and gives the person a
    /// message with a reference that finds it in the log.
    pub fn internal(&self, detail: impl std::fmt::Display) -> AppError {
        internal_error(&self.parts.headers, detail)
    }
}

pub fn request_id(headers: &http::HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string()
}

pub fn internal_error(headers: &http::HeaderMap, detail: impl std::fmt::Display) -> AppError {
    let reference = request_id(headers);
    tracing::error!(request_id = %reference, error = %detail, "request failed");
    AppError::Internal { reference }
}

pub async fn guard(access: Access) -> Result<Guarded, AppError> {
    let state = use_context::<AppState>().ok_or_else(|| AppError::Internal {
        reference: "no app state".into(),
    })?;
    let parts = use_context::<Parts>().ok_or_else(|| AppError::Internal {
        reference: "no request".into(),
    })?;
    let user = auth::current_user(&state, &parts.headers)
        .await
        .map_err(|e| internal_error(&parts.headers, e))?;
    match (access, &user) {
        (Access::Public, _) => {}
        (Access::SignedIn | Access::Role(_), None) => return Err(AppError::Unauthenticated),
        (Access::SignedIn, Some(_)) => {}
        (Access::Role(role), Some(u)) if u.role == role && u.needs_two_factor() => {
            return Err(AppError::TwoFactorRequired)
        }
        (Access::Role(role), Some(u)) if u.role == role => {}
        (Access::Role(_), Some(_)) => return Err(AppError::Forbidden),
    }
    Ok(Guarded { state, parts, user })
}

/// Adds a response header from inside a server function or an SSR render.
pub fn append_header(name: http::HeaderName, value: &str) {
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        res.append_header(name, value);
    }
}

/// Sets the response status from an SSR render (e.g. 403 or 404 pages).
pub fn set_status(status: http::StatusCode) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(status);
    }
}

/// Turns an unexpected failure (database down, I/O) into `AppError::Internal`
/// with the request id, logging the detail: `.or_internal(&g)?`.
pub trait OrInternal<T> {
    fn or_internal(self, g: &Guarded) -> Result<T, AppError>;
}

impl<T, E: std::fmt::Display> OrInternal<T> for Result<T, E> {
    fn or_internal(self, g: &Guarded) -> Result<T, AppError> {
        self.map_err(|e| g.internal(e))
    }
}
